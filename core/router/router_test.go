// The tests live in router_test because they build their test contract
// with modules/native, which imports router.
package router_test

import (
	"errors"
	"fmt"
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

const coin = "VSYS"

var (
	alice    = address.Derive("router-test", []byte("alice"))
	bob      = address.Derive("router-test", []byte("bob"))
	probeAt  = address.Derive("router-test", []byte("probe"))
	wasmAt   = address.Derive("router-test", []byte("resolved"))
	errBoom  = errors.New("boom")
	testLims = router.Limits{MaxCallDepth: 4, MaxEventBytes: 64}
)

// Arguments and results of the probe contract.
type (
	KV       struct{ Key, Value string }
	KeyArgs  struct{ Key string }
	Levels   struct{ Levels uint64 }
	SizeArgs struct{ Size uint64 }
	Seen     struct {
		Caller address.Address
		Self   address.Address
		Origin address.Address
		Depth  uint64
		Funds  []router.Coin
		Height int64
	}
	NestedArgs struct {
		Method string
		Key    string
		Value  string
		Fail   bool // fail after the nested call
		Ignore bool // ignore the nested call's error
	}
	HoldArgs  struct{ Pages, Levels uint32 }
	PutEvent  struct{ Key, Value string }
	BlobEvent struct{ Data []byte }
)

// probe is a native test contract exercising every router path.
func probe() router.Contract {
	c := native.New("probe")
	native.EventType[PutEvent](c, "put")
	native.EventType[BlobEvent](c, "blob")
	put := func(ctx *router.Context, a KV) error {
		if err := ctx.Store().Set([]byte(a.Key), []byte(a.Value)); err != nil {
			return err
		}
		return native.Emit(ctx, "put", PutEvent(a))
	}
	native.Method(c, "put", "Store a value and emit put.", false,
		func(ctx *router.Context, a KV) (native.Empty, error) { return native.Empty{}, put(ctx, a) })
	native.Method(c, "fail", "Store a value, emit put, then fail.", false,
		func(ctx *router.Context, a KV) (native.Empty, error) {
			if err := put(ctx, a); err != nil {
				return native.Empty{}, err
			}
			return native.Empty{}, errBoom
		})
	native.Method(c, "get", "Read a value.", true,
		func(ctx *router.Context, a KeyArgs) (string, error) {
			v, err := ctx.Store().Get([]byte(a.Key))
			return string(v), err
		})
	native.Method(c, "sneak", "A read-only method that tries to write.", true,
		func(ctx *router.Context, a KV) (native.Empty, error) { return native.Empty{}, put(ctx, a) })
	native.Method(c, "seen", "Report the call's context.", false,
		func(ctx *router.Context, _ native.Empty) (Seen, error) {
			return Seen{Caller: ctx.Caller, Self: ctx.Self, Origin: ctx.Env.Origin, Depth: uint64(ctx.Depth()),
				Funds: ctx.Funds, Height: ctx.Env.Block.Height}, nil
		})
	native.Method(c, "reenter", "Call itself: refused, a running contract cannot be entered again.", false,
		func(ctx *router.Context, _ native.Empty) (native.Empty, error) {
			if err := put(ctx, KV{Key: "reenter", Value: "x"}); err != nil {
				return native.Empty{}, err
			}
			_, err := ctx.Call(ctx.Self, "get", mustMarshalPlain(KeyArgs{"k"}), nil)
			return native.Empty{}, err
		})
	native.Method(c, "recurse", "Write the depth, then call the probe of the next level Levels more times.", false,
		func(ctx *router.Context, a Levels) (uint64, error) {
			if err := put(ctx, KV{Key: fmt.Sprintf("depth%d", ctx.Depth()), Value: "x"}); err != nil {
				return 0, err
			}
			if a.Levels == 0 {
				return uint64(ctx.Depth()), nil
			}
			args, err := codec.Marshal(Levels{a.Levels - 1})
			if err != nil {
				return 0, err
			}
			out, err := ctx.Call(probeLevel(ctx.Depth()+1), "recurse", args, nil)
			if err != nil {
				return 0, err
			}
			var deepest uint64
			return deepest, codec.Unmarshal(out, &deepest)
		})
	native.Method(c, "nested", "Write outer, call Method on itself, maybe fail.", false,
		func(ctx *router.Context, a NestedArgs) (native.Empty, error) {
			if err := put(ctx, KV{Key: "outer", Value: a.Value}); err != nil {
				return native.Empty{}, err
			}
			args, err := codec.Marshal(KV{Key: a.Key, Value: a.Value})
			if err != nil {
				return native.Empty{}, err
			}
			if _, err := ctx.Call(probeLevel(ctx.Depth()+1), a.Method, args, nil); err != nil && !a.Ignore {
				return native.Empty{}, err
			}
			if a.Fail {
				return native.Empty{}, errBoom
			}
			return native.Empty{}, nil
		})
	native.Method(c, "hold", "Hold Pages of the memory budget while the probe of the next level holds as many, Levels more times.", false,
		func(ctx *router.Context, a HoldArgs) (uint64, error) {
			if err := ctx.AllocMemory(a.Pages); err != nil {
				return 0, err
			}
			defer ctx.FreeMemory(a.Pages)
			if a.Levels == 0 {
				return ctx.Env.MemoryPages(), nil
			}
			out, err := ctx.Call(probeLevel(ctx.Depth()+1), "hold", mustMarshalPlain(HoldArgs{a.Pages, a.Levels - 1}), nil)
			if err != nil {
				return 0, err
			}
			var most uint64
			return most, codec.Unmarshal(out, &most)
		})
	native.Method(c, "emit", "Emit a blob event of Size bytes.", false,
		func(ctx *router.Context, a SizeArgs) (native.Empty, error) {
			return native.Empty{}, native.Emit(ctx, "blob", BlobEvent{Data: make([]byte, a.Size)})
		})
	return c
}

type fixture struct {
	store *state.Store
	kv    state.KV
	r     *router.Router
}

// newFixture builds a router the way app.newRouter does (token module and
// the bank it moves funds with) plus the probe contract, on a real IAVL store with a
// native coin of which alice holds 1000.
func newFixture(t *testing.T, lims router.Limits) *fixture {
	t.Helper()
	store := testkit.OpenStore(t)
	r := router.New(gas.DefaultCosts(), lims)
	tok := token.New()
	r.Register("token", token.Address, tok)
	r.SetBank(tok)
	r.Register("probe", probeAt, probe())
	for d := 2; d <= 8; d++ { // one probe per level: a contract cannot call itself
		r.Register(fmt.Sprintf("probe%d", d), probeLevel(d), probe())
	}
	kv := store.Working()
	require.NoError(t, token.Genesis(kv, token.Info{Symbol: coin, Name: "V Systems", Decimals: 8, MaxSupply: codec.MaxU128},
		[]token.Allocation{{Address: alice, Amount: codec.NewU128(1000)}}))
	return &fixture{store: store, kv: kv, r: r}
}

func txEnv() *router.Env {
	return &router.Env{Block: router.Block{Height: 7, ChainID: "test"}, Origin: alice, Gas: gas.NewMeter(10_000_000)}
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := codec.Marshal(v)
	require.NoError(t, err)
	return b
}

// dump is every key and value of the working tree.
func dump(t *testing.T, kv state.KV) map[string]string {
	t.Helper()
	it, err := kv.Iterator(nil, nil, true)
	require.NoError(t, err)
	defer it.Close()
	m := map[string]string{}
	for ; it.Valid(); it.Next() {
		m[string(it.Key())] = string(it.Value())
	}
	require.NoError(t, it.Error())
	return m
}

// probeLevel is the probe that runs at call depth d (probeAt at 1).
func probeLevel(d int) address.Address {
	if d <= 1 {
		return probeAt
	}
	return address.Derive("router-test", []byte("probe"), []byte{byte(d)})
}

func mustMarshalPlain(v any) []byte {
	b, err := codec.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func (f *fixture) get(t *testing.T, key string) string {
	t.Helper()
	return f.getAt(t, probeAt, key)
}

func (f *fixture) getAt(t *testing.T, a address.Address, key string) string {
	t.Helper()
	v, err := f.kv.Get(append(router.StorePrefix(a), key...))
	require.NoError(t, err)
	return string(v)
}

func (f *fixture) balance(t *testing.T, a address.Address) uint64 {
	t.Helper()
	b, err := f.r.Bank().Ledger(f.kv).Balance(a, coin)
	require.NoError(t, err)
	require.Zero(t, b.Hi)
	return b.Lo
}

func TestLookup(t *testing.T) {
	f := newFixture(t, testLims)
	tests := []struct {
		name    string
		in      string
		want    address.Address
		wantErr error
	}{
		{"module name", "token", token.Address, nil},
		{"other name", "probe", probeAt, nil},
		{"bech32 of a module", token.Address.String(), token.Address, nil},
		{"bech32 of any account", bob.String(), bob, nil},
		{"unknown name", "bank", address.Address{}, address.ErrInvalid},
		{"bad checksum", bob.String()[:len(bob.String())-1] + "q", address.Address{}, address.ErrInvalid},
		{"empty", "", address.Address{}, address.ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := f.r.Lookup(tc.in)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
	names := map[string]address.Address{"token": token.Address, "probe": probeAt}
	for d := 2; d <= 8; d++ {
		names[fmt.Sprintf("probe%d", d)] = probeLevel(d)
	}
	require.Equal(t, names, f.r.Names())
}

func TestResolve(t *testing.T) {
	f := newFixture(t, testLims)
	c, err := f.r.Resolve(f.kv, token.Address)
	require.NoError(t, err)
	require.Equal(t, "token", c.ABI().Name)

	_, err = f.r.Resolve(f.kv, wasmAt)
	require.ErrorIs(t, err, router.ErrUnknownContract)

	// A resolver supplies non-native contracts; its errors are wrapped,
	// and it is not asked about native addresses.
	errDB := errors.New("db down")
	var asked []address.Address
	f.r.SetResolver(func(_ state.KV, a address.Address) (router.Contract, bool, error) {
		asked = append(asked, a)
		switch a {
		case wasmAt:
			return probe(), true, nil
		case bob:
			return nil, false, errDB
		}
		return nil, false, nil
	})
	c, err = f.r.Resolve(f.kv, wasmAt)
	require.NoError(t, err)
	require.Equal(t, "probe", c.ABI().Name)
	_, err = f.r.Resolve(f.kv, bob)
	require.ErrorIs(t, err, errDB)
	_, err = f.r.Resolve(f.kv, alice)
	require.ErrorIs(t, err, router.ErrUnknownContract)
	_, err = f.r.Resolve(f.kv, token.Address)
	require.NoError(t, err)
	require.Equal(t, []address.Address{wasmAt, bob, alice}, asked)

	// A resolved contract is called like a native one, with its own storage.
	_, err = f.r.Call(txEnv(), f.kv, alice, wasmAt, "put", mustMarshal(t, KV{"k", "v"}), nil)
	require.NoError(t, err)
	v, err := f.kv.Get(append(router.StorePrefix(wasmAt), 'k'))
	require.NoError(t, err)
	require.Equal(t, "v", string(v))
	require.Empty(t, f.get(t, "k"), "contracts do not share storage")
}

func TestStorePrefix(t *testing.T) {
	p := router.StorePrefix(token.Address)
	require.Len(t, p, 1+address.Len)
	require.Equal(t, byte('c'), p[0])
	require.Equal(t, token.Address[:], p[1:])
}

func TestCallErrors(t *testing.T) {
	good := mustMarshal(t, KV{"k", "v"})
	tests := []struct {
		name     string
		contract address.Address
		method   string
		args     []byte
		wantErr  error
		contains []string
	}{
		{"unknown contract", bob, "put", good, router.ErrUnknownContract, []string{bob.String()}},
		{"unknown method", probeAt, "steal", good, router.ErrUnknownMethod, []string{`"steal"`, "probe"}},
		{"method name is case-sensitive", probeAt, "Put", good, router.ErrUnknownMethod, []string{`"Put"`}},
		{"nil args", probeAt, "put", nil, router.ErrBadArgs, []string{"probe.put", "struct{key:string,value:string}"}},
		{"truncated args", probeAt, "put", good[:len(good)-1], router.ErrBadArgs, nil},
		{"trailing bytes", probeAt, "put", append(append([]byte{}, good...), 0), router.ErrBadArgs, nil},
		{"args of another method", probeAt, "put", mustMarshal(t, KeyArgs{"k"}), router.ErrBadArgs, nil},
		{"bad args to token", token.Address, "send", []byte{1, 2, 3}, router.ErrBadArgs, []string{"token.send"}},
		{"contract error", probeAt, "fail", good, errBoom, []string{"probe.fail"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, testLims)
			before := dump(t, f.kv)
			env := txEnv()
			out, err := f.r.Call(env, f.kv, alice, tc.contract, tc.method, tc.args, nil)
			require.ErrorIs(t, err, tc.wantErr)
			for _, s := range tc.contains {
				require.ErrorContains(t, err, s)
			}
			require.Nil(t, out)
			require.Empty(t, env.Events)
			require.Equal(t, before, dump(t, f.kv), "a failed call leaves state unchanged")
		})
	}
}

func TestCallWritesPersistOnlyOnSuccess(t *testing.T) {
	f := newFixture(t, testLims)
	env := txEnv()
	out, err := f.r.Call(env, f.kv, alice, probeAt, "put", mustMarshal(t, KV{"a", "1"}), nil)
	require.NoError(t, err)
	require.Equal(t, mustMarshal(t, native.Empty{}), out)
	require.Equal(t, "1", f.get(t, "a"))
	require.Equal(t, []router.Event{{Contract: probeAt, Name: "put", Data: mustMarshal(t, PutEvent{"a", "1"})}}, env.Events)

	before := dump(t, f.kv)
	_, err = f.r.Call(env, f.kv, alice, probeAt, "fail", mustMarshal(t, KV{"a", "2"}), nil)
	require.ErrorIs(t, err, errBoom)
	require.Equal(t, before, dump(t, f.kv))
	require.Equal(t, "1", f.get(t, "a"))
	require.Len(t, env.Events, 1, "the failed call's event is dropped, the earlier one kept")

	out, err = f.r.Call(env, f.kv, bob, probeAt, "get", mustMarshal(t, KeyArgs{"a"}), nil)
	require.NoError(t, err)
	require.Equal(t, mustMarshal(t, "1"), out)
}

func TestNestedCalls(t *testing.T) {
	tests := []struct {
		name       string
		args       NestedArgs
		wantErr    error
		wantOuter  string // value of "outer" after the call
		wantInner  string // value of "inner"
		wantEvents []string
	}{
		{"both succeed", NestedArgs{Method: "put", Key: "inner", Value: "v"}, nil, "v", "v", []string{"outer", "inner"}},
		{"inner fails", NestedArgs{Method: "fail", Key: "inner", Value: "v"}, errBoom, "", "", nil},
		{"inner fails, outer ignores it", NestedArgs{Method: "fail", Key: "inner", Value: "v", Ignore: true}, nil, "v", "", []string{"outer"}},
		{"outer fails after inner succeeded", NestedArgs{Method: "put", Key: "inner", Value: "v", Fail: true}, errBoom, "", "", nil},
		{"inner unknown method", NestedArgs{Method: "nope", Key: "inner", Value: "v"}, router.ErrUnknownMethod, "", "", nil},
		{"inner unknown method ignored", NestedArgs{Method: "nope", Key: "inner", Value: "v", Ignore: true}, nil, "v", "", []string{"outer"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, testLims)
			before := dump(t, f.kv)
			env := txEnv()
			_, err := f.r.Call(env, f.kv, alice, probeAt, "nested", mustMarshal(t, tc.args), nil)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				require.Equal(t, before, dump(t, f.kv))
			} else {
				require.NoError(t, err)
			}
			require.Equal(t, tc.wantOuter, f.get(t, "outer"))
			require.Equal(t, tc.wantInner, f.getAt(t, probeLevel(2), "inner"))
			var keys []string
			for _, ev := range env.Events {
				require.Contains(t, []address.Address{probeAt, probeLevel(2)}, ev.Contract)
				var pe PutEvent
				require.NoError(t, codec.Unmarshal(ev.Data, &pe))
				keys = append(keys, pe.Key)
			}
			require.Equal(t, tc.wantEvents, keys)
		})
	}
}

func TestCallContext(t *testing.T) {
	f := newFixture(t, testLims)
	env := txEnv()
	env.Origin = bob
	funds := []router.Coin{{Token: coin, Amount: codec.NewU128(5)}}
	out, err := f.r.Call(env, f.kv, alice, probeAt, "seen", mustMarshal(t, native.Empty{}), nil)
	require.NoError(t, err)
	var s Seen
	require.NoError(t, codec.Unmarshal(out, &s))
	require.Equal(t, Seen{Caller: alice, Self: probeAt, Origin: bob, Depth: 1, Funds: []router.Coin{}, Height: 7}, s)

	out, err = f.r.Call(env, f.kv, alice, probeAt, "seen", mustMarshal(t, native.Empty{}), funds)
	require.NoError(t, err)
	require.NoError(t, codec.Unmarshal(out, &s))
	require.Equal(t, funds, s.Funds)
}

func TestCallDepth(t *testing.T) {
	tests := []struct {
		levels  uint64 // nested calls below the top one
		wantErr bool
	}{
		{0, false},
		{1, false},
		{3, false}, // depth 4 == MaxCallDepth
		{4, true},  // depth 5
		{50, true},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.levels), func(t *testing.T) {
			f := newFixture(t, testLims)
			before := dump(t, f.kv)
			env := txEnv()
			out, err := f.r.Call(env, f.kv, alice, probeAt, "recurse", mustMarshal(t, Levels{tc.levels}), nil)
			if tc.wantErr {
				require.ErrorIs(t, err, router.ErrCallDepth)
				require.ErrorContains(t, err, fmt.Sprintf("depth %d, limit %d", testLims.MaxCallDepth+1, testLims.MaxCallDepth))
				require.Equal(t, before, dump(t, f.kv), "no level's writes survive")
				require.Empty(t, env.Events)
				return
			}
			require.NoError(t, err)
			var deepest uint64
			require.NoError(t, codec.Unmarshal(out, &deepest))
			require.Equal(t, tc.levels+1, deepest)
			for d := uint64(1); d <= deepest; d++ {
				require.Equal(t, "x", f.getAt(t, probeLevel(int(d)), fmt.Sprintf("depth%d", d)))
			}
			require.Len(t, env.Events, int(deepest))
		})
	}
}

