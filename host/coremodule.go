package host

import (
	"errors"
	"fmt"

	"github.com/tetratelabs/wazero"
	"github.com/witc-dev/witc/internal/leb128"
)

// A component's core modules go to wazero as they are, with two
// exceptions, both decided here before wazero sees a module:
//
//   - The core spec allows an empty import module name, and
//     wit-component's fixup modules import from "", but wazero refuses
//     the name. The import section is rewritten with another name (the
//     rest of the module stays byte for byte the same), and the module's
//     instantiation maps that name back to the argument "" (witc wires
//     core instances itself, so nothing else sees the name).
//   - Features wazero cannot run are refused with the feature's name
//     instead of a decoding error: several memories (multi-memory),
//     64-bit memories and tables (memory64), custom page sizes. A
//     feature whose flag is off (threads) and legacy exception handling
//     wazero names itself ("feature \"threads\" is disabled", "legacy
//     exception handling instruction 0x6 not supported").

// emptyModuleName is the prefix of the name that replaces an empty import
// module name; a number is added when a module already imports from it.
const emptyModuleName = "witc:empty"

// unsupportedFeature is a core feature that wazero cannot run.
type unsupportedFeature struct {
	feature string // the proposal's name
	why     string // what in the module needs it
}

func (e *unsupportedFeature) Error() string {
	return fmt.Sprintf("feature %q is not supported by wazero, the runtime witc runs components on (%s)", e.feature, e.why)
}

// prepareModule checks module b for the features wazero cannot run and
// renames an empty import module name. It returns the module to compile
// (b itself when nothing was renamed) and the name that stands for "" in
// its imports ("" when none).
func prepareModule(b []byte) ([]byte, string, error) {
	if len(b) < 8 {
		return b, "", nil // wazero reports it
	}
	var imports []coreImport
	var importSec struct{ hdr, start, end int } // the import section: its id's offset, its contents
	mems := 0
	pos := 8
	for pos < len(b) {
		id := b[pos]
		size, n, err := leb128.Uint32(b[pos+1:])
		if err != nil || uint64(pos+1+n)+uint64(size) > uint64(len(b)) {
			return b, "", nil // malformed: wazero reports it
		}
		body := b[pos+1+n : pos+1+n+int(size)]
		switch id {
		case 2:
			importSec.hdr, importSec.start, importSec.end = pos, pos+1+n, pos+1+n+int(size)
			if imports, err = readImports(body); err != nil {
				return b, "", nil
			}
			for _, im := range imports {
				if im.kind == 2 {
					if err := checkLimits(im.flags, fmt.Sprintf("memory %d", mems)); err != nil {
						return nil, "", err
					}
					mems++
				}
				if im.kind == 1 && im.flags&0x04 != 0 {
					return nil, "", &unsupportedFeature{"memory64", "an imported table has 64-bit indices"}
				}
			}
		case 4:
			for _, f := range tableFlags(body) {
				if f&0x04 != 0 {
					return nil, "", &unsupportedFeature{"memory64", "a table has 64-bit indices"}
				}
			}
		case 5:
			count, n, err := leb128.Uint32(body)
			if err != nil {
				return b, "", nil
			}
			if count > 0 && n < len(body) {
				if err := checkLimits(body[n], fmt.Sprintf("memory %d", mems)); err != nil {
					return nil, "", err
				}
			}
			mems += int(count)
		}
		pos += 1 + n + int(size)
	}
	if mems > 1 {
		return nil, "", &unsupportedFeature{"multi-memory", fmt.Sprintf("the module has %d memories; wazero runs modules with one at most", mems)}
	}
	return renameEmpty(b, importSec.hdr, importSec.start, importSec.end, imports)
}

// checkLimits refuses a memory whose limits need a feature wazero lacks.
func checkLimits(flags byte, what string) error {
	switch {
	case flags&0x04 != 0:
		return &unsupportedFeature{"memory64", what + " has 64-bit addresses"}
	case flags&0x08 != 0:
		return &unsupportedFeature{"custom-page-sizes", what + " has a custom page size"}
	}
	return nil
}

// coreImport is one entry of an import section: where it starts and
// where its module name ends, in the section's contents.
type coreImport struct {
	start, nameEnd, end int
	module              string
	kind                byte
	flags               byte // tables and memories: the limits' flags
}

var errTruncated = errors.New("truncated")

