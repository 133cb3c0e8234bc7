package main

import (
	_ "github.com/cometbft/cometbft/node"
	_ "github.com/cometbft/cometbft/abci/example/kvstore"
	_ "github.com/cosmos/cosmos-db"
	_ "github.com/cosmos/iavl"
	_ "github.com/cosmos/ics23/go"
	_ "github.com/spf13/cobra"
	_ "github.com/tetratelabs/wazero"
)

func main() {}
