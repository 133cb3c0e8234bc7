#!/bin/sh
# Installs the Rust toolchain that builds vsys contracts (Debian's rustc and
# cargo plus the wasm32 standard library) when it is missing. Idempotent:
# does nothing when /usr/bin/cargo, /usr/bin/rustc and the wasm32 core
# library are present. See /work/shared/TOOLCHAIN.md-style notes in
# contracts/README.md (rustup toolchains here lack the wasm32 target).
set -eu

have() {
	[ -x /usr/bin/cargo ] && [ -x /usr/bin/rustc ] || return 1
	sysroot=$(/usr/bin/rustc --print sysroot 2>/dev/null) || return 1
	ls "$sysroot"/lib/rustlib/wasm32-unknown-unknown/lib/libcore-*.rlib >/dev/null 2>&1
}

if have; then
	exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-rust: need Debian's rustc, cargo and libstd-rust-dev-wasm32 (apt-get not found)" >&2
	exit 1
fi

SUDO=
if [ "$(id -u)" != 0 ]; then
	SUDO=sudo
fi

echo "install-rust: installing rustc cargo libstd-rust-dev-wasm32 with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y --no-install-recommends rustc cargo libstd-rust-dev-wasm32; then
	$SUDO apt-get update
	$SUDO apt-get install -y --no-install-recommends rustc cargo libstd-rust-dev-wasm32
fi

if ! have; then
	echo "install-rust: toolchain still incomplete after apt-get" >&2
	exit 1
fi
