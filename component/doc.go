// Package component reads and writes WebAssembly component binaries
// (component-model design/mvp/Binary.md): Decode turns bytes into a
// Component, a section-by-section model in which core modules stay the
// bytes they were; Encode writes it back with canonical encodings, so that
// components produced by wasm-tools' encoder round-trip byte for byte.
// ParseModule reads what a component needs to know of a core module (its
// types, imports and exports).
//
// It is the codec only: type checking, validation, WIT extraction and
// encoding are package component/check, which reads the Component
// decoded here.
package component
