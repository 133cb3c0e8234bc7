// Package cloud is the control plane that hosts many chains on one
// machine (`vsysd cloud start --home DIR`), each chain node its own
// process.
//
// It ties the parts together: cloud/state (the cloud home on disk),
// cloud/ports (allocation from cloud.toml's range), cloud/supervisor (the
// node processes, restarts with backoff, adoption after a restart of the
// control plane) and cloud/api (the control API behind the operator
// token). A [Plane] is the api.Backend; [Plane.Lookup] is the seam a
// gateway uses to route /<chain>/ to the chain's JSON-RPC address, and
// Options.Hooks the seam where per-chain resource limits are applied to
// a node process around its start.
//
// A chain is created in a hidden temp directory under chains/ and
// renamed into place only when its home and record are complete; a
// failure removes the temp directory and releases the name and ports, and
// a temp directory left by a crash is removed at the next start. The
// whole home is made by one function, createHome (home.go).
package cloud
