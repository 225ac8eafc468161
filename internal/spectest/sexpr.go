package spectest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// node is an s-expression of a WAST script: a list, an atom (keyword,
// number, $id) or a string. Start and End are byte offsets in the source,
// so a component's text can be cut out of the script as written.
type node struct {
	list  bool
	str   bool   // a string literal; text holds its decoded bytes
	text  string // an atom's text, or a string's decoded bytes
	kids  []*node
	start int
	end   int
	line  int
}

// head is the first atom of a list ("" if there is none).
func (n *node) head() string {
	if n.list && len(n.kids) > 0 && !n.kids[0].list && !n.kids[0].str {
		return n.kids[0].text
	}
	return ""
}

// isAtom reports whether n is the atom s.
func (n *node) isAtom(s string) bool { return !n.list && !n.str && n.text == s }

// isID reports whether n is an identifier ($name).
func (n *node) isID() bool { return !n.list && !n.str && strings.HasPrefix(n.text, "$") }

// SyntaxError is a script that is not a well-formed sequence of
// s-expressions.
type SyntaxError struct {
	Line int
	Msg  string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

type lexer struct {
	src  string
	pos  int
	line int
}

func (l *lexer) errorf(format string, args ...any) error {
	return &SyntaxError{Line: l.line, Msg: fmt.Sprintf(format, args...)}
}

// skip passes over white space, line comments and (nested) block comments.
func (l *lexer) skip() error {
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == '\n':
			l.line++
			l.pos++
		case c == ' ' || c == '\t' || c == '\r':
			l.pos++
		case strings.HasPrefix(l.src[l.pos:], ";;"):
			for l.pos < len(l.src) && l.src[l.pos] != '\n' {
				l.pos++
			}
		case strings.HasPrefix(l.src[l.pos:], "(;"):
			start, depth := l.line, 0
			for {
				switch {
				case l.pos >= len(l.src):
					return &SyntaxError{Line: start, Msg: "unterminated block comment"}
				case strings.HasPrefix(l.src[l.pos:], "(;"):
					depth++
					l.pos += 2
				case strings.HasPrefix(l.src[l.pos:], ";)"):
					depth--
					l.pos += 2
				default:
					if l.src[l.pos] == '\n' {
						l.line++
					}
					l.pos++
				}
				if depth == 0 {
					break
				}
			}
		default:
			return nil
		}
	}
	return nil
}

// parseSexprs reads a whole script into its top-level s-expressions.
func parseSexprs(src string) ([]*node, error) {
	l := &lexer{src: src, line: 1}
	var top []*node
	var stack []*node
	for {
		if err := l.skip(); err != nil {
			return nil, err
		}
		if l.pos >= len(l.src) {
			break
		}
		c := l.src[l.pos]
		switch c {
		case '(':
			stack = append(stack, &node{list: true, start: l.pos, line: l.line})
			l.pos++
			continue
		case ')':
			if len(stack) == 0 {
				return nil, l.errorf("unbalanced `)`")
			}
			n := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			l.pos++
			n.end = l.pos
			if len(stack) == 0 {
				top = append(top, n)
			} else {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			}
			continue
		}
		var n *node
		if c == '"' {
			s, err := l.stringLit()
			if err != nil {
				return nil, err
			}
			n = s
		} else {
			// An atom runs to white space, a parenthesis, a string or a
			// comment; a `;` that starts no comment is part of it (the
			// text format's reserved tokens), so every atom is at least a
			// byte long.
			start := l.pos
			for l.pos < len(l.src) && !strings.ContainsRune(" \t\r\n()\"", rune(l.src[l.pos])) &&
				(l.pos == start || !strings.HasPrefix(l.src[l.pos:], ";;")) {
				l.pos++
			}
			n = &node{text: l.src[start:l.pos], start: start, end: l.pos, line: l.line}
		}
		if len(stack) == 0 {
			return nil, &SyntaxError{Line: n.line, Msg: fmt.Sprintf("unexpected %q outside of a directive", l.src[n.start:n.end])}
		}
		p := stack[len(stack)-1]
		p.kids = append(p.kids, n)
	}
	if len(stack) > 0 {
		return nil, &SyntaxError{Line: stack[len(stack)-1].line, Msg: "unclosed `(`"}
	}
	return top, nil
}

// stringLit reads a string literal with the WebAssembly text format's
// escapes (\n \t \\ \' \" \hh \u{h+}); its bytes need not be UTF-8.
func (l *lexer) stringLit() (*node, error) {
	start, line := l.pos, l.line
	l.pos++
	var b strings.Builder
	for {
		if l.pos >= len(l.src) {
			return nil, &SyntaxError{Line: line, Msg: "unterminated string"}
		}
		c := l.src[l.pos]
		switch {
		case c == '"':
			l.pos++
			return &node{str: true, text: b.String(), start: start, end: l.pos, line: line}, nil
		case c == '\n':
			return nil, &SyntaxError{Line: line, Msg: "newline in string"}
		case c != '\\':
			b.WriteByte(c)
			l.pos++
			continue
		}
		l.pos++
		if l.pos >= len(l.src) {
			return nil, &SyntaxError{Line: line, Msg: "unterminated string"}
		}
		e := l.src[l.pos]
		l.pos++
		switch e {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case '\\', '\'', '"':
			b.WriteByte(e)
		case 'u':
			end := strings.IndexByte(l.src[l.pos:], '}')
			if !strings.HasPrefix(l.src[l.pos:], "{") || end < 0 {
				return nil, l.errorf("malformed \\u escape")
			}
			v, err := strconv.ParseUint(strings.ReplaceAll(l.src[l.pos+1:l.pos+end], "_", ""), 16, 32)
			if err != nil || v > utf8.MaxRune || (v >= 0xd800 && v < 0xe000) {
				return nil, l.errorf("malformed \\u escape")
			}
			b.WriteRune(rune(v))
			l.pos += end + 1
		default:
			if l.pos >= len(l.src) {
				return nil, l.errorf("malformed escape")
			}
			v, err := strconv.ParseUint(l.src[l.pos-1:l.pos+1], 16, 8)
			if err != nil {
				return nil, l.errorf("malformed escape \\%c", e)
			}
			b.WriteByte(byte(v))
			l.pos++
		}
	}
}
