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
for src in examples/components/src/*.wat compose/testdata/src/*.wat host/testdata/src/*.wat; do
  name=$(basename "$src" .wat)
  out=$(dirname "$(dirname "$src")")/$name.wasm
  "$jco" parse "$src" -o "$out" >/dev/null
  "$jco" wit "$out" > /dev/null   # validates
  echo "built $out ($(wc -c < "$out") bytes)"
done
