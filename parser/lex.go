package parser

import (
	"fmt"
	"math"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/parser/ast"
)

// Token types of the WIT lexer, as participle symbols.
const (
	tokEOF   lexer.TokenType = lexer.EOF
	tokIdent lexer.TokenType = -(iota + 2)
	tokKeyword
	tokInt
	tokVersion
	tokString
	tokPunct
)

var symbols = map[string]lexer.TokenType{
	"EOF": tokEOF, "Ident": tokIdent, "Keyword": tokKeyword, "Int": tokInt,
	"Version": tokVersion, "String": tokString, "Punct": tokPunct,
}

// Keyword ids of WIT; an identifier spelled like a keyword must be
// written %name. A keyword token's op is its id.
const (
	kwNone uint8 = iota
	kwUse
	kwType
	kwFunc
	kwU8
	kwU16
	kwU32
	kwU64
	kwS8
	kwS16
	kwS32
	kwS64
	kwF32
	kwF64
	kwChar
	kwResource
	kwOwn
	kwBorrow
	kwRecord
	kwFlags
	kwVariant
	kwEnum
	kwBool
	kwString
	kwOption
	kwResult
	kwFuture
	kwStream
	kwErrorContext
	kwList
	kwMap
	kwUnderscore
	kwAs
	kwFrom
	kwStatic
	kwInterface
	kwTuple
	kwWorld
	kwImport
	kwExport
	kwPackage
	kwConstructor
	kwInclude
	kwWith
	kwAsync
	numKeywords
)

var kwNames = [numKeywords]string{
	kwUse: "use", kwType: "type", kwFunc: "func", kwU8: "u8", kwU16: "u16", kwU32: "u32", kwU64: "u64",
	kwS8: "s8", kwS16: "s16", kwS32: "s32", kwS64: "s64", kwF32: "f32", kwF64: "f64", kwChar: "char",
	kwResource: "resource", kwOwn: "own", kwBorrow: "borrow", kwRecord: "record", kwFlags: "flags", kwVariant: "variant",
	kwEnum: "enum", kwBool: "bool", kwString: "string", kwOption: "option", kwResult: "result", kwFuture: "future",
	kwStream: "stream", kwErrorContext: "error-context", kwList: "list", kwMap: "map", kwUnderscore: "_", kwAs: "as",
	kwFrom: "from", kwStatic: "static", kwInterface: "interface", kwTuple: "tuple", kwWorld: "world", kwImport: "import",
	kwExport: "export", kwPackage: "package", kwConstructor: "constructor", kwInclude: "include", kwWith: "with", kwAsync: "async",
}

// keywordIDs maps each keyword to its id.
var keywordIDs = func() map[string]uint8 {
	m := make(map[string]uint8, numKeywords)
	for id, k := range kwNames {
		if k != "" {
			m[k] = uint8(id)
		}
	}
	return m
}()

// kwByStart lists the keywords by first byte ('_' to 'z') and length: a
// lookup without hashing, for the lexer.
var kwByStart = func() (t [28][14][]uint8) {
	for id, k := range kwNames {
		if k != "" {
			t[k[0]-'_'][len(k)] = append(t[k[0]-'_'][len(k)], uint8(id))
		}
	}
	return t
}()

// keywordID returns the id of keyword s.
func keywordID(s string) (uint8, bool) {
	if len(s) == 0 || len(s) >= len(kwByStart[0]) || s[0] < '_' || s[0] > 'z' {
		return 0, false
	}
	for _, id := range kwByStart[s[0]-'_'][len(s)] {
		if kwNames[id] == s {
			return id, true
		}
	}
	return 0, false
}

// keywords of WIT.
var keywords = func() map[string]bool {
	m := make(map[string]bool, numKeywords)
	for k := range keywordIDs {
		m[k] = true
	}
	return m
}()

// punctNames holds the one-byte punctuation tokens by their byte, and
// "->" at opArrow.
var punctNames = func() (t [256]string) {
	for _, c := range []byte("=,:.;(){}<>*@/+-") {
		t[c] = string(c)
	}
	t[opArrow] = "->"
	return t
}()

