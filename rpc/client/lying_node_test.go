package client_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	cmtjson "github.com/cometbft/cometbft/libs/json"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	"github.com/cometbft/cometbft/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/internal/testkit/nodekit"
	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/rpc"

	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/modules/database"
	"github.com/vsys/vsys/rpc/client"
)

// testNode is a real one-validator node with two tables of the same
// schema, "items" and "other", each holding a row with id 1.
type testNode struct {
	n        *node.Node
	home     string
	chainID  string
	cometRPC string // http://host:port of CometBFT's RPC
	owner    address.Address
	cl       *client.Client
	// heights at which items' row 1 had note "a" and then "a2".
	before, after int64
}

func startNode(t *testing.T) *testNode {
	t.Helper()
	home := nodekit.InitHome(t, "light-chain", nil)
	n := nodekit.Start(t, home)
	tn := &testNode{n: n, home: home.Dir, chainID: home.Result.ChainID, cometRPC: home.CometRPC, owner: home.Result.DevAddress, cl: nodekit.Client(n)}
	ctx := context.Background()
	key := nodekit.DevKey(t, home)
	send := func(method string, args any) int64 {
		b, err := codec.Marshal(args)
		require.NoError(t, err)
		sent, err := tn.cl.Send(ctx, key, []tx.Call{{Contract: database.Address, Method: method, Args: b}}, client.SendOptions{})
		require.NoError(t, err)
		require.Equal(t, "ok", sent.Tx.Status, sent.Tx.Log)
		return sent.Tx.Height
	}
	schema := database.Schema{
		Columns:    []database.Column{{Name: "id", Type: "u64"}, {Name: "note", Type: "string"}},
		PrimaryKey: []string{"id"},
	}
	type row struct {
		ID   uint64
		Note string
	}
	rowArgs := func(table, note string) database.RowArgs {
		b, err := codec.Marshal(row{ID: 1, Note: note})
		require.NoError(t, err)
		return database.RowArgs{Owner: tn.owner, Table: table, Row: b}
	}
	for _, table := range []string{"items", "other"} {
		send("create_table", database.CreateTableArgs{Name: table, Schema: schema})
	}
	send("insert", rowArgs("other", "b"))
	tn.before = send("insert", rowArgs("items", "a"))
	tn.after = send("update", rowArgs("items", "a2"))
	require.NoError(t, tn.cl.WaitHeight(ctx, tn.after+1))
	return tn
}

// proxy forwards JSON-RPC to upstream and lets a test rewrite requests and
// results: a lying node.
type proxy struct {
	srv      *httptest.Server
	upstream string
	mu       sync.Mutex
	// req may rewrite a call's params before it is forwarded.
	req func(method string, params json.RawMessage) json.RawMessage
	// res may rewrite a call's result before it is returned.
	res func(method string, params, result json.RawMessage) json.RawMessage
}

func newProxy(t *testing.T, upstream string) *proxy {
	t.Helper()
	if !strings.Contains(upstream, "://") {
		upstream = "http://" + upstream
	}
	p := &proxy{upstream: upstream}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *proxy) set(req func(string, json.RawMessage) json.RawMessage, res func(string, json.RawMessage, json.RawMessage) json.RawMessage) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.req, p.res = req, res
}

