#!/bin/sh
# Reproducibility check for the contract artifacts: builds them twice from
# clean target directories and compares sha256s, then prints them.
# Usage: scripts/contracts-sha256.sh   (after scripts/install-rust.sh)
set -eu
cd "$(dirname "$0")/.."
sums() { (cd contracts/artifacts && sha256sum counter.wasm token.wasm nft.wasm lock.wasm payment_channel.wasm adversarial.wasm registry.wasm); }
rm -rf contracts/target contracts/artifacts
contracts/build.sh >/dev/null
first=$(sums)
rm -rf contracts/target contracts/artifacts
contracts/build.sh >/dev/null
second=$(sums)
if [ "$first" != "$second" ]; then
	echo "contracts-sha256: builds differ" >&2
	echo "$first" >&2
	echo "$second" >&2
	exit 1
fi
contracts/check.sh >/dev/null
echo "$second"
echo "contracts-sha256: two clean builds are byte-identical"
