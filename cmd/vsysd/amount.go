package main

// Token amounts on the command line. A token's record gives its decimals:
// amounts are typed and printed in its display unit ("1.5GEM" is 150 of
// GEM's smallest unit when GEM has 2 decimals), exactly, as decimal
// strings — never floats. --base-units switches a command to integers in
// the smallest unit. JSON output (-o json) and JSON-RPC always carry the
// smallest unit.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/rpc/client"
)

// errAmount is the sentinel of every malformed amount.
var errAmount = errors.New("invalid amount")

// parseDecimal reads a decimal amount ("12", "1.5") of a token with
// decimals decimals into its smallest unit: digits, optionally a point and
// at most decimals fractional digits.
func parseDecimal(s string, decimals uint8) (codec.U128, error) {
	whole, frac, hasPoint := strings.Cut(s, ".")
	if whole == "" || (hasPoint && frac == "") || !allDigits(whole) || !allDigits(frac) {
		return codec.U128{}, fmt.Errorf("%w %q: want digits with an optional decimal point, such as 100 or 1.5", errAmount, s)
	}
	if len(frac) > int(decimals) {
		return codec.U128{}, fmt.Errorf("%w %q: the token has %d decimals, the amount has %d fractional digits", errAmount, s, decimals, len(frac))
	}
	x, err := codec.ParseU128(whole + frac + strings.Repeat("0", int(decimals)-len(frac)))
	if err != nil {
		return codec.U128{}, fmt.Errorf("%w %q: %v", errAmount, s, err)
	}
	return x, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// formatDecimal prints x of the smallest unit in the display unit, without
// trailing fractional zeros: 150 with 2 decimals is "1.5", 100 is "1".
func formatDecimal(x codec.U128, decimals uint8) string {
	s := x.String()
	if decimals == 0 {
		return s
	}
	d := int(decimals)
	if len(s) <= d {
		s = strings.Repeat("0", d-len(s)+1) + s
	}
	whole, frac := s[:len(s)-d], strings.TrimRight(s[len(s)-d:], "0")
	if frac == "" {
		return whole
	}
	return whole + "." + frac
}

// splitAmount splits "1.5GEM" into "1.5" and "GEM" ("" when no symbol).
func splitAmount(s string) (num, sym string) {
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	return s[:i], strings.TrimSpace(s[i:])
}

// addBaseUnitsFlag adds --base-units to cmd.
func addBaseUnitsFlag(cmd *cobra.Command, what string) {
	cmd.Flags().Bool("base-units", false, what+" integers in each token's smallest unit instead of decimal amounts in its display unit")
}

func baseUnits(cmd *cobra.Command) bool {
	b, _ := cmd.Flags().GetBool("base-units")
	return b
}

// decimalsCache holds the decimals of the tokens this process looked up:
// a token's decimals never change once it is created.
var decimalsCache = struct {
	sync.Mutex
	m map[string]uint8
}{m: map[string]uint8{}}

// tokenDecimals asks the node for the decimals of token sym.
func tokenDecimals(ctx context.Context, c *client.Client, sym string) (uint8, error) {
	decimalsCache.Lock()
	d, ok := decimalsCache.m[sym]
	decimalsCache.Unlock()
	if ok {
		return d, nil
	}
	res, err := c.Call(ctx, "token", "info", map[string]string{"token": sym}, 0)
	if err != nil {
		return 0, fmt.Errorf("token %s: %w", sym, err)
	}
	var info struct {
		Decimals uint8 `json:"decimals"`
	}
	if err := json.Unmarshal(res.Result, &info); err != nil {
		return 0, fmt.Errorf("token %s: decode info: %w", sym, err)
	}
	decimalsCache.Lock()
	decimalsCache.m[sym] = info.Decimals
	decimalsCache.Unlock()
	return info.Decimals, nil
}

// nativeSymbol is the chain's native coin.
func nativeSymbol(ctx context.Context, c *client.Client) (string, error) {
	st, err := c.Status(ctx)
	if err != nil {
		return "", err
	}
	return st.NativeToken, nil
}

// parseAmount reads "1.5" (the native coin) or "1.5GEM" in the token's
// display unit, or with --base-units an integer in its smallest unit.
func parseAmount(cmd *cobra.Command, c *client.Client, s string) (codec.U128, string, error) {
	num, sym := splitAmount(s)
	if num == "" {
		return codec.U128{}, "", fmt.Errorf("%w %q: want a number, optionally followed by a token symbol (100, 1.5GEM)", errAmount, s)
	}
	if sym == "" {
		var err error
		if sym, err = nativeSymbol(cmd.Context(), c); err != nil {
			return codec.U128{}, "", err
		}
	}
	if baseUnits(cmd) {
		if !allDigits(num) {
			return codec.U128{}, "", fmt.Errorf("%w %q: with --base-units, want an integer in the smallest unit", errAmount, s)
		}
		amt, err := codec.ParseU128(num)
		if err != nil {
			return codec.U128{}, "", fmt.Errorf("%w %q: %v", errAmount, s, err)
		}
		return amt, sym, nil
	}
	dec, err := tokenDecimals(cmd.Context(), c, sym)
	if err != nil {
		return codec.U128{}, "", err
	}
	amt, err := parseDecimal(num, dec)
	if err != nil {
		return codec.U128{}, "", fmt.Errorf("%w (%s has %d decimals; --base-units takes the smallest unit)", err, sym, dec)
	}
	return amt, sym, nil
}

// showAmount prints x of token sym for people: in the display unit, or
// with --base-units (or when the decimals cannot be read) in the smallest
// unit.
func showAmount(cmd *cobra.Command, c *client.Client, x codec.U128, sym string) string {
	if !baseUnits(cmd) {
		if dec, err := tokenDecimals(cmd.Context(), c, sym); err == nil {
			return formatDecimal(x, dec) + " " + sym
		}
	}
	return x.String() + " " + sym + " (smallest unit)"
}
