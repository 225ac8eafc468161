package check

// gcOp validates the 0xfb instructions (GC: structs, arrays, casts, i31,
// conversions between any and extern).
func (v *funcValidator) gcOp() error {
	sub, err := v.r.u32()
	if err != nil {
		return err
	}
	if err := v.need(FeatureGC, "gc proposal not enabled"); err != nil {
		return err
	}
	r := v.r
	ref := func(t int32, null bool) vt { return vt{k: vRef, null: null, ht: heapType{idx: t}} }
	structField := func() (int32, fieldT, error) {
		ti, err := r.u32()
		if err != nil {
			return 0, fieldT{}, err
		}
		t, st, err := v.typeAt(ti, cStruct)
		if err != nil {
			return 0, fieldT{}, err
		}
		fi, err := r.u32()
		if err != nil {
			return 0, fieldT{}, err
		}
		if int(fi) >= len(st.comp.fields) {
			return 0, fieldT{}, v.errf("unknown field: field index out of bounds")
		}
		return t, st.comp.fields[fi], nil
	}
	array := func() (int32, fieldT, error) {
		ti, err := r.u32()
		if err != nil {
			return 0, fieldT{}, err
		}
		t, st, err := v.typeAt(ti, cArray)
		if err != nil {
			return 0, fieldT{}, err
		}
		return t, st.comp.elem, nil
	}
	mutable := func(f fieldT, what string) error {
		if !f.mut {
			return v.errf("invalid %s modification: %s is immutable", what, what)
		}
		return nil
	}
	numeric := func(f fieldT, op string) error {
		if f.st == sVal && f.t.k == vRef {
			return v.errf("type mismatch: %s can only create arrays with numeric or vector elements", op)
		}
		return nil
	}
	switch sub {
	case 0, 1: // struct.new, struct.new_default
		ti, err := r.u32()
		if err != nil {
			return err
		}
		t, st, err := v.typeAt(ti, cStruct)
		if err != nil {
			return err
		}
		for i := len(st.comp.fields) - 1; i >= 0; i-- {
			f := st.comp.fields[i]
			if sub == 1 {
				if f.st == sVal && !defaultable(f.t) {
					return v.errf("invalid `struct.new_default`: %s field is not defaultable", v.ct.vtString(f.t))
				}
				continue
			}
			if _, err := v.popT(f.unpacked()); err != nil {
				return err
			}
		}
		v.push(ref(t, false))
	case 2, 3, 4: // struct.get, get_s, get_u
		t, f, err := structField()
		if err != nil {
			return err
		}
		if (sub == 2) != (f.st == sVal) {
			if sub == 2 {
				return v.errf("can only use struct.get with non-packed storage types")
			}
			return v.errf("cannot use struct.get_s or struct.get_u with non-packed storage types")
		}
		return v.apply(sig{[]vt{ref(t, true)}, f.unpacked()})
	case 5: // struct.set
		t, f, err := structField()
		if err != nil {
			return err
		}
		if err := mutable(f, "struct field"); err != nil {
			return err
		}
		return v.apply(sig{[]vt{ref(t, true), f.unpacked()}, tBot})
	case 6, 7: // array.new, array.new_default
		t, f, err := array()
		if err != nil {
			return err
		}
		if sub == 7 && f.st == sVal && !defaultable(f.t) {
			return v.errf("invalid `array.new_default`: %s field is not defaultable", v.ct.vtString(f.t))
		}
		in := []vt{tI32}
		if sub == 6 {
			in = []vt{f.unpacked(), tI32}
		}
		return v.apply(sig{in, ref(t, false)})
	case 8: // array.new_fixed
		t, f, err := array()
		if err != nil {
			return err
		}
		n, err := r.u32()
		if err != nil {
			return err
		}
		if n > maxStructFields {
			return v.errf("type mismatch: array.new_fixed arity is too large")
		}
		for i := uint32(0); i < n; i++ {
			if _, err := v.popT(f.unpacked()); err != nil {
				return err
			}
		}
		v.push(ref(t, false))
	case 9: // array.new_data
		t, f, err := array()
		if err != nil {
			return err
		}
		if err := numeric(f, "array.new_data"); err != nil {
			return err
		}
		if err := v.dataIdx(); err != nil {
			return err
		}
		return v.apply(sig{[]vt{tI32, tI32}, ref(t, false)})
	case 10: // array.new_elem
		t, f, err := array()
		if err != nil {
			return err
		}
		et, err := v.elemIdx()
		if err != nil {
			return err
		}
		if f.st != sVal || !v.ct.valSub(et, f.t) {
			return v.errf("type mismatch: invalid array.new_elem instruction")
		}
		return v.apply(sig{[]vt{tI32, tI32}, ref(t, false)})
	case 11, 12, 13: // array.get, get_s, get_u
		t, f, err := array()
		if err != nil {
			return err
		}
		if (sub == 11) != (f.st == sVal) {
			if sub == 11 {
				return v.errf("can only use array.get with non-packed storage types")
			}
			return v.errf("cannot use array.get_s or array.get_u with non-packed storage types")
		}
		return v.apply(sig{[]vt{ref(t, true), tI32}, f.unpacked()})
	case 14: // array.set
		t, f, err := array()
		if err != nil {
			return err
		}
		if err := mutable(f, "array"); err != nil {
			return err
		}
		return v.apply(sig{[]vt{ref(t, true), tI32, f.unpacked()}, tBot})
	case 15: // array.len
		return v.apply(sig{[]vt{absRef(true, hArray)}, tI32})
	case 16: // array.fill
		t, f, err := array()
		if err != nil {
			return err
		}
		if err := mutable(f, "array"); err != nil {
			return err
		}
		return v.apply(sig{[]vt{ref(t, true), tI32, f.unpacked(), tI32}, tBot})
	case 17: // array.copy
		dt, df, err := array()
		if err != nil {
			return err
		}
		st, sf, err := array()
		if err != nil {
			return err
		}
		if err := mutable(df, "array"); err != nil {
			return err
		}
		if df.st != sf.st || df.st == sVal && !v.ct.valSub(sf.t, df.t) {
			return v.errf("type mismatch: array types are not compatible for array.copy")
		}
		return v.apply(sig{[]vt{ref(dt, true), tI32, ref(st, true), tI32, tI32}, tBot})
	case 18, 19: // array.init_data, array.init_elem
		t, f, err := array()
		if err != nil {
			return err
		}
		if err := mutable(f, "array"); err != nil {
			return err
		}
		if sub == 18 {
			if err := numeric(f, "array.init_data"); err != nil {
				return err
			}
			if err := v.dataIdx(); err != nil {
				return err
			}
		} else {
			et, err := v.elemIdx()
			if err != nil {
				return err
			}
			if f.st != sVal || !v.ct.valSub(et, f.t) {
				return v.errf("type mismatch: invalid array.init_elem instruction")
			}
		}
		return v.apply(sig{[]vt{ref(t, true), tI32, tI32, tI32}, tBot})
	case 20, 21, 22, 23: // ref.test, ref.cast (null)
		h, err := v.m.heapType(r)
		if err != nil {
			return err
		}
		want := vt{k: vRef, null: sub == 21 || sub == 23, ht: h}
		if err := v.castOperand(want); err != nil {
			return err
		}
		if sub <= 21 {
			v.push(tI32)
		} else {
			v.push(want)
		}
	case 24, 25: // br_on_cast, br_on_cast_fail
		flags, err := r.byte()
		if err != nil {
			return err
		}
		if flags > 3 {
			return v.errf("invalid br_on_cast flags %#x", flags)
		}
		l, err := r.u32()
		if err != nil {
			return err
		}
		h1, err := v.m.heapType(r)
		if err != nil {
			return err
		}
		h2, err := v.m.heapType(r)
		if err != nil {
			return err
		}
		rt1 := vt{k: vRef, null: flags&1 != 0, ht: h1}
		rt2 := vt{k: vRef, null: flags&2 != 0, ht: h2}
		if !v.ct.valSub(rt2, rt1) {
			return v.errf("type mismatch: expected %s, found %s", v.ct.vtString(rt1), v.ct.vtString(rt2))
		}
		if _, err := v.popT(rt1); err != nil {
			return err
		}
		diff := rt1
		diff.null = rt1.null && !rt2.null
		branch, fall := rt2, diff
		if sub == 25 {
			branch, fall = diff, rt2
		}
		f, err := v.label(l)
		if err != nil {
			return err
		}
		lt := f.labelTypes()
		if len(lt) == 0 || !v.ct.valSub(branch, lt[len(lt)-1]) {
			return v.errf("type mismatch: br_on_cast's label does not take %s", v.ct.vtString(branch))
		}
		if err := v.popAll(lt[:len(lt)-1]); err != nil {
			return err
		}
		v.pushAll(lt[:len(lt)-1])
		v.push(fall)
	case 26, 27: // any.convert_extern, extern.convert_any
		from, to := hExtern, hAny
		if sub == 27 {
			from, to = hAny, hExtern
		}
		t, err := v.popRef()
		if err != nil {
			return err
		}
		if t.ht.abs != hBot || t.ht.idx >= 0 {
			if v.ct.topOf(t.ht) != from {
				return v.errf("type mismatch: expected (ref null %s), found %s", absNames[from], v.ct.vtString(t))
			}
		}
		v.push(vt{k: vRef, null: t.null, ht: heapType{abs: to, shared: v.ct.sharedOf(t.ht), idx: -1}})
	case 28: // ref.i31
		return v.apply(sig{[]vt{tI32}, absRef(false, hI31)})
	case 29, 30: // i31.get_s, i31.get_u
		return v.apply(sig{[]vt{absRef(true, hI31)}, tI32})
	default:
		return v.errf("unknown 0xfb subopcode: %#x", sub)
	}
	return nil
}

// castOperand pops the operand of a cast to want: a reference of the same
// hierarchy.
func (v *funcValidator) castOperand(want vt) error {
	t, err := v.popRef()
	if err != nil {
		return err
	}
	if t.ht.abs == hBot && t.ht.idx < 0 {
		return nil
	}
	if v.ct.topOf(t.ht) != v.ct.topOf(want.ht) || v.ct.sharedOf(t.ht) != v.ct.sharedOf(want.ht) {
		return v.errf("type mismatch: expected (ref null %s), found %s", absNames[v.ct.topOf(want.ht)], v.ct.vtString(t))
	}
	return nil
}
