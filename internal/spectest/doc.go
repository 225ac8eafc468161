// Package spectest runs the Component Model's `.wast` scripts — those of
// the component-model repository (spec/), wasm-tools (wasm-tools/) and
// Wasmtime (wasmtime/) under ../shared/conformance/component-wast — on
// witc's host, through its public Go API.
//
// It has three parts:
//
//   - A reader for the component dialect of WAST (ParseScript): the
//     directives `(component $C ...)`, `(component definition $C ...)`,
//     `(component instance $i $C)`, `(module ...)`, the `binary` and
//     `quote` forms, `(invoke $i? "f" args...)`, `assert_return`,
//     `assert_trap`, `assert_invalid`, `assert_malformed`,
//     `assert_unlinkable`, `assert_uninstantiable`, `register`, Wasmtime's
//     `;;! flag = value` header lines, and the value constants (`u32.const`,
//     `str.const`, `record.const (field "a" u8.const 1)`, `variant.const`,
//     `flags.const`, `option.some`, `result.err`, ...). Constants have no
//     WIT type of their own: ToValue reads one as a canonabi.Value of the
//     parameter type it is passed as, Match compares a result with one at
//     the function's result type.
//   - A cache of binaries (Cache): the modules are written in the text
//     format, which witc does not read, so `make spectest` converts them
//     with jco's WAT reader (wasm-tools' parser, strict component indices)
//     outside git: TestExtract writes the texts to a manifest, convert.mjs
//     parses them all in one node process into `<hash>.wasm` (or
//     `<hash>.err`, the reader's message). Nothing made from ../shared is
//     committed.
//   - A runner (Runner) that executes a script as the scripts assume: one
//     instance per `(component ...)`, invokes going to the most recent
//     instance (or the one they name), so state carries from one invoke to
//     the next. `assert_return` agrees when the results match,
//     `assert_trap` when the call (or the instantiation) fails with a trap
//     (host.TrapError or canonabi.Trap; messages are not compared, they are
//     Wasmtime's) — not with the trap of what witc does not run
//     (host.UnsupportedError: an async, threading or error-context
//     built-in, a function lifted with the async ABI), which is a
//     disagreement — and `assert_unlinkable` when instantiation fails with a
//     host.LinkError. Validation assertions (`assert_invalid`,
//     `assert_malformed`) are read but left to a validation suite. The
//     imports Wasmtime's runner provides (`host-return-two`,
//     `host-echo-u32`, the instance `host` with `return-three`, `return-hi`
//     and the resources `resource1` and `resource2`) are linked with the
//     types the component imports them with (the top-level functions,
//     when the component does not import them as functions, with
//     Wasmtime's types: importing one as an instance fails to link); those
//     it cannot be given through the host's API (the nested instance
//     `host.nested`, the core module `host.simple-module`, Wasmtime's
//     registration of named instances for later imports, the async host
//     functions) are not.
//
// TestSpec runs every script, each in a child process with a deadline
// (the host cannot interrupt a running guest), reports per folder how
// many assertions agree, and checks every disagreement against
// testdata/known-failures.txt, which gives each one's cause.
//
// TestSpecValidate is the validation mode: every component of the scripts
// goes through check.ValidateFeatures (the component and its core
// modules' code), with the features the script's upstream enables
// (Features: wasm-tools' `-f` options, Wasmtime's `;;!` flags, the
// component-model repository's list). Those the scripts expect to be
// valid (a component, or one an assert_trap, assert_unlinkable or
// assert_uninstantiable instantiates) must be accepted, those in
// assert_invalid and assert_malformed rejected; it reports per folder how
// many agree, and checks every disagreement against
// testdata/validate-known-failures.txt, which gives each one's cause.
//
// TestCoreValidate runs the core validator (check.ValidateCoreModule, the
// one ValidateFeatures runs on a component's core modules) on every
// module of the core WebAssembly testsuite when $WITC_CORE_SCRIPTS names
// a checkout of github.com/WebAssembly/testsuite (make spectest
// CORE_TESTSUITE=dir converts its modules too); every disagreement fails
// it, except valid modules of the proposals witc leaves off (legacy
// exceptions, custom descriptors), which are counted.
package spectest
