package wit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// decodeJSON reads a resolve in wit-parser's JSON schema (the output of
// WriteJSON and of `wasm-tools component wit --json`). Malformed input and
// out-of-range indices give an error.
func decodeJSON(data []byte) (*Resolve, error) {
	var top struct {
		Worlds     []json.RawMessage `json:"worlds"`
		Interfaces []json.RawMessage `json:"interfaces"`
		Types      []json.RawMessage `json:"types"`
		Packages   []json.RawMessage `json:"packages"`
	}
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("wit json: %v", err)
	}
	r := &Resolve{}
	for range top.Packages {
		r.AddPackage(&Package{})
	}
	for range top.Interfaces {
		r.AddInterface(&Interface{})
	}
	for range top.Worlds {
		r.AddWorld(&World{})
	}
	for range top.Types {
		r.AddType(&TypeDef{})
	}
	d := &decoder{r: r}
	for i, raw := range top.Packages {
		if err := d.pkg(r.Packages[i], raw); err != nil {
			return nil, fmt.Errorf("wit json: packages[%d]: %v", i, err)
		}
	}
	for i, raw := range top.Interfaces {
		if err := d.iface(r.Interfaces[i], raw); err != nil {
			return nil, fmt.Errorf("wit json: interfaces[%d]: %v", i, err)
		}
	}
	for i, raw := range top.Worlds {
		if err := d.world(r.Worlds[i], raw); err != nil {
			return nil, fmt.Errorf("wit json: worlds[%d]: %v", i, err)
		}
	}
	for i, raw := range top.Types {
		if err := d.typeDef(r.Types[i], raw); err != nil {
			return nil, fmt.Errorf("wit json: types[%d]: %v", i, err)
		}
	}
	return r, nil
}

type decoder struct{ r *Resolve }

// member is one key of a JSON object, in document order.
type member struct {
	Key   string
	Value json.RawMessage
}

// members returns the keys of a JSON object in order.
func members(raw json.RawMessage) ([]member, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	t, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if t != json.Delim('{') {
		return nil, fmt.Errorf("expected an object")
	}
	var out []member
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, member{k.(string), v})
	}
	return out, nil
}

func (d *decoder) index(raw json.RawMessage, n int, what string) (int, error) {
	var i int
	if err := json.Unmarshal(raw, &i); err != nil {
		return 0, fmt.Errorf("%s index: %v", what, err)
	}
	if i < 0 || i >= n {
		return 0, fmt.Errorf("%s index %d out of range (%d)", what, i, n)
	}
	return i, nil
}

func (d *decoder) typeID(raw json.RawMessage) (*TypeDef, error) {
	i, err := d.index(raw, len(d.r.Types), "type")
	if err != nil {
		return nil, err
	}
	return d.r.Types[i], nil
}

func (d *decoder) typeRef(raw json.RawMessage) (Type, error) {
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return nil, nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		p, ok := ParsePrimitive(s)
		if !ok {
			return nil, fmt.Errorf("unknown primitive type %q", s)
		}
		return p, nil
	}
	return d.typeID(raw)
}

func (d *decoder) pkgRef(raw json.RawMessage) (*Package, error) {
	if raw == nil || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return nil, nil
	}
	i, err := d.index(raw, len(d.r.Packages), "package")
	if err != nil {
		return nil, err
	}
	return d.r.Packages[i], nil
}

func docsOf(raw json.RawMessage) (Docs, error) {
	if raw == nil {
		return Docs{}, nil
	}
	var v struct{ Contents *string }
	if err := json.Unmarshal(raw, &v); err != nil {
		return Docs{}, err
	}
	if v.Contents == nil {
		return Docs{}, nil
	}
	return Docs{Contents: *v.Contents}, nil
}

func (d *decoder) pkg(p *Package, raw json.RawMessage) error {
	ms, err := members(raw)
	if err != nil {
		return err
	}
	for _, m := range ms {
		switch m.Key {
		case "name":
			var s string
			if err := json.Unmarshal(m.Value, &s); err != nil {
				return err
			}
			if p.Name, err = ParsePackageName(s); err != nil {
				return err
			}
		case "docs":
			if p.Docs, err = docsOf(m.Value); err != nil {
				return err
			}
		case "interfaces", "worlds":
			entries, err := members(m.Value)
			if err != nil {
				return err
			}
			for _, e := range entries {
				if m.Key == "interfaces" {
					i, err := d.index(e.Value, len(d.r.Interfaces), "interface")
					if err != nil {
						return err
					}
					p.Interfaces = append(p.Interfaces, d.r.Interfaces[i])
				} else {
					i, err := d.index(e.Value, len(d.r.Worlds), "world")
					if err != nil {
						return err
					}
					p.Worlds = append(p.Worlds, d.r.Worlds[i])
				}
			}
		}
	}
	return nil
}

