package component

import (
	"bufio"
	"io"

	"github.com/witc-dev/witc/internal/leb128"
)

// Encode writes c in the binary format, with the shortest LEB128 encodings.
// Core modules and custom sections are written verbatim, so decoding a
// component written by wasm-tools (wasm-encoder) and encoding it again gives
// the same bytes.
func Encode(c *Component) []byte {
	var e encoder
	e.b = make([]byte, 0, encodedSizeHint(c))
	e.component(c)
	return e.b
}

// encodedSizeHint is about the size of c encoded: the bytes it holds
// verbatim plus some room for the rest.
func encodedSizeHint(c *Component) int {
	n := 64
	for _, s := range c.Sections {
		switch s := s.(type) {
		case *ModuleSection:
			n += len(s.Bytes) + 8
		case *CustomSection:
			n += len(s.Data) + len(s.Name) + 8
		case *ComponentSection:
			if s.Raw != nil {
				n += len(s.Raw) + 8
			} else {
				n += encodedSizeHint(s.Component)
			}
		default:
			n += 64
		}
	}
	return n
}

// RawWriter is a writer that may write some raw byte slices by other
// means than Write: EncodeTo offers it each core module and component it
// holds as raw bytes, after flushing what precedes, and writes those it
// declines (handled false) itself. A writer to a file uses it to copy
// slices of a memory-mapped input file from file to file in the kernel.
type RawWriter interface {
	io.Writer
	WriteRaw(raw []byte) (handled bool, err error)
}

// EncodeTo streams c to w. Core modules and components held as raw bytes
// are written from where they are, without being copied, so writing a large
// composition takes little memory; a RawWriter may write them itself.
func EncodeTo(w io.Writer, c *Component) error {
	rw, _ := w.(RawWriter)
	bw := bufio.NewWriterSize(w, 256<<10)
	bw.Write(componentHeader)
	for _, s := range c.Sections {
		var raw []byte
		switch s := s.(type) {
		case *ModuleSection:
			raw = s.Bytes
		case *ComponentSection:
			raw = s.Raw
		}
		if raw == nil {
			var e encoder
			e.section(s)
			if _, err := bw.Write(e.b); err != nil {
				return err
			}
			continue
		}
		var hdr encoder
		hdr.byte(s.sectionID())
		hdr.u32(uint32(len(raw)))
		bw.Write(hdr.b)
		if rw != nil {
			if err := bw.Flush(); err != nil {
				return err
			}
			if handled, err := rw.WriteRaw(raw); err != nil {
				return err
			} else if handled {
				continue
			}
		}
		if _, err := bw.Write(raw); err != nil {
			return err
		}
	}
	return bw.Flush()
}

type encoder struct{ b []byte }

func (e *encoder) u32(v uint32) { e.b = leb128.AppendUint32(e.b, v) }
func (e *encoder) byte(c byte)  { e.b = append(e.b, c) }

func (e *encoder) str(s string) {
	e.u32(uint32(len(s)))
	e.b = append(e.b, s...)
}

func (e *encoder) bool(v bool) {
	if v {
		e.byte(1)
	} else {
		e.byte(0)
	}
}

func (e *encoder) component(c *Component) {
	e.b = append(e.b, componentHeader...)
	for _, s := range c.Sections {
		e.section(s)
	}
}

// section writes one section: its id, its size and its content.
func (e *encoder) section(s Section) {
	var raw []byte
	switch s := s.(type) {
	case *ModuleSection:
		raw = s.Bytes
	case *ComponentSection:
		raw = s.Raw
	}
	if raw != nil {
		e.byte(s.sectionID())
		e.u32(uint32(len(raw)))
		e.b = append(e.b, raw...)
		return
	}
	e.byte(s.sectionID())
	// Encode the content separately to learn its size.
	var body encoder
	body.sectionBody(s)
	e.u32(uint32(len(body.b)))
	e.b = append(e.b, body.b...)
}

