#!/bin/sh
# Starts a vsys contract outside this repository from sdk-rust/template.
#
#   scripts/new-contract.sh NAME DIR
#
# NAME: the crate and contract name (^[a-z][a-z0-9_]*$); DIR: a new or empty
# directory. DIR gets Cargo.toml (release profile, path dependency on this
# checkout's sdk-rust), .cargo/config.toml (wasm32 stack size), src/lib.rs
# (an example contract with tests), test.sh (native tests) and build.sh
# (wasm32 build + wasm-finish -> DIR/NAME.wasm, reproducible across paths).
# See sdk-rust/README.md, "A contract outside this repository".
set -eu
[ $# = 2 ] || { echo "usage: $0 NAME DIR" >&2; exit 2; }
NAME=$1
DIR=$2
echo "$NAME" | grep -Eq '^[a-z][a-z0-9_]{0,63}$' || { echo "new-contract: NAME must match ^[a-z][a-z0-9_]*\$ (got \"$NAME\")" >&2; exit 2; }
case $NAME in
# names the host imports or the SDK's generated items take
call | emit | abort | input_len | test | core | alloc | std) echo "new-contract: \"$NAME\" is reserved" >&2; exit 2 ;;
esac
if [ -e "$DIR" ] && [ -n "$(ls -A "$DIR")" ]; then
	echo "new-contract: $DIR exists and is not empty" >&2
	exit 1
fi
VSYS=$(cd "$(dirname "$0")/.." && pwd)
T=$VSYS/sdk-rust/template
mkdir -p "$DIR/src" "$DIR/.cargo"
DIR=$(cd "$DIR" && pwd)
case $DIR$VSYS in *" "*) echo "new-contract: paths with spaces are not supported" >&2; exit 1 ;; esac
sub() { sed -e "s|@NAME@|$NAME|g" -e "s|@SDK@|$VSYS/sdk-rust|g" -e "s|@VSYS@|$VSYS|g" "$1" >"$2"; }
sub "$T/Cargo.toml.in" "$DIR/Cargo.toml"
cp "$T/cargo-config.toml" "$DIR/.cargo/config.toml"
sub "$T/src/lib.rs" "$DIR/src/lib.rs"
sub "$T/build.sh" "$DIR/build.sh"
sub "$T/test.sh" "$DIR/test.sh"
chmod +x "$DIR/build.sh" "$DIR/test.sh"
printf 'target/\n' >"$DIR/.gitignore"
echo "new-contract: $NAME in $DIR (./test.sh, ./build.sh -> $NAME.wasm)"
