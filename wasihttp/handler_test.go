package wasihttp_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wasihttp"
)

// The fixtures (wasihttp/testdata, rebuilt by `make http-fixtures`) are
// proxies from componentize-js (one exporting incoming-handler itself,
// one through StarlingMonkey's fetch event) and one in WAT;
// testdata/expected holds what `jco serve` answered to the same requests.

var fixtures = []string{"http-wat", "http-js", "http-fetch"}

// rt is shared by the tests: compiling a 13 MB proxy takes seconds.
var (
	rtOnce sync.Once
	rt     *host.Runtime
)

func runtime(t testing.TB) *host.Runtime {
	rtOnce.Do(func() {
		rt = host.NewRuntime(context.Background(), host.Options{StopOnContextDone: true, CacheDir: filepath.Join(os.TempDir(), "witc-test-cache")})
	})
	return rt
}

func serve(t testing.TB, name string, opts wasihttp.Options) *httptest.Server {
	b, err := os.ReadFile(filepath.Join("testdata", name+".wasm"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	h, err := wasihttp.New(ctx, runtime(t), b, opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		h.Close(ctx)
	})
	return srv
}

// bodies are the request bodies of scripts/http-fixtures.sh.
func bodies() map[string][]byte {
	small := []byte("witc echo: 0123456789 \x00\x01\xfe\xff end")
	k100 := make([]byte, 100000)
	for i := range k100 {
		k100[i] = byte(i * 7)
	}
	m4 := make([]byte, 4<<20)
	for i := range m4 {
		m4[i] = byte(i*31 + i>>12)
	}
	return map[string][]byte{"echo-small": small, "echo-100k": k100, "upload-4m": m4, "empty": {}}
}

// requests are the requests of scripts/http-fixtures.sh, in its order.
var requests = []struct {
	method, path, body string
	headers            [][2]string
}{
	{"GET", "/", "", nil},
	{"POST", "/echo", "echo-small", nil},
	{"POST", "/echo", "echo-100k", nil},
	{"GET", "/status/418", "", nil},
	{"GET", "/big", "", nil},
	{"POST", "/count", "upload-4m", nil},
	{"POST", "/count", "empty", nil},
	{"GET", "/headers?b=2&a=1", "", [][2]string{{"X-Test-B", "two"}, {"x-test-a", "one"}, {"X-Test-A", "uno"}, {"Y-Other", "no"}}},
	{"GET", "/missing", "", nil},
}

// TestAsJcoServe: the fixtures answer witc's handler as they answered
// jco serve, request for request.
func TestAsJcoServe(t *testing.T) {
	bs := bodies()
	for _, name := range fixtures {
		t.Run(name, func(t *testing.T) {
			want := expectedBlocks(t, name)
			srv := serve(t, name, wasihttp.Options{})
			for i, rq := range requests {
				var body io.Reader
				if rq.body != "" {
					body = bytes.NewReader(bs[rq.body])
				}
				req, err := http.NewRequest(rq.method, srv.URL+rq.path, body)
				if err != nil {
					t.Fatal(err)
				}
				for _, h := range rq.headers {
					req.Header.Add(h[0], h[1])
				}
				resp, err := srv.Client().Do(req)
				if err != nil {
					t.Errorf("%s %s: %v", rq.method, rq.path, err)
					continue
				}
				got := describe(resp)
				if i >= len(want) || got != want[i] {
					t.Errorf("%s %s:\ngot:\n%s\njco serve:\n%s", rq.method, rq.path, got, want[min(i, len(want)-1)])
				}
			}
		})
	}
}

// describe writes a response as scripts/http-fixtures.sh does.
func describe(resp *http.Response) string {
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	var sb strings.Builder
	fmt.Fprintf(&sb, "=== %s %s\nstatus %d\n", resp.Request.Method, resp.Request.URL.RequestURI(), resp.StatusCode)
	var lines []string
	for name, vs := range resp.Header {
		n := strings.ToLower(name)
		switch n {
		case "date", "connection", "keep-alive", "transfer-encoding", "content-length":
			continue
		}
		for _, v := range vs {
			lines = append(lines, n+": "+v)
		}
	}
	slices.Sort(lines)
	for _, l := range lines {
		sb.WriteString(l + "\n")
	}
	if len(body) <= 1024 {
		fmt.Fprintf(&sb, "body %d %s\n", len(body), quote(body))
	} else {
		sum := sha256.Sum256(body)
		fmt.Fprintf(&sb, "body %d sha256 %s\n", len(body), hex.EncodeToString(sum[:]))
	}
	if err != nil {
		fmt.Fprintf(&sb, "error %v after the headers\n", err)
	}
	return sb.String()
}

func quote(b []byte) string {
	var sb strings.Builder
	sb.WriteByte('"')
	for _, c := range b {
		switch {
		case c == '"':
			sb.WriteString(`\"`)
		case c == '\\':
			sb.WriteString(`\\`)
		case c == '\n':
			sb.WriteString(`\n`)
		case c == '\t':
			sb.WriteString(`\t`)
		case c < 0x20 || c > 0x7e:
			fmt.Fprintf(&sb, `\u%04x`, c)
		default:
			sb.WriteByte(c)
		}
	}
	sb.WriteByte('"')
	return sb.String()
}

// expectedBlocks reads the answers of the requests above from
// testdata/expected/NAME.txt.
func expectedBlocks(t *testing.T, name string) []string {
	f, err := os.Open(filepath.Join("testdata", "expected", name+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var blocks []string
	var cur *strings.Builder
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, "=== "):
			if len(blocks) == len(requests) {
				return blocks
			}
			cur = &strings.Builder{}
			blocks = append(blocks, "")
		}
		if cur != nil {
			cur.WriteString(line + "\n")
			blocks[len(blocks)-1] = cur.String()
		}
	}
	return blocks
}

