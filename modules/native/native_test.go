package native_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/modules/native"
	"github.com/vsys/vsys/modules/token"
)

var (
	here    = address.Derive("native-test", []byte("contract"))
	caller  = address.Derive("native-test", []byte("caller"))
	errNope = errors.New("nope")
)

// Types of the test contract, covering every kind the type system has.
type (
	Inner struct {
		Flag bool
		Tags []string
	}
	AllArgs struct {
		B    bool
		U8   uint8
		U16  uint16
		U32  uint32
		U64  uint64
		I64  int64
		N    codec.U128
		S    string
		Raw  []byte
		To   address.Address
		List []uint64
		Opt  *string
		In   Inner
		Tag  uint32 `vsys:"renamed"`
		Skip string `vsys:"-"`
		priv int    //nolint:unused // unexported on purpose: the derived ABI must skip it
	}
	Pair struct {
		A, B uint64
	}
	SumEvent struct {
		Sum    uint64
		Caller address.Address
	}
	BadInt   struct{ N int }
	BadMap   struct{ M map[string]string }
	BadFloat struct{ F float64 }
)

const allArgsType = "struct{b:bool,u8:u8,u16:u16,u32:u32,u64:u64,i64:i64,n:u128,s:string,raw:bytes,to:address," +
	"list:list<u64>,opt:option<string>,in:struct{flag:bool,tags:list<string>},renamed:u32}"

func TestMethodABI(t *testing.T) {
	c := native.New("demo")
	native.Method(c, "all", "takes everything", false,
		func(*router.Context, AllArgs) (native.Empty, error) { return native.Empty{}, nil })
	native.Method(c, "add", "adds", true,
		func(_ *router.Context, p Pair) (uint64, error) { return p.A + p.B, nil })
	native.Method(c, "pairs", "", true,
		func(*router.Context, native.Empty) ([]Pair, error) { return nil, nil })
	native.Method(c, "maybe", "", true,
		func(*router.Context, native.Empty) (*address.Address, error) { return nil, nil })
	native.EventType[SumEvent](c, "sum")
	native.EventType[Pair](c, "pair")

	a := c.ABI()
	require.Equal(t, "demo", a.Name)
	require.NoError(t, a.Validate())
	tests := []struct {
		method, args, result string
		readOnly             bool
		doc                  string
	}{
		{"all", allArgsType, "struct{}", false, "takes everything"},
		{"add", "struct{a:u64,b:u64}", "u64", true, "adds"},
		{"pairs", "struct{}", "list<struct{a:u64,b:u64}>", true, ""},
		{"maybe", "struct{}", "option<address>", true, ""},
	}
	require.Len(t, a.Methods, len(tests))
	for i, tc := range tests {
		t.Run(tc.method, func(t *testing.T) {
			require.Equal(t, tc.method, a.Methods[i].Name, "methods keep their order")
			m, ok := a.Method(tc.method)
			require.True(t, ok)
			require.Equal(t, tc.args, m.Args.String())
			require.Equal(t, tc.result, m.Result.String())
			require.Equal(t, tc.readOnly, m.ReadOnly)
			require.Equal(t, tc.doc, m.Doc)
			// The type string parses back to the same type, so a client can
			// rebuild the ABI from its JSON.
			parsed, err := codec.ParseType(tc.args)
			require.NoError(t, err)
			require.True(t, parsed.Equal(m.Args))
		})
	}
	ev, ok := a.Event("sum")
	require.True(t, ok)
	require.Equal(t, "struct{sum:u64,caller:address}", ev.Type.String())
	_, ok = a.Event("nope")
	require.False(t, ok)
}

// The token module's ABI, as clients (CLI, JSON-RPC, other contracts) see it.
func TestTokenABI(t *testing.T) {
	const info = "struct{symbol:string,name:string,decimals:u8,max_supply:u128,supply:u128,issuer:address}"
	a := token.New().ABI()
	require.Equal(t, "token", a.Name)
	require.NoError(t, a.Validate())
	methods := []struct {
		name, args, result string
		readOnly           bool
	}{
		{"create", "struct{symbol:string,name:string,decimals:u8,max_supply:u128}", "string", false},
		{"issue", "struct{token:string,amount:u128}", "u128", false},
		{"send", "struct{token:string,to:address,amount:u128}", "struct{}", false},
		{"burn", "struct{token:string,amount:u128}", "u128", false},
		{"balance", "struct{address:address,token:string}", "u128", true},
		{"balances", "struct{address:address}", "list<struct{token:string,amount:u128}>", true},
		{"info", "struct{token:string}", info, true},
		{"supply", "struct{token:string}", "u128", true},
	}
	require.Len(t, a.Methods, len(methods))
	for _, tc := range methods {
		t.Run(tc.name, func(t *testing.T) {
			m, ok := a.Method(tc.name)
			require.True(t, ok)
			require.Equal(t, tc.args, m.Args.String())
			require.Equal(t, tc.result, m.Result.String())
			require.Equal(t, tc.readOnly, m.ReadOnly)
			require.NotEmpty(t, m.Doc)
		})
	}
	events := []struct{ name, typ string }{
		{"created", "struct{token:string,issuer:address,max_supply:u128}"},
		{"transfer", "struct{token:string,from:address,to:address,amount:u128}"},
		{"issued", "struct{token:string,account:address,amount:u128,supply:u128}"},
		{"burned", "struct{token:string,account:address,amount:u128,supply:u128}"},
	}
	require.Len(t, a.Events, len(events))
	for _, tc := range events {
		ev, ok := a.Event(tc.name)
		require.True(t, ok, tc.name)
		require.Equal(t, tc.typ, ev.Type.String(), tc.name)
	}
}

