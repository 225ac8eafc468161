package check

import "strings"

// Features is a set of WebAssembly and component-model proposals that
// validation accepts. A component that uses a proposal outside the set is
// rejected with an error naming it ("… requires the component model
// async feature", "feature `memory64` is not enabled").
//
// The names are those of wasmparser's WasmFeatures (and of the `-f` flag
// of `wasm-tools validate`), so that a set can be written the way
// upstream's test scripts write it.
type Features uint64

// The proposals validation knows about. Those of the component model are
// prefixed `cm-` in their names.
const (
	// FeatureCMAsync: async lifts and lowers, streams, futures, tasks,
	// waitable sets and the built-ins that go with them.
	FeatureCMAsync Features = 1 << iota
	// FeatureCMAsyncStackful: async lifts without a callback.
	FeatureCMAsyncStackful
	// FeatureCMMoreAsyncBuiltins: the synchronous forms of the stream and
	// future built-ins, and the async forms of the cancel built-ins.
	FeatureCMMoreAsyncBuiltins
	// FeatureCMThreading: the thread.* built-ins and shared context slots.
	FeatureCMThreading
	// FeatureCMErrorContext: the error-context type and its built-ins.
	FeatureCMErrorContext
	// FeatureCMFixedLengthLists: list<T, N>.
	FeatureCMFixedLengthLists
	// FeatureCMGC: the `gc` and `core-type` canonical options.
	FeatureCMGC
	// FeatureCMMap: map<K, V>.
	FeatureCMMap
	// FeatureCM64: 64-bit memories in canonical options.
	FeatureCM64
	// FeatureCMImplements: the `implements` name attribute.
	FeatureCMImplements
	// FeatureCMValues: value imports, exports and the start function.
	FeatureCMValues
	// FeatureCMNestedNames: nested interface names (`a:b/c/d`).
	FeatureCMNestedNames
	// FeatureCMCanonNames: canonical interface versions (`a:b/c@1`)
	// with the `versionsuffix` attribute.
	FeatureCMCanonNames
	// FeatureSharedEverythingThreads: shared types and the
	// thread.spawn-ref, spawn-indirect, available-parallelism built-ins.
	FeatureSharedEverythingThreads
	// FeatureGC: core GC types (struct, array, rec groups, subtypes).
	FeatureGC
	// FeatureExceptions: core tags and exception handling.
	FeatureExceptions
	// FeatureMemory64: 64-bit core memories and tables.
	FeatureMemory64
	// FeatureMultiMemory: more than one core memory.
	FeatureMultiMemory
	// FeatureCustomPageSizes: core memories with a page size other than
	// 64 KiB.
	FeatureCustomPageSizes
	// FeatureThreads: shared core memories and atomics.
	FeatureThreads
	// FeatureSIMD: v128 and the SIMD instructions.
	FeatureSIMD
	// FeatureRelaxedSIMD: the relaxed SIMD instructions.
	FeatureRelaxedSIMD
	// FeatureTailCall: return_call and its kin.
	FeatureTailCall
	// FeatureFunctionReferences: typed function references.
	FeatureFunctionReferences
	// FeatureWideArithmetic: the 128-bit arithmetic instructions.
	FeatureWideArithmetic
	// FeatureExtendedConst: arithmetic in constant expressions.
	FeatureExtendedConst
	// FeatureReferenceTypes: reference types, tables of them, multiple
	// tables.
	FeatureReferenceTypes
	// FeatureBulkMemory: memory.copy, fill, init and their table forms.
	FeatureBulkMemory

	featureEnd
)

// DefaultFeatures are the proposals wasmparser's validator enables by
// default (wasm-tools 1.24x): the core proposals of WebAssembly 3.0 and
// the component model with async, but none of the component model's
// later additions.
const DefaultFeatures = FeatureCMAsync | FeatureGC | FeatureExceptions | FeatureMemory64 |
	FeatureMultiMemory | FeatureThreads | FeatureSIMD | FeatureRelaxedSIMD | FeatureTailCall |
	FeatureFunctionReferences | FeatureWideArithmetic | FeatureExtendedConst |
	FeatureReferenceTypes | FeatureBulkMemory

// AllFeatures enables every proposal validation knows: what the rest of
// the toolchain (WIT extraction, composition, the runtime) accepts.
const AllFeatures = featureEnd - 1

var featureNames = map[Features]string{
	FeatureCMAsync: "cm-async", FeatureCMAsyncStackful: "cm-async-stackful",
	FeatureCMMoreAsyncBuiltins: "cm-more-async-builtins", FeatureCMThreading: "cm-threading",
	FeatureCMErrorContext: "cm-error-context", FeatureCMFixedLengthLists: "cm-fixed-length-lists",
	FeatureCMGC: "cm-gc", FeatureCMMap: "cm-map", FeatureCM64: "cm64",
	FeatureCMImplements: "cm-implements", FeatureCMValues: "cm-values",
	FeatureCMNestedNames: "cm-nested-names", FeatureCMCanonNames: "cm-canon-names",
	FeatureSharedEverythingThreads: "shared-everything-threads",
	FeatureGC:                      "gc", FeatureExceptions: "exceptions", FeatureMemory64: "memory64",
	FeatureMultiMemory: "multi-memory", FeatureCustomPageSizes: "custom-page-sizes",
	FeatureThreads: "threads", FeatureSIMD: "simd", FeatureRelaxedSIMD: "relaxed-simd",
	FeatureTailCall: "tail-call", FeatureFunctionReferences: "function-references",
	FeatureWideArithmetic: "wide-arithmetic", FeatureExtendedConst: "extended-const",
	FeatureReferenceTypes: "reference-types", FeatureBulkMemory: "bulk-memory",
}

// String is the feature's name (or the names of a set, comma-separated).
func (f Features) String() string {
	var names []string
	for b := Features(1); b < featureEnd; b <<= 1 {
		if f&b != 0 {
			names = append(names, featureNames[b])
		}
	}
	return strings.Join(names, ",")
}

// FeatureByName finds a feature by its name (as String writes it; `_`
// and `-` are alike, so Wasmtime's flag names are found too: `cm_async`,
// and `component_model_async`).
func FeatureByName(name string) (Features, bool) {
	n := strings.ReplaceAll(strings.ToLower(name), "_", "-")
	n = strings.Replace(n, "component-model-", "cm-", 1)
	if n == "component-model-64" || n == "cm-memory64" {
		n = "cm64"
	}
	for f, s := range featureNames {
		if s == n {
			return f, true
		}
	}
	return 0, false
}

// Has reports whether every feature of g is in f.
func (f Features) Has(g Features) bool { return f&g == g }
