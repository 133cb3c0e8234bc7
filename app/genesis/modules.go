package genesis

import (
	"fmt"
	"strings"

	"github.com/vsys/vsys/core/moduleid"
	"github.com/vsys/vsys/modules/staking"
)

// The enabled modules. A chain names the native modules it runs in
// State.Modules; an empty list means all of them, which is how every chain
// made before the list existed reads, and the list is recorded in state only
// when it is not all of them, so a default chain's app hash is what it
// always was (docs/chains.md).

// RequiredModule is the module no chain can leave out: the native coin, and
// with it every fee, lives in the token ledger.
const RequiredModule = moduleid.NameToken

// AllModules returns every native module's name, in id order.
func AllModules() []string {
	var out []string
	for _, m := range moduleid.Contracts() {
		out = append(out, m.Name)
	}
	return out
}

// EnabledModules returns the chain's modules in id order: s.Modules
// normalised, or AllModules when the list is empty. It assumes s validated.
func (s State) EnabledModules() []string {
	if len(s.Modules) == 0 {
		return AllModules()
	}
	want := map[string]bool{}
	for _, m := range s.Modules {
		want[m] = true
	}
	var out []string
	for _, m := range AllModules() {
		if want[m] {
			out = append(out, m)
		}
	}
	return out
}

// AllEnabled reports whether the chain runs every module (the default,
// which state does not record).
func (s State) AllEnabled() bool { return len(s.EnabledModules()) == len(AllModules()) }

// validateModules checks each name is a module, none is listed twice,
// token is there, and spos has the staking module to elect with.
func (s State) validateModules() error {
	if len(s.Modules) == 0 {
		return nil
	}
	known := map[string]bool{}
	for _, m := range AllModules() {
		known[m] = true
	}
	seen := map[string]bool{}
	for _, m := range s.Modules {
		switch {
		case !known[m]:
			return fmt.Errorf("%w: modules: unknown module %q (known: %s)", ErrInvalid, m, strings.Join(AllModules(), ", "))
		case seen[m]:
			return fmt.Errorf("%w: modules: %q listed twice", ErrInvalid, m)
		}
		seen[m] = true
	}
	if !seen[RequiredModule] {
		return fmt.Errorf("%w: modules: %q is required (the native coin and every fee live in it)", ErrInvalid, RequiredModule)
	}
	if s.Params.Staking.Mode == staking.ModeSPoS && !seen[moduleid.NameStaking] {
		return fmt.Errorf("%w: modules: consensus %q needs the %q module (candidates register and stake through it)",
			ErrInvalid, staking.ModeSPoS, moduleid.NameStaking)
	}
	return nil
}