// opArrow is the op of the "->" token.
const opArrow = 'A'

// Kinds of compact tokens.
const (
	kEOF uint8 = iota
	kIdent
	kKeyword
	kInt
	kVersion
	kString
	kPunct
)

// kindTypes maps a compact token's kind to its participle token type.
var kindTypes = [...]lexer.TokenType{
	kEOF: tokEOF, kIdent: tokIdent, kKeyword: tokKeyword, kInt: tokInt,
	kVersion: tokVersion, kString: tokString, kPunct: tokPunct,
}

// token is one token of a file: its kind, its extent in the source and,
// for punctuation, its byte (opArrow for "->") or, for a keyword, its id.
// It is 8 bytes, its length held in 16 bits (a longer token's end is in
// lexed.long); the fast descent (fast.go) reads these directly, and they
// become participle's 64-byte tokens only when the grammar runs, on a
// syntax error (lexed.participle).
type token struct {
	start    int32
	n        uint16 // length, or longToken
	kind, op uint8
}

// longToken is the length of a token of that many bytes or more.
const longToken = math.MaxUint16

// end returns the offset where t ends.
func (lx *lexed) end(t token) int32 {
	if t.n == longToken {
		return lx.long[t.start]
	}
	return t.start + int32(t.n)
}

// lexed is the token stream of one file plus the comments that precede each
// token (keyed by the token's byte offset), which become docs.
type lexed struct {
	toks []token
	// text is the source as a string: identifiers, strings and comments
	// are substrings of it, so that lexing allocates no string per token.
	text     string
	comments map[int][]ast.Comment
	// long holds the end of each token of longToken bytes or more, by
	// its start.
	long map[int32]int32
}

// value is what participle's token for t holds: an identifier without
// its '%', a string without its quotes, a keyword or punctuation as
// spelled.
func (lx *lexed) value(t token) string {
	switch t.kind {
	case kEOF:
		return ""
	case kKeyword:
		return kwNames[t.op]
	case kPunct:
		return punctNames[t.op]
	case kIdent:
		if lx.text[t.start] == '%' {
			return lx.text[t.start+1 : lx.end(t)]
		}
	case kString:
		return lx.text[t.start+1 : lx.end(t)-1]
	}
	return lx.text[t.start:lx.end(t)]
}

// participle converts the tokens for the participle grammar.
func (lx *lexed) participle() []lexer.Token {
	out := make([]lexer.Token, len(lx.toks))
	for i, t := range lx.toks {
		out[i] = lexer.Token{Type: kindTypes[t.kind], Value: lx.value(t), Pos: lexer.Position{Offset: int(t.start)}}
	}
	return out
}

func isIdentStart(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }
func isIdentCont(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9' || c == '-'
}
func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// lex tokenizes src. It stops at the first lexical error, which it reports.
func lex(f *diag.File, r *diag.Report) (*lexed, bool) {
	return lexText(f, string(f.Content), r)
}

