package host

import (
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// CoreFeatures are the WebAssembly core features NewRuntime turns on:
// WebAssembly 2.0 and what wazero 1.12 implements behind its experimental
// flags that component producers emit — extended constant expressions
// (QuickJS, LLVM), tail calls, exception handling (the exnref form) and
// typed function references. A runtime made with WithRuntime has the
// features its wazero runtime was configured with.
//
// Threads stay off: no component producer emits shared memories or
// atomics (the component model's threads are a proposal of their own),
// and with the flag on wazero interprets instead of compiling on arm64
// CPUs without LSE atomics. A module that needs it fails to compile with
// wazero's own message naming the feature; multi-memory, memory64 and
// custom page sizes, which wazero cannot run at all, are refused by name
// before wazero sees the module.
const CoreFeatures = api.CoreFeaturesV2 |
	experimental.CoreFeaturesExtendedConst |
	experimental.CoreFeaturesTailCall |
	experimental.CoreFeaturesExceptionHandling |
	experimental.CoreFeaturesTypedFunctionReferences
