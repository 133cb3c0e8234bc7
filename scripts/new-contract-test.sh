#!/bin/sh
# Tests the way to start a contract outside this repository: creates the
# template contract twice, in two different temporary directories outside
# the checkout, runs its native tests, builds both to wasm and requires
#  - the finished module (wasm-finish passed: exports match the ABI, limits);
#  - its vsys_abi section generated from the types (name, a #[view] method);
#  - the two builds byte-identical (path remapping works outside the repo).
# Run by `make contracts-test`.
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vsys-new-contract.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
case $tmp in "$PWD"/*) echo "new-contract-test: $tmp is inside the checkout" >&2; exit 1 ;; esac
fail() { echo "new-contract-test: $*" >&2; exit 1; }

scripts/new-contract.sh jar "$tmp/one/jar" >/dev/null
scripts/new-contract.sh jar "$tmp/two/elsewhere/jar" >/dev/null
scripts/new-contract.sh jar "$tmp/one/jar" 2>/dev/null && fail "a non-empty directory was overwritten"
scripts/new-contract.sh Bad-Name "$tmp/bad" 2>/dev/null && fail "a bad name was accepted"

"$tmp/one/jar/test.sh" --quiet >"$tmp/test.log" 2>&1 || { cat "$tmp/test.log" >&2; fail "native tests failed"; }
"$tmp/one/jar/build.sh" >"$tmp/build1.log" 2>&1 || { cat "$tmp/build1.log" >&2; fail "build failed"; }
"$tmp/two/elsewhere/jar/build.sh" >"$tmp/build2.log" 2>&1 || { cat "$tmp/build2.log" >&2; fail "second build failed"; }

w=$tmp/one/jar/jar.wasm
[ -s "$w" ] || fail "no jar.wasm"
abi=$("$tmp/one/jar/target/tools/release/wasm-finish" --abi "$w") || fail "no vsys_abi section"
echo "$abi" | grep -q '^{"name":"jar","init":"struct{}","methods":\[' || fail "unexpected ABI: $abi"
echo "$abi" | grep -q '{"name":"total","args":"struct{}","result":"u128","readonly":true,"doc":"What the jar holds."}' || fail "no view method total in: $abi"
echo "$abi" | grep -q '{"name":"deposited","type":"struct{from:address,amount:u128,total:u128}"}' || fail "no event deposited in: $abi"
if command -v wasm-validate >/dev/null; then wasm-validate "$w" || fail "wasm-validate"; fi
cmp -s "$w" "$tmp/two/elsewhere/jar/jar.wasm" || fail "builds in two directories differ (paths leak into the module)"
echo "new-contract-test: template contract built outside the repository ($(wc -c <"$w") bytes, ABI generated, byte-identical in two places)"
