package wasihttp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wasi"
)

// session is one registration of wasi:http on a linker: the Go values
// behind the resources an instance is handed, by rep. Its lock serializes
// the guest's calls with the handler's goroutine.
type session struct {
	mu   sync.Mutex
	wasi *wasi.Host
	out  *Outgoing
	ex   *exchange // the response being served (nil when not serving)

	fieldsT, inReqT, outReqT, optsT, outparamT, inRespT, inBodyT, trailersT, outRespT, outBodyT, futRespT *host.ResourceType

	fields    host.Table[*fields]
	inReqs    host.Table[*incomingRequest]
	outReqs   host.Table[*outgoingRequest]
	opts      host.Table[*requestOptions]
	outparams host.Table[*responseOutparam]
	inResps   host.Table[*incomingResponse]
	inBodies  host.Table[*incomingBody]
	trailers  host.Table[*futureTrailers]
	outResps  host.Table[*outgoingResponse]
	outBodies host.Table[*outgoingBody]
	futResps  host.Table[*futureResponse]
}

type incomingRequest struct {
	r        *http.Request
	body     io.Reader // r.Body, bounded
	consumed bool
}

type outgoingRequest struct {
	method    canonabi.Value // a method variant
	path      string
	pathSet   bool
	scheme    canonabi.Value // a scheme variant
	schemeSet bool
	authority string
	authSet   bool
	headers   *fields
	body      *outgoingBody
	bodyTaken bool
}

type requestOptions struct {
	connect, firstByte, betweenBytes canonabi.Value // option<duration>
}

// responseOutparam is where the response goes: set calls respond once.
type responseOutparam struct {
	set     bool
	respond func(resp *outgoingResponse, errCode any)
}

type incomingResponse struct {
	resp     *http.Response
	consumed bool
}

type incomingBody struct {
	r       io.Reader
	closer  io.Closer
	trailer func() http.Header // read once the body is read
	taken   bool
}

type futureTrailers struct {
	trailers *fields // nil: none
	got      bool
}

type outgoingResponse struct {
	status    int
	headers   *fields
	body      *outgoingBody
	bodyTaken bool
}

// outgoingBody is a body the guest writes: w receives what it writes
// once the stream is taken; finish or drop ends it.
type outgoingBody struct {
	w        io.Writer
	req      *requestBody // the body of an outgoing request
	taken    bool
	finish   func(trailers *fields) error // set by the body's owner
	abandon  func()                       // dropped without finish
	finished bool
}

type futureResponse struct {
	done chan struct{}
	resp *http.Response
	err  canonabi.Value // an error-code when the request failed
	got  bool
}

// register defines wasi:http/types and wasi:http/outgoing-handler on l.
func (s *session) register(l *host.Linker) error {
	ifaces, err := witInterfaces()
	if err != nil {
		return err
	}
	r := newRegistrar(l, ifaces, "wasi:http/types")
	for _, n := range []string{"input-stream", "output-stream", "pollable"} {
		l.Alias(r.name, n, s.wasi.ResourceType(n))
	}
	l.Alias(r.name, "io-error", s.wasi.ResourceType("error"))
	res := func(name string, drop func(rep uint32)) *host.ResourceType {
		return l.Resource(r.name, name, func(rep uint32) {
			s.mu.Lock()
			defer s.mu.Unlock()
			drop(rep)
		})
	}
	s.fieldsT = res("fields", func(rep uint32) { s.fields.Remove(rep) })
	s.inReqT = res("incoming-request", func(rep uint32) { s.inReqs.Remove(rep) })
	s.outReqT = res("outgoing-request", func(rep uint32) { s.outReqs.Remove(rep) })
	s.optsT = res("request-options", func(rep uint32) { s.opts.Remove(rep) })
	s.outparamT = res("response-outparam", func(rep uint32) { s.outparams.Remove(rep) })
	s.inRespT = res("incoming-response", func(rep uint32) { s.inResps.Remove(rep) })
	s.inBodyT = res("incoming-body", func(rep uint32) {
		if b, ok := s.inBodies.Remove(rep); ok && b.closer != nil {
			b.closer.Close()
		}
	})
	s.trailersT = res("future-trailers", func(rep uint32) { s.trailers.Remove(rep) })
	s.outRespT = res("outgoing-response", func(rep uint32) { s.outResps.Remove(rep) })
	s.outBodyT = res("outgoing-body", func(rep uint32) {
		if b, ok := s.outBodies.Remove(rep); ok && !b.finished && b.abandon != nil {
			b.finished = true
			b.abandon()
		}
	})
	s.futRespT = res("future-incoming-response", func(rep uint32) { s.futResps.Remove(rep) })

	s.registerFields(r)
	s.registerRequests(r)
	s.registerResponses(r)
	s.registerBodies(r)
	r.fn("http-error-code", func(context.Context, args) (canonabi.Value, error) { return none, nil })

	s.registerOutgoingHandler(newRegistrar(l, ifaces, "wasi:http/outgoing-handler"))
	return nil
}

