package host

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/witc-dev/witc/internal/leb128"
)

// Limits: what a guest may take from the host. A runtime made by
// NewRuntime bounds
//
//   - time, with Options.StopOnContextDone: a guest is stopped when the
//     context of its call (or of its instantiation) is done;
//   - the linear memories of each component instance, all together, with
//     Options.MaxMemory (a wazero memory allocator shared by the instance's
//     core instances counts their pages);
//   - every table, always: its maximum is lowered to
//     Options.MaxTableElements before wazero compiles the module, so that a
//     table.grow past it returns -1 in the guest instead of making the
//     host allocate up to 32 GiB (wazero lets tables grow to 2^32
//     elements, and Go cannot recover from running out of memory);
//   - the call stack, always: wazero's limit (about 50 MB of wasm stack)
//     traps, and TrapError says "call stack exhausted";
//   - the core and component instances one instantiation creates, and the
//     tables and memories its core modules define, always
//     (Options.MaxInstances, MaxTables, MaxMemories; 10 000 each by
//     default, budget.go): a nesting of instantiations is refused before
//     it runs;
//   - the table of resource handles of each component instance, and each
//     host.Table, always (Options.MaxResourceHandles, Table.Max; 2^20 by
//     default): past it resource.new traps;
//   - the time an instantiation takes to compile: a done context stops it
//     between modules and, as far as wazero allows, during a compilation
//     (Runtime.compile).

// DefaultMaxTableElements is the most elements a table may hold when
// Options.MaxTableElements is 0: 2^24, 128 MiB of host memory (wazero
// keeps a pointer per element).
const DefaultMaxTableElements = 1 << 24

// pageSize is the size of a wasm page.
const pageSize = 1 << 16

// MemoryLimitError is the error of an instantiation whose memories would
// need more than Options.MaxMemory from the start (their initial sizes
// together). Growing past the limit later is not an error: memory.grow
// returns -1 in the guest.
type MemoryLimitError struct {
	Limit uint64 // bytes: Options.MaxMemory rounded down to whole pages
	Need  uint64 // bytes: at least what the memories need at instantiation
}

func (e *MemoryLimitError) Error() string {
	return fmt.Sprintf("the component's memories need at least %s at instantiation, more than the memory limit of %s",
		FormatSize(e.Need), FormatSize(e.Limit))
}

// TableLimitError is the error of a module whose table holds more elements
// at instantiation than Options.MaxTableElements.
type TableLimitError struct {
	Limit uint32 // elements
	Need  uint32 // elements: the table's initial size
}

func (e *TableLimitError) Error() string {
	return fmt.Sprintf("a table of %d elements at instantiation is larger than the table limit of %d elements", e.Need, e.Limit)
}

// orDefault is limit v, or def when v is 0 (not set).
func orDefault(v, def uint32) uint32 {
	if v == 0 {
		return def
	}
	return v
}

