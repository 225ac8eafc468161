package wit

import (
	"fmt"
	"strings"
)

// The one rule for when two types are the same, used wherever one side's
// type must stand for the other's: composition (an export plugged into an
// import, imports of several components merged into one) and linking (a
// host function serving an import). Types are compared structurally,
// through aliases; names of records, variants and the like do not matter,
// their fields and cases do. A resource is the same resource when it has
// the same name in the same interface, or in semver-compatible ones
// (component-model Explainer.md, "Type Checking", and "Import and Export
// Definitions" for the versions).

// SameType reports whether got is the same type as want. Otherwise the
// error explains the first difference found, after path, which names what
// is compared: with path "record `point`" it reads "record `point` field
// `y`: expected u32, found s32".
func SameType(got, want Type, path string) error { return sameType(got, want, path, 0) }

// SameFunction reports whether got has the same type as want: both async or
// neither, the same parameters (names and types) and the same result. The
// error explains the first difference, after path.
func SameFunction(got, want *Function, path string) error {
	if got.Kind.IsAsync() != want.Kind.IsAsync() {
		return fmt.Errorf("%s: one is async and the other is not", path)
	}
	if len(got.Params) != len(want.Params) {
		return fmt.Errorf("%s: expected %d parameters, found %d", path, len(want.Params), len(got.Params))
	}
	for i := range want.Params {
		if got.Params[i].Name != want.Params[i].Name {
			return fmt.Errorf("%s: expected parameter `%s`, found `%s`", path, want.Params[i].Name, got.Params[i].Name)
		}
		if err := sameType(got.Params[i].Type, want.Params[i].Type, fmt.Sprintf("%s param `%s`", path, want.Params[i].Name), 0); err != nil {
			return err
		}
	}
	if (got.Result == nil) != (want.Result == nil) {
		return fmt.Errorf("%s: the result differs (%s expected, %s found)", path, shortName(want.Result), shortName(got.Result))
	}
	if want.Result != nil {
		return sameType(got.Result, want.Result, path+" result", 0)
	}
	return nil
}

// shortName names a type in a mismatch message: a named type by its
// name, an anonymous one spelled out as far as it is short.
func shortName(t Type) string {
	switch t := t.(type) {
	case nil:
		return "nothing"
	case Primitive:
		return t.String()
	case *TypeDef:
		if t.Name != "" {
			return t.Name
		}
		switch k := t.Kind.(type) {
		case *List:
			return "list<" + shortName(k.Elem) + ">"
		case *Option:
			return "option<" + shortName(k.Type) + ">"
		case *Result:
			return "result<" + shortName(k.OK) + ", " + shortName(k.Err) + ">"
		case *Tuple:
			var ps []string
			for _, x := range k.Types {
				ps = append(ps, shortName(x))
			}
			return "tuple<" + strings.Join(ps, ", ") + ">"
		case *Handle:
			if k.Kind == Borrow {
				return "borrow<" + shortName(k.Resource) + ">"
			}
			return "own<" + shortName(k.Resource) + ">"
		case *Alias:
			return shortName(k.Type)
		}
		return "an anonymous type"
	}
	return "?"
}

// ownerName is where a named type is defined, for messages.
func ownerName(td *TypeDef) string {
	if it := td.Owner.Interface; it != nil {
		if it.Name == "" {
			return "an inline interface"
		}
		return it.QualifiedName()
	}
	if w := td.Owner.World; w != nil {
		return "world " + w.Name
	}
	return "an anonymous type"
}

