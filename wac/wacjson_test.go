package wac

// A converter from the syntax tree to the JSON of wac's own syntax tree
// (the .wac.result files of wac's parser tests), without spans, so that the
// two can be compared statement by statement.

type obj = map[string]any

func jDocs(d Docs) []any {
	out := []any{}
	for _, c := range d {
		out = append(out, obj{"comment": c.Text})
	}
	return out
}

func jIdent(id Ident) any { return obj{"string": id.Name} }

func jName(n *Name) any {
	if n == nil {
		return nil
	}
	if n.Quoted {
		return obj{"string": obj{"value": n.Value}}
	}
	return obj{"ident": obj{"string": n.Value}}
}

func jPackageName(p *PackageName) any {
	var v any
	if p.Version != nil {
		v = p.Version.Text
	}
	return obj{"string": p.String(), "name": p.Name(), "version": v}
}

func jPath(p *PackagePath) any {
	var v any
	if p.Version != nil {
		v = p.Version.Text
	}
	return obj{"string": p.String(), "name": p.Package(), "segments": p.Path(), "version": v}
}

func jRef(r ItemRef) any {
	switch r := r.(type) {
	case *PackagePath:
		return obj{"package": jPath(r)}
	case *Ident:
		return obj{"ident": jIdent(*r)}
	}
	return nil
}

func jDocument(d *Document) any {
	dir := obj{"package": jPackageName(&d.Name)}
	if d.Targets != nil {
		dir["targets"] = jPath(d.Targets)
	}
	stmts := []any{}
	for _, s := range d.Statements {
		stmts = append(stmts, jStatement(s))
	}
	return obj{"docs": jDocs(d.Docs), "directive": dir, "statements": stmts}
}

func jStatement(s Statement) any {
	switch s := s.(type) {
	case *Import:
		var ty any
		switch t := s.Type.(type) {
		case *PackagePath:
			ty = obj{"package": jPath(t)}
		case *FuncType:
			ty = obj{"func": jFunc(t)}
		case *InlineInterface:
			ty = obj{"interface": obj{"items": jIfaceItems(t.Items)}}
		case *Ident:
			ty = obj{"ident": jIdent(*t)}
		}
		return obj{"Import": obj{"docs": jDocs(s.Docs), "id": jIdent(s.ID), "name": jName(s.As), "ty": ty}}
	case *Let:
		return obj{"Let": obj{"docs": jDocs(s.Docs), "id": jIdent(s.ID), "expr": jExpr(s.Expr)}}
	case *Export:
		var opts any = "none"
		switch {
		case s.IsSpread():
			opts = obj{"spread": nil}
		case s.As != nil:
			opts = obj{"rename": jName(s.As)}
		}
		return obj{"Export": obj{"docs": jDocs(s.Docs), "expr": jExpr(s.Expr), "options": opts}}
	case *InterfaceDecl:
		return obj{"Type": obj{"interface": obj{"docs": jDocs(s.Docs), "id": jIdent(s.ID), "items": jIfaceItems(s.Items)}}}
	case *WorldDecl:
		items := []any{}
		for _, it := range s.Items {
			items = append(items, jWorldItem(it))
		}
		return obj{"Type": obj{"world": obj{"docs": jDocs(s.Docs), "id": jIdent(s.ID), "items": items}}}
	case TypeDecl:
		return obj{"Type": obj{"type": jTypeDecl(s)}}
	}
	return nil
}

func jExpr(e *Expr) any {
	var primary any
	switch p := e.Primary.(type) {
	case *Ident:
		primary = obj{"ident": jIdent(*p)}
	case *NestedExpr:
		primary = obj{"nested": obj{"inner": jExpr(p.Inner)}}
	case *NewExpr:
		args := []any{}
		for _, a := range p.Args {
			switch a := a.(type) {
			case *InferredArg:
				args = append(args, obj{"inferred": jIdent(a.ID)})
			case *SpreadArg:
				args = append(args, obj{"spread": jIdent(a.ID)})
			case *NamedArg:
				args = append(args, obj{"named": obj{"name": jName(&a.Name), "expr": jExpr(a.Expr)}})
			case *FillArg:
				args = append(args, obj{"fill": nil})
			}
		}
		primary = obj{"new": obj{"package": jPackageName(&p.Package), "arguments": args}}
	}
	postfix := []any{}
	for _, p := range e.Postfix {
		switch p := p.(type) {
		case *AccessExpr:
			postfix = append(postfix, obj{"access": obj{"id": jIdent(p.ID)}})
		case *NamedAccessExpr:
			postfix = append(postfix, obj{"namedAccess": obj{"string": obj{"value": p.Name.Value}}})
		}
	}
	return obj{"primary": primary, "postfix": postfix}
}

func jIfaceItems(items []InterfaceItem) []any {
	out := []any{}
	for _, it := range items {
		switch it := it.(type) {
		case *Use:
			out = append(out, obj{"use": jUse(it)})
		case *InterfaceExport:
			var ty any
			switch t := it.Type.(type) {
			case *FuncType:
				ty = obj{"func": jFunc(t)}
			case *Ident:
				ty = obj{"ident": jIdent(*t)}
			}
			out = append(out, obj{"export": obj{"docs": jDocs(it.Docs), "id": jIdent(it.ID), "ty": ty}})
		case TypeDecl:
			out = append(out, obj{"type": jTypeDecl(it)})
		}
	}
	return out
}

func jUse(u *Use) any {
	items := []any{}
	for _, it := range u.Items {
		var as any
		if it.As != nil {
			as = jIdent(*it.As)
		}
		items = append(items, obj{"id": jIdent(it.ID), "asId": as})
	}
	return obj{"docs": jDocs(u.Docs), "path": jRef(u.Path), "items": items}
}

