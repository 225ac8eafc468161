package diag

import (
	"fmt"
	"sort"
	"strings"
)

// Severity of a diagnostic.
type Severity uint8

const (
	Error Severity = iota
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Note is extra information attached to a diagnostic, optionally at a span.
// A note without a span is rendered after the snippet as rustc does
// ("= note: …"); a help note (Help set, no span) is a suggestion, rendered
// the same way: "= help: did you mean `point`?".
type Note struct {
	Span    Span
	Message string
	Help    bool
}

// Diagnostic is one problem found in user input.
type Diagnostic struct {
	Severity Severity
	Code     Code // what kind of problem (codes.go); "" when unclassified
	Span     Span // primary span; may be invalid for whole-input problems
	Message  string
	Notes    []Note
}

// Error renders the diagnostic on one line: "file:line:col: message".
func (d *Diagnostic) Error() string {
	if !d.Span.IsValid() {
		return Printable(d.Message, true)
	}
	p := d.Span.Pos()
	return fmt.Sprintf("%s:%d:%d: %s", Printable(p.Filename, false), p.Line, p.Column, Printable(d.Message, true))
}

// Notef appends a note to d and returns d.
func (d *Diagnostic) Notef(at Span, format string, args ...any) *Diagnostic {
	d.Notes = append(d.Notes, Note{Span: at, Message: fmt.Sprintf(format, args...)})
	return d
}

// Helpf appends a help note (a suggestion, without a span) to d and returns
// d. Extra information goes here rather than into the message, whose first
// line follows wit-parser's wording.
func (d *Diagnostic) Helpf(format string, args ...any) *Diagnostic {
	d.Notes = append(d.Notes, Note{Message: fmt.Sprintf(format, args...), Help: true})
	return d
}

// Report collects diagnostics. The zero value is ready to use. A Report is not
// safe for concurrent use; give each goroutine its own and merge them.
type Report struct {
	Diagnostics []*Diagnostic
}

// Errorf records an error of the given kind at span at.
func (r *Report) Errorf(code Code, at Span, format string, args ...any) *Diagnostic {
	d := &Diagnostic{Severity: Error, Code: code, Span: at, Message: fmt.Sprintf(format, args...)}
	r.Diagnostics = append(r.Diagnostics, d)
	return d
}

// Warnf records a warning of the given kind at span at.
func (r *Report) Warnf(code Code, at Span, format string, args ...any) *Diagnostic {
	d := &Diagnostic{Severity: Warning, Code: code, Span: at, Message: fmt.Sprintf(format, args...)}
	r.Diagnostics = append(r.Diagnostics, d)
	return d
}

// Add appends already-built diagnostics.
func (r *Report) Add(ds ...*Diagnostic) { r.Diagnostics = append(r.Diagnostics, ds...) }

// HasErrors reports whether any diagnostic has error severity.
func (r *Report) HasErrors() bool {
	for _, d := range r.Diagnostics {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Sort orders diagnostics by file name and offset; diagnostics without a
// position keep their relative order and come first.
func (r *Report) Sort() {
	sort.SliceStable(r.Diagnostics, func(i, j int) bool {
		a, b := r.Diagnostics[i].Span, r.Diagnostics[j].Span
		if a.IsValid() != b.IsValid() {
			return !a.IsValid()
		}
		if !a.IsValid() {
			return false
		}
		if a.File.Name != b.File.Name {
			return a.File.Name < b.File.Name
		}
		return a.Start < b.Start
	})
}

// Err returns the error diagnostics as a List, or nil when there are none.
func (r *Report) Err() error {
	var l List
	for _, d := range r.Diagnostics {
		if d.Severity == Error {
			l = append(l, d)
		}
	}
	if len(l) == 0 {
		return nil
	}
	return l
}

// List is a list of diagnostics used as an error value.
type List []*Diagnostic

func (l List) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0].Error(), len(l)-1)
}

// Renderer turns diagnostics into text in the style of wit-parser and rustc:
//
//	path:line:col: error: message
//	     |
//	   3 | source line
//	     |     ^----
//
//	     = help: did you mean `foo`?
//
// The default form is the one whose messages and positions are compared
// with wit-parser's; Codes adds each diagnostic's code (error[code]:).
// Color adds ANSI colours as rustc does (bold red errors, bold yellow
// warnings, bold blue gutters and carets); callers set it only for a
// terminal, so files and tests stay plain.
type Renderer struct {
	Codes bool // show codes: "path:line:col: error[undefined-name]: message"
	Color bool // ANSI colours, for a terminal
}

