package wit

import (
	"encoding/json"
	"fmt"
)

// Package metadata: the docs and stability gates of a package, which the
// component binary format has no place for. wit-component keeps them in a
// custom section, PackageMetadataSection, of a binary WIT package: a version
// byte (0 or 1), then JSON. Version 1 is written; both are read.

// PackageMetadataSection is the name of the custom section.
const PackageMetadataSection = "package-docs"

const packageMetadataVersion = 1

// EncodePackageMetadata returns the package-docs section of p, or nil when p
// has no docs or gates at all.
//
// The optional `package` field of newer wit-parsers is not written, so that
// wasm-tools releases that reject unknown fields can read the section.
func EncodePackageMetadata(p *Package) []byte {
	var o obj
	o.str("docs", p.Docs.Contents)
	var worlds, ifaces obj
	for _, w := range p.Worlds {
		worlds.sub(w.Name, worldMetadata(w))
	}
	for _, i := range p.Interfaces {
		ifaces.sub(i.Name, interfaceMetadata(i))
	}
	o.sub("worlds", worlds)
	o.sub("interfaces", ifaces)
	if len(o) == 0 {
		return nil
	}
	j := &jsonWriter{b: []byte{packageMetadataVersion}, compact: true}
	o.write(j)
	return j.b
}

// obj is a JSON object under construction, its keys in insertion order.
type obj []field

type field struct {
	key string
	val any // string, obj, Stability
}

func (o *obj) str(k, v string) {
	if v != "" {
		*o = append(*o, field{k, v})
	}
}

func (o *obj) sub(k string, v obj) {
	if len(v) > 0 {
		*o = append(*o, field{k, v})
	}
}

func (o *obj) stability(s Stability) {
	if s.Kind != Unknown {
		*o = append(*o, field{"stability", s})
	}
}

func (o obj) write(j *jsonWriter) {
	j.open('{')
	for _, f := range o {
		j.key(f.key)
		switch v := f.val.(type) {
		case string:
			j.str(v)
		case obj:
			v.write(j)
		case Stability:
			j.stabilityValue(v)
		}
	}
	j.close('}')
}

func functionMetadata(f *Function) obj {
	var o obj
	o.str("docs", f.Docs.Contents)
	o.stability(f.Stability)
	return o
}

func typeMetadata(t *TypeDef) obj {
	var o obj
	o.str("docs", t.Docs.Contents)
	o.stability(t.Stability)
	var items obj
	for _, it := range itemsOf(t.Kind) {
		items.str(it.name, it.docs.Contents)
	}
	o.sub("items", items)
	return o
}

// docItem is a named part of a type that has docs: a field, flag or case.
type docItem struct {
	name string
	docs *Docs
}

func itemsOf(k TypeDefKind) []docItem {
	var out []docItem
	switch k := k.(type) {
	case *Record:
		for i := range k.Fields {
			out = append(out, docItem{k.Fields[i].Name, &k.Fields[i].Docs})
		}
	case *Flags:
		for i := range k.Flags {
			out = append(out, docItem{k.Flags[i].Name, &k.Flags[i].Docs})
		}
	case *Variant:
		for i := range k.Cases {
			out = append(out, docItem{k.Cases[i].Name, &k.Cases[i].Docs})
		}
	case *Enum:
		for i := range k.Cases {
			out = append(out, docItem{k.Cases[i].Name, &k.Cases[i].Docs})
		}
	}
	return out
}

func interfaceMetadata(i *Interface) obj {
	var o obj
	o.str("docs", i.Docs.Contents)
	o.stability(i.Stability)
	var funcs, types obj
	for _, f := range i.Functions {
		funcs.sub(f.Name, functionMetadata(f))
	}
	for _, t := range i.Types {
		types.sub(t.Name, typeMetadata(t))
	}
	o.sub("funcs", funcs)
	o.sub("types", types)
	return o
}

