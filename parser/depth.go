package parser

// Limits that wit-parser enforces while parsing (MAX_TYPE_DEPTH and
// MAX_ITEM_DEPTH in its ast.rs): a type nested in 100 others, or a package
// block in 100 others, is an error at its first token.
const (
	maxTypeDepth    = 100
	maxPackageDepth = 100
)

// typeOpeners are the keywords whose `<` opens type arguments; own and
// borrow take a resource name, not a type.
var typeOpeners = [numKeywords]bool{
	kwList: true, kwMap: true, kwOption: true, kwResult: true, kwTuple: true, kwFuture: true, kwStream: true,
}

// nestingLimit finds the first token at which wit-parser's nesting limits are
// crossed, by counting brackets over the token stream, so that the
// recursive-descent grammar never runs deeper than the limits (a type
// nested 250 000 deep would otherwise exhaust the stack). It returns the
// index of that token and what is too deep ("type" or "package"), or -1.
//
// A type starts where wit-parser's Type::parse_at_depth reads a token: after
// the `<` that opens type arguments (except `tuple<>` and the `_` of
// `result<_, E>`), and after a `,` that separates the types of a map,
// result or tuple. Its depth is the number of type arguments open there.
func nestingLimit(toks []token) (int, string) {
	type open struct {
		kw    uint8 // keyword before `<`; kwNone for `{`, kwPackage for a package block
		angle bool  // `<`, not `{`
		types bool  // `<` opens type arguments
	}
	var stack []open
	types, packages := 0, 0
	pendingPackage := false // a `package` keyword whose `{` has not come yet
	isPunct := func(t token, c byte) bool { return t.kind == kPunct && t.op == c }
	for i, t := range toks {
		if t.kind == kKeyword && t.op == kwPackage {
			if packages >= maxPackageDepth {
				return i, "package"
			}
			pendingPackage = true
		}
		if types >= maxTypeDepth && i > 0 && len(stack) > 0 {
			top := stack[len(stack)-1]
			prev := toks[i-1]
			start := false
			switch {
			case !top.types:
			case isPunct(prev, '<'):
				start = !(top.kw == kwTuple && isPunct(t, '>')) && !(top.kw == kwResult && t.kind == kKeyword && t.op == kwUnderscore)
			case isPunct(prev, ','):
				start = top.kw == kwMap || top.kw == kwResult || top.kw == kwTuple
			}
			if start {
				return i, "type"
			}
		}
		if t.kind != kPunct {
			continue
		}
		switch t.op {
		case '<':
			kw := kwNone
			if i > 0 && toks[i-1].kind == kKeyword {
				kw = toks[i-1].op
			}
			o := open{kw: kw, angle: true, types: typeOpeners[kw]}
			if o.types {
				types++
			}
			stack = append(stack, o)
		case '{':
			o := open{}
			if pendingPackage {
				o.kw, pendingPackage = kwPackage, false
				packages++
			}
			stack = append(stack, o)
		case '>', '}':
			// Up to the first syntax error, which stops the grammar,
			// brackets nest properly; after it, a closer that does not
			// match is ignored.
			if n := len(stack); n > 0 && stack[n-1].angle == (t.op == '>') {
				o := stack[n-1]
				stack = stack[:n-1]
				if o.types {
					types--
				}
				if o.kw == kwPackage {
					packages--
				}
			}
		case ';':
			pendingPackage = false
		}
	}
	return -1, ""
}
