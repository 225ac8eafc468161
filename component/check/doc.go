// Package check type-checks component binaries and builds on the result.
//
// Package component decodes the syntax; Component computes what the
// component model's validation defines on top of it: the type of every
// index space, type identities (a type definition is a new type, `(eq T)`
// is an alias, importing an instance type or instantiating a component
// gives its resources fresh identities), subtyping of instantiation
// arguments and ascribed exports, the core signatures and options of
// canonical functions (through package canonabi), and the grammar and
// uniqueness of import and export names. Its result, Types, is what the
// rest of the toolchain reads:
//
//   - WIT extraction: Types.WIT and DecodeWIT give the world a component
//     implements, as `wasm-tools component wit` does (loader, `witc wit`);
//   - WIT encoding: EncodeWIT writes a package as a binary WIT package,
//     EncodeImports a world's imports as component sections (compose);
//   - linking: compose matches the imports and exports it lists;
//   - running: host instantiates a component with the index spaces
//     computed here instead of typing it a second time;
//   - Validate and Inspect, for `witc validate` and `witc inspect`.
//
// In the pipeline: component.Decode → check.Component → compose, host,
// loader.
//
// Most programs start from a binary's bytes: [Validate] checks it as `witc
// validate` does ([ValidateFeatures] accepts proposals beyond wasmparser's
// defaults), [DecodeWIT] gives the WIT it implements, [Inspect] describes
// it. Given a decoded component.Component, [Component] returns its
// [Types]: the imports and exports ([Types.Imports], [Types.Exports]),
// their WIT ([Types.WIT]) and each definition's index spaces
// ([Types.Spaces]). A [Session] checks components and then compositions
// that nest them as they are without checking them again (compose). The
// examples validate a component and a truncated one
// (ExampleValidate), extract WIT (ExampleDecodeWIT), list exports with
// their WIT types (ExampleComponent) and inspect one (ExampleInspect).
//
// Spec: WebAssembly/component-model design/mvp/Explainer.md, sections
// [Index spaces], [Type definitions] with [Type checking], [Canonical
// definitions] and [Import and export definitions]; Binary.md, the same
// sections of the binary format ([Binary.md]).
//
// [Index spaces]: https://github.com/WebAssembly/component-model/blob/main/design/mvp/Explainer.md#index-spaces
// [Type definitions]: https://github.com/WebAssembly/component-model/blob/main/design/mvp/Explainer.md#type-definitions
// [Type checking]: https://github.com/WebAssembly/component-model/blob/main/design/mvp/Explainer.md#type-checking
// [Canonical definitions]: https://github.com/WebAssembly/component-model/blob/main/design/mvp/Explainer.md#canonical-definitions
// [Import and export definitions]: https://github.com/WebAssembly/component-model/blob/main/design/mvp/Explainer.md#import-and-export-definitions
// [Binary.md]: https://github.com/WebAssembly/component-model/blob/main/design/mvp/Binary.md
package check
