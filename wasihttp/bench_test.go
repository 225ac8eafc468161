package wasihttp_test

import (
	"io"
	"net/http"
	goruntime "runtime"
	"testing"

	"github.com/witc-dev/witc/wasihttp"
)

// BenchmarkServe is a GET / of the componentize-js proxy over loopback,
// one request at a time, each served by a fresh instance.
// scripts/http-bench.sh compares the whole server with jco serve.
func BenchmarkServe(b *testing.B) {
	srv := serve(b, "http-js", wasihttp.Options{})
	client := srv.Client()
	b.ReportAllocs()
	for b.Loop() {
		get(b, client, srv.URL+"/")
	}
}

// BenchmarkServeParallel is the same with 8 clients at once.
func BenchmarkServeParallel(b *testing.B) {
	srv := serve(b, "http-js", wasihttp.Options{})
	client := srv.Client()
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = 8
	b.SetParallelism(8 / max(1, testingProcs()))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			get(b, client, srv.URL+"/")
		}
	})
}

func get(b *testing.B, c *http.Client, url string) {
	resp, err := c.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		b.Fatalf("status %d", resp.StatusCode)
	}
}

func testingProcs() int { return goruntime.GOMAXPROCS(0) }
