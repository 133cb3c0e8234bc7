package keys

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
)

func TestMain(m *testing.M) {
	scryptN = 1 << 4 // keep the tests fast; production uses 1<<15
	os.Exit(m.Run())
}

// fixedPass always answers pw and counts calls.
type fixedPass struct {
	mu    sync.Mutex
	pw    string
	calls int
}

func (f *fixedPass) fn(string, bool) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	return f.pw, nil
}

func constPass(pw string) PassphraseFunc {
	return func(string, bool) (string, error) { return pw, nil }
}

func openRing(t *testing.T, home string, b Backend, pass PassphraseFunc) *Keyring {
	t.Helper()
	kr, err := Open(home, b, pass)
	require.NoError(t, err)
	return kr
}

var backends = []struct {
	name    string
	backend Backend
	pass    PassphraseFunc
}{
	{"test", BackendTest, nil},
	{"file", BackendFile, constPass("correct horse")},
}

func TestParseBackend(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Backend
		wantErr bool
	}{
		{"file", BackendFile, false},
		{"test", BackendTest, false},
		{"", "", true},
		{"os", "", true},
		{"FILE", "", true},
	} {
		got, err := ParseBackend(tc.in)
		if tc.wantErr {
			require.Error(t, err, tc.in)
			continue
		}
		require.NoError(t, err)
		require.Equal(t, tc.want, got)
	}
}

func TestOpen(t *testing.T) {
	home := t.TempDir()
	kr := openRing(t, home, BackendTest, nil)
	require.Equal(t, filepath.Join(home, "keyring-test"), kr.Dir())
	st, err := os.Stat(kr.Dir())
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o700), st.Mode().Perm())

	_, err = Open(home, Backend("os"), nil)
	require.Error(t, err)
	_, err = Open("", BackendTest, nil)
	require.Error(t, err)
}

func TestRoundTrip(t *testing.T) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			kr := openRing(t, t.TempDir(), be.backend, be.pass)

			list, err := kr.List()
			require.NoError(t, err)
			require.Empty(t, list)

			bob, err := kr.Add("bob")
			require.NoError(t, err)
			require.Equal(t, "bob", bob.Name)
			require.Len(t, bob.PubKey, ed25519.PublicKeySize)
			require.Equal(t, address.FromPubKey(bob.PubKey), bob.Address)
			require.True(t, strings.HasPrefix(bob.Address.String(), "vsys1"))

			alice, err := kr.Add("alice")
			require.NoError(t, err)
			require.NotEqual(t, alice.Address, bob.Address)

			got, err := kr.Show("bob")
			require.NoError(t, err)
			require.Equal(t, bob, got)

			list, err = kr.List()
			require.NoError(t, err)
			require.Equal(t, []Key{alice, bob}, list, "sorted by name")

			// Reopening sees the same keys.
			kr2 := openRing(t, filepath.Dir(kr.Dir()), be.backend, be.pass)
			list2, err := kr2.List()
			require.NoError(t, err)
			require.Equal(t, list, list2)

			_, err = kr.Add("bob")
			require.ErrorIs(t, err, ErrExists)

			require.NoError(t, kr.Delete("bob"))
			_, err = kr.Show("bob")
			require.ErrorIs(t, err, ErrNotFound)
			require.ErrorIs(t, kr.Delete("bob"), ErrNotFound)
			_, err = kr.Signer("bob")
			require.ErrorIs(t, err, ErrNotFound)

			list, err = kr.List()
			require.NoError(t, err)
			require.Equal(t, []Key{alice}, list)
		})
	}
}

