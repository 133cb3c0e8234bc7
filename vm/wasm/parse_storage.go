package wasm

// The table, memory, global, element and data sections: what an instance
// holds, and the constant expressions that initialise it.

// limits reads memory or table limits: flags 0 (min) or 1 (min, max).
func (r *reader) limits(bound uint32) (uint32, error) {
	off := r.pos
	flags, err := r.byte()
	if err != nil {
		return 0, err
	}
	if flags > 1 {
		return 0, r.errAt(off, "limits flags 0x%s not allowed (shared or 64-bit)", hex2(flags))
	}
	min, err := r.u32()
	if err != nil {
		return 0, err
	}
	if flags == 1 {
		max, err := r.u32()
		if err != nil {
			return 0, err
		}
		if max < min {
			return 0, r.errAt(off, "maximum %d below minimum %d", max, min)
		}
		if max > bound {
			return 0, r.errAt(off, "maximum %d above %d", max, bound)
		}
	}
	return min, nil
}

func (m *module) parseTables(r *reader, s *Schedule) error {
	n, err := r.count(3)
	if err != nil {
		return err
	}
	for range n {
		off := r.pos
		if m.hasTable {
			return r.errAt(off, "more than one table")
		}
		et, err := r.byte()
		if err != nil {
			return err
		}
		if et != 0x70 {
			return r.errAt(off, "table element type %s not allowed (funcref only)", ValType(et))
		}
		min, err := r.limits(^uint32(0))
		if err != nil {
			return err
		}
		if min > s.MaxFunctions {
			return r.errAt(off, "table size %d above max_functions %d", min, s.MaxFunctions)
		}
		m.hasTable, m.tableMin = true, min
	}
	return nil
}

func (m *module) parseMemories(r *reader, s *Schedule) error {
	n, err := r.count(2)
	if err != nil {
		return err
	}
	for range n {
		off := r.pos
		if m.memories > 0 {
			return r.errAt(off, "more than one memory")
		}
		min, err := r.limits(maxPages)
		if err != nil {
			return err
		}
		if min > s.MaxMemoryPages {
			return r.errAt(off, "memory of %d pages, more than max_memory_pages %d", min, s.MaxMemoryPages)
		}
		if min == 0 {
			// The metering's branchless trap loads at address 0 (instrument.go).
			return r.errAt(off, "memory of 0 pages, at least 1 required")
		}
		m.memories++
		m.memMin = min
	}
	return nil
}

// constExpr reads a constant expression: one t.const and end.
func (r *reader) constExpr(t ValType) (int64, error) {
	off := r.pos
	op, err := r.byte()
	if err != nil {
		return 0, err
	}
	var v int64
	switch {
	case op == opI32Const && t == I32:
		v, err = r.sleb(32)
	case op == opI64Const && t == I64:
		v, err = r.sleb(64)
	default:
		return 0, r.errAt(off, "constant expression must be a single %s.const, found %s", t, opName(op))
	}
	if err != nil {
		return 0, err
	}
	endOff := r.pos
	if c, err := r.byte(); err != nil || c != opEnd {
		return 0, r.errAt(endOff, "constant expression must end after one instruction")
	}
	return v, nil
}

func (m *module) parseGlobals(r *reader) error {
	n, err := r.count(4)
	if err != nil {
		return err
	}
	for range n {
		t, err := r.valType()
		if err != nil {
			return err
		}
		off := r.pos
		mut, err := r.byte()
		if err != nil {
			return err
		}
		if mut > 1 {
			return r.errAt(off, "bad global mutability 0x%s", hex2(mut))
		}
		if _, err := r.constExpr(t); err != nil {
			return err
		}
		m.globalMut = append(m.globalMut, mut == 1)
	}
	return nil
}

func (m *module) parseElements(r *reader) error {
	n, err := r.count(4)
	if err != nil {
		return err
	}
	for range n {
		off := r.pos
		flags, err := r.u32()
		if err != nil {
			return err
		}
		if flags != 0 {
			return r.errAt(off, "element segment kind %d not allowed (active funcref segments only)", flags)
		}
		if !m.hasTable {
			return r.errAt(off, "element segment without a table")
		}
		at, err := r.constExpr(I32)
		if err != nil {
			return err
		}
		cnt, err := r.count(1)
		if err != nil {
			return err
		}
		if uint64(uint32(at))+uint64(cnt) > uint64(m.tableMin) {
			return r.errAt(off, "element segment [%d, +%d) outside the table of %d", uint32(at), cnt, m.tableMin)
		}
		for range cnt {
			foff := r.pos
			f, err := r.u32()
			if err != nil {
				return err
			}
			if int(f) >= len(m.funcs) {
				return r.errAt(foff, "function index %d out of range", f)
			}
		}
	}
	return nil
}

func (m *module) parseData(r *reader, s *Schedule) error {
	n, err := r.count(3)
	if err != nil {
		return err
	}
	m.dataSegs = n
	for range n {
		off := r.pos
		flags, err := r.u32()
		if err != nil {
			return err
		}
		switch flags {
		case 0:
		case 2:
			if mi, err := r.u32(); err != nil {
				return err
			} else if mi != 0 {
				return r.errAt(off, "memory index %d out of range", mi)
			}
		default:
			return r.errAt(off, "data segment kind %d not allowed (active segments only)", flags)
		}
		if m.memories == 0 {
			return r.errAt(off, "data segment without a memory")
		}
		at, err := r.constExpr(I32)
		if err != nil {
			return err
		}
		size, err := r.u32()
		if err != nil {
			return err
		}
		if size > s.MaxDataSegmentBytes {
			return r.errAt(off, "data segment of %d bytes, more than max_data_segment_bytes %d", size, s.MaxDataSegmentBytes)
		}
		if _, err := r.bytes(int(size)); err != nil {
			return err
		}
		if uint64(uint32(at))+uint64(size) > uint64(m.memMin)*pageSize {
			return r.errAt(off, "data segment [%d, +%d) outside the initial memory", uint32(at), size)
		}
	}
	return nil
}
