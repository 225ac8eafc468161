package check

import (
	"fmt"

	"github.com/witc-dev/witc/component"
)

// This file checks the GC flavor of the canonical ABI (the `gc` and
// `core-type` options): each component value type against the core type
// (a parameter or result, or a field of a struct or array) it is passed
// as.

// gcSlot is where a value goes: a parameter or result (a value type) or
// a field (a storage type).
type gcSlot struct {
	field bool
	st    storage
	t     vt
}

// valType is the slot's value type, if it has one (packed fields do not).
func (s gcSlot) valType() (vt, bool) {
	if s.field && s.st != sVal {
		return tBot, false
	}
	return s.t, true
}

// concrete is the canonical type a reference slot points to, if any.
func (s gcSlot) concrete() (int32, bool) {
	t, ok := s.valType()
	if !ok || t.k != vRef || t.ht.idx < 0 {
		return 0, false
	}
	return t.ht.idx, true
}

func (c *checker) slotString(s gcSlot) string {
	if s.field {
		switch s.st {
		case sI8:
			return "i8"
		case sI16:
			return "i16"
		}
	}
	return c.ct.vtString(s.t)
}

// gcLowerCheck checks that values of type v can go in core slot core.
func (c *checker) gcLowerCheck(v valT, core vt) error {
	return c.gcLower(v, gcSlot{t: core}, c.gcEncoding)
}

func (c *checker) gcLower(v valT, slot gcSlot, utf16 bool) error {
	isVal := func(t vt) bool { s, ok := slot.valType(); return ok && s == t }
	mismatch := func(kind, want string) error {
		return fmt.Errorf("expected to lower component `%s` type to core `%s` type, found `%s`", kind, want, c.slotString(slot))
	}
	if v.prim != 0 || v.id.asDef().kind == component.DefPrim {
		p := v.prim
		if p == 0 {
			p = v.id.asDef().prim
		}
		name := primName(p)
		switch p {
		case component.PrimBool, component.PrimS8, component.PrimU8, component.PrimS16, component.PrimU16:
			packed := sI8
			if p == component.PrimS16 || p == component.PrimU16 {
				packed = sI16
			}
			if slot.field && slot.st == packed || !slot.field && slot.t == tI32 {
				return nil
			}
			if slot.field {
				return mismatch(name, map[storage]string{sI8: "i8", sI16: "i16"}[packed])
			}
			return mismatch(name, "i32")
		case component.PrimS32, component.PrimU32, component.PrimChar:
			if isVal(tI32) {
				return nil
			}
			return mismatch(name, "i32")
		case component.PrimS64, component.PrimU64:
			if isVal(tI64) {
				return nil
			}
			return mismatch(name, "i64")
		case component.PrimF32:
			if isVal(tF32) {
				return nil
			}
			return mismatch(name, "f32")
		case component.PrimF64:
			if isVal(tF64) {
				return nil
			}
			return mismatch(name, "f64")
		case component.PrimString:
			want, elem := "(ref null? (array (mut? i8)))", sI8
			if utf16 {
				want, elem = "(ref null? (array (mut? i16)))", sI16
			}
			if id, ok := slot.concrete(); ok {
				if a := &c.ct.at(id).comp; a.kind == cArray && a.elem.st == elem {
					return nil
				}
			}
			return mismatch("string", want)
		case component.PrimErrorContext:
			return c.gcExtern(slot, "error-context")
		}
	}
	d := v.id.asDef()
	switch d.kind {
	case component.DefRecord:
		ts := make([]valT, len(d.fields))
		for i, f := range d.fields {
			ts[i] = f.t
		}
		return c.gcProduct(ts, slot, "record", utf16)
	case component.DefTuple:
		return c.gcProduct(d.types, slot, "tuple", utf16)
	case component.DefVariant, component.DefOption, component.DefResult:
		if id, ok := slot.concrete(); ok {
			if s := &c.ct.at(id).comp; s.kind == cStruct && len(s.fields) == 0 {
				return nil
			}
		}
		return fmt.Errorf("expected to lower component `%s` type to core `(ref null? (struct))`, but found `%s`", defKindName(d.kind), c.slotString(slot))
	case component.DefList, component.DefFixedList:
		if id, ok := slot.concrete(); ok {
			if a := &c.ct.at(id).comp; a.kind == cArray {
				return c.gcLower(d.elem, gcSlot{field: true, st: a.elem.st, t: a.elem.t}, utf16)
			}
		}
		return fmt.Errorf("expected to lower component `list` type into `(ref null? (array ...))`, but found `%s`", c.slotString(slot))
	case component.DefMap:
		return fmt.Errorf("GC lowering for component `map` type is not yet implemented")
	case component.DefFlags, component.DefEnum:
		if isVal(tI32) {
			return nil
		}
		return fmt.Errorf("expected to lower component `%s` type into core `i32` type, but found `%s`", defKindName(d.kind), c.slotString(slot))
	}
	return c.gcExtern(slot, defKindName(d.kind)) // own, borrow, future, stream
}

func (c *checker) gcExtern(slot gcSlot, kind string) error {
	if t, ok := slot.valType(); ok && t.k == vRef && t.ht.idx < 0 && t.ht.abs == hExtern {
		return nil
	}
	return fmt.Errorf("expected to lower component `%s` type into core `(ref null? extern)` type, but found `%s`", kind, c.slotString(slot))
}

func (c *checker) gcProduct(ts []valT, slot gcSlot, kind string, utf16 bool) error {
	if id, ok := slot.concrete(); ok {
		if s := &c.ct.at(id).comp; s.kind == cStruct {
			if len(s.fields) != len(ts) {
				return fmt.Errorf("core `struct` has %d fields, but component `%s` has %d fields", len(s.fields), kind, len(ts))
			}
			for i, t := range ts {
				f := s.fields[i]
				if err := c.gcLower(t, gcSlot{field: true, st: f.st, t: f.t}, utf16); err != nil {
					return err
				}
			}
			return nil
		}
	}
	return fmt.Errorf("expected to lower component `%s` type to core `(ref null? (struct ...))`, but found `%s`", kind, c.slotString(slot))
}
