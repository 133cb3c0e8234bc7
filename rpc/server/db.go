package server

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/dblayout"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/modules/database"
	"github.com/vsys/vsys/rpc"
	"github.com/vsys/vsys/rpc/jsonrpc"
)

// dbReader reads the database at height. On a chain that does not run the
// db module the table methods answer as a call to it would: unknown
// contract (docs/chains.md).
func (h *handlers) dbReader(height rpc.Height) (*database.Reader, int64, error) {
	if !slices.Contains(h.App.Modules(), database.Name) {
		return nil, 0, appError(fmt.Errorf("%w %s: this chain does not run the %s module", router.ErrUnknownContract, database.Address, database.Name))
	}
	kv, hgt, err := h.App.View(int64(height))
	if err != nil {
		return nil, 0, appError(err)
	}
	return database.NewReader(kv), hgt, nil
}

// table is one table as the table methods read it: the database at a
// height and the table's schema with its row and key types.
type table struct {
	r          *database.Reader
	height     int64
	schema     *database.Schema
	rowT, keyT *codec.Type
}

// openTable opens the table ref names at ref's height.
func (h *handlers) openTable(ref rpc.TableRef) (*table, error) {
	r, hgt, err := h.dbReader(ref.Height)
	if err != nil {
		return nil, err
	}
	s, rowT, keyT, err := r.Schema(ref.Owner, ref.Table)
	if err != nil {
		return nil, appError(err)
	}
	return &table{r: r, height: hgt, schema: s, rowT: rowT, keyT: keyT}, nil
}

func (h *handlers) getSchema(_ context.Context, raw json.RawMessage) (any, error) {
	var ref rpc.TableRef
	if err := params(raw, 0, &ref); err != nil {
		return nil, err
	}
	t, err := h.openTable(ref)
	if err != nil {
		return nil, err
	}
	return rpc.SchemaResult{Owner: ref.Owner, Table: ref.Table, Schema: *t.schema, RowType: t.rowT, KeyType: t.keyT, Height: t.height}, nil
}

func (h *handlers) listTables(_ context.Context, raw json.RawMessage) (any, error) {
	var owner address.Address
	var height rpc.Height
	if err := params(raw, 1, &owner, &height); err != nil {
		return nil, err
	}
	r, _, err := h.dbReader(height)
	if err != nil {
		return nil, err
	}
	names, err := r.Tables(owner)
	if err != nil {
		return nil, appError(err)
	}
	if names == nil {
		names = []string{}
	}
	return names, nil
}

func (h *handlers) getRow(_ context.Context, raw json.RawMessage) (any, error) {
	var req rpc.RowRequest
	if err := params(raw, 0, &req); err != nil {
		return nil, err
	}
	t, err := h.openTable(req.TableRef)
	if err != nil {
		return nil, err
	}
	rowT, keyT, hgt := t.rowT, t.keyT, t.height
	key, err := codec.FromJSON(keyT, req.Key)
	if err != nil {
		return nil, jsonrpc.InvalidParams("key (%s): %v", keyT, err)
	}
	row, storeKey, err := t.r.Get(req.Owner, req.Table, key)
	if err != nil {
		return nil, appError(err)
	}
	out := rpc.RowResult{Row: json.RawMessage("null"), Height: hgt}
	if row != nil {
		if out.Row, err = codec.ToJSON(rowT, row); err != nil {
			return nil, appError(err)
		}
	}
	if req.Prove {
		if out.Proof, err = h.prove(hgt, storeKey); err != nil {
			return nil, err
		}
		if out.TableProof, err = h.prove(hgt, dblayout.InTree(dblayout.TableKey(req.Owner, req.Table))); err != nil {
			return nil, err
		}
		if out.AppHash, err = h.App.Store().HashAt(hgt); err != nil {
			return nil, appError(err)
		}
	}
	return out, nil
}

