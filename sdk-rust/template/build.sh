#!/bin/sh
# Builds this contract to @NAME@.wasm (next to this script): a wasm32 release
# build, then vsys's finishing step (contracts/tools/wasm-finish: drops the
# linker's __heap_base/__data_end exports and checks the module against the
# VM's rules, ABI included).
#
# Reproducible: the checkout paths of this directory and of vsys are
# remapped (to /contract and /vsys) and cargo's path-dependent metadata hash
# is pinned (contracts/tools/rustc-remap.sh), so the same source gives the
# same bytes wherever it is built. Keep the paths free of spaces.
set -eu
cd "$(dirname "$0")"
HERE=$(pwd)
VSYS=${VSYS_REPO:-@VSYS@}
CARGO=${CARGO:-/usr/bin/cargo}
export RUSTC="${VSYS_RUSTC:-/usr/bin/rustc}"
# the SDK uses two unstable features on wasm32 (rustc 1.63)
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="$HERE/target"
# .cargo/config.toml sets the wasm32 rustflags; RUSTFLAGS would replace them
env -u RUSTFLAGS "$CARGO" build --offline --quiet --release \
	--manifest-path "$VSYS/contracts/tools/wasm-finish/Cargo.toml" --target-dir target/tools
VSYS_ROOT="$VSYS" VSYS_REMAP="$HERE=/contract" RUSTC_WRAPPER="$VSYS/contracts/tools/rustc-remap.sh" \
	env -u RUSTFLAGS "$CARGO" build --offline --release --target wasm32-unknown-unknown
target/tools/release/wasm-finish "target/wasm32-unknown-unknown/release/@NAME@.wasm" "@NAME@.wasm"
printf '%s %d bytes\n' "@NAME@.wasm" "$(wc -c <"@NAME@.wasm")"
