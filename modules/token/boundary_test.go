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

// goFile is one parsed Go file of the repository.
type goFile struct {
	rel, dir string // path and folder, relative to the repository root, slash-separated
	test     bool
	fset     *token.FileSet
	f        *ast.File
}

// walkGo parses every Go file of the repository (skipping hidden, testdata
// and target folders) and hands it to fn.
func walkGo(t *testing.T, fn func(goFile)) {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	_, err = os.Stat(filepath.Join(root, "go.mod"))
	require.NoError(t, err, "repository root")
	fset := token.NewFileSet()
	var n int
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
		if !strings.HasSuffix(name, ".go") {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		n++
		rel = filepath.ToSlash(rel)
		fn(goFile{rel: rel, dir: filepath.ToSlash(filepath.Dir(rel)), test: strings.HasSuffix(name, "_test.go"), fset: fset, f: f})
		return nil
	})
	require.NoError(t, err)
	require.Greater(t, n, 100, "the walk found the repository's Go files")
}

// importName is the name file f uses for the package at path ("" if it
// does not import it).
func importName(f *ast.File, path string) string {
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == path {
			if imp.Name != nil {
				return imp.Name.Name
			}
			return filepath.Base(path)
		}
	}
	return ""
}

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
	walkGo(t, func(g goFile) {
		if g.test {
			return
		}
		for _, imp := range g.f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(g.dir, "core/") && strings.HasPrefix(p, repoModule+"/modules/") {
				t.Errorf("%s imports %s: core sits below the modules", g.rel, p)
			}
			if p == tokenImport && strings.HasPrefix(g.dir, "modules/") && g.dir != "modules/token" {
				t.Errorf("%s imports modules/token: modules reach balances through router.Ledger", g.rel)
			}
		}
		name := importName(g.f, tokenImport)
		if name == "" || g.dir == "app" {
			return
		}
		ast.Inspect(g.f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == name && sel.Sel.Name == "Genesis" {
					t.Errorf("%s: token.Genesis outside app/", g.fset.Position(sel.Pos()))
				}
			}
			return true
		})
	})
}

// consensusVars are package variables that are consensus constants
// (Go has no constant arrays): the modules' reserved addresses and the
// fee collector's. State lives under them, so nothing may assign them.
var consensusVars = map[string]bool{"Address": true, "FeeCollector": true}

// TestConsensusAddressesAreNeverAssigned: no code, tests included,
// assigns a module's Address or the FeeCollector, whether as pkg.Address
// from outside or as Address from inside its package.
func TestConsensusAddressesAreNeverAssigned(t *testing.T) {
	walkGo(t, func(g goFile) {
		imported := map[string]bool{}
		for _, imp := range g.f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(p, repoModule+"/") {
				imported[importName(g.f, p)] = true
			}
		}
		check := func(lhs ast.Expr) {
			switch e := lhs.(type) {
			case *ast.SelectorExpr:
				if x, ok := e.X.(*ast.Ident); ok && imported[x.Name] && consensusVars[e.Sel.Name] {
					t.Errorf("%s: assigns %s.%s", g.fset.Position(e.Pos()), x.Name, e.Sel.Name)
				}
			case *ast.Ident:
				if consensusVars[e.Name] {
					t.Errorf("%s: assigns %s", g.fset.Position(e.Pos()), e.Name)
				}
			case *ast.IndexExpr: // Address[0] = …
				if x, ok := e.X.(*ast.Ident); ok && consensusVars[x.Name] {
					t.Errorf("%s: assigns into %s", g.fset.Position(e.Pos()), x.Name)
				}
				if s, ok := e.X.(*ast.SelectorExpr); ok && consensusVars[s.Sel.Name] {
					t.Errorf("%s: assigns into %s", g.fset.Position(e.Pos()), s.Sel.Name)
				}
			}
		}
		ast.Inspect(g.f, func(n ast.Node) bool {
			if a, ok := n.(*ast.AssignStmt); ok && a.Tok != token.DEFINE {
				for _, lhs := range a.Lhs {
					check(lhs)
				}
			}
			return true
		})
	})
}