// TestMemoryBudget: the pages every frame of a call stack holds add up
// against MaxCallMemoryPages, come back when a frame returns, and past the
// budget the call fails with ErrMemoryBudget and nothing it wrote stays.
func TestMemoryBudget(t *testing.T) {
	lims := testLims
	lims.MaxCallMemoryPages = 10
	f := newFixture(t, lims)
	env := txEnv()
	out, err := f.r.Call(env, f.kv, alice, probeAt, "hold", mustMarshal(t, HoldArgs{Pages: 3, Levels: 2}), nil)
	require.NoError(t, err)
	var most uint64
	require.NoError(t, codec.Unmarshal(out, &most))
	require.Equal(t, uint64(9), most, "three frames of 3 pages")
	require.Zero(t, env.MemoryPages(), "every frame gave its pages back")

	// Sequential calls reuse the budget; a fourth frame does not fit.
	_, err = f.r.Call(env, f.kv, alice, probeAt, "hold", mustMarshal(t, HoldArgs{Pages: 3, Levels: 2}), nil)
	require.NoError(t, err)
	before := dump(t, f.kv)
	_, err = f.r.Call(env, f.kv, alice, probeAt, "hold", mustMarshal(t, HoldArgs{Pages: 3, Levels: 3}), nil)
	require.ErrorIs(t, err, router.ErrMemoryBudget)
	require.ErrorContains(t, err, "3 more wasm pages with 9 held on the call stack, limit 10")
	require.Zero(t, env.MemoryPages())
	require.Equal(t, before, dump(t, f.kv))

	// The default budget is 64 MiB.
	env, g := txEnv(), newFixture(t, testLims)
	out, err = g.r.Call(env, g.kv, alice, probeAt, "hold", mustMarshal(t, HoldArgs{Pages: 256, Levels: 3}), nil)
	require.NoError(t, err)
	require.NoError(t, codec.Unmarshal(out, &most))
	require.Equal(t, uint64(router.DefaultMaxCallMemoryPages), most)
}

