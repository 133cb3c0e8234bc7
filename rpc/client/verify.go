package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	dbm "github.com/cometbft/cometbft-db"
	"github.com/cometbft/cometbft/libs/log"
	"github.com/cometbft/cometbft/light"
	"github.com/cometbft/cometbft/light/provider"
	lighthttp "github.com/cometbft/cometbft/light/provider/http"
	lightdb "github.com/cometbft/cometbft/light/store/db"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	"github.com/cometbft/cometbft/types"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/rpc"

	"github.com/vsys/vsys/core/dblayout"
	"github.com/vsys/vsys/core/proof"
)

// Errors a Verifier returns; each wraps one of them with detail.
var (
	// ErrHeader: the node's headers do not verify from the trust root
	// (a header, commit or validator set that +2/3 of the trusted
	// validators did not sign).
	ErrHeader = errors.New("header does not verify from the trust root")
	// ErrProof: a proof does not prove what was asked against the
	// verified app hash (another key, another height, another value).
	ErrProof = proof.ErrProof
	// ErrNoProof: the result carries no proof (ask with prove).
	ErrNoProof = errors.New("no proof: ask with prove")
)

// DefaultTrustingPeriod is how long a trusted header stays a valid root
// when VerifierOptions gives none. A light client must not trust a header
// older than the period in which its validators can be punished for
// signing a fork (CometBFT's light client rule).
const DefaultTrustingPeriod = 7 * 24 * time.Hour

// TrustRoot is a header the client trusts: a chain's block at Height whose
// header hashes to Hash. Everything else is verified from it.
type TrustRoot struct {
	ChainID string       `json:"chain_id"`
	Height  int64        `json:"height"`
	Hash    rpc.HexBytes `json:"hash"`
	Time    time.Time    `json:"time,omitzero"` // the header's time, for information
}

// VerifierOptions configure NewVerifier.
type VerifierOptions struct {
	// CometRPC is the node's CometBFT RPC address (its config.toml
	// rpc.laddr), e.g. "http://127.0.0.1:26657": headers, commits and
	// validator sets come from there.
	CometRPC string
	// Witnesses are other nodes' CometBFT RPC addresses that the light
	// client cross-checks headers with. None: the primary alone, which is
	// also given as its own witness (CometBFT's light client wants one):
	// headers are then verified against the trust root but forks are not
	// detected.
	Witnesses []string
	// ChainID: empty asks the node (safe: the trust root's hash binds the
	// chain id).
	ChainID string
	// Root is a root the user gave (e.g. --trust-height/--trust-hash). It
	// overrides TrustFile, which then records it.
	Root *TrustRoot
	// TrustFile keeps the root between runs (JSON). If it does not exist
	// and Root is nil, the node's latest header is trusted on first use
	// and recorded there (Recorded tells). Empty: Root is required.
	TrustFile string
	// TrustingPeriod: 0 means DefaultTrustingPeriod.
	TrustingPeriod time.Duration
}

// Verifier checks a node's answers with CometBFT's light client from a
// trust root, so that a proven row does not rest on the node's word.
type Verifier struct {
	lc      *light.Client
	comet   *rpchttp.HTTP
	chainID string
	file    string
	root    TrustRoot
	// Recorded is true when NewVerifier trusted the node's latest header on
	// first use and recorded it in TrustFile.
	Recorded bool
}

// TrustFile returns the trust file of chainID under dir: dir/<chain-id>.json.
func TrustFile(dir, chainID string) string {
	return filepath.Join(dir, strings.NewReplacer("/", "_", "\\", "_").Replace(chainID)+".json")
}

