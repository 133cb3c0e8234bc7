#!/bin/sh
# Native unit tests against the SDK's mock host.
set -eu
cd "$(dirname "$0")"
RUSTC="${VSYS_RUSTC:-/usr/bin/rustc}" RUSTDOC="${VSYS_RUSTDOC:-/usr/bin/rustdoc}" "${CARGO:-/usr/bin/cargo}" test --offline "$@"