// TestReadOnlyCalls: a read-only method cannot change state or receive
// funds, whether the whole call is a query or the method runs inside a tx;
// a query cannot call a state-changing method at all.
func TestReadOnlyCalls(t *testing.T) {
	tests := []struct {
		name      string
		method    string
		funds     []router.Coin
		wantErr   error
		queryOnly bool
	}{
		{"read-only method", "get", nil, nil, false},
		{"state-changing method", "put", nil, router.ErrReadOnlyCall, true},
		{"read-only method that writes", "sneak", nil, state.ErrReadOnly, false},
		{"funds attached", "get", []router.Coin{{Token: coin, Amount: codec.NewU128(1)}}, router.ErrReadOnlyCall, false},
		{"token query", "", nil, nil, false},
	}
	for _, query := range []bool{true, false} {
		for _, tc := range tests {
			if tc.queryOnly && !query {
				continue
			}
			t.Run(fmt.Sprintf("%s/query=%v", tc.name, query), func(t *testing.T) {
				f := newFixture(t, testLims)
				require.NoError(t, f.kv.Set(append(router.StorePrefix(probeAt), 'k'), []byte("old")))
				before := dump(t, f.kv)
				env := txEnv()
				env.ReadOnly = query
				contract, method, args := probeAt, tc.method, mustMarshal(t, KV{"k", "v"})
				switch method {
				case "get":
					args = mustMarshal(t, KeyArgs{"k"})
				case "":
					contract, method, args = token.Address, "balance", mustMarshal(t, token.BalanceArgs{Address: alice, Token: coin})
				}
				out, err := f.r.Call(env, f.kv, address.Zero, contract, method, args, tc.funds)
				require.ErrorIs(t, err, tc.wantErr)
				require.Equal(t, before, dump(t, f.kv))
				require.Empty(t, env.Events)
				if tc.wantErr == nil {
					require.NotEmpty(t, out)
				}
			})
		}
	}
}

