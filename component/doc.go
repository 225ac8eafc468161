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
//
// [IsComponent] and [IsModule] tell a component from a core module by its
// preamble. [Decode] returns a [Component], whose Sections are in the order
// of the binary (an [ImportSection] holds imports, an [ExportSection]
// exports, a [ModuleSection] a core module's bytes, and so on), or an
// [*Error] saying what is wrong at which byte offset. [Encode] and
// [EncodeTo] write a Component, decoded or built section by section (as
// compose builds one).
//
// The examples list the imports, exports and core modules of a component
// (ExampleDecode), round-trip one (ExampleEncode) and show the error of a
// truncated one (ExampleDecode_error).
package component
