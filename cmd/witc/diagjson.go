package main

import (
	"encoding/json"
	"io"

	"github.com/witc-dev/witc/diag"
)

// The JSON form of diagnostics (witc check --json, witc validate --json),
// for editors and CI: one object with the list of diagnostics, empty when
// the input is fine.
//
//	{"diagnostics": [{"severity": "error", "code": "undefined-name",
//	  "message": "type `coord` does not exist", "file": "broken.wit",
//	  "start": {"line": 6, "column": 8, "offset": 71},
//	  "end": {"line": 6, "column": 13, "offset": 76}, "notes": []}]}
//
// Lines and columns count from 1, columns in bytes as in the text form;
// offsets count bytes from 0, and end is exclusive. A diagnostic that has
// no position in a file (a file that cannot be read) has no start and
// end; one about a binary has "offset", the byte where it was found, when
// that is known.
type jsonReport struct {
	Diagnostics []jsonDiagnostic `json:"diagnostics"`
}

type jsonDiagnostic struct {
	Severity string     `json:"severity"`
	Code     string     `json:"code"`
	Message  string     `json:"message"`
	File     string     `json:"file,omitempty"`
	Start    *jsonPos   `json:"start,omitempty"`
	End      *jsonPos   `json:"end,omitempty"`
	Offset   *int       `json:"offset,omitempty"`
	Notes    []jsonNote `json:"notes"`
}

type jsonNote struct {
	Message string   `json:"message"`
	File    string   `json:"file,omitempty"`
	Start   *jsonPos `json:"start,omitempty"`
	End     *jsonPos `json:"end,omitempty"`
}

type jsonPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Offset int `json:"offset"`
}

// spanJSON is the file and positions of a span; all empty when it has none.
func spanJSON(s diag.Span) (file string, start, end *jsonPos) {
	if !s.IsValid() {
		return "", nil, nil
	}
	p, q := s.File.Position(s.Start), s.File.Position(s.End)
	return p.Filename, &jsonPos{p.Line, p.Column, s.Start}, &jsonPos{q.Line, q.Column, s.End}
}

func diagnosticsJSON(ds []*diag.Diagnostic) jsonReport {
	r := jsonReport{Diagnostics: []jsonDiagnostic{}}
	for _, d := range ds {
		jd := jsonDiagnostic{Severity: d.Severity.String(), Code: string(d.Code), Message: d.Message, Notes: []jsonNote{}}
		jd.File, jd.Start, jd.End = spanJSON(d.Span)
		for _, n := range d.Notes {
			jn := jsonNote{Message: n.Message}
			jn.File, jn.Start, jn.End = spanJSON(n.Span)
			jd.Notes = append(jd.Notes, jn)
		}
		r.Diagnostics = append(r.Diagnostics, jd)
	}
	return r
}

// writeJSON writes v indented, without escaping <, > and &.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