func jWorldItem(it WorldItem) any {
	path := func(p WorldItemPath) any {
		switch p := p.(type) {
		case *NamedWorldItem:
			var ty any
			switch t := p.Type.(type) {
			case *FuncType:
				ty = obj{"func": jFunc(t)}
			case *InlineInterface:
				ty = obj{"interface": obj{"items": jIfaceItems(t.Items)}}
			case *Ident:
				ty = obj{"ident": jIdent(*t)}
			}
			return obj{"named": obj{"id": jIdent(p.ID), "ty": ty}}
		case *PackagePath:
			return obj{"package": jPath(p)}
		case *Ident:
			return obj{"ident": jIdent(*p)}
		}
		return nil
	}
	switch it := it.(type) {
	case *Use:
		return obj{"use": jUse(it)}
	case *WorldImport:
		return obj{"import": obj{"docs": jDocs(it.Docs), "path": path(it.Path)}}
	case *WorldExport:
		return obj{"export": obj{"docs": jDocs(it.Docs), "path": path(it.Path)}}
	case *Include:
		with := []any{}
		for _, w := range it.With {
			with = append(with, obj{"from": jIdent(w.ID), "to": jIdent(w.As)})
		}
		return obj{"include": obj{"docs": jDocs(it.Docs), "world": jRef(it.World), "with": with}}
	case TypeDecl:
		return obj{"type": jTypeDecl(it)}
	}
	return nil
}

func jTypeDecl(d TypeDecl) any {
	switch d := d.(type) {
	case *ResourceDecl:
		methods := []any{}
		for _, m := range d.Methods {
			if m.Kind == Constructor {
				methods = append(methods, obj{"constructor": obj{"docs": jDocs(m.Docs), "params": jNamed(m.Func.Params)}})
				continue
			}
			methods = append(methods, obj{"method": obj{"docs": jDocs(m.Docs), "id": jIdent(m.ID), "isStatic": m.Kind == Static, "ty": jFunc(m.Func)}})
		}
		return obj{"resource": obj{"docs": jDocs(d.Docs), "id": jIdent(d.ID), "methods": methods}}
	case *VariantDecl:
		cases := []any{}
		for _, c := range d.Cases {
			var ty any
			if c.Type != nil {
				ty = jType(c.Type)
			}
			cases = append(cases, obj{"docs": jDocs(c.Docs), "id": jIdent(c.ID), "ty": ty})
		}
		return obj{"variant": obj{"docs": jDocs(d.Docs), "id": jIdent(d.ID), "cases": cases}}
	case *RecordDecl:
		fields := []any{}
		for _, f := range d.Fields {
			fields = append(fields, obj{"docs": jDocs(f.Docs), "id": jIdent(f.ID), "ty": jType(f.Type)})
		}
		return obj{"record": obj{"docs": jDocs(d.Docs), "id": jIdent(d.ID), "fields": fields}}
	case *FlagsDecl:
		return obj{"flags": obj{"docs": jDocs(d.Docs), "id": jIdent(d.ID), "flags": jLabels(d.Flags)}}
	case *EnumDecl:
		return obj{"enum": obj{"docs": jDocs(d.Docs), "id": jIdent(d.ID), "cases": jLabels(d.Cases)}}
	case *TypeAlias:
		var kind any
		if d.Func != nil {
			kind = obj{"func": jFunc(d.Func)}
		} else {
			kind = obj{"type": jType(d.Type)}
		}
		return obj{"alias": obj{"docs": jDocs(d.Docs), "id": jIdent(d.ID), "kind": kind}}
	}
	return nil
}

func jLabels(ls []Label) []any {
	out := []any{}
	for _, l := range ls {
		out = append(out, obj{"docs": jDocs(l.Docs), "id": jIdent(l.ID)})
	}
	return out
}

func jNamed(ns []NamedType) []any {
	out := []any{}
	for _, n := range ns {
		out = append(out, obj{"id": jIdent(n.ID), "ty": jType(n.Type)})
	}
	return out
}

func jFunc(f *FuncType) any {
	var results any = "empty"
	switch {
	case f.Result != nil:
		results = obj{"scalar": jType(f.Result)}
	case f.Results != nil:
		results = obj{"list": jNamed(f.Results)}
	}
	return obj{"params": jNamed(f.Params), "results": results}
}

func jType(t Type) any {
	switch t := t.(type) {
	case *PrimitiveType:
		return obj{t.Kind.String(): nil}
	case *TupleType:
		ts := []any{}
		for _, e := range t.Types {
			ts = append(ts, jType(e))
		}
		return obj{"tuple": []any{ts, nil}}
	case *ListType:
		return obj{"list": []any{jType(t.Elem), nil}}
	case *OptionType:
		return obj{"option": []any{jType(t.Elem), nil}}
	case *ResultType:
		var ok, err any
		if t.Ok != nil {
			ok = jType(t.Ok)
		}
		if t.Err != nil {
			err = jType(t.Err)
		}
		return obj{"result": obj{"ok": ok, "err": err}}
	case *BorrowType:
		return obj{"borrow": []any{jIdent(t.Resource), nil}}
	case *TypeName:
		return obj{"ident": jIdent(t.ID)}
	}
	return nil
}

// stripSpans removes the spans of wac's JSON: "span" keys, and
// {offset, length} objects (spans standing alone) become null.
func stripSpans(v any) any {
	switch v := v.(type) {
	case map[string]any:
		if _, ok := v["offset"]; ok && len(v) == 2 {
			if _, ok := v["length"]; ok {
				return nil
			}
		}
		out := map[string]any{}
		for k, x := range v {
			if k != "span" {
				out[k] = stripSpans(x)
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = stripSpans(x)
		}
		return out
	}
	return v
}
