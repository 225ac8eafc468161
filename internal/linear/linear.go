// Package linear measures what one call costs — bytes allocated and time —
// for the tests that check that no input makes witc's front end (parser,
// resolver, bindgen) balloon: a cost within a budget per input byte
// (fuzz targets), and a cost that grows linearly with the input (hostile
// inputs generated at two sizes).
package linear

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// Cost is what one call cost.
type Cost struct {
	Bytes uint64        // allocated on the heap
	Time  time.Duration // wall time
	CPU   time.Duration // processor time of the process
}

// Measure runs f once and returns its cost. Allocations and processor time
// of other goroutines running meanwhile are counted too: tests that
// measure must not run in parallel.
func Measure(f func()) Cost {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start, cpu := time.Now(), cpuTime()
	f()
	d, dc := time.Since(start), cpuTime()-cpu
	runtime.ReadMemStats(&after)
	return Cost{Bytes: after.TotalAlloc - before.TotalAlloc, Time: d, CPU: dc}
}

// Budget is a cost allowed per input byte, plus a base.
type Budget struct {
	BytesPerByte, BaseBytes uint64
	TimePerByte, BaseTime   time.Duration
}

// Within fails t when f, given an input of n bytes, costs more than b
// allows.
func Within(t testing.TB, n int, b Budget, f func()) {
	t.Helper()
	c := Measure(f)
	if maxBytes := b.BaseBytes + b.BytesPerByte*uint64(n); c.Bytes > maxBytes {
		t.Errorf("a %d-byte input allocated %d bytes, over the budget of %d", n, c.Bytes, maxBytes)
	}
	if maxTime := b.BaseTime + b.TimePerByte*time.Duration(n); c.Time > maxTime {
		t.Errorf("a %d-byte input took %v, over the budget of %v", n, c.Time, maxTime)
	}
}

// Factor is how much larger the second input of Scales is.
const Factor = 8

// Scales fails t unless run allocates at most 3·Factor times as much, and
// takes at most 5·Factor times the processor time, on an input Factor times
// as large: a linear cost is Factor times as much, or a little more
// (caches, fresh pages), a quadratic one Factor² times.
// build(k) makes the input of size k, which run is given; the cost of run
// is the best of three, so that a pause of the machine is not taken for
// growth. Both costs are logged. The inputs must be small enough that
// three runs fit in memory uncollected.
func Scales[In any](t testing.TB, name string, n int, build func(k int) In, run func(In)) {
	t.Helper()
	// The collector is off while run runs: a collection would fall into
	// one run and not another, and the larger heap makes each slower.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	best := func(k int) Cost {
		in := build(k)
		var c Cost
		for i := 0; i < 3; i++ {
			runtime.GC()
			m := Measure(func() { run(in) })
			if i == 0 || m.Time < c.Time {
				c.Time = m.Time
			}
			if i == 0 || m.CPU < c.CPU {
				c.CPU = m.CPU
			}
			if i == 0 || m.Bytes < c.Bytes {
				c.Bytes = m.Bytes
			}
		}
		return c
	}
	small, large := best(n), best(Factor*n)
	t.Logf("%s: size %d: %v (cpu %v), %d KiB; size %d: %v (cpu %v), %d KiB", name,
		n, small.Time.Round(time.Microsecond), small.CPU.Round(time.Microsecond), small.Bytes>>10,
		Factor*n, large.Time.Round(time.Microsecond), large.CPU.Round(time.Microsecond), large.Bytes>>10)
	if large.Bytes > 3*Factor*small.Bytes+1<<20 {
		t.Errorf("%s: allocations grow faster than the input: %d bytes at size %d, %d at size %d", name, small.Bytes, n, large.Bytes, Factor*n)
	}
	// Processor time, not wall time: other processes on the machine do not
	// count. (getrusage counts in steps of the scheduler's tick, hence the
	// allowance.) Time is a weaker witness than allocation: on a loaded
	// machine, a heap Factor times larger falls out of the caches and each
	// step runs slower, which measured up to 30 times on a linear 8-fold
	// case. So time fails only past 5·Factor, still short of the Factor²
	// of a quadratic path; allocations above carry the strict bound.
	if large.CPU > 5*Factor*small.CPU+20*time.Millisecond {
		t.Errorf("%s: processor time grows faster than the input: %v at size %d, %v at size %d", name, small.CPU, n, large.CPU, Factor*n)
	}
}