func worldMetadata(w *World) obj {
	var ifaces, types, funcs, ifaceExports, funcExports, importStability, exportStability obj
	entries := func(es []WorldEntry, imports bool) {
		for _, e := range es {
			switch it := e.Item.(type) {
			case *WorldInterface:
				if e.Key.Interface != nil || it.Interface.Name != "" {
					if it.Stability.Kind != Unknown {
						key := e.Key.Name
						if e.Key.Interface != nil {
							key = e.Key.Interface.QualifiedName()
						}
						s := obj{{key, it.Stability}}
						if imports {
							importStability = append(importStability, s...)
						} else {
							exportStability = append(exportStability, s...)
						}
					}
					continue
				}
				if imports {
					ifaces.sub(e.Key.Name, interfaceMetadata(it.Interface))
				} else {
					ifaceExports.sub(e.Key.Name, interfaceMetadata(it.Interface))
				}
			case *TypeDef:
				types.sub(e.Key.Name, typeMetadata(it))
			case *Function:
				if imports {
					funcs.sub(e.Key.Name, functionMetadata(it))
				} else {
					funcExports.sub(e.Key.Name, functionMetadata(it))
				}
			}
		}
	}
	entries(w.Imports, true)
	entries(w.Exports, false)
	var o obj
	o.str("docs", w.Docs.Contents)
	o.stability(w.Stability)
	o.sub("interfaces", ifaces)
	o.sub("types", types)
	o.sub("funcs", funcs)
	o.sub("interface_exports", ifaceExports)
	o.sub("func_exports", funcExports)
	o.sub("interface_import_stability", importStability)
	o.sub("interface_export_stability", exportStability)
	return o
}

// Decoding.

type rawMap map[string]json.RawMessage

type docsAndStability struct {
	Docs      *string         `json:"docs"`
	Stability json.RawMessage `json:"stability"`
}

func (d docsAndStability) apply(docs *Docs, st *Stability) error {
	if d.Docs != nil {
		docs.Contents = *d.Docs
	}
	s, err := stabilityOf(d.Stability)
	if err != nil {
		return err
	}
	*st = s
	return nil
}

// ApplyPackageMetadata reads a package-docs section and puts its docs and
// gates on p's items. Items the section names that p lacks are skipped, as
// wit-parser does.
func ApplyPackageMetadata(p *Package, data []byte) error {
	if len(data) == 0 || data[0] > packageMetadataVersion {
		return fmt.Errorf("%s: unsupported version %v", PackageMetadataSection, data[:min(len(data), 1)])
	}
	var m struct {
		Package    *string `json:"package"`
		Docs       *string `json:"docs"`
		Worlds     rawMap  `json:"worlds"`
		Interfaces rawMap  `json:"interfaces"`
	}
	if err := json.Unmarshal(data[1:], &m); err != nil {
		return fmt.Errorf("%s: %v", PackageMetadataSection, err)
	}
	if m.Docs != nil {
		p.Docs.Contents = *m.Docs
	}
	for name, raw := range m.Interfaces {
		if i := p.Interface(name); i != nil {
			if err := applyInterface(i, raw); err != nil {
				return fmt.Errorf("%s: interface %s: %v", PackageMetadataSection, name, err)
			}
		}
	}
	for name, raw := range m.Worlds {
		if w := p.World(name); w != nil {
			if err := applyWorld(w, raw); err != nil {
				return fmt.Errorf("%s: world %s: %v", PackageMetadataSection, name, err)
			}
		}
	}
	return nil
}

func applyInterface(i *Interface, raw json.RawMessage) error {
	var m struct {
		docsAndStability
		Funcs rawMap `json:"funcs"`
		Types rawMap `json:"types"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return err
	}
	if err := m.apply(&i.Docs, &i.Stability); err != nil {
		return err
	}
	for name, raw := range m.Funcs {
		if f := i.Function(name); f != nil {
			if err := applyFunction(f, raw); err != nil {
				return err
			}
		}
	}
	for name, raw := range m.Types {
		if t := i.Type(name); t != nil {
			if err := applyType(t, raw); err != nil {
				return err
			}
		}
	}
	return nil
}

// applyFunction reads a function's metadata: an object, or in the v0
// format just its docs (a string or null).
func applyFunction(f *Function, raw json.RawMessage) error {
	var docs *string
	if json.Unmarshal(raw, &docs) == nil {
		if docs != nil {
			f.Docs.Contents = *docs
		}
		return nil
	}
	var m docsAndStability
	if err := json.Unmarshal(raw, &m); err != nil {
		return err
	}
	return m.apply(&f.Docs, &f.Stability)
}

func applyType(t *TypeDef, raw json.RawMessage) error {
	var m struct {
		docsAndStability
		Items map[string]string `json:"items"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return err
	}
	if err := m.apply(&t.Docs, &t.Stability); err != nil {
		return err
	}
	for _, it := range itemsOf(t.Kind) {
		if d, ok := m.Items[it.name]; ok {
			it.docs.Contents = d
		}
	}
	return nil
}

