package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// served is a witc serve running in this process.
type served struct {
	url    string // http://127.0.0.1:PORT
	stderr *syncBuffer
	code   chan int // its exit status, when it returns
}

// wait waits (at most 20 s) for witc serve to return, and returns its
// exit status.
func (s *served) wait(t *testing.T) int {
	t.Helper()
	select {
	case code := <-s.code:
		return code
	case <-time.After(20 * time.Second):
		t.Fatalf("witc serve did not return; stderr:\n%s", s.stderr)
		return 0
	}
}

var listeningLine = regexp.MustCompile(`witc serve: listening on (http://127\.0\.0\.1:[0-9]+)/\n`)

// startServe runs witc serve with args (the component last) on a free
// loopback port until ctx is done, and waits for it to listen.
func startServe(t *testing.T, ctx context.Context, args ...string) *served {
	t.Helper()
	s := &served{stderr: &syncBuffer{}, code: make(chan int, 1)}
	argv := append([]string{"witc", "serve", "--no-cache", "--addr", "127.0.0.1:0"}, args...)
	go func() { s.code <- run(ctx, argv, io.Discard, s.stderr) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if m := listeningLine.FindStringSubmatch(s.stderr.String()); m != nil {
			s.url = m[1]
			return s
		}
		select {
		case code := <-s.code:
			t.Fatalf("witc serve exited with status %d before listening; stderr:\n%s", code, s.stderr)
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("witc serve is not listening after 30s; stderr:\n%s", s.stderr)
		}
	}
}

// httpFixture is the WAT proxy of wasihttp's tests (its routes are listed
// in wasihttp/testdata/src/http-wat.wat).
func httpFixture(t *testing.T) string {
	t.Helper()
	p := repoFile(t, "wasihttp/testdata/http-wat.wasm")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("no fixture: %v (scripts/http-fixtures.sh builds it)", err)
	}
	return p
}

// fetch makes one request (10 s at most) and returns its status, a
// header and body.
func fetch(t *testing.T, c *http.Client, method, url, body string) (*http.Response, string) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, url, err)
	}
	return resp, string(b)
}

// TestServe: witc serve answers real requests with the proxy component,
// logs a line per request, stops a looping guest at --timeout with a 500
// and goes on serving, and exits with status 0 when its context ends.
func TestServe(t *testing.T) {
	wasm := httpFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := startServe(t, ctx, "--timeout", "1s", "--max-body", "1MiB", wasm)
	c := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{}}
	defer c.CloseIdleConnections()

	if resp, body := fetch(t, c, "GET", s.url+"/", ""); resp.StatusCode != 200 || body != "hello from http-wat\n" || resp.Header.Get("Content-Type") != "text/plain" {
		t.Errorf("GET /: %d %v %q", resp.StatusCode, resp.Header, body)
	}
	sent := strings.Repeat("0123456789abcdef", 1000)
	if resp, body := fetch(t, c, "POST", s.url+"/echo", sent); resp.StatusCode != 200 || body != sent || resp.Header.Get("X-Echo-Len") != "16000" {
		t.Errorf("POST /echo: %d %v, %d bytes back", resp.StatusCode, resp.Header, len(body))
	}
	if resp, body := fetch(t, c, "GET", s.url+"/status/418", ""); resp.StatusCode != 418 || resp.Header.Get("X-Teapot") != "yes" {
		t.Errorf("GET /status/418: %d %v %q", resp.StatusCode, resp.Header, body)
	}
	// Over --max-body, the guest's read fails: it traps.
	if resp, _ := fetch(t, c, "POST", s.url+"/count", strings.Repeat("x", 1<<20+1)); resp.StatusCode != 500 {
		t.Errorf("POST /count past --max-body: %d, want 500", resp.StatusCode)
	}
	start := time.Now()
	if resp, body := fetch(t, c, "GET", s.url+"/loop", ""); resp.StatusCode != 500 {
		t.Errorf("GET /loop: %d %q, want 500", resp.StatusCode, body)
	}
	if took := time.Since(start); took < time.Second || took > 5*time.Second {
		t.Errorf("GET /loop with --timeout 1s answered after %v", took)
	}
	if resp, body := fetch(t, c, "GET", s.url+"/", ""); resp.StatusCode != 200 || body != "hello from http-wat\n" {
		t.Errorf("GET / after /loop: %d %q", resp.StatusCode, body)
	}

	cancel()
	if code := s.wait(t); code != 0 {
		t.Errorf("exit status %d, want 0", code)
	}
	log := s.stderr.String()
	t.Logf("stderr:\n%s", log)
	for _, want := range []string{
		`\[1\] GET / 200 20 \S+\n`,
		`\[2\] POST /echo 200 16000 \S+\n`,
		`\[3\] GET /status/418 418 13 \S+\n`,
		`\[5\] 500: .*\n`,
		`\[5\] GET /loop 500 \d+ \S+\n`,
		`\[6\] GET / 200 20 \S+\n`,
		`witc serve: stopped: finishing the requests in progress \(10s at most\)\n$`,
	} {
		if !regexp.MustCompile(want).MatchString(log) {
			t.Errorf("stderr has no line matching %s:\n%s", want, log)
		}
	}
}

