package component

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/witc-dev/witc/internal/leb128"
)

// Preambles.
var (
	magic           = []byte{0x00, 0x61, 0x73, 0x6d}
	componentHeader = []byte{0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00}
	moduleHeader    = []byte{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}
)

// maxNesting bounds how deeply components and types may nest.
const maxNesting = 100

// Error is a decoding error: what is wrong and at which byte offset of the
// input.
type Error struct {
	Offset int
	Msg    string
}

func (e *Error) Error() string { return fmt.Sprintf("at byte offset %#x: %s", e.Offset, e.Msg) }

// IsComponent reports whether b starts with a component preamble.
func IsComponent(b []byte) bool { return bytes.HasPrefix(b, componentHeader) }

// IsModule reports whether b starts with a core module preamble.
func IsModule(b []byte) bool { return bytes.HasPrefix(b, moduleHeader) }

// Decode decodes a component binary. Core modules are kept as sub-slices of
// b, which must not be modified afterwards.
func Decode(b []byte) (*Component, error) {
	d := &decoder{}
	r := &reader{b: b}
	c, err := d.component(r, 0)
	if err != nil {
		return nil, err
	}
	if r.pos != len(b) {
		return nil, r.errf("trailing bytes after the component")
	}
	return c, nil
}

type decoder struct{}

// reader reads from b; base is the offset of b in the outermost input.
type reader struct {
	b    []byte
	pos  int
	base int
}

func (r *reader) errf(format string, args ...any) error {
	return &Error{Offset: r.base + r.pos, Msg: fmt.Sprintf(format, args...)}
}

func (r *reader) eof() bool { return r.pos >= len(r.b) }

func (r *reader) byte() (byte, error) {
	if r.pos >= len(r.b) {
		return 0, r.errf("unexpected end of input")
	}
	c := r.b[r.pos]
	r.pos++
	return c, nil
}

func (r *reader) u32() (uint32, error) {
	v, n, err := leb128.Uint32(r.b[r.pos:])
	if err != nil {
		return 0, r.errf("%v", err)
	}
	r.pos += n
	return v, nil
}

func (r *reader) s33() (int64, error) {
	v, n, err := leb128.Int33(r.b[r.pos:])
	if err != nil {
		return 0, r.errf("%v", err)
	}
	r.pos += n
	return v, nil
}

func (r *reader) u64() (uint64, error) {
	v, n, err := leb128.Uint64(r.b[r.pos:])
	if err != nil {
		return 0, r.errf("%v", err)
	}
	r.pos += n
	return v, nil
}

func (r *reader) bytes(n uint32) ([]byte, error) {
	if uint64(n) > uint64(len(r.b)-r.pos) {
		return nil, r.errf("length %d exceeds the %d bytes left", n, len(r.b)-r.pos)
	}
	s := r.b[r.pos : r.pos+int(n)]
	r.pos += int(n)
	return s, nil
}

func (r *reader) str() (string, error) {
	n, err := r.u32()
	if err != nil {
		return "", err
	}
	if n > maxString {
		return "", r.errf("string size out of bounds (%d bytes, at most %d)", n, maxString)
	}
	start := r.pos
	b, err := r.bytes(n)
	if err != nil {
		return "", err
	}
	if !utf8.Valid(b) {
		r.pos = start
		return "", r.errf("name is not valid UTF-8")
	}
	return string(b), nil
}

// count reads a vector length, bounded by the bytes left (every element
// takes at least one byte), so hostile counts cannot cause huge allocations.
func (r *reader) count() (int, error) {
	n, err := r.u32()
	if err != nil {
		return 0, err
	}
	if int64(n) > int64(len(r.b)-r.pos) {
		return 0, r.errf("vector of %d elements cannot fit in the %d bytes left", n, len(r.b)-r.pos)
	}
	return int(n), nil
}

func (r *reader) bool() (bool, error) {
	c, err := r.byte()
	if err != nil {
		return false, err
	}
	switch c {
	case 0:
		return false, nil
	case 1:
		return true, nil
	}
	r.pos--
	return false, r.errf("invalid boolean byte %#x", c)
}

func (r *reader) sub(n uint32) (*reader, error) {
	start := r.pos
	b, err := r.bytes(n)
	if err != nil {
		return nil, err
	}
	return &reader{b: b, base: r.base + start}, nil
}

