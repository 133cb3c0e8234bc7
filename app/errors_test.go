package app

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/internal/testkit"
)

// TestResultCodesGolden pins every result code's number: clients test
// them, so a change here is a breaking change of the protocol.
func TestResultCodesGolden(t *testing.T) {
	golden := []string{
		"0 OK", "1 Malformed", "2 BadSignature", "3 WrongChain", "4 BadNonce",
		"5 InsufficientFee", "6 GasPriceTooLow", "7 GasLimit", "8 TxTooLarge",
		"9 OutOfGas", "10 UnknownContract", "11 UnknownMethod", "12 BadArgs",
		"13 InsufficientFunds", "14 Overflow", "15 CallDepth", "16 ReadOnly",
		"17 CallFailed", "18 TooManyWaiting", "19 MemoryBudget",
	}
	var got []string
	for i, c := range Codes {
		require.EqualValues(t, i, c.Code, "Codes is in code order, with no gaps")
		got = append(got, fmt.Sprintf("%d %s", c.Code, c.Name))
	}
	require.Equal(t, golden, got)
}

// TestCodeOfEverySentinel: every sentinel in the table maps to its own
// code, also when wrapped, and anything else is CallFailed.
func TestCodeOfEverySentinel(t *testing.T) {
	require.Equal(t, CodeOK, CodeOf(nil))
	for _, c := range Codes {
		if c.Err == nil {
			continue
		}
		require.Equal(t, c.Code, CodeOf(fmt.Errorf("context: %w", c.Err)), c.Name)
	}
	require.Equal(t, CodeCallFailed, CodeOf(errors.New("contract said no")))
}

// TestResultCodesDoc: the table in docs/transactions.md is Codes.
// VSYS_UPDATE_DOCS=1 rewrites it.
func TestResultCodesDoc(t *testing.T) {
	path := testkit.RepoPath(t, "docs/transactions.md")
	const begin, end = "<!-- result codes: generated from app.Codes -->\n", "<!-- end of result codes -->\n"
	var b strings.Builder
	b.WriteString(begin)
	b.WriteString("| code | name | meaning |\n|---|---|---|\n")
	for _, c := range Codes[1:] {
		fmt.Fprintf(&b, "| %d | `%s` | %s |\n", c.Code, c.Name, c.Meaning)
	}
	b.WriteString(end)
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	doc := string(raw)
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	require.True(t, i >= 0 && j > i, "docs/transactions.md lacks the result-code markers")
	current := doc[i : j+len(end)]
	if os.Getenv("VSYS_UPDATE_DOCS") == "1" {
		require.NoError(t, os.WriteFile(path, []byte(doc[:i]+b.String()+doc[j+len(end):]), 0o644))
		return
	}
	require.Equal(t, b.String(), current, "docs/transactions.md's result codes are stale: VSYS_UPDATE_DOCS=1 go test -run TestResultCodesDoc ./app")
}
