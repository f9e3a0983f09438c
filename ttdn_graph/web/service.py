"""One query service for every route of the web app.

Every read of the graph the web process makes goes through `QueryService`: the public endpoint and the named
queries (their CSV/JSON exports too) through `answer`; the linked-data pages, search, the index and the views
through `select` / `ask` / `construct`, or — for the builders of ttdn_graph/views, plain functions over a store —
through a `StoreReader`, which looks like a store to them. So every query, whatever its route:
- runs in a killable query worker (ttdn_graph/web/worker.py: no network, a memory ceiling) with the time limit and
  the row and byte caps of the public endpoint; on a remote endpoint, over HTTP with the time limit as timeout;
- is answered from the answer cache (ttdn_graph/web/result_cache.py) when the same query was answered on the same
  store snapshot; a reload moves every worker to the new snapshot and the cache starts empty;
- runs in a lane: QUERY_LANE for /sparql and /queries, PAGE_LANE for pages, search and views. The page lane has
  workers the query lane cannot take (`page_workers`) and goes first for the others, so a page is never queued
  behind slow queries.
A page or view is one request with one time budget — the query time limit — for all of its queries together:
once it is spent the request stops with 503, as a query that runs past the limit does. The web process itself
holds no handle on the store (tests/test_query_service.py replaces the store classes with ones that raise and
visits every page).
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

import pyoxigraph as ox

from ttdn_graph.store.base import Row, StoreError, rows_from
from ttdn_graph.web.worker import PAGE_LANE, QUERY_LANE, Job, Output, QueryFailed, RemoteExecutor

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
GRAPH_NAMES_TTL = 30.0  # s: how long the list of graph names (FROM / default-graph-uri checks) is trusted
_MAX_GRAPH_PAGES = 1000
_MAY_NAME_GRAPHS = re.compile(r"(?i)from")  # a superset of FROM / FROM NAMED however glued (the scan decides)


class Rows(list):
    """SELECT rows as {variable: pyoxigraph term} (unbound variables absent), and how the answer came."""

    truncated: bool = False  # cut at the result cap (rows) or the byte cap
    cached: bool = False  # handed out again from the answer cache
    version: str = ""  # the store snapshot that answered


def may_name_graphs(sparql: str, default_graphs: Iterable[str] | None = None,
                    named_graphs: Iterable[str] | None = None) -> bool:
    """Whether a request may name graphs (and its check needs this store's graph names)."""
    return bool(default_graphs) or bool(named_graphs) or bool(_MAY_NAME_GRAPHS.search(sparql))


class QueryService:
    """The app's one way to the graph: the executor (worker pool or remote endpoint) with the answer cache, the
    time limit, the caps and the lanes. Async; `reader()` gives the blocking form for request threads."""

    def __init__(self, executor: Any, *, base: str, result_cap: int, byte_cap: int, timeout: float,
                 graph_ttl: float = GRAPH_NAMES_TTL):
        self.executor = executor
        self.base = base
        self.result_cap = result_cap
        self.byte_cap = byte_cap
        self.timeout = timeout
        self.graph_ttl = graph_ttl
        self._graphs: set[str] = set()
        self._graphs_at = float("-inf")
        self._graphs_generation = -1

    @property
    def remote(self) -> bool:
        return isinstance(self.executor, RemoteExecutor)

    @property
    def generation(self) -> int:
        """Moves whenever the snapshot served changes (a reload): cached answers and graph names follow it."""
        return getattr(self.executor, "generation", 0)

    def job(self, sparql: str, media_type: str, *, default_graphs: tuple[str, ...] | None = None,
            named_graphs: tuple[str, ...] | None = None, deep_check: bool = False,
            base_iri: str | None = None) -> Job:
        """A job with this service's row and byte caps; `base_iri` resolves the query's relative IRIs (the public
        endpoint gives its own URL, as the SPARQL 1.1 Protocol suggests)."""
        return Job(sparql, media_type, self.result_cap, default_graphs, named_graphs, deep_check=deep_check,
                   byte_cap=self.byte_cap, base_iri=base_iri)

    async def answer(self, job: Job, *, is_graph: bool = False, lane: str = QUERY_LANE, client: str | None = None,
                     timeout: float | None = None) -> Output:
        """The serialised answer to `job` (cached, or run in a worker of `lane`); QueryFailed when it cannot be."""
        return await self.executor.run(job, is_graph, client, lane=lane, timeout=timeout)

    async def _results(self, sparql: str, kind: type, form: str, *, lane: str, client: str | None,
                       timeout: float | None) -> tuple[Any, Output]:
        """A SELECT or ASK answer parsed back from its JSON results, with the output it came in."""
        out = await self.answer(self.job(sparql, RESULTS_JSON), lane=lane, client=client, timeout=timeout)
        parsed = ox.parse_query_results(out.body, ox.QueryResultsFormat.JSON)
        if not isinstance(parsed, kind):
            raise StoreError(f"not {form} query")
        return parsed, out

    async def select(self, sparql: str, *, lane: str = PAGE_LANE, client: str | None = None,
                     timeout: float | None = None) -> Rows:
        parsed, out = await self._results(sparql, ox.QuerySolutions, "a SELECT", lane=lane, client=client,
                                          timeout=timeout)
        return _mark(Rows(rows_from(parsed)), out)

    async def ask(self, sparql: str, *, lane: str = PAGE_LANE, client: str | None = None,
                  timeout: float | None = None) -> bool:
        parsed, _ = await self._results(sparql, ox.QueryBoolean, "an ASK", lane=lane, client=client, timeout=timeout)
        return bool(parsed)

    async def construct(self, sparql: str, *, lane: str = PAGE_LANE, client: str | None = None,
                        timeout: float | None = None) -> list[ox.Triple]:
        out = await self.answer(self.job(sparql, N_TRIPLES), is_graph=True, lane=lane, client=client,
                                timeout=timeout)
        return [ox.Triple(q.subject, q.predicate, q.object) if isinstance(q, ox.Quad) else q
                for q in ox.parse(out.body, ox.RdfFormat.N_TRIPLES)]

    # -- graph names, for the checks of FROM / FROM NAMED / default-graph-uri / named-graph-uri ------------------
    async def graph_names(self) -> set[str]:
        """This store's graph names (a remote endpoint's: those under the data base), asked again after a reload
        or `graph_ttl` s; read page by page, each page within the result cap."""
        generation = self.generation
        if generation == self._graphs_generation and time.monotonic() - self._graphs_at < self.graph_ttl:
            return self._graphs
        where = "GRAPH ?g { }" if not self.remote else \
            f"GRAPH ?g {{ }} FILTER(STRSTARTS(STR(?g), {ox.Literal(self.base)}))"
        names: set[str] = set()
        offset = 0
        for _ in range(_MAX_GRAPH_PAGES):
            rows = await self.select(f"SELECT ?g WHERE {{ {where} }} ORDER BY ?g LIMIT {self.result_cap} "
                                     f"OFFSET {offset}", lane=PAGE_LANE)
            names.update(r["g"].value for r in rows if isinstance(r.get("g"), ox.NamedNode))
            offset += len(rows)
            if not rows or (len(rows) < self.result_cap and not rows.truncated):
                break
        self._graphs, self._graphs_at, self._graphs_generation = names, time.monotonic(), generation
        return names

    def known_graphs(self) -> set[str]:
        """The graph names last read (graph_names), for the synchronous checks."""
        return self._graphs

    def reader(self, *, lane: str = PAGE_LANE, client: str | None = None, budget: float | None = None) -> StoreReader:
        """A blocking, store-like reader for one request, with one time budget (default: the time limit)."""
        return StoreReader(self, lane=lane, client=client, budget=self.timeout if budget is None else budget)


def _mark(rows: Rows, out: Output) -> Rows:
    rows.truncated, rows.cached, rows.version = out.truncated, out.cached, out.version
    return rows


class StoreReader:
    """What the view builders (ttdn_graph/views) use of a store — `base`, `query`, `query_values`, `ask`,
    `construct` — with every query sent through the QueryService from the thread serving the request (FastAPI runs
    synchronous routes in worker threads; anyio.from_thread hands each query to the event loop). All the queries
    of one request share one time budget: the query limit of each is what is left of it."""

    def __init__(self, service: QueryService, *, lane: str, client: str | None, budget: float):
        self.service = service
        self.base = service.base
        self.lane = lane
        self.client = client
        self.budget = budget
        self.deadline = time.monotonic() + budget
        self.queries = 0
        self.truncated = False  # some answer was cut at the row or byte cap
        self.versions: set[str] = set()  # the snapshots that answered

    def _over(self, status: int = 503) -> QueryFailed:
        return QueryFailed(status, f"query stopped: this page's queries ran longer than the {self.budget:g} s time "
                                   "limit", time_limit=True)

    def _call(self, fn: Callable[..., Any], sparql: str) -> Any:
        import anyio.from_thread

        left = self.deadline - time.monotonic()
        if left <= 0:
            raise self._over()
        self.queries += 1
        try:
            return anyio.from_thread.run(functools.partial(fn, sparql, lane=self.lane, client=self.client,
                                                           timeout=left))
        except QueryFailed as e:
            if e.time_limit:  # stopped at what was left of the page's budget: say which limit that is
                raise self._over(e.status) from e
            raise

    def query(self, sparql: str) -> Rows:
        rows = self._call(self.service.select, sparql)
        self.truncated |= rows.truncated
        if rows.version:
            self.versions.add(rows.version)
        return rows

    def query_values(self, sparql: str) -> list[dict[str, str]]:
        return [{k: v.value for k, v in r.items()} for r in self.query(sparql)]

    def ask(self, sparql: str) -> bool:
        return self._call(self.service.ask, sparql)

    def construct(self, sparql: str) -> list[ox.Triple]:
        return self._call(self.service.construct, sparql)


__all__ = ["PAGE_LANE", "QUERY_LANE", "QueryService", "Row", "Rows", "StoreReader", "may_name_graphs"]
