"""Query execution with a real time limit and a result cap.

pyoxigraph cannot interrupt a running query, so embedded queries run in a small pool of worker processes, each
holding its own read-only handle on the store. A query that overruns its time limit gets its worker killed and
replaced; the others keep serving. A remote endpoint is simply asked over HTTP with a timeout. Either way the
answer is cut at `cap` rows (or triples) and serialised here, so both backends speak the same formats.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox

from api.safety import Refused

RESULT_MEDIA = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_MEDIA = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


class QueryFailed(Exception):
    """The query could not run; `status` is the HTTP status to answer with (400 syntax, 503 timeout …)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Job:
    """One query to run. Graph lists None: the default graph is the union of all named graphs."""

    sparql: str
    media_type: str
    cap: int
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    deep_check: bool = False  # run api.safety.deep_check (rdflib's parse) first, inside the time limit


@dataclass(frozen=True)
class Output:
    body: bytes
    media_type: str
    count: int  # rows or triples in the body (1 for ASK)
    truncated: bool
    seconds: float = 0.0
    cached: bool = False  # handed out again from api.result_cache, not evaluated for this request


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


def serialize(result: Any, media_type: str, cap: int, prefixes: dict[str, str] | None = None) -> Output:
    """Serialise a pyoxigraph result (solutions, boolean, or triples) in `media_type`, cut at `cap` items."""
    if isinstance(result, ox.QueryBoolean):
        fmt = RESULT_MEDIA.get(media_type, ox.QueryResultsFormat.JSON)
        return Output(result.serialize(format=fmt), media_type, 1, False)
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows = list(islice(result, cap + 1))
        truncated = len(rows) > cap
        rows = rows[:cap]
        doc = {"head": {"vars": names},
               "results": {"bindings": [{n: _term_json(s[n]) for n in names if s[n] is not None} for s in rows]}}
        body = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
        fmt = RESULT_MEDIA.get(media_type, ox.QueryResultsFormat.JSON)
        if fmt != ox.QueryResultsFormat.JSON:
            body = ox.parse_query_results(body, ox.QueryResultsFormat.JSON).serialize(format=fmt)
        return Output(body, media_type, len(rows), truncated)
    triples = list(islice(iter(result), cap + 1))
    truncated = len(triples) > cap
    triples = triples[:cap]
    fmt = GRAPH_MEDIA.get(media_type, ox.RdfFormat.TURTLE)
    kw = {"prefixes": prefixes} if prefixes and fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else {}
    return Output(ox.serialize(triples, format=fmt, **kw), media_type, len(triples), truncated)


def _prefixes() -> dict[str, str]:
    from ttdn_graph.graph.namespaces import PREFIXES

    return dict(PREFIXES)


def execute(store: ox.Store, job: Job) -> Output:
    """Run one job on a pyoxigraph store (in a worker process, or inline in tests)."""
    t0 = time.perf_counter()
    if job.deep_check:
        from api.safety import deep_check

        deep_check(job.sparql, lambda: {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)})
    if job.default_graphs is None and job.named_graphs is None:
        result = store.query(job.sparql, use_default_graph_as_union=True)
    else:
        dg = [ox.NamedNode(g) for g in (job.default_graphs or ())] or [ox.DefaultGraph()]
        ng = [ox.NamedNode(g) for g in job.named_graphs] if job.named_graphs is not None else []
        result = store.query(job.sparql, default_graph=dg, named_graphs=ng)
    out = serialize(result, job.media_type, job.cap, _prefixes())
    return Output(out.body, out.media_type, out.count, out.truncated, time.perf_counter() - t0)


