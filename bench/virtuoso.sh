#!/usr/bin/env bash
# A throw-away Virtuoso Open-Source server on 127.0.0.1 for ttdn-graph's tests and benchmarks.
#
#   bench/virtuoso.sh start [DIR] [HTTP_PORT] [ISQL_PORT]   # prints the endpoint: http://127.0.0.1:8890/sparql
#   bench/virtuoso.sh stop  [DIR]
#   bench/virtuoso.sh status [DIR]
#
# DIR (default var/virtuoso) holds its own virtuoso.ini, database, log and a random DBA password (dba.pw, mode 600);
# nothing outside it is touched. Both ports listen on 127.0.0.1 only. The SPARQL user gets SPARQL_UPDATE, so
# `ttdn load --endpoint http://127.0.0.1:HTTP_PORT/sparql` can write (fine on loopback; on a shared server use
# /sparql-auth with an account instead — see README "Using an existing SPARQL service").
# Needs virtuoso-t and isql-vt: apt-get install -y --no-install-recommends virtuoso-opensource-7-bin
# $TTDN_VIRTUOSO_BUFFERS: 8 KB pages of cache (default 100000 ≈ 800 MB, allocated as used);
# $TTDN_VIRTUOSO_MAX_ROWS: the result cap, ResultSetMaxRows (default 1000000; Debian's own ini has 10000);
# $TTDN_VIRTUOSO_QUERY_TIMEOUT: MaxQueryExecutionTime in seconds (default 300).
set -euo pipefail

cmd=${1:-}
dir=${2:-var/virtuoso}
http_port=${3:-8890}
isql_port=${4:-1111}
buffers=${TTDN_VIRTUOSO_BUFFERS:-100000}
max_rows=${TTDN_VIRTUOSO_MAX_ROWS:-1000000}
query_timeout=${TTDN_VIRTUOSO_QUERY_TIMEOUT:-300}
VIRTUOSO=${VIRTUOSO_T:-virtuoso-t}
ISQL=${ISQL_VT:-isql-vt}

die() { echo "virtuoso.sh: $*" >&2; exit 1; }

isql() {  # isql PORT PASSWORD < statements; fails when any statement does
    local out
    out=$("$ISQL" "127.0.0.1:$1" dba "$2" VERBOSE=OFF BANNER=OFF PROMPT=OFF ERRORS=STDOUT 2>&1) || { echo "$out"; return 1; }
    if grep -q '\*\*\* Error' <<<"$out"; then echo "$out"; return 1; fi
    echo "$out"
}

write_ini() {
    local d=$1
    cat > "$d/virtuoso.ini" <<EOF
[Database]
DatabaseFile       = $d/virtuoso.db
ErrorLogFile       = $d/virtuoso.log
LockFile           = $d/virtuoso.lck
TransactionFile    = $d/virtuoso.trx
xa_persistent_file = $d/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = $d/virtuoso-temp.db
TransactionFile    = $d/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort            = 127.0.0.1:$isql_port
ServerThreads         = 20
CheckpointInterval    = 60
NumberOfBuffers       = $buffers
MaxDirtyBuffers       = $((buffers * 3 / 4))
DirsAllowed           = ., $d
CaseMode              = 2
MaxStaticCursorRows   = 5000
TempDBSize            = 1000
ThreadCleanupInterval = 1
ResourcesCleanupInterval = 1

[HTTPServer]
ServerPort           = 127.0.0.1:$http_port
ServerRoot           = $d
ServerThreads        = 20
MaxClientConnections = 20
KeepAliveTimeout     = 10
MaxKeepAlives        = 20
EnabledDavVSP        = 0

[SPARQL]
ResultSetMaxRows           = $max_rows
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = $query_timeout
DefaultQuery               = SELECT DISTINCT ?type WHERE { [] a ?type } LIMIT 100
EOF
}

http_ok() { curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$1/sparql?query=ASK%7B%7D" 2>/dev/null; }

case "$cmd" in
start)
    command -v "$VIRTUOSO" >/dev/null \
        || die "virtuoso-t not found (apt-get install -y --no-install-recommends virtuoso-opensource-7-bin)"
    command -v "$ISQL" >/dev/null || die "isql-vt not found"
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [[ -f "$dir/pid" ]] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
        die "already running (pid $(cat "$dir/pid")); stop it first"
    fi
    write_ini "$dir"
    ( cd "$dir" && exec setsid "$VIRTUOSO" +configfile "$dir/virtuoso.ini" +foreground >"$dir/stdout.log" 2>&1 ) &
    echo $! > "$dir/pid"
    for _ in $(seq 1 300); do
        http_ok "$http_port" && break
        kill -0 "$(cat "$dir/pid")" 2>/dev/null || { tail -20 "$dir/virtuoso.log" >&2 || true; die "virtuoso-t exited"; }
        sleep 0.1
    done
    http_ok "$http_port" || die "no answer on 127.0.0.1:$http_port after 30 s"
    pw=dba  # a new database has the well-known DBA password until we replace it
    [[ -s "$dir/dba.pw" ]] && pw=$(cat "$dir/dba.pw")
    for _ in $(seq 1 300); do  # the SQL port comes up after the HTTP one
        echo "SELECT 1;" | isql "$isql_port" "$pw" >/dev/null 2>&1 && break
        sleep 0.1
    done
    echo "SELECT 1;" | isql "$isql_port" "$pw" >/dev/null 2>&1 || die "no ISQL answer on 127.0.0.1:$isql_port"
    if [[ ! -s "$dir/dba.pw" ]]; then
        new_pw=p$(head -c 15 /dev/urandom | base64 | tr -d '/+=\n')  # no reader that stops early: pipefail
        echo "SET PASSWORD \"dba\" \"$new_pw\";" | isql "$isql_port" dba >/dev/null || die "cannot set the DBA password"
        (umask 077 && echo "$new_pw" > "$dir/dba.pw")
    fi
    pw=$(cat "$dir/dba.pw")
    out=$(echo 'GRANT SPARQL_UPDATE TO "SPARQL";' | isql "$isql_port" "$pw") \
        || grep -q U0013 <<<"$out" || die "granting SPARQL_UPDATE failed: $out"   # U0013: granted already
    out=$(echo "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);" | isql "$isql_port" "$pw") \
        || die "setting the default graph permissions failed: $out"
    echo "http://127.0.0.1:$http_port/sparql"
    ;;
stop)
    [[ -f "$dir/pid" ]] || exit 0
    pid=$(cat "$dir/pid")
    if kill -0 "$pid" 2>/dev/null; then
        port=$(sed -n 's/^ServerPort *= *127.0.0.1:\([0-9]*\)$/\1/p' "$dir/virtuoso.ini" | head -1)
        # a clean shutdown checkpoints first: minutes for a 10,000-plan database, so it gets a minute, then signals
        [[ -n "$port" && -s "$dir/dba.pw" ]] && echo "shutdown;" | timeout 60 isql "$port" "$(cat "$dir/dba.pw")" >/dev/null 2>&1 || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/pid"
    ;;
status)
    if [[ -f "$dir/pid" ]] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
        echo "running (pid $(cat "$dir/pid"))"
    else
        echo "stopped"; exit 1
    fi
    ;;
*)
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
