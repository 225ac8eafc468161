#!/usr/bin/env bash
# Rebuilds the wasi:http fixtures of wasihttp (wasihttp/testdata/*.wasm)
# from their sources in wasihttp/testdata/src and records what `jco serve`
# (an independent wasi:http host: jco's transpiled JS on preview2-shim's
# node HTTP server) answers to real requests into
# wasihttp/testdata/expected/NAME.txt. `go test` needs none of this: it
# serves the committed files with witc and compares with expected/.
#
#   scripts/http-fixtures.sh            build the fixtures, then record the oracle
#   scripts/http-fixtures.sh expected   only record the oracle (committed .wasm)
#   scripts/http-fixtures.sh bench      only measure jco serve: sequential GET /
#                                       on http-js.wasm for 5 s, per mode
#
# Needs: node + npm (jco 1.35.0, componentize-js 0.23.0, preview2-shim
# 0.26.1: ../shared/corpus/tools installed with npm into JCO_DIR, default
# /tmp/witc-corpus-tools, as `make jco-test` does), curl, setsid, sha256sum,
# and $SHARED/conformance/wasi-wit/0.2.12/http (SHARED default ../shared).
#
# Fixtures (StarlingMonkey is built against wasi 0.2.10; its imports merge
# into the world's by semver, its fetch-event export does not):
#   http-js     componentize-js, exports wasi:http/incoming-handler itself;
#               world wasi:http/proxy@0.2.12
#   http-fetch  componentize-js, StarlingMonkey's fetch event; proxy@0.2.10
#               (0.2.12's WIT renamed: see the build below)
#   http-wat    proxy@0.2.12; a core module in WAT (`jco parse`), the world
#               embedded with jco's wasm-tools, `jco new` (no adapter)
#
# How the oracle is asked (see wasihttp/testdata/NOTES.md):
#   setsid node jco.js serve FILE --isolate-requests instance \
#     --host 127.0.0.1 --port P --jco-dir DIR
# A fresh instance per request, as wasmtime serve and witc serve do: with
# jco's default (one instance for every request) StarlingMonkey's fetch
# event answers only the first request ("FetchEvent#respondWith can't be
# called twice on the same event"; the others hang).
# curl makes each request with `Expect:` cleared (no 100-continue) and a
# time limit; the expected file keeps the status code (not the reason
# phrase), the response headers lower-cased and sorted without date,
# connection, keep-alive, transfer-encoding and content-length (framing: jco
# answers chunked, or with content-length when the guest gave one), and the body: quoted when at most 1 KiB, else its
# length and sha256. GET /trap, /loop, /noresponse (and http-wat's
# /dropresponse) each get a fresh server, since jco serve dies or hangs on
# some of them; what happens to it afterwards is recorded too. Every server
# is stopped by its process group (jco serve spawns a second node).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SHARED=${SHARED:-$ROOT/../shared}
D=wasihttp/testdata
S=$D/src
WIT=$SHARED/conformance/wasi-wit/0.2.12/http
TOOLS=${JCO_DIR:-/tmp/witc-corpus-tools}
mode=${1:-all}