// call runs f under the session's lock.
func (s *session) locked(f func(ctx context.Context, a args) (canonabi.Value, error)) func(ctx context.Context, a args) (canonabi.Value, error) {
	return func(ctx context.Context, a args) (canonabi.Value, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		return f(ctx, a)
	}
}

func own(t *host.ResourceType, rep uint32) host.Resource {
	return host.Resource{Type: t, Rep: rep, Own: true}
}

// lookup finds the value behind a handle argument.
func lookup[T any](t *host.Table[T], r host.Resource, what string) (T, error) {
	v, ok := t.Lookup(r.Rep)
	if !ok {
		return v, fmt.Errorf("unknown %s %d", what, r.Rep)
	}
	return v, nil
}

func headerError(c int) canonabi.Value { return failed(canonabi.Variant{Case: uint32(c)}) }

func (s *session) registerFields(r *registrar) {
	get := func(a args) (*fields, error) { return lookup(&s.fields, a.res(0), "fields") }
	r.fn("[constructor]fields", s.locked(func(context.Context, args) (canonabi.Value, error) {
		return own(s.fieldsT, s.fields.Add(&fields{})), nil
	}))
	r.fn("[static]fields.from-list", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		f := &fields{}
		l, _ := a[0].(canonabi.List)
		for _, e := range l {
			t, _ := e.(canonabi.Tuple)
			if len(t) != 2 {
				return nil, errors.New("fields.from-list: malformed entry")
			}
			name, _ := t[0].(string)
			v := bytesOf(t[1])
			if c := f.check(name, v); c >= 0 {
				return headerError(c), nil
			}
			f.add(name, v)
		}
		return ok(own(s.fieldsT, s.fields.Add(f))), nil
	}))
	r.fn("[method]fields.get", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		f, err := get(a)
		if err != nil {
			return nil, err
		}
		out := canonabi.List{}
		for _, v := range f.get(a.str(1)) {
			out = append(out, v)
		}
		return out, nil
	}))
	r.fn("[method]fields.has", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		f, err := get(a)
		if err != nil {
			return nil, err
		}
		return len(f.get(a.str(1))) > 0, nil
	}))
	r.fn("[method]fields.set", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		f, err := get(a)
		if err != nil {
			return nil, err
		}
		l, _ := a[2].(canonabi.List)
		vs := make([][]byte, len(l))
		for i, v := range l {
			vs[i] = bytesOf(v)
		}
		name := a.str(1)
		if c := f.check(name, vs...); c >= 0 {
			return headerError(c), nil
		}
		f.delete(name)
		for _, v := range vs {
			f.add(name, v)
		}
		return ok(nil), nil
	}))
	r.fn("[method]fields.delete", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		f, err := get(a)
		if err != nil {
			return nil, err
		}
		if c := f.check(a.str(1)); c >= 0 {
			return headerError(c), nil
		}
		f.delete(a.str(1))
		return ok(nil), nil
	}))
	r.fn("[method]fields.append", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		f, err := get(a)
		if err != nil {
			return nil, err
		}
		v := a.bytes(2)
		if c := f.check(a.str(1), v); c >= 0 {
			return headerError(c), nil
		}
		f.add(a.str(1), v)
		return ok(nil), nil
	}))
	r.fn("[method]fields.entries", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		f, err := get(a)
		if err != nil {
			return nil, err
		}
		out := make(canonabi.List, len(f.entries))
		for i, e := range f.entries {
			out[i] = canonabi.Tuple{e.name, e.value}
		}
		return out, nil
	}))
	r.fn("[method]fields.clone", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		f, err := get(a)
		if err != nil {
			return nil, err
		}
		return own(s.fieldsT, s.fields.Add(f.clone())), nil
	}))
}

