package diag

import (
	"sort"
	"unicode/utf8"
)

// File is one source text. Line starts are computed lazily on first use.
type File struct {
	Name    string // path as the user gave it; shown in diagnostics
	Content []byte

	lines []int // byte offsets of line starts; nil until computed
}

// NewFile returns a File holding content under the given display name.
func NewFile(name string, content []byte) *File {
	return &File{Name: name, Content: content}
}

// Span returns the span [start, end) of f.
func (f *File) Span(start, end int) Span { return Span{File: f, Start: start, End: end} }

func (f *File) lineStarts() []int {
	if f.lines == nil {
		f.lines = append(make([]int, 0, 64), 0)
		for i, b := range f.Content {
			if b == '\n' {
				f.lines = append(f.lines, i+1)
			}
		}
	}
	return f.lines
}

// Position converts a byte offset into a 1-based line and a 1-based byte column.
func (f *File) Position(off int) Position {
	if off < 0 {
		off = 0
	}
	if off > len(f.Content) {
		off = len(f.Content)
	}
	ls := f.lineStarts()
	i := sort.Search(len(ls), func(i int) bool { return ls[i] > off }) - 1
	return Position{Filename: f.Name, Offset: off, Line: i + 1, Column: off - ls[i] + 1}
}

// Line returns the text of the 1-based line n without its line terminator.
func (f *File) Line(n int) string {
	ls := f.lineStarts()
	if n < 1 || n > len(ls) {
		return ""
	}
	start := ls[n-1]
	end := len(f.Content)
	if n < len(ls) {
		end = ls[n] - 1
	}
	if end > start && f.Content[end-1] == '\r' {
		end--
	}
	return string(f.Content[start:end])
}

// Position is a resolved location: 1-based line, 1-based byte column.
type Position struct {
	Filename string
	Offset   int
	Line     int
	Column   int
}

// Span is a half-open byte range in a File. The zero Span has no position.
type Span struct {
	File       *File
	Start, End int
}

// IsValid reports whether s points into a file.
func (s Span) IsValid() bool { return s.File != nil }

// Pos returns the position of the start of s.
func (s Span) Pos() Position {
	if s.File == nil {
		return Position{}
	}
	return s.File.Position(s.Start)
}

// Text returns the source text covered by s.
func (s Span) Text() string {
	if s.File == nil || s.Start < 0 || s.End > len(s.File.Content) || s.Start > s.End {
		return ""
	}
	return string(s.File.Content[s.Start:s.End])
}

// Join returns the smallest span covering a and b (both in the same file).
func Join(a, b Span) Span {
	if !a.IsValid() {
		return b
	}
	if !b.IsValid() {
		return a
	}
	s := a
	if b.Start < s.Start {
		s.Start = b.Start
	}
	if b.End > s.End {
		s.End = b.End
	}
	return s
}

// runeCount counts the characters of b, counting invalid bytes as one each.
func runeCount(b string) int { return utf8.RuneCountInString(b) }