func TestEmitInReadOnlyCallIsIgnored(t *testing.T) {
	f := newFixture(t, testLims)
	env := txEnv()
	env.ReadOnly = true
	// Emit is a no-op in a read-only call (even past the size limit); the
	// read-only method's write is what fails.
	c := native.New("ro")
	native.Method(c, "ping", "", true, func(ctx *router.Context, _ native.Empty) (native.Empty, error) {
		return native.Empty{}, ctx.Emit("big", make([]byte, 1000))
	})
	f.r.Register("ro", wasmAt, c)
	_, err := f.r.Call(env, f.kv, alice, wasmAt, "ping", mustMarshal(t, native.Empty{}), nil)
	require.NoError(t, err)
	require.Empty(t, env.Events)
}

func TestEvents(t *testing.T) {
	tests := []struct {
		size    uint64
		wantErr error
	}{
		{0, nil},
		{60, nil}, // 4-byte length + 60 = limit
		{61, router.ErrEventTooLarge},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.size), func(t *testing.T) {
			f := newFixture(t, testLims)
			env := txEnv()
			_, err := f.r.Call(env, f.kv, alice, probeAt, "emit", mustMarshal(t, SizeArgs{tc.size}), nil)
			require.ErrorIs(t, err, tc.wantErr)
			if tc.wantErr != nil {
				require.Empty(t, env.Events)
				return
			}
			require.Len(t, env.Events, 1)
			require.Equal(t, "blob", env.Events[0].Name)
			require.Equal(t, probeAt, env.Events[0].Contract)
			require.Equal(t, mustMarshal(t, BlobEvent{Data: make([]byte, tc.size)}), env.Events[0].Data)
		})
	}
}

