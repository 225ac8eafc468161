package check

// This file validates the code of core functions and constant
// expressions: the algorithm of the WebAssembly specification's appendix
// ("Validation Algorithm"), an operand stack of value types (bottom for
// what unreachable code leaves) and a stack of control frames, over every
// instruction of WebAssembly 3.0 (numeric, vector and relaxed vector,
// reference, GC, exception, tail call, bulk memory, atomic, wide
// arithmetic), each behind its feature.

type frameKind uint8

const (
	fBlock frameKind = iota
	fLoop
	fIf
	fElse
	fTryTable
	fFunc
)

type ctrlFrame struct {
	kind            frameKind
	params, results []vt
	height          int
	unreachable     bool
	inits           int // the height of the list of locals set when the frame began
}

// funcValidator validates one function body or constant expression.
type funcValidator struct {
	m      *coreModule
	ct     *coreTypes
	feats  Features
	r      *creader
	locals []vt
	// set says which locals are initialized (non-defaultable ones must
	// be set before they are read); inits lists those set, to forget
	// them at the end of the block that set them.
	set     []bool
	inits   []int
	stack   []vt
	ctrl    []ctrlFrame
	results []vt // the function's
	// constExpr: a constant expression of type results[0].
	constExpr bool
}

func (v *funcValidator) errf(format string, args ...any) error { return v.r.errf(format, args...) }

func (v *funcValidator) need(f Features, msg string) error {
	if !v.feats.Has(f) {
		return v.errf("%s", msg)
	}
	return nil
}

func (v *funcValidator) push(t vt) { v.stack = append(v.stack, t) }

func (v *funcValidator) pushAll(ts []vt) { v.stack = append(v.stack, ts...) }

// pop pops any operand (bottom in unreachable code).
func (v *funcValidator) pop() (vt, error) {
	f := &v.ctrl[len(v.ctrl)-1]
	if len(v.stack) == f.height {
		if f.unreachable {
			return tBot, nil
		}
		return tBot, v.errf("type mismatch: expected a type but nothing on stack")
	}
	t := v.stack[len(v.stack)-1]
	v.stack = v.stack[:len(v.stack)-1]
	return t, nil
}

// popT pops an operand of (a subtype of) want.
func (v *funcValidator) popT(want vt) (vt, error) {
	f := &v.ctrl[len(v.ctrl)-1]
	if len(v.stack) == f.height {
		if f.unreachable {
			return tBot, nil
		}
		return tBot, v.errf("type mismatch: expected %s but nothing on stack", v.ct.vtString(want))
	}
	t := v.stack[len(v.stack)-1]
	v.stack = v.stack[:len(v.stack)-1]
	if want.k == vBot || v.ct.valSub(t, want) {
		return t, nil
	}
	return t, v.errf("type mismatch: expected %s, found %s", v.ct.vtString(want), v.ct.vtString(t))
}

// popAll pops operands of the types ts (the last on top).
func (v *funcValidator) popAll(ts []vt) error {
	for i := len(ts) - 1; i >= 0; i-- {
		if _, err := v.popT(ts[i]); err != nil {
			return err
		}
	}
	return nil
}

// popRef pops a reference (or bottom).
func (v *funcValidator) popRef() (vt, error) {
	t, err := v.pop()
	if err != nil {
		return t, err
	}
	if t.k == vBot {
		return vt{k: vRef, null: false, ht: heapType{abs: hBot, idx: -1}}, nil
	}
	if t.k != vRef {
		return t, v.errf("type mismatch: expected a reference type, found %s", v.ct.vtString(t))
	}
	return t, nil
}

func (v *funcValidator) pushCtrl(k frameKind, params, results []vt) {
	v.ctrl = append(v.ctrl, ctrlFrame{kind: k, params: params, results: results, height: len(v.stack), inits: len(v.inits)})
	v.pushAll(params)
}

func (v *funcValidator) popCtrl() (ctrlFrame, error) {
	if len(v.ctrl) == 0 {
		return ctrlFrame{}, v.errf("control frames remain at end of function: END opcode expected")
	}
	f := v.ctrl[len(v.ctrl)-1]
	if err := v.popAll(f.results); err != nil {
		return f, err
	}
	if len(v.stack) != f.height {
		return f, v.errf("type mismatch: values remaining on stack at end of block")
	}
	v.ctrl = v.ctrl[:len(v.ctrl)-1]
	// Locals set in the block are unset again.
	for _, l := range v.inits[f.inits:] {
		v.set[l] = false
	}
	v.inits = v.inits[:f.inits]
	return f, nil
}

func (f *ctrlFrame) labelTypes() []vt {
	if f.kind == fLoop {
		return f.params
	}
	return f.results
}

func (v *funcValidator) unreachable() {
	f := &v.ctrl[len(v.ctrl)-1]
	v.stack = v.stack[:f.height]
	f.unreachable = true
}

// label is the frame a branch to depth l targets.
func (v *funcValidator) label(l uint32) (*ctrlFrame, error) {
	if int(l) >= len(v.ctrl) {
		return nil, v.errf("unknown label: branch depth too large")
	}
	return &v.ctrl[len(v.ctrl)-1-int(l)], nil
}

