#!/usr/bin/env bash
# Rebuilds the committed example components and the composition test
# fixtures (compose/testdata) from their WAT sources with
# jco's wasm-tools parser, and checks each with `jco wit` (wasmparser's
# component validator). Needs node and npm; `go test` does not.
#
#   JCO_DIR: a folder where `npm install @bytecodealliance/jco@1.35.0` is (or will be) done
set -euo pipefail
cd "$(dirname "$0")/.."
JCO_DIR=${JCO_DIR:-/tmp/witc-jco}
if [ ! -x "$JCO_DIR/node_modules/.bin/jco" ]; then
  mkdir -p "$JCO_DIR"
  (cd "$JCO_DIR" && npm install --no-audit --no-fund @bytecodealliance/jco@1.35.0 >/dev/null)
fi
jco="$JCO_DIR/node_modules/.bin/jco"
for src in examples/components/src/*.wat compose/testdata/src/*.wat host/testdata/src/*.wat internal/bench/testdata/src/*.wat internal/e2e/testdata/src/*.wat internal/qjsasync/testdata/src/*.wat wasi/testdata/src/*.wat; do
  name=$(basename "$src" .wat)
  out=$(dirname "$(dirname "$src")")/$name.wasm
  "$jco" parse "$src" -o "$out" >/dev/null
  # validates, unless the source says why it cannot be
  grep -q '^;; fixtures.sh: not validated' "$src" || "$jco" wit "$out" > /dev/null
  echo "built $out ($(wc -c < "$out") bytes)"
done

# wasi/testdata/go-fs.wasm: a Go command using the filesystem, built for
# wasip1 and wrapped with jco's preview1 command adapter.
(cd wasi/testdata/src/go-fs && GOOS=wasip1 GOARCH=wasm go build -o /tmp/witc-go-fs.core.wasm .)
"$jco" new /tmp/witc-go-fs.core.wasm --wasi-command -o wasi/testdata/go-fs.wasm >/dev/null
"$jco" wit wasi/testdata/go-fs.wasm > /dev/null
echo "built wasi/testdata/go-fs.wasm ($(wc -c < wasi/testdata/go-fs.wasm) bytes)"
