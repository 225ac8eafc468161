package bindgen

import (
	"go/token"
	"strings"
)

// initialisms are written in capitals in Go names, as golint asks.
var initialisms = map[string]string{
	"api": "API", "cli": "CLI", "cpu": "CPU", "dns": "DNS", "html": "HTML",
	"http": "HTTP", "https": "HTTPS", "id": "ID", "io": "IO", "ip": "IP",
	"json": "JSON", "tcp": "TCP", "tls": "TLS", "udp": "UDP", "uri": "URI",
	"url": "URL", "utf8": "UTF8", "uuid": "UUID", "wasi": "WASI", "xml": "XML",
}

// exported turns a kebab-case WIT name into an exported Go name:
// `http-request` → HTTPRequest, `%type` → Type.
func exported(name string) string {
	var b strings.Builder
	for _, part := range strings.Split(strings.TrimPrefix(name, "%"), "-") {
		if part == "" {
			continue
		}
		if up, ok := initialisms[part]; ok {
			b.WriteString(up)
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]))
		b.WriteString(part[1:])
	}
	s := b.String()
	if s == "" || !token.IsIdentifier(s) {
		s = "X" + s
	}
	return s
}

// The generated code's own variables, where WIT parameters are in scope,
// end in an underscore: local never makes such a name (a WIT name has no
// underscore, and keywords and reserved names, which get one, are not
// among these), so parameters keep their WIT names.
const (
	vIn    = "in_"    // the *Instance
	vCx    = "cx_"    // the *canonabi.Cx
	vStack = "stack_" // the flat values
	vCall  = "c_"     // the *host.Call
	vPtr   = "p_"     // the parameters' memory
	vRecv  = "x_"     // the receiver of a method calling an export
)

// reserved names a parameter must not take: predeclared Go identifiers a
// later parameter's type could need, the packages generated code imports,
// and the names in the generated methods' signatures (ctx, and the named
// results r0 and err).
var reserved = map[string]bool{
	"bool": true, "byte": true, "error": true, "string": true, "rune": true,
	"int8": true, "int16": true, "int32": true, "int64": true,
	"uint8": true, "uint16": true, "uint32": true, "uint64": true,
	"float32": true, "float64": true, "any": true, "nil": true, "true": true, "false": true,
	"context": true, "canonabi": true, "host": true, "wasi": true, "fmt": true,
	"strings": true, "maps": true, "slices": true,
	"ctx": true, "err": true, "r0": true,
}

// local turns a WIT name into an unexported Go identifier for a parameter:
// `new-name` → newName; Go keywords and names the generated code uses get
// a trailing underscore.
func local(name string) string {
	parts := strings.Split(strings.TrimPrefix(name, "%"), "-")
	s := strings.ToLower(parts[0])
	if len(parts) > 1 {
		s += exported(strings.Join(parts[1:], "-"))
	}
	if s == "" || !token.IsIdentifier(s) && !token.IsKeyword(s) {
		s = "x" + exported(name)
	}
	if token.IsKeyword(s) || reserved[s] {
		s += "_"
	}
	return s
}