// blockType reads a block type: empty, one value type, or a function
// type's index.
func (v *funcValidator) blockType() (params, results []vt, err error) {
	c, err := v.r.peek()
	if err != nil {
		return nil, nil, err
	}
	if c == 0x40 {
		v.r.pos++
		return nil, nil, nil
	}
	if c&0x40 != 0 || c == 0x63 || c == 0x64 { // a value type (negative in s33)
		t, err := v.m.valType(v.r)
		if err != nil {
			return nil, nil, err
		}
		return nil, []vt{t}, nil
	}
	idx, err := v.r.sleb(33)
	if err != nil {
		return nil, nil, err
	}
	if idx < 0 || idx >= int64(len(v.m.types)) {
		return nil, nil, v.errf("type index out of bounds")
	}
	st := v.ct.at(v.m.types[idx])
	if st.comp.kind != cFunc {
		return nil, nil, v.errf("expected func type at index %d, found %s", idx, compKindName(st.comp.kind))
	}
	return st.comp.params, st.comp.results, nil
}

func compKindName(k compKind) string {
	switch k {
	case cStruct:
		return "struct"
	case cArray:
		return "array"
	case cCont:
		return "cont"
	}
	return "func"
}

// validateFunc validates a function body (locals and code) of type fn.
func (m *coreModule) validateFunc(r *creader, fn int32) error {
	st := m.ct.at(fn)
	v := &funcValidator{m: m, ct: m.ct, feats: m.feats, r: r, results: st.comp.results}
	v.locals = append(v.locals, st.comp.params...)
	n, err := r.count()
	if err != nil {
		return err
	}
	total := uint64(len(st.comp.params))
	for i := 0; i < n; i++ {
		cnt, err := r.u32()
		if err != nil {
			return err
		}
		total += uint64(cnt)
		if total > maxCoreLocals {
			return r.errf("too many locals: locals exceed maximum")
		}
		t, err := m.valType(r)
		if err != nil {
			return err
		}
		for j := uint32(0); j < cnt; j++ {
			v.locals = append(v.locals, t)
		}
	}
	v.set = make([]bool, len(v.locals))
	for i, t := range v.locals {
		v.set[i] = i < len(st.comp.params) || defaultable(t)
	}
	v.pushCtrl(fFunc, nil, st.comp.results)
	return v.run()
}

func defaultable(t vt) bool { return t.k != vRef || t.null }

// validateConst validates a constant expression of type want.
func (m *coreModule) validateConst(r *creader, want vt) error {
	// The common case, `i32.const n end` (the offset of almost every data
	// and element segment), without a validator: n in at most 4 LEB128
	// bytes (i64.const: 9), which are always in range.
	if op, maxLEB := constOpFor(want); op != 0 && r.pos < len(r.b) && r.b[r.pos] == op {
		b := r.b[r.pos+1:]
		for i := 0; i < len(b) && i < maxLEB; i++ {
			if b[i]&0x80 == 0 {
				if i+1 < len(b) && b[i+1] == 0x0b {
					r.pos += 1 + i + 2
					return nil
				}
				break
			}
		}
	}
	v := &funcValidator{m: m, ct: m.ct, feats: m.feats, r: r, results: []vt{want}, constExpr: true}
	v.pushCtrl(fFunc, nil, v.results)
	return v.run()
}

// run validates instructions up to the end of the function.
func (v *funcValidator) run() error {
	for len(v.ctrl) > 0 {
		if v.r.eof() {
			return v.errf("unexpected end-of-file: control frames remain at end of function")
		}
		op, err := v.r.byte()
		if err != nil {
			return err
		}
		if v.constExpr {
			if err := v.constOp(op); err != nil {
				return err
			}
		}
		if err := v.op(op); err != nil {
			return err
		}
	}
	if !v.constExpr && !v.r.eof() {
		return v.errf("operators remaining after end of function")
	}
	return nil
}

// constOp checks that op may be in a constant expression.
func (v *funcValidator) constOp(op byte) error {
	switch op {
	case 0x41, 0x42, 0x43, 0x44, 0xd0, 0xd2, 0x0b, 0x23:
		if op == 0x23 {
			save := v.r.pos
			g, err := v.r.u32()
			if err != nil {
				return err
			}
			v.r.pos = save
			if int(g) < len(v.m.globals) {
				if int(g) >= v.m.importedGlobals && !v.feats.Has(FeatureGC) {
					return v.errf("constant expression required: global.get of locally defined global")
				}
				if v.m.globals[g].mut {
					return v.errf("constant expression required: global.get of mutable global")
				}
			}
		}
		return nil
	case 0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e:
		if v.feats.Has(FeatureExtendedConst) {
			return nil
		}
	case 0xfd:
		save := v.r.pos
		sub, err := v.r.u32()
		v.r.pos = save
		if err == nil && sub == 12 {
			return nil
		}
	case 0xfb:
		save := v.r.pos
		sub, err := v.r.u32()
		v.r.pos = save
		if err == nil && v.feats.Has(FeatureGC) {
			switch sub {
			case 0, 1, 6, 7, 8, 26, 27, 28:
				return nil
			}
		}
	}
	return v.errf("constant expression required: non-constant operator: %#x", op)
}