// lexText is lex with f's content as text, whose substrings the tokens'
// values are.
func lexText(f *diag.File, text string, r *diag.Report) (*lexed, bool) {
	src := f.Content
	if len(src) > math.MaxInt32-1 {
		r.Errorf(diag.Syntax, f.Span(0, 0), "source file too large")
		return nil, false
	}
	out := &lexed{toks: make([]token, 0, countTokens(src)+1), text: text}
	var pending []ast.Comment
	tok := func(kind, op uint8, start, end int) {
		n := end - start
		if n >= longToken {
			if out.long == nil {
				out.long = map[int32]int32{}
			}
			out.long[int32(start)] = int32(end)
			n = longToken
		}
		out.toks = append(out.toks, token{start: int32(start), n: uint16(n), kind: kind, op: op})
		if pending != nil {
			if out.comments == nil {
				out.comments = map[int][]ast.Comment{}
			}
			out.comments[start] = pending
			pending = nil
		}
	}
	i := 0
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		i = 3 // UTF-8 byte order mark
	}
	for i < len(src) {
		c := src[i]
		start := i
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			end := i
			if end > start && src[end-1] == '\r' {
				end--
			}
			pending = append(pending, ast.Comment{Span: f.Span(start, end), Text: text[start:end]})
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			depth := 1
			i += 2
			for depth > 0 {
				if i >= len(src) {
					r.Errorf(diag.UnterminatedComment, f.Span(start, start), "unterminated block comment")
					return nil, false
				}
				switch {
				case src[i] == '/' && i+1 < len(src) && src[i+1] == '*':
					depth++
					i += 2
				case src[i] == '*' && i+1 < len(src) && src[i+1] == '/':
					depth--
					i += 2
				default:
					i++
				}
			}
			pending = append(pending, ast.Comment{Span: f.Span(start, i), Text: text[start:i]})
		case c == '-' && i+1 < len(src) && src[i+1] == '>':
			i += 2
			tok(kPunct, opArrow, start, i)
		case c == '=' || c == ',' || c == ':' || c == '.' || c == ';' || c == '(' || c == ')' ||
			c == '{' || c == '}' || c == '<' || c == '>' || c == '*' || c == '@' || c == '/' ||
			c == '+' || c == '-':
			i++
			tok(kPunct, c, start, i)
		case c == '%':
			i++
			for i < len(src) && isIdentCont(src[i]) {
				i++
			}
			if !ValidIdentifier(f, start+1, text[start+1:i], r) {
				return nil, false
			}
			tok(kIdent, 0, start, i)
		case c == '"':
			i++
			for i < len(src) && src[i] != '"' && src[i] != '\n' {
				i++
			}
			if i >= len(src) || src[i] != '"' {
				r.Errorf(diag.UnterminatedString, f.Span(start, start), "unterminated string literal")
				return nil, false
			}
			i++
			tok(kString, 0, start, i)
		case c >= '0' && c <= '9':
			for i < len(src) && src[i] >= '0' && src[i] <= '9' {
				i++
			}
			if i+1 < len(src) && src[i] == '.' && src[i+1] >= '0' && src[i+1] <= '9' {
				i = ScanVersion(src, i)
				tok(kVersion, 0, start, i)
				break
			}
			tok(kInt, 0, start, i)
		case isIdentStart(c):
			for i < len(src) && isIdentCont(src[i]) {
				i++
			}
			if kw, ok := keywordID(text[start:i]); ok {
				tok(kKeyword, kw, start, i)
				break
			}
			if !ValidIdentifier(f, start, text[start:i], r) {
				return nil, false
			}
			tok(kIdent, 0, start, i)
		default:
			ch, _ := utf8.DecodeRune(src[i:])
			if ch == utf8.RuneError {
				r.Errorf(diag.InvalidCharacter, f.Span(start, start+1), "invalid UTF-8 in source")
			} else if ch < 0x20 || ch == 0x7f {
				r.Errorf(diag.InvalidCharacter, f.Span(start, start+1), "control character %U is not allowed", ch)
			} else {
				r.Errorf(diag.InvalidCharacter, f.Span(start, start+utf8.RuneLen(ch)), "unexpected character %q", ch)
			}
			return nil, false
		}
	}
	out.toks = append(out.toks, token{start: int32(len(src)), kind: kEOF})
	// Trailing commas before `}`, `)` and `>` are allowed; dropping them here
	// keeps the grammar LL(1) (lists are `x ("," x)*`). `list<u32,>` is an
	// error.
	toks := out.toks
	w := 0
	for i, t := range toks {
		if t.kind == kPunct && t.op == ',' && i+1 < len(toks) {
			if n := toks[i+1]; n.kind == kPunct && (n.op == '}' || n.op == ')' || n.op == '>') {
				if n.op == '>' && openedByList(toks[:i]) {
					r.Errorf(diag.Syntax, f.Span(int(n.start), int(n.start)+1), "expected fixed-length, found '>'")
					return nil, false
				}
				if cs, ok := out.comments[int(t.start)]; ok { // keep comments that preceded the comma
					out.comments[int(n.start)] = append(cs, out.comments[int(n.start)]...)
				}
				continue
			}
		}
		toks[w] = t
		w++
	}
	out.toks = toks[:w]
	if pending != nil {
		if out.comments == nil {
			out.comments = map[int][]ast.Comment{}
		}
		out.comments[len(src)] = pending
	}
	return out, true
}

