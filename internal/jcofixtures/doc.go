// Package jcofixtures runs jco's own prebuilt test components on witc's
// runtime: the last point of issue 10 ("the components among jco's
// prebuilt test fixtures instantiate, and the wasi:cli commands among
// them print what `jco run` prints").
//
// The fixtures are not committed (../shared/conformance/JCO-FIXTURES.md
// lists them). Get them with
//
//	fetch github:bytecodealliance/jco              # prints GIT_DIR
//	scripts/jco-fixtures.sh GIT_DIR /tmp/jco-fixtures
//	make jco-fixtures                              # JCO_FIXTURES=/tmp/jco-fixtures
//
// TestJcoFixtures runs only when WITC_JCO_FIXTURES names that directory.
// For every .wasm under it that is a component (core modules are skipped
// and logged; the 6 .wat files are not read) it decodes and validates the
// component (component/check with wasmparser's default proposals, else
// the ones beyond them it needs, which the runtime accepts), instantiates
// it on a host.Runtime with WASI and l.TrapUnknownImports() — the non-WASI
// imports (test:numbers/test, local:local/*, ...) are provided by jco's
// TypeScript host programs and its composed test pairs, which witc does
// not have — under a 60 s timeout and a 1 GiB memory limit, then calls
// what jco's tests run: a command's wasi:cli/run (exit status, stdout and
// stderr by length, sha256 and text), and local:local/run#run for the
// caller/callee pairs ported from Wasmtime's component-async-tests. A
// wasi:cli/run@0.3.0 command is run as wasi.Run runs one (its tasks
// settled, the instance closed, its output copies waited for), the three
// p3/fs ones with a new empty directory granted as "." (Wasmtime's test
// runner gives them one). The outcomes are compared with
// testdata/expected.txt (witc's own measured results, with a comment on
// each p3 failure that is not a missing interface; WITC_JCO_UPDATE=1
// rewrites it, keeping its comment lines).
//
// Measured at jco 2103f729 (154 files in the snapshot, 7 blobs absent):
//
//	148 .wasm, all components: all validate (142 with wasmparser's
//	    defaults; 6 need cm-error-context (3), cm-async-stackful (2) or
//	    cm-more-async-builtins (1)) and all 148 instantiate.
//	 40 export wasi:cli/run@0.2.x and run to their end (below).
//	 52 export wasi:cli/run@0.3.0 (p3/cli, clocks, fs, http, random,
//	    sockets); witc runs them (WASI 0.3: cli, clocks, random,
//	    filesystem):
//	     1 runs to its end, exit 0 (p3/random/p3-random-imports);
//	     6 trap at a synchronous stream.cancel-read on an end in a
//	       waitable set (p3-cli-hello-stdout, -post-return, p3-clocks-
//	       sleep, the 3 p3/fs programs): wit-bindgen 0.58, which built
//	       them, cancels the read of its inter-task wakeup stream so; the
//	       spec traps on it (CanonicalABI.md cancel_copy: trap_if(
//	       e.in_waitable_set() and not async_)), and so does witc. The
//	       hello-stdout ones print what they should before; the others
//	       trap in their middle. Measured with that cancel allowed (the
//	       older rule, in a scratch build): both hello-stdout ones and
//	       the 3 fs programs run to their end with exit 0 and every
//	       assertion holding; p3-clocks-sleep then fails its assertion
//	       that an async-lowered wait-until(now) is ready at once (a
//	       host.Linker.AsyncFunc always starts a subtask first);
//	     7 panic on what Wasmtime's test runner gives and jco's does not:
//	       arguments (p3-cli, p3-cli-much-stdout) or $HTTP_SERVER (5
//	       p3-http-outbound-request-*);
//	    38 trap at their first call of an interface witc does not provide
//	       at 0.3: wasi:http (9 outbound-request commands), wasi:sockets
//	       (29).
//	 15 export local:local/run too: witc runs it; 3 exit 0 (async-
//	    backpressure-callee, async-error-context-callee, async-error-
//	    context), async-intertask-communication reports a deadlock (Wasmtime
//	    calls run twice at once, the first call waiting on the second:
//	    testdata/scenarios.txt), 11 trap at their first local:local/*
//	    import (2 of them, p3/poll/async-poll-synchronous and
//	    p3/yield/async-yield-callee-synchronous, are lifted sync).
//	 56 others (runtime/*, p3/http handlers, ...) are not commands: they
//	    instantiate and nothing is called.
//
// jco run as the oracle (jco 1.35.0, preview2-shim 0.26.1, node 20; the
// environment emptied and argv[0] set to the file name without .wasm as
// witc passes them; node 20 has no JSPI, so a stand-in that throws if an
// import returns a promise; imports jco does not provide resolved to stub
// modules whose functions throw, as TrapUnknownImports does):
//
//	fixtures                                 jco run             witc
//	hello_stdout.component.wasm              exit 0, "writing to stdout: hello, world\n",
//	                                         stderr "writing to stderr: hello, world\n"  same
//	stdout-pollable-hang, utf8-utf16 ("ret: \n"),
//	22 p3 wasi:cli/run@0.2.6-only commands   exit 0, no output   same (25 of 25 exact)
//	15 exporting local:local/run as well     jco's runner calls local:local/run#run (its
//	                                         `run` export names that interface), not
//	                                         wasi:cli/run: 3 exit 0, 12 fail (stub import
//	                                         called, no JSPI, "deadlock detected",
//	                                         wasm-tools refuses the file); witc runs
//	                                         wasi:cli/run, Wasmtime's empty `fn main() {}`
//	                                         (exit 0), then local:local/run as above
//	52 wasi:cli/run@0.3.0 commands           fail: preview3-shim needs JSPI (node 20: none);
//	                                         witc: as above (no oracle to compare with)
//
// TestJcoScenarios (scenarios_test.go) runs the scenarios of Wasmtime's
// component-async-tests on the p3 fixtures: the caller/callee pairs
// composed by witc (compose plug mode; a WAC document for two round-trip
// components, each of which imports and exports local:local/baz), the
// host imports Wasmtime's Rust host provides that are simple (baz#foo,
// sleep#sleep-millis) given by Go host functions, then the run (or foo)
// export called once. Outcomes (pass, trap, deadlock, refused, ...) are
// compared with testdata/scenarios.txt, whose comments give each
// failure's cause.
//
// So every WASI 0.2 command jco can run prints the same bytes under witc
// with the same status; no difference found is witc's. One validation
// difference, not the runtime's: p3/yield/async-yield-callee-synchronous
// uses the historic `cancellable` byte of a waitable-set/thread built-in,
// which jco's wasm-tools 0.259 refuses ("invalid leading byte (0x1) for
// zero byte ... until WebAssembly/component-model#716") and witc, like the
// spec scripts in ../shared (binary.wast), accepts.
package jcofixtures
