package wit

import (
	"io"
	"strconv"
	"unicode/utf8"
)

// WriteJSON writes r in wit-parser's JSON schema, byte for byte what
// `wasm-tools component wit --json` prints (serde_json's pretty format: key
// order of the Rust structs, two-space indentation, omitted empty optional
// keys, no trailing newline).
func WriteJSON(w io.Writer, r *Resolve) error {
	j := &jsonWriter{b: make([]byte, 0, jsonChunk+4<<10), w: w}
	j.resolve(r)
	j.flush()
	return j.err
}

// jsonChunk is how much JSON WriteJSON gathers before it writes: the
// JSON is several times larger than the WIT it comes from, and is never
// held whole.
const jsonChunk = 64 << 10

// MarshalJSON returns the JSON of WriteJSON.
func (r *Resolve) MarshalJSON() ([]byte, error) {
	j := &jsonWriter{}
	j.resolve(r)
	return j.b, nil
}

// jsonWriter writes serde_json pretty output. first[i] says whether the
// container at depth i has no element yet.
type jsonWriter struct {
	b     []byte
	first []bool
	// compact writes serde_json::to_writer's form: no whitespace.
	compact bool
	// w, when set, receives b each time it has grown past jsonChunk; err
	// is its first error, after which nothing more is written.
	w   io.Writer
	err error
}

// flush writes out what b holds, when there is a writer.
func (j *jsonWriter) flush() {
	if j.w == nil {
		return
	}
	if j.err == nil {
		_, j.err = j.w.Write(j.b)
	}
	j.b = j.b[:0]
}

func (j *jsonWriter) open(c byte) {
	j.b = append(j.b, c)
	j.first = append(j.first, true)
}

func (j *jsonWriter) close(c byte) {
	empty := j.first[len(j.first)-1]
	j.first = j.first[:len(j.first)-1]
	if !empty {
		j.newline()
	}
	j.b = append(j.b, c)
}

func (j *jsonWriter) newline() {
	if j.compact {
		return
	}
	j.b = append(j.b, '\n')
	for range j.first {
		j.b = append(j.b, ' ', ' ')
	}
}

// elem starts the next element of the innermost container.
func (j *jsonWriter) elem() {
	if len(j.b) >= jsonChunk {
		j.flush()
	}
	top := len(j.first) - 1
	if !j.first[top] {
		j.b = append(j.b, ',')
	}
	j.first[top] = false
	j.newline()
}

func (j *jsonWriter) key(k string) {
	j.elem()
	j.str(k)
	j.b = append(j.b, ':')
	if !j.compact {
		j.b = append(j.b, ' ')
	}
}

func (j *jsonWriter) int(n int) { j.b = strconv.AppendInt(j.b, int64(n), 10) }

func (j *jsonWriter) null() { j.b = append(j.b, "null"...) }

const hexDigits = "0123456789abcdef"

// str writes a JSON string as serde_json does: only '"', '\\' and control
// characters are escaped; everything else is raw UTF-8.
func (j *jsonWriter) str(s string) {
	j.b = append(j.b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"':
			j.b = append(j.b, '\\', '"')
		case c == '\\':
			j.b = append(j.b, '\\', '\\')
		case c == '\n':
			j.b = append(j.b, '\\', 'n')
		case c == '\r':
			j.b = append(j.b, '\\', 'r')
		case c == '\t':
			j.b = append(j.b, '\\', 't')
		case c == '\b':
			j.b = append(j.b, '\\', 'b')
		case c == '\f':
			j.b = append(j.b, '\\', 'f')
		case c < 0x20:
			j.b = append(j.b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
		case c < utf8.RuneSelf:
			j.b = append(j.b, c)
		default:
			_, n := utf8.DecodeRuneInString(s[i:])
			j.b = append(j.b, s[i:i+n]...)
			i += n
			continue
		}
		i++
	}
	j.b = append(j.b, '"')
}

func (j *jsonWriter) resolve(r *Resolve) {
	j.open('{')
	j.key("worlds")
	jsonArray(j, r.Worlds, j.world)
	j.key("interfaces")
	jsonArray(j, r.Interfaces, j.iface)
	j.key("types")
	jsonArray(j, r.Types, j.typeDef)
	j.key("packages")
	jsonArray(j, r.Packages, j.pkg)
	j.close('}')
}

