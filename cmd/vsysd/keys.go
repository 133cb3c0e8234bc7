package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vsys/vsys/core/keys"
	"github.com/vsys/vsys/node/config"
)

const (
	keyringPassphraseEnv = "VSYS_KEYRING_PASSPHRASE"
	exportPassphraseEnv  = "VSYS_EXPORT_PASSPHRASE"
)

func keysCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "manage the local keyring of ed25519 signing keys",
		Long: "Manage the local keyring in <home>/keyring-<backend>. The backend is --keyring-backend, else $" +
			keys.BackendEnv + ",\nelse keyring_backend in <home>/config/client.toml (vsysd init writes test there), else file.\n\n" +
			"The file backend encrypts each key with a passphrase, read from $" + keyringPassphraseEnv +
			" or the terminal.\nThe test backend stores keys unencrypted and never prompts.",
	}
	addKeyringFlag(cmd)
	cmd.AddCommand(keysAddCmd(), keysListCmd(), keysShowCmd(), keysDeleteCmd(), keysExportCmd(), keysImportCmd())
	return cmd
}

// addKeyringFlag adds the persistent --keyring-backend flag to cmd unless it
// already has it.
func addKeyringFlag(cmd *cobra.Command) {
	if cmd.Flags().Lookup("keyring-backend") != nil || cmd.PersistentFlags().Lookup("keyring-backend") != nil {
		return
	}
	cmd.PersistentFlags().String("keyring-backend", "",
		"keyring backend: file (passphrase-protected) or test (unencrypted, no prompts)\n"+
			"(default: $"+keys.BackendEnv+", else keyring_backend in <home>/config/client.toml, else file)")
}

// keyringChoice picks the keyring backend: --keyring-backend, else
// $VSYS_KEYRING_BACKEND, else the home's client.toml, else file.
func keyringChoice(cmd *cobra.Command) (keys.Choice, error) {
	home, err := cmd.Flags().GetString("home")
	if err != nil {
		return keys.Choice{}, err
	}
	var flag string
	var set bool
	if f := cmd.Flags().Lookup("keyring-backend"); f != nil {
		flag, set = f.Value.String(), f.Changed
	}
	cc, err := config.LoadClient(home)
	if err != nil {
		return keys.Choice{}, err
	}
	return keys.Choose(flag, set, os.Getenv(keys.BackendEnv), cc.KeyringBackend, config.ClientPath(home))
}

// openKeyring opens the keyring of --home that keyringChoice selects.
func openKeyring(cmd *cobra.Command) (*keys.Keyring, error) {
	home, err := cmd.Flags().GetString("home")
	if err != nil {
		return nil, err
	}
	choice, err := keyringChoice(cmd)
	if err != nil {
		return nil, err
	}
	return keys.Open(home, choice.Backend, keys.PassphraseFromEnvOrTerminal(keyringPassphraseEnv))
}

// keyErr reports a keyring error about key name. A key missing from the
// chosen keyring but present in another gets a hint: which keyring was
// searched and why, and the three ways to select the one that has it.
func keyErr(cmd *cobra.Command, name string, err error) error {
	var nf *keys.NotFoundError
	if !errors.As(err, &nf) {
		return fmt.Errorf("key %q: %w", name, err)
	}
	choice, cerr := keyringChoice(cmd)
	if cerr != nil {
		return nf
	}
	msg := nf.Error() + " (keyring " + string(choice.Backend) + " chosen by " + choice.Source + ")"
	if len(nf.Elsewhere) > 0 {
		b := nf.Elsewhere[0]
		home, _ := cmd.Flags().GetString("home")
		msg += fmt.Sprintf(";\nto use the %s keyring, pass --keyring-backend %s, or set %s=%s, or put keyring_backend = %q in %s",
			b, b, keys.BackendEnv, b, b, config.ClientPath(home))
	}
	return &hintedError{msg: msg, err: err}
}

// hintedError is an error with a longer message that still matches what
// it wraps (keys.ErrNotFound) with errors.Is.
type hintedError struct {
	msg string
	err error
}

func (e *hintedError) Error() string { return e.msg }
func (e *hintedError) Unwrap() error { return e.err }

// keyringCmd sets c to run with the keyring of --home that keyringChoice
// selects: the keys subcommands share opening it.
func keyringCmd(c *cobra.Command, run func(cmd *cobra.Command, kr *keys.Keyring, args []string) error) *cobra.Command {
	c.RunE = func(cmd *cobra.Command, args []string) error {
		kr, err := openKeyring(cmd)
		if err != nil {
			return err
		}
		return run(cmd, kr, args)
	}
	return c
}

// emitKeyLine prints a key as "NAME<tab>ADDRESS" (or as JSON).
func emitKeyLine(cmd *cobra.Command, k keys.Key) error {
	return emit(cmd, k, func() { printf(cmd, "%s\t%s\n", k.Name, k.Address) })
}

