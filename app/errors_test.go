package app

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/moduleid"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/modules/database"
	"github.com/vsys/vsys/modules/token"
)

// TestResultCodesGolden pins every result code's codespace and number:
// clients test them, so a change here is a breaking change of the
// protocol. Within a codespace, codes are in order with no gaps; each
// module's codespace is its router name, in module id order.
func TestResultCodesGolden(t *testing.T) {
	golden := []string{
		"vsys 0 OK", "vsys 1 Malformed", "vsys 2 BadSignature", "vsys 3 WrongChain", "vsys 4 BadNonce",
		"vsys 5 InsufficientFee", "vsys 6 GasPriceTooLow", "vsys 7 GasLimit", "vsys 8 TxTooLarge",
		"vsys 9 OutOfGas", "vsys 10 UnknownContract", "vsys 11 UnknownMethod", "vsys 12 BadArgs",
		"vsys 13 InsufficientFunds", "vsys 14 Overflow", "vsys 15 CallDepth", "vsys 16 ReadOnly",
		"vsys 17 CallFailed", "vsys 18 TooManyWaiting", "vsys 19 MemoryBudget", "vsys 20 EventTooLarge",
		"vsys 21 Reentrancy", "vsys 22 HeightNotYet", "vsys 23 NoLedger", "vsys 24 DiskQuota", "vsys 25 NoVouchers",
		"token 1 UnknownToken", "token 2 TokenExists", "token 3 NotIssuer", "token 4 MaxSupply", "token 5 Invalid", "token 6 NotVoucher",
		"wasm 1 Unauthorized", "wasm 2 CodeNotFound", "wasm 3 ContractExists", "wasm 4 NotContract",
		"db 1 Schema", "db 2 TableExists", "db 3 NoTable", "db 4 Unauthorized", "db 5 Duplicate",
		"db 6 NotFound", "db 7 Row", "db 8 Query",
		"billing 1 Deposit", "billing 2 Quota",
		"staking 1 Invalid", "staking 2 Genesis", "staking 3 FundsAttached",
		"staking 4 NotMember", "staking 5 UnknownProposal", "staking 6 AlreadyVoted", "staking 7 LastValidator",
		"staking 8 TotalPower", "staking 9 AlreadyCandidate", "staking 10 UnknownCandidate",
		"staking 11 PubKeyInUse", "staking 12 UnknownLease", "staking 13 NotLessor",
		"interchain 1 ClientNotFound", "interchain 2 ConsensusNotFound", "interchain 3 CounterpartyNotFound",
		"interchain 4 Counterparty", "interchain 5 Unauthorized", "interchain 6 Timeout", "interchain 7 CommitmentMismatch",
		"interchain 8 ClientNotActive", "interchain 9 BadClientState", "interchain 10 BadConsensusState",
		"interchain 11 BadHeader", "interchain 12 TooLarge", "interchain 13 ChainID", "interchain 14 Height",
		"interchain 15 TrustedValidators", "interchain 16 HeaderFuture", "interchain 17 InsufficientPower",
		"interchain 18 Frozen", "interchain 19 Expired", "interchain 20 Misbehaviour", "interchain 21 NotMisbehaviour",
		"interchain 22 Proof", "interchain 23 Substitute", "interchain 24 InvalidPacket", "interchain 25 InvalidPayload",
		"interchain 26 InvalidAck", "interchain 27 TransferData", "interchain 28 TransferDenom", "interchain 29 TransferAck",
		"interchain 30 Callback", "interchain 31 MemoHook",
	}
	spaces := []string{Codespace}
	for _, m := range moduleid.Contracts() {
		spaces = append(spaces, m.Name)
	}
	var got []string
	next := map[string]uint32{Codespace: 0}
	space := 0
	for _, c := range Codes {
		if c.Codespace != spaces[space] {
			space++
			require.Less(t, space, len(spaces), "codespace %q out of module id order", c.Codespace)
			require.Equal(t, spaces[space], c.Codespace, "codespaces are grouped, in module id order")
			next[c.Codespace] = 1 // a module's codes start at 1: 0 is OK
		}
		require.Equal(t, next[c.Codespace], c.Code, "%s codes are in order, with no gaps", c.Codespace)
		next[c.Codespace]++
		got = append(got, fmt.Sprintf("%s %d %s", c.Codespace, c.Code, c.Name))
	}
	require.Equal(t, golden, got)
}

// TestCodeOfEverySentinel: every sentinel in the table maps to its own
// codespace and code, also when wrapped, and anything else is CallFailed.
func TestCodeOfEverySentinel(t *testing.T) {
	space, code := ResultOf(nil)
	require.Equal(t, "", space)
	require.Equal(t, CodeOK, code)
	for _, c := range Codes {
		if c.Err == nil {
			continue
		}
		space, code := ResultOf(fmt.Errorf("context: %w", c.Err))
		require.Equal(t, c.Codespace, space, c.Name)
		require.Equal(t, c.Code, code, c.Name)
		require.Equal(t, c.Code, CodeOf(fmt.Errorf("context: %w", c.Err)), c.Name)
	}
	space, code = ResultOf(errors.New("contract said no"))
	require.Equal(t, Codespace, space)
	require.Equal(t, CodeCallFailed, code)
	// An error wrapping a vsys sentinel and a module's gets the vsys code.
	space, code = ResultOf(fmt.Errorf("%w: %w", token.ErrUnknownToken, router.ErrBadArgs))
	require.Equal(t, Codespace, space)
	require.Equal(t, CodeBadArgs, code)
}

