package loader

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"sync"
	"testing"

	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/internal/synthwit"
	"github.com/witc-dev/witc/parser"
)

// TestSyntheticPackage checks that the synthetic package resolves, and
// writes it to $WITC_SYNTHETIC_OUT when that is set (for measuring
// `witc wit` on it as a whole process).
func TestSyntheticPackage(t *testing.T) {
	src := synthwit.Package(1000)
	var r diag.Report
	LoadSource("synth.wit", src, Options{}, &r)
	if r.HasErrors() {
		t.Fatal(diag.Renderer{}.Render(r.Diagnostics))
	}
	if out := os.Getenv("WITC_SYNTHETIC_OUT"); out != "" {
		if err := os.WriteFile(out, src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("synthetic package: %d bytes", len(src))
}

// BenchmarkLoadSynthetic parses and resolves the synthetic package of 1000
// interfaces (614 KB), from source text already in memory.
func BenchmarkLoadSynthetic(b *testing.B) {
	src := synthwit.Package(1000)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		var r diag.Report
		LoadSource("synth.wit", src, Options{}, &r)
		if r.HasErrors() {
			b.Fatal(diag.Renderer{}.Render(r.Diagnostics))
		}
	}
}

// liveHeap is the live heap after a full collection, as the collector
// measures it (the measure peakLive watches).
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// TestSyntheticLiveHeap logs (with -v) what the synthetic package keeps
// alive once parsed and once resolved, and writes a heap profile of the
// resolved package to $WITC_HEAP_PROFILE when that is set.
func TestSyntheticLiveHeap(t *testing.T) {
	if testing.Short() {
		t.Skip("measurement")
	}
	if os.Getenv("WITC_HEAP_PROFILE") != "" {
		defer func(rate int) { runtime.MemProfileRate = rate }(runtime.MemProfileRate)
		runtime.MemProfileRate = 1 // every allocation, for an exact profile
	}
	src := synthwit.Package(1000)
	base := liveHeap()
	f := diag.NewFile("synth.wit", src)
	var r diag.Report
	tree := parser.ParseOwnedFile(f, &r)
	parsed := liveHeap()
	runtime.KeepAlive(tree)
	tree = nil
	res, _ := resolve([]Source{{Files: []*diag.File{f}}}, true, Options{}, &r)
	if r.HasErrors() {
		t.Fatal(diag.Renderer{}.Render(r.Diagnostics))
	}
	resolved := liveHeap()
	if out := os.Getenv("WITC_HEAP_PROFILE"); out != "" {
		fh, err := os.Create(out)
		if err != nil {
			t.Fatal(err)
		}
		if err := pprof.WriteHeapProfile(fh); err != nil {
			t.Fatal(err)
		}
		fh.Close()
	}
	runtime.KeepAlive(res)
	t.Logf("%d KB of source: syntax tree %d KB, resolved package %d KB (beyond the source)",
		len(src)>>10, (parsed-base)>>10, (resolved-base)>>10)
}

// BenchmarkPeakHeap loads WIT as `witc check` does (the source read into
// buffers of its own, parsed, resolved) and reports peak-B/B: the largest
// live heap seen during the load, less the heap before it, per byte of
// source. The collector runs at every 5% of growth and the live heap is
// read after each collection, so the figure is the peak to within a few
// percent; the run is slower for it, and its time is not a speed measure
// (BenchmarkLoadSynthetic and BenchmarkLoadWASI are). synthetic is the
// 614 KB package; wasi is the worst of WASI 0.2.12's package directories,
// each loaded with its deps/.
func BenchmarkPeakHeap(b *testing.B) {
	b.Run("synthetic", func(b *testing.B) {
		peakHeap(b, [][]Source{{{Files: []*diag.File{diag.NewFile("synth.wit", synthwit.Package(1000))}}}})
	})
	b.Run("wasi", func(b *testing.B) {
		sets, _ := wasiSet(b)
		peakHeap(b, sets)
	})
}

// peakHeap reports the largest peak-B/B of loading each set of groups,
// the median of b.N runs.
func peakHeap(b *testing.B, sets [][]Source) {
	defer debug.SetGCPercent(debug.SetGCPercent(5))
	var ratios []float64
	for b.Loop() {
		worst := 0.0
		for _, groups := range sets {
			size := 0
			base := liveHeap()
			var pk peakLive
			pk.watch()
			// Fresh copies of the sources, owned by the load as the
			// files it reads are.
			own := make([]Source, len(groups))
			for i, g := range groups {
				for _, f := range g.Files {
					own[i].Files = append(own[i].Files, diag.NewFile(f.Name, append([]byte(nil), f.Content...)))
					size += len(f.Content)
				}
			}
			var r diag.Report
			res, _ := resolve(own, true, Options{}, &r)
			if r.HasErrors() {
				b.Fatal(diag.Renderer{}.Render(r.Diagnostics))
			}
			runtime.GC() // the resolved package, alive here, is part of the peak
			runtime.KeepAlive(res)
			peak := pk.stop()
			worst = max(worst, float64(peak-min(peak, base))/float64(size))
		}
		ratios = append(ratios, worst)
	}
	// The median: a collection that overlaps much allocation counts some
	// of it as live, which now and then lifts a run's figure.
	slices.Sort(ratios)
	b.ReportMetric(ratios[len(ratios)/2], "peak-B/B")
}

// peakLive records the largest live heap that the collections measure
// between watch and stop.
type peakLive struct {
	mu      sync.Mutex
	max     uint64
	stopped bool
}

// watch arms a finalizer that runs after the next collection, reads the
// live heap it measured, and re-arms itself until stop.
func (p *peakLive) watch() {
	x := new([16]byte)
	runtime.SetFinalizer(x, func(*[16]byte) {
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(s)
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.stopped {
			return
		}
		p.max = max(p.max, s[0].Value.Uint64())
		p.watch()
	})
}

// stop ends the watch, after a last collection, and returns the peak.
func (p *peakLive) stop() uint64 {
	runtime.GC()
	runtime.GC() // runs the finalizer of the collection before
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopped = true
	return p.max
}
