package api

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/vsys/vsys/rpc/jsonrpc"
)

// NewHandler returns the control API for b behind token: a JSON-RPC
// server whose every request must carry `Authorization: Bearer token`.
func NewHandler(b Backend, token string) http.Handler {
	s := jsonrpc.NewServer()
	s.SetMaxBodyBytes(1 << 20)
	register(s, MethodCreateChain, func(ctx context.Context, r CreateRequest) (any, error) { return b.CreateChain(ctx, r) })
	s.Register(MethodListChains, func(ctx context.Context, _ json.RawMessage) (any, error) {
		l, err := b.ListChains(ctx)
		if l == nil {
			l = []Chain{}
		}
		return l, wire(err)
	})
	register(s, MethodChainStatus, func(ctx context.Context, r NameRequest) (any, error) { return b.ChainStatus(ctx, r.Name) })
	register(s, MethodStopChain, func(ctx context.Context, r NameRequest) (any, error) { return b.StopChain(ctx, r.Name) })
	register(s, MethodStartChain, func(ctx context.Context, r NameRequest) (any, error) { return b.StartChain(ctx, r.Name) })
	register(s, MethodDeleteChain, func(ctx context.Context, r NameRequest) (any, error) {
		return map[string]string{"deleted": r.Name}, b.DeleteChain(ctx, r.Name)
	})
	register(s, MethodLogs, func(ctx context.Context, r LogsRequest) (any, error) { return b.Logs(ctx, r.Name, r.Lines) })
	register(s, MethodCreateRelayer, func(ctx context.Context, r CreateRelayerRequest) (any, error) { return b.CreateRelayer(ctx, r) })
	s.Register(MethodListRelayers, func(ctx context.Context, _ json.RawMessage) (any, error) {
		l, err := b.ListRelayers(ctx)
		if l == nil {
			l = []Relayer{}
		}
		return l, wire(err)
	})
	register(s, MethodDeleteRelayer, func(ctx context.Context, r NameRequest) (any, error) {
		return map[string]string{"deleted": r.Name}, b.DeleteRelayer(ctx, r.Name)
	})
	return &auth{token: []byte(token), next: s}
}

// register adds a method whose params are one object of type P.
func register[P any](s *jsonrpc.Server, method string, h func(context.Context, P) (any, error)) {
	s.Register(method, func(ctx context.Context, raw json.RawMessage) (any, error) {
		var p P
		if len(raw) == 0 {
			return nil, jsonrpc.InvalidParams("%s: want an object of parameters", method)
		}
		dec := json.NewDecoder(strings.NewReader(string(raw)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&p); err != nil {
			return nil, jsonrpc.InvalidParams("%s: %v", method, err)
		}
		res, err := h(ctx, p)
		if err != nil {
			return nil, wire(err)
		}
		return res, nil
	})
}

// wire turns a sentinel (wrapped) into a JSON-RPC error with its code.
func wire(err error) error {
	if err == nil {
		return nil
	}
	for _, c := range codes {
		if errors.Is(err, c.err) {
			return &jsonrpc.Error{Code: c.code, Message: err.Error()}
		}
	}
	return err
}

// auth refuses requests without the operator token.
type auth struct {
	token []byte
	next  http.Handler
}

func (a *auth) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(got), a.token) != 1 {
		w.Header().Set("WWW-Authenticate", `Bearer realm="vsys cloud"`)
		http.Error(w, "unauthorized: the control API needs Authorization: Bearer <operator token>", http.StatusUnauthorized)
		return
	}
	a.next.ServeHTTP(w, r)
}
