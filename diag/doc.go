// Package diag holds source files, byte spans and diagnostics.
//
// Every phase of witc that can be handed bad input by a user (the WIT parser,
// the resolver, the component decoder, the composer) reports problems as
// [Diagnostic] values collected in a [Report]. Positions are byte offsets into
// a [File]; line and column numbers are computed here, and only here, when a
// diagnostic is rendered. Columns are 1-based and count bytes, as wit-parser
// does, so witc's positions can be compared with upstream expected errors.
package diag