func (d *decoder) component(r *reader, depth int) (*Component, error) {
	if depth > maxNesting {
		return nil, r.errf("components nested more than %d deep", maxNesting)
	}
	if len(r.b)-r.pos < 8 || !bytes.Equal(r.b[r.pos:r.pos+4], magic) {
		return nil, r.errf("not a WebAssembly binary (bad magic number)")
	}
	hdr := r.b[r.pos : r.pos+8]
	switch {
	case bytes.Equal(hdr, componentHeader):
	case bytes.Equal(hdr, moduleHeader):
		return nil, r.errf("this is a core WebAssembly module, not a component")
	default:
		return nil, r.errf("unsupported component version/layer % x (witc reads version 0x0d, layer 1)", hdr[4:8])
	}
	r.pos += 8
	c := &Component{}
	err := r.sections(func(id byte, sr *reader) error {
		s, err := d.section(id, sr, depth)
		if err != nil {
			return err
		}
		if !sr.eof() {
			return sr.errf("section %d has %d unused bytes at its end", id, len(sr.b)-sr.pos)
		}
		c.Sections = append(c.Sections, s)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// sections reads the sections that follow a preamble (of a component or a
// core module) up to the end of r, handing each one's id and contents to f.
func (r *reader) sections(f func(id byte, sr *reader) error) error {
	for !r.eof() {
		id, err := r.byte()
		if err != nil {
			return err
		}
		size, err := r.u32()
		if err != nil {
			return err
		}
		sr, err := r.sub(size)
		if err != nil {
			return err
		}
		if err := f(id, sr); err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) section(id byte, r *reader, depth int) (Section, error) {
	switch id {
	case secCustom:
		name, err := r.str()
		if err != nil {
			return nil, err
		}
		data := r.b[r.pos:]
		r.pos = len(r.b)
		return &CustomSection{Name: name, Data: data}, nil
	case secModule:
		if !IsModule(r.b) {
			return nil, r.errf("module section does not hold a core module")
		}
		s := &ModuleSection{Bytes: r.b, Offset: r.base}
		r.pos = len(r.b)
		return s, nil
	case secComponent:
		c, err := d.component(r, depth+1)
		if err != nil {
			return nil, err
		}
		return &ComponentSection{Component: c, Offset: r.base, Size: len(r.b)}, nil
	case secCoreInstance:
		s := &CoreInstanceSection{}
		return s, vec(r, func() error {
			ci, err := coreInstance(r)
			s.Instances = append(s.Instances, ci)
			return err
		})
	case secCoreType:
		s := &CoreTypeSection{}
		return s, vec(r, func() error {
			t, err := coreType(r, 0)
			s.Types = append(s.Types, t)
			return err
		})
	case secInstance:
		s := &InstanceSection{}
		return s, vec(r, func() error {
			in, err := instance(r)
			s.Instances = append(s.Instances, in)
			return err
		})
	case secAlias:
		s := &AliasSection{}
		return s, vec(r, func() error {
			a, err := alias(r)
			s.Aliases = append(s.Aliases, a)
			return err
		})
	case secType:
		s := &TypeSection{}
		return s, vec(r, func() error {
			t, err := typeDef(r, depth)
			s.Types = append(s.Types, t)
			return err
		})
	case secCanon:
		s := &CanonSection{}
		return s, vec(r, func() error {
			c, err := canon(r)
			s.Funcs = append(s.Funcs, c)
			return err
		})
	case secStart:
		s := &StartSection{}
		var err error
		if s.Func, err = r.u32(); err != nil {
			return nil, err
		}
		if err := vecMax(r, maxStartArgs, "start function arguments", func() error {
			a, err := r.u32()
			s.Args = append(s.Args, a)
			return err
		}); err != nil {
			return nil, err
		}
		if s.Results, err = r.u32(); err == nil && s.Results > maxStartArgs {
			err = r.errf("start function results size is out of bounds (%d, at most %d)", s.Results, maxStartArgs)
		}
		return s, err
	case secImport:
		s := &ImportSection{}
		return s, vec(r, func() error {
			n, err := name(r)
			if err != nil {
				return err
			}
			t, err := extern(r)
			s.Imports = append(s.Imports, Import{Name: n, Type: t})
			return err
		})
	case secExport:
		s := &ExportSection{}
		return s, vec(r, func() error {
			e, err := export(r)
			s.Exports = append(s.Exports, e)
			return err
		})
	case secValue:
		return nil, r.errf("value sections (component model values, cm-values) are not supported by witc")
	}
	return nil, r.errf("unknown section id %d", id)
}

// Limits on the sizes of strings and vectors, as wasmparser's reader has
// them (crates/wasmparser/src/limits.rs).
const (
	maxString               = 100_000
	maxCanonOptions         = 10
	maxInstantiationArgs    = 100_000
	maxInstantiationExports = 100_000
	maxStartArgs            = 1000
	maxFuncParams           = 1000
	maxComponentTypeDecls   = 1_000_000
	maxInstanceTypeDecls    = 1_000_000
	maxModuleTypeDecls      = 100_000
	maxRecordFields         = 10_000
	maxVariantCases         = 10_000
	maxTupleTypes           = 10_000
	maxFlagNames            = 1000
	maxEnumCases            = 10_000
)

// vecMax reads a vector of at most max elements (desc says of what).
func vecMax(r *reader, max int, desc string, elem func() error) error {
	pos := r.pos
	n, err := r.u32()
	if err != nil {
		return err
	}
	if int64(n) > int64(max) {
		r.pos = pos
		return r.errf("%s size is out of bounds (%d, at most %d)", desc, n, max)
	}
	r.pos = pos
	return vec(r, elem)
}

// vec reads a vector, calling elem for each element.
func vec(r *reader, elem func() error) error {
	n, err := r.count()
	if err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		if err := elem(); err != nil {
			return err
		}
	}
	return nil
}

func coreSort(r *reader) (Sort, error) {
	c, err := r.byte()
	if err != nil {
		return 0, err
	}
	switch c {
	case 0x00, 0x01, 0x02, 0x03, 0x04:
		return SortCoreFunc + Sort(c), nil
	case 0x10:
		return SortCoreType, nil
	case 0x11:
		return SortCoreModule, nil
	case 0x12:
		return SortCoreInstance, nil
	}
	r.pos--
	return 0, r.errf("invalid core sort %#x", c)
}

func readSort(r *reader) (Sort, error) {
	c, err := r.byte()
	if err != nil {
		return 0, err
	}
	switch c {
	case 0x00:
		return coreSort(r)
	case 0x01:
		return SortFunc, nil
	case 0x02:
		return SortValue, nil
	case 0x03:
		return SortType, nil
	case 0x04:
		return SortComponent, nil
	case 0x05:
		return SortInstance, nil
	}
	r.pos--
	return 0, r.errf("invalid sort %#x", c)
}

func coreInstance(r *reader) (CoreInstance, error) {
	var ci CoreInstance
	c, err := r.byte()
	if err != nil {
		return ci, err
	}
	switch c {
	case 0x00:
		ci.Instantiate = true
		if ci.Module, err = r.u32(); err != nil {
			return ci, err
		}
		err = vecMax(r, maxInstantiationArgs, "core instantiation arguments", func() error {
			n, err := r.str()
			if err != nil {
				return err
			}
			k, err := r.byte()
			if err != nil {
				return err
			}
			if k != 0x12 {
				r.pos--
				return r.errf("core instantiation argument must be an instance (sort 0x12), found %#x", k)
			}
			i, err := r.u32()
			ci.Args = append(ci.Args, CoreInstantiateArg{Name: n, Instance: i})
			return err
		})
		return ci, err
	case 0x01:
		err = vecMax(r, maxInstantiationArgs, "core instantiation arguments", func() error {
			n, err := r.str()
			if err != nil {
				return err
			}
			s, err := coreSort(r)
			if err != nil {
				return err
			}
			i, err := r.u32()
			ci.Exports = append(ci.Exports, CoreInlineExport{Name: n, Item: SortIdx{s, i}})
			return err
		})
		return ci, err
	}
	r.pos--
	return ci, r.errf("invalid core instance form %#x", c)
}

func instance(r *reader) (Instance, error) {
	var in Instance
	c, err := r.byte()
	if err != nil {
		return in, err
	}
	switch c {
	case 0x00:
		in.Instantiate = true
		if in.Component, err = r.u32(); err != nil {
			return in, err
		}
		err = vecMax(r, maxInstantiationArgs, "instantiation arguments", func() error {
			n, err := r.str()
			if err != nil {
				return err
			}
			si, err := sortIdx(r)
			in.Args = append(in.Args, InstantiateArg{Name: n, Item: si})
			return err
		})
		return in, err
	case 0x01:
		err = vecMax(r, maxInstantiationExports, "instantiation exports", func() error {
			n, err := name(r)
			if err != nil {
				return err
			}
			si, err := sortIdx(r)
			in.Exports = append(in.Exports, InlineExport{Name: n, Item: si})
			return err
		})
		return in, err
	}
	r.pos--
	return in, r.errf("invalid instance form %#x", c)
}

func sortIdx(r *reader) (SortIdx, error) {
	s, err := readSort(r)
	if err != nil {
		return SortIdx{}, err
	}
	i, err := r.u32()
	return SortIdx{s, i}, err
}

func alias(r *reader) (Alias, error) {
	var a Alias
	s, err := readSort(r)
	if err != nil {
		return a, err
	}
	a.Sort = s
	k, err := r.byte()
	if err != nil {
		return a, err
	}
	switch k {
	case 0x00, 0x01:
		a.Kind = AliasKind(k)
		if a.Instance, err = r.u32(); err != nil {
			return a, err
		}
		a.Name, err = r.str()
		return a, err
	case 0x02:
		a.Kind = AliasOuter
		if a.Count, err = r.u32(); err != nil {
			return a, err
		}
		a.Index, err = r.u32()
		return a, err
	}
	r.pos--
	return a, r.errf("invalid alias form %#x", k)
}

func name(r *reader) (Name, error) {
	var n Name
	tag, err := r.byte()
	if err != nil {
		return n, err
	}
	if tag > 0x02 {
		r.pos--
		return n, r.errf("invalid name form %#x", tag)
	}
	n.Tag = tag
	if n.Name, err = r.str(); err != nil {
		return n, err
	}
	if tag != 0x02 {
		return n, nil
	}
	err = vec(r, func() error {
		k, err := r.byte()
		if err != nil {
			return err
		}
		if k > 0x02 {
			r.pos--
			return r.errf("invalid name attribute %#x", k)
		}
		v, err := r.str()
		n.Attrs = append(n.Attrs, NameAttr{Kind: k, Value: v})
		return err
	})
	return n, err
}

func extern(r *reader) (Extern, error) {
	var e Extern
	k, err := r.byte()
	if err != nil {
		return e, err
	}
	switch k {
	case 0x00:
		c, err := r.byte()
		if err != nil {
			return e, err
		}
		if c != 0x11 {
			r.pos--
			return e, r.errf("expected core module (0x11) in extern type, found %#x", c)
		}
		e.Kind = ExternModule
		e.Index, err = r.u32()
		return e, err
	case 0x01, 0x04, 0x05:
		e.Kind = ExternKind(k)
		e.Index, err = r.u32()
		return e, err
	case 0x02:
		e.Kind = ExternValue
		c, err := r.byte()
		if err != nil {
			return e, err
		}
		switch c {
		case 0x00:
			e.ValueEq = true
			e.Index, err = r.u32()
			return e, err
		case 0x01:
			e.ValType, err = valType(r)
			return e, err
		}
		r.pos--
		return e, r.errf("invalid value bound %#x (component model values, cm-values, are not supported by witc)", c)
	case 0x03:
		e.Kind = ExternType
		c, err := r.byte()
		if err != nil {
			return e, err
		}
		switch c {
		case 0x00:
			e.Index, err = r.u32()
			return e, err
		case 0x01:
			e.SubResource = true
			return e, nil
		}
		r.pos--
		return e, r.errf("invalid type bound %#x", c)
	}
	r.pos--
	return e, r.errf("invalid extern type %#x", k)
}

func export(r *reader) (Export, error) {
	var e Export
	var err error
	if e.Name, err = name(r); err != nil {
		return e, err
	}
	if e.Item, err = sortIdx(r); err != nil {
		return e, err
	}
	has, err := r.bool()
	if err != nil || !has {
		return e, err
	}
	t, err := extern(r)
	e.Type = &t
	return e, err
}

func valType(r *reader) (ValType, error) {
	if r.pos < len(r.b) && isPrim(r.b[r.pos]) {
		r.pos++
		return ValType{Prim: PrimType(r.b[r.pos-1])}, nil
	}
	v, err := r.s33()
	if err != nil {
		return ValType{}, err
	}
	if v < 0 || v > 0xffffffff {
		return ValType{}, r.errf("invalid value type %d", v)
	}
	return ValType{Index: uint32(v)}, nil
}

func optValType(r *reader) (ValType, bool, error) {
	has, err := r.bool()
	if err != nil || !has {
		return ValType{}, false, err
	}
	v, err := valType(r)
	return v, true, err
}

func labels(r *reader, max int, desc string) ([]string, error) {
	var out []string
	err := vecMax(r, max, desc, func() error {
		s, err := r.str()
		out = append(out, s)
		return err
	})
	return out, err
}

func labeledVals(r *reader, max int, desc string) ([]LabeledVal, error) {
	var out []LabeledVal
	err := vecMax(r, max, desc, func() error {
		n, err := r.str()
		if err != nil {
			return err
		}
		t, err := valType(r)
		out = append(out, LabeledVal{Name: n, Type: t})
		return err
	})
	return out, err
}

func typeDef(r *reader, depth int) (Type, error) {
	if depth > maxNesting {
		return nil, r.errf("types nested more than %d deep", maxNesting)
	}
	c, err := r.byte()
	if err != nil {
		return nil, err
	}
	switch c {
	case 0x40, 0x43:
		f := &FuncType{Async: c == 0x43}
		if f.Params, err = labeledVals(r, maxFuncParams, "component function parameters"); err != nil {
			return nil, err
		}
		rk, err := r.byte()
		if err != nil {
			return nil, err
		}
		switch rk {
		case 0x00:
			f.HasResult = true
			f.Result, err = valType(r)
			return f, err
		case 0x01:
			z, err := r.byte()
			if err != nil {
				return nil, err
			}
			if z != 0x00 {
				r.pos--
				return nil, r.errf("named results are not supported (found %d)", z)
			}
			return f, nil
		}
		r.pos--
		return nil, r.errf("invalid result list %#x", rk)
	case 0x41:
		ct := &ComponentType{}
		err := vecMax(r, maxComponentTypeDecls, "component type declaration", func() error {
			d, err := decl(r, depth, true)
			ct.Decls = append(ct.Decls, d)
			return err
		})
		return ct, err
	case 0x42:
		it := &InstanceType{}
		err := vecMax(r, maxInstanceTypeDecls, "instance type declaration", func() error {
			d, err := decl(r, depth, false)
			it.Decls = append(it.Decls, d)
			return err
		})
		return it, err
	case 0x3f:
		rt := &ResourceType{}
		if rt.Rep, err = r.byte(); err != nil {
			return nil, err
		}
		if rt.Rep < 0x7b || rt.Rep > 0x7f { // a numeric or vector type; package check wants i32 or i64
			r.pos--
			return nil, r.errf("invalid resource representation %#x", rt.Rep)
		}
		rt.HasDtor, err = r.bool()
		if err != nil || !rt.HasDtor {
			return rt, err
		}
		rt.Dtor, err = r.u32()
		return rt, err
	}
	r.pos--
	return definedType(r)
}

func definedType(r *reader) (*DefinedType, error) {
	c, err := r.byte()
	if err != nil {
		return nil, err
	}
	if isPrim(c) {
		return &DefinedType{Kind: DefPrim, Prim: PrimType(c)}, nil
	}
	t := &DefinedType{Kind: DefinedKind(c)}
	switch t.Kind {
	case DefRecord:
		t.Fields, err = labeledVals(r, maxRecordFields, "record field")
	case DefVariant:
		err = vecMax(r, maxVariantCases, "variant cases", func() error {
			n, err := r.str()
			if err != nil {
				return err
			}
			v, has, err := optValType(r)
			if err != nil {
				return err
			}
			z, err := r.byte()
			if err != nil {
				return err
			}
			if z != 0x00 {
				r.pos--
				return r.errf("variant case `refines` is not supported (found %#x)", z)
			}
			t.Cases = append(t.Cases, Case{Name: n, Type: v, HasType: has})
			return nil
		})
	case DefList, DefOption:
		t.Elem, err = valType(r)
		t.HasElem = true
	case DefFixedList:
		if t.Elem, err = valType(r); err != nil {
			return nil, err
		}
		t.HasElem = true
		t.Len, err = r.u32()
	case DefTuple:
		err = vecMax(r, maxTupleTypes, "tuple types", func() error {
			v, err := valType(r)
			t.Types = append(t.Types, v)
			return err
		})
	case DefFlags, DefEnum:
		if t.Kind == DefFlags {
			t.Labels, err = labels(r, maxFlagNames, "flag names")
		} else {
			t.Labels, err = labels(r, maxEnumCases, "enum cases")
		}
	case DefResult:
		if t.Elem, t.HasElem, err = optValType(r); err != nil {
			return nil, err
		}
		t.Err, t.HasErr, err = optValType(r)
	case DefOwn, DefBorrow:
		t.Index, err = r.u32()
	case DefStream, DefFuture:
		t.Elem, t.HasElem, err = optValType(r)
	case DefMap:
		if t.Elem, err = valType(r); err != nil {
			return nil, err
		}
		t.HasElem = true
		t.Err, err = valType(r)
		t.HasErr = true
	default:
		r.pos--
		return nil, r.errf("invalid type opcode %#x", c)
	}
	return t, err
}

func decl(r *reader, depth int, component bool) (Decl, error) {
	k, err := r.byte()
	if err != nil {
		return nil, err
	}
	switch k {
	case 0x00:
		t, err := coreType(r, depth+1)
		return &CoreTypeDecl{Type: t}, err
	case 0x01:
		t, err := typeDef(r, depth+1)
		return &TypeDecl{Type: t}, err
	case 0x02:
		a, err := alias(r)
		return &AliasDecl{Alias: a}, err
	case 0x03:
		if !component {
			break
		}
		n, err := name(r)
		if err != nil {
			return nil, err
		}
		e, err := extern(r)
		return &ImportDecl{Name: n, Type: e}, err
	case 0x04:
		n, err := name(r)
		if err != nil {
			return nil, err
		}
		e, err := extern(r)
		return &ExportDecl{Name: n, Type: e}, err
	}
	r.pos--
	return nil, r.errf("invalid declarator %#x", k)
}

func coreValType(r *reader) (CoreValType, error) {
	c, err := r.byte()
	if err != nil {
		return CoreValType{}, err
	}
	switch c {
	case 0x7f, 0x7e, 0x7d, 0x7c, 0x7b, // numeric, v128
		0x70, 0x6f, 0x6e, 0x71, 0x72, 0x73, 0x74, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x65: // abbreviated references
		return CoreValType{Code: c}, nil
	case 0x63, 0x64:
		h, err := r.s33()
		return CoreValType{Code: c, Heap: h}, err
	}
	r.pos--
	return CoreValType{}, r.errf("invalid core value type %#x", c)
}

func coreType(r *reader, depth int) (CoreTypeDef, error) {
	if depth > maxNesting {
		return nil, r.errf("types nested more than %d deep", maxNesting)
	}
	c, err := r.byte()
	if err != nil {
		return nil, err
	}
	switch c {
	case 0x60:
		f := &CoreFuncType{}
		return f, coreFuncType(r, f)
	case 0x50:
		m := &CoreModuleType{}
		err := vecMax(r, maxModuleTypeDecls, "module type declaration", func() error {
			d, err := moduleDecl(r, depth)
			m.Decls = append(m.Decls, d)
			return err
		})
		return m, err
	}
	r.pos--
	start := r.pos
	if err := skipRecType(r); err != nil {
		return nil, err
	}
	return &CoreRecType{Raw: r.b[start:r.pos]}, nil
}

// moduleDeclType reads the type of a module type's type declarator.
func moduleDeclType(r *reader) (CoreTypeDef, error) {
	c, err := r.byte()
	if err != nil {
		return nil, err
	}
	if c == 0x60 {
		f := &CoreFuncType{}
		return f, coreFuncType(r, f)
	}
	r.pos--
	start := r.pos
	if c == 0x50 {
		if err := skipSubType(r, true); err != nil {
			return nil, err
		}
	} else if err := skipRecType(r); err != nil {
		return nil, err
	}
	return &CoreRecType{Raw: r.b[start:r.pos]}, nil
}

// skipRecType reads past a core recursion group or subtype (whose
// meaning package check reads from CoreRecType.Raw).
func skipRecType(r *reader) error {
	c, err := r.byte()
	if err != nil {
		return err
	}
	if c == 0x4e {
		return vec(r, func() error { return skipSubType(r, true) })
	}
	r.pos--
	return skipSubType(r, false)
}

func skipSubType(r *reader, inGroup bool) error {
	c, err := r.byte()
	if err != nil {
		return err
	}
	switch {
	case c == 0x00 && !inGroup:
		if c, err = r.byte(); err != nil {
			return err
		}
		if c != 0x50 {
			r.pos--
			return r.errf("invalid leading byte %#x for a non-final core subtype (0x00 0x50 expected)", c)
		}
		fallthrough
	case c == 0x50 && inGroup, c == 0x4f:
		if err := vec(r, func() error { _, err := r.u32(); return err }); err != nil {
			return err
		}
	default:
		r.pos--
	}
	return skipCompType(r)
}

func skipCompType(r *reader) error {
	c, err := r.byte()
	if err != nil {
		return err
	}
	if c == 0x65 { // shared
		if c, err = r.byte(); err != nil {
			return err
		}
	}
	switch c {
	case 0x60:
		if err := vec(r, func() error { _, err := coreValType(r); return err }); err != nil {
			return err
		}
		return vec(r, func() error { _, err := coreValType(r); return err })
	case 0x5f:
		return vec(r, func() error { return skipFieldType(r) })
	case 0x5e:
		return skipFieldType(r)
	case 0x5d:
		_, err := r.s33()
		return err
	}
	r.pos--
	return r.errf("invalid core composite type %#x", c)
}

func skipFieldType(r *reader) error {
	c, err := r.byte()
	if err != nil {
		return err
	}
	if c != 0x78 && c != 0x77 { // i8, i16
		r.pos--
		if _, err := coreValType(r); err != nil {
			return err
		}
	}
	_, err = r.byte() // mutability
	return err
}

// coreFuncType reads the parameters and results of a core function type
// (after its 0x60).
func coreFuncType(r *reader, f *CoreFuncType) error {
	if err := vec(r, func() error {
		v, err := coreValType(r)
		f.Params = append(f.Params, v)
		return err
	}); err != nil {
		return err
	}
	return vec(r, func() error {
		v, err := coreValType(r)
		f.Results = append(f.Results, v)
		return err
	})
}

func moduleDecl(r *reader, depth int) (ModuleDecl, error) {
	var d ModuleDecl
	k, err := r.byte()
	if err != nil {
		return d, err
	}
	d.Kind = k
	switch k {
	case 0x00:
		if d.Module, err = r.str(); err != nil {
			return d, err
		}
		if d.Name, err = r.str(); err != nil {
			return d, err
		}
		d.Extern, err = coreExtern(r)
		return d, err
	case 0x01:
		// A type of a module type is a core type of a module: 0x50 is a
		// subtype there, not a module type.
		d.Type, err = moduleDeclType(r)
		return d, err
	case 0x02:
		s, err := r.byte()
		if err != nil {
			return d, err
		}
		o, err := r.byte()
		if err != nil {
			return d, err
		}
		if s != 0x10 || o != 0x01 {
			return d, r.errf("module type aliases must be outer type aliases")
		}
		if d.Count, err = r.u32(); err != nil {
			return d, err
		}
		d.Index, err = r.u32()
		return d, err
	case 0x03:
		if d.Name, err = r.str(); err != nil {
			return d, err
		}
		d.Extern, err = coreExtern(r)
		return d, err
	}
	r.pos--
	return d, r.errf("invalid module type declarator %#x", k)
}

func limits(r *reader, e *CoreExtern) error {
	var err error
	if e.Flags, err = r.byte(); err != nil {
		return err
	}
	if e.Flags > 0x0f {
		r.pos--
		return r.errf("invalid limits flags %#x", e.Flags)
	}
	if e.Min, err = r.u64(); err != nil {
		return err
	}
	if e.Flags&0x01 != 0 {
		if e.Max, err = r.u64(); err != nil {
			return err
		}
	}
	if e.Flags&0x08 != 0 {
		e.PageSizeLog2, err = r.u32()
	}
	return err
}

func coreExtern(r *reader) (CoreExtern, error) {
	var e CoreExtern
	k, err := r.byte()
	if err != nil {
		return e, err
	}
	e.Kind = k
	switch k {
	case 0x00:
		e.Index, err = r.u32()
		return e, err
	case 0x01:
		if e.Val, err = coreValType(r); err != nil {
			return e, err
		}
		return e, limits(r, &e)
	case 0x02:
		return e, limits(r, &e)
	case 0x03:
		if e.Val, err = coreValType(r); err != nil {
			return e, err
		}
		e.Mutable, err = r.bool()
		return e, err
	case 0x04:
		z, err := r.byte()
		if err != nil {
			return e, err
		}
		if z != 0 {
			return e, r.errf("invalid tag attribute %#x", z)
		}
		e.Index, err = r.u32()
		return e, err
	}
	r.pos--
	return e, r.errf("invalid core extern kind %#x", k)
}

func canon(r *reader) (Canon, error) {
	var c Canon
	op, err := r.byte()
	if err != nil {
		return c, err
	}
	c.Op = CanonOp(op)
	opts := func() error {
		return vecMax(r, maxCanonOptions, "canonical options", func() error {
			k, err := r.byte()
			if err != nil {
				return err
			}
			o := CanonOpt{Kind: CanonOptKind(k)}
			switch o.Kind {
			case OptUTF8, OptUTF16, OptLatin1, OptAsync, OptGC:
			case OptMemory, OptRealloc, OptPostReturn, OptCallback, OptCoreType:
				if o.Index, err = r.u32(); err != nil {
					return err
				}
			default:
				r.pos--
				return r.errf("invalid canonical option %#x", k)
			}
			c.Opts = append(c.Opts, o)
			return nil
		})
	}
	zero := func() error {
		z, err := r.byte()
		if err != nil {
			return err
		}
		if z != 0x00 {
			r.pos--
			return r.errf("expected 0x00 (func sort) in canonical function, found %#x", z)
		}
		return nil
	}
	switch c.Op {
	case CanonLift:
		if err := zero(); err != nil {
			return c, err
		}
		if c.Func, err = r.u32(); err != nil {
			return c, err
		}
		if err := opts(); err != nil {
			return c, err
		}
		c.Type, err = r.u32()
	case CanonLower:
		if err := zero(); err != nil {
			return c, err
		}
		if c.Func, err = r.u32(); err != nil {
			return c, err
		}
		err = opts()
	case CanonResourceNew, CanonResourceDrop, CanonResourceRep,
		CanonStreamNew, CanonStreamDropReadable, CanonStreamDropWritable,
		CanonFutureNew, CanonFutureDropReadable, CanonFutureDropWritable,
		CanonThreadSpawnRef:
		c.Type, err = r.u32()
	case CanonBackpressureInc, CanonBackpressureDec, CanonTaskCancel, CanonSubtaskDrop,
		CanonErrorContextDrop, CanonWaitableSetNew, CanonWaitableSetDrop, CanonWaitableJoin,
		CanonThreadIndex, CanonThreadResumeLater, CanonThreadAvailableParall:
	case CanonTaskReturn:
		var rk byte
		if rk, err = r.byte(); err != nil {
			return c, err
		}
		switch rk {
		case 0x00:
			c.HasResult = true
			if c.Result, err = valType(r); err != nil {
				return c, err
			}
		case 0x01:
			z, err := r.byte()
			if err != nil {
				return c, err
			}
			if z != 0 {
				return c, r.errf("named results are not supported")
			}
		default:
			return c, r.errf("invalid result list %#x", rk)
		}
		err = opts()
	case CanonContextGet, CanonContextSet:
		if c.ValType, err = r.byte(); err != nil {
			return c, err
		}
		c.Index, err = r.u32()
	case CanonSubtaskCancel, CanonThreadYield, CanonThreadSuspend, CanonThreadSuspendResume,
		CanonThreadYieldResume, CanonThreadSuspendPromote, CanonThreadYieldPromote:
		c.Flag, err = r.bool()
	case CanonStreamRead, CanonStreamWrite, CanonFutureRead, CanonFutureWrite:
		if c.Type, err = r.u32(); err != nil {
			return c, err
		}
		err = opts()
	case CanonStreamCancelRead, CanonStreamCancelWrite, CanonFutureCancelRead, CanonFutureCancelWrite:
		if c.Type, err = r.u32(); err != nil {
			return c, err
		}
		c.Flag, err = r.bool()
	case CanonErrorContextNew, CanonErrorContextDebugMsg:
		err = opts()
	case CanonWaitableSetWait, CanonWaitableSetPoll:
		if c.Flag, err = r.bool(); err != nil {
			return c, err
		}
		c.Index, err = r.u32()
	case CanonThreadNewIndirect, CanonThreadSpawnIndirect:
		if c.Type, err = r.u32(); err != nil {
			return c, err
		}
		c.Index, err = r.u32()
	default:
		r.pos--
		return c, r.errf("invalid canonical function opcode %#x", op)
	}
	return c, err
}
