package wasihttp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wasi"
)

// DefaultMaxConcurrent is the number of requests a Handler serves at
// once when Options.MaxConcurrent is 0.
const DefaultMaxConcurrent = 64

// DefaultMaxRequestBody bounds a request's body when
// Options.MaxRequestBody is 0: 64 MiB.
const DefaultMaxRequestBody = 64 << 20

// Options configure a Handler.
type Options struct {
	// MaxConcurrent bounds the requests served at once, each by an
	// instance of its own (0: DefaultMaxConcurrent); a request beyond it
	// gets 503 Service Unavailable at once.
	MaxConcurrent int
	// Timeout bounds each request's instance, from its creation to the
	// end of its handler (0: none). A guest still running at the deadline
	// is stopped (on a runtime created with host.Options.StopOnContextDone;
	// otherwise only when it waits in the host): the request gets 500, or
	// its connection is cut when the response has begun.
	Timeout time.Duration
	// MaxRequestBody bounds the bytes of a request body the guest can
	// read (0: DefaultMaxRequestBody, <0: no bound); a read past it fails.
	MaxRequestBody int64
	// WASI is given to every instance: arguments, environment,
	// directories, standard input. Stdout and Stderr receive the guests'
	// output, each line prefixed with the request's id ("[17] ").
	WASI wasi.Config
	// Outgoing says where guests' outgoing requests may go (none by
	// default).
	Outgoing Outgoing
	// Log receives a line per request (method, path, status, bytes,
	// duration) and the reason of every failed request (nil: none).
	Log io.Writer
}

// Handler is an http.Handler that serves requests with a wasi:http/proxy
// component (any component exporting wasi:http/incoming-handler 0.2.x):
// compiled once, instantiated for every request (the isolation
// `wasmtime serve` gives 0.2 components), so that no request sees
// another's state. It is safe for concurrent use.
type Handler struct {
	compiled *host.Compiled
	own      bool // Close closes compiled
	opts     Options
	slots    chan struct{}
	seq      atomic.Uint64
	logMu    sync.Mutex
	wg       sync.WaitGroup // the instances running

	// ready are fresh instances made ahead of the requests that will use
	// them, each used once: a request takes one instead of waiting for an
	// instantiation, and the filler makes the next meanwhile.
	ready     chan *fresh
	refill    chan struct{}
	stop      chan struct{}
	closeOnce sync.Once
}

// fresh is an instance no request has used yet.
type fresh struct {
	in          *host.Instance
	s           *session
	handle      *host.Func
	out, errOut *lineWriter
}

// handleFunc is the export every request calls (any 0.2.x version).
const handleFunc = "wasi:http/incoming-handler@0.2.0#handle"

