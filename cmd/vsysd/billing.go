package main

import (
	"github.com/spf13/cobra"
)

// billingQueryCmd is `vsysd query billing ...`.
func billingQueryCmd(height *int64) *cobra.Command {
	cmd := &cobra.Command{Use: "billing", Short: "Bills (state held, deposits, fees) and prices"}
	bill := &cobra.Command{
		Use: "bill ADDRESS", Short: "What an address holds in state and has paid", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := resolveAddress(cmd, args[0])
			if err != nil {
				return err
			}
			c := rpcClient(cmd)
			b, err := c.GetBill(cmd.Context(), addr, *height)
			if err != nil {
				return err
			}
			native, err := nativeSymbol(cmd.Context(), c)
			if err != nil {
				return err
			}
			return emit(cmd, b, func() {
				printf(cmd, "address   %s\nbytes     %d\ndeposit   %s\nfees paid %s\ngas used  %d\nheight    %d\n",
					b.Address, b.Bytes, showAmount(cmd, c, b.Deposit, native), showAmount(cmd, c, b.FeesPaid, native), b.GasUsed, b.Height)
				for _, c := range b.Categories {
					printf(cmd, "  %-20s %d bytes\n", c.Category, c.Bytes)
				}
			})
		},
	}
	params := &cobra.Command{
		Use: "params", Short: "Minimum gas price and storage price", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := rpcClient(cmd).GasPrice(cmd.Context())
			if err != nil {
				return err
			}
			return emit(cmd, p, func() {
				printf(cmd, "min gas price          %s %s (smallest unit)\nstorage price per byte %s %s (smallest unit)\n", p.MinGasPrice, p.NativeToken, p.StoragePricePerByte, p.NativeToken)
			})
		},
	}
	addKeyringFlag(bill)
	addBaseUnitsFlag(bill, "print")
	cmd.AddCommand(bill, params)
	return cmd
}
