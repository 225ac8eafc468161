// Package canonabi implements the Canonical ABI of the Component Model for
// the types of package wit: despecialization, size and alignment in linear
// memory, flattening into core WebAssembly value types, and the core
// signatures of lifted and lowered functions.
//
// It sits between the resolved model (package wit) and everything that moves
// values across the component boundary: the validator checks core function
// types against [Signature], the host runtime lifts and lowers values with
// the layouts computed here, and bindgen generates specialized code from them.
//
// Spec: WebAssembly/component-model design/mvp/CanonicalABI.md (sections
// Despecialization, Alignment, Element Size, Flattening) and its executable
// reference canonical-abi/definitions.py.
//
// # Differences from the specification
//
//   - Only 32-bit memories are supported (pointers are i32).
//   - Flags with more than 32 labels, which the current specification no
//     longer allows, are laid out as wit-parser and Wasmtime do: one u32 per
//     32 labels. Empty flags and records (invalid in a component) get size 0
//     and flatten to nothing instead of failing.
//   - A lifted list's length limit counts zero-size elements as one byte, so
//     that a guest cannot make the host allocate billions of empty values.
//   - One call may lift at most 8 times the guest's memory (plus 1 MiB) of
//     strings and lists: values that point at the same memory many times
//     over trap instead of making the host allocate gigabytes.
//   - Lowered strings are encoded in Go and allocated with a single realloc
//     call of their exact size, rather than the specification's
//     worst-case-then-shrink sequence of realloc calls.
//   - Lowered NaNs are the canonical NaN (the deterministic profile).
package canonabi
