package keys

import (
	"fmt"
	"strings"
)

// BackendEnv is the environment variable that selects the keyring backend
// when no --keyring-backend flag does.
const BackendEnv = "VSYS_KEYRING_BACKEND"

// Backends are all the keyring backends, in the order hints list them.
var Backends = []Backend{BackendFile, BackendTest}

// Choice is the keyring backend a command uses and where that choice came
// from, so that an error can say which keyring it looked in and why.
type Choice struct {
	Backend Backend
	// Source is "--keyring-backend", "$VSYS_KEYRING_BACKEND", the path of
	// the client config that set it, or "default".
	Source string
}

// Choose picks the keyring backend by precedence: the flag (if set), else
// the environment variable, else the home's client config, else the file
// backend. An empty string means that level is unset. configPath names the
// config file in errors and in the Choice's Source.
func Choose(flag string, flagSet bool, env, config, configPath string) (Choice, error) {
	levels := []struct {
		set    bool
		value  string
		source string
	}{
		{flagSet, flag, "--keyring-backend"},
		{env != "", env, "$" + BackendEnv},
		{config != "", config, configPath},
	}
	for _, l := range levels {
		if !l.set {
			continue
		}
		b, err := ParseBackend(strings.TrimSpace(l.value))
		if err != nil {
			return Choice{}, fmt.Errorf("%s: %w", l.source, err)
		}
		return Choice{Backend: b, Source: l.source}, nil
	}
	return Choice{Backend: BackendFile, Source: "default"}, nil
}
