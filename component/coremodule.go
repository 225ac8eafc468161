package component

// ModuleInfo is what a component needs to know of a core module: its
// function types, imports and exports. Function bodies are never read.
type ModuleInfo struct {
	Types    []CoreFuncType
	Imports  []ModuleImport
	Funcs    []uint32 // type index of each function, imported ones first
	Memories int      // imported and defined
	Tables   int
	Globals  int
	Exports  []ModuleExport
}

// ModuleImport is one import of a core module.
type ModuleImport struct {
	Module, Name string
	Kind         byte   // 0 func, 1 table, 2 memory, 3 global, 4 tag
	Type         uint32 // func and tag: type index
}

// ModuleExport is one export of a core module.
type ModuleExport struct {
	Name  string
	Kind  byte // 0 func, 1 table, 2 memory, 3 global, 4 tag
	Index uint32
}

// ParseModule reads the type, import, function, table, memory, global and
// export sections of a core module.
func ParseModule(b []byte) (*ModuleInfo, error) {
	r := &reader{b: b}
	if !IsModule(b) {
		return nil, r.errf("not a core WebAssembly module")
	}
	r.pos = 8
	m := &ModuleInfo{}
	if err := r.sections(m.section); err != nil {
		return nil, err
	}
	return m, nil
}

// section reads one section of a core module into m.
func (m *ModuleInfo) section(id byte, sr *reader) error {
	switch id {
	case 1:
		return vec(sr, func() error {
			t, err := moduleRecType(sr)
			if err != nil {
				return err
			}
			m.Types = append(m.Types, t)
			return nil
		})
	case 2:
		return vec(sr, func() error {
			var im ModuleImport
			var err error
			if im.Module, err = sr.str(); err != nil {
				return err
			}
			if im.Name, err = sr.str(); err != nil {
				return err
			}
			x, err := coreExtern(sr)
			if err != nil {
				return err
			}
			im.Kind, im.Type = x.Kind, x.Index
			m.Imports = append(m.Imports, im)
			switch x.Kind {
			case 0:
				m.Funcs = append(m.Funcs, x.Index)
			case 1:
				m.Tables++
			case 2:
				m.Memories++
			case 3:
				m.Globals++
			}
			return nil
		})
	case 3:
		return vec(sr, func() error {
			t, err := sr.u32()
			m.Funcs = append(m.Funcs, t)
			return err
		})
	case 4, 5, 6:
		n, err := sr.count()
		if err != nil {
			return err
		}
		switch id {
		case 4:
			m.Tables += n
		case 5:
			m.Memories += n
		case 6:
			m.Globals += n
		}
		sr.pos = len(sr.b) // their contents are not needed
	case 7:
		return vec(sr, func() error {
			var ex ModuleExport
			var err error
			if ex.Name, err = sr.str(); err != nil {
				return err
			}
			if ex.Kind, err = sr.byte(); err != nil {
				return err
			}
			if ex.Kind > 4 {
				return sr.errf("invalid export kind %#x", ex.Kind)
			}
			ex.Index, err = sr.u32()
			m.Exports = append(m.Exports, ex)
			return err
		})
	default:
		sr.pos = len(sr.b)
	}
	return nil
}

// moduleRecType reads one entry of a module's type section. Only function
// types are understood; other (GC) types are recorded as empty function
// types so that indices stay right.
func moduleRecType(r *reader) (CoreFuncType, error) {
	c, err := r.byte()
	if err != nil {
		return CoreFuncType{}, err
	}
	if c != 0x60 {
		r.pos--
		return CoreFuncType{}, r.errf("unsupported core type form %#x in module (only function types are supported)", c)
	}
	var f CoreFuncType
	err = coreFuncType(r, &f)
	return f, err
}
