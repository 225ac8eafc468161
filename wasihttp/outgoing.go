package wasihttp

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/host"
)

// Outgoing says where a guest's outgoing requests (wasi:http/
// outgoing-handler) may go and how they are sent. Nothing leaves the
// process unless Allow allows its host.
type Outgoing struct {
	// Transport sends the requests (nil: http.DefaultTransport).
	Transport http.RoundTripper
	// Allow reports whether a request may go to authority ("host:port",
	// the port explicit); nil allows none: the guest gets the error-code
	// HTTP-request-denied.
	Allow func(authority string) bool
}

// AllowHosts allows requests to the hosts given as "host" (any port) or
// "host:port".
func AllowHosts(hosts ...string) func(authority string) bool {
	return func(authority string) bool {
		name, _, _ := net.SplitHostPort(authority)
		for _, h := range hosts {
			if strings.EqualFold(h, authority) || strings.EqualFold(h, name) {
				return true
			}
		}
		return false
	}
}

func (s *session) registerOutgoingHandler(r *registrar) {
	r.fn("handle", func(ctx context.Context, a args) (canonabi.Value, error) {
		s.mu.Lock()
		q, found := s.outReqs.Remove(a.res(0).Rep)
		var opts *requestOptions
		if o, _ := a[1].(canonabi.Variant); o.Case == 1 {
			if res, isRes := o.Payload.(host.Resource); isRes {
				opts, _ = s.opts.Remove(res.Rep)
			}
		}
		s.mu.Unlock()
		if !found {
			return nil, errors.New("outgoing-handler.handle: unknown outgoing-request")
		}
		req, code := s.outgoingRequest(ctx, q)
		if code != nil {
			return failed(code), nil
		}
		f := &futureResponse{done: make(chan struct{})}
		go s.send(req, opts, f)
		s.mu.Lock()
		defer s.mu.Unlock()
		return ok(own(s.futRespT, s.futResps.Add(f))), nil
	})
}

// outgoingRequest builds the Go request of q, or the error-code that
// refuses it.
func (s *session) outgoingRequest(ctx context.Context, q *outgoingRequest) (*http.Request, canonabi.Value) {
	method, _ := methodString(q.method)
	scheme := "http"
	if q.schemeSet {
		scheme = schemeString(q.scheme)
	}
	if scheme != "http" && scheme != "https" {
		return nil, errorCode("HTTP-protocol-error", nil)
	}
	if !q.authSet || q.authority == "" {
		return nil, errorCode("HTTP-request-URI-invalid", nil)
	}
	authority := q.authority
	if _, _, err := net.SplitHostPort(authority); err != nil {
		port := "80"
		if scheme == "https" {
			port = "443"
		}
		authority = net.JoinHostPort(authority, port)
	}
	if s.out == nil || s.out.Allow == nil || !s.out.Allow(authority) {
		return nil, errorCode("HTTP-request-denied", nil)
	}
	path := "/"
	if q.pathSet && q.path != "" {
		path = q.path
	}
	u, err := url.Parse(scheme + "://" + q.authority + path)
	if err != nil {
		return nil, errorCode("HTTP-request-URI-invalid", nil)
	}
	var body io.Reader
	if q.body != nil && q.body.req != nil {
		body = q.body.req.reader()
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, errorCode("HTTP-request-URI-invalid", nil)
	}
	if body == nil {
		req.Body = nil
	}
	q.headers.toHeader(req.Header)
	return req, nil
}

// send sends req and resolves f with the response or an error-code.
func (s *session) send(req *http.Request, opts *requestOptions, f *futureResponse) {
	defer close(f.done)
	t := http.DefaultTransport
	if s.out.Transport != nil {
		t = s.out.Transport
	}
	if opts != nil {
		if d := durationOf(opts.connect) + durationOf(opts.firstByte); d > 0 {
			ctx, cancel := context.WithTimeout(req.Context(), d)
			defer func() {
				if f.resp == nil {
					cancel()
				}
			}()
			req = req.WithContext(ctx)
		}
	}
	resp, err := t.RoundTrip(req)
	if err != nil {
		f.err = sendError(err)
		return
	}
	f.resp = resp
}

// sendError is the error-code of a failed request.
func sendError(err error) canonabi.Value {
	var dns *net.DNSError
	var op *net.OpError
	switch {
	case errors.As(err, &dns):
		return errorCode("DNS-error", canonabi.Record{some(dns.Err), none})
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return errorCode("connection-timeout", nil)
	case errors.As(err, &op) && op.Op == "dial":
		return errorCode("connection-refused", nil)
	}
	return internalError(err.Error())
}

// requestBody is the body of an outgoing request. What the guest writes
// before it sends the request is kept; then the request reads it, and
// what follows, through a pipe.
type requestBody struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	pw   *io.PipeWriter
	done bool
}

func newRequestBody() *outgoingBody {
	rb := &requestBody{}
	return &outgoingBody{w: rb, req: rb,
		finish: func(*fields) error { rb.close(nil); return nil },
		abandon: func() {
			rb.close(errors.New("the request body was dropped before it was finished"))
		}}
}

// maxBuffered is the most of a request body kept before the request is
// sent.
const maxBuffered = 64 << 20

func (b *requestBody) Write(p []byte) (int, error) {
	b.mu.Lock()
	if pw := b.pw; pw != nil {
		b.mu.Unlock()
		return pw.Write(p)
	}
	defer b.mu.Unlock()
	if b.done {
		return 0, errors.New("the body is finished")
	}
	if b.buf.Len()+len(p) > maxBuffered {
		return 0, errors.New("a request body of more than 64 MiB written before the request is sent")
	}
	return b.buf.Write(p)
}

// reader is what the request sends.
func (b *requestBody) reader() io.Reader {
	b.mu.Lock()
	defer b.mu.Unlock()
	kept := bytes.NewReader(bytes.Clone(b.buf.Bytes()))
	if b.done {
		return kept
	}
	pr, pw := io.Pipe()
	b.pw = pw
	return io.MultiReader(kept, pr)
}

func (b *requestBody) close(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done = true
	if b.pw != nil {
		b.pw.CloseWithError(err)
	}
}