func (v *funcValidator) local(i uint32) (vt, error) {
	if int(i) >= len(v.locals) {
		return tBot, v.errf("unknown local %d: local index out of bounds", i)
	}
	return v.locals[i], nil
}

func (v *funcValidator) setLocal(i uint32) {
	if !v.set[i] {
		v.set[i] = true
		v.inits = append(v.inits, int(i))
	}
}

func (v *funcValidator) global(i uint32) (globalT, error) {
	if int(i) >= len(v.m.globals) {
		return globalT{}, v.errf("unknown global %d: global index out of bounds", i)
	}
	return v.m.globals[i], nil
}

func (v *funcValidator) table(i uint32) (tableT, error) {
	if int(i) >= len(v.m.tables) {
		return tableT{}, v.errf("unknown table %d: table index out of bounds", i)
	}
	return v.m.tables[i], nil
}

func (v *funcValidator) memory(i uint32) (memT, error) {
	if int(i) >= len(v.m.mems) {
		return memT{}, v.errf("unknown memory %d: memory index out of bounds", i)
	}
	return v.m.mems[i], nil
}

func (t tableT) addr() vt {
	if t.t64 {
		return tI64
	}
	return tI32
}

func (m memT) addr() vt {
	if m.m64 {
		return tI64
	}
	return tI32
}

// funcAt is the canonical type of function i.
func (v *funcValidator) funcAt(i uint32) (int32, error) {
	if int(i) >= len(v.m.funcs) {
		return 0, v.errf("unknown function %d: function index out of bounds", i)
	}
	return v.m.funcs[i], nil
}

// typeAt is the canonical type of type index i, which must be of kind k
// (0 for any).
func (v *funcValidator) typeAt(i uint32, k compKind) (int32, *subT, error) {
	if int(i) >= len(v.m.types) {
		return 0, nil, v.errf("unknown type %d: type index out of bounds", i)
	}
	id := v.m.types[i]
	st := v.ct.at(id)
	if k != 0 && st.comp.kind != k {
		return 0, nil, v.errf("type index %d is not a %s type", i, compKindName(k))
	}
	return id, st, nil
}

// memarg reads a memory argument: alignment (with the memory index flag of
// multi-memory), memory index and offset; it returns the memory.
func (v *funcValidator) memarg(maxAlign uint32) (memT, error) {
	align, err := v.r.u32()
	if err != nil {
		return memT{}, err
	}
	var mem uint32
	if align&0x40 != 0 {
		if err := v.need(FeatureMultiMemory, "multi-memory support is not enabled"); err != nil {
			return memT{}, err
		}
		align &^= 0x40
		if mem, err = v.r.u32(); err != nil {
			return memT{}, err
		}
	}
	if align >= 0x40 {
		return memT{}, v.errf("malformed memop alignment: alignment too large")
	}
	m, err := v.memory(mem)
	if err != nil {
		return m, err
	}
	off, err := v.r.u64()
	if err != nil {
		return m, err
	}
	if !m.m64 && off > 0xffffffff {
		return m, v.errf("offset out of range: must be <= 2**32")
	}
	if align > maxAlign {
		return m, v.errf("malformed memop alignment: alignment must not be larger than natural")
	}
	return m, nil
}

// atomicMemarg reads the memory argument of an atomic instruction, whose
// alignment must be exactly natural.
func (v *funcValidator) atomicMemarg(natural uint32) (memT, error) {
	save := v.r.pos
	align, err := v.r.u32()
	if err != nil {
		return memT{}, err
	}
	v.r.pos = save
	if align&^0x40 != natural {
		return memT{}, v.errf("invalid memop alignment: atomic instructions must always specify maximum alignment")
	}
	return v.memarg(natural)
}

// memidx reads the memory index immediate of memory.size and friends: a
// zero byte without multi-memory.
func (v *funcValidator) memidx() (memT, error) {
	if !v.feats.Has(FeatureMultiMemory) {
		b, err := v.r.byte()
		if err != nil {
			return memT{}, err
		}
		if b != 0 {
			return memT{}, v.errf("zero byte expected")
		}
		return v.memory(0)
	}
	i, err := v.r.u32()
	if err != nil {
		return memT{}, err
	}
	return v.memory(i)
}

// numeric signatures: operands, result (tBot for none).
type sig struct {
	in  []vt
	out vt
}

var (
	sI32un  = sig{[]vt{tI32}, tI32}
	sI32bin = sig{[]vt{tI32, tI32}, tI32}
	sI64un  = sig{[]vt{tI64}, tI64}
	sI64bin = sig{[]vt{tI64, tI64}, tI64}
	sI64cmp = sig{[]vt{tI64, tI64}, tI32}
	sF32un  = sig{[]vt{tF32}, tF32}
	sF32bin = sig{[]vt{tF32, tF32}, tF32}
	sF32cmp = sig{[]vt{tF32, tF32}, tI32}
	sF64un  = sig{[]vt{tF64}, tF64}
	sF64bin = sig{[]vt{tF64, tF64}, tF64}
	sF64cmp = sig{[]vt{tF64, tF64}, tI32}
)