// New compiles a proxy component on rt and returns its Handler. It fails
// when the component does not export wasi:http/incoming-handler, or does
// not link with WASI and wasi:http (checked with a first instance).
func New(ctx context.Context, rt *host.Runtime, wasm []byte, opts Options) (*Handler, error) {
	cc, err := rt.Compile(ctx, wasm)
	if err != nil {
		return nil, err
	}
	h, err := NewCompiled(ctx, cc, opts)
	if err != nil {
		cc.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	h.own = true
	return h, nil
}

// NewCompiled is New for a component compiled already; Close leaves cc
// open.
func NewCompiled(ctx context.Context, cc *host.Compiled, opts Options) (*Handler, error) {
	if opts.MaxConcurrent <= 0 {
		opts.MaxConcurrent = DefaultMaxConcurrent
	}
	if opts.MaxRequestBody == 0 {
		opts.MaxRequestBody = DefaultMaxRequestBody
	}
	h := &Handler{compiled: cc, opts: opts, slots: make(chan struct{}, opts.MaxConcurrent),
		ready:  make(chan *fresh, min(opts.MaxConcurrent, max(2, runtime.GOMAXPROCS(0)))),
		refill: make(chan struct{}, runtime.GOMAXPROCS(0)), stop: make(chan struct{})}
	// The first instance checks that the component links and is a proxy.
	f, err := h.instantiate(ctx)
	if err != nil {
		return nil, err
	}
	h.ready <- f
	// A filler per processor: instantiating a large component takes
	// longer than serving a small request.
	for range fillers(cap(h.ready)) {
		h.wg.Add(1)
		go h.fill()
	}
	h.refill <- struct{}{}
	return h, nil
}

// Close waits for the instances still running (guests finishing work
// after their response), or until ctx is done, and releases the compiled
// component when New compiled it.
func (h *Handler) Close(ctx context.Context) error {
	h.closeOnce.Do(func() { close(h.stop) })
	waited := make(chan struct{})
	go func() {
		h.wg.Wait()
		close(waited)
	}()
	select {
	case <-waited:
	case <-ctx.Done():
		return ctx.Err()
	}
	for len(h.ready) > 0 {
		(<-h.ready).in.Close(ctx)
	}
	if h.own {
		return h.compiled.Close(ctx)
	}
	return nil
}

// register defines WASI and wasi:http for one instance on l; its
// output goes through out and errOut (nil: none), whose prefix says which
// request it serves.
func (h *Handler) register(l *host.Linker) (s *session, out, errOut *lineWriter, err error) {
	cfg := h.opts.WASI
	out, errOut = prefixed(cfg.Stdout), prefixed(cfg.Stderr)
	if out != nil {
		cfg.Stdout = out
	}
	if errOut != nil {
		cfg.Stderr = errOut
	}
	wh, err := wasi.New(l, cfg)
	if err != nil {
		return nil, nil, nil, err
	}
	s = &session{wasi: wh, out: &h.opts.Outgoing}
	if err := s.register(l); err != nil {
		return nil, nil, nil, err
	}
	return s, out, errOut, nil
}

// instantiate makes a fresh instance.
func (h *Handler) instantiate(ctx context.Context) (*fresh, error) {
	l := host.NewLinker()
	s, out, errOut, err := h.register(l)
	if err != nil {
		return nil, err
	}
	in, err := h.compiled.Instantiate(ctx, l)
	if err != nil {
		return nil, err
	}
	f, err := in.Func(handleFunc)
	if err != nil {
		in.Close(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("not an HTTP component (it exports no wasi:http/incoming-handler): %w", err)
	}
	return &fresh{in: in, s: s, handle: f, out: out, errOut: errOut}, nil
}

// fill keeps ready full, until stop.
func (h *Handler) fill() {
	defer h.wg.Done()
	for {
		select {
		case <-h.stop:
			return
		case <-h.refill:
		}
		for len(h.ready) < cap(h.ready) {
			ctx, cancel := context.WithTimeout(context.Background(), instantiateTimeout)
			f, err := h.instantiate(ctx)
			cancel()
			if err != nil {
				h.logf("making an instance ahead: %v", err)
				break
			}
			select {
			case h.ready <- f:
			case <-h.stop:
				f.in.Close(context.Background())
				return
			}
		}
	}
}

// fillers is the number of goroutines making instances ahead.
func fillers(ready int) int { return max(1, min(ready, runtime.GOMAXPROCS(0))) }

// instantiateTimeout bounds an instantiation made ahead of a request.
const instantiateTimeout = 30 * time.Second

func (h *Handler) logf(format string, args ...any) {
	if h.opts.Log == nil {
		return
	}
	h.logMu.Lock()
	defer h.logMu.Unlock()
	fmt.Fprintf(h.opts.Log, format+"\n", args...)
}

// ServeHTTP serves one request with a new instance of the component.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	id := h.seq.Add(1)
	ex := &exchange{w: w, complete: make(chan struct{})}
	defer func() {
		h.logf("[%d] %s %s %d %d %s", id, r.Method, r.URL.RequestURI(), ex.status, ex.written, time.Since(start).Round(time.Microsecond))
	}()
	select {
	case h.slots <- struct{}{}:
	default:
		ex.fail(http.StatusServiceUnavailable, "too many requests in progress")
		h.logf("[%d] 503: %d requests in progress, the limit", id, h.opts.MaxConcurrent)
		return
	}
	// The guest may go on after its response is complete, beyond this
	// request's context (which ends when ServeHTTP returns), until its
	// handler returns or its deadline.
	var ctx context.Context
	var cancel context.CancelFunc
	if h.opts.Timeout > 0 {
		ctx, cancel = context.WithTimeout(context.WithoutCancel(r.Context()), h.opts.Timeout)
	} else {
		ctx, cancel = context.WithCancel(context.WithoutCancel(r.Context()))
	}
	stop := context.AfterFunc(r.Context(), func() {
		// The client went away before its response was complete.
		select {
		case <-ex.complete:
		default:
			cancel()
		}
	})
	done := make(chan error, 1)
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		defer func() { <-h.slots }()
		defer cancel()
		defer stop()
		done <- h.run(ctx, id, r, ex)
	}()
	var err error
	select {
	case err = <-done:
	case <-ex.complete:
	}
	ex.mu.Lock()
	defer ex.mu.Unlock()
	ex.ended = true
	switch {
	case err != nil && ex.sent == nil:
		h.logf("[%d] 500: %v", id, err)
		ex.failLocked(http.StatusInternalServerError, "the component failed: "+reason(err))
	case ex.sent == nil && ex.errCode != "":
		h.logf("[%d] %d: the component answered with the error-code %s", id, ex.status, ex.errCode)
	case ex.sent == nil:
		h.logf("[%d] 500: the component returned without setting the response-outparam", id)
		ex.failLocked(http.StatusInternalServerError, "the component returned without a response")
	case err != nil && !ex.done:
		// The response has begun: cut it, as it cannot say it failed.
		h.logf("[%d] the component failed after its response began: %v", id, err)
		panic(http.ErrAbortHandler)
	case ex.aborted:
		h.logf("[%d] the component dropped its response body before finishing it", id)
		panic(http.ErrAbortHandler)
	}
}

