"""Query execution with a real time limit and a result cap.

pyoxigraph cannot interrupt a running query, so embedded queries run in a small pool of worker processes, each
holding its own read-only handle on the store. A query that overruns its time limit gets its worker killed and
replaced; the others keep serving. A remote endpoint is simply asked over HTTP with a timeout. Either way the
answer is cut at `cap` rows (or triples) and serialised here, so both backends speak the same formats.
"""

from __future__ import annotations

import contextlib
import dataclasses
import heapq
import itertools
import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox

from ttdn_graph.web.conneg import RDF_FORMATS, RESULT_FORMATS
from ttdn_graph.web.safety import Refused

# media type → pyoxigraph syntax, from the one table of ttdn_graph/web/conneg.py (text/n3 is written as Turtle)
RESULT_MEDIA = {f.media_type: f.results_format for f in RESULT_FORMATS}
GRAPH_MEDIA = {f.media_type: f.rdf_format for f in RDF_FORMATS}


DEFAULT_BYTE_CAP = 16 * 1024 * 1024  # an answer's body is cut (whole rows) before this many bytes
REMOTE_BODY_LIMIT = 256 * 1024 * 1024  # a remote endpoint's answer is read up to this, then refused


class QueryFailed(Exception):
    """The query could not run; `status` is the HTTP status to answer with (400 syntax, 503 timeout …);
    `time_limit` when it was stopped for running past its time limit."""

    def __init__(self, status: int, message: str, *, time_limit: bool = False):
        super().__init__(message)
        self.status = status
        self.message = message
        self.time_limit = time_limit


@dataclass(frozen=True)
class Job:
    """One query to run. Graph lists None: the default graph is the union of all named graphs."""

    sparql: str
    media_type: str
    cap: int
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    deep_check: bool = False  # run ttdn_graph.web.safety.deep_check (rdflib's parse) first, inside the time limit
    byte_cap: int = 0  # answers are cut (whole rows or triples) before their body passes this many bytes; 0: no cap
    base_iri: str | None = None  # relative IRIs of the query resolve against it (the endpoint's URL); None: not resolved


@dataclass(frozen=True)
class Output:
    body: bytes
    media_type: str
    count: int  # rows or triples in the body (1 for ASK)
    truncated: bool
    seconds: float = 0.0
    cached: bool = False  # handed out again from ttdn_graph.web.result_cache, not evaluated for this request
    truncated_by: str = ""  # "rows" (the row cap) or "bytes" (the byte cap) when truncated
    version: str = ""  # the store snapshot that answered (ttdn_graph.store.embedded.snapshot_signature)


# -- serialisation (shared by both backends) ------------------------------------------------------------------
def _term_json(t: Any) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        d: dict[str, Any] = {"type": "literal", "value": t.value}
        if t.language:
            d["xml:lang"] = t.language
            direction = getattr(t, "direction", None)
            if direction is not None:
                d["its:dir"] = str(getattr(direction, "value", direction)).lower()
        elif t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            d["datatype"] = t.datatype.value
        return d
    if isinstance(t, ox.Triple):
        return {"type": "triple", "value": {"subject": _term_json(t.subject), "predicate": _term_json(t.predicate),
                                            "object": _term_json(t.object)}}
    raise TypeError(f"unexpected term {t!r}")


def _fit(items: list, render: Callable[[list], bytes], byte_cap: int) -> tuple[bytes, int]:
    """The body of as many leading items as fit in `byte_cap` bytes once rendered, and their count."""
    keep = len(items)
    body = render(items)
    while byte_cap and len(body) > byte_cap and keep:
        keep = min(keep - 1, int(keep * byte_cap / len(body) * 0.95))
        body = render(items[: max(0, keep)])
    return body, max(0, keep)


def serialize(result: Any, media_type: str, cap: int, prefixes: dict[str, str] | None = None,
              byte_cap: int = 0) -> Output:
    """Serialise a pyoxigraph result (solutions, boolean, or triples) in `media_type`, cut at `cap` items and before
    `byte_cap` bytes (0: no byte cap). Items are read one at a time, so a huge answer is never held whole."""
    if isinstance(result, ox.QueryBoolean):
        fmt = RESULT_MEDIA.get(media_type, ox.QueryResultsFormat.JSON)
        return Output(result.serialize(format=fmt), media_type, 1, False)
    by = ""
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        head = b'{"head":' + json.dumps({"vars": names}, separators=(",", ":")).encode() + b',"results":{"bindings":['
        rows: list[bytes] = []
        size = len(head) + 3
        for s in result:
            if len(rows) >= cap:
                by = "rows"
                break
            row = json.dumps({n: _term_json(s[n]) for n in names if s[n] is not None}, ensure_ascii=False,
                             separators=(",", ":")).encode()
            if byte_cap and size + len(row) + 1 > byte_cap:
                by = "bytes"
                break
            rows.append(row)
            size += len(row) + 1
        fmt = RESULT_MEDIA.get(media_type, ox.QueryResultsFormat.JSON)

        def render(items: list[bytes]) -> bytes:
            body = head + b",".join(items) + b"]}}"
            if fmt != ox.QueryResultsFormat.JSON:
                body = ox.parse_query_results(body, ox.QueryResultsFormat.JSON).serialize(format=fmt)
            return body

        body, n = _fit(rows, render, byte_cap)
        if n < len(rows):
            by = "bytes"
        return Output(body, media_type, n, bool(by), truncated_by=by)
    triples: list[Any] = []
    size = 0
    for t in iter(result):
        if len(triples) >= cap:
            by = "rows"
            break
        size += len(str(t).encode()) + 3  # its N-Triples line
        if byte_cap and size > byte_cap:
            by = "bytes"
            break
        triples.append(t)
    fmt = GRAPH_MEDIA.get(media_type, ox.RdfFormat.TURTLE)
    kw = {"prefixes": prefixes} if prefixes and fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else {}
    body, n = _fit(triples, lambda items: ox.serialize(items, format=fmt, **kw), byte_cap)
    if n < len(triples):
        by = "bytes"
    return Output(body, media_type, n, bool(by), truncated_by=by)