// NewVerifier opens a light client over o.CometRPC from o's trust root.
func NewVerifier(ctx context.Context, o VerifierOptions) (*Verifier, error) {
	if o.TrustingPeriod <= 0 {
		o.TrustingPeriod = DefaultTrustingPeriod
	}
	remote := o.CometRPC
	if !strings.Contains(remote, "://") {
		remote = "http://" + remote
	}
	remote = strings.Replace(remote, "tcp://", "http://", 1)
	comet, err := rpchttp.NewWithTimeout(remote, "/websocket", 10)
	if err != nil {
		return nil, fmt.Errorf("CometBFT RPC %s: %w", remote, err)
	}
	v := &Verifier{comet: comet, chainID: o.ChainID, file: o.TrustFile}
	if v.chainID == "" {
		st, err := comet.Status(ctx)
		if err != nil {
			return nil, fmt.Errorf("CometBFT RPC %s: status: %w", remote, err)
		}
		v.chainID = st.NodeInfo.Network
	}
	primary := lighthttp.NewWithClient(v.chainID, comet)
	var witnesses []provider.Provider
	for _, w := range o.Witnesses {
		p, err := lighthttp.New(v.chainID, strings.Replace(w, "tcp://", "http://", 1))
		if err != nil {
			return nil, fmt.Errorf("witness %s: %w", w, err)
		}
		witnesses = append(witnesses, p)
	}
	if len(witnesses) == 0 {
		witnesses = []provider.Provider{lighthttp.NewWithClient(v.chainID, comet)}
	}

	switch {
	case o.Root != nil:
		v.root = *o.Root
		if v.root.ChainID == "" {
			v.root.ChainID = v.chainID
		}
	case o.TrustFile != "":
		b, err := os.ReadFile(o.TrustFile)
		switch {
		case err == nil:
			if err := json.Unmarshal(b, &v.root); err != nil {
				return nil, fmt.Errorf("trust file %s: %w", o.TrustFile, err)
			}
		case errors.Is(err, os.ErrNotExist):
			if v.root, err = firstContact(ctx, primary, v.chainID); err != nil {
				return nil, err
			}
			v.Recorded = true
		default:
			return nil, fmt.Errorf("trust file: %w", err)
		}
	default:
		return nil, errors.New("no trust root: give a trust height and hash, or a trust file to record one in")
	}
	if v.root.ChainID != v.chainID {
		return nil, fmt.Errorf("%w: the trust root is of chain %q, the node is on %q", ErrHeader, v.root.ChainID, v.chainID)
	}
	v.lc, err = light.NewClient(ctx, v.chainID,
		light.TrustOptions{Period: o.TrustingPeriod, Height: v.root.Height, Hash: v.root.Hash},
		primary, witnesses, lightdb.New(dbm.NewMemDB(), v.chainID),
		light.Logger(log.NewNopLogger()), light.MaxRetryAttempts(2))
	if err != nil {
		return nil, fmt.Errorf("%w: trust root height %d hash %X: %v", ErrHeader, v.root.Height, []byte(v.root.Hash), err)
	}
	if o.Root != nil || v.Recorded {
		if err := v.save(v.root); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// firstContact trusts the node's latest header (trust on first use): it
// checks only that the header is well formed and signed by the validator
// set it comes with, which a lying node can fake; the user should compare
// the recorded hash with a source they trust.
func firstContact(ctx context.Context, p provider.Provider, chainID string) (TrustRoot, error) {
	lb, err := p.LightBlock(ctx, 0)
	if err != nil {
		return TrustRoot{}, fmt.Errorf("first contact: latest header: %w", err)
	}
	if err := lb.ValidateBasic(chainID); err != nil {
		return TrustRoot{}, fmt.Errorf("%w: first contact: %v", ErrHeader, err)
	}
	if err := lb.ValidatorSet.VerifyCommitLight(chainID, lb.Commit.BlockID, lb.Height, lb.Commit); err != nil {
		return TrustRoot{}, fmt.Errorf("%w: first contact: %v", ErrHeader, err)
	}
	return TrustRoot{ChainID: chainID, Height: lb.Height, Hash: rpc.HexBytes(lb.Hash()), Time: lb.Time}, nil
}

func (v *Verifier) save(r TrustRoot) error {
	if v.file == "" {
		return nil
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(v.file), 0o700); err != nil {
		return fmt.Errorf("trust file: %w", err)
	}
	tmp := v.file + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("trust file: %w", err)
	}
	return os.Rename(tmp, v.file)
}

// Root is the trust root the verifier started from.
func (v *Verifier) Root() TrustRoot { return v.root }

// ChainID is the chain the verifier verifies.
func (v *Verifier) ChainID() string { return v.chainID }

// Header returns the header at height, verified from the trust root by the
// light client. It waits for the block if the node has not made it yet.
func (v *Verifier) Header(ctx context.Context, height int64) (*types.SignedHeader, error) {
	if err := v.waitHeight(ctx, height); err != nil {
		return nil, err
	}
	lb, err := v.lc.VerifyLightBlockAtHeight(ctx, height, time.Now())
	if err != nil {
		return nil, fmt.Errorf("%w: height %d: %v", ErrHeader, height, err)
	}
	return lb.SignedHeader, nil
}

func (v *Verifier) waitHeight(ctx context.Context, height int64) error {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		st, err := v.comet.Status(ctx)
		if err == nil && st.SyncInfo.LatestBlockHeight >= height {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for block %d: %w (last error: %v)", height, ctx.Err(), err)
		case <-tick.C:
		}
	}
}

// Close records the newest header the light client verified as the root
// of the next run, so that the root stays within the trusting period.
func (v *Verifier) Close() error {
	lb, err := v.lc.TrustedLightBlock(0)
	if err != nil || lb.Height <= v.root.Height {
		return nil
	}
	return v.save(TrustRoot{ChainID: v.chainID, Height: lb.Height, Hash: rpc.HexBytes(lb.Hash()), Time: lb.Time})
}

// VerifiedRow is a row read from a proof that verified.
type VerifiedRow struct {
	// Row is the proven value decoded as JSON by the proven schema (null
	// when the proof proves the row absent).
	Row     json.RawMessage
	Height  int64        // the state's height
	AppHash rpc.HexBytes // the app hash of that state, from the verified header of Height+1
	Key     rpc.HexBytes // the row's key in the state tree, computed by the client
	TableID uint64
}

