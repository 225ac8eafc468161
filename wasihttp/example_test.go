package wasihttp_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wasihttp"
)

// A Go program serves an HTTP component like any handler: here on a test
// server on loopback, with a fresh instance for each request.
func Example() {
	ctx := context.Background()
	// StopOnContextDone lets Options.Timeout stop a guest that loops.
	rt := host.NewRuntime(ctx, host.Options{StopOnContextDone: true})
	defer rt.Close(ctx)
	wasm, err := os.ReadFile("testdata/http-wat.wasm")
	if err != nil {
		log.Fatal(err)
	}
	h, err := wasihttp.New(ctx, rt, wasm, wasihttp.Options{Timeout: 10 * time.Second})
	if err != nil {
		log.Fatal(err)
	}
	defer h.Close(ctx)

	mux := http.NewServeMux()
	mux.Handle("/", h)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		log.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Print(resp.Status, ": ", string(body))
	// Output: 200 OK: hello from http-wat
}
