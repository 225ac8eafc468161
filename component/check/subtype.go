package check

import (
	"fmt"

	"github.com/witc-dev/witc/component"
)

// subtype checks that an actual entity can be used where expected is
// required: the component model's subtyping (more exports, fewer imports,
// equal value types, resources by identity).
func (ts *typeStore) subtype(a, b entity) error {
	if a.kind != b.kind {
		return fmt.Errorf("expected %s, found %s", externKindName(b.kind), externKindName(a.kind))
	}
	switch a.kind {
	case component.ExternFunc:
		return ts.funcSub(a.id.asFn(), b.id.asFn())
	case component.ExternInstance:
		return ts.instanceSub(a.id.asInst(), b.id.asInst())
	case component.ExternComponent:
		return ts.componentSub(a.id.asComp(), b.id.asComp())
	case component.ExternType:
		return ts.typeSub(a.referenced, b.referenced)
	case component.ExternModule:
		return ts.moduleSub(a.id.asMod().t, b.id.asMod().t)
	case component.ExternValue:
		return ts.valEqual(a.val, b.val)
	}
	return nil
}

func externKindName(k component.ExternKind) string {
	return [...]string{"core module", "func", "value", "type", "component", "instance"}[k]
}

func (ts *typeStore) funcSub(a, b *funcType) error {
	if !ts.step(1 + len(a.params)) {
		return ts.err
	}
	if a.async != b.async {
		return fmt.Errorf("async and sync functions differ")
	}
	if len(a.params) != len(b.params) {
		return fmt.Errorf("expected %d parameters, found %d", len(b.params), len(a.params))
	}
	for i := range a.params {
		if a.params[i].name != b.params[i].name {
			return fmt.Errorf("expected parameter named `%s`, found `%s`", b.params[i].name, a.params[i].name)
		}
		if err := ts.valEqual(a.params[i].t, b.params[i].t); err != nil {
			return fmt.Errorf("type mismatch in parameter `%s`: %v", a.params[i].name, err)
		}
	}
	if a.hasResult != b.hasResult {
		return fmt.Errorf("expected a result: %v, found one: %v", b.hasResult, a.hasResult)
	}
	if a.hasResult {
		if err := ts.valEqual(a.result, b.result); err != nil {
			return fmt.Errorf("type mismatch in result: %v", err)
		}
	}
	return nil
}

func (ts *typeStore) instanceSub(a, b *instType) error {
	if !ts.step(1 + len(b.exports)) {
		return ts.err
	}
	for _, x := range b.exports {
		y := a.export(x.name)
		if y == nil {
			return fmt.Errorf("missing expected export `%s`", x.name)
		}
		if err := ts.subtype(y.e, x.e); err != nil {
			return fmt.Errorf("type mismatch in instance export `%s`: %v", x.name, err)
		}
	}
	return nil
}

// componentSub: a component of type a can be used as one of type b when
// b's imports satisfy a's (a's imported resources become b's) and then
// a's exports, with those resources, satisfy b's (b's defined resources
// become a's): wasmparser's SubtypeCx::component_type.
func (ts *typeStore) componentSub(a, b *compType) error {
	if !ts.step(1 + len(a.imports) + len(b.exports)) {
		return ts.err
	}
	bImports := make(map[string]entity, len(b.imports))
	for _, x := range b.imports {
		bImports[x.name] = x.e
	}
	m, err := ts.openType(bImports, a, false)
	if err != nil {
		return err
	}
	m = &remapping{resources: m.resources, renames: m.renames}
	aExports := make(map[string]entity, len(a.exports))
	for _, x := range a.exports {
		e := x.e
		ts.remapEntity(&e, m)
		aExports[x.name] = e
	}
	_, err = ts.openType(aExports, b, true)
	return err
}