func applyWorld(w *World, raw json.RawMessage) error {
	var m struct {
		docsAndStability
		Interfaces               rawMap `json:"interfaces"`
		Types                    rawMap `json:"types"`
		Funcs                    rawMap `json:"funcs"`
		InterfaceExports         rawMap `json:"interface_exports"`
		FuncExports              rawMap `json:"func_exports"`
		InterfaceImportStability rawMap `json:"interface_import_stability"`
		InterfaceExportStability rawMap `json:"interface_export_stability"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return err
	}
	if err := m.apply(&w.Docs, &w.Stability); err != nil {
		return err
	}
	named := func(es []WorldEntry, name string) WorldItem {
		for _, e := range es {
			if e.Key.Interface == nil && e.Key.Name == name {
				return e.Item
			}
		}
		return nil
	}
	// v0 kept exports in the import maps: look in the imports, then the
	// exports.
	either := func(name string) WorldItem {
		if it := named(w.Imports, name); it != nil {
			return it
		}
		return named(w.Exports, name)
	}
	for _, g := range []struct {
		m    rawMap
		find func(string) WorldItem
	}{
		{m.Interfaces, either}, {m.Funcs, either},
		{m.InterfaceExports, func(n string) WorldItem { return named(w.Exports, n) }},
		{m.FuncExports, func(n string) WorldItem { return named(w.Exports, n) }},
		{m.Types, func(n string) WorldItem { return named(w.Imports, n) }},
	} {
		for name, raw := range g.m {
			var err error
			switch it := g.find(name).(type) {
			case *WorldInterface:
				err = applyInterface(it.Interface, raw)
				if err == nil {
					it.Stability = it.Interface.Stability
				}
			case *Function:
				err = applyFunction(it, raw)
			case *TypeDef:
				err = applyType(it, raw)
			}
			if err != nil {
				return err
			}
		}
	}
	for _, g := range []struct {
		m  rawMap
		es []WorldEntry
	}{{m.InterfaceImportStability, w.Imports}, {m.InterfaceExportStability, w.Exports}} {
		for name, raw := range g.m {
			for _, e := range g.es {
				wi, ok := e.Item.(*WorldInterface)
				if !ok {
					continue
				}
				key := e.Key.Name
				if e.Key.Interface != nil {
					key = e.Key.Interface.QualifiedName()
				}
				if key == name {
					s, err := stabilityOf(raw)
					if err != nil {
						return err
					}
					wi.Stability = s
				}
			}
		}
	}
	return nil
}

// stabilityOf reads a stability in wit-parser's JSON form.
func stabilityOf(raw json.RawMessage) (Stability, error) {
	if raw == nil {
		return Stability{}, nil
	}
	var v struct {
		Stable *struct {
			Since      string
			Deprecated *string
		}
		Unstable *struct {
			Feature    string
			Deprecated *string
		}
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return Stability{}, err
	}
	var s Stability
	var dep *string
	switch {
	case v.Stable != nil:
		since, err := ParseVersion(v.Stable.Since)
		if err != nil {
			return s, err
		}
		s = Stability{Kind: Stable, Since: since}
		dep = v.Stable.Deprecated
	case v.Unstable != nil:
		s = Stability{Kind: Unstable, Feature: v.Unstable.Feature}
		dep = v.Unstable.Deprecated
	}
	if dep != nil {
		dv, err := ParseVersion(*dep)
		if err != nil {
			return s, err
		}
		s.Deprecated = dv
	}
	return s, nil
}
