// Package wac parses WAC composition documents (the language of
// bytecodealliance/wac: a WIT subset plus import, let and export
// statements) into a syntax tree: the first stage of `witc compose app.wac`
// (parse → resolve packages → composition graph → component).
//
// [ParseFile] (with a [diag.Report], as package parser for WIT) and
// [Parse] (returning a [diag.List]) read one document. A hand-written lexer
// produces the tokens (keywords, %-escaped identifiers, strings, versions,
// `///` doc comments; `//` and nested `/* */` comments are skipped) and a
// participle grammar (grammar.go, never exported) parses them; lowering
// then checks versions (semver) and that records, variants, flags and enums
// are not empty. A syntax error names every token the grammar accepts
// there, as wac does: "expected `;`, found end of input".
//
// # The tree
//
// A [Document] has the package directive (Name, Targets) and Statements,
// each a [Statement]:
//
//   - [Import]: `import id (as name)? : type;`, Type an [ImportType]
//     (*[PackagePath], *[FuncType], *[InlineInterface] or *[Ident]).
//   - [Let]: `let id = expr;`.
//   - [Export]: `export expr (as name | ...)?;`.
//   - type statements: *[InterfaceDecl], *[WorldDecl], and the type
//     declarations *[VariantDecl], *[RecordDecl], *[FlagsDecl], *[EnumDecl],
//     *[TypeAlias].
//
// An [Expr] is a [PrimaryExpr] (*[NewExpr], *[NestedExpr] or *[Ident], a
// local name) followed by [Postfix] accesses (*[AccessExpr] `.id`,
// *[NamedAccessExpr] `["name"]`). A [NewExpr] instantiates a
// [PackageName] with [Arg]s: *[InferredArg] `id`, *[SpreadArg] `...id`,
// *[NamedArg] `name: expr` and *[FillArg] `...` (accepted anywhere in the
// list; that it comes last is for resolution to check).
//
// Interfaces hold [InterfaceItem]s (*[Use], *[InterfaceExport], a
// [TypeDecl]); worlds hold [WorldItem]s (*[Use], *[WorldImport],
// *[WorldExport], *[Include], a [TypeDecl]). Value types are [Type]s.
// Names given as an identifier or a string are a [Name] (Quoted tells
// which).
//
// Every node has a [diag.Span] (Pos), so that later stages report errors
// at `path:line:col`; identifiers are stored without their '%'; documented
// nodes have [Docs] (the `///` comments before them). Nothing is resolved:
// an [Ident] or [TypeName] is just a name.
//
// The language is described in wac's LANGUAGE.md (in the conformance data
// beside the repository, ../shared/conformance/wac).
package wac