func TestInvalidNames(t *testing.T) {
	names := []string{"", "../x", "a/b", "..", ".hidden", "-a", "a b", "a\x00", strings.Repeat("a", 65), "é"}
	kr := openRing(t, t.TempDir(), BackendTest, nil)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			_, err := kr.Add(name)
			require.ErrorIs(t, err, ErrInvalidName)
			_, err = kr.ImportSeed(name, make([]byte, 32))
			require.ErrorIs(t, err, ErrInvalidName)
			_, err = kr.Show(name)
			require.ErrorIs(t, err, ErrInvalidName)
			_, err = kr.Signer(name)
			require.ErrorIs(t, err, ErrInvalidName)
			require.ErrorIs(t, kr.Delete(name), ErrInvalidName)
			_, err = kr.Import(name, "{}", "pw")
			require.ErrorIs(t, err, ErrInvalidName)
		})
	}
	for _, name := range []string{"a", "A.b_c-9", "0", strings.Repeat("z", 64)} {
		_, err := kr.Add(name)
		require.NoError(t, err, name)
	}
	ents, err := os.ReadDir(kr.Dir())
	require.NoError(t, err)
	require.Len(t, ents, 4, "only the valid keys were written")
}

func TestImportSeedGolden(t *testing.T) {
	seed := bytes.Repeat([]byte{0x01}, 32)
	const wantAddr = "vsys1x36slx9at870e9rd53d2405n80s4ff94hcx028"
	const wantPub = "8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c"
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			kr := openRing(t, t.TempDir(), be.backend, be.pass)
			k, err := kr.ImportSeed("one", seed)
			require.NoError(t, err)
			require.Equal(t, wantAddr, k.Address.String())
			require.Equal(t, wantPub, hex.EncodeToString(k.PubKey))

			priv, err := kr.Signer("one")
			require.NoError(t, err)
			require.Equal(t, seed, priv.Seed())

			_, err = kr.ImportSeed("one", seed)
			require.ErrorIs(t, err, ErrExists)
			_, err = kr.ImportSeed("short", seed[:31])
			require.Error(t, err)
		})
	}
}

func TestSignerVerifies(t *testing.T) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			kr := openRing(t, t.TempDir(), be.backend, be.pass)
			_, err := kr.Add("signer")
			require.NoError(t, err)
			priv, err := kr.Signer("signer")
			require.NoError(t, err)
			k, err := kr.Show("signer")
			require.NoError(t, err)
			msg := []byte("hello vsys")
			require.True(t, ed25519.Verify(k.PubKey, msg, ed25519.Sign(priv, msg)))
		})
	}
}

func TestFilePerms(t *testing.T) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			kr := openRing(t, t.TempDir(), be.backend, be.pass)
			_, err := kr.Add("k")
			require.NoError(t, err)
			st, err := os.Stat(filepath.Join(kr.Dir(), "k.json"))
			require.NoError(t, err)
			require.Equal(t, os.FileMode(0o600), st.Mode().Perm())
			ents, err := os.ReadDir(kr.Dir())
			require.NoError(t, err)
			require.Len(t, ents, 1, "no temporary files left behind")
		})
	}
}

func TestFileBackendEncrypts(t *testing.T) {
	seed := bytes.Repeat([]byte{0x42}, 32)
	kr := openRing(t, t.TempDir(), BackendFile, constPass("pw"))
	k, err := kr.ImportSeed("enc", seed)
	require.NoError(t, err)

	raw, err := os.ReadFile(filepath.Join(kr.Dir(), "enc.json"))
	require.NoError(t, err)
	require.NotContains(t, strings.ToLower(string(raw)), hex.EncodeToString(seed))
	require.False(t, bytes.Contains(raw, seed))

	var f map[string]any
	require.NoError(t, json.Unmarshal(raw, &f))
	require.NotContains(t, f, "seed")
	require.Equal(t, "enc", f["name"])
	require.Equal(t, k.Address.String(), f["address"])
	require.Equal(t, hex.EncodeToString(k.PubKey), f["pubkey"])
	c := f["crypto"].(map[string]any)
	require.Equal(t, "scrypt", c["kdf"])
	require.Equal(t, "xchacha20-poly1305", c["cipher"])
	require.EqualValues(t, 8, c["r"])
	require.EqualValues(t, 1, c["p"])

	// The test backend stores the seed in clear.
	tr := openRing(t, t.TempDir(), BackendTest, nil)
	_, err = tr.ImportSeed("clear", seed)
	require.NoError(t, err)
	raw, err = os.ReadFile(filepath.Join(tr.Dir(), "clear.json"))
	require.NoError(t, err)
	require.Contains(t, string(raw), hex.EncodeToString(seed))
}

