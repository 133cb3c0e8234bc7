#!/bin/sh
# Builds every contract of this workspace for wasm32 and writes the finished
# modules to contracts/artifacts/NAME.wasm (or to $VSYS_ARTIFACTS/NAME.wasm).
# Used by `make contracts`; scripts/contracts-sha256.sh builds elsewhere to
# compare with the committed artifacts.
#
# Deterministic: release profile with lto, codegen-units = 1, strip, no
# debug info, and source paths remapped to /vsys (tools/rustc-remap.sh) so
# the checkout location never reaches the bytes (scripts/contracts-sha256.sh checks two clean
# builds are identical).
set -eu
cd "$(dirname "$0")"
ROOT=$(cd .. && pwd)
CARGO=${CARGO:-/usr/bin/cargo}
export RUSTC="${VSYS_RUSTC:-/usr/bin/rustc}"
export RUSTDOC="${VSYS_RUSTDOC:-/usr/bin/rustdoc}"
# The SDK uses #![feature(alloc_error_handler, panic_info_message)] on wasm32.
export RUSTC_BOOTSTRAP=1
CONTRACTS="counter token nft lock payment_channel adversarial registry escrow xcounter"
export CARGO_TARGET_DIR="$PWD/target"
# .cargo/config.toml sets wasm32 rustflags (64 KiB stack); RUSTFLAGS would
# replace them, so it is cleared below.

# Post-link tool (host target): drops the __heap_base/__data_end exports
# and checks each module against docs/vm.md.
env -u RUSTFLAGS "$CARGO" build --offline --quiet --release \
	--manifest-path tools/wasm-finish/Cargo.toml --target-dir target/tools

VSYS_ROOT=$ROOT RUSTC_WRAPPER="$PWD/tools/rustc-remap.sh" env -u RUSTFLAGS \
	"$CARGO" build --offline --release --target wasm32-unknown-unknown

OUT=${VSYS_ARTIFACTS:-artifacts}
mkdir -p "$OUT"
for c in $CONTRACTS; do
	target/tools/release/wasm-finish "target/wasm32-unknown-unknown/release/$c.wasm" "$OUT/$c.wasm"
done
for c in $CONTRACTS; do
	printf '%-22s %7d bytes\n' "$OUT/$c.wasm" "$(wc -c <"$OUT/$c.wasm")"
done