// numericSig is the signature of a numeric instruction 0x45 … 0xc4.
func numericSig(op byte) sig {
	switch {
	case op == 0x45:
		return sI32un
	case op <= 0x4f:
		return sI32bin
	case op == 0x50:
		return sig{[]vt{tI64}, tI32}
	case op <= 0x5a:
		return sI64cmp
	case op <= 0x60:
		return sF32cmp
	case op <= 0x66:
		return sF64cmp
	case op <= 0x69:
		return sI32un
	case op <= 0x78:
		return sI32bin
	case op <= 0x7b:
		return sI64un
	case op <= 0x8a:
		return sI64bin
	case op <= 0x91:
		return sF32un
	case op <= 0x98:
		return sF32bin
	case op <= 0x9f:
		return sF64un
	case op <= 0xa6:
		return sF64bin
	}
	return convSigs[op]
}

// convSigs are the signatures of the conversions 0xa7 … 0xc4.
var convSigs = map[byte]sig{
	0xa7: {[]vt{tI64}, tI32}, 0xa8: {[]vt{tF32}, tI32}, 0xa9: {[]vt{tF32}, tI32}, 0xaa: {[]vt{tF64}, tI32}, 0xab: {[]vt{tF64}, tI32},
	0xac: {[]vt{tI32}, tI64}, 0xad: {[]vt{tI32}, tI64}, 0xae: {[]vt{tF32}, tI64}, 0xaf: {[]vt{tF32}, tI64}, 0xb0: {[]vt{tF64}, tI64}, 0xb1: {[]vt{tF64}, tI64},
	0xb2: {[]vt{tI32}, tF32}, 0xb3: {[]vt{tI32}, tF32}, 0xb4: {[]vt{tI64}, tF32}, 0xb5: {[]vt{tI64}, tF32}, 0xb6: {[]vt{tF64}, tF32},
	0xb7: {[]vt{tI32}, tF64}, 0xb8: {[]vt{tI32}, tF64}, 0xb9: {[]vt{tI64}, tF64}, 0xba: {[]vt{tI64}, tF64}, 0xbb: {[]vt{tF32}, tF64},
	0xbc: {[]vt{tF32}, tI32}, 0xbd: {[]vt{tF64}, tI64}, 0xbe: {[]vt{tI32}, tF32}, 0xbf: {[]vt{tI64}, tF64},
	0xc0: sI32un, 0xc1: sI32un, 0xc2: sI64un, 0xc3: sI64un, 0xc4: sI64un,
}

func (v *funcValidator) apply(s sig) error {
	if err := v.popAll(s.in); err != nil {
		return err
	}
	if s.out.k != vBot {
		v.push(s.out)
	}
	return nil
}

// loadStore: loads 0x28…0x35, stores 0x36…0x3e: natural alignment and type.
var loads = map[byte]struct {
	align uint32
	t     vt
}{
	0x28: {2, tI32}, 0x29: {3, tI64}, 0x2a: {2, tF32}, 0x2b: {3, tF64}, 0x2c: {0, tI32}, 0x2d: {0, tI32}, 0x2e: {1, tI32}, 0x2f: {1, tI32},
	0x30: {0, tI64}, 0x31: {0, tI64}, 0x32: {1, tI64}, 0x33: {1, tI64}, 0x34: {2, tI64}, 0x35: {2, tI64},
	0x36: {2, tI32}, 0x37: {3, tI64}, 0x38: {2, tF32}, 0x39: {3, tF64}, 0x3a: {0, tI32}, 0x3b: {1, tI32}, 0x3c: {0, tI64}, 0x3d: {1, tI64}, 0x3e: {2, tI64},
}

// call checks a call of function type fn (popping its parameters); tail
// calls check its results against the function's and end the block.
func (v *funcValidator) call(fn int32, tail bool) error {
	c := &v.ct.at(fn).comp
	if err := v.popAll(c.params); err != nil {
		return err
	}
	if !tail {
		v.pushAll(c.results)
		return nil
	}
	if err := v.need(FeatureTailCall, "tail calls support is not enabled"); err != nil {
		return err
	}
	if len(c.results) != len(v.results) {
		return v.errf("type mismatch: current function requires result type [%s] but callee returns [%s]", v.typesString(v.results), v.typesString(c.results))
	}
	for i := range c.results {
		if !v.ct.valSub(c.results[i], v.results[i]) {
			return v.errf("type mismatch: current function requires result type [%s] but callee returns [%s]", v.typesString(v.results), v.typesString(c.results))
		}
	}
	v.unreachable()
	return nil
}

func (v *funcValidator) typesString(ts []vt) string {
	s := ""
	for i, t := range ts {
		if i > 0 {
			s += " "
		}
		s += v.ct.vtString(t)
	}
	return s
}

// branch checks the operands of a branch to label l (they stay).
func (v *funcValidator) branchCheck(l uint32) error {
	f, err := v.label(l)
	if err != nil {
		return err
	}
	ts := f.labelTypes()
	if err := v.popAll(ts); err != nil {
		return err
	}
	v.pushAll(ts)
	return nil
}