func TestListShowNeedNoPassphrase(t *testing.T) {
	home := t.TempDir()
	_, err := openRing(t, home, BackendFile, constPass("pw")).Add("k")
	require.NoError(t, err)

	p := &fixedPass{pw: "pw"}
	kr := openRing(t, home, BackendFile, p.fn)
	_, err = kr.List()
	require.NoError(t, err)
	_, err = kr.Show("k")
	require.NoError(t, err)
	require.Zero(t, p.calls)
	_, err = kr.Signer("k")
	require.NoError(t, err)
	require.Equal(t, 1, p.calls)

	// A nil PassphraseFunc only fails when a passphrase is needed.
	nilRing := openRing(t, home, BackendFile, nil)
	_, err = nilRing.Show("k")
	require.NoError(t, err)
	_, err = nilRing.Signer("k")
	require.Error(t, err)
	_, err = nilRing.Add("k2")
	require.Error(t, err)
}

func TestBadPassphrase(t *testing.T) {
	home := t.TempDir()
	_, err := openRing(t, home, BackendFile, constPass("right")).Add("k")
	require.NoError(t, err)

	for _, tc := range []struct {
		name string
		pass PassphraseFunc
		is   error
	}{
		{"wrong", constPass("wrong"), ErrBadPassphrase},
		{"empty", constPass(""), nil},
		{"func error", func(string, bool) (string, error) { return "", errors.New("no tty") }, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := openRing(t, home, BackendFile, tc.pass).Signer("k")
			require.Error(t, err)
			if tc.is != nil {
				require.ErrorIs(t, err, tc.is)
			} else {
				require.NotErrorIs(t, err, ErrBadPassphrase)
			}
		})
	}
}

func TestAddAsksConfirmAndRejectsEmpty(t *testing.T) {
	var confirms []bool
	kr := openRing(t, t.TempDir(), BackendFile, func(_ string, confirm bool) (string, error) {
		confirms = append(confirms, confirm)
		return "pw", nil
	})
	_, err := kr.Add("k")
	require.NoError(t, err)
	_, err = kr.Signer("k")
	require.NoError(t, err)
	require.Equal(t, []bool{true, false}, confirms)

	empty := openRing(t, t.TempDir(), BackendFile, constPass(""))
	_, err = empty.Add("k")
	require.Error(t, err)
	_, err = empty.Show("k")
	require.ErrorIs(t, err, ErrNotFound, "nothing written")
}

func TestTamperedFile(t *testing.T) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			kr := openRing(t, t.TempDir(), be.backend, be.pass)
			_, err := kr.Add("a")
			require.NoError(t, err)
			b, err := kr.Add("b")
			require.NoError(t, err)
			// Swap a's pubkey/address for b's: the seed no longer matches.
			p := filepath.Join(kr.Dir(), "a.json")
			var f map[string]any
			raw, err := os.ReadFile(p)
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(raw, &f))
			f["pubkey"] = hex.EncodeToString(b.PubKey)
			f["address"] = b.Address.String()
			raw, err = json.Marshal(f)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(p, raw, 0o600))
			_, err = kr.Signer("a")
			require.Error(t, err)

			// An address that does not match the pubkey is rejected on load.
			f["address"] = address.Derive("x").String()
			raw, err = json.Marshal(f)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(p, raw, 0o600))
			_, err = kr.Show("a")
			require.Error(t, err)
			_, err = kr.List()
			require.Error(t, err)
		})
	}
}

func TestExportImport(t *testing.T) {
	for _, src := range backends {
		for _, dst := range backends {
			t.Run(src.name+"->"+dst.name, func(t *testing.T) {
				from := openRing(t, t.TempDir(), src.backend, src.pass)
				k, err := from.Add("exp")
				require.NoError(t, err)
				armor, err := from.Export("exp", "export-pw")
				require.NoError(t, err)
				priv, err := from.Signer("exp")
				require.NoError(t, err)
				require.NotContains(t, armor, hex.EncodeToString(priv.Seed()))

				to := openRing(t, t.TempDir(), dst.backend, dst.pass)
				got, err := to.Import("imported", armor, "export-pw")
				require.NoError(t, err)
				require.Equal(t, "imported", got.Name)
				require.Equal(t, k.Address, got.Address)
				require.Equal(t, k.PubKey, got.PubKey)
				priv2, err := to.Signer("imported")
				require.NoError(t, err)
				require.Equal(t, priv, priv2)

				_, err = to.Import("imported", armor, "export-pw")
				require.ErrorIs(t, err, ErrExists)
			})
		}
	}
}

