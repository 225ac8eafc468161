//go:build unix

package linear

import (
	"syscall"
	"time"
)

// cpuTime is the processor time the process has used, user and system:
// unlike wall time, it does not grow when other processes take the
// machine.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
