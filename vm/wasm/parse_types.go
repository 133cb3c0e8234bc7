package wasm

// The type, import and function sections: the signatures of the module's
// functions, and the imports checked against the host API.

func (r *reader) valType() (ValType, error) {
	off := r.pos
	c, err := r.byte()
	if err != nil {
		return 0, err
	}
	switch ValType(c) {
	case I32, I64:
		return ValType(c), nil
	case 0x7D, 0x7C:
		return 0, r.errAt(off, "float type %s not allowed", ValType(c))
	}
	return 0, r.errAt(off, "value type %s not allowed", ValType(c))
}

func (r *reader) valTypes() ([]ValType, error) {
	n, err := r.count(1)
	if err != nil {
		return nil, err
	}
	ts := make([]ValType, n)
	for i := range ts {
		if ts[i], err = r.valType(); err != nil {
			return nil, err
		}
	}
	return ts, nil
}

func (m *module) parseTypes(r *reader) error {
	n, err := r.count(3)
	if err != nil {
		return err
	}
	m.types = make([]FuncType, 0, n)
	for range n {
		off := r.pos
		c, err := r.byte()
		if err != nil {
			return err
		}
		if c != 0x60 {
			return r.errAt(off, "type form 0x%s is not a function type", hex2(c))
		}
		p, err := r.valTypes()
		if err != nil {
			return err
		}
		res, err := r.valTypes()
		if err != nil {
			return err
		}
		m.types = append(m.types, FuncType{Params: p, Results: res})
	}
	return nil
}

func (m *module) typeIndex(r *reader) (uint32, error) {
	off := r.pos
	t, err := r.u32()
	if err != nil {
		return 0, err
	}
	if int(t) >= len(m.types) {
		return 0, r.errAt(off, "type index %d out of range", t)
	}
	return t, nil
}

func (m *module) parseImports(r *reader) error {
	n, err := r.count(4)
	if err != nil {
		return err
	}
	for range n {
		off := r.pos
		mod, err := r.name()
		if err != nil {
			return err
		}
		name, err := r.name()
		if err != nil {
			return err
		}
		kind, err := r.byte()
		if err != nil {
			return err
		}
		if kind != 0 {
			what := map[byte]string{1: "table", 2: "memory", 3: "global"}[kind]
			if what == "" {
				what = "kind 0x" + hex2(kind)
			}
			return r.errAt(off, "import %q.%q: imported %s not allowed", mod, name, what)
		}
		if mod != HostModule {
			return r.errAt(off, "import %q.%q: unknown import module %q (only %q)", mod, name, mod, HostModule)
		}
		want, ok := hostSig(name)
		if !ok {
			return r.errAt(off, "unknown import %q", name)
		}
		t, err := m.typeIndex(r)
		if err != nil {
			return err
		}
		if !m.types[t].Equal(want) {
			return r.errAt(off, "import %q has type %s, want %s", name, m.types[t], want)
		}
		m.funcs = append(m.funcs, t)
		m.imports = append(m.imports, name)
	}
	m.imported = len(m.funcs)
	return nil
}

func (m *module) parseFunctions(r *reader, s *Schedule) error {
	m.hasFuncs = true
	n, err := r.count(1)
	if err != nil {
		return err
	}
	if uint64(n)+uint64(m.imported) > uint64(s.MaxFunctions) {
		return r.errAt(r.pos, "%d functions, more than max_functions %d", n+m.imported, s.MaxFunctions)
	}
	for range n {
		t, err := m.typeIndex(r)
		if err != nil {
			return err
		}
		m.funcs = append(m.funcs, t)
	}
	return nil
}
