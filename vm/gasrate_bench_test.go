package vm_test

import (
	"crypto/ed25519"
	"fmt"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/modules/token"
	"github.com/vsys/vsys/vm"
	"github.com/vsys/vsys/vm/wasm"
)

// The gas-rate table of docs/vm.md: for every opcode class and every host
// function, the nanoseconds one gas buys. Each class is a contract method
// that repeats the class's work in a loop until a fixed gas limit runs
// out; ns/gas is wall time over gas used. A schedule is fair when no class
// is much slower per gas than the plain loop (the baseline): the slowest
// class is the one an attacker picks to fill a block.
//
//	go test -run '^$' -bench GasRate -benchtime 10x ./vm

// Memory layout of the rate modules.
const (
	memKey    = 0     // 32-byte storage key; its first 4 bytes count up
	memVal    = 1024  // storage values, hash inputs
	memPub    = 4096  // ed25519 public key, signature and message
	memSig    = 4128  // 64 bytes
	memMsg    = 4192  // 32 bytes
	memAddr   = 8192  // token module address, 20 bytes
	memMethod = 8256  // "balances"
	memArgs   = 8320  // BalancesArgs
	memEvName = 16384 // "ev"
	memEvData = 16448 // struct{data:bytes} of 64 bytes
	memOut    = 32768 // hash outputs
	memSrc    = 1 << 20
)

// Locals of every rate function: 0-2 i32, 3-4 i64.
var rateLocals = []wasm.ValType{wasm.I32, wasm.I32, wasm.I32, wasm.I64, wasm.I64}

func rep(n int, b ...[]byte) []byte {
	var out []byte
	for range n {
		out = append(out, cat(b...)...)
	}
	return out
}

// bumpKey adds 1 to the first 4 bytes of the key, for distinct keys.
var bumpKey = cat(i32c(memKey), i32c(memKey), []byte{0x28, 2, 0}, i32c(1), []byte{0x6A, 0x36, 2, 0})

type rateCase struct {
	name  string
	class string // "opcode" or "host"
	mod   *wmod
	setup bool   // run "setup" once first
	gas   uint64 // gas limit of one run (default 5M)
}

func hostMod(imports []string, pre, loopBody []byte, setup []byte, pages uint32) *wmod {
	m := &wmod{Imports: imports, Pages: pages, Events: []string{"ev"}}
	m.Funcs = append(m.Funcs, wfunc{Export: "run", Locals: rateLocals, Body: cat(pre, forever(loopBody))})
	if setup != nil {
		m.Funcs = append(m.Funcs, wfunc{Export: "setup", Locals: rateLocals, Body: setup})
	}
	m.Data = rateData()
	return m
}

func rateData() []wdata {
	pub, priv, _ := ed25519.GenerateKey(zeroRand{})
	msg := make([]byte, 32)
	sig := ed25519.Sign(priv, msg)
	args, _ := codec.Marshal(token.BalancesArgs{Address: alice})
	ev, _ := codec.Marshal(struct{ Data []byte }{make([]byte, 64)})
	return []wdata{
		{At: memPub, Bytes: pub}, {At: memSig, Bytes: sig}, {At: memMsg, Bytes: msg},
		{At: memAddr, Bytes: token.Address[:]}, {At: memMethod, Bytes: []byte("balances")}, {At: memArgs, Bytes: args},
		{At: memEvName, Bytes: []byte("ev")}, {At: memEvData, Bytes: ev},
	}
}

type zeroRand struct{}

func (zeroRand) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func opMod(body []byte, pre []byte, pages uint32) *wmod {
	nop := wfunc{}
	return &wmod{Pages: pages, Globals: 1, Table: true, Funcs: []wfunc{
		{Export: "run", Locals: rateLocals, Body: cat(pre, forever(body))},
		nop,
	}}
}

