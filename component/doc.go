// Package component reads and writes WebAssembly component binaries
// (component-model design/mvp/Binary.md): Decode turns bytes into a
// Component, a section-by-section model in which core modules stay the
// bytes they were; Encode writes it back with canonical encodings, so that
// components produced by wasm-tools' encoder round-trip byte for byte.
//
// On top of the syntax, types.go builds the type information of a
// component (every index space, type identities as the component model's
// validation defines them) and wit.go extracts the WIT world a component
// implements, as `wasm-tools component wit` does.
package component