// jsonArray writes xs as a JSON array, each element by f.
func jsonArray[T any](j *jsonWriter, xs []T, f func(T)) {
	j.open('[')
	for _, x := range xs {
		j.elem()
		f(x)
	}
	j.close(']')
}

// member writes a field or case of a record, variant, enum or flags:
// its name, its type when the kind has one (typ set), and its docs.
func (j *jsonWriter) member(name string, typ func(), d Docs) {
	j.open('{')
	j.key("name")
	j.str(name)
	if typ != nil {
		j.key("type")
		typ()
	}
	j.docs(d)
	j.close('}')
}

func (j *jsonWriter) pkg(p *Package) {
	j.open('{')
	j.key("name")
	j.str(p.Name.String())
	j.docs(p.Docs)
	j.key("interfaces")
	j.open('{')
	for _, i := range p.Interfaces {
		j.key(i.Name)
		j.int(i.ID)
	}
	j.close('}')
	j.key("worlds")
	j.open('{')
	for _, w := range p.Worlds {
		j.key(w.Name)
		j.int(w.ID)
	}
	j.close('}')
	j.close('}')
}

func (j *jsonWriter) docs(d Docs) {
	if d.Contents == "" {
		return
	}
	j.key("docs")
	j.open('{')
	j.key("contents")
	j.str(d.Contents)
	j.close('}')
}

func (j *jsonWriter) stability(s Stability) {
	if s.Kind == Unknown {
		return
	}
	j.key("stability")
	j.stabilityValue(s)
}

// stabilityValue writes a known stability as serde writes wit-parser's
// Stability.
func (j *jsonWriter) stabilityValue(s Stability) {
	j.open('{')
	if s.Kind == Stable {
		j.key("stable")
		j.open('{')
		j.key("since")
		j.str(s.Since.String())
	} else {
		j.key("unstable")
		j.open('{')
		j.key("feature")
		j.str(s.Feature)
	}
	if s.Deprecated != nil {
		j.key("deprecated")
		j.str(s.Deprecated.String())
	}
	j.close('}')
	j.close('}')
}

func (j *jsonWriter) externalID(id string) {
	if id != "" {
		j.key("external_id")
		j.str(id)
	}
}

func (j *jsonWriter) pkgRef(p *Package) {
	if p == nil {
		j.null()
		return
	}
	j.int(p.ID)
}

func (j *jsonWriter) world(w *World) {
	j.open('{')
	j.key("name")
	j.str(w.Name)
	for _, side := range [2]struct {
		name    string
		entries []WorldEntry
	}{{"imports", w.Imports}, {"exports", w.Exports}} {
		j.key(side.name)
		j.open('{')
		for _, e := range side.entries {
			j.key(e.Key.String())
			j.worldItem(e.Item)
		}
		j.close('}')
	}
	j.key("package")
	j.pkgRef(w.Package)
	j.docs(w.Docs)
	j.stability(w.Stability)
	j.close('}')
}

func (j *jsonWriter) worldItem(it WorldItem) {
	j.open('{')
	switch it := it.(type) {
	case *WorldInterface:
		j.key("interface")
		j.open('{')
		j.key("id")
		j.int(it.Interface.ID)
		j.stability(it.Stability)
		j.externalID(it.ExternalID)
		j.docs(it.Docs)
		j.close('}')
	case *Function:
		j.key("function")
		j.function(it)
	case *TypeDef:
		j.key("type")
		j.int(it.ID)
	}
	j.close('}')
}

func (j *jsonWriter) iface(i *Interface) {
	j.open('{')
	j.key("name")
	if i.Name == "" {
		j.null()
	} else {
		j.str(i.Name)
	}
	j.key("types")
	j.open('{')
	for _, t := range i.Types {
		j.key(t.Name)
		j.int(t.ID)
	}
	j.close('}')
	j.key("functions")
	j.open('{')
	for _, f := range i.Functions {
		j.key(f.Name)
		j.function(f)
	}
	j.close('}')
	j.docs(i.Docs)
	j.stability(i.Stability)
	j.key("package")
	j.pkgRef(i.Package)
	if i.CloneOf != nil {
		j.key("clone_of")
		j.int(i.CloneOf.ID)
	}
	j.close('}')
}

func (j *jsonWriter) typeRef(t Type) {
	switch t := t.(type) {
	case Primitive:
		j.str(t.String())
	case *TypeDef:
		j.int(t.ID)
	default:
		j.null()
	}
}

