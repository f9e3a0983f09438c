"""One query service for every route (ttdn_graph/web/service.py): pages, search and views read the graph through the
killable query workers, with the time limit, the caps, the answer cache and a lane of their own.

Timing: the slow queries here are runaways stopped by a short configured time limit; assertions are about order
(what answered while the runaway was still running) and about the pool's counters, with wall-clock bounds only as
generous backstops. Loops that wait for a state are bounded.
"""

from __future__ import annotations

import ast
import re
import shutil
import threading
import time
from pathlib import Path

import pytest
from api_fixtures import in_thread, oxigraph_read_only
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from pages_fixtures import oracle

from ttdn_graph.web.pages import page_url
from ttdn_graph.web.worker import PAGE_LANE, QUERY_LANE, Job, QueryFailed, WorkerPool, _FairQueue

ROOT = Path(__file__).resolve().parent.parent
TTDN = "https://w3id.org/ttdn/ontology#"
JSON = "application/sparql-results+json"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # no memory, no end


def _until(cond, seconds: float = 20.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.02)
    return cond()


@pytest.fixture(scope="module")
def seeds(seed_store_path):  # seed_store_path: tests/api_fixtures.py
    st = oracle(seed_store_path)
    yield st
    st.close()


@pytest.fixture(scope="module")
def plan(seeds) -> str:
    return seeds.query_values(f"SELECT ?p WHERE {{ ?p a <{TTDN}Plan> ; <{TTDN}hasTask> ?t }} ORDER BY ?p LIMIT 1")[0]["p"]


def _page_paths(plan: str, base: str) -> list[str]:
    """Every kind of page, view and export the pages and views routers serve."""
    url = page_url(plan, base)
    return ["/", "/search?q=thông tin", "/search?q=kế hoạch&format=json", url, url + ".ttl", url + ".jsonld",
            f"/resource?iri={TTDN}Plan", "/ontology", "/ontology.ttl", "/vocab/theme/land-border", "/editor",
            "/.well-known/void",
            "/views", "/views/agencies", "/views/agencies?format=json", "/views/agencies?jurisdiction=Kon Tum",
            "/views/cascade", "/views/cascade?instrument=1486/QĐ-TTg", "/views/cascade?instrument=1486/QĐ-TTg&format=json",
            f"/views/cascade?plan={plan}&direction=up", f"/views/agencies?plan={plan}", "/id/nope"]


# -- the web process holds no store ------------------------------------------------------------------------------
def test_no_route_reads_the_store_in_the_web_process(seed_store_path, plan, monkeypatch):
    """Every store class of this process raises once the app is built: every page, view and export still answers,
    because their queries run in the query workers (other processes) — and the pool counted them, in the page lane."""
    from ttdn_graph.store.base import GraphStore
    from ttdn_graph.store.embedded import EmbeddedStore
    from ttdn_graph.store.remote import RemoteStore
    from ttdn_graph.web.app import create_app

    app = create_app(seed_store_path, workers=1, page_workers=1, result_cache_mb=0, watch_interval=0)
    touched: list[str] = []

    def forbidden(name):
        def fail(*args, **kw):
            touched.append(name)
            raise AssertionError(f"the web process used the store: {name}")
        return fail

    for cls in (EmbeddedStore, RemoteStore):
        monkeypatch.setattr(cls, "__init__", forbidden(f"{cls.__name__}()"))
        monkeypatch.setattr(cls, "_execute", forbidden(f"{cls.__name__}._execute"))
        monkeypatch.setattr(cls, "graphs", forbidden(f"{cls.__name__}.graphs"))
    for name in ("query", "query_values", "ask", "construct", "graphs", "count_triples", "quads"):
        monkeypatch.setattr(GraphStore, name, forbidden(f"GraphStore.{name}"))
    pool = app.state.executor.pool
    with TestClient(app) as client:
        before = pool.stats["jobs_page"]
        for path in _page_paths(plan, app.state.base):
            r = client.get(path)
            assert r.status_code == (404 if path == "/id/nope" else 200), (path, r.status_code, r.text[:300])
        # the graph names for a FROM check are read through the service too
        g = f"{app.state.base}ontology"
        r = client.get("/sparql", params={"query": f"SELECT * FROM <{g}> WHERE {{ ?s ?p ?o }} LIMIT 1"})
        assert r.status_code in (200, 403), r.text
        assert client.get("/queries/most-cited", params={"format": "csv"}).status_code == 200
    assert touched == []
    assert pool.stats["jobs_page"] - before >= len(_page_paths(plan, app.state.base))
    assert pool.stats["jobs_query"] >= 1


