package canonabi

import "github.com/witc-dev/witc/wit"

// StringEncoding is the `string-encoding` canonical option.
type StringEncoding uint8

const (
	UTF8 StringEncoding = iota
	UTF16
	Latin1UTF16 // latin1+utf16: the high bit of the length tags UTF-16
)

func (e StringEncoding) String() string {
	switch e {
	case UTF16:
		return "utf16"
	case Latin1UTF16:
		return "latin1+utf16"
	}
	return "utf8"
}

// Memory is a guest's linear memory. wazero's api.Memory satisfies it.
// Read returns a view of the memory, not a copy: the static helpers write
// through it.
type Memory interface {
	Read(offset, byteCount uint32) ([]byte, bool)
	Write(offset uint32, v []byte) bool
	Size() uint32
}

// HandleOps translates handles between a guest's handle table and the
// values a host works with (see CanonicalABI.md lift_own, lift_borrow,
// lower_own, lower_borrow). A nil HandleOps passes handle indices through
// unchanged as [Handle] values.
type HandleOps interface {
	LiftHandle(h *wit.Handle, index uint32) (Value, error)
	LowerHandle(h *wit.Handle, v Value) (uint32, error)
}

// AsyncHandleOps is implemented by a HandleOps that also transfers the
// readable ends of streams and futures (CanonicalABI.md lift_stream,
// lift_future, lower_stream, lower_future); k is the *wit.Stream or
// *wit.Future. Without it, their indices pass through as [Handle] values.
type AsyncHandleOps interface {
	LiftAsync(k wit.TypeDefKind, index uint32) (Value, error)
	LowerAsync(k wit.TypeDefKind, v Value) (uint32, error)
}

func (cx *Cx) liftAsync(k wit.TypeDefKind, i uint32) (Value, error) {
	if ops, ok := cx.Handles.(AsyncHandleOps); ok {
		return ops.LiftAsync(k, i)
	}
	return Handle(i), nil
}

func (cx *Cx) lowerAsync(k wit.TypeDefKind, v Value) (uint32, error) {
	if ops, ok := cx.Handles.(AsyncHandleOps); ok {
		return ops.LowerAsync(k, v)
	}
	h, ok := v.(Handle)
	if !ok {
		return 0, typeError("handle", v)
	}
	return uint32(h), nil
}

// ErrorContextOps is implemented by a HandleOps that also translates
// error-context values between a guest's handle table and the host
// (CanonicalABI.md lift_error_context, lower_error_context): an
// error-context is shared, so lifting leaves the handle in the table and
// lowering adds a new handle to the same error-context. Without it,
// their indices pass through as [Handle] values.
type ErrorContextOps interface {
	LiftErrorContext(index uint32) (Value, error)
	LowerErrorContext(v Value) (uint32, error)
}

func (cx *Cx) liftErrorContext(i uint32) (Value, error) {
	if ops, ok := cx.Handles.(ErrorContextOps); ok {
		return ops.LiftErrorContext(i)
	}
	return Handle(i), nil
}

func (cx *Cx) lowerErrorContext(v Value) (uint32, error) {
	if ops, ok := cx.Handles.(ErrorContextOps); ok {
		return ops.LowerErrorContext(v)
	}
	h, ok := v.(Handle)
	if !ok {
		return 0, typeError("handle", v)
	}
	return uint32(h), nil
}

// Cx is the call context of one lift or lower: the guest's memory and the
// canonical options of the function.
type Cx struct {
	Memory   Memory
	Encoding StringEncoding
	// Realloc calls the guest's realloc(old_ptr, old_size, align, new_size).
	// Required to lower strings and lists (and to pass values in memory).
	Realloc func(oldPtr, oldSize, align, newSize uint32) (uint32, error)
	Handles HandleOps
	// Source is the context the values lowered with cx were lifted in,
	// in a call between components (nil: values of the host). Strings
	// are transcoded from its encoding as CanonicalABI.md's
	// store_string_into_range does, which decides the realloc calls.
	Source *Cx

	// lifted counts the bytes of the strings and lists lifted since the
	// call began (see charge).
	lifted uint64
	// utf16 holds the strings lifted from latin1+utf16 with the UTF-16
	// tag, by their data (how a latin1+utf16 source encoded each string
	// decides how it is stored again).
	utf16 map[*byte]bool
	// bx, set once a long list is lifted, boxes lifted values from slabs
	// (see box.go).
	bx *boxes
}

// Reset starts a new call with a Cx that is reused: it forgets what the
// last call lifted.
func (cx *Cx) Reset() { cx.lifted, cx.utf16, cx.Source = 0, nil, nil }

// charge counts n more bytes of lifted strings and lists and traps when a
// call lifts more than 8 times the guest's memory (plus 1 MiB): lists and
// strings that point at the same memory again and again would otherwise
// make a small guest allocate gigabytes in the host.
func (cx *Cx) charge(n uint64) error {
	cx.lifted += n
	var size uint64
	if cx.Memory != nil {
		size = uint64(cx.Memory.Size())
	}
	if limit := 8*size + 1<<20; cx.lifted > limit {
		return trapf("the strings and lists lifted in this call would take more than %d bytes (8 times the guest's memory, plus 1 MiB)", limit)
	}
	return nil
}

// Limits from the specification.
const (
	MaxStringByteLength = 1<<28 - 1
	MaxListByteLength   = 1<<28 - 1
	utf16Tag            = 1 << 31
)

func (cx *Cx) read(ptr, n uint32) ([]byte, error) {
	if cx.Memory == nil {
		return nil, trapf("no memory to read %d bytes at %#x from", n, ptr)
	}
	b, ok := cx.Memory.Read(ptr, n)
	if !ok {
		return nil, trapf("out-of-bounds read of %d bytes at %#x (memory size %#x)", n, ptr, cx.Memory.Size())
	}
	return b, nil
}

func (cx *Cx) write(ptr uint32, b []byte) error {
	if cx.Memory == nil {
		return trapf("no memory to write %d bytes at %#x to", len(b), ptr)
	}
	if !cx.Memory.Write(ptr, b) {
		return trapf("out-of-bounds write of %d bytes at %#x (memory size %#x)", len(b), ptr, cx.Memory.Size())
	}
	return nil
}

// allocate calls realloc(0, 0, align, size) and checks the result.
func (cx *Cx) allocate(align, size uint32) (uint32, error) {
	return cx.reallocate(0, 0, align, size)
}

// reallocate calls realloc(ptr, oldSize, align, newSize) and checks that
// newSize bytes at the result are aligned and in bounds.
func (cx *Cx) reallocate(ptr, oldSize, align, newSize uint32) (uint32, error) {
	if cx.Realloc == nil {
		return 0, trapf("a realloc function is required to allocate %d bytes", newSize)
	}
	p, err := cx.Realloc(ptr, oldSize, align, newSize)
	if err != nil {
		return 0, err
	}
	if p != AlignTo(p, align) {
		return 0, trapf("realloc returned %#x, which is not %d-aligned", p, align)
	}
	if cx.Memory == nil || uint64(p)+uint64(newSize) > uint64(cx.Memory.Size()) {
		return 0, trapf("realloc returned %#x, and %d bytes there are out of bounds", p, newSize)
	}
	return p, nil
}