// Method variant cases, in the WIT's order.
var methods = []string{"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"}

func methodValue(m string) canonabi.Value {
	for i, n := range methods {
		if n == m {
			return canonabi.Variant{Case: uint32(i)}
		}
	}
	return canonabi.Variant{Case: uint32(len(methods)), Payload: m}
}

func methodString(v canonabi.Value) (string, bool) {
	m, _ := v.(canonabi.Variant)
	if int(m.Case) < len(methods) {
		return methods[m.Case], true
	}
	s, _ := m.Payload.(string)
	return s, validName(s)
}

// Scheme variant cases.
func schemeValue(https bool) canonabi.Value {
	if https {
		return canonabi.Variant{Case: 1}
	}
	return canonabi.Variant{Case: 0}
}

func schemeString(v canonabi.Value) string {
	sv, _ := v.(canonabi.Variant)
	switch sv.Case {
	case 0:
		return "http"
	case 1:
		return "https"
	}
	s, _ := sv.Payload.(string)
	return s
}

func (s *session) registerRequests(r *registrar) {
	inReq := func(a args) (*incomingRequest, error) { return lookup(&s.inReqs, a.res(0), "incoming-request") }
	r.fn("[method]incoming-request.method", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		q, err := inReq(a)
		if err != nil {
			return nil, err
		}
		return methodValue(q.r.Method), nil
	}))
	r.fn("[method]incoming-request.path-with-query", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		q, err := inReq(a)
		if err != nil {
			return nil, err
		}
		return some(q.r.URL.RequestURI()), nil
	}))
	r.fn("[method]incoming-request.scheme", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		q, err := inReq(a)
		if err != nil {
			return nil, err
		}
		return some(schemeValue(q.r.TLS != nil)), nil
	}))
	r.fn("[method]incoming-request.authority", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		q, err := inReq(a)
		if err != nil {
			return nil, err
		}
		return optStringValue(q.r.Host, q.r.Host != ""), nil
	}))
	r.fn("[method]incoming-request.headers", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		q, err := inReq(a)
		if err != nil {
			return nil, err
		}
		return own(s.fieldsT, s.fields.Add(fromHeader(q.r.Header))), nil
	}))
	r.fn("[method]incoming-request.consume", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		q, err := inReq(a)
		if err != nil {
			return nil, err
		}
		if q.consumed {
			return failed(nil), nil
		}
		q.consumed = true
		b := &incomingBody{r: q.body, trailer: func() http.Header { return q.r.Trailer }}
		return ok(own(s.inBodyT, s.inBodies.Add(b))), nil
	}))

	outReq := func(a args) (*outgoingRequest, error) { return lookup(&s.outReqs, a.res(0), "outgoing-request") }
	r.fn("[constructor]outgoing-request", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		h, ok := s.fields.Remove(a.res(0).Rep)
		if !ok {
			return nil, errors.New("outgoing-request: unknown fields")
		}
		h.immutable = true
		q := &outgoingRequest{method: canonabi.Variant{Case: 0}, headers: h}
		return own(s.outReqT, s.outReqs.Add(q)), nil
	}))
	r.fn("[method]outgoing-request.body", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		q, err := outReq(a)
		if err != nil {
			return nil, err
		}
		if q.bodyTaken {
			return failed(nil), nil
		}
		q.bodyTaken = true
		q.body = newRequestBody()
		return ok(own(s.outBodyT, s.outBodies.Add(q.body))), nil
	}))
	r.fn("[method]outgoing-request.method", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		q, err := outReq(a)
		if err != nil {
			return nil, err
		}
		return q.method, nil
	}))
	r.fn("[method]outgoing-request.set-method", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		q, err := outReq(a)
		if err != nil {
			return nil, err
		}
		if _, valid := methodString(a[1]); !valid {
			return failed(nil), nil
		}
		q.method = a[1]
		return ok(nil), nil
	}))
	r.fn("[method]outgoing-request.path-with-query", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		q, err := outReq(a)
		if err != nil {
			return nil, err
		}
		return optStringValue(q.path, q.pathSet), nil
	}))
	r.fn("[method]outgoing-request.set-path-with-query", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		q, err := outReq(a)
		if err != nil {
			return nil, err
		}
		p, set := optString(a[1])
		if set && (strings.ContainsAny(p, " \r\n\x00") || (p != "" && p[0] != '/' && p[0] != '?' && p != "*")) {
			return failed(nil), nil
		}
		q.path, q.pathSet = p, set
		return ok(nil), nil
	}))
	r.fn("[method]outgoing-request.scheme", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		q, err := outReq(a)
		if err != nil {
			return nil, err
		}
		if !q.schemeSet {
			return none, nil
		}
		return some(q.scheme), nil
	}))
	r.fn("[method]outgoing-request.set-scheme", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		q, err := outReq(a)
		if err != nil {
			return nil, err
		}
		o, _ := a[1].(canonabi.Variant)
		q.schemeSet = o.Case == 1
		q.scheme = o.Payload
		if q.schemeSet && !validName(schemeString(q.scheme)) {
			return failed(nil), nil
		}
		return ok(nil), nil
	}))
	r.fn("[method]outgoing-request.authority", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		q, err := outReq(a)
		if err != nil {
			return nil, err
		}
		return optStringValue(q.authority, q.authSet), nil
	}))
	r.fn("[method]outgoing-request.set-authority", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		q, err := outReq(a)
		if err != nil {
			return nil, err
		}
		au, set := optString(a[1])
		if set && strings.ContainsAny(au, "/?# \r\n\x00") {
			return failed(nil), nil
		}
		q.authority, q.authSet = au, set
		return ok(nil), nil
	}))
	r.fn("[method]outgoing-request.headers", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		q, err := outReq(a)
		if err != nil {
			return nil, err
		}
		h := q.headers.clone()
		h.immutable = true
		return own(s.fieldsT, s.fields.Add(h)), nil
	}))

	opts := func(a args) (*requestOptions, error) { return lookup(&s.opts, a.res(0), "request-options") }
	r.fn("[constructor]request-options", s.locked(func(context.Context, args) (canonabi.Value, error) {
		return own(s.optsT, s.opts.Add(&requestOptions{connect: none, firstByte: none, betweenBytes: none})), nil
	}))
	for _, o := range []struct {
		name string
		f    func(*requestOptions) *canonabi.Value
	}{
		{"connect-timeout", func(o *requestOptions) *canonabi.Value { return &o.connect }},
		{"first-byte-timeout", func(o *requestOptions) *canonabi.Value { return &o.firstByte }},
		{"between-bytes-timeout", func(o *requestOptions) *canonabi.Value { return &o.betweenBytes }},
	} {
		r.fn("[method]request-options."+o.name, s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
			v, err := opts(a)
			if err != nil {
				return nil, err
			}
			return *o.f(v), nil
		}))
		r.fn("[method]request-options.set-"+o.name, s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
			v, err := opts(a)
			if err != nil {
				return nil, err
			}
			*o.f(v) = a[1]
			return ok(nil), nil
		}))
	}
}