// countTokens returns an upper bound of the number of tokens in src that
// is close to it, so that lex allocates its tokens once (growing the
// slice by doubling allocates up to twice the final size and copies it). It skips line comments and strings and counts each run of
// identifier or version characters as one token (a trailing comma, which
// lex drops, is counted), anything else but
// whitespace as one token each.
func countTokens(src []byte) int {
	n := 0
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '"':
			n++
			i++
			for i < len(src) && src[i] != '"' && src[i] != '\n' {
				i++
			}
			i++
		case isIdentCont(c) || c == '%':
			n++
			i++
			digits := c >= '0' && c <= '9' // a version: 0.2.0-rc.1+build
			for i < len(src) && (isIdentCont(src[i]) || digits && (src[i] == '.' || src[i] == '+')) {
				i++
			}
		default:
			n++
			i++
		}
	}
	return n
}

// ScanVersion continues a version whose major number ends at i of src:
// `.minor.patch`, then an optional `-pre.release` and `+build.meta`; it
// returns the offset after it. Malformed versions are left for the parser
// to diagnose. The WAC lexer (package wac) shares it.
func ScanVersion(src []byte, i int) int {
	for i+1 < len(src) && src[i] == '.' && isAlnum(src[i+1]) {
		i++
		for i < len(src) && isAlnum(src[i]) {
			i++
		}
	}
	for _, sep := range []byte{'-', '+'} {
		if i+1 < len(src) && src[i] == sep && (isAlnum(src[i+1]) || src[i+1] == '-') {
			i++
			for i < len(src) && (isAlnum(src[i]) || src[i] == '-' || (src[i] == '.' && i+1 < len(src) && isAlnum(src[i+1]))) {
				i++
			}
		}
	}
	return i
}

// ValidIdentifier checks the WIT identifier grammar, which WAC shares:
// words separated by single '-', each starting with a letter and either all
// lowercase or all uppercase. s is at offset off of f; a violation is
// reported to r at its position.
func ValidIdentifier(f *diag.File, off int, s string, r *diag.Report) bool {
	bad := func(at int, format string, args ...any) bool {
		r.Errorf(diag.InvalidIdentifier, f.Span(off+at, min(off+at+1, len(f.Content))), format, args...)
		return false
	}
	if s == "" {
		return bad(0, "empty identifier")
	}
	wordStart := 0
	for wordStart <= len(s) {
		end := wordStart
		for end < len(s) && s[end] != '-' {
			end++
		}
		w := s[wordStart:end]
		if w == "" {
			return bad(wordStart, "identifiers must have characters between '-'s")
		}
		first := w[0]
		if first >= '0' && first <= '9' {
			return bad(wordStart, "identifier parts may not start with a number")
		}
		if first == '_' {
			return bad(wordStart, "invalid character '_' in identifier")
		}
		upper, lower := false, false
		for j := 0; j < len(w); j++ {
			switch ch := w[j]; {
			case ch >= 'a' && ch <= 'z':
				lower = true
			case ch >= 'A' && ch <= 'Z':
				upper = true
			case ch >= '0' && ch <= '9':
			default:
				return bad(wordStart+j, "invalid character %q in identifier", ch)
			}
		}
		if upper && lower {
			return bad(wordStart, "%s", fmt.Sprintf("identifier parts must be all lowercase or all uppercase: %q", w))
		}
		wordStart = end + 1
	}
	return true
}

// openedByList reports whether the innermost unclosed `<` in toks follows the
// keyword `list`.
func openedByList(toks []token) bool {
	depth := 0
	for i := len(toks) - 1; i > 0; i-- {
		t := toks[i]
		if t.kind != kPunct {
			continue
		}
		switch t.op {
		case '>':
			depth++
		case '<':
			if depth == 0 {
				p := toks[i-1]
				return p.kind == kKeyword && p.op == kwList
			}
			depth--
		}
	}
	return false
}