// readImports reads an import section's entries.
func readImports(body []byte) ([]coreImport, error) {
	count, pos, err := leb128.Uint32(body)
	if err != nil {
		return nil, err
	}
	var out []coreImport
	for i := uint32(0); i < count; i++ {
		im := coreImport{start: pos}
		var mod string
		if mod, pos, err = readName(body, pos); err != nil {
			return nil, err
		}
		im.module, im.nameEnd = mod, pos
		if _, pos, err = readName(body, pos); err != nil {
			return nil, err
		}
		if pos >= len(body) {
			return nil, errTruncated
		}
		im.kind = body[pos]
		pos++
		switch im.kind {
		case 0: // func: type index
			pos, err = skipLEB(body, pos)
		case 1: // table: reftype, limits
			if pos, err = skipRefType(body, pos); err == nil && pos < len(body) {
				im.flags = body[pos]
				pos, err = skipLimits(body, pos)
			}
		case 2: // memory: limits
			if pos < len(body) {
				im.flags = body[pos]
			}
			pos, err = skipLimits(body, pos)
		case 3: // global: valtype, mutability
			if pos, err = skipRefType(body, pos); err == nil {
				pos++
			}
		case 4: // tag: attribute, type index
			pos, err = skipLEB(body, pos+1)
		default:
			return nil, fmt.Errorf("import kind %#x", im.kind)
		}
		if err != nil {
			return nil, err
		}
		if pos > len(body) {
			return nil, errTruncated
		}
		im.end = pos
		out = append(out, im)
	}
	return out, nil
}

func readName(b []byte, pos int) (string, int, error) {
	n, k, err := leb128.Uint32(b[min(pos, len(b)):])
	if err != nil {
		return "", 0, err
	}
	pos += k
	if uint64(pos)+uint64(n) > uint64(len(b)) {
		return "", 0, errTruncated
	}
	return string(b[pos : pos+int(n)]), pos + int(n), nil
}

// skipLEB skips one LEB128 number (signed or not, up to 10 bytes).
func skipLEB(b []byte, pos int) (int, error) {
	for i := 0; i < 10; i++ {
		if pos >= len(b) {
			return 0, errTruncated
		}
		c := b[pos]
		pos++
		if c&0x80 == 0 {
			return pos, nil
		}
	}
	return 0, errors.New("LEB128 number too long")
}

// skipRefType skips a value type: one byte, or (ref null? ht) with its
// heap type.
func skipRefType(b []byte, pos int) (int, error) {
	if pos >= len(b) {
		return 0, errTruncated
	}
	c := b[pos]
	pos++
	if c == 0x63 || c == 0x64 {
		return skipLEB(b, pos)
	}
	return pos, nil
}

// skipLimits skips a table's or memory's limits.
func skipLimits(b []byte, pos int) (int, error) {
	if pos >= len(b) {
		return 0, errTruncated
	}
	flags := b[pos]
	pos, err := skipLEB(b, pos+1) // min
	if err == nil && flags&0x01 != 0 {
		pos, err = skipLEB(b, pos) // max
	}
	if err == nil && flags&0x08 != 0 {
		pos, err = skipLEB(b, pos) // page size
	}
	return pos, err
}

// tableFlags returns the limits' flags of the tables of a table section,
// up to the first one with an initializer (a constant expression, which
// this scan does not read).
func tableFlags(body []byte) []byte {
	count, pos, err := leb128.Uint32(body)
	if err != nil {
		return nil
	}
	var out []byte
	for i := uint32(0); i < count; i++ {
		init := pos < len(body) && body[pos] == 0x40
		if init {
			pos += 2 // 0x40 0x00
		}
		if pos, err = skipRefType(body, pos); err != nil || pos >= len(body) {
			return out
		}
		out = append(out, body[pos])
		if pos, err = skipLimits(body, pos); err != nil || init {
			return out
		}
	}
	return out
}

// renameEmpty rewrites the module names of the imports from "" to a name
// no other import uses; only the import section changes.
func renameEmpty(b []byte, hdr, secStart, secEnd int, imports []coreImport) ([]byte, string, error) {
	used := map[string]bool{}
	empty := false
	for _, im := range imports {
		used[im.module] = true
		empty = empty || im.module == ""
	}
	if !empty {
		return b, "", nil
	}
	as := emptyModuleName
	for i := 1; used[as]; i++ {
		as = fmt.Sprintf("%s-%d", emptyModuleName, i)
	}
	body := b[secStart:secEnd]
	var nb []byte
	last := 0
	for _, im := range imports {
		if im.module != "" {
			continue
		}
		nb = append(nb, body[last:im.start]...)
		nb = appendName(nb, as)
		last = im.nameEnd
	}
	nb = append(nb, body[last:]...)
	out := make([]byte, 0, len(b)+len(nb)-len(body)+5)
	out = append(out, b[:hdr]...)
	out = appendSection(out, 2, nb)
	out = append(out, b[secEnd:]...)
	return out, as, nil
}

// coreModule is a core module of a component, compiled.
type coreModule struct {
	compiled wazero.CompiledModule
	// emptyAs is the name that stands for the import module name "" in
	// compiled ("" when the module imports nothing from "").
	emptyAs string
	// counts are the tables and memories the module defines.
	counts counts
}
