#!/bin/sh
# apt-install.sh WHO PKG...: installs Debian packages for the install-*.sh
# scripts, with sudo when not root. A fresh machine may have no package lists
# yet, so a failed install updates them once and tries again. WHO names the
# caller in messages.
set -eu
who=$1
shift

if ! command -v apt-get >/dev/null 2>&1; then
	echo "$who: apt-get not found; install $* by hand" >&2
	exit 1
fi
SUDO=
if [ "$(id -u)" != 0 ]; then
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y --no-install-recommends "$@" >/dev/null; then
	$SUDO apt-get update >/dev/null
	$SUDO apt-get install -y --no-install-recommends "$@" >/dev/null
fi