# --- tools -----------------------------------------------------------------
if [ ! -f "$TOOLS/node_modules/@bytecodealliance/jco/dist/jco.js" ]; then
  mkdir -p "$TOOLS" && cp "$SHARED"/corpus/tools/* "$TOOLS"/
  (cd "$TOOLS" && npm install --no-audit --no-fund >/dev/null)
fi
JCO=$TOOLS/node_modules/@bytecodealliance/jco/dist/jco.js
jco() { node --no-warnings --import "$TOOLS/preopen.mjs" "$JCO" "$@"; }

B=$(mktemp -d /tmp/witc-http-fixtures.XXXXXX)
SERVER_PGID=
stop_server() {
  [ -n "$SERVER_PGID" ] || return 0
  kill -TERM -- "-$SERVER_PGID" 2>/dev/null || true
  for _ in $(seq 20); do kill -0 -- "-$SERVER_PGID" 2>/dev/null || break; sleep 0.1; done
  # A guest spinning in /loop holds node's main thread: SIGKILL.
  kill -KILL -- "-$SERVER_PGID" 2>/dev/null || true
  SERVER_PGID=
}
trap 'stop_server; rm -rf "$B"' EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# --- build -----------------------------------------------------------------
if [ "$mode" = all ]; then
  : > "$B/build-times"
  # componentize-js records the source path relative to the working
  # directory (it shows in stack traces): always build from the root.
  # The fetch event is StarlingMonkey's own export of
  # wasi:http/incoming-handler@0.2.10, which must match the world's export
  # exactly (0.2.0 and 0.2.12 fail: "failed to find export of interface
  # `wasi:http/incoming-handler@0.2.12` function `handle`"): http-fetch
  # targets 0.2.12's WIT renamed to 0.2.10. http-js (which exports the
  # handler itself) targets 0.2.12 unchanged.
  cp -r "$WIT" "$B/wit-0.2.10"
  find "$B/wit-0.2.10" -name '*.wit' -exec sed -i 's/@0\.2\.12/@0.2.10/g; s/version = 0\.2\.12/version = 0.2.10/g' {} +
  for f in http-js http-fetch; do
    t0=$(now)
    wit=$WIT
    [ $f = http-fetch ] && wit=$B/wit-0.2.10
    node --no-warnings "$TOOLS/cli.mjs" componentize "$S/$f.js" "$wit" proxy "$D/$f.wasm"
    echo "$f $(secs "$t0" "$(now)")" >> "$B/build-times"
  done
  t0=$(now)
  jco parse "$S/http-wat.wat" -o "$B/http-wat.core.wasm" >/dev/null
  node --no-warnings "$TOOLS/cli.mjs" embed "$B/http-wat.core.wasm" "$WIT" proxy "$B/http-wat.embed.wasm"
  jco new "$B/http-wat.embed.wasm" -o "$D/http-wat.wasm" >/dev/null
  echo "http-wat $(secs "$t0" "$(now)")" >> "$B/build-times"
  while read -r f t; do
    jco wit "$D/$f.wasm" >/dev/null # validates
    echo "built $D/$f.wasm ($(wc -c < "$D/$f.wasm") bytes, ${t} s, sha256 $(sha256sum < "$D/$f.wasm" | cut -c1-16))"
  done < "$B/build-times"
fi

# --- oracle: jco serve -------------------------------------------------------
# The isolation mode of every server (see the top of this file).
SERVE_FLAGS="--isolate-requests instance"

free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# start_server FILE: jco serve FILE on a free loopback port; sets PORT.
start_server() {
  local name
  name=$(basename "$1" .wasm)
  PORT=$(free_port)
  rm -rf "$B/serve"
  setsid node --no-warnings "$JCO" serve "$1" $SERVE_FLAGS \
    --host 127.0.0.1 --port "$PORT" --jco-dir "$B/serve" \
    >> "$B/$name.serve.log" 2>&1 < /dev/null &
  SERVER_PGID=$!
  for _ in $(seq 600); do
    if curl -s -o /dev/null -m 1 "http://127.0.0.1:$PORT/"; then return 0; fi
    kill -0 "$SERVER_PGID" 2>/dev/null || break
    sleep 0.1
  done
  echo "jco serve $1 did not start; its log:" >&2
  cat "$B/$name.serve.log" >&2
  exit 1
}

# Deterministic request bodies.
printf 'witc echo: 0123456789 \x00\x01\xfe\xff end' > "$B/echo-small"
node -e 'const b = Buffer.alloc(100000); for (let i = 0; i < b.length; i++) b[i] = (i * 7) & 255; process.stdout.write(b)' > "$B/echo-100k"
node -e 'const b = Buffer.alloc(4 << 20); for (let i = 0; i < b.length; i++) b[i] = (i * 31 + (i >> 12)) & 255; process.stdout.write(b)' > "$B/upload-4m"

# quote FILE: the file's bytes as one line, JSON-string style
# (\n, \t, \", \\, \u00XX for the other bytes below 0x20 and above 0x7e).
quote() {
  node -e 'const b = require("fs").readFileSync(process.argv[1]); let s = "\"";
for (const c of b) {
  if (c === 0x22) s += "\\\""; else if (c === 0x5c) s += "\\\\";
  else if (c === 0x0a) s += "\\n"; else if (c === 0x09) s += "\\t";
  else if (c < 0x20 || c > 0x7e) s += "\\u00" + c.toString(16).padStart(2, "0");
  else s += String.fromCharCode(c);
}
console.log(s + "\"");' "$1"
}

DROPPED='^(date|connection|keep-alive|transfer-encoding|content-length):'

# request TIMEOUT METHOD PATH [curl args...]: one request; appends its
# block to $OUT.
request() {
  local timeout=$1 method=$2 path=$3
  shift 3
  local rc=0
  rm -f "$B/h" "$B/b"
  curl -s -X "$method" -H 'Expect:' -m "$timeout" -D "$B/h" -o "$B/b" "$@" \
    "http://127.0.0.1:$PORT$path" || rc=$?
  {
    echo "=== $method $path"
    local status=""
    [ -s "$B/h" ] && status=$(head -1 "$B/h" | tr -d '\r' | awk '{print $2}')
    if [ -n "$status" ]; then
      echo "status $status"
      tail -n +2 "$B/h" | tr -d '\r' | sed '/^$/d' |
        awk -F': ' '{ name = tolower($1); sub(/^[^:]*: */, ""); print name ": " $0 }' |
        { grep -Ev "$DROPPED" || true; } | LC_ALL=C sort
      local n
      n=$(wc -c < "$B/b")
      if [ "$n" -le 1024 ]; then
        echo "body $n $(quote "$B/b")"
      else
        echo "body $n sha256 $(sha256sum < "$B/b" | cut -d' ' -f1)"
      fi
      [ "$rc" = 0 ] || echo "error curl exit $rc after the headers"
    else
      case $rc in
        28) echo "timeout (no response within ${timeout} s)" ;;
        52) echo "no response (connection closed without a response: curl exit 52)" ;;
        56) echo "no response (connection reset: curl exit 56)" ;;
        *) echo "no response (curl exit $rc)" ;;
      esac
    fi
  } >> "$OUT"
}

