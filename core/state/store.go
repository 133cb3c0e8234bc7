package state

import (
	"fmt"
	"path/filepath"
	"sync"

	dbm "github.com/cosmos/cosmos-db"
	"github.com/cosmos/iavl"
	iavldb "github.com/cosmos/iavl/db"
	"github.com/syndtr/goleveldb/leveldb/filter"
	"github.com/syndtr/goleveldb/leveldb/opt"
)

// Options configure a Store.
type Options struct {
	CacheSize      int    // IAVL node cache entries; default 100,000
	InitialVersion uint64 // first version of an empty tree; 0 or 1 = 1

	// The goleveldb database's memory (Open only); 0 keeps goleveldb's
	// default. They change when data reaches disk, never the tree or its
	// hash.
	WriteBufferBytes int // memtable size (default 4 MiB)
	BlockCacheBytes  int // cache of table blocks (default 8 MiB)
	OpenFiles        int // table files kept open (default 500)
}

// Store is the IAVL tree of one chain.
type Store struct {
	db   dbm.DB
	tree *iavl.MutableTree

	// mu orders commits against the opening of committed views; version
	// and hash are copies readable while a commit runs.
	mu sync.RWMutex
	// nodes guards IAVL nodes shared between the working tree and
	// committed views: the working tree's Set clones a saved node and
	// clears that node's child pointers, which views may be reading.
	// Working-tree writes and commits hold it exclusively, view reads
	// (every iterator step too) hold it shared.
	nodes   sync.RWMutex
	version int64
	hash    []byte
}

// Open opens (or creates) the goleveldb database "state" in dir and loads
// its latest version.
func Open(dir string, opts Options) (*Store, error) {
	// cosmos-db's NewGoLevelDB default (a bloom filter, which goleveldb
	// lacks by default), with the sizes of opts.
	lo := &opt.Options{
		Filter:      filter.NewBloomFilter(10),
		WriteBuffer: opts.WriteBufferBytes, BlockCacheCapacity: opts.BlockCacheBytes, OpenFilesCacheCapacity: opts.OpenFiles,
	}
	db, err := dbm.NewGoLevelDBWithOpts("state", filepath.Clean(dir), lo)
	if err != nil {
		return nil, fmt.Errorf("open state db in %s: %w", dir, err)
	}
	s, err := OpenDB(db, opts)
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// OpenDB opens a store over any cosmos-db database.
func OpenDB(db dbm.DB, opts Options) (*Store, error) {
	if opts.CacheSize <= 0 {
		opts.CacheSize = 100_000
	}
	var o []iavl.Option
	if opts.InitialVersion > 1 {
		o = append(o, iavl.InitialVersionOption(opts.InitialVersion))
	}
	tree := iavl.NewMutableTree(iavldb.NewWrapper(db), opts.CacheSize, true, iavl.NewNopLogger(), o...)
	if _, err := tree.Load(); err != nil {
		return nil, fmt.Errorf("load state tree: %w", err)
	}
	s := &Store{db: db, tree: tree}
	s.version, s.hash = tree.Version(), tree.Hash()
	return s, nil
}

// Version is the last committed version (0 if none).
func (s *Store) Version() int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.version
}

// Hash is the root hash of the last committed version.
func (s *Store) Hash() []byte {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.hash
}

// Working is the mutable working tree. Only the goroutine executing
// blocks may use it.
func (s *Store) Working() KV { return mutableKV{s} }

// WorkingHash is the root hash the working tree would commit to.
func (s *Store) WorkingHash() []byte { return s.tree.WorkingHash() }

// Commit saves the working tree as the next version. Readers are not
// stopped while a large block is written: SaveVersion only touches nodes
// the working tree created since the last commit, which no committed view
// can reach, and the node database locks itself. The new version becomes
// visible to At (and Version) only once it is wholly saved.
func (s *Store) Commit() ([]byte, int64, error) {
	hash, version, err := s.tree.SaveVersion()
	if err != nil {
		return nil, 0, fmt.Errorf("save version: %w", err)
	}
	s.mu.Lock()
	s.version, s.hash = version, hash
	s.mu.Unlock()
	return hash, version, nil
}

// Rollback discards uncommitted changes to the working tree.
func (s *Store) Rollback() {
	s.nodes.Lock()
	defer s.nodes.Unlock()
	s.tree.Rollback()
}

