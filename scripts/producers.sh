#!/usr/bin/env bash
# Rebuilds the producers fixtures (internal/producers/testdata/*.wasm) from
# their sources in internal/producers/src with the producers' own
# toolchains, composes the apps with their libraries with witc, and records
# what `jco run` (an independent runtime: jco's transpiled JS on
# preview2-shim) prints for every case of testdata/cases.txt into
# testdata/expected/NAME.{stdout,stderr,code}. `go test` needs none of this:
# it runs the committed files with witc and compares.
#
#   scripts/producers.sh            build everything, then record the oracle
#   scripts/producers.sh expected   only record the oracle (committed .wasm)
#
# WITC=path/to/witc uses that binary to compose (default: go build of this
# tree).
#
# Needs: node + npm (jco 1.35.0, componentize-js 0.23.0, preview2-shim
# 0.26.1; installed into PRODUCERS_TOOLS, default /tmp/witc-producers-tools),
# Debian's clang, lld and wasi-libc (apt-get install clang lld wasi-libc),
# the rustup toolchain's wasm-component-ld, Go.
#
# Producers:
#   c-hello, c-app, c-lib   clang --target=wasm32-wasi (wasi-libc, preview1),
#                           linked by wasm-component-ld (its built-in WASI
#                           0.2.6 adapters; --component-type embeds the world)
#   go-app                  GOOS=wasip1 go build, world embedded with jco's
#                           wasm-tools, `jco new --wasi-command` (jco's
#                           preview1 adapter, WASI 0.2.12)
#   qjs-app                 `jco componentize --backend quickjs
#                           --backend-qjs-disable-async` (componentize-qjs,
#                           its sync runtime)
#   qjs-hello               the same with the default async runtime
#   sm-hello                componentize-js (StarlingMonkey), every optional
#                           feature disabled (still ~12 MB)
#   wat-hello, wat-app, wat-lib, wat-leave   component text, `jco parse`
# and the compositions APP+LIB.wasm are `witc compose APP.wasm LIB.wasm`.
# Only the runnable files and the small inputs of the compositions are
# kept: go-app.wasm and qjs-app.wasm (1.6-2.6 MB each) live inside their
# compositions only.
#
# What jco run is given, and the only normalisation of what it prints:
#   - node --experimental-wasm-extended-const (QuickJS output uses it);
#   - a preload (--jco-import) that
#       * sets the guest's environment to exactly the case's VAR=VALUE (jco
#         run otherwise passes node's whole environment; witc run passes
#         only --env), and its arguments to what jco run gives without the
#         preload: the file name without .wasm, then the case's arguments
#         (the preload loads preview2-shim, which reads process.argv,
#         before jco's runner has put the program name there);
#       * diverts console.error, which jco's generated runner (_run.js) uses
#         only to report an error out of run() (`ComponentError: ...` and a
#         JS stack under a random /tmp directory), into NAME.jco-report in
#         the build directory: that report is jco's, not the component's
#         output (witc run exits 1 silently in that case). The component's
#         own stderr is written by preview2-shim to fd 2 and kept verbatim;
#       * stands in for JSPI (WebAssembly.Suspending/promising), which node
#         20 lacks and the transpiled async QuickJS runtime (qjs-hello)
#         wants at load time, with synchronous wrappers; it throws if an
#         import ever returns a promise, so it cannot change an output.
#   Nothing else is changed: stdout, stderr and the exit status are jco's.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
P=internal/producers
S=$ROOT/$P/src
D=$P/testdata
TOOLS=${PRODUCERS_TOOLS:-/tmp/witc-producers-tools}
mode=${1:-all}

# --- tools -----------------------------------------------------------------
mkdir -p "$TOOLS"
if [ ! -f "$TOOLS/node_modules/@bytecodealliance/jco/dist/jco.js" ]; then
  cat > "$TOOLS/package.json" <<'EOF'
{
  "name": "witc-producers-tools",
  "private": true,
  "type": "module",
  "dependencies": {
    "@bytecodealliance/componentize-js": "0.23.0",
    "@bytecodealliance/jco": "1.35.0",
    "@bytecodealliance/jco-transpile": "0.15.0",
    "@bytecodealliance/preview2-shim": "0.26.1"
  }
}
EOF
  (cd "$TOOLS" && npm install --no-audit --no-fund >/dev/null)
fi
# preview2-shim 0.26 starts with no preopens, so the wasm builds of
# wasm-tools and of componentize-js that jco runs in node cannot open files.
cat > "$TOOLS/preopen.mjs" <<'EOF'
import { _setPreopens } from '@bytecodealliance/preview2-shim/filesystem';
_setPreopens({ '/': '/' });
EOF
# `jco embed -n WORLD` is broken in jco 1.35.0 and `jco componentize` does
# not take componentize-js's disableFeatures: call the libraries directly.
cat > "$TOOLS/cli.mjs" <<'EOF'
import './preopen.mjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'componentize') {
  const [source, wit, world, out, disable = ''] = args;
  const { componentize } = await import('@bytecodealliance/componentize-js');
  const { component } = await componentize({
    sourcePath: resolve(source), witPath: resolve(wit), worldName: world,
    disableFeatures: disable ? disable.split(',') : [],
  });
  writeFileSync(out, component);
} else if (cmd === 'embed') {
  const [core, wit, world, out] = args;
  const { componentEmbed } = await import('@bytecodealliance/jco-transpile/wasm-tools');
  writeFileSync(out, await componentEmbed({ binary: readFileSync(core), witPath: resolve(wit), world }));
} else {
  console.error('usage: node cli.mjs componentize|embed ...');
  process.exit(2);
}
EOF
# The preload of every `jco run` (see the top of this file).
cp internal/producers/testdata/jco-run.mjs "$TOOLS/producers-run.mjs"
jco() { node --no-warnings --import "$TOOLS/preopen.mjs" "$TOOLS/node_modules/@bytecodealliance/jco/dist/jco.js" "$@"; }

