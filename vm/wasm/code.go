package wasm

// frame is one open control construct of a function body.
type frame struct {
	op      byte // opBlock, opLoop, opIf, or 0 for the function itself
	hasElse bool
}

// addSat adds without wrapping past the maximum.
func addSat(a, b uint64) uint64 {
	if c := a + b; c >= a {
		return c
	}
	return ^uint64(0)
}

func (m *module) parseCode(r *reader, s *Schedule, opt parseOptions) error {
	m.hasCode = true
	n, err := r.count(2)
	if err != nil {
		return err
	}
	if n != len(m.funcs)-m.imported {
		return r.errAt(r.pos, "%d function bodies for %d functions", n, len(m.funcs)-m.imported)
	}
	m.bodies = make([]body, 0, n)
	for i := range n {
		off := r.pos
		size, err := r.u32()
		if err != nil {
			return err
		}
		if int64(size) > int64(r.remaining()) {
			return r.errAt(off, "body size %d exceeds the %d bytes left", size, r.remaining())
		}
		fn := m.imported + i
		br := &reader{b: r.b, pos: r.pos, end: r.pos + int(size), section: r.section, fn: fn, export: m.exportOf[uint32(fn)]}
		b, err := m.parseBody(br, fn, s, opt)
		if err != nil {
			return err
		}
		m.brTargets += b.brTargets
		// Both counts are below the module's size: no overflow.
		m.blockWork += b.blocks * b.instrCount
		if m.blockWork > s.MaxBlockWork {
			return br.errAt(b.instrs, "block work (blocks times instructions, summed over functions) reaches %d here, more than max_block_work %d", m.blockWork, s.MaxBlockWork)
		}
		m.bodies = append(m.bodies, b)
		r.pos = br.end
	}
	return nil
}

// parseBody validates one function body (r spans exactly the body after
// its size) and records its metered blocks and calls.
func (m *module) parseBody(r *reader, fn int, s *Schedule, opt parseOptions) (body, error) {
	b := body{start: r.pos, end: r.end}
	typ := m.types[m.funcs[fn]]
	nlocals := uint64(len(typ.Params))
	groups, err := r.count(2)
	if err != nil {
		return b, err
	}
	b.groups, b.groupsEnd = groups, r.pos
	for range groups {
		off := r.pos
		n, err := r.u32()
		if err != nil {
			return b, err
		}
		if _, err := r.valType(); err != nil {
			return b, err
		}
		nlocals += uint64(n)
		if nlocals > uint64(s.MaxLocals) && !opt.instrumented {
			return b, r.errAt(off, "more than max_locals %d locals", s.MaxLocals)
		}
	}
	b.instrs = r.pos
	if nlocals >= 1<<32-1 { // only an instrumented re-parse gets here
		return b, r.errAt(b.groupsEnd, "too many locals")
	}
	b.nlocals = uint32(nlocals)

	ctrl := make([]frame, 1, 8)
	var (
		blockStart = r.pos
		cost       uint64
		count      uint64
	)
	for {
		if r.pos >= r.end {
			return b, r.errAt(r.pos, "function body ends before its final end")
		}
		at := r.pos
		op, _ := r.byte()
		count++
		if count > uint64(s.MaxFunctionInstrs) && !opt.instrumented {
			return b, r.errAt(at, "more than max_function_instrs %d instructions", s.MaxFunctionInstrs)
		}
		info := lookupOp(op)
		if info.float {
			return b, r.errAt(at, "float instruction %s", info.name)
		}
		if info.kind == kindPrefixMisc {
			if info, err = m.miscInstr(r, at, &b, s); err != nil {
				return b, err
			}
		}
		switch info.kind {
		case kindPlain, kindMemoryCopy, kindMemoryFill: // no immediates left to read
		case kindBlock:
			if err := m.blockType(r); err != nil {
				return b, err
			}
			ctrl = append(ctrl, frame{op: op})
			if uint64(len(ctrl)-1) > uint64(s.MaxNesting) {
				return b, r.errAt(at, "%s nested %d deep, more than max_nesting %d", info.name, len(ctrl)-1, s.MaxNesting)
			}
		case kindElse:
			top := &ctrl[len(ctrl)-1]
			if top.op != opIf || top.hasElse {
				return b, r.errAt(at, "else without if")
			}
			top.hasElse = true
		case kindEnd:
			ctrl = ctrl[:len(ctrl)-1]
		case kindBranch:
			if err := label(r, len(ctrl)); err != nil {
				return b, err
			}
		case kindBrTable:
			off := r.pos
			n, err := r.u32()
			if err != nil {
				return b, err
			}
			if uint64(n)+1 > uint64(s.MaxBrTableTargets) {
				return b, r.errAt(off, "br_table of %d targets, more than max_br_table_targets %d", uint64(n)+1, s.MaxBrTableTargets)
			}
			b.blocks += uint64(n) + 1
			b.brTargets += uint64(n) + 1
			for range n + 1 {
				if err := label(r, len(ctrl)); err != nil {
					return b, err
				}
			}
		case kindCall:
			off := r.pos
			f, err := r.u32()
			if err != nil {
				return b, err
			}
			if int(f) >= len(m.funcs) {
				return b, r.errAt(off, "function index %d out of range", f)
			}
			b.calls = append(b.calls, span{at, r.pos})
		case kindCallIndirect:
			if _, err := m.typeIndex(r); err != nil {
				return b, err
			}
			off := r.pos
			t, err := r.u32()
			if err != nil {
				return b, err
			}
			if t != 0 || !m.hasTable {
				return b, r.errAt(off, "table index %d out of range", t)
			}
			b.calls = append(b.calls, span{at, r.pos})
		case kindLocal:
			off := r.pos
			i, err := r.u32()
			if err != nil {
				return b, err
			}
			if uint64(i) >= nlocals {
				return b, r.errAt(off, "local index %d out of range", i)
			}
		case kindGlobal:
			off := r.pos
			i, err := r.u32()
			if err != nil {
				return b, err
			}
			if int(i) >= len(m.globalMut) {
				return b, r.errAt(off, "global index %d out of range", i)
			}
			if op == opGlobalSet && !m.globalMut[i] {
				return b, r.errAt(at, "global.set of immutable global %d", i)
			}
		case kindMemory:
			off := r.pos
			align, err := r.u32()
			if err != nil {
				return b, err
			}
			if align > info.align {
				return b, r.errAt(off, "%s alignment 2**%d larger than natural", info.name, align)
			}
			if _, err := r.u32(); err != nil {
				return b, err
			}
		case kindMemoryIndex:
			if err := zeroByte(r); err != nil {
				return b, err
			}
		case kindI32Const:
			if _, err := r.sleb(32); err != nil {
				return b, err
			}
		case kindI64Const:
			if _, err := r.sleb(64); err != nil {
				return b, err
			}
		default:
			return b, r.errAt(at, "unsupported instruction %s", opName(op))
		}
		boundary := info.boundary
		c := s.cost(info.gas)
		cost = addSat(cost, c)
		if boundary {
			b.blocks++
			if b.blocks > uint64(s.MaxFunctionBlocks) {
				return b, r.errAt(at, "more than max_function_blocks %d blocks (branches, block ends and br_table targets)", s.MaxFunctionBlocks)
			}
			if cost != 0 {
				b.charges = append(b.charges, charge{pos: blockStart, cost: cost})
			}
			blockStart, cost = r.pos, 0
			if op == opLoop {
				// The block after `loop` runs once per iteration: a br
				// to the loop lands here.
				cost = s.Loop
			}
		}
		if len(ctrl) == 0 {
			if r.pos != r.end {
				return b, r.errAt(r.pos, "%d bytes after the function's final end", r.end-r.pos)
			}
			b.instrCount = count
			return b, nil
		}
	}
}

