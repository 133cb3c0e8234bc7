package state

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	dbm "github.com/cosmos/cosmos-db"

	"github.com/vsys/vsys/core/gas"
)

// model is the plain map every view is checked against.
type model map[string]string

func (m model) check(t *testing.T, kv KV, rng *rand.Rand, what string) {
	t.Helper()
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, err := kv.Get([]byte(k))
		if err != nil || string(v) != m[k] {
			t.Fatalf("%s: Get(%q) = %q, %v; want %q", what, k, v, err, m[k])
		}
	}
	if v, err := kv.Get([]byte("absent-key")); err != nil || v != nil {
		t.Fatalf("%s: absent key gave %q, %v", what, v, err)
	}
	for round := 0; round < 4; round++ {
		var start, end []byte
		if round > 0 {
			start = []byte(randKey(rng))
			end = []byte(randKey(rng))
			if bytes.Compare(start, end) > 0 {
				start, end = end, start
			}
		}
		var want []string
		for _, k := range keys {
			if inRange([]byte(k), start, end) {
				want = append(want, k)
			}
		}
		for _, asc := range []bool{true, false} {
			it, err := kv.Iterator(start, end, asc)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for ; it.Valid(); it.Next() {
				got = append(got, string(it.Key()))
				if string(it.Value()) != m[string(it.Key())] {
					t.Fatalf("%s: iterator value of %q = %q, want %q", what, it.Key(), it.Value(), m[string(it.Key())])
				}
			}
			it.Close()
			exp := append([]string(nil), want...)
			if !asc {
				for i, j := 0, len(exp)-1; i < j; i, j = i+1, j-1 {
					exp[i], exp[j] = exp[j], exp[i]
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(exp) {
				t.Fatalf("%s: iterate [%q,%q) asc=%v:\n got %v\nwant %v", what, start, end, asc, got, exp)
			}
		}
	}
}

func randKey(rng *rand.Rand) string {
	const alphabet = "ab\x00\xff"
	n := 1 + rng.Intn(4)
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rng.Intn(len(alphabet))]
	}
	return string(b)
}

// TestRandomOpsMirrorMap drives seeded random writes through every view
// layering and checks reads and iteration against a map, across commits
// and a reopen from disk.
func TestRandomOpsMirrorMap(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(42))
	m := model{}
	for round := 0; round < 30; round++ {
		// Layering for this round: tree, cache, cache over cache, prefix over cache.
		layer := round % 4
		base := s.Working()
		var view KV = base
		var flush []func() error
		var prefix []byte
		switch layer {
		case 1:
			c := NewCache(base)
			view, flush = c, []func() error{c.Write}
		case 2:
			c1 := NewCache(base)
			c2 := NewCache(c1)
			view, flush = c2, []func() error{c2.Write, c1.Write}
		case 3:
			c := NewCache(base)
			prefix = []byte("p/")
			view, flush = NewPrefix(c, prefix), []func() error{c.Write}
		}
		sub := model{}
		for k, v := range m {
			if bytes.HasPrefix([]byte(k), prefix) {
				sub[k[len(prefix):]] = v
			}
		}
		for i := 0; i < 150; i++ {
			k := randKey(rng)
			if rng.Intn(3) == 0 {
				if err := view.Delete([]byte(k)); err != nil {
					t.Fatal(err)
				}
				delete(sub, k)
			} else {
				v := fmt.Sprintf("v%d", rng.Intn(1000))
				if err := view.Set([]byte(k), []byte(v)); err != nil {
					t.Fatal(err)
				}
				sub[k] = v
			}
		}
		sub.check(t, view, rng, fmt.Sprintf("round %d layer %d before flush", round, layer))
		for _, f := range flush {
			if err := f(); err != nil {
				t.Fatal(err)
			}
		}
		for k := range m {
			if bytes.HasPrefix([]byte(k), prefix) {
				delete(m, k)
			}
		}
		for k, v := range sub {
			m[string(prefix)+k] = v
		}
		m.check(t, s.Working(), rng, fmt.Sprintf("round %d after flush", round))
		if round%3 == 2 {
			if _, _, err := s.Commit(); err != nil {
				t.Fatal(err)
			}
			at, err := s.At(0)
			if err != nil {
				t.Fatal(err)
			}
			m.check(t, at, rng, fmt.Sprintf("round %d committed view", round))
		}
	}
	if _, _, err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	version, hash := s.Version(), s.Hash()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if s2.Version() != version || !bytes.Equal(s2.Hash(), hash) {
		t.Fatalf("reopen: version %d hash %x, want %d %x", s2.Version(), s2.Hash(), version, hash)
	}
	m.check(t, s2.Working(), rng, "after reopen")
}