// FormatSize writes a number of bytes with the largest binary unit that
// divides it (64 MiB, 1088 KiB, 65535 bytes).
func FormatSize(n uint64) string {
	for _, u := range []struct {
		shift uint
		name  string
	}{{40, "TiB"}, {30, "GiB"}, {20, "MiB"}, {10, "KiB"}} {
		if n >= 1<<u.shift && n%(1<<u.shift) == 0 {
			return fmt.Sprintf("%d %s", n>>u.shift, u.name)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}

// MemoryLimitReached reports whether a memory.grow of a guest of this
// runtime was refused because of Options.MaxMemory: a trap that follows
// is then likely the guest running out of memory.
func (rt *Runtime) MemoryLimitReached() bool {
	rt.interpMu.Lock()
	interp := rt.interp
	rt.interpMu.Unlock()
	return rt.memRefused.Load() || interp != nil && interp.MemoryLimitReached()
}

// guardedRuntime is the wazero runtime under a Runtime made by NewRuntime:
// it lowers the tables' maximums of the modules it compiles and turns a
// memory over the limit at instantiation into an error.
type guardedRuntime struct {
	wazero.Runtime
	maxTable uint32
}

func (g *guardedRuntime) CompileModule(ctx context.Context, b []byte) (wazero.CompiledModule, error) {
	b, err := boundTables(b, g.maxTable)
	if err != nil {
		return nil, err
	}
	return g.Runtime.CompileModule(ctx, b)
}

// InstantiateModule instantiates a module; a memory that the instance's
// budget cannot give at instantiation is a MemoryLimitError. (wazero
// requires an allocator to return at least a memory's initial size, so
// the budget panics with the error, which is recovered here: wazero has
// not registered the module yet and holds no lock while it allocates.)
func (g *guardedRuntime) InstantiateModule(ctx context.Context, cm wazero.CompiledModule, cfg wazero.ModuleConfig) (m api.Module, err error) {
	defer func() {
		if p := recover(); p != nil {
			e, ok := p.(*MemoryLimitError)
			if !ok {
				panic(p)
			}
			m, err = nil, e
		}
	}()
	return g.Runtime.InstantiateModule(ctx, cm, cfg)
}

// limitContext returns the context to instantiate a component in: with a
// memory budget of its own when the runtime has a memory limit.
func (rt *Runtime) limitContext(ctx context.Context) context.Context {
	if rt.maxMemory == 0 {
		return ctx
	}
	limit := rt.maxMemory &^ (pageSize - 1) // whole pages
	return experimental.WithMemoryAllocator(ctx, &memoryBudget{limit: limit, refused: rt})
}

// memoryBudget counts the bytes of the linear memories of one component
// instance (all its core instances, nested components included) against a
// limit. It is the wazero memory allocator of their instantiation.
type memoryBudget struct {
	mu      sync.Mutex
	limit   uint64
	used    uint64
	refused *Runtime // told when a growth is refused
}

func (b *memoryBudget) Allocate(_, max uint64) experimental.LinearMemory {
	return &linearMemory{b: b, max: max}
}

// take reserves n more bytes, if the limit allows; it returns the bytes
// in use, including n when they were given.
func (b *memoryBudget) take(n uint64) (uint64, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used+n > b.limit {
		return b.used + n, false
	}
	b.used += n
	return b.used, true
}

func (b *memoryBudget) release(n uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.used -= n
}

// linearMemory is one memory under a budget.
type linearMemory struct {
	b       *memoryBudget
	buf     []byte
	max     uint64 // the memory's maximum size, in bytes
	started bool   // the initial allocation was made
}

// Reallocate grows the memory to size bytes. Beyond the budget it returns
// nil, which memory.grow reports to the guest as -1; the initial
// allocation cannot fail that way (see guardedRuntime.InstantiateModule).
func (m *linearMemory) Reallocate(size uint64) []byte {
	if cur := uint64(len(m.buf)); size > cur {
		need, ok := m.b.take(size - cur)
		if !ok {
			if !m.started {
				panic(&MemoryLimitError{Limit: m.b.limit, Need: need})
			}
			m.b.refused.memRefused.Store(true)
			return nil
		}
	}
	if !m.started || size > uint64(cap(m.buf)) {
		// Room to grow by a quarter, as append would, within the memory's
		// maximum and the limit; make zeroes all of it.
		c := min(max(size, size+size/4), max(m.max, size), max(m.b.limit, size))
		nb := make([]byte, size, c)
		copy(nb, m.buf)
		m.buf, m.started = nb, true
		return nb
	}
	m.buf = m.buf[:size]
	return m.buf
}

func (m *linearMemory) Free() {
	m.b.release(uint64(len(m.buf)))
	m.buf = nil
}

// boundTables returns module b with the maximum of every table it defines
// lowered to limit elements (a module it cannot read is returned as it is:
// wazero reports what is wrong with it). Only the table section changes.
func boundTables(b []byte, limit uint32) ([]byte, error) {
	if len(b) < 8 {
		return b, nil
	}
	for pos := 8; pos < len(b); {
		id := b[pos]
		size, n, err := leb128.Uint32(b[pos+1:])
		start := pos + 1 + n
		if err != nil || uint64(start)+uint64(size) > uint64(len(b)) {
			return b, nil
		}
		end := start + int(size)
		if id == 4 {
			body, err := boundTableSection(b[start:end], limit)
			if err != nil || body == nil {
				return b, err
			}
			out := make([]byte, 0, len(b)+len(body)-int(size)+5)
			out = append(out, b[:pos]...)
			out = append(out, 4)
			out = leb128.AppendUint32(out, uint32(len(body)))
			out = append(out, body...)
			return append(out, b[end:]...), nil
		}
		pos = end
	}
	return b, nil
}

var errUnread = errors.New("cannot read the table section")

// boundTableSection rewrites a table section's contents with every
// maximum at most limit; nil when nothing changes or it cannot be read.
func boundTableSection(body []byte, limit uint32) ([]byte, error) {
	count, pos, err := leb128.Uint32(body)
	if err != nil {
		return nil, nil
	}
	out := append([]byte(nil), body[:pos]...)
	changed := false
	for range count {
		t, err := readTable(body, pos)
		if err != nil {
			return nil, nil
		}
		if t.min > limit {
			return nil, &TableLimitError{Limit: limit, Need: t.min}
		}
		if t.hasMax && t.max <= limit {
			out = append(out, body[pos:t.end]...)
		} else {
			changed = true
			out = append(out, body[pos:t.limits]...) // the initializer's prefix, the element type
			out = append(out, 0x01)
			out = leb128.AppendUint32(out, t.min)
			out = leb128.AppendUint32(out, limit)
			out = append(out, body[t.limitsEnd:t.end]...) // the initializer, if any
		}
		pos = t.end
	}
	if !changed || pos != len(body) {
		return nil, nil
	}
	return out, nil
}

// tableEntry is where the parts of a table type are in a table section.
type tableEntry struct {
	limits, limitsEnd, end int // where the limits start and end, where the entry ends
	min, max               uint32
	hasMax                 bool
}

// readTable reads the table type at pos.
func readTable(b []byte, pos int) (t tableEntry, err error) {
	init := pos+1 < len(b) && b[pos] == 0x40 && b[pos+1] == 0x00
	if init {
		pos += 2
	}
	if pos, err = skipValType(b, pos); err != nil {
		return t, err
	}
	if pos >= len(b) || b[pos] > 0x01 { // shared or 64-bit: wazero refuses them
		return t, errUnread
	}
	t.limits, t.hasMax = pos, b[pos] == 0x01
	pos++
	var n int
	if t.min, n, err = leb128.Uint32(b[pos:]); err != nil {
		return t, err
	}
	pos += n
	if t.hasMax {
		if t.max, n, err = leb128.Uint32(b[pos:]); err != nil {
			return t, err
		}
		pos += n
	}
	t.limitsEnd = pos
	if init {
		pos, err = skipConstExpr(b, pos)
	}
	t.end = pos
	return t, err
}

// skipValType skips a value type: one byte, or (ref null? heaptype).
func skipValType(b []byte, pos int) (int, error) {
	if pos >= len(b) {
		return 0, errUnread
	}
	if c := b[pos]; c != 0x63 && c != 0x64 {
		return pos + 1, nil
	}
	_, n, err := leb128.Int33(b[pos+1:])
	return pos + 1 + n, err
}

// skipConstExpr skips a constant expression up to and including its end,
// reading the instructions wazero accepts in one.
func skipConstExpr(b []byte, pos int) (int, error) {
	for pos < len(b) {
		op := b[pos]
		pos++
		var n int
		var err error
		switch op {
		case 0x0b: // end
			return pos, nil
		case 0x41, 0x42, 0x23, 0xd2: // i32.const, i64.const, global.get, ref.func
			n, err = lebLen(b[pos:])
		case 0xd0: // ref.null heaptype
			_, n, err = leb128.Int33(b[pos:])
		case 0x43:
			n = 4
		case 0x44:
			n = 8
		case 0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e: // extended constants
		case 0xfd: // v128.const
			if pos >= len(b) || b[pos] != 0x0c {
				return 0, errUnread
			}
			n = 17
		default:
			return 0, errUnread
		}
		if err != nil {
			return 0, err
		}
		pos += n
	}
	return 0, errUnread
}

// lebLen measures one LEB128 number of up to 10 bytes.
func lebLen(b []byte) (int, error) {
	for i := 0; i < len(b) && i < 10; i++ {
		if b[i]&0x80 == 0 {
			return i + 1, nil
		}
	}
	return 0, errUnread
}

// isStackOverflow reports whether err is wazero's trap for a call stack
// that grew past its limit (an error of an internal type, known by its
// text).
func isStackOverflow(err error) bool {
	for ; err != nil; err = errors.Unwrap(err) {
		if err.Error() == "stack overflow" {
			return true
		}
	}
	return false
}
