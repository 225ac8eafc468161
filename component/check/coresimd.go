package check

// simdKind is the shape of a vector instruction.
type simdKind uint8

const (
	simdInvalid simdKind = iota
	simdUnary            // v128 → v128
	simdBinary           // v128 v128 → v128
	simdTernary          // v128 v128 v128 → v128
	simdTest             // v128 → i32
	simdShift            // v128 i32 → v128
	simdOther            // loads, stores, lanes, splats, constants: by opcode
)

// simdKinds gives the shape of each vector opcode (0xfd prefix) below 256.
var simdKinds = func() [256]simdKind {
	var k [256]simdKind
	set := func(kind simdKind, ops ...int) {
		for _, o := range ops {
			k[o] = kind
		}
	}
	span := func(kind simdKind, from, to int) {
		for o := from; o <= to; o++ {
			k[o] = kind
		}
	}
	span(simdOther, 0, 34)
	k[14] = simdBinary
	span(simdBinary, 35, 76)
	set(simdUnary, 77)
	span(simdBinary, 78, 81)
	set(simdTernary, 82)
	set(simdTest, 83)
	span(simdOther, 84, 93)
	set(simdUnary, 94, 95, 96, 97, 98)
	set(simdTest, 99, 100)
	set(simdBinary, 101, 102)
	span(simdUnary, 103, 106)
	span(simdShift, 107, 109)
	span(simdBinary, 110, 115)
	set(simdUnary, 116, 117)
	span(simdBinary, 118, 121)
	set(simdUnary, 122)
	set(simdBinary, 123)
	span(simdUnary, 124, 129)
	set(simdBinary, 130)
	set(simdTest, 131, 132)
	set(simdBinary, 133, 134)
	span(simdUnary, 135, 138)
	span(simdShift, 139, 141)
	span(simdBinary, 142, 147)
	set(simdUnary, 148)
	span(simdBinary, 149, 153)
	span(simdBinary, 155, 159)
	set(simdUnary, 160, 161)
	set(simdTest, 163, 164)
	span(simdUnary, 167, 170)
	span(simdShift, 171, 173)
	set(simdBinary, 174, 177)
	span(simdBinary, 181, 186)
	span(simdBinary, 188, 191)
	set(simdUnary, 192, 193)
	set(simdTest, 195, 196)
	span(simdUnary, 199, 202)
	span(simdShift, 203, 205)
	set(simdBinary, 206, 209, 213)
	span(simdBinary, 214, 223)
	set(simdUnary, 224, 225, 227)
	span(simdBinary, 228, 235)
	set(simdUnary, 236, 237, 239)
	span(simdBinary, 240, 247)
	span(simdUnary, 248, 255)
	return k
}()

// relaxedKinds are the shapes of the relaxed vector instructions
// 0x100 … 0x113.
var relaxedKinds = [...]simdKind{
	simdBinary,                                 // i8x16.relaxed_swizzle
	simdUnary, simdUnary, simdUnary, simdUnary, // relaxed_trunc
	simdTernary, simdTernary, simdTernary, simdTernary, // relaxed_madd, nmadd
	simdTernary, simdTernary, simdTernary, simdTernary, // relaxed_laneselect
	simdBinary, simdBinary, simdBinary, simdBinary, simdBinary, // relaxed_min, max, q15mulr
	simdBinary,  // i16x8.relaxed_dot_i8x16_i7x16_s
	simdTernary, // i32x4.relaxed_dot_i8x16_i7x16_add_s
}

func (v *funcValidator) simdOp() error {
	sub, err := v.r.u32()
	if err != nil {
		return err
	}
	var kind simdKind
	switch {
	case sub < 256:
		kind = simdKinds[sub]
	case sub >= 0x100 && sub < 0x100+uint32(len(relaxedKinds)):
		if err := v.need(FeatureRelaxedSIMD, "relaxed SIMD support is not enabled"); err != nil {
			return err
		}
		kind = relaxedKinds[sub-0x100]
	}
	switch kind {
	case simdUnary:
		return v.apply(sig{[]vt{tV128}, tV128})
	case simdBinary:
		return v.apply(sig{[]vt{tV128, tV128}, tV128})
	case simdTernary:
		return v.apply(sig{[]vt{tV128, tV128, tV128}, tV128})
	case simdTest:
		return v.apply(sig{[]vt{tV128}, tI32})
	case simdShift:
		return v.apply(sig{[]vt{tV128, tI32}, tV128})
	case simdOther:
		return v.simdOther(sub)
	}
	return v.errf("invalid SIMD opcode: %#x", sub)
}

func (v *funcValidator) lane(n byte) error {
	l, err := v.r.byte()
	if err != nil {
		return err
	}
	if l >= n {
		return v.errf("SIMD index out of bounds")
	}
	return nil
}

func (v *funcValidator) simdOther(sub uint32) error {
	switch {
	case sub <= 10 || sub == 92 || sub == 93: // loads
		align := uint32(3)
		switch sub {
		case 0:
			align = 4
		case 7:
			align = 0
		case 8:
			align = 1
		case 9, 92:
			align = 2
		}
		m, err := v.memarg(align)
		if err != nil {
			return err
		}
		return v.apply(sig{[]vt{m.addr()}, tV128})
	case sub == 11: // v128.store
		m, err := v.memarg(4)
		if err != nil {
			return err
		}
		return v.apply(sig{[]vt{m.addr(), tV128}, tBot})
	case sub == 12: // v128.const
		if _, err := v.r.bytes(16); err != nil {
			return err
		}
		v.push(tV128)
		return nil
	case sub == 13: // i8x16.shuffle
		for i := 0; i < 16; i++ {
			if err := v.lane(32); err != nil {
				return err
			}
		}
		return v.apply(sig{[]vt{tV128, tV128}, tV128})
	case sub >= 15 && sub <= 20: // splats
		in := [...]vt{tI32, tI32, tI32, tI64, tF32, tF64}[sub-15]
		return v.apply(sig{[]vt{in}, tV128})
	case sub >= 21 && sub <= 34: // extract_lane, replace_lane
		type laneOp struct {
			lanes   byte
			t       vt
			replace bool
		}
		ops := [...]laneOp{
			{16, tI32, false}, {16, tI32, false}, {16, tI32, true},
			{8, tI32, false}, {8, tI32, false}, {8, tI32, true},
			{4, tI32, false}, {4, tI32, true},
			{2, tI64, false}, {2, tI64, true},
			{4, tF32, false}, {4, tF32, true},
			{2, tF64, false}, {2, tF64, true},
		}
		o := ops[sub-21]
		if err := v.lane(o.lanes); err != nil {
			return err
		}
		if o.replace {
			return v.apply(sig{[]vt{tV128, o.t}, tV128})
		}
		return v.apply(sig{[]vt{tV128}, o.t})
	case sub >= 84 && sub <= 91: // load_lane, store_lane
		i := (sub - 84) % 4
		m, err := v.memarg(i)
		if err != nil {
			return err
		}
		if err := v.lane(16 >> i); err != nil {
			return err
		}
		if sub <= 87 {
			return v.apply(sig{[]vt{m.addr(), tV128}, tV128})
		}
		return v.apply(sig{[]vt{m.addr(), tV128}, tBot})
	}
	return v.errf("invalid SIMD opcode: %#x", sub)
}