func (p *proxy) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var call struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Method  string          `json:"method"`
		Params  json.RawMessage `json:"params"`
	}
	single := json.Unmarshal(body, &call) == nil && call.Method != ""
	p.mu.Lock()
	reqFn, resFn := p.req, p.res
	p.mu.Unlock()
	if single && reqFn != nil {
		if np := reqFn(call.Method, call.Params); np != nil {
			call.Params = np
			body, _ = json.Marshal(call)
		}
	}
	up, err := http.Post(p.upstream+r.URL.Path, "application/json", bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer up.Body.Close()
	out, _ := io.ReadAll(up.Body)
	if single && resFn != nil {
		var resp map[string]json.RawMessage
		if json.Unmarshal(out, &resp) == nil && resp["result"] != nil {
			if nr := resFn(call.Method, call.Params, resp["result"]); nr != nil {
				resp["result"] = nr
				out, _ = json.Marshal(resp)
			}
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(out)
}

func mustJSON(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// forgedTree builds a state tree of the given keys and values and returns
// its root and a proof of key at it: what a lying node serves for a row
// that is not in the chain's state.
func forgedTree(t *testing.T, kvs map[string][]byte, key []byte) (root []byte, p *rpc.RowProof) {
	t.Helper()
	s, err := state.OpenDB(dbm.NewMemDB(), state.Options{})
	require.NoError(t, err)
	defer s.Close()
	for k, v := range kvs {
		require.NoError(t, s.Working().Set([]byte(k), v))
	}
	root, v, err := s.Commit()
	require.NoError(t, err)
	value, proof, err := s.Prove(v, key)
	require.NoError(t, err)
	pb, err := proof.Marshal()
	require.NoError(t, err)
	return root, &rpc.RowProof{Key: key, Value: value, Proof: pb}
}

func paramsTable(params json.RawMessage) (rpc.RowRequest, bool) {
	var ps []rpc.RowRequest
	if json.Unmarshal(params, &ps) != nil || len(ps) != 1 {
		return rpc.RowRequest{}, false
	}
	return ps[0], true
}

// cometHeight is the height a CometBFT RPC call (commit, validators) asks
// for, or 0.
func cometHeight(params json.RawMessage) int64 {
	var p struct {
		Height string `json:"height"`
	}
	if json.Unmarshal(params, &p) != nil {
		return 0
	}
	var h int64
	if _, err := fmt.Sscan(p.Height, &h); err != nil {
		return 0
	}
	return h
}

// editCommit applies edit to the signed header of a CometBFT commit result
// (JSON as the RPC sends it).
func editCommit(t *testing.T, result json.RawMessage, edit func(header, commit map[string]any)) json.RawMessage {
	t.Helper()
	var r map[string]any
	require.NoError(t, json.Unmarshal(result, &r))
	sh := r["signed_header"].(map[string]any)
	edit(sh["header"].(map[string]any), sh["commit"].(map[string]any))
	return mustJSON(t, r)
}

// caught requires err to wrap target and say msg, and logs it: the
// message a user would read.
func caught(t *testing.T, err, target error, msg string) {
	t.Helper()
	require.ErrorIs(t, err, target)
	require.ErrorContains(t, err, msg)
	t.Logf("caught: %v", err)
}

// TestLyingNodeIsCaught: a client verifying a proven row through a node
// that lies in each way below gets an error that says what did not
// verify; through an honest node it gets the row. The node is real; a
// proxy in front of its JSON-RPC and its CometBFT RPC does the lying.
func TestLyingNodeIsCaught(t *testing.T) {
	tn := startNode(t)
	vsys := newProxy(t, tn.n.RPCAddr)
	comet := newProxy(t, tn.cometRPC)
	cl := client.New(vsys.srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()

	// The trust root: block 1's header hash, read from the node before any
	// lying (as a user would copy it from a source they trust).
	honestComet, err := rpchttp.New(tn.cometRPC, "/websocket")
	require.NoError(t, err)
	one := int64(1)
	c1, err := honestComet.Commit(ctx, &one)
	require.NoError(t, err)
	root := &client.TrustRoot{Height: 1, Hash: rpc.HexBytes(c1.SignedHeader.Hash())}

	rowReq := rpc.RowRequest{TableRef: rpc.TableRef{Owner: tn.owner, Table: "items", Height: rpc.Height(tn.after)}, Key: json.RawMessage(`{"id":"1"}`), Prove: true}
	verify := func(t *testing.T, req rpc.RowRequest) (*client.VerifiedRow, error) {
		v, err := client.NewVerifier(ctx, client.VerifierOptions{CometRPC: comet.srv.URL, Root: root})
		require.NoError(t, err)
		res, err := cl.GetRow(ctx, req)
		require.NoError(t, err)
		return v.VerifyRow(ctx, req, res)
	}
	honest, err := tn.cl.GetRow(ctx, rowReq)
	require.NoError(t, err)
	// forged: the state a lying node makes up: the real table record and
	// row 1 of items with another note.
	forgedRow, err := codec.Marshal(struct {
		ID   uint64
		Note string
	}{1, "forged"})
	require.NoError(t, err)
	kvs := map[string][]byte{string(honest.TableProof.Key): honest.TableProof.Value, string(honest.Proof.Key): forgedRow}
	forgedRoot, forgedProof := forgedTree(t, kvs, honest.Proof.Key)
	_, forgedTableProof := forgedTree(t, kvs, honest.TableProof.Key)
	serveForged := func(method string, params, result json.RawMessage) json.RawMessage {
		if method != "vsys_getRow" {
			return nil
		}
		return mustJSON(t, rpc.RowResult{Row: json.RawMessage(`{"id":"1","note":"forged"}`), Height: tn.after,
			Proof: forgedProof, TableProof: forgedTableProof, AppHash: forgedRoot})
	}

	t.Run("honest", func(t *testing.T) {
		vsys.set(nil, nil)
		comet.set(nil, nil)
		got, err := verify(t, rowReq)
		require.NoError(t, err)
		require.JSONEq(t, `{"id":"1","note":"a2"}`, string(got.Row))
		require.Equal(t, tn.after, got.Height)
		// An absent row is proven absent.
		absent := rowReq
		absent.Key = json.RawMessage(`{"id":"2"}`)
		got, err = verify(t, absent)
		require.NoError(t, err)
		require.Equal(t, "null", string(got.Row))
	})

	t.Run("a forged state under the real header", func(t *testing.T) {
		vsys.set(nil, serveForged)
		comet.set(nil, nil)
		_, err := verify(t, rowReq)
		caught(t, err, client.ErrProof, "against root")
	})

	t.Run("a forged state under a tampered header app hash", func(t *testing.T) {
		vsys.set(nil, serveForged)
		comet.set(nil, func(method string, params, result json.RawMessage) json.RawMessage {
			if method != "commit" || cometHeight(params) != tn.after+1 {
				return nil
			}
			return editCommit(t, result, func(h, _ map[string]any) { h["app_hash"] = fmt.Sprintf("%X", forgedRoot) })
		})
		_, err := verify(t, rowReq)
		caught(t, err, client.ErrHeader, fmt.Sprintf("height %d", tn.after+1))
	})

	t.Run("b a tampered commit signature", func(t *testing.T) {
		vsys.set(nil, nil)
		comet.set(nil, func(method string, params, result json.RawMessage) json.RawMessage {
			if method != "commit" || cometHeight(params) != tn.after+1 {
				return nil
			}
			return editCommit(t, result, func(_, c map[string]any) {
				sig := c["signatures"].([]any)[0].(map[string]any)
				b, err := base64.StdEncoding.DecodeString(sig["signature"].(string))
				require.NoError(t, err)
				b[0] ^= 1
				sig["signature"] = base64.StdEncoding.EncodeToString(b)
			})
		})
		_, err := verify(t, rowReq)
		caught(t, err, client.ErrHeader, "signature")
	})

	t.Run("b a forged state under a header signed by another validator set", func(t *testing.T) {
		// The attacker's own chain from block after+1 on: the header with the
		// made-up app hash, signed by a key it holds, with a validator set of
		// that key alone. Self-consistent, but not signed by the validators
		// the trust root leads to.
		h := tn.after + 1
		real, err := honestComet.Commit(ctx, &h)
		require.NoError(t, err)
		pv := types.NewMockPV()
		pub, err := pv.GetPubKey()
		require.NoError(t, err)
		vals := types.NewValidatorSet([]*types.Validator{types.NewValidator(pub, 10)})
		header := *real.Header
		header.AppHash, header.ValidatorsHash, header.NextValidatorsHash = forgedRoot, vals.Hash(), vals.Hash()
		blockID := types.BlockID{Hash: header.Hash(), PartSetHeader: real.Commit.BlockID.PartSetHeader}
		vote, err := types.MakeVote(pv, tn.chainID, 0, h, 0, cmtproto.PrecommitType, blockID, header.Time.Add(time.Millisecond))
		require.NoError(t, err)
		commit := &types.Commit{Height: h, BlockID: blockID, Signatures: []types.CommitSig{vote.CommitSig()}}
		forged := types.LightBlock{SignedHeader: &types.SignedHeader{Header: &header, Commit: commit}, ValidatorSet: vals}
		require.NoError(t, forged.ValidateBasic(tn.chainID), "the forged block is well formed")
		require.NoError(t, vals.VerifyCommitLight(tn.chainID, blockID, h, commit), "and signed by its own validator set")

		vsys.set(nil, serveForged)
		comet.set(nil, func(method string, params, result json.RawMessage) json.RawMessage {
			if cometHeight(params) != h {
				return nil
			}
			switch method {
			case "commit":
				b, err := cmtjson.Marshal(ctypes.ResultCommit{SignedHeader: *forged.SignedHeader, CanonicalCommit: true})
				require.NoError(t, err)
				return b
			case "validators":
				b, err := cmtjson.Marshal(ctypes.ResultValidators{BlockHeight: h, Validators: vals.Validators, Count: 1, Total: 1})
				require.NoError(t, err)
				return b
			}
			return nil
		})
		_, err = verify(t, rowReq)
		caught(t, err, client.ErrHeader, fmt.Sprintf("height %d", h))
	})

	t.Run("a wrong trust root", func(t *testing.T) {
		vsys.set(nil, nil)
		comet.set(nil, nil)
		bad := *root
		bad.Hash = append(rpc.HexBytes(nil), root.Hash...)
		bad.Hash[0] ^= 1
		_, err := client.NewVerifier(ctx, client.VerifierOptions{CometRPC: comet.srv.URL, Root: &bad})
		caught(t, err, client.ErrHeader, "trust root height 1")
	})

	t.Run("trust on first use", func(t *testing.T) {
		vsys.set(nil, nil)
		comet.set(nil, nil)
		file := client.TrustFile(t.TempDir(), tn.chainID)
		v, err := client.NewVerifier(ctx, client.VerifierOptions{CometRPC: comet.srv.URL, TrustFile: file})
		require.NoError(t, err)
		require.True(t, v.Recorded, "the first contact records a root")
		first := v.Root()
		require.Equal(t, tn.chainID, first.ChainID)
		b, err := os.ReadFile(file)
		require.NoError(t, err)
		var saved client.TrustRoot
		require.NoError(t, json.Unmarshal(b, &saved))
		require.Equal(t, first.Hash, saved.Hash)
		require.Equal(t, first.Height, saved.Height)
		// A row below the root is verified backwards, by the hash chain.
		res, err := cl.GetRow(ctx, rowReq)
		require.NoError(t, err)
		got, err := v.VerifyRow(ctx, rowReq, res)
		require.NoError(t, err)
		require.JSONEq(t, `{"id":"1","note":"a2"}`, string(got.Row))
		// A row above it moves the root forward on Close.
		latest := rowReq
		latest.Height = 0
		require.NoError(t, tn.cl.WaitHeight(ctx, first.Height+1))
		res, err = cl.GetRow(ctx, latest)
		require.NoError(t, err)
		_, err = v.VerifyRow(ctx, latest, res)
		require.NoError(t, err)
		require.NoError(t, v.Close())

		v2, err := client.NewVerifier(ctx, client.VerifierOptions{CometRPC: comet.srv.URL, TrustFile: file})
		require.NoError(t, err)
		require.False(t, v2.Recorded, "a recorded root is reused")
		require.Greater(t, v2.Root().Height, first.Height)
		// And the lies are still caught from a recorded root.
		vsys.set(nil, serveForged)
		comet.set(nil, func(method string, params, result json.RawMessage) json.RawMessage {
			if method != "commit" || cometHeight(params) != tn.after+1 {
				return nil
			}
			return editCommit(t, result, func(h, _ map[string]any) { h["app_hash"] = fmt.Sprintf("%X", forgedRoot) })
		})
		res, err = cl.GetRow(ctx, rowReq)
		require.NoError(t, err)
		_, err = v2.VerifyRow(ctx, rowReq, res)
		caught(t, err, client.ErrHeader, "")
	})

	t.Run("c a tampered row value", func(t *testing.T) {
		comet.set(nil, nil)
		vsys.set(nil, func(method string, params, result json.RawMessage) json.RawMessage {
			if method != "vsys_getRow" {
				return nil
			}
			return json.RawMessage(strings.Replace(string(result), `"a2"`, `"a3"`, 1))
		})
		_, err := verify(t, rowReq)
		caught(t, err, client.ErrProof, "not the value proven")
		// The proven value itself tampered.
		vsys.set(nil, func(method string, params, result json.RawMessage) json.RawMessage {
			if method != "vsys_getRow" {
				return nil
			}
			var r rpc.RowResult
			require.NoError(t, json.Unmarshal(result, &r))
			r.Proof.Value[len(r.Proof.Value)-1] ^= 1
			return mustJSON(t, r)
		})
		_, err = verify(t, rowReq)
		caught(t, err, client.ErrProof, "")
	})

	t.Run("d another table's row", func(t *testing.T) {
		comet.set(nil, nil)
		vsys.set(func(method string, params json.RawMessage) json.RawMessage {
			if req, ok := paramsTable(params); ok && method == "vsys_getRow" && req.Table == "items" {
				req.Table = "other"
				return mustJSON(t, []any{req})
			}
			return nil
		}, nil)
		_, err := verify(t, rowReq)
		caught(t, err, client.ErrProof, "not of table")
		// Only the row's proof swapped (the table's record is items').
		vsys.set(nil, func(method string, params, result json.RawMessage) json.RawMessage {
			if method != "vsys_getRow" {
				return nil
			}
			var r, other rpc.RowResult
			require.NoError(t, json.Unmarshal(result, &r))
			o := rowReq
			o.Table = "other"
			res, err := tn.cl.GetRow(ctx, o)
			require.NoError(t, err)
			other = *res
			r.Row, r.Proof = other.Row, other.Proof
			return mustJSON(t, r)
		})
		_, err = verify(t, rowReq)
		caught(t, err, client.ErrProof, "not of the row asked for")
	})

	t.Run("e a proof of another height", func(t *testing.T) {
		comet.set(nil, nil)
		atBefore := func(method string, params json.RawMessage) json.RawMessage {
			if req, ok := paramsTable(params); ok && method == "vsys_getRow" {
				req.Height = rpc.Height(tn.before)
				return mustJSON(t, []any{req})
			}
			return nil
		}
		// Labelled with the height asked for.
		vsys.set(atBefore, func(method string, params, result json.RawMessage) json.RawMessage {
			if method != "vsys_getRow" {
				return nil
			}
			var r rpc.RowResult
			require.NoError(t, json.Unmarshal(result, &r))
			r.Height = tn.after
			return mustJSON(t, r)
		})
		_, err := verify(t, rowReq)
		caught(t, err, client.ErrProof, "against root")
		// Labelled with its own height.
		vsys.set(atBefore, nil)
		_, err = verify(t, rowReq)
		caught(t, err, client.ErrProof, "asked for height")
	})
}