def test_web_modules_hold_no_store_handle():
    """Read off the source: no route module opens a store or reaches for one on the app; only app.py opens (and at
    once closes) one, to fail at start-up when nothing is loaded."""
    allowed = {"StoreError", "Row", "rows_from", "default_path", "snapshot_signature"}
    for path in sorted((ROOT / "ttdn_graph" / "web").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ttdn_graph.store"):
                names = {a.name for a in node.names}
                extra = names - allowed - ({"EmbeddedStore"} if path.name == "app.py" else set())
                assert not extra, f"{path.name} imports {sorted(extra)} from {node.module}"
            if isinstance(node, ast.Attribute) and node.attr == "store":
                assert not (isinstance(node.value, ast.Attribute) and node.value.attr == "state"), \
                    f"{path.name}:{node.lineno} reaches for app.state.store"
            if isinstance(node, ast.Name) and node.id in ("open_store", "Store"):
                raise AssertionError(f"{path.name}:{node.lineno} names {node.id}")
    app_src = (ROOT / "ttdn_graph" / "web" / "app.py").read_text(encoding="utf-8")
    assert re.findall(r"EmbeddedStore\(([^)]*)\)", app_src) == ["path, read_only=True"]
    assert "EmbeddedStore(path, read_only=True).close()" in app_src


# -- time limit: a view that overruns it is a 503 page, its worker killed ----------------------------------------
def test_a_view_over_the_time_limit_is_a_503_page_and_its_worker_is_killed(seed_store_path, monkeypatch):
    from ttdn_graph.web import views
    from ttdn_graph.web.app import create_app

    app = create_app(seed_store_path, workers=1, page_workers=1, query_timeout=1.5, result_cache_mb=0,
                     watch_interval=0)
    asked: list[str] = []

    def runaway_view(store, sel, link):  # the agency view, with a question the limit must stop
        asked.append(type(store).__name__)
        store.query(RUNAWAY)
        raise AssertionError("the runaway query came back")

    monkeypatch.setattr(views, "agency_task_graph", runaway_view)
    pool = app.state.executor.pool
    with TestClient(app) as client:
        procs = {w.proc for w in pool._all}
        started = time.monotonic()
        r = client.get("/views/agencies")
        took = time.monotonic() - started
        assert r.status_code == 503 and r.headers["content-type"].startswith("text/html")
        assert int(r.headers["Retry-After"]) > 0 and took < 30  # stopped, not hung (the limit is 1.5 s)
        reason = BeautifulSoup(r.text, "html.parser").select_one("#reason").get_text()
        assert "1.5 s time limit" in reason, reason
        assert pool.stats["killed_time_limit"] == 1 and sum(p.poll() is not None for p in procs) == 1
        j = client.get("/views/agencies", params={"format": "json"})
        assert j.status_code == 503 and "time limit" in j.json()["detail"]
        assert asked == ["StoreReader", "StoreReader"]  # the view got the service's reader, never a store
        assert pool.stats["killed_time_limit"] == 2
        monkeypatch.undo()
        assert client.get("/views/agencies", params={"format": "json"}).status_code == 200  # replaced, serving


def test_a_page_has_one_time_budget_for_all_its_queries(seed_store_path):
    """The budget is spent across the page's queries: once it is gone the next query is not even sent."""
    from ttdn_graph.web.app import create_app

    app = create_app(seed_store_path, workers=1, page_workers=1, watch_interval=0)
    reader = app.state.service.reader(budget=0.0)
    with pytest.raises(QueryFailed) as e:
        reader.query("ASK {}")
    assert e.value.status == 503 and "time limit" in e.value.message and reader.queries == 0
    app.state.executor.close()


# -- the answer cache follows the store's version -----------------------------------------------------------------
def _index_counts(client) -> dict[str, int]:
    r = client.get("/")
    assert r.status_code == 200, r.text[:300]
    s = BeautifulSoup(r.text, "html.parser")
    return {tr["data-class"]: int(tr.find("td").get_text()) for tr in s.select("tr[data-class]")}


def test_pages_are_answered_from_the_cache_until_a_reload(seed_store_path, tmp_path):
    from ttdn_graph.store import open_store
    from ttdn_graph.web.app import create_app

    path = str(tmp_path / "store")
    shutil.copytree(seed_store_path, path)
    app = create_app(path, workers=1, page_workers=1, result_cache_mb=8, watch_interval=0.2)
    pool, service = app.state.executor.pool, app.state.service
    with TestClient(app) as client:
        first = _index_counts(client)
        jobs = pool.stats["jobs_page"]
        assert jobs > 0
        assert _index_counts(client) == first
        assert pool.stats["jobs_page"] == jobs, "the same page on the same snapshot: every answer from the cache"
        generation = service.generation
        with open_store(path) as st:  # a load while serving: one more plan
            st.update(f"INSERT DATA {{ GRAPH <https://w3id.org/ttdn/id/source/extra> {{ <urn:x:plan> a <{TTDN}Plan> }} }}")
        assert _until(lambda: service.generation > generation), "the reload was not noticed"
        after = _index_counts(client)
        assert pool.stats["jobs_page"] > jobs, "a reload must drop the kept answers"
        assert after[f"{TTDN}Plan"] == first[f"{TTDN}Plan"] + 1
        rows = client.portal.call(service.select, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?p a <{TTDN}Plan> }}")
        again = client.portal.call(service.select, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?p a <{TTDN}Plan> }}")
        assert not rows.cached and again.cached and rows.version == again.version == pool.version


