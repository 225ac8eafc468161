#!/usr/bin/env bash
# Rebuilds internal/qjsasync/testdata/qjsasync.wasm from its sources in
# internal/qjsasync/testdata/src (fixtures.js, wit/qjsasync.wit) with
# componentize-qjs through jco:
#
#   jco componentize fixtures.js --wit wit -n fixtures --backend quickjs
#
# componentize-qjs's default runtime supports the component model's async
# ABI: every `async func` of the world is lifted `canon lift ... async
# (callback ...)` (stackless). `go test ./internal/qjsasync` needs only the
# committed .wasm and the go command, not this script. Two builds of the
# same sources differ by a few bytes: componentize-qjs's output is not
# byte-for-byte reproducible.
#
# Needs node + npm: jco 1.35.0 with componentize-qjs 0.4.5
# (../shared/corpus/tools installed with npm into JCO_DIR, default
# /tmp/witc-corpus-tools, as `make jco-test` does).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SHARED=${SHARED:-$ROOT/../shared}
TOOLS=${JCO_DIR:-/tmp/witc-corpus-tools}
D=$ROOT/internal/qjsasync/testdata
S=$D/src

if [ ! -f "$TOOLS/node_modules/@bytecodealliance/jco/dist/jco.js" ]; then
  mkdir -p "$TOOLS" && cp "$SHARED"/corpus/tools/* "$TOOLS"/
  (cd "$TOOLS" && npm install --no-audit --no-fund >/dev/null)
fi
JCO=$TOOLS/node_modules/@bytecodealliance/jco/dist/jco.js
# The preload gives jco's wasm tools the file system (REFERENCE-TOOLS.md,
# "The preview2-shim preopen problem").
jco() { node --no-warnings --import "$TOOLS/preopen.mjs" "$JCO" "$@"; }

qjs=$(node -p "require('$TOOLS/node_modules/componentize-qjs/package.json').version")
echo "componentize-qjs $qjs"
jco componentize "$S/fixtures.js" --wit "$S/wit" -n fixtures --backend quickjs -o "$D/qjsasync.wasm" >/dev/null
echo "wrote ${D#$ROOT/}/qjsasync.wasm ($(wc -c <"$D/qjsasync.wasm") bytes)"
jco wit "$D/qjsasync.wasm" >/dev/null # wasm-tools validates it
