"""The API's per-query answer cache (ttdn_graph/web/result_cache.py): bounded, single-flight, dropped with a worker."""

from __future__ import annotations

import asyncio
import threading
import time

import anyio.to_thread
import pytest
from api_fixtures import PREFIXES

from ttdn_graph.web.result_cache import CachedRunner, ResultCache
from ttdn_graph.web.worker import Job, Output, QueryFailed


def _job(q: str, mt: str = "application/sparql-results+json") -> Job:
    return Job(q, mt, 100)


def _out(size: int, tag: str = "x") -> Output:
    return Output((tag * size).encode(), "application/sparql-results+json", 1, False, 0.5)


def test_lru_keeps_within_its_byte_budget_and_drops_the_least_recently_used() -> None:
    c = ResultCache(max_bytes=1000)
    a, b, d = _job("a"), _job("b"), _job("d")
    assert c.put(a, _out(240, "a"), 0) and c.put(b, _out(240, "b"), 0)
    assert c.get(a, 0) is not None  # a is now the most recently used
    for i in range(3):
        c.put(_job(f"f{i}"), _out(200), 0)
    assert c.size_bytes <= 1000
    assert c.get(b, 0) is None and c.get(a, 0) is not None
    assert not c.put(d, _out(251), 0), "an answer over a quarter of the budget is not kept"
    assert c.get(d, 0) is None


def test_a_new_worker_generation_drops_everything_and_stale_answers_are_refused() -> None:
    c = ResultCache(max_bytes=10_000)
    j = _job("q")
    c.put(j, _out(10), 0)
    assert c.get(j, 0) is not None
    assert c.get(j, 1) is None and len(c) == 0 and c.size_bytes == 0
    assert not c.put(j, _out(10), 0), "an answer computed before the replacement must not be kept"
    assert c.get(j, 1) is None


def test_media_type_and_cap_are_part_of_the_key() -> None:
    c = ResultCache(max_bytes=10_000)
    c.put(_job("q"), _out(10), 0)
    assert c.get(_job("q", "text/csv"), 0) is None
    assert c.get(Job("q", "application/sparql-results+json", 5), 0) is None


def _runner(cache: ResultCache, fn, generation=lambda: 0) -> CachedRunner:
    return CachedRunner(cache, fn, generation, anyio.to_thread.run_sync)


def test_concurrent_identical_requests_run_the_query_once() -> None:
    calls: list[str] = []
    gate = threading.Event()

    def slow(job: Job) -> Output:
        calls.append(job.sparql)
        gate.wait(5)
        return _out(20)

    async def main() -> list[Output]:
        r = _runner(ResultCache(10_000), slow)
        tasks = [asyncio.ensure_future(r.run(_job("same"))) for _ in range(6)]
        await asyncio.sleep(0.2)
        gate.set()
        outs = await asyncio.gather(*tasks)
        again = await r.run(_job("same"))
        return [*outs, again]

    outs = asyncio.run(main())
    assert calls == ["same"]
    assert {o.body for o in outs} == {_out(20).body}
    assert outs[-1].cached and not outs[0].cached


def test_failures_are_not_kept() -> None:
    calls = []

    def flaky(job: Job) -> Output:
        calls.append(1)
        if len(calls) == 1:
            raise QueryFailed(503, "query stopped: it ran longer than the time limit")
        return _out(5)

    async def main() -> Output:
        r = _runner(ResultCache(10_000), flaky)
        with pytest.raises(QueryFailed):
            await r.run(_job("q"))
        return await r.run(_job("q"))

    out = asyncio.run(main())
    assert len(calls) == 2 and not out.cached


def test_an_answer_finishing_after_a_worker_was_replaced_is_not_kept() -> None:
    gen = [0]

    def run(job: Job) -> Output:
        gen[0] += 1  # another request replaced a worker while this one ran
        return _out(5)

    async def main() -> tuple[Output, Output]:
        r = _runner(ResultCache(10_000), run, lambda: gen[0])
        return await r.run(_job("q")), await r.run(_job("q"))

    first, second = asyncio.run(main())
    assert not first.cached and not second.cached