func TestGas(t *testing.T) {
	costs := gas.DefaultCosts()
	key, value := "key", "value"
	data := mustMarshal(t, PutEvent{key, value})
	// put: the call, one write of the contract-local key, one event.
	putGas := costs.CallBase +
		costs.WriteFlat + costs.WriteByte*uint64(len(key)+len(value)) +
		costs.EventFlat + costs.EventByte*uint64(len(data)+len("put"))

	tests := []struct {
		name    string
		limit   uint64
		wantErr error
	}{
		{"exact", putGas, nil},
		{"plenty", 10 * putGas, nil},
		{"one short", putGas - 1, gas.ErrOutOfGas},
		{"not even the call", costs.CallBase - 1, gas.ErrOutOfGas},
		{"call but not the write", costs.CallBase + costs.WriteFlat, gas.ErrOutOfGas},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, testLims)
			before := dump(t, f.kv)
			env := txEnv()
			env.Gas = gas.NewMeter(tc.limit)
			_, err := f.r.Call(env, f.kv, alice, probeAt, "put", mustMarshal(t, KV{key, value}), nil)
			require.ErrorIs(t, err, tc.wantErr)
			if tc.wantErr != nil {
				require.Equal(t, tc.limit, env.Gas.Used(), "running out pays the whole limit")
				require.Equal(t, before, dump(t, f.kv))
				require.Empty(t, env.Events)
				return
			}
			require.Equal(t, putGas, env.Gas.Used())
			require.Equal(t, value, f.get(t, key))
		})
	}

	t.Run("every call is charged", func(t *testing.T) {
		f := newFixture(t, testLims)
		for _, c := range []struct {
			contract address.Address
			method   string
			args     []byte
		}{
			{probeAt, "get", mustMarshal(t, KeyArgs{"k"})},
			{probeAt, "nope", nil},
			{bob, "get", nil},
			{token.Address, "supply", mustMarshal(t, token.TokenArgs{Token: coin})},
		} {
			env := txEnv()
			_, _ = f.r.Call(env, f.kv, alice, c.contract, c.method, c.args, nil)
			require.GreaterOrEqual(t, env.Gas.Used(), costs.CallBase, "%s", c.method)
		}
	})

	t.Run("nested calls pay CallBase each", func(t *testing.T) {
		f := newFixture(t, testLims)
		one, two := txEnv(), txEnv()
		_, err := f.r.Call(one, f.kv, alice, probeAt, "recurse", mustMarshal(t, Levels{0}), nil)
		require.NoError(t, err)
		_, err = f.r.Call(two, f.kv, alice, probeAt, "recurse", mustMarshal(t, Levels{1}), nil)
		require.NoError(t, err)
		require.Greater(t, two.Gas.Used(), one.Gas.Used()+costs.CallBase)
	})
}

