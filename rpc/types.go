package rpc

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	ics23 "github.com/cosmos/ics23/go"

	"github.com/vsys/vsys/core/abi"
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/dblayout"
)

// Coin is an amount of one token.
type Coin struct {
	Token  string     `json:"token"`
	Amount codec.U128 `json:"amount"`
}

// Account is vsys_getAccount's result: an account's nonce and balances at
// a height.
type Account struct {
	Address  address.Address `json:"address"`
	Nonce    uint64          `json:"nonce"`
	Balances []Coin          `json:"balances"`
	Height   int64           `json:"height"`
}

// Height is a block height given as a number, a decimal or 0x-hex
// string, or "latest" (0).
type Height int64

// UnmarshalJSON accepts 5, "5", "0x5" and "latest".
func (h *Height) UnmarshalJSON(b []byte) error {
	var s string
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	} else {
		s = string(b)
	}
	if s == "latest" || s == "null" || s == "" {
		*h = 0
		return nil
	}
	v, err := strconv.ParseInt(s, 0, 64)
	if err != nil || v < 0 {
		return fmt.Errorf("height %q: want a non-negative integer or \"latest\"", s)
	}
	*h = Height(v)
	return nil
}

// HexBytes is 0x-prefixed hex in JSON.
type HexBytes []byte

// MarshalJSON writes 0x-prefixed lower-case hex.
func (b HexBytes) MarshalJSON() ([]byte, error) { return json.Marshal("0x" + hex.EncodeToString(b)) }