// op validates one instruction.
func (v *funcValidator) op(op byte) error {
	r := v.r
	switch {
	case op >= 0x45 && op <= 0xc4:
		return v.apply(numericSig(op))
	case op >= 0x28 && op <= 0x3e:
		l := loads[op]
		m, err := v.memarg(l.align)
		if err != nil {
			return err
		}
		if op <= 0x35 {
			return v.apply(sig{[]vt{m.addr()}, l.t})
		}
		return v.apply(sig{[]vt{m.addr(), l.t}, tBot})
	}
	switch op {
	case 0x00: // unreachable
		v.unreachable()
	case 0x01: // nop
	case 0x02, 0x03: // block, loop
		params, results, err := v.blockType()
		if err != nil {
			return err
		}
		if err := v.popAll(params); err != nil {
			return err
		}
		k := fBlock
		if op == 0x03 {
			k = fLoop
		}
		v.pushCtrl(k, params, results)
	case 0x04: // if
		params, results, err := v.blockType()
		if err != nil {
			return err
		}
		if _, err := v.popT(tI32); err != nil {
			return err
		}
		if err := v.popAll(params); err != nil {
			return err
		}
		v.pushCtrl(fIf, params, results)
	case 0x05: // else
		f, err := v.popCtrl()
		if err != nil {
			return err
		}
		if f.kind != fIf {
			return v.errf("else found outside of an `if` block")
		}
		v.pushCtrl(fElse, f.params, f.results)
	case 0x06, 0x07, 0x09, 0x18, 0x19:
		return v.errf("legacy exceptions support is not enabled")
	case 0x08: // throw
		if err := v.need(FeatureExceptions, "exceptions proposal not enabled"); err != nil {
			return err
		}
		t, err := v.tag()
		if err != nil {
			return err
		}
		if err := v.popAll(v.ct.at(t).comp.params); err != nil {
			return err
		}
		v.unreachable()
	case 0x0a: // throw_ref
		if err := v.need(FeatureExceptions, "exceptions proposal not enabled"); err != nil {
			return err
		}
		if _, err := v.popT(tExnref); err != nil {
			return err
		}
		v.unreachable()
	case 0x0b: // end
		f, err := v.popCtrl()
		if err != nil {
			return err
		}
		if f.kind == fIf {
			// No else: the empty else branch must turn the parameters
			// into the results.
			v.pushCtrl(fElse, f.params, f.results)
			if f, err = v.popCtrl(); err != nil {
				return err
			}
		}
		if len(v.ctrl) > 0 {
			v.pushAll(f.results)
		}
	case 0x0c: // br
		l, err := r.u32()
		if err != nil {
			return err
		}
		f, err := v.label(l)
		if err != nil {
			return err
		}
		if err := v.popAll(f.labelTypes()); err != nil {
			return err
		}
		v.unreachable()
	case 0x0d: // br_if
		l, err := r.u32()
		if err != nil {
			return err
		}
		if _, err := v.popT(tI32); err != nil {
			return err
		}
		return v.branchCheck(l)
	case 0x0e: // br_table
		n, err := r.countMax(maxCoreFuncSize, "br_table")
		if err != nil {
			return err
		}
		targets := make([]uint32, n+1)
		for i := range targets {
			if targets[i], err = r.u32(); err != nil {
				return err
			}
		}
		if _, err := v.popT(tI32); err != nil {
			return err
		}
		def, err := v.label(targets[n])
		if err != nil {
			return err
		}
		arity := len(def.labelTypes())
		for _, l := range targets {
			f, err := v.label(l)
			if err != nil {
				return err
			}
			ts := f.labelTypes()
			if len(ts) != arity {
				return v.errf("type mismatch: br_table target labels have different number of types")
			}
			// Each target's types are checked against the operands
			// (which stay for the next target).
			save := append([]vt(nil), v.stack...)
			if err := v.popAll(ts); err != nil {
				return err
			}
			v.stack = save
		}
		if err := v.popAll(def.labelTypes()); err != nil {
			return err
		}
		v.unreachable()
	case 0x0f: // return
		if err := v.popAll(v.results); err != nil {
			return err
		}
		v.unreachable()
	case 0x10, 0x12: // call, return_call
		f, err := r.u32()
		if err != nil {
			return err
		}
		fn, err := v.funcAt(f)
		if err != nil {
			return err
		}
		return v.call(fn, op == 0x12)
	case 0x11, 0x13: // call_indirect, return_call_indirect
		ti, err := r.u32()
		if err != nil {
			return err
		}
		tab, err := r.u32()
		if err != nil {
			return err
		}
		if tab != 0 && !v.feats.Has(FeatureReferenceTypes) {
			return v.errf("zero byte expected")
		}
		t, err := v.table(tab)
		if err != nil {
			return err
		}
		if !v.ct.valSub(t.elem, tFuncref) {
			return v.errf("type mismatch: indirect calls must go through a table with type <= funcref")
		}
		fn, _, err := v.typeAt(ti, cFunc)
		if err != nil {
			return err
		}
		if _, err := v.popT(t.addr()); err != nil {
			return err
		}
		return v.call(fn, op == 0x13)
	case 0x14, 0x15: // call_ref, return_call_ref
		if err := v.need(FeatureFunctionReferences, "function references required for index reference types"); err != nil {
			return err
		}
		ti, err := r.u32()
		if err != nil {
			return err
		}
		fn, _, err := v.typeAt(ti, cFunc)
		if err != nil {
			return err
		}
		if _, err := v.popT(vt{k: vRef, null: true, ht: heapType{idx: fn}}); err != nil {
			return err
		}
		return v.call(fn, op == 0x15)
	case 0x1a: // drop
		_, err := v.pop()
		return err
	case 0x1b: // select
		if _, err := v.popT(tI32); err != nil {
			return err
		}
		a, err := v.pop()
		if err != nil {
			return err
		}
		b, err := v.pop()
		if err != nil {
			return err
		}
		if a.k == vRef || b.k == vRef {
			return v.errf("type mismatch: select only takes integral types")
		}
		if a.k != vBot && b.k != vBot && a.k != b.k {
			return v.errf("type mismatch: select operands have different types")
		}
		if a.k == vBot {
			a = b
		}
		v.push(a)
	case 0x1c: // select t*
		if err := v.need(FeatureReferenceTypes, "reference types support is not enabled"); err != nil {
			return err
		}
		n, err := r.count()
		if err != nil {
			return err
		}
		if n != 1 {
			return v.errf("invalid result arity")
		}
		t, err := v.m.valType(r)
		if err != nil {
			return err
		}
		if _, err := v.popT(tI32); err != nil {
			return err
		}
		if _, err := v.popT(t); err != nil {
			return err
		}
		if _, err := v.popT(t); err != nil {
			return err
		}
		v.push(t)
	case 0x1f: // try_table
		if err := v.need(FeatureExceptions, "exceptions proposal not enabled"); err != nil {
			return err
		}
		params, results, err := v.blockType()
		if err != nil {
			return err
		}
		n, err := r.count()
		if err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			kind, err := r.byte()
			if err != nil {
				return err
			}
			var ts []vt
			switch kind {
			case 0x00, 0x01:
				t, err := v.tag()
				if err != nil {
					return err
				}
				ts = append(ts, v.ct.at(t).comp.params...)
				if kind == 0x01 {
					ts = append(ts, absRef(false, hExn))
				}
			case 0x02:
			case 0x03:
				ts = []vt{absRef(false, hExn)}
			default:
				return v.errf("invalid catch kind %#x", kind)
			}
			l, err := r.u32()
			if err != nil {
				return err
			}
			f, err := v.label(l)
			if err != nil {
				return err
			}
			lt := f.labelTypes()
			if len(lt) != len(ts) {
				return v.errf("type mismatch: catch label must have the types of the tag")
			}
			for j := range ts {
				if !v.ct.valSub(ts[j], lt[j]) {
					return v.errf("type mismatch: catch label must have the types of the tag")
				}
			}
		}
		if err := v.popAll(params); err != nil {
			return err
		}
		v.pushCtrl(fTryTable, params, results)
	case 0x20: // local.get
		i, err := r.u32()
		if err != nil {
			return err
		}
		t, err := v.local(i)
		if err != nil {
			return err
		}
		if !v.set[i] {
			return v.errf("uninitialized local: %d", i)
		}
		v.push(t)
	case 0x21, 0x22: // local.set, local.tee
		i, err := r.u32()
		if err != nil {
			return err
		}
		t, err := v.local(i)
		if err != nil {
			return err
		}
		if _, err := v.popT(t); err != nil {
			return err
		}
		v.setLocal(i)
		if op == 0x22 {
			v.push(t)
		}
	case 0x23: // global.get
		i, err := r.u32()
		if err != nil {
			return err
		}
		g, err := v.global(i)
		if err != nil {
			return err
		}
		v.push(g.t)
	case 0x24: // global.set
		i, err := r.u32()
		if err != nil {
			return err
		}
		g, err := v.global(i)
		if err != nil {
			return err
		}
		if !g.mut {
			return v.errf("global is immutable: cannot modify it with `global.set`")
		}
		_, err = v.popT(g.t)
		return err
	case 0x25, 0x26: // table.get, table.set
		if err := v.need(FeatureReferenceTypes, "reference types support is not enabled"); err != nil {
			return err
		}
		i, err := r.u32()
		if err != nil {
			return err
		}
		t, err := v.table(i)
		if err != nil {
			return err
		}
		if op == 0x25 {
			return v.apply(sig{[]vt{t.addr()}, t.elem})
		}
		return v.apply(sig{[]vt{t.addr(), t.elem}, tBot})
	case 0x3f: // memory.size
		m, err := v.memidx()
		if err != nil {
			return err
		}
		v.push(m.addr())
	case 0x40: // memory.grow
		m, err := v.memidx()
		if err != nil {
			return err
		}
		return v.apply(sig{[]vt{m.addr()}, m.addr()})
	case 0x41:
		if _, err := r.sleb(32); err != nil {
			return err
		}
		v.push(tI32)
	case 0x42:
		if _, err := r.sleb(64); err != nil {
			return err
		}
		v.push(tI64)
	case 0x43:
		if _, err := r.bytes(4); err != nil {
			return err
		}
		v.push(tF32)
	case 0x44:
		if _, err := r.bytes(8); err != nil {
			return err
		}
		v.push(tF64)
	case 0xd0: // ref.null
		if err := v.need(FeatureReferenceTypes, "reference types support is not enabled"); err != nil {
			return err
		}
		h, err := v.m.heapType(r)
		if err != nil {
			return err
		}
		v.push(vt{k: vRef, null: true, ht: h})
	case 0xd1: // ref.is_null
		if err := v.need(FeatureReferenceTypes, "reference types support is not enabled"); err != nil {
			return err
		}
		if _, err := v.popRef(); err != nil {
			return err
		}
		v.push(tI32)
	case 0xd2: // ref.func
		if err := v.need(FeatureReferenceTypes, "reference types support is not enabled"); err != nil {
			return err
		}
		f, err := r.u32()
		if err != nil {
			return err
		}
		fn, err := v.funcAt(f)
		if err != nil {
			return err
		}
		if v.constExpr {
			v.m.declare(f)
		} else if !v.m.isDeclared(f) {
			return v.errf("undeclared function reference")
		}
		if v.feats.Has(FeatureFunctionReferences) {
			v.push(vt{k: vRef, ht: heapType{idx: fn}})
		} else {
			v.push(tFuncref)
		}
	case 0xd3: // ref.eq
		if err := v.need(FeatureGC, "gc proposal not enabled"); err != nil {
			return err
		}
		eq := absRef(true, hEq)
		if _, err := v.popT(eq); err != nil {
			return err
		}
		if _, err := v.popT(eq); err != nil {
			return err
		}
		v.push(tI32)
	case 0xd4: // ref.as_non_null
		if err := v.need(FeatureFunctionReferences, "function references proposal not enabled"); err != nil {
			return err
		}
		t, err := v.popRef()
		if err != nil {
			return err
		}
		t.null = false
		v.push(t)
	case 0xd5, 0xd6: // br_on_null, br_on_non_null
		if err := v.need(FeatureFunctionReferences, "function references proposal not enabled"); err != nil {
			return err
		}
		l, err := r.u32()
		if err != nil {
			return err
		}
		t, err := v.popRef()
		if err != nil {
			return err
		}
		f, err := v.label(l)
		if err != nil {
			return err
		}
		lt := f.labelTypes()
		nn := t
		nn.null = false
		if op == 0xd5 {
			if err := v.popAll(lt); err != nil {
				return err
			}
			v.pushAll(lt)
			v.push(nn)
			return nil
		}
		if len(lt) == 0 {
			return v.errf("type mismatch: br_on_non_null target has no label types")
		}
		if !v.ct.valSub(nn, lt[len(lt)-1]) {
			return v.errf("type mismatch: expected %s, found %s", v.ct.vtString(lt[len(lt)-1]), v.ct.vtString(nn))
		}
		if err := v.popAll(lt[:len(lt)-1]); err != nil {
			return err
		}
		v.pushAll(lt[:len(lt)-1])
	case 0xfb:
		return v.gcOp()
	case 0xfc:
		return v.miscOp()
	case 0xfd:
		if err := v.need(FeatureSIMD, "SIMD support is not enabled"); err != nil {
			return err
		}
		return v.simdOp()
	case 0xfe:
		if err := v.need(FeatureThreads, "threads support is not enabled"); err != nil {
			return err
		}
		return v.atomicOp()
	default:
		v.r.pos--
		return v.errf("illegal opcode: %#x", op)
	}
	return nil
}

