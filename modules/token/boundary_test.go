package token_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const (
	repoModule  = "github.com/vsys/vsys"
	tokenImport = repoModule + "/modules/token"
)

// TestOnlyTheBankWritesBalances checks the side doors stay shut, in the
// code as written: the token module's ledger is unexported (the type
// system keeps everyone else from it), and on top of that
//   - no other module imports modules/token: they reach balances through
//     the router.Ledger of their call or the router.Bank they were built
//     with;
//   - nothing in core/ imports modules/ (the interfaces live below them);
//   - outside modules/token only app/ calls token.Genesis, the one
//     function that writes balances on a state it is given.
//
// Test files are exempt: they set up and inspect state.
func TestOnlyTheBankWritesBalances(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	_, err = os.Stat(filepath.Join(root, "go.mod"))
	require.NoError(t, err, "repository root")

	var checked int
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "target") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(rel))
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		checked++
		tokenName := ""
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(dir, "core/") && strings.HasPrefix(p, repoModule+"/modules/") {
				t.Errorf("%s imports %s: core sits below the modules", rel, p)
			}
			if p != tokenImport {
				continue
			}
			if strings.HasPrefix(dir, "modules/") && dir != "modules/token" {
				t.Errorf("%s imports modules/token: modules reach balances through router.Ledger", rel)
			}
			tokenName = "token"
			if imp.Name != nil {
				tokenName = imp.Name.Name
			}
		}
		if tokenName == "" || dir == "app" {
			return nil
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == tokenName && sel.Sel.Name == "Genesis" {
				t.Errorf("%s: token.Genesis outside app/ (%s)", rel, fset.Position(sel.Pos()))
			}
			return true
		})
		return nil
	})
	require.NoError(t, err)
	require.Greater(t, checked, 100, "the walk found the repository's Go files")
}
