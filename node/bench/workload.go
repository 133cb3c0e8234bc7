package bench

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"os"
	"sync"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/modules/database"
	"github.com/vsys/vsys/modules/token"
	"github.com/vsys/vsys/modules/wasm"
	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/rpc"
	"github.com/vsys/vsys/rpc/client"
)

// The workload: the signed txs of a run and the setup they need (a token
// contract, the rows mode's tables), and the check that they landed.

// makeTxs signs the load: tx i comes from account i mod N with that
// account's next nonce and sends 1 unit to the next account.
func makeTxs(o Options, keys []ed25519.PrivateKey, wasmToken *address.Address) ([][]byte, error) {
	out := make([][]byte, o.Txs)
	if o.App == node.AppKVStore {
		for i := range out {
			out[i] = []byte(fmt.Sprintf("bench%09d=%09d", i, i))
		}
		return out, nil
	}
	var wg sync.WaitGroup
	errs := make(chan error, o.Workers)
	for w := 0; w < o.Workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < o.Txs; i += o.Workers {
				from := i % len(keys)
				to := address.FromPubKey(keys[(from+1)%len(keys)].Public().(ed25519.PublicKey))
				calls, nonce, err := []tx.Call(nil), uint64(i/len(keys)), error(nil)
				if o.Rows > 0 {
					calls, err = insertCalls(address.FromPubKey(keys[from].Public().(ed25519.PublicKey)), nonce, o.Rows)
					nonce++ // create_table took nonce 0
				} else {
					var call tx.Call
					call, err = transferCall(to, wasmToken)
					calls = []tx.Call{call}
				}
				if err != nil {
					errs <- err
					return
				}
				// A block holds gas limits up to max_block_gas (2e9): a
				// native transfer (22k gas) limited to 100k lets 20,000 fit.
				perCall := uint64(500_000)
				if o.Rows == 0 && wasmToken == nil {
					perCall = 100_000
				}
				t, err := tx.Sign(tx.Body{
					ChainID: "bench", Nonce: nonce, GasLimit: perCall * uint64(len(calls)), GasPrice: codec.NewU128(1),
					Calls: calls,
				}, keys[from])
				if err != nil {
					errs <- err
					return
				}
				out[i] = t.Bytes()
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	return out, <-errs
}

// transferCall sends 1 unit to to: through the native token module, or
// through the token contract at wasmToken.
func transferCall(to address.Address, wasmToken *address.Address) (tx.Call, error) {
	if wasmToken != nil {
		args, err := codec.Marshal(struct {
			To     address.Address
			Amount codec.U128
		}{to, codec.NewU128(1)})
		return tx.Call{Contract: *wasmToken, Method: "send", Args: args}, err
	}
	args, err := codec.Marshal(token.SendArgs{Token: "VSYS", To: to, Amount: codec.NewU128(1)})
	return tx.Call{Contract: token.Address, Method: "send", Args: args}, err
}

// deployToken uploads the token contract at path, instantiates it, issues
// its supply to the deployer and gives every bench account a balance.
func deployToken(ctx context.Context, c *client.Client, deployer ed25519.PrivateKey, keys []ed25519.PrivateKey, path string) (address.Address, error) {
	var zero address.Address
	wasmCode, err := os.ReadFile(path)
	if err != nil {
		return zero, err
	}
	mk := func(method string, args any) (tx.Call, error) {
		b, err := codec.Marshal(args)
		return tx.Call{Contract: wasm.Address, Method: method, Args: b}, err
	}
	up, err := mk("upload", wasm.UploadArgs{Code: wasmCode})
	if err != nil {
		return zero, err
	}
	if err := sendOK(ctx, c, deployer, []tx.Call{up}); err != nil {
		return zero, fmt.Errorf("upload: %w", err)
	}
	hash := sha256.Sum256(wasmCode)
	initArgs, err := codec.Marshal(struct {
		Name, Symbol string
		Decimals     uint8
		MaxSupply    codec.U128
	}{"Bench", "BEN", 0, codec.MaxU128})
	if err != nil {
		return zero, err
	}
	inst, err := mk("instantiate", wasm.InstantiateArgs{CodeHash: hash[:], Label: "bench", Args: initArgs})
	if err != nil {
		return zero, err
	}
	// The contract pays the storage deposit of its own state (its record,
	// then a balance row for every account it funds), so it needs native
	// coins from the start: the deployer gives it far more than that.
	inst.Funds = []tx.Coin{{Token: "VSYS", Amount: codec.NewU128(1 << 40)}}
	me := address.FromPubKey(deployer.Public().(ed25519.PublicKey))
	tokAddr := address.Derive("wasm/contract", me[:], hash[:], []byte("bench"))
	issueArgs, _ := codec.Marshal(struct{ Amount codec.U128 }{codec.NewU128(1 << 62)})
	calls := []tx.Call{inst, {Contract: tokAddr, Method: "issue", Args: issueArgs}}
	if err := sendOK(ctx, c, deployer, calls); err != nil {
		return zero, fmt.Errorf("instantiate: %w", err)
	}
	for i := 0; i < len(keys); i += tx.MaxCalls {
		var calls []tx.Call
		for _, k := range keys[i:min(i+tx.MaxCalls, len(keys))] {
			args, _ := codec.Marshal(struct {
				To     address.Address
				Amount codec.U128
			}{address.FromPubKey(k.Public().(ed25519.PublicKey)), codec.NewU128(1 << 40)})
			calls = append(calls, tx.Call{Contract: tokAddr, Method: "send", Args: args})
		}
		if err := sendOK(ctx, c, deployer, calls); err != nil {
			return zero, fmt.Errorf("fund accounts: %w", err)
		}
	}
	return tokAddr, nil
}

func sendOK(ctx context.Context, c *client.Client, key ed25519.PrivateKey, calls []tx.Call) error {
	sent, err := c.Send(ctx, key, calls, client.SendOptions{})
	if err != nil {
		return err
	}
	if sent.Tx != nil && sent.Tx.Status != "ok" {
		return fmt.Errorf("%s", sent.Tx.Log)
	}
	return nil
}

// benchSchema is the rows mode's table: about 100 bytes a row (u64 id,
// address, 60-byte payload) with one secondary index.
var benchSchema = database.Schema{
	Columns:    []database.Column{{Name: "id", Type: "u64"}, {Name: "owner", Type: "address"}, {Name: "payload", Type: "bytes"}},
	PrimaryKey: []string{"id"},
	Indexes:    []database.Index{{Name: "by_owner", Columns: []string{"owner"}}},
}

// rowOwner spreads rows over 16 owners, so an index page holds many rows.
func rowOwner(id uint64) address.Address { return address.Derive("bench-owner", []byte{byte(id % 16)}) }

// insertCalls inserts rows ids [n*rows, (n+1)*rows) into table bench of owner.
func insertCalls(owner address.Address, n uint64, rows int) ([]tx.Call, error) {
	payload := make([]byte, 60)
	calls := make([]tx.Call, rows)
	for r := range calls {
		id := n*uint64(rows) + uint64(r)
		row, err := codec.Marshal(struct {
			ID      uint64
			Owner   address.Address
			Payload []byte
		}{id, rowOwner(id), payload})
		if err != nil {
			return nil, err
		}
		args, err := codec.Marshal(database.RowArgs{Owner: owner, Table: "bench", Row: row})
		if err != nil {
			return nil, err
		}
		calls[r] = tx.Call{Contract: database.Address, Method: "insert", Args: args}
	}
	return calls, nil
}

// createTables has every account create its bench table (nonce 0), all in
// flight at once, and waits for them to commit.
func createTables(ctx context.Context, c *client.Client, keys []ed25519.PrivateKey) error {
	args, err := codec.Marshal(database.CreateTableArgs{Name: "bench", Schema: benchSchema})
	if err != nil {
		return err
	}
	var hashes [][]byte
	for _, k := range keys {
		t, err := tx.Sign(tx.Body{ChainID: "bench", GasLimit: 2_000_000, GasPrice: codec.NewU128(1),
			Calls: []tx.Call{{Contract: database.Address, Method: "create_table", Args: args}}}, k)
		if err != nil {
			return err
		}
		h, err := c.SendRawTransaction(ctx, t.Bytes())
		if err != nil {
			return err
		}
		hashes = append(hashes, h)
	}
	for _, h := range hashes {
		t, err := c.WaitTx(ctx, h)
		if err != nil {
			return err
		}
		if t.Status != "ok" {
			return fmt.Errorf("%s", t.Log)
		}
	}
	return nil
}

// checkRows counts the first account's rows: the load is only a result if
// every insert landed.
func checkRows(ctx context.Context, c *client.Client, o Options) error {
	owner := address.FromPubKey(seedKey(0).Public().(ed25519.PublicKey))
	want := ((o.Txs + o.Accounts - 1) / o.Accounts) * o.Rows
	q := rpc.QueryRequest{TableRef: rpc.TableRef{Owner: owner, Table: "bench"}, Limit: 1000}
	res, err := c.QueryAll(ctx, q)
	if err != nil {
		return fmt.Errorf("count rows: %w", err)
	}
	if got := len(res.Rows); got != want {
		return fmt.Errorf("account 0's table has %d rows, want %d: inserts failed", got, want)
	}
	return nil
}