// tag reads a tag index and returns its function type.
func (v *funcValidator) tag() (int32, error) {
	i, err := v.r.u32()
	if err != nil {
		return 0, err
	}
	if int(i) >= len(v.m.tags) {
		return 0, v.errf("unknown tag %d: tag index out of bounds", i)
	}
	return v.m.tags[i], nil
}

// dataIdx checks a data segment index (which needs the data count
// section).
func (v *funcValidator) dataIdx() error {
	d, err := v.r.u32()
	if err != nil {
		return err
	}
	if !v.m.hasDataCount {
		return v.errf("data count section required")
	}
	if int(d) >= v.m.dataCount {
		return v.errf("unknown data segment %d", d)
	}
	return nil
}

func (v *funcValidator) elemIdx() (vt, error) {
	e, err := v.r.u32()
	if err != nil {
		return tBot, err
	}
	if int(e) >= len(v.m.elems) {
		return tBot, v.errf("unknown elem segment %d: segment index out of bounds", e)
	}
	return v.m.elems[e], nil
}

// miscOp validates the 0xfc instructions.
func (v *funcValidator) miscOp() error {
	sub, err := v.r.u32()
	if err != nil {
		return err
	}
	switch {
	case sub <= 7: // trunc_sat
		in := tF32
		if sub == 2 || sub == 3 || sub == 6 || sub == 7 {
			in = tF64
		}
		out := tI32
		if sub >= 4 {
			out = tI64
		}
		return v.apply(sig{[]vt{in}, out})
	case sub == 8: // memory.init
		if err := v.dataIdx(); err != nil {
			return err
		}
		m, err := v.memidx()
		if err != nil {
			return err
		}
		return v.apply(sig{[]vt{m.addr(), tI32, tI32}, tBot})
	case sub == 9: // data.drop
		return v.dataIdx()
	case sub == 10: // memory.copy
		var ms [2]memT
		for i := range ms {
			if ms[i], err = v.memidx(); err != nil {
				return err
			}
		}
		n := tI32
		if ms[0].m64 && ms[1].m64 {
			n = tI64
		}
		return v.apply(sig{[]vt{ms[0].addr(), ms[1].addr(), n}, tBot})
	case sub == 11: // memory.fill
		m, err := v.memidx()
		if err != nil {
			return err
		}
		return v.apply(sig{[]vt{m.addr(), tI32, m.addr()}, tBot})
	case sub == 12: // table.init
		et, err := v.elemIdx()
		if err != nil {
			return err
		}
		ti, err := v.r.u32()
		if err != nil {
			return err
		}
		t, err := v.table(ti)
		if err != nil {
			return err
		}
		if !v.ct.valSub(et, t.elem) {
			return v.errf("type mismatch: element segment's type is not the table's")
		}
		return v.apply(sig{[]vt{t.addr(), tI32, tI32}, tBot})
	case sub == 13: // elem.drop
		_, err := v.elemIdx()
		return err
	case sub == 14: // table.copy
		var ts [2]tableT
		for i := range ts {
			ti, err := v.r.u32()
			if err != nil {
				return err
			}
			if ts[i], err = v.table(ti); err != nil {
				return err
			}
		}
		if !v.ct.valSub(ts[1].elem, ts[0].elem) {
			return v.errf("type mismatch: source table's type is not the destination's")
		}
		n := tI32
		if ts[0].t64 && ts[1].t64 {
			n = tI64
		}
		return v.apply(sig{[]vt{ts[0].addr(), ts[1].addr(), n}, tBot})
	case sub >= 15 && sub <= 17: // table.grow, size, fill
		ti, err := v.r.u32()
		if err != nil {
			return err
		}
		t, err := v.table(ti)
		if err != nil {
			return err
		}
		switch sub {
		case 15:
			return v.apply(sig{[]vt{t.elem, t.addr()}, t.addr()})
		case 16:
			v.push(t.addr())
			return nil
		}
		return v.apply(sig{[]vt{t.addr(), t.elem, t.addr()}, tBot})
	case sub >= 0x13 && sub <= 0x16: // wide arithmetic
		if err := v.need(FeatureWideArithmetic, "wide arithmetic support is not enabled"); err != nil {
			return err
		}
		if sub <= 0x14 {
			if err := v.popAll([]vt{tI64, tI64, tI64, tI64}); err != nil {
				return err
			}
		} else if err := v.popAll([]vt{tI64, tI64}); err != nil {
			return err
		}
		v.pushAll([]vt{tI64, tI64})
		return nil
	}
	return v.errf("unknown 0xfc subopcode: %#x", sub)
}

