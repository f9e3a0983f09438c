#!/usr/bin/env bash
# A throw-away Oxigraph server on 127.0.0.1 for ttdn-graph's benchmarks (the union of the named graphs is its
# default graph, so the named queries see every document).
#
#   bench/oxigraph_server.sh start [DIR] [PORT]   # prints the query endpoint, e.g. http://127.0.0.1:7878/query
#   bench/oxigraph_server.sh stop  [DIR]
#   bench/oxigraph_server.sh status [DIR]
#
# DIR (default var/oxigraph-server) holds the database (DIR/data), the log and the pid; nothing outside it is touched.
# Load with: ttdn load --endpoint http://127.0.0.1:PORT/query --update-endpoint http://127.0.0.1:PORT/update
# The binary comes from the dev dependency `oxigraph` (PyPI), i.e. .venv/bin/oxigraph; $OXIGRAPH overrides it.
# $TTDN_OXIGRAPH_TIMEOUT: a query time limit in seconds (--timeout-s; none by default).
set -euo pipefail

cmd=${1:-}
dir=${2:-var/oxigraph-server}
port=${3:-7878}
here=$(cd "$(dirname "$0")/.." && pwd)
OXIGRAPH=${OXIGRAPH:-}
if [[ -z "$OXIGRAPH" ]]; then
    if [[ -x "$here/.venv/bin/oxigraph" ]]; then OXIGRAPH="$here/.venv/bin/oxigraph"; else OXIGRAPH=oxigraph; fi
fi

die() { echo "oxigraph_server.sh: $*" >&2; exit 1; }
running() { [[ -f "$dir/pid" ]] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; }

case "$cmd" in
start)
    command -v "$OXIGRAPH" >/dev/null || die "oxigraph not found (pip install oxigraph, or set \$OXIGRAPH)"
    mkdir -p "$dir/data"
    dir=$(cd "$dir" && pwd)
    running && die "already running (pid $(cat "$dir/pid")); stop it first"
    timeout_opt=()
    [[ -n "${TTDN_OXIGRAPH_TIMEOUT:-}" ]] && timeout_opt=(--timeout-s "$TTDN_OXIGRAPH_TIMEOUT")
    "$OXIGRAPH" serve --location "$dir/data" --bind "127.0.0.1:$port" --union-default-graph "${timeout_opt[@]}" \
        >"$dir/server.log" 2>&1 &
    echo $! > "$dir/pid"
    for _ in $(seq 1 200); do
        curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$port/query?query=ASK%7B%7D" 2>/dev/null && break
        running || { tail -20 "$dir/server.log" >&2 || true; die "oxigraph exited"; }
        sleep 0.1
    done
    curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$port/query?query=ASK%7B%7D" || die "no answer on 127.0.0.1:$port"
    echo "http://127.0.0.1:$port/query"
    ;;
stop)
    if running; then
        pid=$(cat "$dir/pid")
        kill "$pid"
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/pid"
    ;;
status)
    if running; then echo "running (pid $(cat "$dir/pid"))"; else echo "stopped"; exit 1; fi
    ;;
*)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