# -- lanes: a page is not queued behind slow queries --------------------------------------------------------------
def test_the_query_lane_cannot_take_the_page_workers_and_pages_go_first():
    q = _FairQueue({QUERY_LANE: 1})
    q.put("w1")
    assert q.get(0.0, 1, 10, QUERY_LANE) == "w1"  # the query lane is full now
    got: list[str] = []
    tq = threading.Thread(target=lambda: got.append(("query", q.get(0.0, 5, 10, QUERY_LANE))[0]))
    tq.start()
    assert _until(lambda: len(q) == 1, 5)
    tp = threading.Thread(target=lambda: got.append(("page", q.get(9.0, 5, 10, PAGE_LANE))[0]))
    tp.start()  # came later, with a worse priority figure: still served, the query's lane has no room
    assert _until(lambda: len(q) == 2, 5)
    q.put("w2")
    tp.join(5)
    assert got == ["page"] and tq.is_alive() and q.busy(QUERY_LANE) == 1 and q.busy(PAGE_LANE) == 1
    q.release(QUERY_LANE)
    q.put("w3")
    tq.join(5)
    assert got == ["page", "query"]


def test_pages_answer_while_slow_queries_hold_the_query_lane(seed_store_path):
    pool = WorkerPool(seed_store_path, size=1, page_workers=1, timeout=5.0, max_wait=1.0, fast_after=0.3,
                      watch_interval=0)
    try:
        pool.start()
        t1, box1 = in_thread(lambda: pool.run(Job(RUNAWAY, JSON, 10), client="researcher"))
        assert _until(lambda: pool._idle.busy(QUERY_LANE) == 1 and pool._long_free() == 0, 10)
        pool.costs.add("researcher", 30.0)  # known to run long now
        page = pool.run(Job("ASK { ?s ?p ?o }", JSON, 10), client="researcher", lane=PAGE_LANE)
        assert page.body and t1.is_alive(), "the page must answer while the slow query still runs"
        with pytest.raises(QueryFailed) as e:  # the same client's next query: turned away at once
            pool.run(Job("ASK { ?a ?b ?c }", JSON, 10), client="researcher")
        assert "ran long" in e.value.message
        with pytest.raises(QueryFailed) as e:  # anyone's query: the lane is full, it waits max_wait, then 503
            pool.run(Job("ASK { ?x ?y ?z }", JSON, 10), client="other")
        assert "busy" in e.value.message and t1.is_alive()
        assert pool.stats["jobs_page"] == 1
        t1.join(15)
        assert isinstance(box1.get("error"), QueryFailed) and "time limit" in box1["error"].message
    finally:
        pool.close()


def test_a_slow_named_query_does_not_hold_up_a_page(seed_store_path, plan, tmp_path):
    from ttdn_graph.web.app import create_app

    qdir = tmp_path / "queries"
    shutil.copytree(ROOT / "queries", qdir)
    (qdir / "everything-thrice.rq").write_text(
        "# title: Every triple three times over\n# description: Deliberately slow, for this test.\n" + RUNAWAY + "\n",
        encoding="utf-8")
    app = create_app(seed_store_path, workers=1, page_workers=1, query_timeout=10.0, result_cache_mb=0,
                     per_client=0, max_wait=1.0, watch_interval=0, queries_dir=str(qdir))
    pool = app.state.executor.pool
    with TestClient(app) as client:
        slow, box = in_thread(lambda: client.get("/queries/everything-thrice", params={"format": "json"}))
        assert _until(lambda: pool._idle.busy(QUERY_LANE) == 1, 10), "the slow named query did not start"
        started = time.monotonic()
        for path in ("/", page_url(plan, app.state.base), "/search?q=thông tin", "/views/agencies?format=json"):
            r = client.get(path)
            assert r.status_code == 200, (path, r.status_code, r.text[:200])
        took = time.monotonic() - started
        assert slow.is_alive(), "the pages must have answered while the slow named query still ran"
        assert took < 9.0  # backstop only: the order above is the claim
        busy = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})  # the query lane itself is full
        assert busy.status_code == 503 and slow.is_alive()
        slow.join(20)
        assert box["value"].status_code == 503 and "time limit" in box["value"].text


# -- a remote endpoint: the same routes, over HTTP with the time limit as timeout ---------------------------------
def test_pages_and_views_over_a_remote_endpoint(seed_store_path, plan, seeds):
    from ttdn_graph.web.app import create_app

    with oxigraph_read_only(seed_store_path) as endpoint:
        app = create_app(endpoint=endpoint, query_timeout=10)
        with TestClient(app) as client:
            for path in _page_paths(plan, app.state.base):
                r = client.get(path)
                assert r.status_code == (404 if path == "/id/nope" else 200), (path, r.status_code, r.text[:300])
            n = int(seeds.query_values(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{TTDN}Task> }}")[0]["n"])
            assert _index_counts(client)[f"{TTDN}Task"] == n