// TestEveryModuleSentinelHasACode reads each native module's source, and
// the router's, and requires every package-level sentinel (var ErrX =
// errors.New(...)) to have its row in Codes: in the module's codespace
// (token's ErrInsufficientFunds in vsys's), the router's in vsys. A
// module that adds an error without a code fails here instead of falling
// to CallFailed.
func TestEveryModuleSentinelHasACode(t *testing.T) {
	dirs := map[string]string{"modules/token": moduleid.NameToken, "modules/wasm": moduleid.NameWasm,
		"modules/database": moduleid.NameDatabase, "modules/billing": moduleid.NameBilling,
		"modules/staking": moduleid.NameStaking, "modules/interchain": moduleid.NameInterchain, "core/router": Codespace}
	require.Len(t, dirs, len(moduleid.Contracts())+1, "a module's directory is missing from this test")
	inTable := map[string]string{} // message → codespace
	for _, c := range Codes {
		if c.Err != nil {
			inTable[c.Err.Error()] = c.Codespace
		}
	}
	for dir, space := range dirs {
		files, err := filepath.Glob(filepath.Join("..", dir, "*.go"))
		require.NoError(t, err)
		var found int
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			for name, msg := range sentinels(t, f) {
				found++
				want := space
				if dir == "modules/token" && name == "ErrInsufficientFunds" {
					want = Codespace
				}
				require.Equal(t, want, inTable[msg], "%s.%s (%q) has no row in app.Codes", dir, name, msg)
			}
		}
		require.Positive(t, found, "no sentinels found in %s", dir)
	}
}

// sentinels returns the package-level `ErrX = errors.New("msg")` of a Go
// file, by name.
func sentinels(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(gotoken.NewFileSet(), path, nil, 0)
	require.NoError(t, err)
	out := map[string]string{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != gotoken.VAR {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if !strings.HasPrefix(n.Name, "Err") || i >= len(vs.Values) {
					continue
				}
				call, ok := vs.Values[i].(*ast.CallExpr)
				if !ok || len(call.Args) != 1 {
					continue
				}
				if sel, ok := call.Fun.(*ast.SelectorExpr); !ok || sel.Sel.Name != "New" {
					continue
				}
				lit, ok := call.Args[0].(*ast.BasicLit)
				require.True(t, ok, "%s: %s's message is not a literal", path, n.Name)
				msg, err := strconv.Unquote(lit.Value)
				require.NoError(t, err)
				out[n.Name] = msg
			}
		}
	}
	return out
}

// TestResultCodesDoc: the table in docs/transactions.md is Codes.
// VSYS_UPDATE_DOCS=1 rewrites it.
func TestResultCodesDoc(t *testing.T) {
	path := testkit.RepoPath(t, "docs/transactions.md")
	const begin, end = "<!-- result codes: generated from app.Codes -->\n", "<!-- end of result codes -->\n"
	var b strings.Builder
	b.WriteString(begin)
	b.WriteString("| codespace | code | name | meaning |\n|---|---|---|---|\n")
	for _, c := range Codes[1:] {
		fmt.Fprintf(&b, "| `%s` | %d | `%s` | %s |\n", c.Codespace, c.Code, c.Name, c.Meaning)
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

// TestResultsCarryTheirCodespace: real failures, through FinalizeBlock and
// a query, carry the codespace and code of the sentinel they wrap.
func TestResultsCarryTheirCodespace(t *testing.T) {
	h := newHarness(t)
	schema := database.Schema{Columns: []database.Column{{Name: "id", Type: "u64"}}, PrimaryKey: []string{"id"}}
	create := dbTx("create_table", database.CreateTableArgs{Name: "t", Schema: schema})
	first := h.sign(alice, 1_000_000, create)
	res := h.block(first, h.sign(alice, 1_000_000, create))
	require.Zero(t, res[0].Code, res[0].Log)
	require.Equal(t, [2]any{moduleid.NameDatabase, uint32(2)}, [2]any{res[1].Codespace, res[1].Code}, "TableExists: %s", res[1].Log)

	// CheckTx's refusals are the app's: vsys.
	check := h.check(first) // a replay
	require.Equal(t, [2]any{Codespace, CodeBadNonce}, [2]any{check.Codespace, check.Code}, check.Log)

	_, _, err := h.app.Call(context.Background(), 99, token.Address, "supply", nil, 1_000_000)
	space, code := ResultOf(err)
	require.Equal(t, [2]any{Codespace, CodeHeightNotYet}, [2]any{space, code}, "%v", err)
}
