#!/usr/bin/env bash
# Runs witc on the bundled examples: what `make demo` shows a new user.
set -euo pipefail
witc=${1:-bin/witc}
cd "$(dirname "$0")/.."
step() { printf '\n$ %s\n' "$*"; }

step witc check examples/wit/kv
"$witc" check examples/wit/kv && echo "ok"

step witc wit examples/wit/kv
"$witc" wit examples/wit/kv

step "witc wit --json examples/wit/kv   (first 20 lines)"
json=$(mktemp)
trap 'rm -f "$json"' EXIT
"$witc" wit --json examples/wit/kv >"$json"
head -20 "$json"

step witc check examples/wit/broken.wit "(expected to fail)"
if "$witc" check examples/wit/broken.wit; then
  echo "error: broken.wit was accepted" >&2
  exit 1
fi

step "witc check --json examples/wit/broken.wit   (first 12 lines; for editors and CI)"
"$witc" check --json examples/wit/broken.wit >"$json" || true
head -12 "$json"

step witc wit examples/components/greeter.wasm
"$witc" wit examples/components/greeter.wasm

step witc validate examples/components/app.wasm
"$witc" validate examples/components/app.wasm && echo "ok"

step witc inspect examples/components/calc.wasm
"$witc" inspect examples/components/calc.wasm

step witc compose examples/components/app.wasm examples/components/calc.wasm --dry-run
"$witc" compose examples/components/app.wasm examples/components/calc.wasm --dry-run

out=$(mktemp -d)
step witc compose examples/components/app.wasm examples/components/calc.wasm -o app+calc.wasm
"$witc" compose examples/components/app.wasm examples/components/calc.wasm -o "$out/app+calc.wasm"
"$witc" wit "$out/app+calc.wasm"

step "witc run --invoke 'witc:examples/app#double-sum(1, 2)' app+calc.wasm"
"$witc" run --invoke 'witc:examples/app#double-sum(1, 2)' "$out/app+calc.wasm"

deps="--dep witc:app=examples/components/app.wasm --dep witc:calc=examples/components/calc.wasm"
step "witc compose examples/wac/app-calc.wac $deps -o app-calc.wasm   (a WAC document)"
"$witc" compose examples/wac/app-calc.wac $deps -o "$out/app-calc.wasm"
"$witc" run --invoke 'witc:examples/app#double-sum(1, 2)' "$out/app-calc.wasm"
rm -rf "$out"

step "witc run --invoke 'witc:examples/greeter#greet(\"wörld\")' examples/components/greeter.wasm"
"$witc" run --invoke 'witc:examples/greeter#greet("wörld")' examples/components/greeter.wasm

step "witc run --invoke 'add(2, 3)' examples/components/calc.wasm   (a function name alone, when one export has it)"
"$witc" run --invoke 'add(2, 3)' examples/components/calc.wasm

step "witc run --env GREETING=hi internal/producers/testdata/wat-hello.wasm a --flag -x   (a command: what follows the path is its own)"
"$witc" run --env GREETING=hi internal/producers/testdata/wat-hello.wasm a --flag -x 2>&1

step "echo hi | witc run wasi/testdata/p3-cat.wasm   (a WASI 0.3 command: async ABI, streams)"
echo hi | "$witc" run wasi/testdata/p3-cat.wasm

step "witc run --invoke 'upper([\"ab\", \"cd\"])' internal/qjsasync/testdata/qjsasync.wasm   (an async export taking and returning a stream<string>)"
"$witc" run --invoke 'upper(["ab", "cd"])' internal/qjsasync/testdata/qjsasync.wasm

step witc bindgen --package calc -o examples/quickstart/calc examples/components/calc.wasm
"$witc" bindgen --package calc -o examples/quickstart/calc examples/components/calc.wasm
if ! git diff --quiet -- examples/quickstart/calc 2>/dev/null; then
  echo "note: the regenerated bindings differ from the committed ones"
fi
step go run ./examples/quickstart
go run ./examples/quickstart
