package rpc

// ProveRequest is vsys_proveKey's parameter: any key of the state tree
// (a module's key is 'c' ‖ its address ‖ its own key) at a store version
// (0 or "latest": the latest).
type ProveRequest struct {
	Key    HexBytes `json:"key"`
	Height Height   `json:"height"`
}

// ProveResult is vsys_proveKey's result: the value under Key at Height
// (empty when absent) and an ICS23 proof of it — membership, or
// non-membership when absent — against AppHash, the root after block
// Height, which block Height+1's header carries. A relayer proving a
// packet path to a light client uses Height+1 as the proof height.
type ProveResult struct {
	Key     HexBytes `json:"key"`
	Value   HexBytes `json:"value"`
	Proof   HexBytes `json:"proof"`
	Height  int64    `json:"height"`
	AppHash HexBytes `json:"app_hash"`
}
