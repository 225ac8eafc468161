//go:build !unix

package main

import "os"

// mapped is an input file read into memory (memory mapping is used on
// Unix only).
type mapped struct{ b []byte }

func readMapped(path string) (mapped, func(), error) {
	b, err := os.ReadFile(path)
	return mapped{b: b}, func() {}, err
}

// fileOut writes a composition to a file.
type fileOut struct {
	*os.File
	inputs []mapped
}