func rateCases() []rateCase {
	l0, l1, l2, l3, l4 := localGet(0), localGet(1), localGet(2), localGet(3), localGet(4)
	s0, s2, s4 := localSet(0), localSet(2), localSet(4)
	op := func(b byte) []byte { return []byte{b} }
	divisors := cat(i32c(7), localSet(1), i64c(1<<62+12345), localSet(3), i64c(7), localSet(4))
	cs := []rateCase{
		{name: "loop (baseline)", mod: opMod(nil, nil, 1)},
		{name: "i32 add/mul/xor/shl", mod: opMod(rep(2, l0, l1, op(0x6A), s0, l0, l1, op(0x6C), s0, l0, l1, op(0x73), s0, l0, l1, op(0x74), s0), cat(i32c(3), localSet(1)), 1)},
		{name: "i64 add/mul/xor/shl", mod: opMod(rep(2, l3, l4, op(0x7C), localSet(3), l3, l4, op(0x7E), localSet(3), l3, l4, op(0x85), localSet(3), l3, l4, op(0x86), localSet(3)), cat(i64c(3), s4), 1)},
		{name: "i32 div/rem", mod: opMod(rep(4, l0, l1, op(0x6E), s2, l0, l1, op(0x70), s2), cat(i32c(-1), s0, divisors), 1)},
		{name: "i64 div/rem", mod: opMod(rep(4, l3, l4, op(0x80), s4, l3, l4, op(0x82), localSet(4), l3, i64c(7), op(0x7F), s4), divisors, 1)},
		{name: "i64 load/store", mod: opMod(rep(4, l0, []byte{0x29, 3, 8}, localSet(3), l0, l3, []byte{0x37, 3, 16}), nil, 1)},
		{name: "i32 load8/store8", mod: opMod(rep(4, l0, []byte{0x2D, 0, 8}, s2, l0, l2, []byte{0x3A, 0, 16}), nil, 1)},
		{name: "locals", mod: opMod(rep(4, l0, localSet(1), l1, s2, l2, s0), nil, 1)},
		{name: "globals", mod: opMod(rep(4, globalGet(0), i32c(1), op(0x6A), globalSet(0)), nil, 1)},
		{name: "select", mod: opMod(rep(4, l0, l1, l2, op(0x1B), s0), nil, 1)},
		{name: "call", mod: opMod(rep(4, call(1)), nil, 1)},
		{name: "call_indirect", mod: opMod(rep(4, i32c(1), []byte{0x11, 0, 0}), nil, 1)},
		{name: "br_table", mod: opMod(cat([]byte{0x02, 0x40, 0x02, 0x40, 0x02, 0x40}, l0, []byte{0x0E, 2, 0, 1, 2, 0x0B, 0x0B, 0x0B}), nil, 1)},
		{name: "memory.grow 1 page", mod: opMod(cat(i32c(1), []byte{0x40, 0, 0x1A}), nil, 1), gas: 2_000_000},
	}
	for _, n := range []int32{64, 4096, 1 << 20} {
		cs = append(cs,
			rateCase{name: fmt.Sprintf("memory.copy %d B", n), mod: opMod(cat(i32c(0), i32c(memSrc), i32c(n), memoryCopy), nil, 64)},
			rateCase{name: fmt.Sprintf("memory.fill %d B", n), mod: opMod(cat(i32c(0), i32c(7), i32c(n), memoryFill), nil, 64)})
	}
	for i := range cs {
		cs[i].class = "opcode"
	}

	imp := []string{"gas_left", "caller", "storage_get", "storage_set", "storage_remove", "storage_iter", "storage_next",
		"emit", "call", "sha256", "keccak256", "ed25519_verify"}
	idx := func(name string) uint32 {
		for i, n := range imp {
			if n == name {
				return uint32(i)
			}
		}
		panic(name)
	}
	drop := []byte{0x1A}
	set := func(n int32) []byte {
		return cat(i32c(memKey), i32c(32), i32c(memVal), i32c(n), call(idx("storage_set")))
	}
	writeMany := cat(forN(4000, bumpKey, set(32)))
	hc := []rateCase{
		{name: "gas_left", mod: hostMod(imp, nil, cat(call(idx("gas_left")), drop), nil, 32)},
		{name: "caller", mod: hostMod(imp, nil, cat(i32c(memOut), call(idx("caller"))), nil, 32)},
		{name: "storage_get 32 B", mod: hostMod(imp, nil, cat(i32c(memKey), i32c(32), call(idx("storage_get")), drop), set(32), 32), setup: true},
		{name: "storage_get 16 KiB", mod: hostMod(imp, nil, cat(i32c(memKey), i32c(32), call(idx("storage_get")), drop), set(16<<10), 32), setup: true},
		{name: "storage_get absent", mod: hostMod(imp, nil, cat(i32c(memKey), i32c(32), call(idx("storage_get")), drop), nil, 32)},
		{name: "storage_set 32 B", mod: hostMod(imp, nil, cat(bumpKey, set(32)), nil, 32)},
		{name: "storage_set 16 KiB", mod: hostMod(imp, nil, cat(bumpKey, set(16<<10)), nil, 32)},
		{name: "storage_remove", mod: hostMod(imp, nil, cat(bumpKey, i32c(memKey), i32c(32), call(idx("storage_remove"))), nil, 32)},
		{name: "storage_next", mod: hostMod(imp, cat(i32c(0), i32c(0), i32c(0), i32c(0), i32c(0), call(idx("storage_iter")), drop),
			cat(i32c(0), call(idx("storage_next")), drop), writeMany, 32), setup: true, gas: 1_000_000},
		{name: "emit 64 B", mod: hostMod(imp, nil, cat(i32c(memEvName), i32c(2), i32c(memEvData), i32c(int32(len(rateData()[7].Bytes))), call(idx("emit"))), nil, 32)},
		{name: "call token.balances", mod: hostMod(imp, nil, cat(i32c(memAddr), i32c(memMethod), i32c(8), i32c(memArgs), i32c(int32(len(rateData()[5].Bytes))), i32c(0), i32c(0), call(idx("call")), drop), nil, 32)},
		{name: "sha256 32 B", mod: hostMod(imp, nil, cat(i32c(memVal), i32c(32), i32c(memOut), call(idx("sha256"))), nil, 32)},
		{name: "sha256 64 KiB", mod: hostMod(imp, nil, cat(i32c(memSrc), i32c(64<<10), i32c(memOut), call(idx("sha256"))), nil, 32)},
		{name: "keccak256 32 B", mod: hostMod(imp, nil, cat(i32c(memVal), i32c(32), i32c(memOut), call(idx("keccak256"))), nil, 32)},
		{name: "keccak256 64 KiB", mod: hostMod(imp, nil, cat(i32c(memSrc), i32c(64<<10), i32c(memOut), call(idx("keccak256"))), nil, 32)},
		{name: "ed25519_verify", mod: hostMod(imp, nil, cat(i32c(memPub), i32c(memMsg), i32c(32), i32c(memSig), call(idx("ed25519_verify")), drop), nil, 32)},
	}
	for i := range hc {
		hc[i].class = "host"
	}
	return append(cs, hc...)
}

