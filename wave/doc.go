// Package wave reads and writes the WebAssembly Value Encoding (WAVE), the
// text form of component-model values that `wasmtime run --invoke` uses:
// `add(1, 2)`, `{x: 1, y: -2}`, `some("text")`, `[1, 2, 3]`, `{read, write}`.
//
// Both directions are typed: a value is formatted from, and parsed into, the
// dynamic [canonabi.Value] form of a given [wit.Type]. `witc run --invoke`
// parses its call expression with [ParseCall] and prints results with
// [Format].
//
// Reference: the WAVE description of bytecodealliance/wasm-tools
// (crates/wasm-wave, README and EBNF).
package wave
