package state

import "errors"

// Sentinel errors callers test for.
var (
	ErrReadOnly        = errors.New("state is read-only")
	ErrNilValue        = errors.New("nil value")
	ErrEmptyKey        = errors.New("empty key")
	ErrVersionNotFound = errors.New("version not found")
)

// KV is the view every module and contract sees.
type KV interface {
	// Get returns the value, or nil (and no error) when the key is absent.
	Get(key []byte) ([]byte, error)
	Has(key []byte) (bool, error)
	// Set stores a non-nil value (empty is fine) under a non-empty key.
	Set(key, value []byte) error
	Delete(key []byte) error
	// Iterator walks [start, end) in key order; nil bounds are open.
	Iterator(start, end []byte, ascending bool) (Iterator, error)
}

// Iterator walks keys in order. Key and Value are valid until Next.
type Iterator interface {
	Valid() bool
	Next()
	Key() []byte
	Value() []byte
	Error() error
	Close() error
}

func checkSet(key, value []byte) error {
	if len(key) == 0 {
		return ErrEmptyKey
	}
	if value == nil {
		return ErrNilValue
	}
	return nil
}

// readOnly rejects writes.
type readOnly struct{ KV }

// NewReadOnly wraps parent so that writes return ErrReadOnly.
func NewReadOnly(parent KV) KV { return readOnly{parent} }

func (readOnly) Set(_, _ []byte) error { return ErrReadOnly }
func (readOnly) Delete(_ []byte) error { return ErrReadOnly }
