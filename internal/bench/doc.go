// Package bench holds the benchmarks of generated bindings: the same
// scalar, string and list-of-records calls made through bindings generated
// by witc bindgen (benchbind), through the dynamic API of package host, and
// as raw wazero calls of the core functions behind them.
package bench