func TestBuildPanics(t *testing.T) {
	tests := []struct {
		name  string
		build func(c *native.Module)
		msg   string
	}{
		{"scalar args", func(c *native.Module) {
			native.Method(c, "m", "", false, func(*router.Context, uint64) (uint64, error) { return 0, nil })
		}, "native bad.m: args must be a struct"},
		{"list args", func(c *native.Module) {
			native.Method(c, "m", "", false, func(*router.Context, []Pair) (uint64, error) { return 0, nil })
		}, "args must be a struct"},
		{"pointer args", func(c *native.Module) {
			native.Method(c, "m", "", false, func(*router.Context, *Pair) (uint64, error) { return 0, nil })
		}, "args must be a struct"},
		{"int field in args", func(c *native.Module) {
			native.Method(c, "m", "", false, func(*router.Context, BadInt) (uint64, error) { return 0, nil })
		}, "native bad.m"},
		{"map field in args", func(c *native.Module) {
			native.Method(c, "m", "", false, func(*router.Context, BadMap) (uint64, error) { return 0, nil })
		}, "native bad.m"},
		{"int args", func(c *native.Module) {
			native.Method(c, "m", "", false, func(*router.Context, int) (uint64, error) { return 0, nil })
		}, "native bad.m"},
		{"int result", func(c *native.Module) {
			native.Method(c, "m", "", false, func(*router.Context, Pair) (int, error) { return 0, nil })
		}, "native bad.m"},
		{"float result", func(c *native.Module) {
			native.Method(c, "m", "", false, func(*router.Context, Pair) (BadFloat, error) { return BadFloat{}, nil })
		}, "native bad.m"},
		{"interface result", func(c *native.Module) {
			native.Method(c, "m", "", false, func(*router.Context, Pair) (any, error) { return nil, nil })
		}, "native bad.m"},
		{"int event", func(c *native.Module) { native.EventType[int](c, "ev") }, "native bad.ev"},
		{"map event", func(c *native.Module) { native.EventType[BadMap](c, "ev") }, "native bad.ev"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Panics(t, func() { tc.build(native.New("bad")) })
			c := native.New("bad")
			got := panicValue(func() { tc.build(c) })
			msg, ok := got.(string)
			require.True(t, ok, "panic value %v", got)
			require.Contains(t, msg, tc.msg)
			require.Empty(t, c.ABI().Methods, "a failed build adds nothing")
		})
	}
}

func panicValue(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

// A contract built with duplicate method names has an ABI that does not
// validate, and the router would check args against the first method
// while running the second's handler.
func TestDuplicateMethod(t *testing.T) {
	c := native.New("dup")
	native.Method(c, "m", "", false, func(*router.Context, Pair) (uint64, error) { return 0, nil })
	require.Panics(t, func() {
		native.Method(c, "m", "", false, func(*router.Context, native.Empty) (string, error) { return "", nil })
	})
}

// demo is a contract whose methods exercise the handler: decoding,
// results, errors and events.
func demo() *native.Module {
	c := native.New("demo")
	native.EventType[SumEvent](c, "sum")
	native.Method(c, "add", "", false, func(ctx *router.Context, p Pair) (uint64, error) {
		s := p.A + p.B
		return s, native.Emit(ctx, "sum", SumEvent{Sum: s, Caller: ctx.Caller})
	})
	native.Method(c, "echo", "", true, func(_ *router.Context, a AllArgs) (AllArgs, error) { return a, nil })
	native.Method(c, "fail", "", false, func(ctx *router.Context, p Pair) (uint64, error) {
		if err := native.Emit(ctx, "sum", SumEvent{Sum: p.A}); err != nil {
			return 0, err
		}
		return 99, errNope
	})
	native.Method(c, "badevent", "", false, func(ctx *router.Context, _ native.Empty) (native.Empty, error) {
		return native.Empty{}, native.Emit(ctx, "sum", map[string]int{})
	})
	native.Method(c, "maybe", "", false, func(ctx *router.Context, _ native.Empty) (*Pair, error) {
		return &Pair{1, 2}, nil
	})
	return c
}

func newRouter(t *testing.T, maxEvent int) (*router.Router, state.KV) {
	t.Helper()
	store := testkit.OpenStore(t)
	r := router.New(gas.DefaultCosts(), router.Limits{MaxCallDepth: 8, MaxEventBytes: maxEvent})
	r.Register("demo", here, demo())
	return r, store.Working()
}

func env() *router.Env {
	return &router.Env{Origin: caller, Gas: gas.NewMeter(1_000_000)}
}

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := codec.Marshal(v)
	require.NoError(t, err)
	return b
}