func (d *decoder) iface(i *Interface, raw json.RawMessage) error {
	ms, err := members(raw)
	if err != nil {
		return err
	}
	for _, m := range ms {
		switch m.Key {
		case "name":
			var s *string
			if err := json.Unmarshal(m.Value, &s); err != nil {
				return err
			}
			if s != nil {
				i.Name = *s
			}
		case "types":
			entries, err := members(m.Value)
			if err != nil {
				return err
			}
			for _, e := range entries {
				t, err := d.typeID(e.Value)
				if err != nil {
					return err
				}
				i.Types = append(i.Types, t)
			}
		case "functions":
			entries, err := members(m.Value)
			if err != nil {
				return err
			}
			for _, e := range entries {
				f, err := d.function(e.Value)
				if err != nil {
					return fmt.Errorf("function %q: %v", e.Key, err)
				}
				i.Functions = append(i.Functions, f)
			}
		case "docs":
			if i.Docs, err = docsOf(m.Value); err != nil {
				return err
			}
		case "stability":
			if i.Stability, err = stabilityOf(m.Value); err != nil {
				return err
			}
		case "package":
			if i.Package, err = d.pkgRef(m.Value); err != nil {
				return err
			}
		case "clone_of":
			n, err := d.index(m.Value, len(d.r.Interfaces), "interface")
			if err != nil {
				return err
			}
			i.CloneOf = d.r.Interfaces[n]
		}
	}
	return nil
}

func (d *decoder) world(w *World, raw json.RawMessage) error {
	ms, err := members(raw)
	if err != nil {
		return err
	}
	for _, m := range ms {
		switch m.Key {
		case "name":
			if err := json.Unmarshal(m.Value, &w.Name); err != nil {
				return err
			}
		case "imports", "exports":
			entries, err := members(m.Value)
			if err != nil {
				return err
			}
			for _, e := range entries {
				entry, err := d.worldEntry(e)
				if err != nil {
					return fmt.Errorf("%s %q: %v", m.Key, e.Key, err)
				}
				if m.Key == "imports" {
					w.Imports = append(w.Imports, entry)
				} else {
					w.Exports = append(w.Exports, entry)
				}
			}
		case "package":
			if w.Package, err = d.pkgRef(m.Value); err != nil {
				return err
			}
		case "docs":
			if w.Docs, err = docsOf(m.Value); err != nil {
				return err
			}
		case "stability":
			if w.Stability, err = stabilityOf(m.Value); err != nil {
				return err
			}
		}
	}
	return nil
}

func (d *decoder) worldEntry(e member) (WorldEntry, error) {
	var entry WorldEntry
	var item struct {
		Interface *struct {
			ID         json.RawMessage `json:"id"`
			Stability  json.RawMessage `json:"stability"`
			ExternalID string          `json:"external_id"`
			Docs       json.RawMessage `json:"docs"`
		} `json:"interface"`
		Function json.RawMessage `json:"function"`
		Type     json.RawMessage `json:"type"`
	}
	if err := json.Unmarshal(e.Value, &item); err != nil {
		return entry, err
	}
	switch {
	case item.Interface != nil:
		n, err := d.index(item.Interface.ID, len(d.r.Interfaces), "interface")
		if err != nil {
			return entry, err
		}
		wi := &WorldInterface{Interface: d.r.Interfaces[n], ExternalID: item.Interface.ExternalID}
		if wi.Stability, err = stabilityOf(item.Interface.Stability); err != nil {
			return entry, err
		}
		if wi.Docs, err = docsOf(item.Interface.Docs); err != nil {
			return entry, err
		}
		entry.Item = wi
	case item.Function != nil:
		f, err := d.function(item.Function)
		if err != nil {
			return entry, err
		}
		entry.Item = f
	case item.Type != nil:
		t, err := d.typeID(item.Type)
		if err != nil {
			return entry, err
		}
		entry.Item = t
	default:
		return entry, fmt.Errorf("unknown world item")
	}
	if rest, ok := strings.CutPrefix(e.Key, "interface-"); ok {
		n, err := d.index(json.RawMessage(rest), len(d.r.Interfaces), "interface")
		if err != nil {
			return entry, err
		}
		entry.Key = WorldKey{Interface: d.r.Interfaces[n]}
	} else {
		entry.Key = WorldKey{Name: e.Key}
	}
	return entry, nil
}

