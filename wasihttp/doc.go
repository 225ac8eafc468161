// Package wasihttp serves HTTP with WebAssembly components: it
// implements wasi:http 0.2 (wasi:http/types and outgoing-handler, every
// 0.2.x version by semver) on packages host and wasi, and runs
// wasi:http/proxy components — what componentize-js, Rust, Python and C
// toolchains build for Spin, wasmCloud or `wasmtime serve` — behind an
// http.Handler that Go programs mount like any other:
//
//	h, err := wasihttp.New(ctx, rt, wasm, wasihttp.Options{Timeout: 10 * time.Second})
//	...
//	mux.Handle("/api/", h)
//
// The component is decoded, checked and compiled once (host.Compiled);
// every request gets a fresh instance of its own, so that no request sees
// another's state, with WASI (Options.WASI: environment, directories; the
// guest's output lines prefixed with the request's id) and wasi:http
// linked to it. The request comes in as an incoming-request: method, path
// with query, scheme, authority, headers (immutable fields), and its body
// as an input-stream the guest reads as the client sends it (bounded by
// Options.MaxRequestBody). The guest answers through its
// response-outparam, once: the status and headers are written when it
// sets it, the body streams to the client as the guest writes it (a
// flush of the stream flushes the connection), and the request is
// complete when the guest finishes the body; a guest may go on working
// after that, until its handler returns or its Timeout.
//
// Failures answer the request, not the server: a guest that traps, runs
// past Options.Timeout (on a runtime created with
// host.Options.StopOnContextDone), or returns without setting its
// response gets 500 with the reason in Options.Log; once a response has
// begun, its connection is cut instead. Past Options.MaxConcurrent
// requests in progress a request gets 503 at once. A guest that answers
// with an error-code gets the status it stands for (HTTP-request-denied
// 403, HTTP-request-body-size 413, timeouts 504, ...).
//
// Fields follow the spec: names are lower-cased, invalid names or values
// are refused with header-error.invalid-syntax, the hop-by-hop and
// host-owned headers (connection, keep-alive, proxy-connection,
// proxy-authenticate, proxy-authorization, te, transfer-encoding,
// upgrade, host, http2-settings) with header-error.forbidden, and the headers of a request or
// response, once attached, are immutable.
//
// Outgoing requests (wasi:http/outgoing-handler) go through the
// http.RoundTripper of Options.Outgoing, and only to the hosts its Allow
// allows: by default none, and the guest gets HTTP-request-denied.
// request-options' connect and first-byte timeouts bound the wait for the
// response headers.
//
// Not done: response-outparam.send-informational (unstable in WASI
// 0.2.12, not in the WIT witc links against), http-error-code (always
// none), wasi:http 0.3.
package wasihttp
