package wasm

import (
	"errors"
	"fmt"
)

// ErrInvalid is wrapped by every rejection of a module (as an *Error).
var ErrInvalid = errors.New("invalid wasm module")

// Error is a module rejection: where it was found and why. It wraps
// ErrInvalid.
type Error struct {
	// Section names the section being parsed ("" for the header).
	Section string
	// Func is the function index (imports included) of the body being
	// parsed, or -1 outside function bodies.
	Func int
	// Export is an export name of Func, if it has one.
	Export string
	// Offset is the byte offset in the uploaded code.
	Offset int
	// Reason says what is wrong.
	Reason string
}

// Error renders e.g. `wasm: function 12 (export "send") at code offset
// 0x3f1: float instruction f64.add`.
func (e *Error) Error() string {
	switch {
	case e.Func >= 0 && e.Export != "":
		return fmt.Sprintf("wasm: function %d (export %q) at code offset %#x: %s", e.Func, e.Export, e.Offset, e.Reason)
	case e.Func >= 0:
		return fmt.Sprintf("wasm: function %d at code offset %#x: %s", e.Func, e.Offset, e.Reason)
	case e.Section != "":
		return fmt.Sprintf("wasm: %s at offset %#x: %s", e.Section, e.Offset, e.Reason)
	}
	return fmt.Sprintf("wasm: at offset %#x: %s", e.Offset, e.Reason)
}

// Unwrap returns ErrInvalid.
func (e *Error) Unwrap() error { return ErrInvalid }