// reason is the first line of an error, for a response body.
func reason(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "it ran past its deadline"
	case errors.Is(err, context.Canceled):
		return "it was stopped"
	}
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// run takes a fresh instance (one made ahead, or a new one) and calls
// its handler.
func (h *Handler) run(ctx context.Context, id uint64, r *http.Request, ex *exchange) error {
	var f *fresh
	select {
	case f = <-h.ready:
	default:
		var err error
		if f, err = h.instantiate(ctx); err != nil {
			return err
		}
	}
	for range fillers(cap(h.ready)) { // the fillers make the next
		select {
		case h.refill <- struct{}{}:
		default:
		}
	}
	defer f.in.Close(context.WithoutCancel(ctx))
	prefix := fmt.Sprintf("[%d] ", id)
	f.out.setPrefix(prefix)
	f.errOut.setPrefix(prefix)
	var body io.Reader = r.Body
	if h.opts.MaxRequestBody > 0 {
		body = &limitedBody{r: r.Body, left: h.opts.MaxRequestBody, max: h.opts.MaxRequestBody}
	}
	s := f.s
	s.mu.Lock()
	s.ex = ex
	req := own(s.inReqT, s.inReqs.Add(&incomingRequest{r: r, body: body}))
	out := own(s.outparamT, s.outparams.Add(&responseOutparam{respond: ex.respond}))
	s.mu.Unlock()
	_, err := f.handle.Call(ctx, req, out)
	return err
}

// limitedBody fails a read past max bytes.
type limitedBody struct {
	r         io.Reader
	left, max int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One byte more says whether the body is longer than max.
		var one [1]byte
		if n, _ := b.r.Read(one[:]); n > 0 {
			return 0, fmt.Errorf("the request body is larger than %d bytes, the limit", b.max)
		}
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}

// exchange is one request's response as the guest makes it: the guest's
// goroutine writes it while ServeHTTP waits, and nothing is written once
// ServeHTTP has returned (ended).
type exchange struct {
	mu       sync.Mutex
	w        http.ResponseWriter
	sent     *outgoingResponse // the response set, once set
	errCode  string            // the error-code set instead of a response
	status   int
	written  int64
	ended    bool
	aborted  bool
	complete chan struct{} // closed when the response is complete
	done     bool          // complete is closed
}

func (ex *exchange) finishLocked() {
	if !ex.done {
		ex.done = true
		close(ex.complete)
	}
}

// fail answers with status and a text body (before any response).
func (ex *exchange) fail(status int, msg string) {
	ex.mu.Lock()
	defer ex.mu.Unlock()
	ex.failLocked(status, msg)
}

func (ex *exchange) failLocked(status int, msg string) {
	ex.status = status
	ex.w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	ex.w.WriteHeader(status)
	n, _ := io.WriteString(ex.w, msg+"\n")
	ex.written += int64(n)
	ex.finishLocked()
}