func (e *encoder) sectionBody(s Section) {
	switch s := s.(type) {
	case *CustomSection:
		e.str(s.Name)
		e.b = append(e.b, s.Data...)
	case *ModuleSection:
		e.b = append(e.b, s.Bytes...)
	case *ComponentSection:
		if s.Raw != nil {
			e.b = append(e.b, s.Raw...)
		} else {
			e.component(s.Component)
		}
	case *CoreInstanceSection:
		e.u32(uint32(len(s.Instances)))
		for _, ci := range s.Instances {
			e.coreInstance(ci)
		}
	case *CoreTypeSection:
		e.u32(uint32(len(s.Types)))
		for _, t := range s.Types {
			e.coreType(t)
		}
	case *InstanceSection:
		e.u32(uint32(len(s.Instances)))
		for _, in := range s.Instances {
			e.instance(in)
		}
	case *AliasSection:
		e.u32(uint32(len(s.Aliases)))
		for _, a := range s.Aliases {
			e.alias(a)
		}
	case *TypeSection:
		e.u32(uint32(len(s.Types)))
		for _, t := range s.Types {
			e.typeDef(t)
		}
	case *CanonSection:
		e.u32(uint32(len(s.Funcs)))
		for _, c := range s.Funcs {
			e.canon(c)
		}
	case *StartSection:
		e.u32(s.Func)
		e.u32(uint32(len(s.Args)))
		for _, a := range s.Args {
			e.u32(a)
		}
		e.u32(s.Results)
	case *ImportSection:
		e.u32(uint32(len(s.Imports)))
		for _, im := range s.Imports {
			e.name(im.Name)
			e.extern(im.Type)
		}
	case *ExportSection:
		e.u32(uint32(len(s.Exports)))
		for _, ex := range s.Exports {
			e.name(ex.Name)
			e.sortIdx(ex.Item)
			e.bool(ex.Type != nil)
			if ex.Type != nil {
				e.extern(*ex.Type)
			}
		}
	}
}

func coreSortByte(s Sort) byte {
	switch s {
	case SortCoreType:
		return 0x10
	case SortCoreModule:
		return 0x11
	case SortCoreInstance:
		return 0x12
	}
	return byte(s - SortCoreFunc)
}

func (e *encoder) sort(s Sort) {
	if s.IsCore() {
		e.byte(0x00)
		e.byte(coreSortByte(s))
		return
	}
	e.byte(byte(s-SortFunc) + 1)
}

func (e *encoder) sortIdx(si SortIdx) {
	e.sort(si.Sort)
	e.u32(si.Index)
}

func (e *encoder) coreInstance(ci CoreInstance) {
	if ci.Instantiate {
		e.byte(0x00)
		e.u32(ci.Module)
		e.u32(uint32(len(ci.Args)))
		for _, a := range ci.Args {
			e.str(a.Name)
			e.byte(0x12)
			e.u32(a.Instance)
		}
		return
	}
	e.byte(0x01)
	e.u32(uint32(len(ci.Exports)))
	for _, x := range ci.Exports {
		e.str(x.Name)
		e.byte(coreSortByte(x.Item.Sort))
		e.u32(x.Item.Index)
	}
}

func (e *encoder) instance(in Instance) {
	if in.Instantiate {
		e.byte(0x00)
		e.u32(in.Component)
		e.u32(uint32(len(in.Args)))
		for _, a := range in.Args {
			e.str(a.Name)
			e.sortIdx(a.Item)
		}
		return
	}
	e.byte(0x01)
	e.u32(uint32(len(in.Exports)))
	for _, x := range in.Exports {
		e.name(x.Name)
		e.sortIdx(x.Item)
	}
}

func (e *encoder) alias(a Alias) {
	e.sort(a.Sort)
	e.byte(byte(a.Kind))
	if a.Kind == AliasOuter {
		e.u32(a.Count)
		e.u32(a.Index)
		return
	}
	e.u32(a.Instance)
	e.str(a.Name)
}

func (e *encoder) name(n Name) {
	e.byte(n.Tag)
	e.str(n.Name)
	if n.Tag == 0x02 {
		e.u32(uint32(len(n.Attrs)))
		for _, a := range n.Attrs {
			e.byte(a.Kind)
			e.str(a.Value)
		}
	}
}

