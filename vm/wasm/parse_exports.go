package wasm

import "strings"

// The export and custom sections: the entry points, the memory's export
// and the ABI.

func (m *module) parseExports(r *reader, opt parseOptions) error {
	n, err := r.count(3)
	if err != nil {
		return err
	}
	seen := make(map[string]bool, n)
	for range n {
		off := r.pos
		name, err := r.name()
		if err != nil {
			return err
		}
		if seen[name] {
			return r.errAt(off, "duplicate export %q", name)
		}
		seen[name] = true
		if strings.HasPrefix(name, reservedPrefix) && !opt.instrumented {
			return r.errAt(off, "export %q uses the reserved prefix %q", name, reservedPrefix)
		}
		kind, err := r.byte()
		if err != nil {
			return err
		}
		idx, err := r.u32()
		if err != nil {
			return err
		}
		switch kind {
		case 0:
			if int(idx) >= len(m.funcs) {
				return r.errAt(off, "export %q: function index %d out of range", name, idx)
			}
			if t := m.types[m.funcs[idx]]; len(t.Params) != 0 || len(t.Results) != 0 {
				return r.errAt(off, "exported function %q has type %s, want [] -> []", name, t)
			}
			if _, ok := m.exportOf[idx]; !ok {
				m.exportOf[idx] = name
			}
		case 1:
			if !m.hasTable || idx != 0 {
				return r.errAt(off, "export %q: table index %d out of range", name, idx)
			}
		case 2:
			if m.memories == 0 || idx != 0 {
				return r.errAt(off, "export %q: memory index %d out of range", name, idx)
			}
			if name != "memory" {
				return r.errAt(off, "memory exported as %q, must be \"memory\"", name)
			}
		case 3:
			if int(idx) >= len(m.globalMut) {
				return r.errAt(off, "export %q: global index %d out of range", name, idx)
			}
		default:
			return r.errAt(off, "export %q: kind 0x%s not allowed", name, hex2(kind))
		}
		if name == "memory" && kind != 2 {
			return r.errAt(off, "export \"memory\" must be the memory")
		}
		m.exports = append(m.exports, export{name: name, kind: kind, idx: idx})
	}
	return nil
}

func (m *module) parseCustom(r *reader) error {
	start := r.pos
	name, err := r.name()
	if err != nil {
		return err
	}
	if name == abiSection {
		if m.hasABI {
			return r.errAt(start, "duplicate %q custom section", abiSection)
		}
		m.hasABI = true
		m.abi = append([]byte{}, r.b[r.pos:r.end]...)
	}
	r.pos = r.end
	return nil
}