func (s *session) registerResponses(r *registrar) {
	r.fn("[static]response-outparam.set", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		p, found := s.outparams.Remove(a.res(0).Rep)
		if !found {
			return nil, errors.New("response-outparam.set: unknown response-outparam")
		}
		if p.set {
			return nil, errors.New("response-outparam.set: the response is already set")
		}
		p.set = true
		res, _ := a[1].(canonabi.Variant)
		if res.Case == 1 {
			p.respond(nil, res.Payload)
			return nil, nil
		}
		h, _ := res.Payload.(host.Resource)
		resp, found := s.outResps.Remove(h.Rep)
		if !found {
			return nil, errors.New("response-outparam.set: unknown outgoing-response")
		}
		p.respond(resp, nil)
		return nil, nil
	}))
	outResp := func(a args) (*outgoingResponse, error) {
		return lookup(&s.outResps, a.res(0), "outgoing-response")
	}
	r.fn("[constructor]outgoing-response", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		h, found := s.fields.Remove(a.res(0).Rep)
		if !found {
			return nil, errors.New("outgoing-response: unknown fields")
		}
		h.immutable = true
		return own(s.outRespT, s.outResps.Add(&outgoingResponse{status: 200, headers: h})), nil
	}))
	r.fn("[method]outgoing-response.status-code", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		o, err := outResp(a)
		if err != nil {
			return nil, err
		}
		return uint16(o.status), nil
	}))
	r.fn("[method]outgoing-response.set-status-code", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		o, err := outResp(a)
		if err != nil {
			return nil, err
		}
		c := int(a.u16(1))
		if c < 100 || c > 999 {
			return failed(nil), nil
		}
		o.status = c
		return ok(nil), nil
	}))
	r.fn("[method]outgoing-response.headers", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		o, err := outResp(a)
		if err != nil {
			return nil, err
		}
		h := o.headers.clone()
		h.immutable = true
		return own(s.fieldsT, s.fields.Add(h)), nil
	}))
	r.fn("[method]outgoing-response.body", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		o, err := outResp(a)
		if err != nil {
			return nil, err
		}
		if o.bodyTaken {
			return failed(nil), nil
		}
		o.bodyTaken = true
		o.body = s.responseBody(o)
		return ok(own(s.outBodyT, s.outBodies.Add(o.body))), nil
	}))

	inResp := func(a args) (*incomingResponse, error) {
		return lookup(&s.inResps, a.res(0), "incoming-response")
	}
	r.fn("[method]incoming-response.status", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		o, err := inResp(a)
		if err != nil {
			return nil, err
		}
		return uint16(o.resp.StatusCode), nil
	}))
	r.fn("[method]incoming-response.headers", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		o, err := inResp(a)
		if err != nil {
			return nil, err
		}
		return own(s.fieldsT, s.fields.Add(fromHeader(o.resp.Header))), nil
	}))
	r.fn("[method]incoming-response.consume", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		o, err := inResp(a)
		if err != nil {
			return nil, err
		}
		if o.consumed {
			return failed(nil), nil
		}
		o.consumed = true
		b := &incomingBody{r: o.resp.Body, closer: o.resp.Body, trailer: func() http.Header { return o.resp.Trailer }}
		return ok(own(s.inBodyT, s.inBodies.Add(b))), nil
	}))

	fut := func(a args) (*futureResponse, error) {
		return lookup(&s.futResps, a.res(0), "future-incoming-response")
	}
	r.fn("[method]future-incoming-response.subscribe", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		f, err := fut(a)
		if err != nil {
			return nil, err
		}
		return s.wasi.Pollable(f.done), nil
	}))
	r.fn("[method]future-incoming-response.get", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		f, err := fut(a)
		if err != nil {
			return nil, err
		}
		select {
		case <-f.done:
		default:
			return none, nil
		}
		if f.got {
			return some(failed(nil)), nil
		}
		f.got = true
		if f.err != nil {
			return some(ok(failed(f.err))), nil
		}
		return some(ok(ok(own(s.inRespT, s.inResps.Add(&incomingResponse{resp: f.resp}))))), nil
	}))
}

