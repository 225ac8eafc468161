package spectest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// Kind is the kind of a script command.
type Kind int

// The commands of a component WAST script.
const (
	// CmdModule is a component or core module: instantiated at once, or
	// only defined (Module.Definition) for later `component instance`s.
	CmdModule Kind = iota + 1
	// CmdInstance is `(component instance $i $C)`.
	CmdInstance
	// CmdAction is a bare `(invoke ...)`.
	CmdAction
	CmdAssertReturn
	// CmdAssertTrap has an Invoke, or a Module whose instantiation traps.
	CmdAssertTrap
	CmdAssertInvalid
	CmdAssertMalformed
	CmdAssertUnlinkable
	CmdAssertUninstantiable
	// CmdRegister is `(register "name" $id?)`.
	CmdRegister
	// CmdOther is a directive this reader does not model (kept so that
	// it is counted, not dropped).
	CmdOther
)

var kindNames = map[Kind]string{
	CmdModule: "module", CmdInstance: "instance", CmdAction: "action",
	CmdAssertReturn: "assert_return", CmdAssertTrap: "assert_trap",
	CmdAssertInvalid: "assert_invalid", CmdAssertMalformed: "assert_malformed",
	CmdAssertUnlinkable: "assert_unlinkable", CmdAssertUninstantiable: "assert_uninstantiable",
	CmdRegister: "register", CmdOther: "other",
}

func (k Kind) String() string { return kindNames[k] }

// Script is a parsed `.wast` script.
type Script struct {
	Path     string
	Commands []*Command
	// Flags are the `;;! name = value` lines at the top of Wasmtime's
	// scripts, which select engine features (`component_model_async`,
	// `gc`, `hogs_memory`, ...).
	Flags map[string]string
	// Run is wasm-tools' `;; RUN: wast ...` line (continuation lines
	// joined), whose `-f` options select the features of its scripts.
	Run string
}

// runLine reads wasm-tools' `;; RUN: ...` line and the comment lines
// that continue it (after a trailing backslash).
func runLine(src string) string {
	var b strings.Builder
	more := false
	for _, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		text := strings.TrimSpace(strings.TrimPrefix(line, ";;"))
		switch {
		case more && strings.HasPrefix(line, ";;"):
		case strings.HasPrefix(text, "RUN"):
			if b.Len() > 0 {
				return b.String()
			}
		default:
			if b.Len() > 0 || line != "" && !strings.HasPrefix(line, ";;") {
				return b.String()
			}
			continue
		}
		more = strings.HasSuffix(text, "\\")
		b.WriteString(strings.TrimSuffix(text, "\\") + " ")
	}
	return b.String()
}

// flags reads the `;;! name = value` lines before the first directive.
func flags(src string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, ";;!") {
			k, v, _ := strings.Cut(strings.TrimPrefix(line, ";;!"), "=")
			out[strings.TrimSpace(k)] = strings.TrimSpace(v)
			continue
		}
		if line != "" && !strings.HasPrefix(line, ";;") {
			break
		}
	}
	return out
}

// Scope lists the features the script needs that witc's runtime leaves
// out of scope: async, threads, gc, memory64, exceptions (from its folder
// and its flags; multi-memory is not among them, as Wasmtime's scripts
// turn it on more often than they use it).
func (s *Script) Scope() []string {
	on := func(names ...string) bool {
		for _, n := range names {
			if s.Flags[n] == "true" {
				return true
			}
		}
		return false
	}
	var out []string
	// Wasmtime's scripts turn async on for a test or two of a file, so
	// only the async folders count.
	if strings.Contains(s.Path, "/async/") {
		out = append(out, "async")
	}
	if strings.Contains(s.Path, "threading") {
		out = append(out, "threads")
	}
	if strings.Contains(s.Path, "/gc/") || on("gc", "component_model_gc") {
		out = append(out, "gc")
	}
	if on("memory64", "component_model_memory64") {
		out = append(out, "memory64")
	}
	if on("exceptions") || strings.HasSuffix(s.Path, "linking/tags.wast") {
		out = append(out, "exceptions")
	}
	return out
}

// Command is one top-level directive.
type Command struct {
	Kind Kind
	Line int
	// Module of CmdModule and of the assertions on a module.
	Module *Module
	// Invoke of CmdAction, CmdAssertReturn and CmdAssertTrap (nil when
	// an assert_trap is about a module).
	Invoke *Invoke
	// Expected results of CmdAssertReturn.
	Expected []*Const
	// Text is an assertion's expected message.
	Text string
	// Instance and Def name `(component instance $Instance $Def)`;
	// Instance is also the name a CmdRegister registers ("" for the last).
	Instance, Def string
	// As is CmdRegister's name; Head the directive of CmdOther.
	As, Head string
}

// Module is a component or core module of a script.
type Module struct {
	Line int
	// Core is set for a core module (`module`), clear for a component.
	Core bool
	// Name is the module's $id ("" if none).
	Name string
	// Definition marks `(component definition $C ...)`: defined, not
	// instantiated.
	Definition bool
	// Text is the module in the text format (a WAT reader turns it into
	// a binary); Binary is set instead for the `binary` form.
	Text   string
	Binary []byte
	// Quote marks the `quote` form (its text need not even parse).
	Quote bool
}

// Hash names the module's binary in the conversion cache.
func (m *Module) Hash() string {
	sum := sha256.Sum256([]byte(m.Text))
	return hex.EncodeToString(sum[:16])
}

// Invoke is `(invoke $i? "name" args...)`.
type Invoke struct {
	Instance string
	Name     string
	Args     []*Const
}

