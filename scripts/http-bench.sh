#!/usr/bin/env bash
# http-bench.sh: witc serve against jco serve on the same proxy component,
# side by side in one run, on loopback: GET / sequentially and from 8
# concurrent clients (internal/httpload, bounded by requests and time).
# witc serves each request with a fresh instance; jco serve runs once with
# one instance for every request (its default) and once with
# --isolate-requests (a fresh instance per request, like witc).
#
#   scripts/http-bench.sh [COMPONENT.wasm]   (make http-bench)
#
# Needs node and npm (jco is installed into JCO_DIR as make jco-test does).
set -euo pipefail
cd "$(dirname "$0")/.."
WASM=${1:-wasihttp/testdata/http-js.wasm}
JCO_DIR=${JCO_DIR:-/tmp/witc-corpus-tools}
JCO=$JCO_DIR/node_modules/@bytecodealliance/jco/dist/jco.js
SECS=${SECS:-8}
B=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; done
  sleep 0.5
  for p in "${PIDS[@]}"; do kill -KILL -- "-$p" 2>/dev/null || true; done
  rm -rf "$B"
}
trap cleanup EXIT
go build -o "$B/witc" ./cmd/witc
go build -o "$B/httpload" ./internal/httpload
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start NAME CMD...: starts a server in a process group of its own and
# waits (at most 120 s) until GET / answers on $PORT.
start() {
  local name=$1
  shift
  setsid "$@" > "$B/$name.log" 2>&1 < /dev/null &
  PIDS+=($!)
  for _ in $(seq 1200); do
    curl -s -o /dev/null -m 1 "http://127.0.0.1:$PORT/" && return 0
    sleep 0.1
  done
  echo "$name did not start:" >&2
  cat "$B/$name.log" >&2
  exit 1
}

run() { # run NAME: the load, sequential then 8 clients
  local name=$1
  for c in 1 8; do
    "$B/httpload" -url "http://127.0.0.1:$PORT/" -c $c -n 100000 -d "${SECS}s" -warmup 10 |
      sed "s/^/$name c=$c /"
  done
}

PORT=$(port); start witc "$B/witc" serve --addr "127.0.0.1:$PORT" "$WASM"
run witc | tee -a "$B/results"
kill -TERM -- "-${PIDS[-1]}"
PORT=$(port); start jco node --no-warnings "$JCO" serve "$WASM" --host 127.0.0.1 --port "$PORT" --jco-dir "$B/jco1"
run jco-shared | tee -a "$B/results"
kill -TERM -- "-${PIDS[-1]}"
PORT=$(port); start jco-isolated node --no-warnings "$JCO" serve "$WASM" --isolate-requests --host 127.0.0.1 --port "$PORT" --jco-dir "$B/jco2"
run jco-isolated | tee -a "$B/results"

echo
echo "requests/s (p50 / p99 ms); ratio = witc's requests/s over the peer's"
python3 - "$B/results" <<'PY'
import json, sys
rows = {}
for line in open(sys.argv[1]):
    name, c, js = line.split(" ", 2)
    rows[(name, c)] = json.loads(js)
for c in ("c=1", "c=8"):
    w = rows[("witc", c)]
    for peer in ("jco-shared", "jco-isolated"):
        p = rows[(peer, c)]
        print(f"{c}: witc {w['rps']:.0f} ({w['P50']:.1f} / {w['P99']:.1f})  {peer} {p['rps']:.0f} ({p['P50']:.1f} / {p['P99']:.1f})  ratio {w['rps']/p['rps']:.2f}x")
PY
