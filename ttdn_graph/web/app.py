"""The FastAPI app: SPARQL endpoint, named queries, and (when installed) the linked-data pages and views.

    uvicorn --factory ttdn_graph.web.app:create_app        # embedded store at $TTDN_STORE or ./var/store
    ttdn serve --store var/store --port 8000     # the same, from the CLI

The embedded store is opened read-only in each query worker process, and only there: every route — the endpoint,
named queries, pages, search, views — reads the graph through one query service (ttdn_graph/web/service.py), so the
time limit, the caps, the answer cache and the lanes hold for all of them, and this process holds no store handle.
The query workers cannot reach the network (ttdn_graph/web/netguard.py; the app does not start when that cannot be
guaranteed) and have a memory ceiling; a finished load is noticed and every worker moves to the new snapshot
together, answers naming their snapshot in X-TTDN-Store-Version. With `endpoint=` the app serves a remote SPARQL
endpoint (e.g. `oxigraph serve --union-default-graph`) and loading can go on while it runs.

Limits of the public endpoint, all in Settings: time per query, rows and bytes per answer, memory per worker,
queries in flight per client address, how long and how many requests may wait for a worker; and the workers kept
for pages (`page_workers`).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from ttdn_graph.graph.namespaces import data_base
from ttdn_graph.queries import NamedQuery, load_queries
from ttdn_graph.store.embedded import EmbeddedStore, default_path
from ttdn_graph.web import queries_route, sparql
from ttdn_graph.web.admission import ClientSlots
from ttdn_graph.web.safety import MAX_QUERY_LENGTH, Refused, check_query
from ttdn_graph.web.service import QueryService
from ttdn_graph.web.worker import DEFAULT_BYTE_CAP, DEFAULT_WORKER_MEMORY_MB, LocalExecutor, RemoteExecutor, WorkerPool


@dataclass(frozen=True)
class Settings:
    store_path: str | None
    endpoint: str | None
    query_timeout: float = 10.0
    result_cap: int = 10_000
    workers: int = 3
    max_query_length: int = MAX_QUERY_LENGTH
    result_cache_mb: float = 0.0
    byte_cap: int = DEFAULT_BYTE_CAP
    worker_memory_mb: int = DEFAULT_WORKER_MEMORY_MB
    per_client: int = 2
    page_workers: int = 1
    dumps_dir: str | None = None  # the dumps offered at /dumps/ and named in /.well-known/void (web/dataset.py)


def default_dumps_dir(store_path: str | None) -> str | None:
    """$TTDN_DUMPS, else `dumps/` beside the embedded store's folder (var/store → var/dumps); None for a remote
    endpoint without $TTDN_DUMPS."""
    if os.environ.get("TTDN_DUMPS"):
        return os.environ["TTDN_DUMPS"]
    return os.path.join(os.path.dirname(os.path.abspath(store_path)), "dumps") if store_path else None


def _check_store(path: str) -> None:
    """StoreError now, at start-up, when no store can be opened at `path` (nothing loaded yet, say). The handle is
    closed at once: only the query workers read the store."""
    EmbeddedStore(path, read_only=True).close()


def vetted(queries: dict[str, NamedQuery]) -> set[str]:
    """Named queries whose text passes every check (their bound values are typed terms, so they stay safe)."""
    ok = set()
    for name, q in queries.items():
        try:
            check_query(q.sparql, (), deep=True)
        except Refused:
            continue  # still served, but checked in full on every run (and refused there)
        ok.add(name)
    return ok


def create_app(store_path: str | None = None, endpoint: str | None = None, *, query_timeout: float = 10.0,
               result_cap: int = 10_000, workers: int = 3, max_query_length: int = MAX_QUERY_LENGTH,
               queries_dir: str | None = None, result_cache_mb: float | None = None,
               answer_cap_mb: float = DEFAULT_BYTE_CAP / 1024 / 1024,
               worker_memory_mb: int = DEFAULT_WORKER_MEMORY_MB, per_client: int | None = None,
               max_wait: float = 2.0, watch_interval: float = 1.0, page_workers: int = 1,
               dumps_dir: str | None = None) -> FastAPI:
    """The app over an embedded store (`store_path`, default $TTDN_STORE or ./var/store) or a remote endpoint.

    `result_cache_mb` (default $TTDN_RESULT_CACHE_MB or 64; 0 turns it off) bounds the answers kept per query for the
    embedded store (ttdn_graph/web/result_cache.py); a remote endpoint's answers are never kept, its data may change any time.
    `answer_cap_mb` cuts answers (whole rows) before that many bytes; `worker_memory_mb` is each query worker's
    memory ceiling; `per_client` (default workers - 1) bounds one address's queries in flight; `max_wait` is how
    long a query may wait for a free worker before 503; `page_workers` more workers are kept for the pages, search
    and views (ttdn_graph/web/service.py), which the endpoint and named queries cannot take; `dumps_dir` holds the
    dumps offered for download (default: default_dumps_dir). Raises
    ttdn_graph.store.StoreError when the embedded store cannot be opened (e.g. nothing loaded yet).
    """
    if per_client is None:
        per_client = max(1, workers - 1)
    if result_cache_mb is None:
        result_cache_mb = float(os.environ.get("TTDN_RESULT_CACHE_MB", "64"))
    page_workers = max(0, page_workers)
    if endpoint:
        executor: LocalExecutor | RemoteExecutor = RemoteExecutor(endpoint, query_timeout)
        path = None
    else:
        path = str(store_path or default_path())
        _check_store(path)
        pool = WorkerPool(path, size=workers, timeout=query_timeout, memory_mb=worker_memory_mb, max_wait=max_wait,
                          watch_interval=watch_interval, page_workers=page_workers)
        executor = LocalExecutor(pool, cache_bytes=int(max(0.0, result_cache_mb) * 1024 * 1024))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if isinstance(executor, LocalExecutor):
            executor.pool.start()  # now, not on the first query: fails closed when a worker cannot be sandboxed
        try:
            yield
        finally:
            executor.close()

    # /docs and /redoc would load their scripts from a CDN; the machine-readable /openapi.json stays
    app = FastAPI(title="ttdn-graph", description="Knowledge graph of Vietnam's TTĐN plans: SPARQL endpoint, "
                  "named research queries, linked-data pages.", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.store_path = path
    app.state.endpoint = endpoint
    app.state.base = data_base()  # the data IRI base ($TTDN_BASE or the w3id default), as the loader wrote it
    app.state.settings = Settings(path, endpoint, query_timeout, result_cap, max(1, workers), max_query_length,
                                  0.0 if endpoint else max(0.0, result_cache_mb), int(answer_cap_mb * 1024 * 1024),
                                  worker_memory_mb, per_client, 0 if endpoint else page_workers,
                                  dumps_dir or default_dumps_dir(path))
    app.state.dumps_dir = app.state.settings.dumps_dir
    app.state.executor = executor
    app.state.service = QueryService(executor, base=app.state.base, result_cap=result_cap,
                                     byte_cap=app.state.settings.byte_cap, timeout=query_timeout)
    app.state.local_graphs = app.state.service.known_graphs  # read by the checks; refreshed by run_query
    app.state.client_slots = ClientSlots(per_client)
    app.state.named_queries = load_queries(queries_dir)
    app.state.vetted_queries = vetted(app.state.named_queries)
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"], allow_headers=["*"],
                       expose_headers=["X-TTDN-Result-Cap", "X-TTDN-Truncated", "X-TTDN-Count",
                                       "X-TTDN-Query-Seconds", "X-TTDN-Cache"])
    app.include_router(sparql.router)
    app.include_router(queries_route.router)
    try:
        from ttdn_graph.web import dataset, pages, resultviews, tables, views
    except ImportError:
        pass
    else:
        from ttdn_graph.web import reader, search_route

        app.include_router(pages.router)
        app.include_router(search_route.router)
        app.include_router(reader.router)
        app.include_router(views.router)
        app.include_router(tables.router)
        app.include_router(resultviews.router)
        app.include_router(dataset.router)
    return app


__all__ = ["Settings", "create_app", "vetted"]