def test_the_api_hands_out_a_kept_answer_identical_to_the_first(live_server) -> None:
    q = PREFIXES + (f"SELECT ?p ?t WHERE {{ ?p a ttdn:Plan ; ttdn:title ?t ; "  # the five loaded plans
                    f"<http://www.w3.org/ns/prov#wasDerivedFrom>/a ttdn:SourceDocument }} ORDER BY ?p # {time.time_ns()}")
    r1 = live_server.get("/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"})
    r2 = live_server.get("/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"})
    r3 = live_server.get("/sparql", params={"query": q}, headers={"Accept": "text/csv"})
    assert r1.status_code == r2.status_code == r3.status_code == 200
    assert r1.headers["X-TTDN-Cache"] == "miss" and r2.headers["X-TTDN-Cache"] == "hit"
    assert r2.content == r1.content and len(r1.json()["results"]["bindings"]) == 5
    assert r2.headers["X-TTDN-Count"] == r1.headers["X-TTDN-Count"]
    assert r3.headers["X-TTDN-Cache"] == "miss" and r3.headers["content-type"].startswith("text/csv")


def test_named_queries_are_kept_per_parameter_values(live_server) -> None:
    path = "/queries/ancestry-up"
    a1 = live_server.get(path, params={"format": "json", "centralOnly": "true"})
    a2 = live_server.get(path, params={"format": "json", "centralOnly": "true"})
    b = live_server.get(path, params={"format": "json", "centralOnly": "false"})
    assert a1.status_code == a2.status_code == b.status_code == 200
    assert a2.headers["X-TTDN-Cache"] == "hit" and a2.content == a1.content
    assert b.content != a1.content, "other parameter values must not be answered from the kept answer"


def test_cache_off_evaluates_every_request(seed_store_path) -> None:
    from fastapi.testclient import TestClient

    from ttdn_graph.web.app import create_app

    app = create_app(seed_store_path, workers=1, result_cache_mb=0)
    assert app.state.executor.cache is None
    with TestClient(app) as client:
        q = PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?p a ttdn:Plan }"
        heads = [client.get("/sparql", params={"query": q}).headers["X-TTDN-Cache"] for _ in range(2)]
    assert heads == ["miss", "miss"]


def test_cached_answers_follow_the_snapshot(seed_store_path, tmp_path) -> None:
    """A worker replaced after a runaway query reopens the same snapshot: the cache stays valid (the answers name
    the same version). A load that changes the store moves every worker to the new snapshot and empties it."""
    import shutil

    from fastapi.testclient import TestClient

    from ttdn_graph.store import open_store
    from ttdn_graph.web.app import create_app

    path = str(tmp_path / "store")
    shutil.copytree(seed_store_path, path)
    app = create_app(path, workers=2, query_timeout=1.0, result_cache_mb=8, watch_interval=0.2)
    q = PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?p a ttdn:Plan }"
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with TestClient(app) as client:
        first = client.get("/sparql", params={"query": q})
        assert first.headers["X-TTDN-Cache"] == "miss"
        version = first.headers["X-TTDN-Store-Version"]
        assert client.get("/sparql", params={"query": q}).headers["X-TTDN-Cache"] == "hit"
        assert client.get("/sparql", params={"query": runaway}).status_code == 503
        again = client.get("/sparql", params={"query": q})
        assert again.headers["X-TTDN-Cache"] == "hit" and again.headers["X-TTDN-Store-Version"] == version
        generation = app.state.executor.pool.generation
        with open_store(path) as st:  # a load while serving: one more plan
            st.update("PREFIX ttdn: <https://w3id.org/ttdn/ontology#> "
                      "INSERT DATA { GRAPH <https://w3id.org/ttdn/id/source/extra> { <urn:x:plan> a ttdn:Plan } }")
        for _ in range(100):  # bounded: the watcher notices within a few intervals
            if app.state.executor.pool.generation > generation:
                break
            time.sleep(0.1)
        assert app.state.executor.pool.generation > generation
        after = client.get("/sparql", params={"query": q})
        assert after.headers["X-TTDN-Cache"] == "miss"
        assert after.headers["X-TTDN-Store-Version"] != version
        n = lambda r: int(r.json()["results"]["bindings"][0]["n"]["value"])  # noqa: E731
        assert n(after) == n(first) + 1
        # every worker answers from the new snapshot
        versions = {client.get("/sparql", params={"query": q + f" # {i}"}).headers["X-TTDN-Store-Version"]
                    for i in range(6)}
        assert versions == {after.headers["X-TTDN-Store-Version"]}
