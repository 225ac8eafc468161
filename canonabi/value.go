package canonabi

import "fmt"

// Value is a component-model value in its dynamic Go form, as the host's
// dynamic API and `witc run --invoke` use it. Which Go type holds a value
// depends on its WIT type:
//
//	bool                          bool
//	u8 u16 u32 u64                uint8 uint16 uint32 uint64
//	s8 s16 s32 s64                int8 int16 int32 int64
//	f32 f64                       float32 float64
//	char                          Char
//	string                        string
//	list<T>, list<T, N>           List (a []byte is lowered as a list<u8> too)
//	map<K, V>                     List of Tuple{k, v}
//	record                        Record (fields in declaration order)
//	tuple                         Tuple
//	variant, enum, option, result Variant (Case is the case index: option none=0 some=1,
//	                              result ok=0 err=1; Payload nil when the case has none)
//	flags                         Flags (bit i of word i/32 is label i)
//	own, borrow, future, stream,
//	error-context                 Handle (after HandleOps, if any, translated it)
type Value any

// Char is a Unicode scalar value (WIT `char`).
type Char rune

// List is a list value.
type List []Value

// Record is a record value; fields are in declaration order.
type Record []Value

// Tuple is a tuple value.
type Tuple []Value

// Variant is the value of a variant, enum, option or result.
type Variant struct {
	Case    uint32
	Payload Value
}

// Flags is a flags value: one bit per label, 32 labels per word.
type Flags []uint32

// Has reports whether flag i is set.
func (f Flags) Has(i int) bool { return i/32 < len(f) && f[i/32]&(1<<(i%32)) != 0 }

// Handle is a resource, future, stream or error-context handle.
type Handle uint32

// Trap is a failure of the canonical ABI caused by the guest: an
// out-of-bounds pointer, an invalid char, a bad discriminant and so on.
// Calling into a component that trapped is an error; the instance must not
// be used again.
type Trap struct {
	Reason string
}

func (t *Trap) Error() string { return "trap: " + t.Reason }

func trapf(format string, args ...any) error {
	return &Trap{Reason: fmt.Sprintf(format, args...)}
}

// typeError reports a Go value that does not match the WIT type it is
// lowered as: a bug in the host program, not in the guest.
func typeError(want string, v Value) error {
	return fmt.Errorf("canonabi: cannot lower %T as %s", v, want)
}