func (s *session) registerBodies(r *registrar) {
	r.fn("[method]incoming-body.stream", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		b, err := lookup(&s.inBodies, a.res(0), "incoming-body")
		if err != nil {
			return nil, err
		}
		if b.taken {
			return failed(nil), nil
		}
		b.taken = true
		return ok(s.wasi.InputStream(b.r)), nil
	}))
	r.fn("[static]incoming-body.finish", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		b, found := s.inBodies.Remove(a.res(0).Rep)
		if !found {
			return nil, errors.New("incoming-body.finish: unknown incoming-body")
		}
		var t *fields
		if b.trailer != nil {
			if h := b.trailer(); len(h) > 0 {
				t = fromHeader(h)
			}
		}
		if b.closer != nil {
			b.closer.Close()
		}
		return own(s.trailersT, s.trailers.Add(&futureTrailers{trailers: t})), nil
	}))
	r.fn("[method]future-trailers.subscribe", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		if _, err := lookup(&s.trailers, a.res(0), "future-trailers"); err != nil {
			return nil, err
		}
		return s.wasi.Pollable(closed), nil
	}))
	r.fn("[method]future-trailers.get", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		f, err := lookup(&s.trailers, a.res(0), "future-trailers")
		if err != nil {
			return nil, err
		}
		if f.got {
			return some(failed(nil)), nil
		}
		f.got = true
		if f.trailers == nil {
			return some(ok(ok(none))), nil
		}
		return some(ok(ok(some(own(s.fieldsT, s.fields.Add(f.trailers)))))), nil
	}))
	r.fn("[method]outgoing-body.write", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		b, err := lookup(&s.outBodies, a.res(0), "outgoing-body")
		if err != nil {
			return nil, err
		}
		if b.taken || b.w == nil {
			return failed(nil), nil
		}
		b.taken = true
		return ok(s.wasi.OutputStream(b.w)), nil
	}))
	r.fn("[static]outgoing-body.finish", s.locked(func(_ context.Context, a args) (canonabi.Value, error) {
		b, found := s.outBodies.Remove(a.res(0).Rep)
		if !found {
			return nil, errors.New("outgoing-body.finish: unknown outgoing-body")
		}
		var t *fields
		if o, _ := a[1].(canonabi.Variant); o.Case == 1 {
			h, _ := o.Payload.(host.Resource)
			if t, found = s.fields.Remove(h.Rep); !found {
				return nil, errors.New("outgoing-body.finish: unknown trailers")
			}
		}
		b.finished = true
		if b.finish != nil {
			if err := b.finish(t); err != nil {
				return failed(internalError(err.Error())), nil
			}
		}
		return ok(nil), nil
	}))
}