func TestCall(t *testing.T) {
	s := "hi"
	all := AllArgs{B: true, U8: 1, U16: 2, U32: 3, U64: 4, I64: -5, N: codec.MaxU128, S: "s", Raw: []byte{1, 2},
		To: caller, List: []uint64{7, 8}, Opt: &s, In: Inner{Flag: true, Tags: []string{"a"}}, Tag: 9}
	tests := []struct {
		name    string
		method  string
		args    []byte
		want    any
		wantErr error
	}{
		{"result encoded", "add", marshal(t, Pair{2, 3}), uint64(5), nil},
		{"every kind round-trips", "echo", marshal(t, all), all, nil},
		{"handler error, result dropped", "fail", marshal(t, Pair{1, 1}), nil, errNope},
		{"bad args", "add", marshal(t, uint64(1)), nil, router.ErrBadArgs},
		{"unknown", "sub", marshal(t, Pair{}), nil, router.ErrUnknownMethod},
		{"unencodable event", "badevent", marshal(t, native.Empty{}), nil, codec.ErrUnsupported},
		{"option result", "maybe", marshal(t, native.Empty{}), &Pair{1, 2}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, kv := newRouter(t, 1024)
			out, err := r.Call(env(), kv, caller, here, tc.method, tc.args, nil)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				require.Nil(t, out)
				return
			}
			require.NoError(t, err)
			require.Equal(t, marshal(t, tc.want), out)
		})
	}
}

// Contract.Call decodes args itself, so a contract called without the
// router's checks still rejects bad input before running the method.
func TestDirectCall(t *testing.T) {
	c := demo()
	tests := []struct {
		name    string
		method  string
		args    []byte
		wantErr error
	}{
		{"unknown method", "nope", nil, router.ErrUnknownMethod},
		{"nil args", "add", nil, router.ErrBadArgs},
		{"short args", "add", []byte{1, 2, 3}, router.ErrBadArgs},
		{"trailing byte", "add", append(marshal(t, Pair{1, 2}), 0), router.ErrBadArgs},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// No context: none of these may reach the method.
			out, err := c.Call(nil, tc.method, tc.args)
			require.ErrorIs(t, err, tc.wantErr)
			require.Nil(t, out)
		})
	}
}

func TestEmit(t *testing.T) {
	r, kv := newRouter(t, 1024)
	e := env()
	_, err := r.Call(e, kv, caller, here, "add", marshal(t, Pair{40, 2}), nil)
	require.NoError(t, err)
	require.Len(t, e.Events, 1)
	got := e.Events[0]
	require.Equal(t, here, got.Contract)
	require.Equal(t, "sum", got.Name)
	require.Equal(t, marshal(t, SumEvent{Sum: 42, Caller: caller}), got.Data)

	// The data is a value of the event's declared type.
	ev, ok := demo().ABI().Event(got.Name)
	require.True(t, ok)
	require.NoError(t, ev.Type.Validate(got.Data))
	var dec SumEvent
	require.NoError(t, codec.Unmarshal(got.Data, &dec))
	require.Equal(t, SumEvent{Sum: 42, Caller: caller}, dec)
	js, err := codec.ToJSON(ev.Type, got.Data)
	require.NoError(t, err)
	require.JSONEq(t, `{"sum":"42","caller":"`+caller.String()+`"}`, string(js))

	// A failing method's event is dropped.
	_, err = r.Call(e, kv, caller, here, "fail", marshal(t, Pair{1, 1}), nil)
	require.ErrorIs(t, err, errNope)
	require.Len(t, e.Events, 1)
}

func TestEmitLimit(t *testing.T) {
	// SumEvent encodes to 8 + 20 bytes.
	tests := []struct {
		limit   int
		wantErr error
	}{{28, nil}, {27, router.ErrEventTooLarge}}
	for _, tc := range tests {
		r, kv := newRouter(t, tc.limit)
		e := env()
		_, err := r.Call(e, kv, caller, here, "add", marshal(t, Pair{1, 2}), nil)
		require.ErrorIs(t, err, tc.wantErr, "limit %d", tc.limit)
		if tc.wantErr != nil {
			require.Empty(t, e.Events)
		}
	}
}

var _ router.Contract = (*native.Module)(nil)
