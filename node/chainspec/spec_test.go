package chainspec

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/app/genesis"
	"github.com/vsys/vsys/core/codec"
)

func TestValidateName(t *testing.T) {
	for _, ok := range []string{"a", "shop", "my-chain-2", strings.Repeat("a", MaxNameLen)} {
		require.NoError(t, ValidateName(ok), ok)
	}
	for name, want := range map[string]string{
		"":                       "the name is empty",
		"../x":                   "no dots or slashes",
		"a/b":                    "no dots or slashes",
		"..":                     "no dots or slashes",
		"Shop":                   "lower-case",
		"-a":                     "not first or last",
		"a-":                     "not first or last",
		"a_b":                    "lower-case letters",
		strings.Repeat("a", 64):  "64 characters, at most 63",
		strings.Repeat("a", 200): "200 characters, at most 63",
	} {
		err := ValidateName(name)
		require.ErrorIs(t, err, ErrName, name)
		require.ErrorContains(t, err, want, name)
	}
}

func TestSetParams(t *testing.T) {
	p := genesis.DefaultParams()
	require.NoError(t, SetParams(&p, map[string]string{
		"billing.storage_price_per_byte": "2",
		"max_call_depth":                 "7",
		"min_gas_price":                  "340282366920938463463374607431768211455", // u128 max, past a JSON number's precision
		"staking.mode":                   "spos",
	}))
	require.Equal(t, codec.NewU128(2), p.Billing.StoragePricePerByte)
	require.Equal(t, uint32(7), p.MaxCallDepth)
	require.Equal(t, codec.MaxU128, p.MinGasPrice)
	require.Equal(t, "spos", p.Staking.Mode)

	for path, c := range map[string]struct{ value, want string }{
		"nope":                           {"1", `unknown parameter "nope": params has billing, costs,`},
		"billing.nope":                   {"1", `unknown parameter "nope": billing has`},
		"max_call_depth.x":               {"1", "max_call_depth is a value, not a group"},
		"billing":                        {"1", "a group of parameters"},
		"max_call_depth":                 {"many", `"many": want a number`},
		"max_tx_bytes":                   {"-1", "cannot unmarshal number -1"},
		"max_gas_per_tx":                 {"1.5", "cannot unmarshal number 1.5"},
		"min_gas_price":                  {"lots", `param min_gas_price="lots"`},
		"billing.storage_price_per_byte": {"-2", `param billing.storage_price_per_byte="-2"`},
	} {
		p := genesis.DefaultParams()
		err := SetParams(&p, map[string]string{path: c.value})
		require.ErrorIs(t, err, ErrSpec, path)
		require.ErrorContains(t, err, c.want, path)
		require.Equal(t, genesis.DefaultParams(), p, "%s: a refused param changes nothing", path)
	}
}

func TestLoadTemplate(t *testing.T) {
	dir := t.TempDir()
	toml := filepath.Join(dir, "shop.toml")
	require.NoError(t, os.WriteFile(toml, []byte(`name = "shop"
modules = ["token", "db"]
validators = 2
heartbeat = "10s"

[[accounts]]
address = "vsys1x"
amount = "5"

[params]
"billing.storage_price_per_byte" = 2
"staking.mode" = "poa"
`), 0o644))
	s, err := LoadTemplate(toml)
	require.NoError(t, err)
	require.Equal(t, Spec{Name: "shop", Modules: []string{"token", "db"}, Validators: 2, Heartbeat: "10s",
		Accounts: []Account{{Address: "vsys1x", Amount: "5"}},
		Params:   map[string]string{"billing.storage_price_per_byte": "2", "staking.mode": "poa"}}, s)

	js := filepath.Join(dir, "shop.json")
	require.NoError(t, os.WriteFile(js, []byte(`{"name":"shop","consensus":"spos","params":{"max_call_depth":9,"billing.storage_price_per_byte":"3"}}`), 0o644))
	s, err = LoadTemplate(js)
	require.NoError(t, err)
	require.Equal(t, Spec{Name: "shop", Consensus: "spos", Params: map[string]string{"max_call_depth": "9", "billing.storage_price_per_byte": "3"}}, s)

	for name, body := range map[string]string{
		"typo.toml":  "nam = \"x\"\n",
		"group.toml": "[params.billing]\nstorage_price_per_byte = 2\n",
		"typo.json":  `{"name":"x","validatorz":2}`,
	} {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
		_, err := LoadTemplate(p)
		require.ErrorIs(t, err, ErrSpec, name)
	}
}
