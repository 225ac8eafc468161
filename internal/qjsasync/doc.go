// Package qjsasync runs a component built by componentize-qjs with its
// default runtime, which supports the component model's async ABI, on
// witc's runtime (part of issue 16). It has no code of its own: only tests
// and their fixture.
//
// testdata/qjsasync.wasm is built from testdata/src (fixtures.js and the
// world witc:qjsasync/fixtures in wit/qjsasync.wit) by
// scripts/qjs-async-fixtures.sh (make qjs-async-fixtures; needs node and
// npm, componentize-qjs 0.4.5 through jco 1.35.0); go test needs only the
// committed file. Every function of its exported interface
// witc:qjsasync/api is an `async func`, which componentize-qjs lifts
// stackless: `canon lift ... async (callback ...)`; the resource
// constructor is lifted sync. The component imports WASI 0.2 (package
// wasi provides it) and exports `init` too, componentize-qjs's, which the
// tests do not call: the script is already loaded in the built file.
//
// The tests instantiate it with package host and call the functions of
// scalars, strings, lists, records and results, and the async method of a
// resource, through Func.Call, checking the values the WIT comments and
// fixtures.js define; and run `witc run --invoke` (a witc built once by
// TestMain) on the functions whose arguments and results WAVE can write,
// checking its output.
//
// The functions that take or return streams and futures (upper, stats,
// plus-one, count-to) are called through the bindings `witc bindgen`
// generates for the world (bindings/, TestBindings, with host.Stream,
// host.ByteStream and host.Future) and, with their WAVE forms (a stream
// written as a list, a future as its value), by cmd/witc's
// TestInvokeStreams.
package qjsasync
