package wasm_test

// Tests of the contract lifecycle module on its own: a router wired as the
// app wires it (token, billing, wasm and its resolver) over a real IAVL
// store, real contracts from contracts/artifacts, and the real VM.

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/moduleid"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/modules/billing"
	"github.com/vsys/vsys/modules/token"
	"github.com/vsys/vsys/modules/wasm"
	"github.com/vsys/vsys/vm"
	wasmvm "github.com/vsys/vsys/vm/wasm"
)

const coin = "VSYS"

var (
	alice = address.Derive("wasm-module-test", []byte("alice"))
	bob   = address.Derive("wasm-module-test", []byte("bob"))
)

// fixture is the wasm module behind a router like the app's.
type fixture struct {
	t      *testing.T
	kv     state.KV
	r      *router.Router
	height int64
	events []router.Event // of the last call
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	store := testkit.OpenStore(t)
	v, err := vm.New(context.Background(), vm.Config{Schedule: wasmvm.DefaultSchedule()})
	require.NoError(t, err)
	t.Cleanup(func() { v.Close(context.Background()) })
	r := router.New(gas.DefaultCosts(), router.Limits{MaxCallDepth: 8, MaxEventBytes: 64 << 10})
	tok := token.New()
	r.Register(moduleid.NameToken, token.Address, tok)
	r.SetBank(tok)
	bill := billing.New(billing.DefaultParams(), coin, tok)
	r.Register(billing.Name, billing.Address, bill)
	r.SetBiller(bill)
	m := wasm.New(v)
	r.Register(wasm.Name, wasm.Address, m)
	r.SetResolver(m.Resolve)
	kv := store.Working()
	require.NoError(t, token.Genesis(kv, token.Info{Symbol: coin, Name: "V Systems", Decimals: 8, MaxSupply: codec.MaxU128},
		[]token.Allocation{{Address: alice, Amount: codec.NewU128(1_000_000_000)}, {Address: bob, Amount: codec.NewU128(1_000_000_000)}}))
	f := &fixture{t: t, kv: kv, r: r, height: 7}
	testkit.OnFailure(t, "state", func() string { return testkit.FormatDump(testkit.Dump(t, kv)) })
	return f
}

// call runs method of contract as caller (the tx's signer), with funds of
// the native coin, and decodes the result into out when it is not nil.
func (f *fixture) call(caller, contract address.Address, method string, args any, funds uint64, out any) error {
	f.t.Helper()
	env := &router.Env{Block: router.Block{Height: f.height, ChainID: "wasm-test"}, Origin: caller, Gas: gas.NewMeter(100_000_000)}
	var coins []router.Coin
	if funds > 0 {
		coins = []router.Coin{{Token: coin, Amount: codec.NewU128(funds)}}
	}
	res, err := f.r.Call(env, f.kv, caller, contract, method, testkit.Marshal(f.t, args), coins)
	f.events = env.Events
	if err == nil && out != nil {
		require.NoError(f.t, codec.Unmarshal(res, out))
	}
	return err
}

// query runs a read-only method.
func (f *fixture) query(contract address.Address, method string, args, out any) error {
	f.t.Helper()
	env := &router.Env{Block: router.Block{Height: f.height}, Gas: gas.NewMeter(100_000_000), ReadOnly: true}
	res, err := f.r.Call(env, f.kv, address.Zero, contract, method, testkit.Marshal(f.t, args), nil)
	if err == nil {
		require.NoError(f.t, codec.Unmarshal(res, out))
	}
	return err
}

func (f *fixture) upload(caller address.Address, code []byte) []byte {
	f.t.Helper()
	var hash []byte
	require.NoError(f.t, f.call(caller, wasm.Address, "upload", wasm.UploadArgs{Code: code}, 0, &hash))
	return hash
}

func (f *fixture) instantiate(caller address.Address, hash []byte, label string, admin *address.Address, init any) address.Address {
	f.t.Helper()
	var c address.Address
	require.NoError(f.t, f.call(caller, wasm.Address, "instantiate",
		wasm.InstantiateArgs{CodeHash: hash, Label: label, Admin: admin, Args: testkit.Marshal(f.t, init)}, 1_000_000, &c))
	return c
}