// TestFailingGuests: a guest that traps, loops past the timeout, returns
// without a response or drops its body gives its request a 500 (or a cut
// connection once the response has begun) and the reason in the log,
// and the handler goes on serving.
func TestFailingGuests(t *testing.T) {
	for _, name := range fixtures {
		t.Run(name, func(t *testing.T) {
			var log syncBuffer
			srv := serve(t, name, wasihttp.Options{Timeout: time.Second, Log: &log})
			for _, c := range []struct{ path, reason string }{
				{"/trap", "unreachable"},
				{"/loop", "deadline"},
				{"/noresponse", "without setting the response-outparam"},
			} {
				t0 := time.Now()
				resp, err := srv.Client().Get(srv.URL + c.path)
				if err != nil {
					t.Fatalf("%s: %v", c.path, err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 500 {
					t.Errorf("%s: status %d, want 500", c.path, resp.StatusCode)
				}
				if d := time.Since(t0); c.path == "/loop" && d > 5*time.Second {
					t.Errorf("/loop answered after %v; the timeout is 1 s", d)
				}
				// StarlingMonkey's fetch event answers an exception, or no
				// response, with a 500 of its own.
				if name != "http-fetch" && !strings.Contains(log.String(), c.reason) {
					t.Errorf("%s: the log does not say %q:\n%s", c.path, c.reason, log.String())
				}
				resp, err = srv.Client().Get(srv.URL + "/")
				if err != nil || resp.StatusCode != 200 {
					t.Fatalf("GET / after %s: %v %v", c.path, resp, err)
				}
				resp.Body.Close()
			}
		})
	}
}

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

// TestOverConcurrencyLimit: past MaxConcurrent requests in progress, a
// request gets 503 at once; once they end, requests are served again.
func TestOverConcurrencyLimit(t *testing.T) {
	srv := serve(t, "http-wat", wasihttp.Options{MaxConcurrent: 1, Timeout: 2 * time.Second})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for { // until /loop itself is not the one refused
			resp, err := srv.Client().Get(srv.URL + "/loop")
			if err != nil {
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusServiceUnavailable {
				return
			}
		}
	}()
	for got503 := false; !got503; {
		resp, err := srv.Client().Get(srv.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		got503 = resp.StatusCode == http.StatusServiceUnavailable
		select {
		case <-done:
			if !got503 {
				t.Fatal("no 503 while /loop held the only instance")
			}
		default:
		}
	}
	<-done
	resp, err := srv.Client().Get(srv.URL + "/")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET / after the loop: %v %v", resp, err)
	}
	resp.Body.Close()
}

// TestRequestBodyLimit: a guest cannot read more of a body than
// MaxRequestBody.
func TestRequestBodyLimit(t *testing.T) {
	srv := serve(t, "http-wat", wasihttp.Options{MaxRequestBody: 1000})
	resp, err := srv.Client().Post(srv.URL+"/count", "", bytes.NewReader(make([]byte, 1<<20)))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode == 200 && strings.TrimSpace(string(b)) == fmt.Sprint(1<<20) {
		t.Fatalf("the guest read the whole 1 MiB body past a limit of 1000 bytes")
	}
	resp, err = srv.Client().Post(srv.URL+"/count", "", bytes.NewReader(make([]byte, 1000)))
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != "1000\n" {
		t.Fatalf("a body of 1000 bytes, the limit: %d %q", resp.StatusCode, b)
	}
}