func TestReentrancyRefused(t *testing.T) {
	f := newFixture(t, testLims)
	before := dump(t, f.kv)
	env := txEnv()
	_, err := f.r.Call(env, f.kv, alice, probeAt, "reenter", mustMarshal(t, native.Empty{}), nil)
	require.ErrorIs(t, err, router.ErrReentrancy)
	require.Equal(t, before, dump(t, f.kv))
}

func TestFunds(t *testing.T) {
	amt := func(n uint64) []router.Coin { return []router.Coin{{Token: coin, Amount: codec.NewU128(n)}} }
	tests := []struct {
		name      string
		method    string
		funds     []router.Coin
		wantErr   error
		wantAlice uint64
		wantProbe uint64
	}{
		{"no funds", "put", nil, nil, 1000, 0},
		{"some funds", "put", amt(300), nil, 700, 300},
		{"all funds", "put", amt(1000), nil, 0, 1000},
		{"two coins", "put", append(amt(1), amt(2)...), nil, 997, 3},
		{"more than balance", "put", amt(1001), token.ErrInsufficientFunds, 1000, 0},
		{"second coin overdraws", "put", append(amt(600), amt(600)...), token.ErrInsufficientFunds, 1000, 0},
		{"unknown token", "put", []router.Coin{{Token: "NOPE", Amount: codec.NewU128(1)}}, token.ErrUnknownToken, 1000, 0},
		{"call fails: funds return", "fail", amt(300), errBoom, 1000, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, testLims)
			before := dump(t, f.kv)
			_, err := f.r.Call(txEnv(), f.kv, alice, probeAt, tc.method, mustMarshal(t, KV{"k", "v"}), tc.funds)
			require.ErrorIs(t, err, tc.wantErr)
			if err != nil {
				require.Equal(t, before, dump(t, f.kv))
			}
			require.Equal(t, tc.wantAlice, f.balance(t, alice))
			require.Equal(t, tc.wantProbe, f.balance(t, probeAt))
		})
	}

	t.Run("no bank", func(t *testing.T) {
		f := newFixture(t, testLims)
		r := router.New(gas.DefaultCosts(), testLims)
		r.Register("probe", probeAt, probe())
		for d := 2; d <= 8; d++ { // one probe per level: a contract cannot call itself
			r.Register(fmt.Sprintf("probe%d", d), probeLevel(d), probe())
		}
		_, err := r.Call(txEnv(), f.kv, alice, probeAt, "put", mustMarshal(t, KV{"k", "v"}), amt(1))
		require.ErrorIs(t, err, router.ErrNoLedger)
		require.Equal(t, uint64(1000), f.balance(t, alice))
	})
}

