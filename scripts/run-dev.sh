#!/usr/bin/env bash
# Initialise a dev chain under HOME_DIR if it has none, then run it in the
# foreground. Ctrl-C stops it cleanly; running again resumes where it was.
set -euo pipefail
bin=$1 home=$2 chain=$3
if [ ! -f "$home/config/genesis.json" ]; then
  "$bin" init --chain-id "$chain" --home "$home"
fi
cat <<TXT

  Dev chain "$chain" in $home. In another shell, try:

    $bin status --home $home
    $bin query token balance dev --home $home
    $bin keys add alice --home $home
    $bin tx token send alice 1000 --from dev --home $home

TXT
exec "$bin" start --home "$home"