// VerifyRow checks a vsys_getRow result (asked with prove) for req without
// trusting the node: the app hash comes from the header of block
// res.Height+1 as verified by the light client (CometBFT headers carry the
// app hash of the state before them); the table record (id and schema) is
// proven under it at the table's key computed from (owner, table); the
// row's key is computed from the table id and req.Key with the module's
// own key layout; the proof must prove that key (present with the value
// returned, or absent); and the row returned must be the proven value. It
// returns the row as decoded from the proven value.
func (v *Verifier) VerifyRow(ctx context.Context, req rpc.RowRequest, res *rpc.RowResult) (*VerifiedRow, error) {
	if res.Proof == nil || res.TableProof == nil {
		return nil, ErrNoProof
	}
	if req.Height != 0 && res.Height != int64(req.Height) {
		return nil, fmt.Errorf("%w: asked for height %d, the node answered for %d", ErrProof, req.Height, res.Height)
	}
	h, err := v.Header(ctx, res.Height+1)
	if err != nil {
		return nil, err
	}
	root := h.AppHash

	tableKey := dblayout.InTree(dblayout.TableKey(req.Owner, req.Table))
	if !bytes.Equal(res.TableProof.Key, tableKey) {
		return nil, fmt.Errorf("%w: the table proof is of key %x, not of table %q of %s (%x)", ErrProof, []byte(res.TableProof.Key), req.Table, req.Owner, tableKey)
	}
	if err := verifyProof(root, res.TableProof, tableKey, res.TableProof.Value); err != nil {
		return nil, fmt.Errorf("table record: %w", err)
	}
	var rec dblayout.TableRecord
	if err := codec.Unmarshal(res.TableProof.Value, &rec); err != nil {
		return nil, fmt.Errorf("proven table record: %w", err)
	}
	cols, err := dblayout.ColumnTypes(&rec.Schema)
	if err != nil {
		return nil, fmt.Errorf("proven schema: %w", err)
	}
	pos, pkTypes, err := dblayout.PrimaryKeyTypes(&rec.Schema, cols)
	if err != nil {
		return nil, fmt.Errorf("proven schema: %w", err)
	}
	keyFields := make([]codec.Field, len(pos))
	for i, p := range pos {
		keyFields[i] = codec.Field{Name: rec.Schema.Columns[p].Name, Type: pkTypes[i]}
	}
	keyType := codec.Struct(keyFields...)
	canon, err := codec.FromJSON(keyType, req.Key)
	if err != nil {
		return nil, fmt.Errorf("key (%s): %w", keyType, err)
	}
	pk, err := dblayout.PKKey(pkTypes, canon)
	if err != nil {
		return nil, fmt.Errorf("key: %w", err)
	}
	rowKey := dblayout.InTree(dblayout.RowKey(rec.ID, pk))
	if !bytes.Equal(res.Proof.Key, rowKey) {
		return nil, fmt.Errorf("%w: the proof is of key %x, not of the row asked for (%x)", ErrProof, []byte(res.Proof.Key), rowKey)
	}
	out := &VerifiedRow{Row: json.RawMessage("null"), Height: res.Height, AppHash: rpc.HexBytes(root), Key: rowKey, TableID: rec.ID}
	if string(compactJSON(res.Row)) == "null" {
		if err := verifyProof(root, res.Proof, rowKey, nil); err != nil {
			return nil, fmt.Errorf("absent row: %w", err)
		}
		return out, nil
	}
	if err := verifyProof(root, res.Proof, rowKey, res.Proof.Value); err != nil {
		return nil, fmt.Errorf("row: %w", err)
	}
	row, _, err := dblayout.PadRow(cols, res.Proof.Value)
	if err != nil {
		return nil, fmt.Errorf("proven row: %w", err)
	}
	fields := make([]codec.Field, len(cols))
	for i, c := range rec.Schema.Columns {
		fields[i] = codec.Field{Name: c.Name, Type: cols[i]}
	}
	if out.Row, err = codec.ToJSON(codec.Struct(fields...), row); err != nil {
		return nil, fmt.Errorf("proven row: %w", err)
	}
	if !bytes.Equal(compactJSON(out.Row), compactJSON(res.Row)) {
		return nil, fmt.Errorf("%w: the row returned is not the value proven (proven %s)", ErrProof, out.Row)
	}
	return out, nil
}

// verifyProof checks p (an ICS23 proof with the IAVL spec) proves key holds
// value (absent, for nil) under root.
func verifyProof(root []byte, p *rpc.RowProof, key, value []byte) error {
	cp, err := rpc.DecodeProof(p)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrProof, err)
	}
	if value != nil && len(value) == 0 {
		return fmt.Errorf("%w: empty value", ErrProof)
	}
	return proof.Verify(root, cp, key, value)
}