def _prefixes() -> dict[str, str]:
    from ttdn_graph.graph.namespaces import PREFIXES

    return dict(PREFIXES)


def execute(store: ox.Store, job: Job) -> Output:
    """Run one job on a pyoxigraph store (in a worker process, or inline in tests)."""
    t0 = time.perf_counter()
    if job.deep_check:
        from ttdn_graph.web.safety import deep_check

        deep_check(job.sparql, lambda: {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)})
    if job.default_graphs is None and job.named_graphs is None:
        result = store.query(job.sparql, base_iri=job.base_iri, use_default_graph_as_union=True)
    else:
        dg = [ox.NamedNode(g) for g in (job.default_graphs or ())] or [ox.DefaultGraph()]
        ng = [ox.NamedNode(g) for g in job.named_graphs] if job.named_graphs is not None else []
        result = store.query(job.sparql, base_iri=job.base_iri, default_graph=dg, named_graphs=ng)
    out = serialize(result, job.media_type, job.cap, _prefixes(), job.byte_cap)
    return dataclasses.replace(out, seconds=time.perf_counter() - t0)


# -- the worker process ---------------------------------------------------------------------------------------
LONG_NICE = 10  # scheduling niceness of a worker once its query runs past the short-query threshold
# A query is long when it has used this share of `fast_after` in CPU time. Past `fast_after` of wall time with less
# CPU than that, it is waiting for a core (the machine is busy), not working: it keeps its short-query worker, for
# at most STARVED_STRETCH times `fast_after` of wall time in all.
LONG_CPU_SHARE = 0.5
STARVED_STRETCH = 6.0
# A fresh worker's first queries read the store's blocks from disk or the page cache (about 1 s of CPU for a query
# that takes 30 ms once warm, at 10,000 plans): they get the same stretch whatever CPU they use. Without it, under
# load, a new worker's first query was counted long and stopped, its replacement started cold, and so on.
WARM_AFTER = 3
try:
    _CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
except (AttributeError, ValueError, OSError):
    _CLOCK_TICKS = 100
DEFAULT_WORKER_MEMORY_MB = 384  # a worker's data segment (heap, anonymous maps); its store files are not counted


def _limit_memory(memory_mb: int) -> None:
    """Cap the worker's data segment (RLIMIT_DATA: heap and private anonymous maps; file-backed store pages are not
    counted). A query that needs more gets an allocation failure: MemoryError in Python, an abort in the engine."""
    if memory_mb > 0:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def _open_snapshot(store_path: str) -> tuple[ox.Store, str]:
    """Open the store read-only and name the snapshot it shows: the signature before and after the open agree."""
    from ttdn_graph.store.embedded import snapshot_signature

    for _ in range(20):
        before = snapshot_signature(store_path)
        store = ox.Store.read_only(store_path)
        if snapshot_signature(store_path) == before:
            return store, before
        del store  # a writer committed meanwhile: open again
        time.sleep(0.05)
    raise OSError(f"the store at {store_path} kept changing while it was opened")


def _worker_main(conn: Any, store_path: str, memory_mb: int = DEFAULT_WORKER_MEMORY_MB) -> None:
    """Child process: no network, bounded memory, the store read-only; then answer jobs until told to stop."""
    from ttdn_graph.web.netguard import NetGuardError, deny_network

    try:
        guard = deny_network()  # before anything else runs here: no thread of this process may reach the network
    except NetGuardError as e:
        conn.send(("fatal", f"cannot shut the query worker off the network, refusing to serve: {e}"))
        return
    try:
        _limit_memory(memory_mb)
        store, version = _open_snapshot(store_path)
    except Exception as e:  # noqa: BLE001 - reported to the parent
        conn.send(("fatal", f"cannot open store at {store_path}: {e}"))
        return
    with contextlib.suppress(Exception):  # warm up before saying ready: the first query must not pay rdflib's import
        from ttdn_graph.web.safety import parse_tree_findings

        parse_tree_findings("ASK { ?s ?p ?o }")
    conn.send(("ready", {"version": version, "netns": guard.netns}))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            out = execute(store, job)
            conn.send(("ok", dataclasses.replace(out, version=version)))
        except Refused as e:
            conn.send(("refused", (e.status, e.message)))
        except SyntaxError as e:
            conn.send(("syntax", str(e)))
        except MemoryError:
            conn.send(("memory", None))
            return  # a process that ran out of memory is not trusted with the next query
        except PermissionError:  # the network guard refused a socket: SERVICE got past the checks
            conn.send(("refused", (403, "SERVICE (federated query) is not allowed on this endpoint")))
        except OSError as e:  # the store could not be read
            conn.send(("store", f"{type(e).__name__}: {e}"))
        except Exception as e:  # noqa: BLE001 - one bad query must not end the worker
            conn.send(("error", f"{type(e).__name__}: {str(e)[:500]}"))