// forN repeats body n times (local 0 counts).
func forN(n int32, body ...[]byte) []byte {
	return cat(i32c(n), localSet(0), []byte{0x03, 0x40}, cat(body...),
		localGet(0), i32c(1), []byte{0x6B}, localSet(0), localGet(0), []byte{0x0D, 0, 0x0B})
}

type rateResult struct {
	name, class string
	nsPerGas    float64
}

func BenchmarkGasRate(b *testing.B) {
	var results []rateResult
	for _, rc := range rateCases() {
		rc := rc
		b.Run(rc.name, func(b *testing.B) {
			c := newChain(b, vm.Config{}, false)
			c.r.Register("token", token.Address, token.New())
			addr := c.deploy(b, rc.mod, "rate")
			if rc.setup {
				if _, err := c.runGas(b, addr, "setup", 1<<40); err != nil {
					b.Fatal(err)
				}
			}
			limit := rc.gas
			if limit == 0 {
				limit = 5_000_000
			}
			var used uint64
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				u, _ := c.runGas(b, addr, "run", limit) // always out of gas
				used += u
			}
			el := time.Since(start)
			ns := float64(el.Nanoseconds()) / float64(used)
			b.ReportMetric(ns, "ns/gas")
			results = append(results, rateResult{rc.name, rc.class, ns})
		})
	}
	printRates(results)
}

func printRates(rs []rateResult) {
	if len(rs) == 0 {
		return
	}
	// The last result of a name is from the largest b.N.
	last := map[string]rateResult{}
	var order []string
	for _, r := range rs {
		if _, ok := last[r.name]; !ok {
			order = append(order, r.name)
		}
		last[r.name] = r
	}
	base := last["loop (baseline)"].nsPerGas
	sorted := append([]string{}, order...)
	sort.SliceStable(sorted, func(i, j int) bool { return last[sorted[i]].nsPerGas > last[sorted[j]].nsPerGas })
	w := os.Stdout
	fmt.Fprintf(w, "\n| class | kind | ns/gas | x loop |\n|---|---|---:|---:|\n")
	for _, n := range order {
		r := last[n]
		fmt.Fprintf(w, "| %s | %s | %.3f | %.2f |\n", r.name, r.class, r.nsPerGas, r.nsPerGas/base)
	}
	fmt.Fprintf(w, "\nslowest: %s at %.2fx the loop\n", sorted[0], last[sorted[0]].nsPerGas/base)
}
