package roundtrip

import (
	"fmt"
	"sort"
	"strings"

	"github.com/witc-dev/witc/wit"
)

// dump renders a Resolve as text that names every type by where it is
// defined instead of by arena index, so that two resolves of the same WIT
// compare equal whatever order their arenas were filled in.
func dump(res *wit.Resolve) string {
	pkgs := append([]*wit.Package(nil), res.Packages...)
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].Name.String() < pkgs[j].Name.String() })
	var b strings.Builder
	for _, p := range pkgs {
		fmt.Fprintf(&b, "package %s docs=%q\n", p.Name, p.Docs.Contents)
		for _, it := range p.Interfaces {
			dumpInterface(&b, it, "  ")
		}
		for _, w := range p.Worlds {
			fmt.Fprintf(&b, "  world %s docs=%q %s\n", w.Name, w.Docs.Contents, stab(w.Stability))
			for _, side := range []struct {
				name string
				es   []wit.WorldEntry
			}{{"import", w.Imports}, {"export", w.Exports}} {
				for _, e := range side.es {
					key := e.Key.Name
					if e.Key.Interface != nil {
						key = "<" + e.Key.Interface.QualifiedName() + ">"
					}
					fmt.Fprintf(&b, "    %s %s: ", side.name, key)
					switch it := e.Item.(type) {
					case *wit.WorldInterface:
						fmt.Fprintf(&b, "interface docs=%q %s id=%q\n", it.Docs.Contents, stab(it.Stability), it.ExternalID)
						if it.Interface.Name == "" {
							dumpInterface(&b, it.Interface, "      ")
						} else {
							fmt.Fprintf(&b, "      = %s\n", it.Interface.QualifiedName())
						}
					case *wit.Function:
						b.WriteString(fn(it) + "\n")
					case *wit.TypeDef:
						b.WriteString(typeDef(it) + "\n")
					}
				}
			}
		}
	}
	return b.String()
}

func dumpInterface(b *strings.Builder, it *wit.Interface, indent string) {
	fmt.Fprintf(b, "%sinterface %s docs=%q %s\n", indent, it.Name, it.Docs.Contents, stab(it.Stability))
	for _, td := range it.Types {
		fmt.Fprintf(b, "%s  type %s\n", indent, typeDef(td))
	}
	// Function order is not significant (the printer puts resource
	// functions with their resource), so functions are listed by name.
	var fs []string
	for _, f := range it.Functions {
		fs = append(fs, fn(f))
	}
	sort.Strings(fs)
	for _, f := range fs {
		fmt.Fprintf(b, "%s  %s\n", indent, f)
	}
}

func stab(s wit.Stability) string {
	out := ""
	switch s.Kind {
	case wit.Stable:
		out = "since=" + s.Since.String()
	case wit.Unstable:
		out = "unstable=" + s.Feature
	}
	if s.Deprecated != nil {
		out += " deprecated=" + s.Deprecated.String()
	}
	return out
}

func fn(f *wit.Function) string {
	var ps []string
	for _, p := range f.Params {
		ps = append(ps, p.Name+": "+ref(p.Type))
	}
	return fmt.Sprintf("func %s kind=%d (%s) -> %s docs=%q %s", f.Name, f.Kind, strings.Join(ps, ", "), ref(f.Result), f.Docs.Contents, stab(f.Stability))
}

func owner(td *wit.TypeDef) string {
	switch {
	case td.Owner.Interface != nil && td.Owner.Interface.Name != "":
		return td.Owner.Interface.QualifiedName()
	case td.Owner.Interface != nil:
		return "<inline>"
	case td.Owner.World != nil && td.Owner.World.Package != nil:
		return td.Owner.World.Package.Name.String() + "/" + td.Owner.World.Name
	}
	return ""
}

// typeDef renders a named definition in full.
func typeDef(td *wit.TypeDef) string {
	return fmt.Sprintf("%s.%s = %s docs=%q %s", owner(td), td.Name, kind(td.Kind), td.Docs.Contents, stab(td.Stability))
}

// ref renders a reference: named types by name, anonymous ones by shape.
func ref(t wit.Type) string {
	switch t := t.(type) {
	case nil:
		return "_"
	case wit.Primitive:
		return t.String()
	case *wit.TypeDef:
		if t.Name != "" {
			return owner(t) + "." + t.Name
		}
		return kind(t.Kind)
	}
	return "?"
}

func kind(k wit.TypeDefKind) string {
	switch k := k.(type) {
	case *wit.Record:
		var fs []string
		for _, f := range k.Fields {
			fs = append(fs, fmt.Sprintf("%s: %s docs=%q", f.Name, ref(f.Type), f.Docs.Contents))
		}
		return "record{" + strings.Join(fs, ", ") + "}"
	case *wit.Resource:
		return "resource"
	case *wit.Handle:
		if k.Kind == wit.Borrow {
			return "borrow<" + ref(k.Resource) + ">"
		}
		return "own<" + ref(k.Resource) + ">"
	case *wit.Flags:
		var fs []string
		for _, f := range k.Flags {
			fs = append(fs, fmt.Sprintf("%s docs=%q", f.Name, f.Docs.Contents))
		}
		return "flags{" + strings.Join(fs, ", ") + "}"
	case *wit.Tuple:
		var ts []string
		for _, t := range k.Types {
			ts = append(ts, ref(t))
		}
		return "tuple<" + strings.Join(ts, ", ") + ">"
	case *wit.Variant:
		var cs []string
		for _, c := range k.Cases {
			cs = append(cs, fmt.Sprintf("%s(%s) docs=%q", c.Name, ref(c.Type), c.Docs.Contents))
		}
		return "variant{" + strings.Join(cs, ", ") + "}"
	case *wit.Enum:
		var cs []string
		for _, c := range k.Cases {
			cs = append(cs, fmt.Sprintf("%s docs=%q", c.Name, c.Docs.Contents))
		}
		return "enum{" + strings.Join(cs, ", ") + "}"
	case *wit.Option:
		return "option<" + ref(k.Type) + ">"
	case *wit.Result:
		return "result<" + ref(k.OK) + ", " + ref(k.Err) + ">"
	case *wit.List:
		return "list<" + ref(k.Elem) + ">"
	case *wit.FixedList:
		return fmt.Sprintf("list<%s, %d>", ref(k.Elem), k.Len)
	case *wit.Map:
		return "map<" + ref(k.Key) + ", " + ref(k.Value) + ">"
	case *wit.Future:
		return "future<" + ref(k.Type) + ">"
	case *wit.Stream:
		return "stream<" + ref(k.Type) + ">"
	case *wit.Alias:
		return "alias " + ref(k.Type)
	}
	return "?"
}
