#!/bin/sh
# Checks every artifact of contracts/artifacts (or of the folder given as
# the first argument) against docs/vm.md with
# wabt's tools and prints sizes and sha256s (run after `make contracts`):
# valid module, imports only from `vsys`, exports only `memory` and
# functions, no start section, no float instruction or type, and a
# `vsys_abi` custom section holding exactly NAME/abi.json.
set -eu
cd "$(dirname "$0")"
DIR=${1:-artifacts}
CONTRACTS="counter token nft lock payment_channel adversarial registry escrow"
for t in wasm-validate wasm-objdump; do
	command -v $t >/dev/null || { echo "check: $t not found (apt-get install wabt)" >&2; exit 1; }
done
fail=0
for c in $CONTRACTS; do
	w=$DIR/$c.wasm
	err() { echo "FAIL $w: $*" >&2; fail=1; }
	wasm-validate "$w" || err "wasm-validate"
	x=$(wasm-objdump -x "$w")
	echo "$x" | sed -n '/^Import\[/,/^[A-Z]/p' | grep -- ' <- ' | grep -v ' <- vsys\.' && err "import outside vsys"
	echo "$x" | sed -n '/^Export\[/,/^[A-Z]/p' | grep -- ' -> ' | grep -vE '^ - (memory\[0\] -> "memory"|func\[[0-9]+\] .* -> "[a-z_0-9]+")$' && err "unexpected export"
	echo "$x" | grep -q '^Start' && err "start section"
	n=$(wasm-objdump -d "$w" | grep -cE '\bf(32|64)\.' || true)
	[ "$n" = 0 ] || err "$n float instructions"
	echo "$x" | grep -qE '\bf(32|64)\b' && err "float type"
	target/tools/release/wasm-finish --abi "$w" | cmp -s - "$c/abi.json" || err "vsys_abi differs from $c/abi.json"
done
[ $fail = 0 ] || exit 1
for c in $CONTRACTS; do
	printf '%-32s %7d  %s\n' "$DIR/$c.wasm" "$(wc -c <"$DIR/$c.wasm")" "$(sha256sum <"$DIR/$c.wasm" | cut -d' ' -f1)"
done
echo "check: all artifacts OK"
