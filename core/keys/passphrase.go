package keys

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/term"
)

// PassphraseFromEnvOrTerminal returns a PassphraseFunc that answers with
// the value of the environment variable env when it is set and non-empty.
// Otherwise it prints the prompt to stderr and reads the passphrase from
// the terminal on stdin without echo, asking a second time when confirm is
// true and failing if the two differ. It fails if env is unset and stdin is
// not a terminal.
func PassphraseFromEnvOrTerminal(env string) PassphraseFunc {
	return func(prompt string, confirm bool) (string, error) {
		if v := os.Getenv(env); v != "" {
			return v, nil
		}
		fd := int(os.Stdin.Fd())
		if !term.IsTerminal(fd) {
			return "", fmt.Errorf("a passphrase is needed but stdin is not a terminal: set $%s", env)
		}
		read := func(p string) (string, error) {
			fmt.Fprint(os.Stderr, p)
			b, err := term.ReadPassword(fd)
			fmt.Fprintln(os.Stderr)
			if err != nil {
				return "", fmt.Errorf("read passphrase from terminal: %w", err)
			}
			return string(b), nil
		}
		if prompt == "" {
			prompt = "Passphrase: "
		}
		pw, err := read(prompt)
		if err != nil {
			return "", err
		}
		if confirm {
			again, err := read("Repeat the passphrase: ")
			if err != nil {
				return "", err
			}
			if again != pw {
				return "", errors.New("passphrases do not match")
			}
		}
		return pw, nil
	}
}
