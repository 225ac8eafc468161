package canonabi

import (
	"strings"

	"github.com/witc-dev/witc/wit"
)

// CoreType is a core WebAssembly value type used by the flat representation.
type CoreType uint8

const (
	I32 CoreType = iota + 1
	I64
	F32
	F64
)

func (c CoreType) String() string {
	switch c {
	case I32:
		return "i32"
	case I64:
		return "i64"
	case F32:
		return "f32"
	case F64:
		return "f64"
	}
	return "invalid"
}

// Limits on flat values before parameters and results go through memory.
//
// Spec: CanonicalABI.md#flattening.
const (
	MaxFlatParams      = 16
	MaxFlatAsyncParams = 4
	MaxFlatResults     = 1
)

// Flatten returns the flat core types that represent a value of type t.
func Flatten(t wit.Type) []CoreType {
	return flatten(nil, t, 0)
}

// flatCap bounds a flattening: far beyond any flat limit (MaxFlatParams),
// so results are exact where they matter, while hostile types (a tuple of
// thousands of huge fixed-length lists) cannot exhaust memory.
const flatCap = 1 << 16

func flatten(dst []CoreType, t wit.Type, depth int) []CoreType {
	if depth > maxDepth || len(dst) > flatCap {
		return dst
	}
	switch t := wit.Resolved(t).(type) {
	case wit.Primitive:
		switch t {
		case wit.U64, wit.S64:
			return append(dst, I64)
		case wit.F32:
			return append(dst, F32)
		case wit.F64:
			return append(dst, F64)
		case wit.String:
			return append(dst, I32, I32)
		case 0:
			return dst
		}
		return append(dst, I32)
	case *wit.TypeDef:
		switch k := t.Kind.(type) {
		case *wit.Record:
			for _, f := range k.Fields {
				dst = flatten(dst, f.Type, depth+1)
			}
			return dst
		case *wit.Tuple:
			for _, e := range k.Types {
				dst = flatten(dst, e, depth+1)
			}
			return dst
		case *wit.Flags:
			for i := 0; i < (len(k.Flags)+31)/32; i++ {
				dst = append(dst, I32)
			}
			return dst
		case *wit.Variant:
			payloads := make([]wit.Type, len(k.Cases))
			for i, c := range k.Cases {
				payloads[i] = c.Type
			}
			return flattenVariant(dst, payloads, depth)
		case *wit.Enum:
			return append(dst, I32)
		case *wit.Option:
			return flattenVariant(dst, []wit.Type{nil, k.Type}, depth)
		case *wit.Result:
			return flattenVariant(dst, []wit.Type{k.OK, k.Err}, depth)
		case *wit.List, *wit.Map:
			return append(dst, I32, I32)
		case *wit.FixedList:
			elem := flatten(nil, k.Elem, depth+1)
			for i := uint32(0); i < k.Len; i++ {
				dst = append(dst, elem...)
				if len(dst) > flatCap { // far beyond any flat limit; stop growing
					break
				}
			}
			return dst
		case *wit.Handle, *wit.Resource, *wit.Future, *wit.Stream:
			return append(dst, I32)
		}
	}
	return dst
}

func flattenVariant(dst []CoreType, payloads []wit.Type, depth int) []CoreType {
	var joined []CoreType
	for _, p := range payloads {
		if p == nil {
			continue
		}
		for i, ft := range flatten(nil, p, depth+1) {
			if i < len(joined) {
				joined[i] = join(joined[i], ft)
			} else {
				joined = append(joined, ft)
			}
		}
	}
	return append(append(dst, I32), joined...)
}

func join(a, b CoreType) CoreType {
	switch {
	case a == b:
		return a
	case (a == I32 && b == F32) || (a == F32 && b == I32):
		return I32
	}
	return I64
}

// Context says on which side of the boundary a core function sits: a core
// function that a component function is lifted from, or one that a
// component function is lowered into.
type Context uint8

const (
	Lift Context = iota + 1
	Lower
)

// Options are the canonical options that change a signature.
type Options struct {
	Async    bool
	Callback bool // async lift with a callback
}

// Signature is the core function type of a lifted or lowered function.
type Signature struct {
	Params, Results []CoreType
	// ParamsIndirect: the parameters are passed in memory through one pointer.
	ParamsIndirect bool
	// ResultsIndirect: the results are returned in memory — through a returned
	// pointer (Lift) or a pointer passed as the last parameter (Lower).
	ResultsIndirect bool
}

func (s Signature) String() string {
	var b strings.Builder
	b.WriteString("(func")
	for _, p := range s.Params {
		b.WriteString(" (param " + p.String() + ")")
	}
	for _, r := range s.Results {
		b.WriteString(" (result " + r.String() + ")")
	}
	b.WriteString(")")
	return b.String()
}

// SignatureOf returns the core signature of f in the given context.
//
// Spec: CanonicalABI.md#flattening (flatten_functype).
func SignatureOf(f *wit.Function, ctx Context, opts Options) Signature {
	var params []CoreType
	for _, p := range f.Params {
		params = flatten(params, p.Type, 0)
	}
	var results []CoreType
	if f.Result != nil {
		results = flatten(nil, f.Result, 0)
	}
	var s Signature
	if !opts.Async {
		if len(params) > MaxFlatParams {
			params, s.ParamsIndirect = []CoreType{I32}, true
		}
		if len(results) > MaxFlatResults {
			s.ResultsIndirect = true
			if ctx == Lift {
				results = []CoreType{I32}
			} else {
				params, results = append(params, I32), nil
			}
		}
		s.Params, s.Results = params, results
		return s
	}
	switch ctx {
	case Lift:
		if len(params) > MaxFlatParams {
			params, s.ParamsIndirect = []CoreType{I32}, true
		}
		results = nil
		if opts.Callback {
			results = []CoreType{I32}
		}
	case Lower:
		if len(params) > MaxFlatAsyncParams {
			params, s.ParamsIndirect = []CoreType{I32}, true
		}
		if len(results) > 0 {
			params = append(params, I32)
			s.ResultsIndirect = true
		}
		results = []CoreType{I32}
	}
	s.Params, s.Results = params, results
	return s
}