B=$(mktemp -d /tmp/witc-producers.XXXXXX)
trap 'rm -rf "$B"' EXIT
# WITC: a witc binary to compose with (default: built from this tree).
if [ -z "${WITC:-}" ]; then
  go build -o "$B/witc" ./cmd/witc
  WITC=$B/witc
fi
witc() { "$WITC" "$@"; }

# --- build -----------------------------------------------------------------
# wit-WORLD: the world's package, producers:lib and WASI 0.2.12 as deps.
mkwit() {
  local d=$B/wit-$1
  mkdir -p "$d/deps/producers-lib"
  cp "$S/worlds/$1.wit" "$d/"
  cp "$S/wit/api.wit" "$d/deps/producers-lib/"
  for p in cli io clocks random filesystem sockets; do
    cp -r "$TOOLS/node_modules/@bytecodealliance/jco/lib/wit/builtin/0.2.12/wasi-$p" "$d/deps/"
  done
}

built() { jco wit "$1" >/dev/null; echo "built $1 ($(wc -c < "$1") bytes)"; }

if [ "$mode" = all ]; then
  rm -f "$D"/*.wasm
  for w in lib client app hello; do mkwit $w; done

  # C: clang + wasi-libc, linked by wasm-component-ld.
  WCL=$(rustc --print sysroot)/lib/rustlib/x86_64-unknown-linux-gnu/bin/wasm-component-ld
  cc() { clang --target=wasm32-wasi -O2 -Wall -Werror -fuse-ld="$WCL" "$@"; }
  cc -o "$D/c-hello.wasm" "$S/c-hello/hello.c"
  cc -mexec-model=reactor -o "$D/c-lib.wasm" "$S/c-lib/lib.c" -Wl,--component-type,"$B/wit-lib"
  cc -o "$D/c-app.wasm" "$S/c-app/app.c" -Wl,--component-type,"$B/wit-client"
  for f in c-hello c-lib c-app; do built "$D/$f.wasm"; done

  # Go: wasip1, the import world embedded, jco's preview1 command adapter.
  (cd "$S/go-app" && GOOS=wasip1 GOARCH=wasm go build -trimpath -ldflags='-s -w' -o "$B/go-app.core.wasm" .)
  node "$TOOLS/cli.mjs" embed "$B/go-app.core.wasm" "$B/wit-client" client "$B/go-app.embed.wasm"
  jco new "$B/go-app.embed.wasm" --wasi-command -o "$B/go-app.wasm" >/dev/null
  built "$B/go-app.wasm"

  # QuickJS (componentize-qjs): qjs-app sync, qjs-hello async.
  jco componentize "$S/qjs-app/app.js" --wit "$B/wit-app" -n app --backend quickjs --backend-qjs-disable-async -o "$B/qjs-app.wasm" >/dev/null
  built "$B/qjs-app.wasm"
  jco componentize "$S/qjs-hello/hello.js" --wit "$B/wit-hello" -n hello --backend quickjs -o "$D/qjs-hello.wasm" >/dev/null
  built "$D/qjs-hello.wasm"

  # StarlingMonkey (componentize-js).
  node "$TOOLS/cli.mjs" componentize "$S/sm-hello/hello.js" "$B/wit-hello" hello "$D/sm-hello.wasm" stdio,random,clocks,http,fetch-event
  built "$D/sm-hello.wasm"

  # WAT.
  for f in hello app lib leave; do
    jco parse "$S/wat/$f.wat" -o "$D/wat-$f.wasm" >/dev/null
    built "$D/wat-$f.wasm"
  done

  # Compositions, by witc.
  for pair in c-app+c-lib "$B/go-app.wasm"+c-lib "$B/qjs-app.wasm"+c-lib wat-app+c-lib wat-app+wat-lib wat-leave+wat-lib; do
    app=${pair%+*} lib=${pair#*+}
    case $app in /*) ;; *) app=$D/$app.wasm ;; esac
    out=$D/$(basename "$app" .wasm)+$lib.wasm
    witc compose -o "$out" "$app" "$D/$lib.wasm"
    built "$out"
  done
fi

# --- oracle: jco run ---------------------------------------------------------
mkdir -p "$D/expected"
rm -f "$D"/expected/*
while read -r name file rest; do
  case $name in ''|'#'*) continue ;; esac
  envs=() args=()
  set -- $rest
  while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  args=("$@")
  envjson=$(node -e 'const o={}; for (const s of process.argv.slice(1)) { const i=s.indexOf("="); o[s.slice(0,i)]=s.slice(i+1) } console.log(JSON.stringify(o))' -- "${envs[@]}")
  code=0
  PRODUCERS_ENV=$envjson PRODUCERS_REPORT=$B/$name.jco-report PRODUCERS_ARGV0=${file%.wasm} \
    JCO_RUN_ARGS="--no-warnings --experimental-wasm-extended-const" \
    jco run --jco-import "$TOOLS/producers-run.mjs" "$D/$file" "${args[@]}" \
    < /dev/null > "$D/expected/$name.stdout" 2> "$D/expected/$name.stderr" || code=$?
  echo "$code" > "$D/expected/$name.code"
  report=""
  [ -s "$B/$name.jco-report" ] && report=" (jco's report of run's error: $(head -1 "$B/$name.jco-report"))"
  echo "expected/$name: exit $code, $(wc -l < "$D/expected/$name.stdout") lines of stdout, $(wc -l < "$D/expected/$name.stderr") of stderr$report"
done < "$D/cases.txt"
