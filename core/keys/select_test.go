package keys

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestChoose: --keyring-backend beats $VSYS_KEYRING_BACKEND beats the
// client config beats the file default, and every choice says its source.
func TestChoose(t *testing.T) {
	const conf = "/h/config/client.toml"
	cases := []struct {
		flag         string
		flagSet      bool
		env, config  string
		want         Backend
		wantSource   string
		wantErrMatch string
	}{
		{want: BackendFile, wantSource: "default"},
		{config: "test", want: BackendTest, wantSource: conf},
		{env: "test", config: "file", want: BackendTest, wantSource: "$VSYS_KEYRING_BACKEND"},
		{env: "file", config: "test", want: BackendFile, wantSource: "$VSYS_KEYRING_BACKEND"},
		{flag: "test", flagSet: true, env: "file", config: "file", want: BackendTest, wantSource: "--keyring-backend"},
		{flag: "file", flagSet: true, env: "test", config: "test", want: BackendFile, wantSource: "--keyring-backend"},
		{env: "tset", wantErrMatch: "$VSYS_KEYRING_BACKEND: unknown keyring backend \"tset\""},
		{config: "os", wantErrMatch: conf + ": unknown keyring backend \"os\""},
		{flag: "", flagSet: true, config: "test", wantErrMatch: "--keyring-backend: unknown keyring backend \"\""},
	}
	for _, c := range cases {
		got, err := Choose(c.flag, c.flagSet, c.env, c.config, conf)
		if c.wantErrMatch != "" {
			require.ErrorContains(t, err, c.wantErrMatch, "%+v", c)
			continue
		}
		require.NoError(t, err, "%+v", c)
		require.Equal(t, Choice{Backend: c.want, Source: c.wantSource}, got, "%+v", c)
	}
}

// TestNotFoundNamesOtherKeyring: a key missing from one keyring but present
// in another of the same home is reported with both: the keyring searched
// and the one that holds it. The error still matches ErrNotFound.
func TestNotFoundNamesOtherKeyring(t *testing.T) {
	home := t.TempDir()
	test, err := Open(home, BackendTest, nil)
	require.NoError(t, err)
	_, err = test.Add("dev")
	require.NoError(t, err)
	file, err := Open(home, BackendFile, nil)
	require.NoError(t, err)

	for _, op := range map[string]func() error{
		"show":   func() error { _, err := file.Show("dev"); return err },
		"signer": func() error { _, err := file.Signer("dev"); return err },
		"delete": func() error { return file.Delete("dev") },
	} {
		err := op()
		require.ErrorIs(t, err, ErrNotFound)
		var nf *NotFoundError
		require.True(t, errors.As(err, &nf), "%v", err)
		require.Equal(t, BackendFile, nf.Backend)
		require.Equal(t, []Backend{BackendTest}, nf.Elsewhere)
		require.Contains(t, err.Error(), `key "dev" not found in the file keyring`)
		require.Contains(t, err.Error(), "exists in the test keyring")
	}
	// A name no keyring holds: no hint.
	_, err = test.Show("nobody")
	var nf *NotFoundError
	require.True(t, errors.As(err, &nf))
	require.Empty(t, nf.Elsewhere)
	require.NotContains(t, err.Error(), "exists in")
}
