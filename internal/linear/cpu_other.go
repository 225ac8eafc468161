//go:build !unix

package linear

import "time"

var start = time.Now()

// cpuTime falls back to wall time where there is no getrusage.
func cpuTime() time.Duration { return time.Since(start) }
