#!/bin/sh
# RUSTC_WRAPPER for contracts/build.sh, so that the artifacts do not depend
# on where the repository is checked out:
# - maps the checkout root to /vsys in every path rustc records (panic
#   locations);
# - replaces cargo's `-C metadata=HASH` with a constant: cargo hashes the
#   absolute path of path dependencies outside the workspace (../sdk-rust)
#   into it, and it feeds symbol hashes, which change function order.
#   Crate names stay unique within this build, so symbols stay distinct.
# VSYS_REMAP (optional): more FROM=TO prefixes, space-separated, applied
# after the root's (a contract outside the repository maps its own
# directory; see sdk-rust/template/build.sh).
rustc=$1
shift
for a in "$@"; do
	shift
	case $a in
	metadata=*) a=metadata=vsys ;;
	esac
	set -- "$@" "$a"
done
set -- "$@" "--remap-path-prefix=${VSYS_ROOT:?}=/vsys"
for m in ${VSYS_REMAP:-}; do
	set -- "$@" "--remap-path-prefix=$m"
done
exec "$rustc" "$@"
