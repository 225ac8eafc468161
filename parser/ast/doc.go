// Package ast is the syntax tree of WIT source, as written: the output of
// package parser and the input of package resolver.
//
// Nodes keep the byte span of what they were parsed from (see package diag),
// identifiers are stored unescaped (`%record` is stored as "record"), and
// nothing is resolved: a [NamedType] is just a name. The grammar is the one in
// WebAssembly/component-model design/mvp/WIT.md.
package ast