// miscInstr reads the sub-opcode and immediates of a 0xFC instruction
// (memory.copy and memory.fill, the only ones accepted) and returns its
// facts; at is the instruction's offset.
func (m *module) miscInstr(r *reader, at int, b *body, s *Schedule) (*opInfo, error) {
	sub, err := r.u32()
	if err != nil {
		return nil, err
	}
	info, ok := miscOp(sub)
	if !ok {
		return nil, r.errAt(at, "unsupported instruction 0xfc %d", sub)
	}
	if info.float {
		return nil, r.errAt(at, "float instruction %s", info.name)
	}
	switch info.kind {
	case kindMemoryCopy: // dst and src memory indices
		if err := zeroByte(r); err != nil {
			return nil, err
		}
		if err := zeroByte(r); err != nil {
			return nil, err
		}
	case kindMemoryFill:
		if err := zeroByte(r); err != nil {
			return nil, err
		}
	default:
		return nil, r.errAt(at, "unsupported instruction %s", info.name)
	}
	if info.gas == gasBulk && s.BulkKiB != 0 {
		b.bulks = append(b.bulks, at)
	}
	return info, nil
}

// blockType reads a block type: empty, one value type or a type index.
func (m *module) blockType(r *reader) error {
	off := r.pos
	if r.pos >= r.end {
		return r.eofErr()
	}
	c := r.b[r.pos]
	switch {
	case c == blockEmpty:
		r.pos++
		return nil
	case c >= 0x40 && c < 0x80: // a negative single byte: a value type
		_, err := r.valType()
		return err
	}
	idx, err := r.sleb(33)
	if err != nil {
		return err
	}
	if idx < 0 || idx >= int64(len(m.types)) {
		return r.errAt(off, "block type index %d out of range", idx)
	}
	return nil
}

func label(r *reader, depth int) error {
	off := r.pos
	l, err := r.u32()
	if err != nil {
		return err
	}
	if uint64(l) >= uint64(depth) {
		return r.errAt(off, "branch depth %d out of range", l)
	}
	return nil
}

func zeroByte(r *reader) error {
	off := r.pos
	c, err := r.byte()
	if err != nil {
		return err
	}
	if c != 0 {
		return r.errAt(off, "memory index byte must be 0")
	}
	return nil
}