func (f *fixture) balance(a address.Address) codec.U128 {
	f.t.Helper()
	b, err := f.r.Bank().Ledger(f.kv).Balance(a, coin)
	require.NoError(f.t, err)
	return b
}

func (f *fixture) eventTypes() []string {
	var out []string
	for _, e := range f.events {
		out = append(out, e.Name)
	}
	return out
}

type counterInit struct{ Start uint64 }
type counterBy struct{ By uint64 }

// TestUploadRecordsCode: upload returns the code's sha256, records who
// uploaded it, its size and height, serves its ABI through code_info,
// bills the uploader for the bytes, and stores identical code once.
func TestUploadRecordsCode(t *testing.T) {
	f := newFixture(t)
	code := testkit.Artifact(t, "counter")
	before := f.balance(alice)
	hash := f.upload(alice, code)
	want := sha256.Sum256(code)
	require.Equal(t, want[:], hash)
	require.Equal(t, []string{"uploaded"}, f.eventTypes())

	var view wasm.CodeView
	require.NoError(t, f.query(wasm.Address, "code_info", wasm.CodeArgs{CodeHash: hash}, &view))
	require.Equal(t, wasm.CodeInfo{Hash: hash, Creator: alice, Size: uint32(len(code)), Height: 7}, view.Info)
	var abi struct {
		Methods []struct{ Name string }
	}
	require.NoError(t, json.Unmarshal([]byte(view.ABI), &abi))
	var names []string
	for _, m := range abi.Methods {
		names = append(names, m.Name)
	}
	require.Contains(t, names, "increment")
	require.Contains(t, names, "get")

	bill, err := billing.ReadBill(f.kv, alice)
	require.NoError(t, err)
	require.Greater(t, bill.Bytes, uint64(len(code)), "the uploader pays for the code and its record")
	require.Equal(t, codec.NewU128(bill.Bytes), bill.Deposit, "1 unit a byte by default")
	paid, _ := before.Sub(f.balance(alice))
	require.Equal(t, bill.Deposit, paid, "the deposit leaves the uploader's balance")

	// The same code again: the same hash, nothing more stored or billed.
	dump := testkit.Dump(t, f.kv)
	f.height++
	require.Equal(t, hash, f.upload(bob, code))
	require.Equal(t, dump, testkit.Dump(t, f.kv), "identical code is stored once")
	require.NoError(t, f.query(wasm.Address, "code_info", wasm.CodeArgs{CodeHash: hash}, &view))
	require.Equal(t, alice, view.Info.Creator, "the first uploader stays the creator")
}

// TestUploadRejectsBadCode: code that is not valid wasm, or uses floats,
// is refused with an error and leaves the state as it was.
func TestUploadRejectsBadCode(t *testing.T) {
	f := newFixture(t)
	dump := testkit.Dump(t, f.kv)
	for name, code := range map[string][]byte{
		"not wasm": []byte("hello"),
		"empty":    nil,
		"float":    []byte("\x00asm\x01\x00\x00\x00\x01\x05\x01\x60\x00\x01\x7D"), // a type returning f32
	} {
		err := f.call(alice, wasm.Address, "upload", wasm.UploadArgs{Code: code}, 0, nil)
		require.Error(t, err, name)
		require.Contains(t, err.Error(), "upload", name)
		require.Equal(t, dump, testkit.Dump(t, f.kv), "%s: a refused upload writes nothing", name)
	}
	var view wasm.CodeView
	err := f.query(wasm.Address, "code_info", wasm.CodeArgs{CodeHash: make([]byte, 32)}, &view)
	require.ErrorIs(t, err, wasm.ErrCodeNotFound)
}

// TestUploadReadOnly: a read-only call (vsys_call) cannot upload.
func TestUploadReadOnly(t *testing.T) {
	f := newFixture(t)
	var hash []byte
	err := f.query(wasm.Address, "upload", wasm.UploadArgs{Code: testkit.Artifact(t, "counter")}, &hash)
	require.Error(t, err)
	require.Empty(t, hash)
}