// openType checks that args (by name) satisfy the imports (or, exports
// set, the exports) of component type ct: the resources ct imports
// (defines) are mapped to those args give, by the path of each, and each
// item of ct, so rewritten, must be a supertype of its arg. It returns the
// mapping, with the types of type imports renamed to their args'.
func (ts *typeStore) openType(args map[string]entity, ct *compType, exports bool) (*remapping, error) {
	items, resources, what := ct.imports, ct.importedResources, "import"
	if exports {
		items, resources, what = ct.exports, ct.definedResources, "export"
	}
	m := newRemapping()
	for _, rp := range resources {
		if rp.path[0] >= len(items) {
			continue
		}
		x := items[rp.path[0]]
		ty := x.e
		arg, ok := args[x.name]
		for _, i := range rp.path[1:] {
			if !ok || ty.kind != component.ExternInstance || arg.kind != component.ExternInstance || i >= len(ty.id.asInst().exports) {
				ok = false
				break
			}
			next := ty.id.asInst().exports[i]
			ty = next.e
			ax := arg.id.asInst().export(next.name)
			if ax == nil {
				ok = false
				break
			}
			arg = ax.e
		}
		if ok && arg.kind == component.ExternType && arg.created.kind == kResource {
			m.resources[rp.res] = arg.created.asRes()
		}
	}
	renames := map[typeID]typeID{}
	for _, x := range items {
		arg, ok := args[x.name]
		if !ok {
			return nil, fmt.Errorf("missing %s named `%s`", what, x.name)
		}
		expected := x.e
		ts.remapEntity(&expected, m)
		if err := ts.subtype(arg, expected); err != nil {
			return nil, fmt.Errorf("type mismatch for %s `%s`: %v", what, x.name, err)
		}
		ts.registerRenamings(arg, x.e, renames)
	}
	m.renames = renames
	return m, nil
}

func (ts *typeStore) typeSub(a, b typeID) error {
	if a.kind != b.kind {
		return fmt.Errorf("type kinds differ")
	}
	switch a.kind {
	case kResource:
		if a.asRes() != b.asRes() {
			return fmt.Errorf("resource types are not the same")
		}
	case kDefined:
		return ts.defEqual(a.asDef(), b.asDef())
	case kFunc:
		return ts.funcSub(a.asFn(), b.asFn())
	case kInstance:
		return ts.instanceSub(a.asInst(), b.asInst())
	case kComponent:
		return ts.componentSub(a.asComp(), b.asComp())
	}
	return nil
}

func (ts *typeStore) valEqual(a, b valT) error {
	if a.prim != 0 || b.prim != 0 {
		if a.prim == b.prim {
			return nil
		}
		// A defined type may be a primitive by another name.
		if a.prim == 0 && a.id.asDef().kind == component.DefPrim && a.id.asDef().prim == b.prim {
			return nil
		}
		if b.prim == 0 && b.id.asDef().kind == component.DefPrim && b.id.asDef().prim == a.prim {
			return nil
		}
		return fmt.Errorf("expected %s, found %s", valName(b), valName(a))
	}
	return ts.defEqual(a.id.asDef(), b.id.asDef())
}

func valName(v valT) string {
	if v.prim != 0 {
		return primName(v.prim)
	}
	return defKindName(v.id.asDef().kind)
}

func (ts *typeStore) defEqual(a, b *defType) error {
	if a == b || ts.equal[[2]*defType{a, b}] {
		return nil
	}
	if !ts.step(1 + len(a.fields) + len(a.cases) + len(a.types)) {
		return ts.err
	}
	if err := ts.defEqualOnce(a, b); err != nil {
		return err
	}
	// Types are DAGs: remember the pairs found equal, so that comparing
	// costs the number of nodes, not the size of the expanded types.
	if ts.equal == nil {
		ts.equal = map[[2]*defType]bool{}
	}
	ts.equal[[2]*defType{a, b}] = true
	return nil
}