// atomicOp validates the 0xfe instructions.
func (v *funcValidator) atomicOp() error {
	sub, err := v.r.u32()
	if err != nil {
		return err
	}
	// Accesses: natural alignment and the type accessed.
	access := func(i uint32) (uint32, vt) {
		switch i % 7 {
		case 0:
			return 2, tI32
		case 1:
			return 3, tI64
		case 2:
			return 0, tI32
		case 3:
			return 1, tI32
		case 4:
			return 0, tI64
		case 5:
			return 1, tI64
		}
		return 2, tI64
	}
	switch {
	case sub == 0x00: // memory.atomic.notify
		m, err := v.atomicMemarg(2)
		if err != nil {
			return err
		}
		return v.apply(sig{[]vt{m.addr(), tI32}, tI32})
	case sub == 0x01, sub == 0x02: // memory.atomic.wait32, wait64
		a, t := uint32(2), tI32
		if sub == 0x02 {
			a, t = 3, tI64
		}
		m, err := v.atomicMemarg(a)
		if err != nil {
			return err
		}
		return v.apply(sig{[]vt{m.addr(), t, tI64}, tI32})
	case sub == 0x03: // atomic.fence
		b, err := v.r.byte()
		if err != nil {
			return err
		}
		if b != 0 {
			return v.errf("nonzero byte after `atomic.fence`")
		}
		return nil
	case sub >= 0x10 && sub <= 0x16: // loads
		a, t := access(sub - 0x10)
		m, err := v.atomicMemarg(a)
		if err != nil {
			return err
		}
		return v.apply(sig{[]vt{m.addr()}, t})
	case sub >= 0x17 && sub <= 0x1d: // stores
		a, t := access(sub - 0x17)
		m, err := v.atomicMemarg(a)
		if err != nil {
			return err
		}
		return v.apply(sig{[]vt{m.addr(), t}, tBot})
	case sub >= 0x1e && sub <= 0x47: // read-modify-write
		a, t := access((sub - 0x1e) % 7)
		m, err := v.atomicMemarg(a)
		if err != nil {
			return err
		}
		return v.apply(sig{[]vt{m.addr(), t}, t})
	case sub >= 0x48 && sub <= 0x4e: // cmpxchg
		a, t := access(sub - 0x48)
		m, err := v.atomicMemarg(a)
		if err != nil {
			return err
		}
		return v.apply(sig{[]vt{m.addr(), t, t}, t})
	}
	return v.errf("unknown 0xfe subopcode: %#x", sub)
}

// constOpFor is the opcode of the constant instruction of type t, and the
// most LEB128 bytes of an immediate that are always in range (0 when t
// has none).
func constOpFor(t vt) (byte, int) {
	switch t {
	case tI32:
		return 0x41, 4
	case tI64:
		return 0x42, 9
	}
	return 0, 0
}