func (j *jsonWriter) typeDef(t *TypeDef) {
	j.open('{')
	j.key("name")
	if t.Name == "" {
		j.null()
	} else {
		j.str(t.Name)
	}
	j.key("kind")
	j.kind(t.Kind)
	j.key("owner")
	switch {
	case t.Owner.Interface != nil:
		j.open('{')
		j.key("interface")
		j.int(t.Owner.Interface.ID)
		j.close('}')
	case t.Owner.World != nil:
		j.open('{')
		j.key("world")
		j.int(t.Owner.World.ID)
		j.close('}')
	default:
		j.null()
	}
	j.docs(t.Docs)
	j.stability(t.Stability)
	j.externalID(t.ExternalID)
	j.close('}')
}

// single writes {"name": <value written by f>}.
func (j *jsonWriter) single(name string, f func()) {
	j.open('{')
	j.key(name)
	f()
	j.close('}')
}

func (j *jsonWriter) optType(t Type) {
	if t == nil {
		j.null()
		return
	}
	j.typeRef(t)
}

func (j *jsonWriter) kind(k TypeDefKind) {
	switch k := k.(type) {
	case *Resource:
		j.str("resource")
	case *Record:
		j.single("record", func() {
			j.single("fields", func() {
				jsonArray(j, k.Fields, func(f Field) { j.member(f.Name, func() { j.typeRef(f.Type) }, f.Docs) })
			})
		})
	case *Handle:
		j.single("handle", func() {
			name := "own"
			if k.Kind == Borrow {
				name = "borrow"
			}
			j.single(name, func() { j.int(k.Resource.ID) })
		})
	case *Flags:
		j.single("flags", func() {
			j.single("flags", func() {
				jsonArray(j, k.Flags, func(f Flag) { j.member(f.Name, nil, f.Docs) })
			})
		})
	case *Tuple:
		j.single("tuple", func() {
			j.single("types", func() { j.typeList(k.Types) })
		})
	case *Variant:
		j.single("variant", func() {
			j.single("cases", func() {
				jsonArray(j, k.Cases, func(c Case) { j.member(c.Name, func() { j.optType(c.Type) }, c.Docs) })
			})
		})
	case *Enum:
		j.single("enum", func() {
			j.single("cases", func() {
				jsonArray(j, k.Cases, func(c EnumCase) { j.member(c.Name, nil, c.Docs) })
			})
		})
	case *Option:
		j.single("option", func() { j.typeRef(k.Type) })
	case *Result:
		j.single("result", func() {
			j.open('{')
			j.key("ok")
			j.optType(k.OK)
			j.key("err")
			j.optType(k.Err)
			j.close('}')
		})
	case *List:
		j.single("list", func() { j.typeRef(k.Elem) })
	case *FixedList:
		j.single("fixed-length-list", func() {
			j.open('[')
			j.elem()
			j.typeRef(k.Elem)
			j.elem()
			j.int(int(k.Len))
			j.close(']')
		})
	case *Map:
		j.single("map", func() { j.typeList([]Type{k.Key, k.Value}) })
	case *Future:
		j.single("future", func() { j.optType(k.Type) })
	case *Stream:
		j.single("stream", func() { j.optType(k.Type) })
	case *Alias:
		j.single("type", func() { j.typeRef(k.Type) })
	default:
		j.null()
	}
}

func (j *jsonWriter) typeList(ts []Type) { jsonArray(j, ts, j.typeRef) }

func (j *jsonWriter) function(f *Function) {
	j.open('{')
	j.key("name")
	j.str(f.Name)
	j.key("kind")
	switch f.Kind {
	case Freestanding:
		j.str("freestanding")
	case AsyncFreestanding:
		j.str("async-freestanding")
	default:
		name := map[FunctionKind]string{Method: "method", AsyncMethod: "async-method", Static: "static",
			AsyncStatic: "async-static", Constructor: "constructor"}[f.Kind]
		j.single(name, func() { j.int(f.Resource.ID) })
	}
	j.key("params")
	jsonArray(j, f.Params, func(p Param) { j.member(p.Name, func() { j.typeRef(p.Type) }, Docs{}) })
	if f.Result != nil {
		j.key("result")
		j.typeRef(f.Result)
	}
	j.docs(f.Docs)
	j.stability(f.Stability)
	j.externalID(f.ExternalID)
	j.close('}')
}
