package spectest

import (
	"strings"

	"github.com/witc-dev/witc/component/check"
)

// specFeatures are the proposals the component-model repository runs its
// tests with (test/README.md: Wasmtime with these features on).
const specFeatures = check.DefaultFeatures | check.FeatureCMMoreAsyncBuiltins | check.FeatureCMThreading |
	check.FeatureCMAsyncStackful | check.FeatureCMImplements | check.FeatureCMFixedLengthLists | check.FeatureCMMap

// Features are the proposals a script is validated with, as its upstream
// runs it: wasmparser's defaults changed by the `-f` options of
// wasm-tools' RUN line, or by Wasmtime's `;;! flag = bool` lines; the
// component-model repository's scripts with the features its README
// lists.
func Features(s *Script) check.Features {
	folder, _, _ := strings.Cut(s.Path, "/")
	switch folder {
	case "spec":
		return specFeatures
	case "wasm-tools":
		return runFeatures(s.Run)
	}
	f := check.DefaultFeatures
	for name, v := range s.Flags {
		feat, ok := check.FeatureByName(name)
		if !ok {
			continue
		}
		switch v {
		case "true":
			f |= feat
		case "false":
			f &^= feat
		}
	}
	return f
}

// runFeatures applies the `-f`/`--features` options of a `wasm-tools
// wast` command line to the default features.
func runFeatures(run string) check.Features {
	f := check.DefaultFeatures
	args := strings.Fields(run)
	for i := 0; i < len(args); i++ {
		a := args[i]
		var list string
		switch {
		case a == "-f" || a == "--features":
			if i+1 < len(args) {
				list = args[i+1]
				i++
			}
		case strings.HasPrefix(a, "-f="):
			list = a[len("-f="):]
		case strings.HasPrefix(a, "--features="):
			list = a[len("--features="):]
		default:
			continue
		}
		for _, part := range strings.Split(list, ",") {
			enable := !strings.HasPrefix(part, "-")
			part = strings.TrimPrefix(part, "-")
			if part == "all" {
				if enable {
					f = check.AllFeatures
				} else {
					f = 0
				}
				continue
			}
			feat, ok := check.FeatureByName(part)
			if !ok {
				continue
			}
			if enable {
				f |= feat
			} else {
				f &^= feat
			}
		}
	}
	return f
}
