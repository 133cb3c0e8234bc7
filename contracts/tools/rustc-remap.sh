#!/bin/sh
# RUSTC_WRAPPER for contracts/build.sh, so that the artifacts do not depend
# on where the repository is checked out:
# - maps the checkout root to /vsys in every path rustc records (panic
#   locations);
# - replaces cargo's `-C metadata=HASH` with a constant: cargo hashes the
#   absolute path of path dependencies outside the workspace (../sdk-rust)
#   into it, and it feeds symbol hashes, which change function order.
#   Crate names stay unique within this build, so symbols stay distinct.
rustc=$1
shift
for a in "$@"; do
	shift
	case $a in
	metadata=*) a=metadata=vsys ;;
	esac
	set -- "$@" "$a"
done
exec "$rustc" "$@" "--remap-path-prefix=${VSYS_ROOT:?}=/vsys"
