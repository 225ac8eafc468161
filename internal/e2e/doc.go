// Package e2e holds end-to-end tests across packages: components from
// ../shared/corpus (and the repository's examples) composed by compose and
// run by host and wasi, compared with what an independent implementation
// (jco) recorded in ../shared/corpus/expected.
package e2e
