// Package parser turns WIT source text into the syntax tree of package
// parser/ast: the first stage of witc's WIT pipeline (parser → resolver →
// wit.Resolve).
//
// A hand-written lexer produces the tokens (keywords, %-escaped identifiers,
// versions, nested block comments, which are kept for doc comments), and a
// participle grammar (grammar.go, never exported) parses them. The grammar is
// LL(1), so participle runs without backtracking beyond one token and a
// syntax error is reported at the token where wit-parser reports it.
// Lowering to ast then checks what the grammar cannot: identifier rules,
// attribute arguments, fixed-length list sizes, package and type nesting
// limits.
//
// Spec: WebAssembly/component-model design/mvp/WIT.md.
package parser