func (ts *typeStore) defEqualOnce(a, b *defType) error {
	if a.kind != b.kind {
		return fmt.Errorf("expected %s, found %s", defKindName(b.kind), defKindName(a.kind))
	}
	eq := func(x, y valT) error { return ts.valEqual(x, y) }
	switch a.kind {
	case component.DefPrim:
		if a.prim != b.prim {
			return fmt.Errorf("expected %s, found %s", primName(b.prim), primName(a.prim))
		}
	case component.DefRecord:
		if len(a.fields) != len(b.fields) {
			return fmt.Errorf("expected %d fields, found %d", len(b.fields), len(a.fields))
		}
		for i := range a.fields {
			if a.fields[i].name != b.fields[i].name {
				return fmt.Errorf("expected field `%s`, found `%s`", b.fields[i].name, a.fields[i].name)
			}
			if err := eq(a.fields[i].t, b.fields[i].t); err != nil {
				return fmt.Errorf("field `%s`: %v", a.fields[i].name, err)
			}
		}
	case component.DefVariant:
		if len(a.cases) != len(b.cases) {
			return fmt.Errorf("expected %d cases, found %d", len(b.cases), len(a.cases))
		}
		for i := range a.cases {
			if a.cases[i].name != b.cases[i].name || a.cases[i].has != b.cases[i].has {
				return fmt.Errorf("case %d differs", i)
			}
			if a.cases[i].has {
				if err := eq(a.cases[i].t, b.cases[i].t); err != nil {
					return fmt.Errorf("case `%s`: %v", a.cases[i].name, err)
				}
			}
		}
	case component.DefTuple:
		if len(a.types) != len(b.types) {
			return fmt.Errorf("expected %d tuple elements, found %d", len(b.types), len(a.types))
		}
		for i := range a.types {
			if err := eq(a.types[i], b.types[i]); err != nil {
				return err
			}
		}
	case component.DefFlags, component.DefEnum:
		if len(a.labels) != len(b.labels) {
			return fmt.Errorf("expected %d names, found %d", len(b.labels), len(a.labels))
		}
		for i := range a.labels {
			if a.labels[i] != b.labels[i] {
				return fmt.Errorf("expected `%s`, found `%s`", b.labels[i], a.labels[i])
			}
		}
	case component.DefOwn, component.DefBorrow:
		if a.res.asRes() != b.res.asRes() {
			return fmt.Errorf("resource types are not the same")
		}
	case component.DefFixedList:
		if a.length != b.length {
			return fmt.Errorf("expected length %d, found %d", b.length, a.length)
		}
		return eq(a.elem, b.elem)
	default:
		if a.hasElem != b.hasElem || a.hasErr != b.hasErr {
			return fmt.Errorf("%s payloads differ", defKindName(a.kind))
		}
		if a.hasElem {
			if err := eq(a.elem, b.elem); err != nil {
				return err
			}
		}
		if a.hasErr {
			return eq(a.err, b.err)
		}
	}
	return nil
}

func primName(p component.PrimType) string {
	switch p {
	case component.PrimBool:
		return "bool"
	case component.PrimS8:
		return "s8"
	case component.PrimU8:
		return "u8"
	case component.PrimS16:
		return "s16"
	case component.PrimU16:
		return "u16"
	case component.PrimS32:
		return "s32"
	case component.PrimU32:
		return "u32"
	case component.PrimS64:
		return "s64"
	case component.PrimU64:
		return "u64"
	case component.PrimF32:
		return "f32"
	case component.PrimF64:
		return "f64"
	case component.PrimChar:
		return "char"
	case component.PrimString:
		return "string"
	case component.PrimErrorContext:
		return "error-context"
	}
	return "invalid"
}

func defKindName(k component.DefinedKind) string {
	switch k {
	case component.DefPrim:
		return "primitive"
	case component.DefRecord:
		return "record"
	case component.DefVariant:
		return "variant"
	case component.DefList:
		return "list"
	case component.DefTuple:
		return "tuple"
	case component.DefFlags:
		return "flags"
	case component.DefEnum:
		return "enum"
	case component.DefOption:
		return "option"
	case component.DefResult:
		return "result"
	case component.DefOwn:
		return "own"
	case component.DefBorrow:
		return "borrow"
	case component.DefFixedList:
		return "fixed-length list"
	case component.DefStream:
		return "stream"
	case component.DefFuture:
		return "future"
	case component.DefMap:
		return "map"
	}
	return "invalid"
}

// moduleSub: a module of type a can be used as one of type b when it
// imports no more than b (each import of a is one of b's, whose type fits
// a's) and exports at least what b does.
func (ts *typeStore) moduleSub(a, b *moduleT) error {
	if !ts.step(1 + len(a.imports) + len(b.exports)) {
		return ts.err
	}
	for _, im := range a.imports {
		bi, ok := b.importIdx[[2]string{im.module, im.name}]
		if !ok {
			return fmt.Errorf("missing expected import `%s::%s`", im.module, im.name)
		}
		if err := ts.ct.entityMatches(b.imports[bi].e, im.e); err != nil {
			return fmt.Errorf("type mismatch in import `%s::%s`: %v", im.module, im.name, err)
		}
	}
	for _, ex := range b.exports {
		ai, ok := a.byName[ex.name]
		if !ok {
			return fmt.Errorf("missing expected export `%s`", ex.name)
		}
		if err := ts.ct.entityMatches(a.exports[ai].e, ex.e); err != nil {
			return fmt.Errorf("type mismatch in export `%s`: %v", ex.name, err)
		}
	}
	return nil
}
