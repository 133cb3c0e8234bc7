package native

import (
	"fmt"
	"reflect"

	"github.com/vsys/vsys/core/abi"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/router"
)

type handler func(ctx *router.Context, args []byte) ([]byte, error)

// Module is a native module: a contract assembled with Method and EventType.
type Module struct {
	abi      abi.ABI
	handlers map[string]handler
}

// New starts a native contract called name.
func New(name string) *Module {
	return &Module{abi: abi.ABI{Name: name}, handlers: map[string]handler{}}
}

// ABI implements router.Contract.
func (c *Module) ABI() *abi.ABI { return &c.abi }

// Call implements router.Contract.
func (c *Module) Call(ctx *router.Context, method string, args []byte) ([]byte, error) {
	h, ok := c.handlers[method]
	if !ok {
		return nil, fmt.Errorf("%w %q", router.ErrUnknownMethod, method)
	}
	return h(ctx, args)
}

// Method adds a method whose args are the struct A and whose result is R.
// It panics on a Go type outside the type system: that is a programming
// error found at startup, never at run time.
func Method[A, R any](c *Module, name, doc string, readOnly bool, fn func(ctx *router.Context, args A) (R, error)) {
	if _, dup := c.handlers[name]; dup {
		panic(fmt.Sprintf("native %s: method %q defined twice", c.abi.Name, name))
	}
	at := mustType[A](c.abi.Name, name)
	if at.Kind != codec.KindStruct {
		panic(fmt.Sprintf("native %s.%s: args must be a struct", c.abi.Name, name))
	}
	c.abi.Methods = append(c.abi.Methods, abi.Method{
		Name: name, Args: at, Result: mustType[R](c.abi.Name, name), ReadOnly: readOnly, Doc: doc,
	})
	c.handlers[name] = func(ctx *router.Context, raw []byte) ([]byte, error) {
		var a A
		if err := codec.Unmarshal(raw, &a); err != nil {
			return nil, fmt.Errorf("%w: %v", router.ErrBadArgs, err)
		}
		r, err := fn(ctx, a)
		if err != nil {
			return nil, err
		}
		return codec.Marshal(r)
	}
}

// EventType declares an event whose data is the struct E.
func EventType[E any](c *Module, name string) {
	c.abi.Events = append(c.abi.Events, abi.Event{Name: name, Type: mustType[E](c.abi.Name, name)})
}

// Emit encodes ev and emits it as event name.
func Emit(ctx *router.Context, name string, ev any) error {
	b, err := codec.Marshal(ev)
	if err != nil {
		return fmt.Errorf("emit %s: %w", name, err)
	}
	return ctx.Emit(name, b)
}

func mustType[T any](contract, what string) *codec.Type {
	t, err := codec.TypeOfReflect(reflect.TypeOf((*T)(nil)).Elem())
	if err != nil {
		panic(fmt.Sprintf("native %s.%s: %v", contract, what, err))
	}
	return t
}

// Empty is the argument or result of a method that takes or returns nothing.
type Empty struct{}
