package wit

import "strconv"

// TypeKeys keys types by structure, for interning anonymous type
// definitions: two anonymous definitions with equal Kind keys are the same
// type. A type definition inside a key stands for itself (its identity),
// so structure is compared one level deep. The zero value is ready to use.
type TypeKeys struct {
	ids map[*TypeDef]int
}

// Type returns the key of a reference to a type: "_" for none, a
// primitive's name, or the identity of a type definition.
func (k *TypeKeys) Type(t Type) string {
	switch t := t.(type) {
	case nil:
		return "_"
	case Primitive:
		return t.String()
	case *TypeDef:
		if k.ids == nil {
			k.ids = map[*TypeDef]int{}
		}
		n, ok := k.ids[t]
		if !ok {
			n = len(k.ids)
			k.ids[t] = n
		}
		return "#" + strconv.Itoa(n)
	}
	return "?"
}

// Kind returns the key of an anonymous type definition's kind.
func (k *TypeKeys) Kind(kind TypeDefKind) string {
	b := make([]byte, 0, 32)
	add := func(s string) { b = append(b, s...); b = append(b, ',') }
	switch t := kind.(type) {
	case *Record:
		add("record")
		for _, f := range t.Fields {
			add(f.Name)
			add(k.Type(f.Type))
		}
	case *Variant:
		add("variant")
		for _, c := range t.Cases {
			add(c.Name)
			add(k.Type(c.Type))
		}
	case *Enum:
		add("enum")
		for _, c := range t.Cases {
			add(c.Name)
		}
	case *Flags:
		add("flags")
		for _, f := range t.Flags {
			add(f.Name)
		}
	case *Tuple:
		add("tuple")
		for _, e := range t.Types {
			add(k.Type(e))
		}
	case *List:
		add("list")
		add(k.Type(t.Elem))
	case *FixedList:
		add("fixed")
		add(k.Type(t.Elem))
		add(strconv.Itoa(int(t.Len)))
	case *Map:
		add("map")
		add(k.Type(t.Key))
		add(k.Type(t.Value))
	case *Option:
		add("option")
		add(k.Type(t.Type))
	case *Result:
		add("result")
		add(k.Type(t.OK))
		add(k.Type(t.Err))
	case *Handle:
		if t.Kind == Own {
			add("own")
		} else {
			add("borrow")
		}
		add(k.Type(t.Resource))
	case *Future:
		add("future")
		add(k.Type(t.Type))
	case *Stream:
		add("stream")
		add(k.Type(t.Type))
	case *Alias:
		add("alias")
		add(k.Type(t.Type))
	}
	return string(b)
}