class _Worker:
    """One child process (`python -m ttdn_graph.web.worker`), talking pickled messages over a socketpair.

    A plain subprocess rather than multiprocessing's spawn: spawn re-imports the parent's __main__, which breaks
    under scripts and some servers.
    """

    def __init__(self, store_path: str, memory_mb: int, epoch: int):
        parent, child = socket.socketpair()
        env = dict(os.environ)
        # the folder holding the ttdn_graph package (the checkout, or site-packages when installed), first on the
        # worker's path: it runs this very copy of the code, whatever the server's working directory
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        env["RUST_BACKTRACE"] = "0"  # an engine out of memory aborts; its backtrace says nothing to the operator
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ttdn_graph.web.worker", "--fd", str(child.fileno()), "--store", store_path,
             "--memory-mb", str(memory_mb)],
            pass_fds=(child.fileno(),), stdin=subprocess.DEVNULL, env=env, close_fds=True,
        )
        child.close()
        self.conn = Connection(parent.detach())
        self.ready = False
        self.version = ""
        self.epoch = epoch
        self.niced = False
        self.answered = 0  # queries answered: the first WARM_AFTER warm its caches

    def lower_priority(self) -> None:
        """A long-running query yields the CPU to short ones (and to the web process)."""
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, self.proc.pid, LONG_NICE)
            self.niced = True

    def restore_priority(self) -> bool:
        """Back to normal priority after a long query, where the process may (root, CAP_SYS_NICE); False when it
        may not, and the worker must be replaced by a fresh one instead (a process start costs the machine a second
        of CPU: under load, replacing every long query's worker was itself what kept the machine busy)."""
        try:
            os.setpriority(os.PRIO_PROCESS, self.proc.pid, 0)
        except OSError:
            return False
        self.niced = False
        return True

    def cpu_seconds(self) -> float | None:
        """CPU time the worker process has used (user + system, Linux /proc), None where it cannot be read."""
        try:
            with open(f"/proc/{self.proc.pid}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
        except (OSError, ValueError, IndexError):
            return None

    def wait_ready(self, timeout: float) -> None:
        if self.ready:
            return
        if not self.conn.poll(timeout):
            raise QueryFailed(503, "query worker did not start in time")
        status, payload = self.conn.recv()
        if status != "ready":
            raise QueryFailed(500, payload or "query worker failed to start")
        self.version = payload["version"]
        self.ready = True

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.kill()
            self.proc.wait(5)
        with contextlib.suppress(Exception):
            self.conn.close()


class _FairQueue:
    """Free workers, handed to the waiting job whose client has used the workers least lately (ties: first come).

    A client that keeps workers busy with slow queries queues behind one that asks for little, so short queries
    from others get the next free worker even under a flood from many addresses. Lanes: a job names its lane, and
    a lane with a limit (`limits`) holds at most that many workers at once; a waiting job whose lane is full lets
    the jobs behind it of other lanes pass (the pool's query lane cannot take the workers kept for pages).
    """

    def __init__(self, limits: dict[str, int] | None = None) -> None:
        self._free: list[_Worker] = []
        self._waiting: list[tuple[float, int, str | None]] = []  # (priority, ticket, lane), a heap
        self._cond = threading.Condition()
        self._tickets = itertools.count()
        self._evicted: set[tuple[float, int, str | None]] = set()
        self.limits = dict(limits or {})
        self._busy: dict[str, int] = {}  # workers held per lane (taken by get, handed back by release)

    def __len__(self) -> int:
        return len(self._waiting)

    def qsize(self) -> int:
        """Free workers now."""
        with self._cond:
            return len(self._free)

    def busy(self, lane: str) -> int:
        """Workers `lane` holds now."""
        with self._cond:
            return self._busy.get(lane, 0)

    def put(self, w: _Worker) -> None:
        with self._cond:
            self._free.append(w)
            self._cond.notify_all()

    def drain(self) -> list[_Worker]:
        with self._cond:
            out, self._free = self._free, []
            return out

    def release(self, lane: str | None) -> None:
        """A job of `lane` is done with its worker (whether the worker came back or was replaced)."""
        if lane is None:
            return
        with self._cond:
            self._busy[lane] = max(0, self._busy.get(lane, 0) - 1)
            self._cond.notify_all()

    def _has_room(self, lane: str | None) -> bool:
        return lane is None or lane not in self.limits or self._busy.get(lane, 0) < self.limits[lane]

    def _next(self) -> tuple[float, int, str | None] | None:
        """The waiting job served next: the first by (priority, arrival) whose lane has room."""
        return next((w for w in sorted(self._waiting) if self._has_room(w[2])), None)

    def get(self, priority: float, timeout: float, max_waiting: int, lane: str | None = None) -> _Worker:
        """A free worker within `timeout` s; queue.Empty on time-out; queue.Full when `max_waiting` already wait and
        none of them has a higher `priority` figure (used more), or when such a newcomer takes this one's place.
        With a `lane`, the worker counts as held by it until `release(lane)`."""
        end = time.monotonic() + timeout
        with self._cond:
            me = (priority, next(self._tickets), lane)
            if len(self._waiting) >= max_waiting:
                worst = max(self._waiting, default=None)
                if worst is None or worst[0] <= priority:
                    raise queue.Full
                self._evicted.add(worst)  # a client that used less takes the place of the one that used most
                self._waiting.remove(worst)
                heapq.heapify(self._waiting)
                self._cond.notify_all()
            heapq.heappush(self._waiting, me)
            try:
                while not (self._free and self._next() == me):
                    if me in self._evicted:
                        raise queue.Full
                    left = end - time.monotonic()
                    if left <= 0:
                        raise queue.Empty
                    self._cond.wait(left)
                if lane is not None:
                    self._busy[lane] = self._busy.get(lane, 0) + 1
                return self._free.pop()
            finally:
                self._evicted.discard(me)
                if me in self._waiting:
                    self._waiting.remove(me)
                heapq.heapify(self._waiting)
                self._cond.notify_all()


class _Costs:
    """Each client's expected seconds per query: a moving average of what its queries took on a worker, starting
    from `prior` for a client not seen yet. The fair queue serves the cheapest expected first."""

    def __init__(self, prior: float = 0.5, weight: float = 0.3, keep: int = 10_000):
        self.prior, self.weight, self.keep = prior, weight, keep
        self._d: dict[str, float] = {}
        self._lock = threading.Lock()

    def of(self, client: str | None) -> float:
        if client is None:
            return 0.0
        with self._lock:
            return self._d.get(client, self.prior)

    def add(self, client: str | None, seconds: float) -> None:
        if client is None:
            return
        with self._lock:
            old = self._d.pop(client, self.prior)
            self._d[client] = old + self.weight * (seconds - old)  # re-inserted: the dict keeps recent last
            while len(self._d) > self.keep:  # forget the longest unseen
                del self._d[next(iter(self._d))]


QUERY_LANE = "query"  # /sparql, named queries and their CSV/JSON exports
PAGE_LANE = "page"  # linked-data pages, search, the index, the views (ttdn_graph/web/service.py)
LANES = (QUERY_LANE, PAGE_LANE)


class WorkerPool:
    """`size` + `page_workers` worker processes over one store; `run` blocks (call it from a thread), thread-safe.

    Admission: a job waits at most `max_wait` s for a free worker and at most `max_queue` jobs wait at once; beyond
    either it gets 503 with Retry-After at once instead of a long wait. A free worker goes to the waiting job whose
    client (`run(..., client=)`) has the cheapest queries lately (a moving average of the CPU seconds its queries
    used: wall time would charge a client for a busy machine), and a client whose queries run long is turned away at
    once while the long-running slots are all taken, instead of taking the worker kept for short queries. Lanes: a
    job that runs past `fast_after` s needs a long-running slot, and there are `size - 1` of them, so one worker
    always turns over within `fast_after` s of work for short queries; a long query that finds them all taken is
    stopped there (503, Retry-After). A job past `fast_after` of wall time that has used under LONG_CPU_SHARE of it in
    CPU is waiting for a core, not working: it keeps its worker (for at most STARVED_STRETCH × `fast_after` in all),
    so a machine under load does not turn its quick queries into long ones; a fresh worker's first WARM_AFTER
    queries get the same stretch, whatever CPU they use (they fill its caches). A long-running query's worker is niced
    (LONG_NICE), so on a busy machine short queries still get the CPU, and set back afterwards where the process may
    (else replaced by a fresh one); a warm spare process takes the place of a killed worker at once (`spare`).
    Snapshots: a watcher notices a finished load (the store's files changed and then stayed still for one
    interval), starts a full new set of workers on the new snapshot and swaps them in together; answers name their
    snapshot (`Output.version`), and `generation` moves with it so cached answers follow.
    Request lanes (`run(..., lane=)`): QUERY_LANE jobs (the public endpoint, named queries) hold at most `size`
    workers at once, so the `page_workers` more are always left to PAGE_LANE jobs (pages, search, views), which
    may also take any free worker. A page job is served before any waiting query job (its priority is its
    client's page cost, not its query cost: a client's slow queries neither delay nor turn away its pages), and
    it runs past `fast_after` only in one of `page_workers` long-running page slots (with no page workers, in the
    query lane's). So at most `size - 1 + page_workers` of the `size + page_workers` workers run long, and a page
    waits for a worker at most about `fast_after`, whatever the query lane does.
    """

    def __init__(self, store_path: str, size: int = 3, timeout: float = 10.0, startup_timeout: float = 60.0, *,
                 memory_mb: int = DEFAULT_WORKER_MEMORY_MB, max_wait: float = 2.0, max_queue: int | None = None,
                 fast_after: float = 0.5, watch_interval: float = 1.0, spare: bool = True, page_workers: int = 0,
                 warm_after: int = WARM_AFTER):
        self.store_path = str(store_path)
        self.warm_after = max(0, warm_after)
        self.size = max(1, size)
        self.page_workers = max(0, page_workers)
        self.total = self.size + self.page_workers  # worker processes serving (the spare not counted)
        self.timeout = timeout
        self.startup_timeout = startup_timeout
        self.memory_mb = memory_mb
        self.max_wait = max_wait
        self.max_queue = max_queue if max_queue is not None else 4 * self.size
        self.fast_after = fast_after
        self.long_slots = max(1, self.size - 1)
        self.watch_interval = watch_interval
        self._idle = _FairQueue({QUERY_LANE: self.size})
        self.costs = _Costs(prior=fast_after / 4)  # unknown clients: presumed short
        self.page_costs = _Costs(prior=0.0)  # pages: cheapest first, apart from anyone's queries
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        # long-running slots per lane group, and those in use (under _lock)
        self._long_slots = {QUERY_LANE: self.long_slots, PAGE_LANE: self.page_workers}
        self._long_taken = {QUERY_LANE: 0, PAGE_LANE: 0}
        self.spare = spare
        self._spare: _Worker | None = None
        self._started = False
        self._closed = threading.Event()
        self.epoch = 0  # the current set of workers; workers of an older set are retired when they come back
        self.generation = 0  # bumped when the snapshot served changes (the answer cache follows it)
        self.version = ""  # the snapshot the current set reads
        self.on_switch: Callable[[str], None] | None = None  # told the new version after a switch
        self.stats = {"killed_time_limit": 0, "killed_long_lane": 0, "starved_waits": 0, "warm_up_waits": 0, "killed_memory": 0, "busy": 0, "switches": 0,
                      "long_lane_full": 0, "jobs_query": 0, "jobs_page": 0}

    @property
    def _is_closed(self) -> bool:
        return self._closed.is_set()

    def _spawn(self, epoch: int | None = None) -> _Worker:
        w = _Worker(self.store_path, self.memory_mb, self.epoch if epoch is None else epoch)
        with self._lock:
            self._all.add(w)
        return w

    def _spawn_spare(self, epoch: int) -> _Worker:
        """A worker kept out of `_all` (the serving set) until it takes a killed worker's place."""
        return _Worker(self.store_path, self.memory_mb, epoch)

    def start(self) -> None:
        """Spawn the workers and wait for the first: a worker that cannot start (no network guard, no store) is an
        error here, at start-up, not on the first query."""
        with self._lock:
            if self._started or self._is_closed:
                return
            self._started = True
        workers = [self._spawn() for _ in range(self.total)]
        try:
            for w in workers:
                w.wait_ready(self.startup_timeout)
        except QueryFailed:
            self.close()
            raise
        self.version = workers[0].version
        for w in workers:
            self._idle.put(w)
        if self.spare:
            self._spare = self._spawn_spare(self.epoch)
        if self.watch_interval > 0:
            threading.Thread(target=self._watch, name="ttdn-store-watch", daemon=True).start()

    def _retire(self, w: _Worker, replace: bool = True) -> None:
        w.kill()
        with self._lock:
            self._all.discard(w)
            current = w.epoch == self.epoch
        if replace and current and not self._is_closed:
            self._idle.put(self._take_spare())

    def _take_spare(self) -> _Worker:
        """The warm spare (a new one starts behind it), so a killed worker's place is filled at once."""
        with self._lock:
            spare, self._spare = self._spare, None
        if spare is None or spare.epoch != self.epoch or spare.proc.poll() is not None:
            if spare is not None:
                spare.kill()
            spare = self._spawn()
        else:
            with self._lock:
                self._all.add(spare)
        if self.spare and not self._is_closed:
            fresh = self._spawn_spare(self.epoch)
            with self._lock:
                self._spare = fresh
        return spare

    def _give_back(self, w: _Worker) -> None:
        if w.epoch != self.epoch or self._is_closed:
            self._retire(w, replace=False)
        else:
            self._idle.put(w)

    def _long_group(self, lane: str) -> str:
        """The long-running slots a lane's jobs use: the page lane's own when it has page workers."""
        return PAGE_LANE if lane == PAGE_LANE and self.page_workers else QUERY_LANE

    def _long_free(self, group: str = QUERY_LANE) -> int:
        with self._lock:
            return self._long_slots[group] - self._long_taken[group]

    def _take(self, wait: float, client: str | None, lane: str = QUERY_LANE) -> _Worker:
        end = time.monotonic() + wait
        cost = (self.costs if lane == QUERY_LANE else self.page_costs).of(client)
        if lane == QUERY_LANE and cost >= self.fast_after / 2 and self._long_free() == 0:
            with self._lock:
                self.stats["long_lane_full"] += 1
            raise QueryFailed(503, "your recent queries ran long and every slot for long-running queries is taken; "
                                   "try again shortly")
        try:
            while True:
                w = self._idle.get(cost, max(0.0, end - time.monotonic()), self.max_queue, lane)
                if w.epoch != self.epoch:  # left over from the set before a switch
                    self._idle.release(lane)
                    self._retire(w, replace=False)
                elif w.proc.poll() is not None:  # died while idle (killed from outside): replace it
                    self._idle.release(lane)
                    self._retire(w)
                else:
                    return w
        except queue.Full:
            with self._lock:
                self.stats["busy"] += 1
            raise QueryFailed(503, f"the query service is busy ({self.max_queue} queries waiting); "
                                   "try again shortly") from None
        except queue.Empty:
            with self._lock:
                self.stats["busy"] += 1
            n = self.size if lane == QUERY_LANE else self.total
            raise QueryFailed(503, f"all {n} query workers are busy; try again shortly") from None

    def _starved_wait(self, w: _Worker, cpu0: float | None, started: float, first: float, limit: float) -> float:
        """Past `first` s of wall time, a query that has used less than LONG_CPU_SHARE of it in CPU is waiting for a
        core, not working: wait on (in steps, up to STARVED_STRETCH × first of wall time and the time limit) while
        that stays so. The wall time waited, which stands for `first` from then on."""
        cap = min(limit, first * STARVED_STRETCH)
        if w.answered < self.warm_after:  # a cold worker: its first queries read the store into its caches
            with self._lock:
                self.stats["warm_up_waits"] += 1
            waited = time.monotonic() - started
            w.conn.poll(max(0.0, cap - waited))
            return max(first, time.monotonic() - started)
        if cpu0 is None:
            return first
        while True:
            waited = time.monotonic() - started
            used = w.cpu_seconds()
            if used is None or used - cpu0 >= first * LONG_CPU_SHARE or waited >= cap:
                return max(first, waited)
            with self._lock:
                self.stats["starved_waits"] += 1
            if w.conn.poll(min(first / 2, cap - waited)):
                return max(first, time.monotonic() - started)

    def run(self, job: Job, timeout: float | None = None, client: str | None = None,
            lane: str = QUERY_LANE) -> Output:
        """Run `job` in `lane` (QUERY_LANE or PAGE_LANE); QueryFailed(503) when it overruns `timeout` (its worker is
        killed), when no worker is free soon enough, or when it runs long while every long-running slot of its lane
        is taken."""
        if lane not in LANES:
            raise ValueError(f"unknown lane {lane!r}")
        if self._is_closed:
            raise QueryFailed(503, "the query service is shutting down")
        self.start()
        limit = self.timeout if timeout is None else timeout
        group = self._long_group(lane)
        w: _Worker | None = self._take(min(limit, self.max_wait), client, lane)
        with self._lock:
            self.stats[f"jobs_{lane}"] += 1
        long_slot = False
        started = None
        cpu0 = cpu_at_kill = None
        try:
            w.wait_ready(self.startup_timeout)
            started = time.monotonic()  # the client is charged for its query, not for a worker's start
            cpu0 = w.cpu_seconds()
            w.conn.send(job)
            first = min(limit, self.fast_after)
            done = w.conn.poll(first)
            first = self._starved_wait(w, cpu0, started, first, limit) if not done else first
            done = done or w.conn.poll(0)
            if not done and limit > first:
                with self._lock:
                    long_slot = self._long_taken[group] < self._long_slots[group]
                    self._long_taken[group] += long_slot
                if long_slot:
                    w.lower_priority()
                if not long_slot:
                    cpu_at_kill = w.cpu_seconds()
                    self._retire(w)
                    w = None
                    with self._lock:
                        self.stats["killed_long_lane"] += 1
                    raise QueryFailed(503, f"query stopped after {first:.2g} s: every slot for long-running queries "
                                           "is taken; try again shortly")
                done = w.conn.poll(max(0.0, limit - first))
            if not done:
                cpu_at_kill = w.cpu_seconds()
                self._retire(w)
                w = None
                with self._lock:
                    self.stats["killed_time_limit"] += 1
                raise QueryFailed(503, f"query stopped: it ran longer than the {limit:g} s time limit", time_limit=True)
            status, payload = w.conn.recv()
            w.answered += 1
            if status == "ok":  # the worker's own clock: not this busy process's scheduling
                started = time.monotonic() - payload.seconds
        except (EOFError, OSError, BrokenPipeError):
            if w is not None:
                code = None
                with contextlib.suppress(subprocess.TimeoutExpired):
                    code = w.proc.wait(2)
                cpu_at_kill = w.cpu_seconds()
                self._retire(w)
                w = None
                with self._lock:
                    self.stats["killed_memory"] += 1
                raise QueryFailed(503, f"query stopped: its worker ended (exit {code}); the query needed more than "
                                       f"the {self.memory_mb} MB memory limit of a worker or broke the engine") from None
            raise
        except QueryFailed:
            if w is not None and not w.ready:
                cpu_at_kill = w.cpu_seconds()
                self._retire(w)
                w = None
            raise
        finally:
            if started is not None:  # the client's cost: the CPU its query used (its wall time where unknown)
                spent = time.monotonic() - started
                if cpu0 is not None and (cpu1 := (w.cpu_seconds() if w is not None else cpu_at_kill)) is not None:
                    spent = max(0.0, cpu1 - cpu0)
                (self.costs if lane == QUERY_LANE else self.page_costs).add(client, spent)
            if long_slot:
                with self._lock:
                    self._long_taken[group] -= 1
            if w is not None and w.niced and not w.restore_priority():
                self._retire(w)  # its priority cannot be raised again without privileges: a fresh worker
            elif w is not None:
                self._give_back(w)
            self._idle.release(lane)
        if status == "ok":
            return payload
        if status == "memory":
            with self._lock:
                self.stats["killed_memory"] += 1
            raise QueryFailed(503, f"query stopped: it needed more than the {self.memory_mb} MB memory limit of a "
                                   "query worker")
        if status == "refused":
            raise QueryFailed(*payload)
        if status == "syntax":
            raise QueryFailed(400, f"SPARQL syntax error: {payload}")
        if status == "error":  # the query was understood but cannot be evaluated
            raise QueryFailed(400, f"query failed: {payload}")
        raise QueryFailed(500, f"store error: {payload}")

    # -- snapshots -----------------------------------------------------------------------------------------------
    def _watch(self) -> None:
        from ttdn_graph.store.embedded import snapshot_signature

        seen = self.version
        while not self._closed.wait(self.watch_interval):
            now = snapshot_signature(self.store_path)
            if now and now != self.version and now == seen:  # changed, then still for one interval
                self.switch()
            seen = now

    def switch(self) -> bool:
        """Start a full set of workers on the store as it is now and swap it in; False when the store moved
        again meanwhile (the watcher tries again) or the new workers did not start."""
        with self._lock:
            epoch = self.epoch + 1
        fresh = [self._spawn(epoch) for _ in range(self.total)]
        try:
            for w in fresh:
                w.wait_ready(self.startup_timeout)
        except QueryFailed:
            for w in fresh:
                self._retire(w, replace=False)
            return False
        versions = {w.version for w in fresh}
        if len(versions) != 1 or self._is_closed:
            for w in fresh:
                self._retire(w, replace=False)
            return False
        with self._lock:
            self.epoch = epoch
            self.version = versions.pop()
            self.generation += 1
            self.stats["switches"] += 1
        for w in self._idle.drain():
            self._retire(w, replace=False)
        for w in fresh:
            self._idle.put(w)
        new_spare = self._spawn_spare(epoch) if self.spare else None
        with self._lock:
            old_spare, self._spare = self._spare, new_spare
        if old_spare is not None:
            old_spare.kill()
        if self.on_switch is not None:
            with contextlib.suppress(Exception):
                self.on_switch(self.version)
        return True

    def close(self) -> None:
        self._closed.set()
        with self._lock:
            workers = list(self._all) + ([self._spare] if self._spare is not None else [])
            self._all.clear()
            self._spare = None
        for w in workers:
            with contextlib.suppress(Exception):
                w.conn.send(None)
            w.kill()


# -- remote endpoint -------------------------------------------------------------------------------------------
_REMOTE_RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_REMOTE_GRAPHS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}