func TestRouterCosts(t *testing.T) {
	c := gas.DefaultCosts()
	c.CallBase = 42
	r := router.New(c, testLims)
	require.Equal(t, uint64(42), r.Costs().CallBase)
	require.Equal(t, c.Hash(), r.Costs().Hash())
}

// The probe's ABI is what the router checks calls against.
func TestProbeABI(t *testing.T) {
	a := probe().ABI()
	require.NoError(t, a.Validate())
	m, ok := a.Method("put")
	require.True(t, ok)
	require.Equal(t, "struct{key:string,value:string}", m.Args.String())
}

// A call whose writes cannot be flushed to kv fails, and so its events
// must be dropped like those of any failed call.
func TestEventsDroppedWhenWriteFails(t *testing.T) {
	f := newFixture(t, testLims)
	env := txEnv()
	_, err := f.r.Call(env, state.NewReadOnly(f.kv), alice, probeAt, "put", mustMarshal(t, KV{"k", "v"}), nil)
	require.ErrorIs(t, err, state.ErrReadOnly)
	require.Empty(t, env.Events)
}

// TestMethodUnknownContract: looking a method up at an address that holds
// no contract is ErrUnknownContract (never ErrUnknownMethod); a contract
// without the method is ErrUnknownMethod.
func TestMethodUnknownContract(t *testing.T) {
	f := newFixture(t, testLims)
	_, _, err := f.r.Method(f.kv, alice, "balance")
	require.ErrorIs(t, err, router.ErrUnknownContract)
	require.NotErrorIs(t, err, router.ErrUnknownMethod)
	require.ErrorContains(t, err, alice.String())

	_, _, err = f.r.Method(f.kv, token.Address, "no_such_method")
	require.ErrorIs(t, err, router.ErrUnknownMethod)
	c, m, err := f.r.Method(f.kv, token.Address, "balance")
	require.NoError(t, err)
	require.Equal(t, "token", c.ABI().Name)
	require.Equal(t, "balance", m.Name)
}

var payerAt = address.Derive("router-test", []byte("payer"))

// PayArgs are the arguments of the payer contract's pay.
type PayArgs struct {
	To     address.Address
	Amount uint64
	Fail   bool // fail after paying
}

// payer reaches balances the only way a module can: Context.Ledger.
func payer() router.Contract {
	c := native.New("payer")
	pay := func(ctx *router.Context, a PayArgs) (native.Empty, error) {
		if err := ctx.Ledger().Transfer(ctx.Self, a.To, coin, codec.NewU128(a.Amount)); err != nil {
			return native.Empty{}, err
		}
		if a.Fail {
			return native.Empty{}, errBoom
		}
		return native.Empty{}, nil
	}
	native.Method(c, "pay", "Pay from the contract's own balance.", false, pay)
	native.Method(c, "pay_in_a_view", "The same, declared read-only.", true, pay)
	native.Method(c, "balance", "A balance, read through the ledger.", true,
		func(ctx *router.Context, a struct{ Of address.Address }) (codec.U128, error) {
			return ctx.Ledger().Balance(a.Of, coin)
		})
	native.Method(c, "note", "Write a key to the contract's store.", false,
		func(ctx *router.Context, a KV) (native.Empty, error) {
			return native.Empty{}, ctx.Store().Set([]byte(a.Key), []byte(a.Value))
		})
	native.Method(c, "raw", "Read a key unmetered, then try to write through the same store.", false,
		func(ctx *router.Context, a KV) (string, error) {
			v, err := ctx.UnmeteredStore().Get([]byte(a.Key))
			if err != nil {
				return "", err
			}
			return string(v), ctx.UnmeteredStore().Set([]byte(a.Key), []byte(a.Value))
		})
	return c
}

