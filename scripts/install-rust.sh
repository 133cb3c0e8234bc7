#!/bin/sh
# Installs what building and checking the vsys contracts really uses, when
# any of it is missing: Debian's rustc and cargo, the wasm32 standard
# library, lld-14 (Debian's rustc links wasm32 with `rust-lld`, a link to
# lld-14 that apt only *recommends*, so --no-install-recommends leaves it
# out) and wabt (contracts/check.sh runs wasm-validate and wasm-objdump).
#
# "Present" is decided by doing the work, not by looking for files: the
# check compiles and links a tiny no_std cdylib for wasm32-unknown-unknown
# and validates it with wasm-validate. A machine where that succeeds has
# everything `make test` needs from Rust; anything less gets apt-get.
# Idempotent, and quiet when nothing is missing.
set -eu

PKGS="rustc cargo libstd-rust-dev-wasm32 lld-14 wabt"

probe() {
	if [ ! -x /usr/bin/cargo ] || [ ! -x /usr/bin/rustc ]; then
		echo "no /usr/bin/rustc or /usr/bin/cargo"
		return 1
	fi
	command -v wasm-validate >/dev/null 2>&1 || { echo "no wasm-validate (wabt)"; return 1; }
	command -v wasm-objdump >/dev/null 2>&1 || { echo "no wasm-objdump (wabt)"; return 1; }
	dir=$(mktemp -d)
	cat >"$dir/probe.rs" <<'EOF'
#![no_std]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! { loop {} }
#[no_mangle]
pub extern "C" fn probe() -> i32 { 42 }
EOF
	if ! out=$(/usr/bin/rustc --edition 2021 --crate-type cdylib -C panic=abort -O \
		--target wasm32-unknown-unknown -o "$dir/probe.wasm" "$dir/probe.rs" 2>&1); then
		rm -rf "$dir"
		echo "linking a wasm32 module failed: $(echo "$out" | grep -m1 error || echo "$out" | head -1)"
		return 1
	fi
	if ! wasm-validate "$dir/probe.wasm" >/dev/null 2>&1; then
		rm -rf "$dir"
		echo "wasm-validate rejected the probe module"
		return 1
	fi
	rm -rf "$dir"
}

if why=$(probe); then
	exit 0
fi
echo "install-rust: $why; installing $PKGS with apt-get" >&2

# shellcheck disable=SC2086 # PKGS is a list of words on purpose
"$(dirname "$0")/apt-install.sh" install-rust $PKGS

if ! why=$(probe); then
	echo "install-rust: toolchain still incomplete after apt-get: $why" >&2
	exit 1
fi
echo "install-rust: wasm32 toolchain ready" >&2