# after: what the server does next, after a failed route.
after() {
  local rc=0 code
  code=$(curl -s -o /dev/null -w '%{http_code}' -m 3 "http://127.0.0.1:$PORT/") || rc=$?
  if [ "$rc" = 0 ]; then
    echo "after: the next GET / answers $code" >> "$OUT"
  elif kill -0 "$SERVER_PGID" 2>/dev/null && [ "$rc" = 28 ]; then
    echo "after: the next GET / times out (3 s): the server hangs" >> "$OUT"
  else
    sleep 0.5
    if kill -0 "$SERVER_PGID" 2>/dev/null; then
      echo "after: the next GET / fails (curl exit $rc), the process is alive" >> "$OUT"
    else
      echo "after: the next GET / fails (curl exit $rc): jco serve has exited" >> "$OUT"
    fi
  fi
}

if [ "$mode" = bench ]; then
  # Sequential GET / over one keep-alive connection for 5 s, after 1 s of
  # warm-up; jco's default mode (one instance) and the mode of the oracle.
  for flags in "" "--isolate-requests instance"; do
    SERVE_FLAGS=$flags
    start_server "$D/http-js.wasm"
    node -e '
const http = require("http");
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const get = () => new Promise((ok, bad) => http.get({ host: "127.0.0.1", port: +process.argv[1], path: "/", agent }, (r) => {
  r.resume(); r.on("end", () => (r.statusCode === 200 ? ok() : bad(new Error("status " + r.statusCode))));
}).on("error", bad));
(async () => {
  let end = Date.now() + 1000;
  while (Date.now() < end) await get();
  const lat = [];
  const t0 = Date.now(); end = t0 + 5000;
  while (Date.now() < end) { const s = process.hrtime.bigint(); await get(); lat.push(Number(process.hrtime.bigint() - s) / 1e6); }
  const secs = (Date.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))].toFixed(2);
  console.log(`${lat.length} requests in ${secs.toFixed(2)} s: ${(lat.length / secs).toFixed(1)} req/s, p50 ${q(0.5)} ms, p99 ${q(0.99)} ms`);
  agent.destroy();
})().catch((e) => { console.error(e); process.exit(1); });' "$PORT" | sed "s/^/jco serve ${flags:-(default)} http-js.wasm GET \/: /"
    stop_server
  done
  exit 0
fi

mkdir -p "$D/expected"
rm -f "$D"/expected/*.txt
for f in http-js http-fetch http-wat; do
  OUT=$D/expected/$f.txt
  cat > "$OUT" <<EOF
# jco serve --isolate-requests instance $f.wasm (jco 1.35.0,
# preview2-shim 0.26.1), written by scripts/http-fixtures.sh. Per request:
# the status code, the response headers (lower-cased, sorted; date,
# connection, keep-alive, transfer-encoding, content-length dropped), the
# body (quoted, or its length and sha256 above 1 KiB); for the routes that
# get no response, what happened and what the same server did next.
EOF
  start_server "$D/$f.wasm"
  request 30 GET /
  request 30 POST /echo --data-binary "@$B/echo-small"
  request 30 POST /echo --data-binary "@$B/echo-100k"
  request 30 GET /status/418
  request 30 GET /big
  request 30 POST /count --data-binary "@$B/upload-4m"
  request 30 POST /count --data-binary ''
  request 30 GET '/headers?b=2&a=1' -H 'X-Test-B: two' -H 'x-test-a: one' -H 'X-Test-A: uno' -H 'Y-Other: no'
  request 30 GET /missing
  stop_server
  routes="/trap /loop /noresponse"
  [ "$f" = http-wat ] && routes="$routes /dropresponse"
  for r in $routes; do
    start_server "$D/$f.wasm"
    request 3 GET "$r"
    after
    stop_server
  done
  echo "expected/$f.txt: $(grep -c '^===' "$OUT") requests"
done
# jco serve's stderr (for NOTES.md; not kept: it holds temporary paths).
for f in http-js http-fetch http-wat; do
  echo "--- $f: jco serve's stderr"
  sed -e "s#$B#\$B#g" "$B/$f.serve.log"
done