# -- the worker process ---------------------------------------------------------------------------------------
def _worker_main(conn: Any, store_path: str) -> None:
    """Child process: open the store read-only, then answer jobs until told to stop (None) or killed."""
    try:
        store = ox.Store.read_only(store_path)
    except Exception as e:  # noqa: BLE001 - reported to the parent
        conn.send(("fatal", f"cannot open store at {store_path}: {e}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            conn.send(("ok", execute(store, job)))
        except Refused as e:
            conn.send(("refused", (e.status, e.message)))
        except SyntaxError as e:
            conn.send(("syntax", str(e)))
        except OSError as e:  # the store could not be read
            conn.send(("store", f"{type(e).__name__}: {e}"))
        except Exception as e:  # noqa: BLE001 - one bad query must not end the worker
            conn.send(("error", f"{type(e).__name__}: {e}"))


class _Worker:
    """One child process (`python -m api.worker`), talking pickled messages over a socketpair.

    A plain subprocess rather than multiprocessing's spawn: spawn re-imports the parent's __main__, which breaks
    under scripts and some servers.
    """

    def __init__(self, store_path: str):
        parent, child = socket.socketpair()
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "api.worker", "--fd", str(child.fileno()), "--store", store_path],
            pass_fds=(child.fileno(),), stdin=subprocess.DEVNULL, env=env, close_fds=True,
        )
        child.close()
        self.conn = Connection(parent.detach())
        self.ready = False

    def wait_ready(self, timeout: float) -> None:
        if self.ready:
            return
        if not self.conn.poll(timeout):
            raise QueryFailed(503, "query worker did not start in time")
        status, payload = self.conn.recv()
        if status != "ready":
            raise QueryFailed(500, payload or "query worker failed to start")
        self.ready = True

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.kill()
            self.proc.wait(5)
        with contextlib.suppress(Exception):
            self.conn.close()


class WorkerPool:
    """`size` worker processes over one store; `run` blocks (call it from a thread) and is thread-safe."""

    def __init__(self, store_path: str, size: int = 3, timeout: float = 10.0, startup_timeout: float = 60.0):
        self.store_path = str(store_path)
        self.size = max(1, size)
        self.timeout = timeout
        self.startup_timeout = startup_timeout
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._started = False
        self._closed = False
        self.generation = 0  # bumped when a worker is replaced: the new one may read a newer snapshot

    def _spawn(self) -> _Worker:
        w = _Worker(self.store_path)
        with self._lock:
            self._all.add(w)
        return w

    def start(self) -> None:
        with self._lock:
            if self._started or self._closed:
                return
            self._started = True
        for _ in range(self.size):
            self._idle.put(self._spawn())

    def _retire(self, w: _Worker) -> None:
        w.kill()
        with self._lock:
            self._all.discard(w)
            self.generation += 1
            closed = self._closed
        if not closed:
            self._idle.put(self._spawn())

    def run(self, job: Job, timeout: float | None = None) -> Output:
        """Run `job`; QueryFailed(503) when it overruns `timeout` (its worker is killed) or no worker is free."""
        if self._closed:
            raise QueryFailed(503, "the query service is shutting down")
        self.start()
        limit = self.timeout if timeout is None else timeout
        try:
            w = self._idle.get(timeout=limit)
            while w.proc.poll() is not None:  # died while idle (killed from outside, out of memory): replace it
                self._retire(w)
                w = self._idle.get(timeout=limit)
        except queue.Empty:
            raise QueryFailed(503, f"all {self.size} query workers are busy; try again shortly") from None
        try:
            w.wait_ready(self.startup_timeout)
            w.conn.send(job)
            if not w.conn.poll(limit):
                self._retire(w)
                w = None
                raise QueryFailed(503, f"query stopped: it ran longer than the {limit:g} s time limit")
            status, payload = w.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            if w is not None:
                self._retire(w)
                w = None
            raise QueryFailed(500, "the query worker died (out of memory?)") from None
        except QueryFailed:
            if w is not None and not w.ready:
                self._retire(w)
                w = None
            raise
        finally:
            if w is not None:
                self._idle.put(w)
        if status == "ok":
            return payload
        if status == "refused":
            raise QueryFailed(*payload)
        if status == "syntax":
            raise QueryFailed(400, f"SPARQL syntax error: {payload}")
        if status == "error":  # the query was understood but cannot be evaluated
            raise QueryFailed(400, f"query failed: {payload}")
        raise QueryFailed(500, f"store error: {payload}")

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
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
    form: list[tuple[str, str]] = [("query", job.sparql)]
    form += [("default-graph-uri", g) for g in job.default_graphs or ()]
    form += [("named-graph-uri", g) for g in job.named_graphs or ()]
    headers = {"Accept": accept, "User-Agent": f"ttdn-graph/{__version__}",
               "Content-Type": "application/x-www-form-urlencoded"}
    t0 = time.perf_counter()
    try:
        async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client:
            resp = await client.post(endpoint, content=urlencode(form).encode(), headers=headers)
    except httpx.TimeoutException:
        raise QueryFailed(504, f"the SPARQL endpoint did not answer within {timeout:g} s") from None
    except httpx.HTTPError as e:
        raise QueryFailed(502, f"the SPARQL endpoint could not be reached: {e}") from None
    if resp.status_code >= 400:
        status = 400 if resp.status_code == 400 else 502
        raise QueryFailed(status, f"the SPARQL endpoint answered {resp.status_code}: {resp.text[:2000]}")
    ctype = (resp.headers.get("content-type") or "").split(";")[0].strip().lower()
    try:
        if ctype in _REMOTE_RESULTS:
            result: Any = ox.parse_query_results(resp.content, _REMOTE_RESULTS[ctype])
        elif ctype in _REMOTE_GRAPHS:
            result = _triples(ox.parse(resp.content, _REMOTE_GRAPHS[ctype]))
        else:
            raise QueryFailed(502, f"the SPARQL endpoint answered with an unexpected type {ctype!r}")
        out = serialize(result, job.media_type, job.cap, _prefixes())
    except (SyntaxError, ValueError) as e:
        raise QueryFailed(502, f"cannot read the SPARQL endpoint's answer: {e}") from None
    return Output(out.body, out.media_type, out.count, out.truncated, time.perf_counter() - t0)