func keysAddCmd() *cobra.Command {
	return keyringCmd(&cobra.Command{
		Use:   "add NAME",
		Short: "create a new key from a random seed",
		Args:  cobra.ExactArgs(1),
	}, func(cmd *cobra.Command, kr *keys.Keyring, args []string) error {
		k, err := kr.Add(args[0])
		if err != nil {
			return keyErr(cmd, args[0], err)
		}
		return emitKeyLine(cmd, k)
	})
}

func keysListCmd() *cobra.Command {
	return keyringCmd(&cobra.Command{
		Use:   "list",
		Short: "list the keys in the keyring",
		Args:  cobra.NoArgs,
	}, func(cmd *cobra.Command, kr *keys.Keyring, _ []string) error {
		list, err := kr.List()
		if err != nil {
			return err
		}
		return emit(cmd, list, func() {
			for _, k := range list {
				printf(cmd, "%s\t%s\n", k.Name, k.Address)
			}
		})
	})
}

func keysShowCmd() *cobra.Command {
	cmd := keyringCmd(&cobra.Command{
		Use:   "show NAME",
		Short: "show a key's address and public key",
		Args:  cobra.ExactArgs(1),
	}, func(cmd *cobra.Command, kr *keys.Keyring, args []string) error {
		k, err := kr.Show(args[0])
		if err != nil {
			return keyErr(cmd, args[0], err)
		}
		if only, _ := cmd.Flags().GetBool("address"); only {
			printf(cmd, "%s\n", k.Address)
			return nil
		}
		return emit(cmd, k, func() {
			printf(cmd, "name     %s\naddress  %s\npubkey   %x\n", k.Name, k.Address, []byte(k.PubKey))
		})
	})
	cmd.Flags().Bool("address", false, "print only the bech32 address")
	return cmd
}

func keysDeleteCmd() *cobra.Command {
	cmd := keyringCmd(&cobra.Command{
		Use:   "delete NAME",
		Short: "delete a key (irreversible unless exported)",
		Args:  cobra.ExactArgs(1),
	}, func(cmd *cobra.Command, kr *keys.Keyring, args []string) error {
		name := args[0]
		if _, err := kr.Show(name); err != nil {
			return keyErr(cmd, name, err)
		}
		if yes, _ := cmd.Flags().GetBool("yes"); !yes {
			fmt.Fprintf(cmd.ErrOrStderr(), "delete key %s? [y/N] ", name)
			line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
			if err != nil && err != io.EOF {
				return fmt.Errorf("read confirmation: %w", err)
			}
			if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
				return fmt.Errorf("key %q: not deleted (aborted)", name)
			}
		}
		if err := kr.Delete(name); err != nil {
			return keyErr(cmd, name, err)
		}
		return emit(cmd, map[string]string{"deleted": name}, func() { printf(cmd, "deleted key %s\n", name) })
	})
	cmd.Flags().BoolP("yes", "y", false, "do not ask for confirmation")
	return cmd
}

func keysExportCmd() *cobra.Command {
	return keyringCmd(&cobra.Command{
		Use:   "export NAME",
		Short: "print a key encrypted under an export passphrase",
		Long: "Print the key as a JSON document whose seed is encrypted under an export passphrase,\n" +
			"read from $" + exportPassphraseEnv + " or the terminal. Read it back with 'keys import'.",
		Args: cobra.ExactArgs(1),
	}, func(cmd *cobra.Command, kr *keys.Keyring, args []string) error {
		name := args[0]
		if _, err := kr.Show(name); err != nil {
			return keyErr(cmd, name, err)
		}
		pw, err := keys.PassphraseFromEnvOrTerminal(exportPassphraseEnv)(
			fmt.Sprintf("Enter an export passphrase for key %q: ", name), true)
		if err != nil {
			return fmt.Errorf("export passphrase: %w", err)
		}
		armor, err := kr.Export(name, pw)
		if err != nil {
			return keyErr(cmd, name, err)
		}
		_, err = io.WriteString(cmd.OutOrStdout(), armor)
		return err
	})
}

func keysImportCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "import NAME FILE",
		Short: "import a key written by 'keys export' (FILE - reads stdin)",
		Long: "Import a key written by 'keys export' from FILE, or stdin if FILE is -.\n" +
			"The export passphrase is read from $" + exportPassphraseEnv + " or the terminal.",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			name, file := args[0], args[1]
			var armor []byte
			var err error
			if file == "-" {
				armor, err = io.ReadAll(cmd.InOrStdin())
			} else {
				armor, err = os.ReadFile(file)
			}
			if err != nil {
				return fmt.Errorf("read exported key: %w", err)
			}
			kr, err := openKeyring(cmd)
			if err != nil {
				return err
			}
			pw, err := keys.PassphraseFromEnvOrTerminal(exportPassphraseEnv)(
				fmt.Sprintf("Enter the export passphrase of %s: ", file), false)
			if err != nil {
				return fmt.Errorf("export passphrase: %w", err)
			}
			k, err := kr.Import(name, string(armor), pw)
			if err != nil {
				return keyErr(cmd, name, err)
			}
			return emitKeyLine(cmd, k)
		},
	}
}