// UnmarshalJSON accepts hex with or without 0x.
func (b *HexBytes) UnmarshalJSON(data []byte) error {
	// Fast path for the common case, a plain quoted string: every submitted
	// tx comes through here, so skip the generic string decoder.
	if n := len(data); n >= 2 && data[0] == '"' && data[n-1] == '"' && bytes.IndexByte(data[1:n-1], '\\') < 0 {
		h := data[1 : n-1]
		if len(h) >= 2 && h[0] == '0' && (h[1] == 'x' || h[1] == 'X') {
			h = h[2:]
		}
		v := make([]byte, hex.DecodedLen(len(h)))
		if _, err := hex.Decode(v, h); err != nil {
			return fmt.Errorf("bad hex: %v", err)
		}
		*b = v
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("want a hex string: %v", err)
	}
	v, err := hex.DecodeString(strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X"))
	if err != nil {
		return fmt.Errorf("bad hex: %v", err)
	}
	*b = v
	return nil
}

// Status is vsys_status's result: who the node is, how far it is, and the
// chain parameters a client needs to build a tx.
type Status struct {
	ChainID         string     `json:"chain_id"`
	NodeID          string     `json:"node_id"`
	Moniker         string     `json:"moniker"`
	Version         string     `json:"version"`
	LatestHeight    int64      `json:"latest_height"`
	LatestBlockTime time.Time  `json:"latest_block_time"`
	LatestAppHash   HexBytes   `json:"latest_app_hash"`
	CatchingUp      bool       `json:"catching_up"`
	NativeToken     string     `json:"native_token,omitempty"`
	MinGasPrice     codec.U128 `json:"min_gas_price"`
	MaxGasPerTx     uint64     `json:"max_gas_per_tx"`
	// TotalTxs is the number of txs in the blocks up to TxsCountedHeight
	// that this node stores (all of them unless it prunes); node-local,
	// counted from the block store, so it is what a cloud bills by.
	TotalTxs         uint64 `json:"total_txs"`
	TxsCountedHeight int64  `json:"txs_counted_height"`
}

// Block is vsys_getBlock's result.
type Block struct {
	Height   int64      `json:"height"`
	Hash     HexBytes   `json:"hash"`
	Time     time.Time  `json:"time"`
	AppHash  HexBytes   `json:"app_hash"` // state after the previous block
	Proposer HexBytes   `json:"proposer"`
	NumTxs   int        `json:"num_txs"`
	Txs      []HexBytes `json:"txs"` // tx hashes
}

// TxCall is one call of a tx as JSON, its arguments decoded by the ABI
// when the contract is known.
type TxCall struct {
	Contract address.Address `json:"contract"`
	Method   string          `json:"method"`
	Args     json.RawMessage `json:"args"`
	Funds    []Coin          `json:"funds,omitempty"`
}

// Event is an event of a tx result.
type Event struct {
	Type       string            `json:"type"`
	Attributes map[string]string `json:"attributes"`
}

// Transaction is vsys_getTransaction's result.
type Transaction struct {
	Hash      HexBytes          `json:"hash"`
	Height    int64             `json:"height"`
	Index     uint32            `json:"index"`
	Status    string            `json:"status"` // "ok" or "failed"
	Code      uint32            `json:"code"`
	Codespace string            `json:"codespace,omitempty"` // of Code: "vsys" or a module's name
	Log       string            `json:"log,omitempty"`
	GasWanted int64             `json:"gas_wanted"`
	GasUsed   int64             `json:"gas_used"`
	Sender    string            `json:"sender,omitempty"`
	Nonce     uint64            `json:"nonce"`
	Calls     []TxCall          `json:"calls,omitempty"`
	Results   []json.RawMessage `json:"results,omitempty"`
	Events    []Event           `json:"events"`
}

// CallRequest is vsys_call's parameter.
type CallRequest struct {
	Contract string          `json:"contract"` // bech32 address or a module name such as "token"
	Method   string          `json:"method"`
	Args     json.RawMessage `json:"args"`              // JSON, encoded by the method's ABI
	ArgsHex  HexBytes        `json:"argsHex,omitempty"` // or canonical bytes
	Height   Height          `json:"height"`
}

// CallResult is vsys_call's result.
type CallResult struct {
	Result  json.RawMessage `json:"result"`
	GasUsed uint64          `json:"gas_used"`
	Height  int64           `json:"height"`
}

// Estimate is vsys_estimateGas's result: the exact gas the tx would use
// against the latest state, and whether it would succeed. The probe's
// gas_limit and signature bytes are ignored (docs/transactions.md).
type Estimate struct {
	GasUsed   uint64            `json:"gas_used"`
	OK        bool              `json:"ok"`
	Code      uint32            `json:"code"`
	Codespace string            `json:"codespace,omitempty"` // of Code: "vsys" or a module's name; empty when OK
	Error     string            `json:"error,omitempty"`
	Results   []json.RawMessage `json:"results,omitempty"`
	// The storage deposit the tx would lock from its sender (or return to
	// it), in the native coin: the sender pays for the bytes its tx adds,
	// to its own tables and to contracts' state alike (docs/billing.md).
	DepositLocked   codec.U128 `json:"storage_deposit"`
	DepositReturned codec.U128 `json:"storage_deposit_returned"`
}

// CodeInfo is vsys_getCode's result.
type CodeInfo struct {
	Hash    HexBytes        `json:"hash"`
	Creator address.Address `json:"creator"`
	Size    uint32          `json:"size"`
	Height  uint64          `json:"height"`
	ABI     *abi.ABI        `json:"abi"`
}

// ContractInfo is vsys_getContract's result.
type ContractInfo struct {
	Address  address.Address  `json:"address"`
	CodeHash HexBytes         `json:"code_hash"`
	Admin    *address.Address `json:"admin"`
	Label    string           `json:"label"`
	Creator  address.Address  `json:"creator"`
	Created  uint64           `json:"created"`
	ABI      *abi.ABI         `json:"abi"`
}

// GasPrice is vsys_gasPrice's result: the minimum a tx may offer, and
// the storage price, both in the native coin's smallest unit.
type GasPrice struct {
	MinGasPrice         codec.U128 `json:"min_gas_price"`
	StoragePricePerByte codec.U128 `json:"storage_price_per_byte"`
	NativeToken         string     `json:"native_token"`
}

// Bill is vsys_getBill's result.
type Bill struct {
	Address    address.Address `json:"address"`
	Bytes      uint64          `json:"bytes"`     // bytes of state it pays for
	Deposit    codec.U128      `json:"deposit"`   // native coin locked for them (by whoever paid)
	FeesPaid   codec.U128      `json:"fees_paid"` // fees of its txs
	GasUsed    uint64          `json:"gas_used"`  // gas of its txs
	Categories []BillCategory  `json:"categories"`
	// Funded is what it has locked for contracts' state its txs added
	// (counted in those contracts' deposits); it comes back to it when
	// those bytes are deleted or overwritten by someone else.
	Funded codec.U128 `json:"funded"`
	Height int64      `json:"height"`
}

// BillCategory is the bytes held under one category: "storage" (a
// contract's own), "code", "contracts", or "table/NAME".
type BillCategory struct {
	Category string `json:"category"`
	Bytes    uint64 `json:"bytes"`
}

// TableRef names a table at a height (0: latest).
type TableRef struct {
	Owner  address.Address `json:"owner"`
	Table  string          `json:"table"`
	Height Height          `json:"height"`
}

// SchemaResult is vsys_getSchema's result.
type SchemaResult struct {
	Owner   address.Address `json:"owner"`
	Table   string          `json:"table"`
	Schema  dblayout.Schema `json:"schema"`
	RowType *codec.Type     `json:"row_type"`
	KeyType *codec.Type     `json:"key_type"`
	Height  int64           `json:"height"`
}

// RowRequest is vsys_getRow's parameter: the primary key as JSON, by the
// table's key type (an object of the key columns).
type RowRequest struct {
	TableRef
	Key   json.RawMessage `json:"key"`
	Prove bool            `json:"prove"`
}

// RowResult is vsys_getRow's result. Row is null when absent; with prove,
// Proof shows the row's presence (or absence) under AppHash, the app hash
// after block Height, which block Height+1's header carries, and
// TableProof shows the table's record (its id and schema), from which a
// client computes the row's key itself (docs/proofs.md).
type RowResult struct {
	Row        json.RawMessage `json:"row"`
	Height     int64           `json:"height"`
	Proof      *RowProof       `json:"proof,omitempty"`
	TableProof *RowProof       `json:"table_proof,omitempty"`
	AppHash    HexBytes        `json:"app_hash,omitempty"`
}

// RowProof is an ICS23 proof of one IAVL key: the row's storage key, its
// canonical value (empty when absent) and the protobuf-encoded proof.
type RowProof struct {
	Key   HexBytes `json:"key"`
	Value HexBytes `json:"value"`
	Proof HexBytes `json:"proof"`
}

// QueryRequest is vsys_queryTable's parameter, in JSON terms: Prefix gives
// values of the index's leading columns (an object), Lower/Upper bound the
// next column, filter values are JSON by their column's type.
type QueryRequest struct {
	TableRef
	Index   string          `json:"index"`
	Prefix  map[string]any  `json:"prefix"`
	Lower   json.RawMessage `json:"lower"`
	Upper   json.RawMessage `json:"upper"`
	Reverse bool            `json:"reverse"`
	Filters []QueryFilter   `json:"filters"`
	Limit   uint32          `json:"limit"`
	Cursor  HexBytes        `json:"cursor"`
}

// QueryFilter is one filter: column op value.
type QueryFilter struct {
	Column string          `json:"column"`
	Op     string          `json:"op"`
	Value  json.RawMessage `json:"value"`
}

// QueryResult is vsys_queryTable's result: a page of rows and the cursor
// of the next page (empty when there is none).
type QueryResult struct {
	Rows   []json.RawMessage `json:"rows"`
	Cursor HexBytes          `json:"cursor"`
	Height int64             `json:"height"`
}

// DecodeProof parses a RowProof's protobuf proof.
func DecodeProof(p *RowProof) (*ics23.CommitmentProof, error) {
	var cp ics23.CommitmentProof
	if err := cp.Unmarshal(p.Proof); err != nil {
		return nil, fmt.Errorf("proof: %w", err)
	}
	return &cp, nil
}
