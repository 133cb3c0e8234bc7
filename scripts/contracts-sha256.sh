#!/bin/sh
# The contract artifacts in contracts/artifacts are committed test data (Go
# tests read them, so `go test ./...` works on a fresh clone without Rust).
# This script is what keeps them honest: it builds every contract twice from
# clean target directories into temporary folders, requires the two builds
# to be byte-identical, checks them (contracts/check.sh), and requires the
# committed artifacts to equal the fresh build byte for byte.
#
# It never writes contracts/artifacts: after changing a contract, run
# `make contracts` and commit the artifacts; until then this fails.
# Usage: scripts/contracts-sha256.sh   (after scripts/install-rust.sh)
set -eu
cd "$(dirname "$0")/.."
CONTRACTS="counter token nft lock payment_channel adversarial registry escrow xcounter"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sums() { (cd "$1" && for c in $CONTRACTS; do sha256sum "$c.wasm"; done); }

rm -rf contracts/target
VSYS_ARTIFACTS="$tmp/first" contracts/build.sh >/dev/null
rm -rf contracts/target
VSYS_ARTIFACTS="$tmp/second" contracts/build.sh >/dev/null
first=$(sums "$tmp/first")
second=$(sums "$tmp/second")
if [ "$first" != "$second" ]; then
	echo "contracts-sha256: two clean builds differ" >&2
	echo "$first" >&2
	echo "$second" >&2
	exit 1
fi
contracts/check.sh "$tmp/first" >/dev/null

stale=
for c in $CONTRACTS; do
	cmp -s "$tmp/first/$c.wasm" "contracts/artifacts/$c.wasm" || stale="$stale $c"
done
if [ -n "$stale" ]; then
	echo "contracts-sha256: committed contracts/artifacts differ from the sources:$stale" >&2
	echo "contracts-sha256: run 'make contracts' and commit contracts/artifacts" >&2
	exit 1
fi
echo "$second"
echo "contracts-sha256: two clean builds are byte-identical and equal the committed artifacts"