// TestInstantiateRunsInitAndFunds: instantiate derives the address from
// creator, code and label, runs init with the args (the signer locks the
// deposit for init's writes), records the contract, hands the attached
// funds to it, and the router then reaches the contract by address.
func TestInstantiateRunsInitAndFunds(t *testing.T) {
	f := newFixture(t)
	hash := f.upload(alice, testkit.Artifact(t, "counter"))
	c := f.instantiate(alice, hash, "one", &alice, counterInit{Start: 5})
	require.Equal(t, address.Derive("wasm/contract", alice[:], hash, []byte("one")), c)
	require.Equal(t, []string{"instantiated"}, f.eventTypes())

	var info wasm.ContractInfo
	require.NoError(t, f.query(wasm.Address, "contract_info", wasm.ContractArgs{Contract: c}, &info))
	require.Equal(t, wasm.ContractInfo{Address: c, CodeHash: hash, Admin: &alice, Label: "one", Creator: alice, Created: 7}, info)

	bill, err := billing.ReadBill(f.kv, c)
	require.NoError(t, err)
	require.NotZero(t, bill.Bytes, "init's writes are the contract's")
	require.Equal(t, codec.NewU128(1_000_000), f.balance(c), "the attached funds are the contract's")
	signer, err := billing.ReadBill(f.kv, alice)
	require.NoError(t, err)
	require.Equal(t, bill.Deposit, signer.Funded, "the signer locked the deposit for init's writes")
	require.Zero(t, f.balance(wasm.Address).Lo, "nothing stays with the module")

	var n uint64
	require.NoError(t, f.query(c, "get", struct{}{}, &n))
	require.Equal(t, uint64(5), n)
	require.NoError(t, f.call(bob, c, "increment", counterBy{By: 3}, 0, &n))
	require.Equal(t, uint64(8), n)
}

// TestInstantiateErrors: unknown code, a reused label, init args for code
// without init and args init cannot decode are refused, and leave the
// state as it was.
func TestInstantiateErrors(t *testing.T) {
	f := newFixture(t)
	counter := f.upload(alice, testkit.Artifact(t, "counter"))
	f.instantiate(alice, counter, "taken", nil, counterInit{Start: 1})
	adversarial := f.upload(alice, testkit.Artifact(t, "adversarial"))
	dump := testkit.Dump(t, f.kv)
	cases := []struct {
		name string
		args wasm.InstantiateArgs
		want error
		msg  string
	}{
		{"unknown code", wasm.InstantiateArgs{CodeHash: make([]byte, 32), Label: "x"}, wasm.ErrCodeNotFound, ""},
		{"short hash", wasm.InstantiateArgs{CodeHash: []byte{1}, Label: "x"}, wasm.ErrCodeNotFound, ""},
		{"label reused", wasm.InstantiateArgs{CodeHash: counter, Label: "taken", Args: testkit.Marshal(t, counterInit{Start: 1})}, wasm.ErrContractExists, `label "taken"`},
		{"args without init", wasm.InstantiateArgs{CodeHash: adversarial, Label: "x", Args: []byte{1}}, router.ErrBadArgs, "no init entry point"},
		{"bad init args", wasm.InstantiateArgs{CodeHash: counter, Label: "y", Args: []byte{1}}, nil, "init"},
	}
	for _, c := range cases {
		err := f.call(alice, wasm.Address, "instantiate", c.args, 1_000_000, nil)
		require.Error(t, err, c.name)
		if c.want != nil {
			require.ErrorIs(t, err, c.want, c.name)
		}
		require.Contains(t, err.Error(), c.msg, c.name)
		require.Equal(t, dump, testkit.Dump(t, f.kv), "%s: nothing changes", c.name)
	}
	// Another creator may use the same label: the address differs.
	other := f.instantiate(bob, counter, "taken", nil, counterInit{Start: 1})
	require.NotEqual(t, address.Derive("wasm/contract", alice[:], counter, []byte("taken")), other)
}