func (f *fixture) callPayer(t *testing.T, method string, args any, funds []router.Coin) error {
	t.Helper()
	_, err := f.r.Call(txEnv(), f.kv, alice, payerAt, method, mustMarshal(t, args), funds)
	return err
}

// TestContextLedger: a call's ledger moves coins on the call's state, so
// they move back when the call fails, and cannot move in a read-only call;
// reads work in both.
func TestContextLedger(t *testing.T) {
	f := newFixture(t, testLims)
	f.r.Register("payer", payerAt, payer())
	require.NoError(t, f.callPayer(t, "pay", PayArgs{To: bob}, []router.Coin{{Token: coin, Amount: codec.NewU128(100)}}))
	require.Equal(t, []uint64{900, 100, 0}, []uint64{f.balance(t, alice), f.balance(t, payerAt), f.balance(t, bob)})

	require.NoError(t, f.callPayer(t, "pay", PayArgs{To: bob, Amount: 30}, nil))
	require.Equal(t, []uint64{70, 30}, []uint64{f.balance(t, payerAt), f.balance(t, bob)})

	require.ErrorIs(t, f.callPayer(t, "pay", PayArgs{To: bob, Amount: 30, Fail: true}, nil), errBoom)
	require.Equal(t, []uint64{70, 30}, []uint64{f.balance(t, payerAt), f.balance(t, bob)}, "a failed call's transfer is reverted")

	require.ErrorIs(t, f.callPayer(t, "pay", PayArgs{To: bob, Amount: 71}, nil), token.ErrInsufficientFunds)

	// A read-only method reads balances but moves nothing, even when a tx
	// calls it.
	require.ErrorIs(t, f.callPayer(t, "pay_in_a_view", PayArgs{To: bob, Amount: 1}, nil), state.ErrReadOnly)
	env := &router.Env{Gas: gas.NewMeter(1_000_000), ReadOnly: true}
	out, err := f.r.Call(env, state.NewReadOnly(f.kv), address.Zero, payerAt, "balance", mustMarshal(t, struct{ Of address.Address }{bob}), nil)
	require.NoError(t, err)
	require.Equal(t, mustMarshal(t, codec.NewU128(30)), out)
	require.Equal(t, []uint64{70, 30}, []uint64{f.balance(t, payerAt), f.balance(t, bob)})
}

// TestNoBank: a call of a router nobody wired a bank into has a ledger
// that moves no coin and says why.
func TestNoBank(t *testing.T) {
	store, err := state.Open(t.TempDir(), state.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	r := router.New(gas.DefaultCosts(), testLims)
	r.Register("payer", payerAt, payer())
	require.Nil(t, r.Bank())
	_, err = r.Call(txEnv(), store.Working(), alice, payerAt, "pay", mustMarshal(t, PayArgs{To: bob}), nil)
	require.ErrorIs(t, err, router.ErrNoLedger) // attached funds: "no bank" in TestFunds
}

// TestUnmeteredStore: the contract's own store, read without gas and never
// written.
func TestUnmeteredStore(t *testing.T) {
	f := newFixture(t, testLims)
	f.r.Register("payer", payerAt, payer())
	require.NoError(t, f.callPayer(t, "note", KV{"k", "stored"}, nil))

	unmetered := txEnv()
	out, err := f.r.Call(unmetered, f.kv, alice, payerAt, "raw", mustMarshal(t, KV{"k", "overwritten"}), nil)
	require.ErrorIs(t, err, state.ErrReadOnly)
	require.Nil(t, out)
	require.Equal(t, "stored", f.getAt(t, payerAt, "k"))

	// Reading through UnmeteredStore costs what a call with no reads costs.
	idle := txEnv()
	_, err = f.r.Call(idle, f.kv, alice, payerAt, "raw", mustMarshal(t, KV{"absent", ""}), nil)
	require.Error(t, err) // the write is refused, whatever it is
	require.Equal(t, idle.Gas.Used(), unmetered.Gas.Used(), "a present key and an absent one cost the same: no read was metered")
}