// closed is a channel that is closed: what is always ready.
var closed = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// errorCode is an error-code value of the case name.
func errorCode(name string, payload canonabi.Value) canonabi.Value {
	for i, n := range errorCodes {
		if n == name {
			return canonabi.Variant{Case: uint32(i), Payload: payload}
		}
	}
	panic("wasihttp: no error-code " + name)
}

func internalError(msg string) canonabi.Value { return errorCode("internal-error", some(msg)) }

// errorCodes are the cases of error-code, in the WIT's order.
var errorCodes = []string{
	"DNS-timeout", "DNS-error", "destination-not-found", "destination-unavailable",
	"destination-IP-prohibited", "destination-IP-unroutable", "connection-refused",
	"connection-terminated", "connection-timeout", "connection-read-timeout",
	"connection-write-timeout", "connection-limit-reached", "TLS-protocol-error",
	"TLS-certificate-error", "TLS-alert-received", "HTTP-request-denied",
	"HTTP-request-length-required", "HTTP-request-body-size", "HTTP-request-method-invalid",
	"HTTP-request-URI-invalid", "HTTP-request-URI-too-long", "HTTP-request-header-section-size",
	"HTTP-request-header-size", "HTTP-request-trailer-section-size", "HTTP-request-trailer-size",
	"HTTP-response-incomplete", "HTTP-response-header-section-size", "HTTP-response-header-size",
	"HTTP-response-body-size", "HTTP-response-trailer-section-size", "HTTP-response-trailer-size",
	"HTTP-response-transfer-coding", "HTTP-response-content-coding", "HTTP-response-timeout",
	"HTTP-upgrade-failed", "HTTP-protocol-error", "loop-detected", "configuration-error",
	"internal-error",
}

// errorStatus is the status of a response a guest answers with an
// error-code instead of a response (as wasmtime serve maps them).
func errorStatus(code canonabi.Value) (int, string) {
	v, _ := code.(canonabi.Variant)
	name := "internal-error"
	if int(v.Case) < len(errorCodes) {
		name = errorCodes[v.Case]
	}
	switch name {
	case "HTTP-request-denied":
		return http.StatusForbidden, name
	case "HTTP-request-length-required":
		return http.StatusLengthRequired, name
	case "HTTP-request-body-size":
		return http.StatusRequestEntityTooLarge, name
	case "HTTP-request-method-invalid":
		return http.StatusMethodNotAllowed, name
	case "HTTP-request-URI-invalid":
		return http.StatusBadRequest, name
	case "HTTP-request-URI-too-long":
		return http.StatusRequestURITooLong, name
	case "HTTP-request-header-section-size", "HTTP-request-header-size":
		return http.StatusRequestHeaderFieldsTooLarge, name
	case "connection-timeout", "connection-read-timeout", "connection-write-timeout", "HTTP-response-timeout", "DNS-timeout":
		return http.StatusGatewayTimeout, name
	case "loop-detected":
		return http.StatusLoopDetected, name
	case "configuration-error", "internal-error":
		return http.StatusInternalServerError, name
	}
	return http.StatusBadGateway, name
}

// durationOf is an option<duration> (nanoseconds) as a Go duration (0:
// none).
func durationOf(v canonabi.Value) time.Duration {
	o, _ := v.(canonabi.Variant)
	if o.Case == 0 {
		return 0
	}
	n, _ := o.Payload.(uint64)
	return time.Duration(min(n, uint64(1<<63-1)))
}
