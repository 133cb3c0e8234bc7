package cloud

import (
	"fmt"

	"github.com/vsys/vsys/cloud/api"
)

// MaxNameLen is the longest chain name: a DNS label, so a name can become
// a host name or a path segment of the gateway unchanged.
const MaxNameLen = 63

// ValidateName checks a chain name: 1..63 of [a-z0-9-], not starting or
// ending with '-'. It is also a directory name under chains/, so nothing
// that could step out of it ("../x", "/", ".") passes.
func ValidateName(name string) error {
	if name == "" {
		return fmt.Errorf("%w: empty name", api.ErrBadName)
	}
	if len(name) > MaxNameLen {
		return fmt.Errorf("%w: %d characters, at most %d", api.ErrBadName, len(name), MaxNameLen)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return fmt.Errorf("%w: %q: only a-z, 0-9 and '-' are allowed (%q at %d)", api.ErrBadName, name, c, i)
		}
	}
	if name[0] == '-' || name[len(name)-1] == '-' {
		return fmt.Errorf("%w: %q starts or ends with '-'", api.ErrBadName, name)
	}
	return nil
}