class LocalExecutor:
    """Embedded store: jobs go to the worker pool, awaited in a thread so the event loop stays free.

    With `cache_bytes` > 0 answers are kept per job (api/result_cache.py): the workers read a fixed snapshot.
    """

    def __init__(self, pool: WorkerPool, cache_bytes: int = 0):
        import anyio.to_thread

        from api.result_cache import CachedRunner, ResultCache

        self.pool = pool
        self.cache = ResultCache(cache_bytes) if cache_bytes > 0 else None
        self._runner = (CachedRunner(self.cache, pool.run, lambda: pool.generation, anyio.to_thread.run_sync)
                        if self.cache is not None else None)

    async def run(self, job: Job, is_graph: bool) -> Output:
        import anyio.to_thread

        if self._runner is not None:
            return await self._runner.run(job)
        return await anyio.to_thread.run_sync(self.pool.run, job)

    def close(self) -> None:
        self.pool.close()


class RemoteExecutor:
    """Remote endpoint: jobs are forwarded over HTTP with the query time limit as timeout."""

    def __init__(self, endpoint: str, timeout: float):
        self.endpoint = endpoint
        self.timeout = timeout

    async def run(self, job: Job, is_graph: bool) -> Output:
        return await run_remote(self.endpoint, job, is_graph, self.timeout)

    def close(self) -> None:
        pass


def _triples(items: Iterable[Any]) -> list[ox.Triple]:
    return [ox.Triple(q.subject, q.predicate, q.object) if isinstance(q, ox.Quad) else q for q in items]


def main(argv: list[str] | None = None) -> None:
    """Entry point of a worker process: `python -m api.worker --fd N --store PATH`."""
    import argparse

    ap = argparse.ArgumentParser(description="ttdn-graph query worker (started by the API server)")
    ap.add_argument("--fd", type=int, required=True)
    ap.add_argument("--store", required=True)
    args = ap.parse_args(argv)
    _worker_main(Connection(args.fd), args.store)


if __name__ == "__main__":
    from api import worker as _worker  # the real module, so pickled results name api.worker classes

    _worker.main()


__all__ = ["GRAPH_MEDIA", "RESULT_MEDIA", "Job", "LocalExecutor", "Output", "QueryFailed", "RemoteExecutor",
           "WorkerPool", "execute", "run_remote", "serialize"]