func (e *encoder) extern(x Extern) {
	switch x.Kind {
	case ExternModule:
		e.byte(0x00)
		e.byte(0x11)
		e.u32(x.Index)
	case ExternValue:
		e.byte(0x02)
		if x.ValueEq {
			e.byte(0x00)
			e.u32(x.Index)
		} else {
			e.byte(0x01)
			e.valType(x.ValType)
		}
	case ExternType:
		e.byte(0x03)
		if x.SubResource {
			e.byte(0x01)
		} else {
			e.byte(0x00)
			e.u32(x.Index)
		}
	default:
		e.byte(byte(x.Kind))
		e.u32(x.Index)
	}
}

func (e *encoder) valType(v ValType) {
	if v.Prim != 0 {
		e.byte(byte(v.Prim))
		return
	}
	e.b = leb128.AppendInt64(e.b, int64(v.Index))
}

func (e *encoder) optValType(v ValType, has bool) {
	e.bool(has)
	if has {
		e.valType(v)
	}
}

func (e *encoder) labeledVals(ls []LabeledVal) {
	e.u32(uint32(len(ls)))
	for _, l := range ls {
		e.str(l.Name)
		e.valType(l.Type)
	}
}

func (e *encoder) typeDef(t Type) {
	switch t := t.(type) {
	case *FuncType:
		if t.Async {
			e.byte(0x43)
		} else {
			e.byte(0x40)
		}
		e.labeledVals(t.Params)
		if t.HasResult {
			e.byte(0x00)
			e.valType(t.Result)
		} else {
			e.byte(0x01)
			e.byte(0x00)
		}
	case *ComponentType:
		e.byte(0x41)
		e.u32(uint32(len(t.Decls)))
		for _, d := range t.Decls {
			e.decl(d)
		}
	case *InstanceType:
		e.byte(0x42)
		e.u32(uint32(len(t.Decls)))
		for _, d := range t.Decls {
			e.decl(d)
		}
	case *ResourceType:
		e.byte(0x3f)
		e.byte(t.Rep)
		e.bool(t.HasDtor)
		if t.HasDtor {
			e.u32(t.Dtor)
		}
	case *DefinedType:
		e.definedType(t)
	}
}

func (e *encoder) definedType(t *DefinedType) {
	if t.Kind == DefPrim {
		e.byte(byte(t.Prim))
		return
	}
	e.byte(byte(t.Kind))
	switch t.Kind {
	case DefRecord:
		e.labeledVals(t.Fields)
	case DefVariant:
		e.u32(uint32(len(t.Cases)))
		for _, c := range t.Cases {
			e.str(c.Name)
			e.optValType(c.Type, c.HasType)
			e.byte(0x00)
		}
	case DefList, DefOption:
		e.valType(t.Elem)
	case DefFixedList:
		e.valType(t.Elem)
		e.u32(t.Len)
	case DefTuple:
		e.u32(uint32(len(t.Types)))
		for _, v := range t.Types {
			e.valType(v)
		}
	case DefFlags, DefEnum:
		e.u32(uint32(len(t.Labels)))
		for _, l := range t.Labels {
			e.str(l)
		}
	case DefResult:
		e.optValType(t.Elem, t.HasElem)
		e.optValType(t.Err, t.HasErr)
	case DefOwn, DefBorrow:
		e.u32(t.Index)
	case DefStream, DefFuture:
		e.optValType(t.Elem, t.HasElem)
	case DefMap:
		e.valType(t.Elem)
		e.valType(t.Err)
	}
}

func (e *encoder) decl(d Decl) {
	switch d := d.(type) {
	case *CoreTypeDecl:
		e.byte(0x00)
		e.coreType(d.Type)
	case *TypeDecl:
		e.byte(0x01)
		e.typeDef(d.Type)
	case *AliasDecl:
		e.byte(0x02)
		e.alias(d.Alias)
	case *ImportDecl:
		e.byte(0x03)
		e.name(d.Name)
		e.extern(d.Type)
	case *ExportDecl:
		e.byte(0x04)
		e.name(d.Name)
		e.extern(d.Type)
	}
}

func (e *encoder) coreValType(v CoreValType) {
	e.byte(v.Code)
	if v.Code == 0x63 || v.Code == 0x64 {
		e.b = leb128.AppendInt64(e.b, v.Heap)
	}
}