func TestImportFailures(t *testing.T) {
	from := openRing(t, t.TempDir(), BackendTest, nil)
	_, err := from.Add("k")
	require.NoError(t, err)
	armor, err := from.Export("k", "export-pw")
	require.NoError(t, err)
	_, err = from.Export("k", "")
	require.Error(t, err)
	_, err = from.Export("missing", "pw")
	require.ErrorIs(t, err, ErrNotFound)

	mutate := func(f func(m map[string]any)) string {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(armor), &m))
		f(m)
		b, err := json.Marshal(m)
		require.NoError(t, err)
		return string(b)
	}

	for _, tc := range []struct {
		name  string
		armor string
		pw    string
		is    error
	}{
		{"wrong passphrase", armor, "nope", ErrBadPassphrase},
		{"empty passphrase", armor, "", ErrBadPassphrase},
		{"garbage", "not json", "export-pw", nil},
		{"wrong type", mutate(func(m map[string]any) { m["type"] = "other" }), "export-pw", nil},
		{"huge scrypt n", mutate(func(m map[string]any) { m["crypto"].(map[string]any)["n"] = 1 << 30 }), "export-pw", nil},
		{"other pubkey", mutate(func(m map[string]any) {
			m["pubkey"] = strings.Repeat("ab", 32)
		}), "export-pw", ErrBadPassphrase},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, be := range backends {
				to := openRing(t, t.TempDir(), be.backend, be.pass)
				_, err := to.Import("dst", tc.armor, tc.pw)
				require.Error(t, err)
				if tc.is != nil {
					require.ErrorIs(t, err, tc.is)
				}
				ents, err := os.ReadDir(to.Dir())
				require.NoError(t, err)
				require.Empty(t, ents, "no file created")
			}
		})
	}
}

func TestKeyJSON(t *testing.T) {
	kr := openRing(t, t.TempDir(), BackendTest, nil)
	k, err := kr.ImportSeed("one", bytes.Repeat([]byte{0x01}, 32))
	require.NoError(t, err)
	b, err := json.Marshal(k)
	require.NoError(t, err)
	require.JSONEq(t, `{"name":"one","address":"vsys1x36slx9at870e9rd53d2405n80s4ff94hcx028",
		"pubkey":"8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c"}`, string(b))
	var back Key
	require.NoError(t, json.Unmarshal(b, &back))
	require.Equal(t, k, back)
	require.Error(t, json.Unmarshal([]byte(`{"name":"x","pubkey":"abcd"}`), &back))
}

func TestPassphraseFromEnv(t *testing.T) {
	t.Setenv("VSYS_TEST_KEYRING_PW", "from-env")
	pw, err := PassphraseFromEnvOrTerminal("VSYS_TEST_KEYRING_PW")("prompt: ", true)
	require.NoError(t, err)
	require.Equal(t, "from-env", pw)
}

func TestPassphraseNoTerminal(t *testing.T) {
	// go test's stdin is not a terminal.
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	old := os.Stdin
	os.Stdin = r
	defer func() { os.Stdin = old }()
	t.Setenv("VSYS_TEST_KEYRING_UNSET", "")
	_, err = PassphraseFromEnvOrTerminal("VSYS_TEST_KEYRING_UNSET")("prompt: ", false)
	require.ErrorContains(t, err, "VSYS_TEST_KEYRING_UNSET")
}

func TestConcurrent(t *testing.T) {
	kr := openRing(t, t.TempDir(), BackendTest, nil)
	var wg sync.WaitGroup
	errs := make([]error, 16)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = kr.Add("same")
			_, _ = kr.List()
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else {
			require.ErrorIs(t, err, ErrExists)
		}
	}
	require.Equal(t, 1, ok)
}