async def run_remote(endpoint: str, job: Job, is_graph: bool, timeout: float) -> Output:
    """Ask a remote SPARQL 1.1 endpoint (POST form), then cap and serialise the answer like a local one."""
    import httpx

    from ttdn_graph import __version__

    accept = ("application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5" if is_graph
              else "application/sparql-results+json, application/sparql-results+xml;q=0.9")
    # the remote endpoint would resolve relative IRIs against its own address: ours goes first, as a BASE (a BASE of
    # the query's own comes later and wins)
    sparql = f"BASE <{job.base_iri}>\n{job.sparql}" if job.base_iri else job.sparql
    form: list[tuple[str, str]] = [("query", sparql)]
    form += [("default-graph-uri", g) for g in job.default_graphs or ()]
    form += [("named-graph-uri", g) for g in job.named_graphs or ()]
    headers = {"Accept": accept, "User-Agent": f"ttdn-graph/{__version__}",
               "Content-Type": "application/x-www-form-urlencoded"}
    t0 = time.perf_counter()
    limit = REMOTE_BODY_LIMIT
    try:
        async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client, \
                client.stream("POST", endpoint, content=urlencode(form).encode(), headers=headers) as resp:
            chunks, size = [], 0
            if resp.status_code < 400:
                async for chunk in resp.aiter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise QueryFailed(502, f"the SPARQL endpoint's answer is larger than {limit} bytes")
                    chunks.append(chunk)
            content = b"".join(chunks)
    except httpx.TimeoutException:
        raise QueryFailed(504, f"the SPARQL endpoint did not answer within {timeout:g} s", time_limit=True) from None
    except httpx.HTTPError as e:
        raise QueryFailed(502, f"the SPARQL endpoint could not be reached: {e}") from None
    if resp.status_code >= 400:  # its body is never echoed: it is another server's text, not ours to pass on
        if resp.status_code == 400:
            raise QueryFailed(400, "the SPARQL endpoint refused the query as malformed (400)")
        raise QueryFailed(502, f"the SPARQL endpoint answered {resp.status_code}")
    ctype = (resp.headers.get("content-type") or "").split(";")[0].strip().lower()
    try:
        if ctype in _REMOTE_RESULTS:
            result: Any = ox.parse_query_results(content, _REMOTE_RESULTS[ctype])
        elif ctype in _REMOTE_GRAPHS:
            result = _triples(ox.parse(content, _REMOTE_GRAPHS[ctype]))
        else:
            raise QueryFailed(502, f"the SPARQL endpoint answered with an unexpected type {ctype!r}")
        out = serialize(result, job.media_type, job.cap, _prefixes(), job.byte_cap)
    except (SyntaxError, ValueError) as e:
        raise QueryFailed(502, f"cannot read the SPARQL endpoint's answer: {e}") from None
    return Output(out.body, out.media_type, out.count, out.truncated, time.perf_counter() - t0)