// At opens a read-only view of a committed version; version <= 0 means
// the latest. The view stays valid while the version is not pruned.
func (s *Store) At(version int64) (KV, error) {
	s.mu.RLock()
	latest := s.version
	s.mu.RUnlock()
	if version <= 0 {
		version = latest
	}
	if version == 0 || version > latest || !s.tree.VersionExists(version) {
		return nil, fmt.Errorf("%w: %d (latest %d, %s)", ErrVersionNotFound, version, latest, s.versionRange())
	}
	s.nodes.RLock()
	t, err := s.tree.GetImmutable(version)
	s.nodes.RUnlock()
	if err != nil {
		return nil, fmt.Errorf("open version %d: %w", version, err)
	}
	return immutableKV{t: t, nodes: &s.nodes}, nil
}

func (s *Store) versionRange() string {
	vs := s.tree.AvailableVersions()
	if len(vs) == 0 {
		return "none committed"
	}
	return fmt.Sprintf("versions %d..%d kept", vs[0], vs[len(vs)-1])
}

// Prune deletes versions older than the last keepRecent.
func (s *Store) Prune(keepRecent int64) error {
	if keepRecent <= 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	to := s.version - keepRecent
	if to < 1 {
		return nil
	}
	vs := s.tree.AvailableVersions()
	if len(vs) == 0 || int64(vs[0]) > to {
		return nil
	}
	s.nodes.Lock()
	defer s.nodes.Unlock()
	if err := s.tree.DeleteVersionsTo(to); err != nil {
		return fmt.Errorf("prune to %d: %w", to, err)
	}
	return nil
}

// Close closes the tree and its database.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.tree.Close()
	if cerr := s.db.Close(); err == nil {
		err = cerr
	}
	return err
}

// mutableKV is the working tree. Its reads need no lock: only the
// executing goroutine writes it, and views only read.
type mutableKV struct{ s *Store }

func (m mutableKV) Get(key []byte) ([]byte, error) { return m.s.tree.Get(key) }
func (m mutableKV) Has(key []byte) (bool, error)   { return m.s.tree.Has(key) }
func (m mutableKV) Set(key, value []byte) error {
	if err := checkSet(key, value); err != nil {
		return err
	}
	m.s.nodes.Lock()
	defer m.s.nodes.Unlock()
	_, err := m.s.tree.Set(key, value)
	return err
}
func (m mutableKV) Delete(key []byte) error {
	m.s.nodes.Lock()
	defer m.s.nodes.Unlock()
	_, _, err := m.s.tree.Remove(key)
	return err
}
func (m mutableKV) Iterator(start, end []byte, asc bool) (Iterator, error) {
	return m.s.tree.Iterator(start, end, asc)
}

// immutableKV is a committed version, read under the shared node lock.
type immutableKV struct {
	t     *iavl.ImmutableTree
	nodes *sync.RWMutex
}

func (m immutableKV) Get(key []byte) ([]byte, error) {
	m.nodes.RLock()
	defer m.nodes.RUnlock()
	return m.t.Get(key)
}
func (m immutableKV) Has(key []byte) (bool, error) {
	m.nodes.RLock()
	defer m.nodes.RUnlock()
	return m.t.Has(key)
}
func (immutableKV) Set(_, _ []byte) error { return ErrReadOnly }
func (immutableKV) Delete(_ []byte) error { return ErrReadOnly }
func (m immutableKV) Iterator(start, end []byte, asc bool) (Iterator, error) {
	m.nodes.RLock()
	defer m.nodes.RUnlock()
	it, err := m.t.Iterator(start, end, asc)
	if err != nil {
		return nil, err
	}
	return lockedIterator{Iterator: it, nodes: m.nodes}, nil
}

// lockedIterator takes the shared node lock for each step, never across
// the caller's loop, so a commit waits at most one step.
type lockedIterator struct {
	Iterator
	nodes *sync.RWMutex
}

func (it lockedIterator) Next() {
	it.nodes.RLock()
	defer it.nodes.RUnlock()
	it.Iterator.Next()
}

// HashAt returns the root hash of a committed version.
func (s *Store) HashAt(version int64) ([]byte, error) {
	kv, err := s.At(version)
	if err != nil {
		return nil, err
	}
	m := kv.(immutableKV)
	m.nodes.RLock()
	defer m.nodes.RUnlock()
	return m.t.Hash(), nil
}