// TestMigrateAdminOnly: only the admin migrates, to code that exists; the
// new code's migrate entry runs, the state stays, and a contract whose
// admin was dropped can never migrate again.
func TestMigrateAdminOnly(t *testing.T) {
	f := newFixture(t)
	counter := f.upload(alice, testkit.Artifact(t, "counter"))
	c := f.instantiate(alice, counter, "m", &alice, counterInit{Start: 40})
	fixed := f.instantiate(alice, counter, "fixed", nil, counterInit{Start: 1})
	require.NoError(t, f.call(bob, c, "increment", counterBy{By: 2}, 0, nil))

	require.ErrorIs(t, f.call(bob, wasm.Address, "migrate", wasm.MigrateArgs{Contract: c, CodeHash: counter}, 0, nil), wasm.ErrUnauthorized)
	require.ErrorIs(t, f.call(alice, wasm.Address, "migrate", wasm.MigrateArgs{Contract: fixed, CodeHash: counter}, 0, nil), wasm.ErrUnauthorized,
		"no admin: immutable")
	require.ErrorIs(t, f.call(alice, wasm.Address, "migrate", wasm.MigrateArgs{Contract: c, CodeHash: make([]byte, 32)}, 0, nil), wasm.ErrCodeNotFound)
	require.ErrorIs(t, f.call(alice, wasm.Address, "migrate", wasm.MigrateArgs{Contract: bob, CodeHash: counter}, 0, nil), wasm.ErrNotContract)

	var version uint32
	require.NoError(t, f.query(c, "version", struct{}{}, &version))
	require.Equal(t, uint32(1), version)
	f.height++
	require.NoError(t, f.call(alice, wasm.Address, "migrate", wasm.MigrateArgs{Contract: c, CodeHash: counter}, 0, nil))
	require.Equal(t, []string{"migrated"}, f.eventTypes())
	require.NoError(t, f.query(c, "version", struct{}{}, &version))
	require.Equal(t, uint32(2), version, "the migrate entry ran")
	var n uint64
	require.NoError(t, f.query(c, "get", struct{}{}, &n))
	require.Equal(t, uint64(42), n, "migration keeps the state")

	// Migrating to other code changes the record's code hash.
	other := f.upload(alice, testkit.Artifact(t, "adversarial"))
	require.NoError(t, f.call(alice, wasm.Address, "migrate", wasm.MigrateArgs{Contract: c, CodeHash: other}, 0, nil))
	var info wasm.ContractInfo
	require.NoError(t, f.query(wasm.Address, "contract_info", wasm.ContractArgs{Contract: c}, &info))
	require.Equal(t, other, info.CodeHash)
	require.Equal(t, uint64(7), info.Created, "the creation height stays")
}

// TestUpdateAdmin: the admin hands the contract to another admin, who may
// then migrate it; dropping the admin makes it immutable; nobody else may
// change the admin.
func TestUpdateAdmin(t *testing.T) {
	f := newFixture(t)
	counter := f.upload(alice, testkit.Artifact(t, "counter"))
	c := f.instantiate(alice, counter, "a", &alice, counterInit{Start: 1})
	require.ErrorIs(t, f.call(bob, wasm.Address, "update_admin", wasm.UpdateAdminArgs{Contract: c, Admin: &bob}, 0, nil), wasm.ErrUnauthorized)
	require.NoError(t, f.call(alice, wasm.Address, "update_admin", wasm.UpdateAdminArgs{Contract: c, Admin: &bob}, 0, nil))
	require.ErrorIs(t, f.call(alice, wasm.Address, "migrate", wasm.MigrateArgs{Contract: c, CodeHash: counter}, 0, nil), wasm.ErrUnauthorized,
		"the old admin lost the right")
	require.NoError(t, f.call(bob, wasm.Address, "migrate", wasm.MigrateArgs{Contract: c, CodeHash: counter}, 0, nil))
	require.NoError(t, f.call(bob, wasm.Address, "update_admin", wasm.UpdateAdminArgs{Contract: c}, 0, nil))
	var info wasm.ContractInfo
	require.NoError(t, f.query(wasm.Address, "contract_info", wasm.ContractArgs{Contract: c}, &info))
	require.Nil(t, info.Admin)
	require.ErrorIs(t, f.call(bob, wasm.Address, "update_admin", wasm.UpdateAdminArgs{Contract: c, Admin: &bob}, 0, nil), wasm.ErrUnauthorized)
}

// TestContractInfoUnknown: contract_info of an address that is no
// contract, and a call to it, say so.
func TestContractInfoUnknown(t *testing.T) {
	f := newFixture(t)
	var info wasm.ContractInfo
	require.ErrorIs(t, f.query(wasm.Address, "contract_info", wasm.ContractArgs{Contract: bob}, &info), wasm.ErrNotContract)
	var n uint64
	require.ErrorIs(t, f.query(bob, "get", struct{}{}, &n), router.ErrUnknownContract)
}