var functionKinds = map[string]FunctionKind{
	"freestanding": Freestanding, "async-freestanding": AsyncFreestanding, "method": Method,
	"async-method": AsyncMethod, "static": Static, "async-static": AsyncStatic, "constructor": Constructor,
}

func (d *decoder) function(raw json.RawMessage) (*Function, error) {
	var v struct {
		Name   string          `json:"name"`
		Kind   json.RawMessage `json:"kind"`
		Params []struct {
			Name string          `json:"name"`
			Type json.RawMessage `json:"type"`
		} `json:"params"`
		Result     json.RawMessage `json:"result"`
		Docs       json.RawMessage `json:"docs"`
		Stability  json.RawMessage `json:"stability"`
		ExternalID string          `json:"external_id"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	f := &Function{Name: v.Name, ExternalID: v.ExternalID}
	var s string
	if json.Unmarshal(v.Kind, &s) == nil {
		k, ok := functionKinds[s]
		if !ok || (k != Freestanding && k != AsyncFreestanding) {
			return nil, fmt.Errorf("unknown function kind %q", s)
		}
		f.Kind = k
	} else {
		ms, err := members(v.Kind)
		if err != nil || len(ms) != 1 {
			return nil, fmt.Errorf("invalid function kind")
		}
		k, ok := functionKinds[ms[0].Key]
		if !ok || k == Freestanding || k == AsyncFreestanding {
			return nil, fmt.Errorf("unknown function kind %q", ms[0].Key)
		}
		f.Kind = k
		if f.Resource, err = d.typeID(ms[0].Value); err != nil {
			return nil, err
		}
	}
	for _, p := range v.Params {
		t, err := d.typeRef(p.Type)
		if err != nil {
			return nil, err
		}
		f.Params = append(f.Params, Param{Name: p.Name, Type: t})
	}
	var err error
	if v.Result != nil {
		if f.Result, err = d.typeRef(v.Result); err != nil {
			return nil, err
		}
	}
	if f.Docs, err = docsOf(v.Docs); err != nil {
		return nil, err
	}
	if f.Stability, err = stabilityOf(v.Stability); err != nil {
		return nil, err
	}
	return f, nil
}

func (d *decoder) typeDef(t *TypeDef, raw json.RawMessage) error {
	var v struct {
		Name       *string         `json:"name"`
		Kind       json.RawMessage `json:"kind"`
		Owner      json.RawMessage `json:"owner"`
		Docs       json.RawMessage `json:"docs"`
		Stability  json.RawMessage `json:"stability"`
		ExternalID string          `json:"external_id"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	if v.Name != nil {
		t.Name = *v.Name
	}
	t.ExternalID = v.ExternalID
	var err error
	if t.Docs, err = docsOf(v.Docs); err != nil {
		return err
	}
	if t.Stability, err = stabilityOf(v.Stability); err != nil {
		return err
	}
	if len(v.Owner) > 0 && !bytes.Equal(v.Owner, []byte("null")) {
		var o struct {
			Interface *json.RawMessage `json:"interface"`
			World     *json.RawMessage `json:"world"`
		}
		if err := json.Unmarshal(v.Owner, &o); err != nil {
			return err
		}
		switch {
		case o.Interface != nil:
			n, err := d.index(*o.Interface, len(d.r.Interfaces), "interface")
			if err != nil {
				return err
			}
			t.Owner.Interface = d.r.Interfaces[n]
		case o.World != nil:
			n, err := d.index(*o.World, len(d.r.Worlds), "world")
			if err != nil {
				return err
			}
			t.Owner.World = d.r.Worlds[n]
		}
	}
	t.Kind, err = d.kind(v.Kind)
	return err
}

func (d *decoder) kind(raw json.RawMessage) (TypeDefKind, error) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if s == "resource" {
			return &Resource{}, nil
		}
		return nil, fmt.Errorf("unknown type kind %q", s)
	}
	ms, err := members(raw)
	if err != nil || len(ms) != 1 {
		return nil, fmt.Errorf("invalid type kind")
	}
	v := ms[0].Value
	type named struct {
		Name string          `json:"name"`
		Type json.RawMessage `json:"type"`
		Docs json.RawMessage `json:"docs"`
	}
	switch ms[0].Key {
	case "record":
		var rec struct{ Fields []named }
		if err := json.Unmarshal(v, &rec); err != nil {
			return nil, err
		}
		k := &Record{}
		for _, f := range rec.Fields {
			t, err := d.typeRef(f.Type)
			if err != nil {
				return nil, err
			}
			docs, err := docsOf(f.Docs)
			if err != nil {
				return nil, err
			}
			k.Fields = append(k.Fields, Field{Name: f.Name, Type: t, Docs: docs})
		}
		return k, nil
	case "variant":
		var va struct{ Cases []named }
		if err := json.Unmarshal(v, &va); err != nil {
			return nil, err
		}
		k := &Variant{}
		for _, c := range va.Cases {
			t, err := d.typeRef(c.Type)
			if err != nil {
				return nil, err
			}
			docs, err := docsOf(c.Docs)
			if err != nil {
				return nil, err
			}
			k.Cases = append(k.Cases, Case{Name: c.Name, Type: t, Docs: docs})
		}
		return k, nil
	case "enum", "flags":
		var en struct {
			Cases []named
			Flags []named
		}
		if err := json.Unmarshal(v, &en); err != nil {
			return nil, err
		}
		if ms[0].Key == "enum" {
			k := &Enum{}
			for _, c := range en.Cases {
				docs, err := docsOf(c.Docs)
				if err != nil {
					return nil, err
				}
				k.Cases = append(k.Cases, EnumCase{Name: c.Name, Docs: docs})
			}
			return k, nil
		}
		k := &Flags{}
		for _, c := range en.Flags {
			docs, err := docsOf(c.Docs)
			if err != nil {
				return nil, err
			}
			k.Flags = append(k.Flags, Flag{Name: c.Name, Docs: docs})
		}
		return k, nil
	case "handle":
		hs, err := members(v)
		if err != nil || len(hs) != 1 {
			return nil, fmt.Errorf("invalid handle")
		}
		r, err := d.typeID(hs[0].Value)
		if err != nil {
			return nil, err
		}
		switch hs[0].Key {
		case "own":
			return &Handle{Kind: Own, Resource: r}, nil
		case "borrow":
			return &Handle{Kind: Borrow, Resource: r}, nil
		}
		return nil, fmt.Errorf("unknown handle kind %q", hs[0].Key)
	case "tuple":
		var tu struct{ Types []json.RawMessage }
		if err := json.Unmarshal(v, &tu); err != nil {
			return nil, err
		}
		k := &Tuple{}
		for _, raw := range tu.Types {
			t, err := d.typeRef(raw)
			if err != nil {
				return nil, err
			}
			k.Types = append(k.Types, t)
		}
		return k, nil
	case "result":
		var re struct{ Ok, Err json.RawMessage }
		if err := json.Unmarshal(v, &re); err != nil {
			return nil, err
		}
		ok, err := d.typeRef(re.Ok)
		if err != nil {
			return nil, err
		}
		e, err := d.typeRef(re.Err)
		if err != nil {
			return nil, err
		}
		return &Result{OK: ok, Err: e}, nil
	case "map", "fixed-length-list":
		var pair []json.RawMessage
		if err := json.Unmarshal(v, &pair); err != nil || len(pair) != 2 {
			return nil, fmt.Errorf("invalid %s", ms[0].Key)
		}
		a, err := d.typeRef(pair[0])
		if err != nil {
			return nil, err
		}
		if ms[0].Key == "fixed-length-list" {
			var n uint32
			if err := json.Unmarshal(pair[1], &n); err != nil {
				return nil, err
			}
			return &FixedList{Elem: a, Len: n}, nil
		}
		b, err := d.typeRef(pair[1])
		if err != nil {
			return nil, err
		}
		return &Map{Key: a, Value: b}, nil
	}
	t, err := d.typeRef(v)
	if err != nil {
		return nil, err
	}
	switch ms[0].Key {
	case "option":
		return &Option{Type: t}, nil
	case "list":
		return &List{Elem: t}, nil
	case "future":
		return &Future{Type: t}, nil
	case "stream":
		return &Stream{Type: t}, nil
	case "type":
		return &Alias{Type: t}, nil
	}
	return nil, fmt.Errorf("unknown type kind %q", ms[0].Key)
}