func sameType(got, want Type, path string, depth int) error {
	if depth > 100 {
		return fmt.Errorf("%s: types nested too deeply", path)
	}
	mismatch := func() error {
		return fmt.Errorf("%s: expected %s, found %s", path, shortName(want), shortName(got))
	}
	g, w := Resolved(got), Resolved(want)
	gp, gIsPrim := g.(Primitive)
	wp, wIsPrim := w.(Primitive)
	if gIsPrim || wIsPrim {
		if gIsPrim && wIsPrim && gp == wp {
			return nil
		}
		return mismatch()
	}
	gt, _ := g.(*TypeDef)
	wt, _ := w.(*TypeDef)
	if gt == nil || wt == nil {
		return mismatch()
	}
	switch wk := wt.Kind.(type) {
	case *Resource:
		if _, ok := gt.Kind.(*Resource); !ok {
			return mismatch()
		}
		gn, wn := ownerName(gt), ownerName(wt)
		if gt.Name != wt.Name || !Compatible(gn, wn) {
			return fmt.Errorf("%s: resource `%s` from `%s` is not the same resource as `%s` from `%s`", path, gt.Name, gn, wt.Name, wn)
		}
	case *Handle:
		gk, ok := gt.Kind.(*Handle)
		if !ok || gk.Kind != wk.Kind {
			return mismatch()
		}
		return sameType(gk.Resource, wk.Resource, path, depth+1)
	case *Record:
		gk, ok := gt.Kind.(*Record)
		if !ok || len(gk.Fields) != len(wk.Fields) {
			return mismatch()
		}
		for i := range wk.Fields {
			if gk.Fields[i].Name != wk.Fields[i].Name {
				return fmt.Errorf("%s: expected field `%s`, found `%s`", path, wk.Fields[i].Name, gk.Fields[i].Name)
			}
			if err := sameType(gk.Fields[i].Type, wk.Fields[i].Type, path+" field `"+wk.Fields[i].Name+"`", depth+1); err != nil {
				return err
			}
		}
	case *Variant:
		gk, ok := gt.Kind.(*Variant)
		if !ok || len(gk.Cases) != len(wk.Cases) {
			return mismatch()
		}
		for i := range wk.Cases {
			if gk.Cases[i].Name != wk.Cases[i].Name || (gk.Cases[i].Type == nil) != (wk.Cases[i].Type == nil) {
				return fmt.Errorf("%s: case `%s` differs", path, wk.Cases[i].Name)
			}
			if wk.Cases[i].Type != nil {
				if err := sameType(gk.Cases[i].Type, wk.Cases[i].Type, path+" case `"+wk.Cases[i].Name+"`", depth+1); err != nil {
					return err
				}
			}
		}
	case *Enum:
		gk, ok := gt.Kind.(*Enum)
		if !ok || len(gk.Cases) != len(wk.Cases) {
			return mismatch()
		}
		for i := range wk.Cases {
			if gk.Cases[i].Name != wk.Cases[i].Name {
				return fmt.Errorf("%s: expected case `%s`, found `%s`", path, wk.Cases[i].Name, gk.Cases[i].Name)
			}
		}
	case *Flags:
		gk, ok := gt.Kind.(*Flags)
		if !ok || len(gk.Flags) != len(wk.Flags) {
			return mismatch()
		}
		for i := range wk.Flags {
			if gk.Flags[i].Name != wk.Flags[i].Name {
				return fmt.Errorf("%s: expected flag `%s`, found `%s`", path, wk.Flags[i].Name, gk.Flags[i].Name)
			}
		}
	case *Tuple:
		gk, ok := gt.Kind.(*Tuple)
		if !ok || len(gk.Types) != len(wk.Types) {
			return mismatch()
		}
		for i := range wk.Types {
			if err := sameType(gk.Types[i], wk.Types[i], fmt.Sprintf("%s element %d", path, i), depth+1); err != nil {
				return err
			}
		}
	case *List:
		gk, ok := gt.Kind.(*List)
		if !ok {
			return mismatch()
		}
		return sameType(gk.Elem, wk.Elem, path+" element", depth+1)
	case *FixedList:
		gk, ok := gt.Kind.(*FixedList)
		if !ok || gk.Len != wk.Len {
			return mismatch()
		}
		return sameType(gk.Elem, wk.Elem, path+" element", depth+1)
	case *Map:
		gk, ok := gt.Kind.(*Map)
		if !ok {
			return mismatch()
		}
		if err := sameType(gk.Key, wk.Key, path+" key", depth+1); err != nil {
			return err
		}
		return sameType(gk.Value, wk.Value, path+" value", depth+1)
	case *Option:
		gk, ok := gt.Kind.(*Option)
		if !ok {
			return mismatch()
		}
		return sameType(gk.Type, wk.Type, path+" payload", depth+1)
	case *Result:
		gk, ok := gt.Kind.(*Result)
		if !ok || (gk.OK == nil) != (wk.OK == nil) || (gk.Err == nil) != (wk.Err == nil) {
			return mismatch()
		}
		if wk.OK != nil {
			if err := sameType(gk.OK, wk.OK, path+" ok", depth+1); err != nil {
				return err
			}
		}
		if wk.Err != nil {
			return sameType(gk.Err, wk.Err, path+" error", depth+1)
		}
	case *Future:
		gk, ok := gt.Kind.(*Future)
		if !ok || (gk.Type == nil) != (wk.Type == nil) {
			return mismatch()
		}
		if wk.Type != nil {
			return sameType(gk.Type, wk.Type, path+" payload", depth+1)
		}
	case *Stream:
		gk, ok := gt.Kind.(*Stream)
		if !ok || (gk.Type == nil) != (wk.Type == nil) {
			return mismatch()
		}
		if wk.Type != nil {
			return sameType(gk.Type, wk.Type, path+" payload", depth+1)
		}
	}
	return nil
}