class LocalExecutor:
    """Embedded store: jobs go to the worker pool, awaited in a thread so the event loop stays free.

    With `cache_bytes` > 0 answers are kept per job (ttdn_graph/web/result_cache.py): the workers read a fixed snapshot.
    The threads that wait on the pool have a limiter of their own, so requests served in threads (pages, views:
    ttdn_graph/web/service.py) that wait for answers can never hold every thread their answers need.
    """

    def __init__(self, pool: WorkerPool, cache_bytes: int = 0):
        import weakref

        from ttdn_graph.web.result_cache import CachedRunner, ResultCache

        self.pool = pool
        self.cache = ResultCache(cache_bytes) if cache_bytes > 0 else None
        self._limiters: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # one per event loop
        self._runner = (CachedRunner(self.cache, pool.run, lambda: pool.generation, self._in_thread)
                        if self.cache is not None else None)

    @property
    def generation(self) -> int:
        return self.pool.generation

    async def _in_thread(self, fn: Callable[[], Output]) -> Output:
        import asyncio

        import anyio
        import anyio.to_thread

        loop = asyncio.get_running_loop()
        limiter = self._limiters.get(loop)
        if limiter is None:  # every waiting or running job of the pool fits, with room to spare
            limiter = self._limiters[loop] = anyio.CapacityLimiter(self.pool.total + self.pool.max_queue + 8)
        return await anyio.to_thread.run_sync(fn, limiter=limiter)

    async def run(self, job: Job, is_graph: bool, client: str | None = None, *, lane: str = QUERY_LANE,
                  timeout: float | None = None) -> Output:
        if self._runner is not None:
            return await self._runner.run(job, client, lane=lane, timeout=timeout)
        return await self._in_thread(lambda: self.pool.run(job, timeout, client, lane))

    def close(self) -> None:
        self.pool.close()