// ParseScript reads a component WAST script.
func ParseScript(path, src string) (*Script, error) {
	top, err := parseSexprs(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s := &Script{Path: path, Flags: flags(src), Run: strings.TrimSpace(runLine(src))}
	for _, n := range top {
		c, err := command(src, n)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n.line, err)
		}
		s.Commands = append(s.Commands, c)
	}
	return s, nil
}

func command(src string, n *node) (*Command, error) {
	c := &Command{Line: n.line, Head: n.head()}
	switch h := n.head(); h {
	case "component", "module":
		if len(n.kids) >= 2 && n.kids[1].isAtom("instance") {
			if h != "component" || len(n.kids) != 4 || !n.kids[2].isID() || !n.kids[3].isID() {
				return nil, fmt.Errorf("malformed `%s instance`", h)
			}
			c.Kind, c.Instance, c.Def = CmdInstance, n.kids[2].text, n.kids[3].text
			return c, nil
		}
		m, err := module(src, n)
		if err != nil {
			return nil, err
		}
		c.Kind, c.Module = CmdModule, m
	case "invoke":
		inv, err := invoke(n)
		if err != nil {
			return nil, err
		}
		c.Kind, c.Invoke = CmdAction, inv
	case "register":
		if len(n.kids) < 2 || !n.kids[1].str {
			return nil, fmt.Errorf("malformed `register`")
		}
		c.Kind, c.As = CmdRegister, n.kids[1].text
		if len(n.kids) > 2 {
			c.Instance = n.kids[2].text
		}
	case "assert_return":
		if len(n.kids) < 2 || n.kids[1].head() != "invoke" {
			return nil, fmt.Errorf("assert_return without an invoke")
		}
		inv, err := invoke(n.kids[1])
		if err != nil {
			return nil, err
		}
		c.Kind, c.Invoke = CmdAssertReturn, inv
		for _, k := range n.kids[2:] {
			v, err := parseConst(k)
			if err != nil {
				return nil, err
			}
			c.Expected = append(c.Expected, v)
		}
	case "assert_trap", "assert_invalid", "assert_malformed", "assert_unlinkable", "assert_uninstantiable":
		c.Kind = map[string]Kind{"assert_trap": CmdAssertTrap, "assert_invalid": CmdAssertInvalid,
			"assert_malformed": CmdAssertMalformed, "assert_unlinkable": CmdAssertUnlinkable,
			"assert_uninstantiable": CmdAssertUninstantiable}[h]
		if len(n.kids) != 3 || !n.kids[2].str {
			return nil, fmt.Errorf("malformed `%s`", h)
		}
		c.Text = n.kids[2].text
		switch what := n.kids[1]; what.head() {
		case "invoke":
			if c.Kind != CmdAssertTrap {
				return nil, fmt.Errorf("`%s` of an invoke", h)
			}
			inv, err := invoke(what)
			if err != nil {
				return nil, err
			}
			c.Invoke = inv
		case "component", "module":
			m, err := module(src, what)
			if err != nil {
				return nil, err
			}
			c.Module = m
		default:
			return nil, fmt.Errorf("`%s` of `%s`", h, what.head())
		}
	default:
		c.Kind = CmdOther
	}
	return c, nil
}

// module reads `(component|module $id? definition? ...)`, including the
// `binary` and `quote` forms.
func module(src string, n *node) (*Module, error) {
	m := &Module{Line: n.line, Core: n.head() == "module"}
	i := 1
	var def *node
	if i < len(n.kids) && n.kids[i].isAtom("definition") {
		def = n.kids[i]
		m.Definition = true
		i++
	}
	if i < len(n.kids) && n.kids[i].isID() {
		m.Name = n.kids[i].text
		i++
	}
	if def == nil && i < len(n.kids) && n.kids[i].isAtom("definition") {
		def = n.kids[i]
		m.Definition = true
		i++
	}
	if i < len(n.kids) && (n.kids[i].isAtom("binary") || n.kids[i].isAtom("quote")) {
		var b strings.Builder
		for _, k := range n.kids[i+1:] {
			if !k.str {
				return nil, fmt.Errorf("`%s` takes strings", n.kids[i].text)
			}
			b.WriteString(k.text)
		}
		if n.kids[i].isAtom("binary") {
			m.Binary = []byte(b.String())
			m.Text = b.String() // for the hash only
			return m, nil
		}
		m.Quote = true
		head := n.head()
		if m.Name != "" {
			head += " " + m.Name
		}
		m.Text = "(" + head + " " + b.String() + ")"
		return m, nil
	}
	text := src[n.start:n.end]
	if def != nil {
		// `(component definition $C ...)` is `(component $C ...)` to a
		// WAT reader.
		text = src[n.start:def.start] + strings.Repeat(" ", def.end-def.start) + src[def.end:n.end]
	}
	m.Text = text
	return m, nil
}

func invoke(n *node) (*Invoke, error) {
	inv := &Invoke{}
	i := 1
	if i < len(n.kids) && n.kids[i].isID() {
		inv.Instance = n.kids[i].text
		i++
	}
	if i >= len(n.kids) || !n.kids[i].str {
		return nil, fmt.Errorf("invoke without a function name")
	}
	inv.Name = n.kids[i].text
	for _, k := range n.kids[i+1:] {
		v, err := parseConst(k)
		if err != nil {
			return nil, err
		}
		inv.Args = append(inv.Args, v)
	}
	return inv, nil
}

// Modules lists every module of the script in order: those of commands
// and those of assertions.
func (s *Script) Modules() []*Module {
	var out []*Module
	for _, c := range s.Commands {
		if c.Module != nil {
			out = append(out, c.Module)
		}
	}
	return out
}