func memStore(t *testing.T) *Store {
	t.Helper()
	s, err := OpenDB(dbm.NewMemDB(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestDeterministicHash: the same writes in a different order through a
// cache give the same root, and a fixed set of writes gives a golden root.
func TestDeterministicHash(t *testing.T) {
	keys := []string{"alpha", "beta", "gamma", "delta", "epsilon", "zeta"}
	var hashes [][]byte
	for _, order := range [][]int{{0, 1, 2, 3, 4, 5}, {5, 3, 1, 0, 4, 2}} {
		s := memStore(t)
		c := NewCache(s.Working())
		for _, i := range order {
			must(t, c.Set([]byte(keys[i]), []byte("v-"+keys[i])))
		}
		if err := c.Write(); err != nil {
			t.Fatal(err)
		}
		h, v, err := s.Commit()
		if err != nil || v != 1 {
			t.Fatal(v, err)
		}
		hashes = append(hashes, h)
	}
	if !bytes.Equal(hashes[0], hashes[1]) {
		t.Fatalf("order changed the hash: %x vs %x", hashes[0], hashes[1])
	}
	const golden = "44ffedb75480aad08dc5dd8cfb8acf6d90a357486fa071703df988ffc70253b3"
	if got := hex.EncodeToString(hashes[0]); got != golden {
		t.Fatalf("root hash %s, want golden %s", got, golden)
	}
}

func TestVersionsAndReadOnly(t *testing.T) {
	s := memStore(t)
	w := s.Working()
	for v := 1; v <= 3; v++ {
		must(t, w.Set([]byte("k"), []byte(fmt.Sprint(v))))
		if _, _, err := s.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	for v := int64(1); v <= 3; v++ {
		at, err := s.At(v)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := at.Get([]byte("k"))
		if string(got) != fmt.Sprint(v) {
			t.Fatalf("version %d reads %q", v, got)
		}
		if err := at.Set([]byte("k"), []byte("x")); !errors.Is(err, ErrReadOnly) {
			t.Fatalf("write to a committed view: %v", err)
		}
	}
	if _, err := s.At(9); !errors.Is(err, ErrVersionNotFound) {
		t.Fatalf("missing version: %v", err)
	}
	if err := NewReadOnly(w).Delete([]byte("k")); !errors.Is(err, ErrReadOnly) {
		t.Fatal(err)
	}
	if err := w.Set(nil, []byte("x")); !errors.Is(err, ErrEmptyKey) {
		t.Fatal(err)
	}
	if err := NewCache(w).Set([]byte("k"), nil); !errors.Is(err, ErrNilValue) {
		t.Fatal(err)
	}
	if err := s.Prune(1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.At(1); !errors.Is(err, ErrVersionNotFound) {
		t.Fatalf("pruned version still readable: %v", err)
	}
	if _, err := s.At(3); err != nil {
		t.Fatalf("kept version: %v", err)
	}
}

// TestReadsDuringCommits opens and reads committed views from several
// goroutines while the main goroutine writes and commits (run with -race).
func TestReadsDuringCommits(t *testing.T) {
	s, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	w := s.Working()
	must(t, w.Set([]byte("counter"), []byte("0")))
	_, _, err = s.Commit()
	must(t, err)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				v := s.Version()
				at, err := s.At(v)
				if err != nil {
					errs <- err
					return
				}
				got, err := at.Get([]byte("counter"))
				if err != nil || string(got) != fmt.Sprint(v-1) {
					errs <- fmt.Errorf("version %d: counter %q, %v", v, got, err)
					return
				}
				it, err := at.Iterator(nil, nil, true)
				if err != nil {
					errs <- err
					return
				}
				n := 0
				for ; it.Valid(); it.Next() {
					n++
				}
				it.Close()
				if n != int(v)+200*min(1, int(v-1)) { // counter, one key per version after the first, the zz keys
					errs <- fmt.Errorf("version %d: %d keys", v, n)
					return
				}
			}
		}()
	}
	for i := 1; i <= 200; i++ {
		must(t, w.Set([]byte("counter"), []byte(fmt.Sprint(i))))
		must(t, w.Set([]byte(fmt.Sprintf("key-%04d", i)), []byte("x")))
		for j := 0; j < 200; j++ { // rewrite many shared nodes every version
			must(t, w.Set([]byte(fmt.Sprintf("zz-%03d", j)), []byte(fmt.Sprint(i))))
		}
		if _, _, err := s.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func TestGasKV(t *testing.T) {
	costs := gas.DefaultCosts()
	s := memStore(t)
	m := gas.NewMeter(1_000_000)
	kv := NewGasKV(s.Working(), m, &costs)
	must(t, kv.Set([]byte("ab"), []byte("xyz"))) // 2000 + 30*5 = 2150
	_, err := kv.Get([]byte("ab"))               // 100 + 3*2 + 3*3 = 115
	must(t, err)
	_, err = kv.Has([]byte("ab")) // 100 + 3*2 = 106
	must(t, err)
	it, _ := kv.Iterator(nil, nil, true) // one item: 30 + 3*5 = 45
	for ; it.Valid(); it.Next() {
	}
	it.Close()
	must(t, kv.Delete([]byte("ab"))) // 1000 + 30*2 = 1060
	if want := uint64(2150 + 115 + 106 + 45 + 1060); m.Used() != want {
		t.Fatalf("gas used %d, want %d", m.Used(), want)
	}
	small := gas.NewMeter(100)
	err = NewGasKV(s.Working(), small, &costs).Set([]byte("k"), []byte("v"))
	if !errors.Is(err, gas.ErrOutOfGas) {
		t.Fatalf("want out of gas, got %v", err)
	}
	if v, _ := s.Working().Get([]byte("k")); v != nil {
		t.Fatal("an out-of-gas write reached state")
	}
}

func TestPrefixEnd(t *testing.T) {
	cases := []struct{ in, want []byte }{
		{[]byte("a"), []byte("b")},
		{[]byte{1, 0xff}, []byte{2}},
		{[]byte{0xff, 0xff}, nil},
	}
	for _, c := range cases {
		if got := PrefixEnd(c.in); !bytes.Equal(got, c.want) {
			t.Errorf("PrefixEnd(%x) = %x, want %x", c.in, got, c.want)
		}
	}
}

func BenchmarkCommit10k(b *testing.B) {
	s, err := Open(b.TempDir(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for i := 0; i < b.N; i++ {
		c := NewCache(s.Working())
		for j := 0; j < 10_000; j++ {
			must(b, c.Set([]byte(fmt.Sprintf("acct-%08d", (i*7919+j*104729)%1_000_000)), []byte("0123456789abcdef")))
		}
		if err := c.Write(); err != nil {
			b.Fatal(err)
		}
		if _, _, err := s.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCacheGetSet(b *testing.B) {
	c := NewCache(NewCache(memKV{}))
	k, v := []byte("some-key-0001"), []byte("value")
	for i := 0; i < b.N; i++ {
		must(b, c.Set(k, v))
		_, err := c.Get(k)
		must(b, err)
	}
}

type memKV struct{}

func (memKV) Get([]byte) ([]byte, error)                     { return nil, nil }
func (memKV) Has([]byte) (bool, error)                       { return false, nil }
func (memKV) Set(_, _ []byte) error                          { return nil }
func (memKV) Delete([]byte) error                            { return nil }
func (memKV) Iterator(_, _ []byte, _ bool) (Iterator, error) { return nil, nil }

// must fails the test or benchmark on err, so a write the test relies on
// cannot fail unseen.
func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

// TestWriteBufferOption: Options.WriteBufferBytes reaches goleveldb. The
// same 1 MiB of state, committed with the hash it always has, stays in the
// memtable (no table file yet) under the default 4 MiB buffer and is
// written out as tables under a 64 KiB one.
func TestWriteBufferOption(t *testing.T) {
	var hashes [][]byte
	for _, c := range []struct {
		buffer     int
		wantTables bool
	}{{0, false}, {64 << 10, true}} {
		dir := t.TempDir()
		s, err := Open(dir, Options{WriteBufferBytes: c.buffer, BlockCacheBytes: 1 << 20, OpenFiles: 16})
		if err != nil {
			t.Fatal(err)
		}
		w := s.Working()
		for i := range 256 {
			must(t, w.Set([]byte(fmt.Sprintf("key-%04d", i)), bytes.Repeat([]byte{byte(i)}, 4096)))
		}
		h, _, err := s.Commit()
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, h)
		tables, err := filepath.Glob(filepath.Join(dir, "state.db", "*.ldb"))
		if err != nil {
			t.Fatal(err)
		}
		if got := len(tables) > 0; got != c.wantTables {
			t.Errorf("write buffer %d: %d table files, want tables: %v", c.buffer, len(tables), c.wantTables)
		}
		must(t, s.Close())
	}
	if !bytes.Equal(hashes[0], hashes[1]) {
		t.Fatalf("the write buffer changed the app hash: %x vs %x", hashes[0], hashes[1])
	}
}
