package abi

import (
	"fmt"

	"github.com/vsys/vsys/core/codec"
)

// ABI is a contract's published interface: its methods, events and entry-point types.
type ABI struct {
	Name    string   `json:"name"`
	Methods []Method `json:"methods"`
	Events  []Event  `json:"events"`
	// Init and Migrate are the argument types of a WASM contract's entry
	// points, when it has them; callers encode instantiate and migrate
	// args with them.
	Init    *codec.Type `json:"init,omitempty"`
	Migrate *codec.Type `json:"migrate,omitempty"`
}

// Method is one callable entry point. Args is always a struct type, so
// that arguments are named on the CLI and in JSON.
type Method struct {
	Name     string      `json:"name"`
	Args     *codec.Type `json:"args"`
	Result   *codec.Type `json:"result"`
	ReadOnly bool        `json:"readonly"`
	Doc      string      `json:"doc,omitempty"`
}

// Event is one kind of event; its data is a value of Type (a struct).
type Event struct {
	Name string      `json:"name"`
	Type *codec.Type `json:"type"`
}

// Method returns the method called name.
func (c *ABI) Method(name string) (*Method, bool) {
	for i := range c.Methods {
		if c.Methods[i].Name == name {
			return &c.Methods[i], true
		}
	}
	return nil, false
}

// Event returns the event called name.
func (c *ABI) Event(name string) (*Event, bool) {
	for i := range c.Events {
		if c.Events[i].Name == name {
			return &c.Events[i], true
		}
	}
	return nil, false
}

// Validate checks names are unique and arguments are structs.
func (c *ABI) Validate() error {
	seen := map[string]bool{}
	for _, m := range c.Methods {
		if m.Name == "" || seen[m.Name] {
			return fmt.Errorf("abi %s: empty or duplicate method %q", c.Name, m.Name)
		}
		seen[m.Name] = true
		if m.Args == nil || m.Args.Kind != codec.KindStruct || m.Result == nil {
			return fmt.Errorf("abi %s: method %s needs struct args and a result type", c.Name, m.Name)
		}
	}
	seen = map[string]bool{}
	for _, e := range c.Events {
		if e.Name == "" || seen[e.Name] || e.Type == nil || e.Type.Kind != codec.KindStruct {
			return fmt.Errorf("abi %s: bad or duplicate event %q", c.Name, e.Name)
		}
		seen[e.Name] = true
	}
	return nil
}
