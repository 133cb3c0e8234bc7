package gateway

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// ErrBadPath is the error of a request path the gateway does not route.
var ErrBadPath = errors.New("bad gateway path")

// parsePath splits a request path into the chain name and the node path
// ("/" or "/ws"). It reads the escaped path, so an encoded slash cannot
// hide a segment boundary, and refuses dot segments even though
// net/http's mux would clean them: this handler may be mounted without a
// mux.
func parsePath(u *url.URL) (chain, path string, err error) {
	raw := u.EscapedPath()
	if strings.ContainsAny(raw, "\\%") {
		// No valid chain path needs an escape: names are [a-z0-9-] and
		// the node paths are fixed.
		return "", "", fmt.Errorf("%w: escapes are not allowed", ErrBadPath)
	}
	rest, ok := strings.CutPrefix(raw, "/")
	if !ok {
		return "", "", ErrBadPath
	}
	chain, tail, _ := strings.Cut(rest, "/")
	if err := ValidChainName(chain); err != nil {
		return "", "", err
	}
	switch tail {
	case "":
		return chain, "/", nil
	case "ws":
		return chain, "/ws", nil
	}
	return "", "", fmt.Errorf("%w: a chain serves /%s/ and /%s/ws only", ErrBadPath, chain, chain)
}

// ErrBadChainName is the error of an invalid chain name.
var ErrBadChainName = errors.New("bad chain name")

// ValidChainName checks name: 1..MaxChainName characters of [a-z0-9-].
func ValidChainName(name string) error {
	if name == "" || len(name) > MaxChainName {
		return fmt.Errorf("%w: a name has 1 to %d characters", ErrBadChainName, MaxChainName)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return fmt.Errorf("%w: %q has characters outside [a-z0-9-]", ErrBadChainName, name)
		}
	}
	return nil
}