func (e *encoder) coreType(t CoreTypeDef) {
	switch t := t.(type) {
	case *CoreFuncType:
		e.byte(0x60)
		e.u32(uint32(len(t.Params)))
		for _, v := range t.Params {
			e.coreValType(v)
		}
		e.u32(uint32(len(t.Results)))
		for _, v := range t.Results {
			e.coreValType(v)
		}
	case *CoreModuleType:
		e.byte(0x50)
		e.u32(uint32(len(t.Decls)))
		for _, d := range t.Decls {
			e.moduleDecl(d)
		}
	case *CoreRecType:
		e.b = append(e.b, t.Raw...)
	}
}

func (e *encoder) moduleDecl(d ModuleDecl) {
	e.byte(d.Kind)
	switch d.Kind {
	case 0x00:
		e.str(d.Module)
		e.str(d.Name)
		e.coreExtern(d.Extern)
	case 0x01:
		e.coreType(d.Type)
	case 0x02:
		e.byte(0x10)
		e.byte(0x01)
		e.u32(d.Count)
		e.u32(d.Index)
	case 0x03:
		e.str(d.Name)
		e.coreExtern(d.Extern)
	}
}

func (e *encoder) u64(v uint64) { e.b = leb128.AppendUint64(e.b, v) }

func (e *encoder) coreExtern(x CoreExtern) {
	e.byte(x.Kind)
	switch x.Kind {
	case 0x00:
		e.u32(x.Index)
	case 0x01:
		e.coreValType(x.Val)
		e.limits(x)
	case 0x02:
		e.limits(x)
	case 0x03:
		e.coreValType(x.Val)
		e.bool(x.Mutable)
	case 0x04:
		e.byte(0x00)
		e.u32(x.Index)
	}
}

func (e *encoder) limits(x CoreExtern) {
	e.byte(x.Flags)
	e.u64(x.Min)
	if x.Flags&0x01 != 0 {
		e.u64(x.Max)
	}
	if x.Flags&0x08 != 0 {
		e.u32(x.PageSizeLog2)
	}
}

func (e *encoder) opts(os []CanonOpt) {
	e.u32(uint32(len(os)))
	for _, o := range os {
		e.byte(byte(o.Kind))
		switch o.Kind {
		case OptMemory, OptRealloc, OptPostReturn, OptCallback, OptCoreType:
			e.u32(o.Index)
		}
	}
}

func (e *encoder) canon(c Canon) {
	e.byte(byte(c.Op))
	switch c.Op {
	case CanonLift:
		e.byte(0x00)
		e.u32(c.Func)
		e.opts(c.Opts)
		e.u32(c.Type)
	case CanonLower:
		e.byte(0x00)
		e.u32(c.Func)
		e.opts(c.Opts)
	case CanonResourceNew, CanonResourceDrop, CanonResourceRep,
		CanonStreamNew, CanonStreamDropReadable, CanonStreamDropWritable,
		CanonFutureNew, CanonFutureDropReadable, CanonFutureDropWritable,
		CanonThreadSpawnRef:
		e.u32(c.Type)
	case CanonTaskReturn:
		if c.HasResult {
			e.byte(0x00)
			e.valType(c.Result)
		} else {
			e.byte(0x01)
			e.byte(0x00)
		}
		e.opts(c.Opts)
	case CanonContextGet, CanonContextSet:
		e.byte(c.ValType)
		e.u32(c.Index)
	case CanonSubtaskCancel, CanonThreadYield, CanonThreadSuspend, CanonThreadSuspendResume,
		CanonThreadYieldResume, CanonThreadSuspendPromote, CanonThreadYieldPromote:
		e.bool(c.Flag)
	case CanonStreamRead, CanonStreamWrite, CanonFutureRead, CanonFutureWrite:
		e.u32(c.Type)
		e.opts(c.Opts)
	case CanonStreamCancelRead, CanonStreamCancelWrite, CanonFutureCancelRead, CanonFutureCancelWrite:
		e.u32(c.Type)
		e.bool(c.Flag)
	case CanonErrorContextNew, CanonErrorContextDebugMsg:
		e.opts(c.Opts)
	case CanonWaitableSetWait, CanonWaitableSetPoll:
		e.bool(c.Flag)
		e.u32(c.Index)
	case CanonThreadNewIndirect, CanonThreadSpawnIndirect:
		e.u32(c.Type)
		e.u32(c.Index)
	}
}
