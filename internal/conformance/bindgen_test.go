package conformance

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/witc-dev/witc/bindgen"
	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/loader"
)

// bindgenSets are the WIT inputs whose worlds bindgen must handle: the
// wit-bindgen runtime tests, the real-wit sets, WASI 0.2.12 and the
// corpus worlds.
func bindgenSets(t *testing.T, shared string) []string {
	var out []string
	for _, p := range realSets(t, shared) {
		rel, _ := filepath.Rel(shared, p)
		if strings.HasPrefix(rel, "wasi-wit") && !strings.HasPrefix(rel, filepath.Join("wasi-wit", "0.2.12")) {
			continue // other WASI versions add nothing new for bindgen
		}
		out = append(out, p)
	}
	own, _ := filepath.Glob(filepath.Join("..", "..", "bindgen", "testdata", "*.wit"))
	out = append(out, own...)
	corpus := filepath.Join(shared, "..", "corpus", "src", "wit")
	if m, _ := filepath.Glob(filepath.Join(corpus, "*")); len(m) > 0 {
		out = append(out, m...)
	}
	return out
}

// TestBindgenCompiles generates bindings for every world of the
// conformance WIT and checks that each generates, compiles and passes
// `go vet` in a temporary module. Worlds using what bindgen does not
// support yet (async, stream, future, error-context) are counted and
// listed with the reason.
func TestBindgenCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles hundreds of generated packages")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	shared := sharedDir(t)
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	gomod := fmt.Sprintf("module bindgentest\n\ngo 1.26\n\nrequire github.com/witc-dev/witc v0.0.0\n\nreplace github.com/witc-dev/witc => %s\n", repo)
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(mod, "go.sum"), sum, 0o644)

	generated := 0
	unsupported := map[string][]string{}
	pkgOf := map[string]string{}
	for _, set := range bindgenSets(t, shared) {
		var r diag.Report
		res, main := loader.Load(set, realFeatures(set), &r)
		if r.HasErrors() || main == nil {
			continue // TestRealWIT reports these
		}
		rel, _ := filepath.Rel(shared, set)
		for _, w := range main.Worlds {
			name := fmt.Sprintf("w%03d", generated+len(flatten(unsupported)))
			src, err := bindgen.Generate(res, w, bindgen.Options{Package: name})
			var u *bindgen.UnsupportedError
			if errors.As(err, &u) {
				unsupported[u.What] = append(unsupported[u.What], rel+" world "+w.Name)
				continue
			}
			if err != nil {
				t.Errorf("%s world %s: %v", rel, w.Name, err)
				continue
			}
			dir := filepath.Join(mod, name)
			os.Mkdir(dir, 0o755)
			if err := os.WriteFile(filepath.Join(dir, "bindings.go"), src, 0o644); err != nil {
				t.Fatal(err)
			}
			pkgOf[name] = rel + " world " + w.Name
			generated++
		}
	}
	cmd := exec.Command(gobin, "vet", "./...")
	cmd.Dir = mod
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		// Name the worlds whose packages failed.
		text := string(out)
		for name, what := range pkgOf {
			text = strings.ReplaceAll(text, " "+name+"/bindings.go", " "+name+"/bindings.go ("+what+")")
		}
		t.Errorf("go vet of the generated bindings failed: %v\n%s", err, text)
	}
	var whats []string
	for w := range unsupported {
		whats = append(whats, w)
	}
	sort.Strings(whats)
	var b strings.Builder
	for _, w := range whats {
		fmt.Fprintf(&b, "\n  %s: %d worlds (e.g. %s)", w, len(unsupported[w]), unsupported[w][0])
	}
	t.Logf("bindgen: %d worlds generate, compile and pass go vet; %d use what bindgen does not support yet:%s",
		generated, len(flatten(unsupported)), b.String())
	if generated < 100 {
		t.Errorf("only %d worlds generated; expected the conformance data to give well over 100", generated)
	}
}

func flatten(m map[string][]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v...)
	}
	return out
}
