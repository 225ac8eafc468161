package wasihttp_test

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/witc-dev/witc/wasihttp"
)

// Outgoing requests: http-js's /upstream sends a request through
// wasi:http/outgoing-handler to the URL in its request header x-upstream
// and answers 200 with x-upstream-status and the upstream's body, or 502
// with "error-code: TAG\n".

// seen is a request the upstream received.
type seen struct {
	method, uri, from string
	body              []byte
}

// upstream is a loopback server that records its requests and answers
// 201 with a body.
type upstream struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []seen
}

const upstreamBody = "hello from upstream\n"

func newUpstream(t *testing.T) *upstream {
	u := &upstream{}
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("upstream: reading the body: %v", err)
		}
		u.mu.Lock()
		u.reqs = append(u.reqs, seen{r.Method, r.URL.RequestURI(), r.Header.Get("x-from"), b})
		u.mu.Unlock()
		w.Header().Set("content-type", "text/plain")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, upstreamBody)
	}))
	t.Cleanup(u.Close)
	return u
}

func (u *upstream) seen() []seen {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]seen(nil), u.reqs...)
}

// countingTransport counts the requests it sends.
type countingTransport struct{ n atomic.Int32 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

// callUpstream asks srv's /upstream (GET, or POST with body) to send its
// request to target.
func callUpstream(t *testing.T, srv *httptest.Server, target string, body []byte) (*http.Response, string) {
	t.Helper()
	method := http.MethodGet
	var rd io.Reader
	if body != nil {
		method, rd = http.MethodPost, bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+"/upstream", rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("x-upstream", target)
	c := srv.Client()
	c.Timeout = 30 * time.Second
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s /upstream: %v", method, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s /upstream: reading the body: %v", method, err)
	}
	return resp, string(b)
}

func outgoingOptions(o wasihttp.Outgoing) wasihttp.Options {
	return wasihttp.Options{Timeout: 20 * time.Second, Outgoing: o}
}

// TestOutgoingDenied: without Allow nothing leaves the process.
func TestOutgoingDenied(t *testing.T) {
	up := newUpstream(t)
	for _, o := range []wasihttp.Outgoing{{}, {Allow: wasihttp.AllowHosts("example.com")}} {
		srv := serve(t, "http-js", outgoingOptions(o))
		resp, body := callUpstream(t, srv, up.URL+"/path?q=1", nil)
		if resp.StatusCode != http.StatusBadGateway || body != "error-code: HTTP-request-denied\n" {
			t.Errorf("allow %v: %d %q, want 502 %q", o.Allow != nil, resp.StatusCode, body, "error-code: HTTP-request-denied\n")
		}
	}
	if s := up.seen(); len(s) != 0 {
		t.Errorf("the upstream saw %d requests, want none: %+v", len(s), s)
	}
}

// TestOutgoingAllowed: an allowed GET reaches the upstream with its path,
// query and headers, through the embedder's Transport when given one.
func TestOutgoingAllowed(t *testing.T) {
	up := newUpstream(t)
	ct := &countingTransport{}
	for _, tc := range []struct {
		name string
		o    wasihttp.Outgoing
	}{
		{"default transport", wasihttp.Outgoing{Allow: wasihttp.AllowHosts("127.0.0.1")}},
		{"custom transport", wasihttp.Outgoing{Allow: wasihttp.AllowHosts("127.0.0.1"), Transport: ct}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(up.seen())
			srv := serve(t, "http-js", outgoingOptions(tc.o))
			resp, body := callUpstream(t, srv, up.URL+"/some/path?q=1&r=two", nil)
			if resp.StatusCode != 200 || resp.Header.Get("x-upstream-status") != "201" || body != upstreamBody {
				t.Fatalf("got %d x-upstream-status %q %q, want 200 201 %q", resp.StatusCode, resp.Header.Get("x-upstream-status"), body, upstreamBody)
			}
			s := up.seen()
			if len(s) != before+1 {
				t.Fatalf("the upstream saw %d requests, want 1", len(s)-before)
			}
			want := seen{method: "GET", uri: "/some/path?q=1&r=two", from: "witc-test"}
			if got := s[before]; got.method != want.method || got.uri != want.uri || got.from != want.from || len(got.body) != 0 {
				t.Errorf("the upstream saw %+v, want %+v", got, want)
			}
		})
	}
	if n := ct.n.Load(); n != 1 {
		t.Errorf("the custom transport sent %d requests, want 1", n)
	}
}

// TestOutgoingPost: a 200 KB request body reaches the upstream whole.
func TestOutgoingPost(t *testing.T) {
	up := newUpstream(t)
	srv := serve(t, "http-js", outgoingOptions(wasihttp.Outgoing{Allow: wasihttp.AllowHosts("127.0.0.1")}))
	body := make([]byte, 200_000)
	for i := range body {
		body[i] = byte(i*13 + i>>10)
	}
	resp, got := callUpstream(t, srv, up.URL+"/post", body)
	if resp.StatusCode != 200 || resp.Header.Get("x-upstream-status") != "201" || got != upstreamBody {
		t.Fatalf("got %d x-upstream-status %q %q, want 200 201 %q", resp.StatusCode, resp.Header.Get("x-upstream-status"), got, upstreamBody)
	}
	s := up.seen()
	if len(s) != 1 {
		t.Fatalf("the upstream saw %d requests, want 1", len(s))
	}
	if s[0].method != "POST" || s[0].uri != "/post" || s[0].from != "witc-test" {
		t.Errorf("the upstream saw %s %s x-from %q, want POST /post witc-test", s[0].method, s[0].uri, s[0].from)
	}
	if !bytes.Equal(s[0].body, body) {
		t.Errorf("the upstream received %d bytes, not the %d bytes sent", len(s[0].body), len(body))
	}
}

// TestOutgoingRefused: an allowed host with nothing listening gives the
// guest connection-refused.
func TestOutgoingRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	srv := serve(t, "http-js", outgoingOptions(wasihttp.Outgoing{Allow: wasihttp.AllowHosts("127.0.0.1")}))
	resp, body := callUpstream(t, srv, "http://"+addr+"/", nil)
	if resp.StatusCode != http.StatusBadGateway || strings.TrimSpace(body) != "error-code: connection-refused" {
		t.Errorf("got %d %q, want 502 %q", resp.StatusCode, body, "error-code: connection-refused\n")
	}
}
