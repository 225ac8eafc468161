// Package wit is the resolved model of WIT: packages, interfaces, worlds,
// type definitions and functions, as produced by package resolver from source
// and by package component from binaries. It is the hub of witc: every other
// package that works with WIT meets here.
//
// The model mirrors wit-parser's Resolve: four arenas (worlds, interfaces,
// types, packages) whose slice position is the item's ID, with pointers
// between items for ordinary Go use. The JSON encoding (see [Resolve.MarshalJSON])
// follows wit-parser's schema exactly, and the printer ([Print]) writes WIT text.
//
// Spec: WebAssembly/component-model design/mvp/WIT.md.
package wit