class RemoteExecutor:
    """Remote endpoint: jobs are forwarded over HTTP with the query time limit as timeout (no lanes here: the
    endpoint's server schedules its own work)."""

    generation = 0  # its data may change at any time: nothing is cached (ttdn_graph/web/app.py)

    def __init__(self, endpoint: str, timeout: float):
        self.endpoint = endpoint
        self.timeout = timeout

    async def run(self, job: Job, is_graph: bool, client: str | None = None, *, lane: str = QUERY_LANE,
                  timeout: float | None = None) -> Output:
        limit = self.timeout if timeout is None else min(self.timeout, timeout)
        return await run_remote(self.endpoint, job, is_graph, limit)

    def close(self) -> None:
        pass


def _triples(items: Iterable[Any]) -> list[ox.Triple]:
    return [ox.Triple(q.subject, q.predicate, q.object) if isinstance(q, ox.Quad) else q for q in items]


def main(argv: list[str] | None = None) -> None:
    """Entry point of a worker process: `python -m ttdn_graph.web.worker --fd N --store PATH`."""
    import argparse

    ap = argparse.ArgumentParser(description="ttdn-graph query worker (started by the API server)")
    ap.add_argument("--fd", type=int, required=True)
    ap.add_argument("--store", required=True)
    ap.add_argument("--memory-mb", type=int, default=DEFAULT_WORKER_MEMORY_MB)
    args = ap.parse_args(argv)
    _worker_main(Connection(args.fd), args.store, args.memory_mb)


if __name__ == "__main__":
    from ttdn_graph.web import worker as _worker  # the real module: pickled results name ttdn_graph.web.worker classes

    _worker.main()


__all__ = ["GRAPH_MEDIA", "LANES", "PAGE_LANE", "QUERY_LANE", "RESULT_MEDIA", "Job", "LocalExecutor", "Output",
           "QueryFailed", "RemoteExecutor", "WorkerPool", "execute", "run_remote", "serialize"]
