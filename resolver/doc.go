// Package resolver turns parsed WIT (package parser/ast) into the resolved
// model of package wit: the second stage of the WIT pipeline.
//
// It follows wit-parser's semantics and creation order exactly, so that the
// resulting arenas (and so wit.WriteJSON's output) are index-for-index those
// of `wasm-tools component wit --json`:
//
//  1. Packages of all groups are sorted by name and added dependencies first.
//  2. For each package, its interfaces and worlds are ordered topologically
//     by `use` (pkg.go); types are created use-aliases first, then named
//     definitions in topological order, each preceded by the anonymous types
//     it needs (interned per package); functions after types.
//  3. The package is pushed into the Resolve (push.go): items gated by a
//     disabled feature are dropped, references to resources become lazily
//     created `own` handles, world includes are merged and worlds are
//     elaborated with the interfaces they depend on (world.go).
//
// Errors are reported as diagnostics at the smallest span; resolution of a
// package continues past errors where it can.
package resolver
