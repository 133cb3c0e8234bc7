#!/bin/sh
# Installs Debian's shellcheck when it is missing, so `make lint` works on a
# fresh machine (CI's included) without a hand-installed tool. "Present" is
# decided by running it on a one-line script, not by looking for the file.
# Idempotent, and quiet when nothing is missing.
set -eu

probe() {
	printf '#!/bin/sh\necho ok\n' | shellcheck - >/dev/null 2>&1
}

if probe; then
	exit 0
fi
echo "install-shellcheck: no working shellcheck; installing it with apt-get" >&2

"$(dirname "$0")/apt-install.sh" install-shellcheck shellcheck

if ! probe; then
	echo "install-shellcheck: shellcheck still not working after apt-get" >&2
	exit 1
fi
echo "install-shellcheck: $(shellcheck --version | sed -n 's/^version: //p') ready" >&2