// respond is response-outparam.set: the response, or the error-code
// answered instead.
func (ex *exchange) respond(resp *outgoingResponse, code any) {
	ex.mu.Lock()
	defer ex.mu.Unlock()
	if ex.ended {
		return
	}
	if resp == nil {
		status, name := errorStatus(code)
		ex.errCode = name
		ex.failLocked(status, "the component answered with the error-code "+name)
		return
	}
	ex.sent = resp
	ex.status = resp.status
	hdr := ex.w.Header()
	resp.headers.toHeader(hdr)
	if _, ok := hdr["Content-Type"]; !ok {
		hdr["Content-Type"] = nil // as the guest says: net/http would sniff one
	}
	ex.w.WriteHeader(resp.status)
	b := resp.body
	if b == nil {
		ex.finishLocked()
		return
	}
	rb, _ := b.w.(*responseBody)
	if rb != nil && rb.buf.Len() > 0 {
		n, _ := ex.w.Write(rb.buf.Bytes())
		ex.written += int64(n)
		rb.buf = bytes.Buffer{}
	}
	switch {
	case b.finished && rb != nil && rb.dropped:
		ex.aborted = true
		ex.finishLocked()
	case b.finished:
		if rb != nil {
			ex.trailersLocked(rb.trailers)
		}
		ex.finishLocked()
	}
}

func (ex *exchange) trailersLocked(t *fields) {
	if t == nil {
		return
	}
	for _, e := range t.entries {
		ex.w.Header().Add(http.TrailerPrefix+e.name, string(e.value))
	}
}

// responseBody is the body of an outgoing response the handler serves:
// written to the client once the response is set, kept until then.
type responseBody struct {
	ex       *exchange
	resp     *outgoingResponse
	buf      bytes.Buffer
	trailers *fields
	dropped  bool
}

// maxEarlyBody is the most of a body kept before its response is set.
const maxEarlyBody = 16 << 20

// responseBody makes the body of response o.
func (s *session) responseBody(o *outgoingResponse) *outgoingBody {
	if s.ex == nil {
		return &outgoingBody{}
	}
	rb := &responseBody{ex: s.ex, resp: o}
	ex := s.ex
	return &outgoingBody{w: rb,
		finish: func(t *fields) error {
			ex.mu.Lock()
			defer ex.mu.Unlock()
			rb.trailers = t
			if ex.sent == o && !ex.ended {
				ex.trailersLocked(t)
				ex.finishLocked()
			}
			return nil
		},
		abandon: func() {
			ex.mu.Lock()
			defer ex.mu.Unlock()
			rb.dropped = true
			if ex.sent == o && !ex.ended {
				ex.aborted = true
				ex.finishLocked()
			}
		}}
}

var errEnded = errors.New("the response is complete")

func (rb *responseBody) Write(p []byte) (int, error) {
	ex := rb.ex
	ex.mu.Lock()
	defer ex.mu.Unlock()
	switch {
	case ex.ended || ex.done:
		return 0, errEnded
	case ex.sent == nil:
		if rb.buf.Len()+len(p) > maxEarlyBody {
			return 0, errors.New("more than 16 MiB of body written before the response was set")
		}
		return rb.buf.Write(p)
	case ex.sent != rb.resp:
		return 0, errors.New("the body of a response that was not sent")
	}
	n, err := ex.w.Write(p)
	ex.written += int64(n)
	return n, err
}

// Flush sends what was written to the client.
func (rb *responseBody) Flush() error {
	ex := rb.ex
	ex.mu.Lock()
	defer ex.mu.Unlock()
	if ex.sent == rb.resp && !ex.ended {
		if f, ok := ex.w.(http.Flusher); ok {
			f.Flush()
		}
	}
	return nil
}

// prefixed writes each line of the guest's output to w with a prefix
// before it, the request's id once the instance serves one (nil for a
// nil w).
func prefixed(w io.Writer) *lineWriter {
	if w == nil {
		return nil
	}
	return &lineWriter{w: w, start: true}
}

type lineWriter struct {
	mu     sync.Mutex
	w      io.Writer
	prefix string
	start  bool
}

func (lw *lineWriter) setPrefix(p string) {
	if lw == nil {
		return
	}
	lw.mu.Lock()
	defer lw.mu.Unlock()
	lw.prefix = p
}

func (lw *lineWriter) Write(p []byte) (int, error) {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	var out []byte
	for _, c := range p {
		if lw.start {
			out = append(out, lw.prefix...)
			lw.start = false
		}
		out = append(out, c)
		if c == '\n' {
			lw.start = true
		}
	}
	if _, err := lw.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}