// TestServeShutdown: SIGTERM while a request is in progress stops the
// server from accepting connections, lets the request finish, and witc
// exits with status 0.
func TestServeShutdown(t *testing.T) {
	wasm := httpFixture(t)
	if runtime.GOOS == "windows" {
		t.Skip("no SIGTERM to send")
	}
	s := startServe(t, context.Background(), wasm)

	// The request's body comes in two halves; asking for 100-continue
	// tells when the guest started reading it, so the request is in the
	// handler when the signal comes.
	pr, pw := io.Pipe()
	defer pw.Close()
	req, err := http.NewRequest("POST", s.url+"/echo", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Expect", "100-continue")
	reading := make(chan struct{})
	req = req.WithContext(httptrace.WithClientTrace(context.Background(),
		&httptrace.ClientTrace{Got100Continue: func() { close(reading) }}))
	c := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{ExpectContinueTimeout: 20 * time.Second}}
	defer c.CloseIdleConnections()
	type result struct {
		status int
		body   string
		err    error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := c.Do(req)
		if err != nil {
			done <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		done <- result{resp.StatusCode, string(b), err}
	}()
	written := make(chan error, 2)
	go func() {
		<-reading
		_, err := io.WriteString(pw, "first half, ")
		written <- err
	}()
	select {
	case <-reading:
	case r := <-done:
		t.Fatalf("the request ended before its body was sent: %+v", r)
	case <-time.After(10 * time.Second):
		t.Fatal("the guest did not start reading the request body in 10s")
	}
	if err := <-written; err != nil {
		t.Fatal(err)
	}

	p, err := os.FindProcess(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// The server stops listening at once.
	addr := strings.TrimPrefix(s.url, "http://")
	for deadline := time.Now().Add(10 * time.Second); ; {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			break
		}
		conn.Close()
		if time.Now().After(deadline) {
			t.Fatal("the server still accepts connections 10s after SIGTERM")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case code := <-s.code:
		t.Fatalf("witc serve exited with status %d before the request in progress finished; stderr:\n%s", code, s.stderr)
	default:
	}
	go func() {
		_, err := io.WriteString(pw, "second half")
		if err == nil {
			err = pw.Close()
		}
		written <- err
	}()
	select {
	case r := <-done:
		if r.err != nil || r.status != 200 || r.body != "first half, second half" {
			t.Errorf("the request in progress at SIGTERM: %+v", r)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no response 15s after SIGTERM")
	}
	if code := s.wait(t); code != 0 {
		t.Errorf("exit status %d, want 0", code)
	}
	log := s.stderr.String()
	t.Logf("stderr:\n%s", log)
	for _, want := range []string{
		`witc serve: terminated \(SIGTERM\): finishing the requests in progress \(10s at most\)\n`,
		`\[1\] POST /echo 200 23 \S+\n`,
	} {
		if !regexp.MustCompile(want).MatchString(log) {
			t.Errorf("stderr has no line matching %s:\n%s", want, log)
		}
	}
}

// TestServeRefused: what witc serve refuses before serving: a component
// that is not an HTTP proxy, an address in use, bad flags.
func TestServeRefused(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	calc := repoFile(t, "examples/components/calc.wasm")
	wat := repoFile(t, "wasihttp/testdata/http-wat.wasm")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--addr", "127.0.0.1:0", calc}, 1,
			"witc: " + calc + ": not an HTTP component (it exports no wasi:http/incoming-handler): "},
		{[]string{"--addr", busy.Addr().String(), wat}, 1,
			"witc: cannot listen on " + busy.Addr().String() + ": the address is already in use (another server has the port; choose another with --addr)\n"},
		{[]string{"--addr", "8080", wat}, 2, `witc: --addr "8080": expected HOST:PORT, e.g. 127.0.0.1:8080` + "\n"},
		{[]string{"--max-body", "lots", wat}, 2, `witc: --max-body "lots": expected a size such as 65536, 64KiB, 64MiB or 1GiB` + "\n"},
		{[]string{"--max-concurrent", "0", wat}, 2, "witc: --max-concurrent 0: expected at least 1\n"},
		{[]string{"--env", "X", wat}, 2, `witc: --env "X": expected NAME=VALUE` + "\n"},
		{[]string{"--timeout", "-1s", wat}, 2, "witc: --timeout -1s: expected a duration above zero, e.g. 10s\n"},
		{[]string{}, 2, "witc: serve: expected one component file, got 0 arguments\n"},
	} {
		if strings.Contains(strings.Join(tc.args, " "), "http-wat") {
			if _, err := os.Stat(wat); err != nil {
				continue
			}
		}
		code, _, stderr := runWitc(append([]string{"serve", "--no-cache"}, tc.args...)...)
		if code != tc.code || !strings.HasPrefix(stderr, tc.want) || strings.Contains(stderr, "listening") {
			t.Errorf("witc serve %q: exit status %d, stderr %q; want %d, %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
}
