package app

import "github.com/vsys/vsys/core/codec"

// EncodeResults encodes call results as list<bytes>, the Data of a tx result.
func EncodeResults(results [][]byte) []byte {
	w := codec.NewWriter(0)
	w.Len(len(results))
	for _, r := range results {
		w.Blob(r)
	}
	return w.Bytes()
}

// DecodeResults is the inverse of EncodeResults.
func DecodeResults(b []byte) ([][]byte, error) {
	if len(b) == 0 {
		return nil, nil
	}
	r := codec.NewReader(b)
	n := r.Len(4)
	out := make([][]byte, 0, n)
	for i := 0; i < n && r.Err() == nil; i++ {
		out = append(out, r.Blob())
	}
	return out, r.Finish()
}