// ANSI styles of the coloured form.
const (
	styleError   = "\x1b[1;31m"
	styleWarning = "\x1b[1;33m"
	styleNote    = "\x1b[1;32m"
	styleGutter  = "\x1b[1;34m"
	styleBold    = "\x1b[1m"
	styleReset   = "\x1b[0m"
)

// paint wraps s in style when colours are on.
func (rd Renderer) paint(style, s string) string {
	if !rd.Color || s == "" {
		return s
	}
	return style + s + styleReset
}

// Render returns the rendered text of all diagnostics in order.
func (rd Renderer) Render(ds []*Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		label := d.Severity.String()
		if rd.Codes && d.Code != "" {
			label += "[" + string(d.Code) + "]"
		}
		style := styleError
		if d.Severity == Warning {
			style = styleWarning
		}
		rd.renderOne(&b, rd.paint(style, label), d.Span, d.Message)
		for _, n := range d.Notes {
			if n.Help || !n.Span.IsValid() {
				kind := "note"
				if n.Help {
					kind = "help"
				}
				fmt.Fprintf(&b, "%s %s: %s\n", rd.paint(styleGutter, "     ="), rd.paint(styleBold, kind), Printable(n.Message, true))
				continue
			}
			rd.renderOne(&b, rd.paint(styleNote, "note"), n.Span, n.Message)
		}
	}
	return b.String()
}

const maxSnippetLine = 500 // longer source lines are not quoted (as wit-parser)

func (rd Renderer) renderOne(b *strings.Builder, label string, s Span, msg string) {
	msg = rd.paint(styleBold, Printable(msg, true))
	if !s.IsValid() {
		fmt.Fprintf(b, "%s: %s\n", label, msg)
		return
	}
	p := s.Pos()
	fmt.Fprintf(b, "%s:%d:%d: %s: %s\n", Printable(p.Filename, false), p.Line, p.Column, label, msg)
	line := s.File.Line(p.Line)
	if len(line) > maxSnippetLine {
		return
	}
	// Caret width: the span length in characters as shown, clipped to the
	// line.
	lineEndOff := s.Start - (p.Column - 1) + len(line)
	end := s.End
	if end > lineEndOff {
		end = lineEndOff
	}
	width := 1
	if end > s.Start {
		width = max(1, runeCount(Printable(string(s.File.Content[s.Start:end]), false)))
	}
	prefix := Printable(line[:min(p.Column-1, len(line))], false)
	pad := strings.Map(func(r rune) rune {
		if r == '\t' {
			return '\t'
		}
		return ' '
	}, prefix)
	bar := rd.paint(styleGutter, "     |")
	fmt.Fprintf(b, "%s\n%s %s\n%s %s%s\n", bar, rd.paint(styleGutter, fmt.Sprintf("%4d |", p.Line)), Printable(line, false),
		bar, pad, rd.paint(styleGutter, "^"+strings.Repeat("-", width-1)))
}

// Printable returns s as it may be written to a terminal. A crafted file
// could otherwise move the cursor or rewrite the screen with escape
// sequences in a comment, in a string or in its name: C0 control
// characters and DEL become their Unicode control pictures (ESC is ␛),
// C1 controls and the characters that reorder text (bidirectional
// overrides and isolates) \u{…}, bytes that are not UTF-8 U+FFFD. Tabs
// stay (carets line up under them), and newlines where asked (messages
// may have several lines).
func Printable(s string, keepNewline bool) string {
	clean := func(r rune) bool {
		return r >= 0x20 && r < 0x7f || r == '\t' || r == '\n' && keepNewline
	}
	i := 0
	for i < len(s) && clean(rune(s[i])) {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		switch {
		case clean(r):
			b.WriteRune(r)
		case r < 0x20:
			b.WriteRune(0x2400 + r) // ␀…␟
		case r == 0x7f:
			b.WriteRune(0x2421) // ␡
		case r >= 0x80 && r < 0xa0, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			fmt.Fprintf(&b, "\\u{%x}", r)
		default: // other characters, and utf8.RuneError for bytes that are not UTF-8
			b.WriteRune(r)
		}
	}
	return b.String()
}
