package main

import (
	"io/fs"
	"syscall"
	"time"
)

// accessTime is when the file was last read, as far as the file system
// records it (with relatime, at most a day late); zero when unknown.
func accessTime(fi fs.FileInfo) time.Time {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return time.Unix(st.Atim.Sec, st.Atim.Nsec)
	}
	return time.Time{}
}