// prove returns an ICS23 proof of key at version hgt.
func (h *handlers) prove(hgt int64, key []byte) (*rpc.RowProof, error) {
	value, proof, err := h.App.Store().Prove(hgt, key)
	if err != nil {
		return nil, appError(err)
	}
	pb, err := proof.Marshal()
	if err != nil {
		return nil, appError(err)
	}
	return &rpc.RowProof{Key: key, Value: value, Proof: pb}, nil
}

func (h *handlers) queryTable(_ context.Context, raw json.RawMessage) (any, error) {
	var req rpc.QueryRequest
	if err := params(raw, 0, &req); err != nil {
		return nil, err
	}
	t, err := h.openTable(req.TableRef)
	if err != nil {
		return nil, err
	}
	q, err := encodeQuery(t.schema, t.rowT, &req)
	if err != nil {
		return nil, jsonrpc.InvalidParams("%v", err)
	}
	res, err := t.r.Query(req.Owner, req.Table, q)
	if err != nil {
		return nil, appError(err)
	}
	out := rpc.QueryResult{Rows: make([]json.RawMessage, 0, len(res.Rows)), Cursor: res.Cursor, Height: t.height}
	for _, row := range res.Rows {
		js, err := codec.ToJSON(t.rowT, row)
		if err != nil {
			return nil, appError(err)
		}
		out.Rows = append(out.Rows, js)
	}
	return out, nil
}

// encodeQuery turns a JSON query into the module's canonical one.
func encodeQuery(s *database.Schema, rowT *codec.Type, req *rpc.QueryRequest) (database.QueryArgs, error) {
	q := database.QueryArgs{Index: req.Index, Reverse: req.Reverse, Limit: req.Limit, Cursor: req.Cursor}
	cols := s.PrimaryKey
	if req.Index != "" {
		found := false
		for _, ix := range s.Indexes {
			if ix.Name == req.Index {
				cols, found = ix.Columns, true
			}
		}
		if !found {
			return q, fmt.Errorf("table %s has no index %q", req.Table, req.Index)
		}
	}
	colType := func(name string) (*codec.Type, error) {
		for _, f := range rowT.Fields {
			if f.Name == name {
				return f.Type, nil
			}
		}
		return nil, fmt.Errorf("table %s has no column %q", req.Table, name)
	}
	k := 0
	for ; k < len(cols); k++ {
		v, ok := req.Prefix[cols[k]]
		if !ok {
			break
		}
		t, err := colType(cols[k])
		if err != nil {
			return q, err
		}
		js, _ := json.Marshal(v)
		b, err := codec.FromJSON(t, js)
		if err != nil {
			return q, fmt.Errorf("prefix %s: %v", cols[k], err)
		}
		q.Prefix = append(q.Prefix, b...)
	}
	if k != len(req.Prefix) {
		return q, fmt.Errorf("prefix must give leading columns of %v in order", cols)
	}
	for _, bound := range []struct {
		js  json.RawMessage
		dst **[]byte
	}{{req.Lower, &q.Lower}, {req.Upper, &q.Upper}} {
		if len(bound.js) == 0 || string(bound.js) == "null" {
			continue
		}
		if k >= len(cols) {
			return q, fmt.Errorf("lower/upper bound column %d, but the index has %d columns", k+1, len(cols))
		}
		t, err := colType(cols[k])
		if err != nil {
			return q, err
		}
		b, err := codec.FromJSON(t, bound.js)
		if err != nil {
			return q, fmt.Errorf("bound on %s: %v", cols[k], err)
		}
		*bound.dst = &b
	}
	for _, f := range req.Filters {
		t, err := colType(f.Column)
		if err != nil {
			return q, err
		}
		b, err := codec.FromJSON(t, f.Value)
		if err != nil {
			return q, fmt.Errorf("filter %s: %v", f.Column, err)
		}
		q.Filters = append(q.Filters, database.Filter{Column: f.Column, Op: f.Op, Value: b})
	}
	return q, nil
}
