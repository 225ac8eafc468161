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

// predeclared Go identifiers that a parameter must not shadow, besides
// keywords, and the names generated code uses for its own variables.
var reserved = map[string]bool{
	"bool": true, "byte": true, "error": true, "string": true, "len": true,
	"cap": true, "make": true, "new": true, "append": true, "copy": true,
	"nil": true, "true": true, "false": true, "int": true, "uint": true,
	"any": true, "max": true, "min": true, "clear": true, "panic": true,
	"ctx": true, "cx": true, "c": true, "err": true, "in": true, "x": true,
	"r": true, "p": true, "f": true, "v": true, "l": true, "impl": true,
	"stack": true, "context": true, "canonabi": true, "host": true,
}

// local turns a WIT name into an unexported Go identifier for a parameter:
// `new-name` → newName; Go keywords and names the generated code uses get
// a trailing underscore.
func local(name string) string {
	e := exported(name)
	s := strings.ToLower(e[:1]) + e[1:]
	if up, ok := initialisms[strings.ToLower(e)]; ok && up == e {
		s = strings.ToLower(e)
	}
	if token.IsKeyword(s) || reserved[s] {
		s += "_"
	}
	return s
}
