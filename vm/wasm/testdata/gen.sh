#!/bin/sh
# Regenerates every .wasm in this directory from its .wat with wabt.
set -e
cd "$(dirname "$0")"
for f in *.wat; do
	wat2wasm --enable-all "$f" -o "${f%.wat}.wasm"
done
