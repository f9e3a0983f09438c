"""Every request bounded: scanner, body, nesting, answer bytes, worker memory, admission and lanes (issue 13).

Servers here are in-process (TestClient) or the session's live server on 127.0.0.1; loops are bounded.
"""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from api_fixtures import PREFIXES, in_thread

from ttdn_graph.sparql_scan import tokens
from ttdn_graph.web.admission import ClientSlots, TooMany
from ttdn_graph.web.safety import MAX_NESTING, Refused, check_query
from ttdn_graph.web.sparql import MAX_BODY
from ttdn_graph.web.worker import Job, QueryFailed, WorkerPool

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # no memory, no end
MEMORY_HOG = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"
JSON = "application/sparql-results+json"


# -- the scanner -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, kinds", [
    ("?s ?p " + "a-" * 49_995 + "a", {"var", "word", "punct"}),  # was 85 s: a prefixed-name retry per position
    ('"' + '\\"' * 33_000, {"bad"}),  # an open string of escaped quotes: one token to the end of the line
    ("'''" + "a'" * 50_000, {"string", "word", "bad"}),  # an open long string: the short ones inside it
    ("<" + "a" * 99_990, {"punct", "word"}),
    ("SERVICE" * 14_000, {"word"}),
])
def test_the_scanner_reads_hostile_texts_in_one_pass(text, kinds) -> None:
    toks = tokens(text)
    assert {t.kind for t in toks} == kinds
    assert toks[-1].end == len(text.rstrip())  # nothing left unread
    assert all(a.end <= b.start for a, b in zip(toks, toks[1:], strict=False))


def test_unterminated_strings_and_deep_nesting_are_400_before_any_parser() -> None:
    with pytest.raises(Refused) as e:
        check_query("SELECT * WHERE { ?s ?p 'open }")
    assert e.value.status == 400 and "line 1" in e.value.message
    deep = "SELECT * WHERE " + "{" * 3000 + "?s ?p ?o" + "}" * 3000
    with pytest.raises(Refused) as e:
        check_query(deep)
    assert e.value.status == 400 and "nested" in e.value.message
    ok = "SELECT * WHERE " + "{" * MAX_NESTING + "?s ?p ?o" + "}" * MAX_NESTING
    assert check_query(ok, deep=False).form == "SELECT"


def test_deep_nesting_and_long_queries_answer_4xx_live(live_server) -> None:
    for q in ("SELECT * WHERE " + "{" * 3000 + "}" * 3000, "SELECT * WHERE { " + "(" * 3000 + " }",
              "ASK { <<( ?c ?d ?e )>> " * 2000, "?s ?p " + "a-" * 49_995 + "a"):
        r = live_server.post("/sparql", data={"query": q})
        assert r.status_code == 400, (q[:40], r.status_code, r.text[:200])
    r = live_server.post("/sparql", data={"query": "x" * 100_001})
    assert r.status_code == 400 and "longer than" in r.text


# -- the request body --------------------------------------------------------------------------------------------
def test_a_body_over_the_limit_is_refused_declared_or_chunked(live_server) -> None:
    sent = {"bytes": 0}

    def chunks():
        for _ in range(200):  # up to 12.8 MB, but the server stops reading after MAX_BODY
            sent["bytes"] += 65536
            yield b"a" * 65536

    r = httpx.post(live_server.sparql, content=chunks(), headers={"Content-Type": "application/sparql-query"},
                   timeout=30)
    assert r.status_code == 413
    r = httpx.post(live_server.sparql, content=b"x" * (MAX_BODY + 1),
                   headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=30)
    assert r.status_code == 413
    r = httpx.post(live_server.sparql, content=b"\xff\xfe", headers={"Content-Type": "application/sparql-query"},
                   timeout=30)
    assert r.status_code == 400


# -- the answer --------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def small_cap_client(seed_store_path):
    from fastapi.testclient import TestClient

    from ttdn_graph.web.app import create_app

    app = create_app(seed_store_path, workers=2, query_timeout=20, result_cache_mb=0, answer_cap_mb=0.02,
                     watch_interval=0)
    with TestClient(app) as client:
        yield client


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_select_answers_stop_at_the_byte_cap(small_cap_client, fmt) -> None:
    cap = int(0.02 * 1024 * 1024)
    r = small_cap_client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }", "format": fmt})
    assert r.status_code == 200
    assert r.headers["X-TTDN-Byte-Cap"] == str(cap)
    assert r.headers["X-TTDN-Truncated"] == "true" and r.headers["X-TTDN-Truncated-By"] == "bytes"
    assert len(r.content) <= cap
    assert 0 < int(r.headers["X-TTDN-Count"]) < 6000


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld", "rdfxml"])
def test_construct_answers_stop_at_the_byte_cap(small_cap_client, fmt) -> None:
    cap = int(0.02 * 1024 * 1024)
    r = small_cap_client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": fmt})
    assert r.status_code == 200 and r.headers["X-TTDN-Truncated-By"] == "bytes"
    assert len(r.content) <= cap and int(r.headers["X-TTDN-Count"]) > 0


def test_one_huge_row_is_cut_not_sent(small_cap_client) -> None:
    # every value but blank nodes (the ontology's class expressions), whose STR() is an error that would unbind ?all
    q = "SELECT (GROUP_CONCAT(STR(?o)) AS ?all) WHERE { ?s ?p ?o FILTER(!isBlank(?o)) }"
    r = small_cap_client.get("/sparql", params={"query": q})
    assert r.status_code == 200 and r.headers["X-TTDN-Truncated-By"] == "bytes"
    assert r.headers["X-TTDN-Count"] == "0" and r.json()["results"]["bindings"] == []


def test_small_answers_are_whole(small_cap_client) -> None:
    r = small_cap_client.get("/sparql", params={"query": PREFIXES + "SELECT ?p WHERE { ?p a ttdn:Plan }"})
    assert r.headers["X-TTDN-Truncated"] == "false" and "X-TTDN-Truncated-By" not in r.headers


# -- the worker's memory -----------------------------------------------------------------------------------------
def test_a_query_over_the_memory_ceiling_is_stopped_and_the_pool_goes_on(seed_store_path) -> None:
    pool = WorkerPool(seed_store_path, size=1, timeout=30, memory_mb=256, watch_interval=0)
    try:
        with pytest.raises(QueryFailed) as e:
            pool.run(Job(MEMORY_HOG, JSON, 10))
        assert e.value.status == 503 and "256 MB memory limit" in e.value.message
        assert pool.stats["killed_memory"] == 1 and pool.stats["killed_time_limit"] == 0
        assert pool.run(Job("ASK { ?s ?p ?o }", JSON, 10)).body  # a fresh worker answers
    finally:
        pool.close()


# -- admission -----------------------------------------------------------------------------------------------------
def test_client_slots_are_per_address() -> None:
    slots = ClientSlots(2)
    with slots.hold("a"), slots.hold("a"):
        with pytest.raises(TooMany) as e, slots.hold("a"):
            pass
        assert e.value.status == 429 and e.value.retry_after > 0
        with slots.hold("b"):
            assert slots.in_flight("b") == 1
    assert slots.in_flight("a") == 0 and slots.refused == 1
    with ClientSlots(0).hold("a"), ClientSlots(0).hold("a"):
        pass  # 0: no limit


def test_one_address_gets_429_beyond_its_share_live(seed_store_path) -> None:
    from fastapi.testclient import TestClient

    from ttdn_graph.web.app import create_app

    app = create_app(seed_store_path, workers=2, query_timeout=2.0, result_cache_mb=0, watch_interval=0)
    assert app.state.settings.per_client == 1
    with TestClient(app) as client:
        slow = threading.Thread(target=lambda: client.get("/sparql", params={"query": RUNAWAY}))
        slow.start()
        try:
            for _ in range(50):  # bounded wait for the slow query to hold its slot
                if app.state.client_slots.in_flight("testclient"):
                    break
                time.sleep(0.05)
            r = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
            assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
        finally:
            slow.join(30)
        assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200


def test_the_long_running_lane_keeps_a_worker_for_short_queries(seed_store_path) -> None:
    # warm_after=0: the threshold itself, not the grace a fresh worker's first queries get (its caches are cold)
    pool = WorkerPool(seed_store_path, size=2, timeout=4.0, fast_after=0.3, watch_interval=0, warm_after=0)
    try:
        pool.start()
        t1, box1 = in_thread(lambda: pool.run(Job(RUNAWAY, JSON, 10)))  # takes the one long-running slot
        time.sleep(0.6)
        started = time.monotonic()
        with pytest.raises(QueryFailed) as e:
            pool.run(Job(RUNAWAY + " # second", JSON, 10))
        assert e.value.status == 503 and "long-running" in e.value.message
        assert time.monotonic() - started < 2.0  # stopped at the lane's threshold, not the 4 s limit
        quick = pool.run(Job("ASK { ?s ?p ?o }", JSON, 10))  # while the first still runs
        assert quick.body and t1.is_alive()
        t1.join(10)
        assert isinstance(box1.get("error"), QueryFailed) and "time limit" in box1["error"].message
        assert pool.stats["killed_long_lane"] == 1 and pool.stats["killed_time_limit"] == 1
    finally:
        pool.close()


@pytest.mark.skipif(not __import__("sys").platform.startswith("linux"), reason="CPU time read from /proc")
def test_a_query_waiting_for_a_core_keeps_its_short_worker_and_is_charged_its_cpu(seed_store_path) -> None:
    """On a busy machine a quick query can pass the short-query threshold in wall time without working: its worker
    is stopped here (SIGSTOP) for longer than the threshold. With one worker there is no long-running slot, so a
    query counted as long would be stopped; this one waits for its core and answers, and its client is charged the
    CPU it used, not the wall time. Its pool's long-running slot is held by a query that works (and is counted long
    from the threshold on, as before: no waiting for a core)."""
    import os
    import signal

    # warm_after=0: no grace for a fresh worker's first queries (cold caches), so only the wait for a core is seen
    pool = WorkerPool(seed_store_path, size=2, timeout=4.0, fast_after=0.3, watch_interval=0, spare=False,
                      warm_after=0)
    try:
        pool.start()
        assert pool.run(Job("ASK { ?s ?p ?o }", JSON, 10), client="warm").body  # the workers are up and ready
        t1, box1 = in_thread(lambda: pool.run(Job(RUNAWAY, JSON, 10), client="busy"))  # takes the one long slot
        time.sleep(0.6)
        assert pool.stats["starved_waits"] == 0 and t1.is_alive()  # it worked: long at once
        pids = [w.proc.pid for w in pool._all if w.ready]
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        t, box = in_thread(lambda: pool.run(Job("ASK { ?x ?y ?z }", JSON, 10), client="patient"))
        time.sleep(0.9)  # three times the threshold, all of it without a core
        for pid in pids:
            os.kill(pid, signal.SIGCONT)
        t.join(10)
        assert "error" not in box, box.get("error")
        assert box["value"].body and pool.stats["killed_long_lane"] == 0 and pool.stats["starved_waits"] > 0
        assert pool.costs.of("patient") < pool.costs.prior  # charged a few ms of CPU, not 0.9 s
        t1.join(10)
        assert "time limit" in box1["error"].message
    finally:
        pool.close()


def test_the_wait_for_a_worker_is_bounded(seed_store_path) -> None:
    pool = WorkerPool(seed_store_path, size=1, timeout=6.0, max_wait=2.0, max_queue=1, watch_interval=0)
    try:
        pool.start()
        t1, _ = in_thread(lambda: pool.run(Job(RUNAWAY, JSON, 10)))
        time.sleep(0.3)
        t2, box2 = in_thread(lambda: pool.run(Job("ASK { ?s ?p ?o }", JSON, 10)))  # waits, then 503
        for _ in range(100):  # bounded: until it is waiting
            if len(pool._idle):
                break
            time.sleep(0.01)
        with pytest.raises(QueryFailed) as e:  # the queue (1) is full: refused at once
            pool.run(Job("ASK { ?a ?b ?c }", JSON, 10))
        assert e.value.status == 503 and "waiting" in e.value.message
        t2.join(5)
        assert isinstance(box2.get("error"), QueryFailed) and "busy" in box2["error"].message
        assert t1.is_alive()  # the wait was cut at max_wait, not at the running query's end
        t1.join(10)
    finally:
        pool.close()


def test_a_free_worker_goes_to_the_client_that_used_least() -> None:
    from ttdn_graph.web.worker import _Costs, _FairQueue

    q = _FairQueue()
    got: list[str] = []
    heavy = threading.Thread(target=lambda: got.append(("heavy", q.get(5.0, 5, 10))[0]))
    heavy.start()
    time.sleep(0.1)  # the heavy client waits first
    light = threading.Thread(target=lambda: got.append(("light", q.get(0.0, 5, 10))[0]))
    light.start()
    for _ in range(50):  # bounded: both are waiting
        if len(q) == 2:
            break
        time.sleep(0.02)
    q.put(object())
    light.join(5)
    q.put(object())
    heavy.join(5)
    assert got == ["light", "heavy"]
    import queue as queue_mod

    with pytest.raises(queue_mod.Full):
        q.get(0.0, 0.1, 0)
    with pytest.raises(queue_mod.Empty):
        q.get(0.0, 0.05, 10)
    costs = _Costs(prior=0.5, weight=0.5, keep=2)
    assert costs.of("new") == 0.5 and costs.of(None) == 0.0
    costs.add("slow", 4.0)
    costs.add("quick", 0.01)
    costs.add("quick", 0.01)
    assert costs.of("slow") == pytest.approx(2.25) and costs.of("quick") < 0.14
    costs.add("third", 1.0)  # keep=2: the longest unseen ("slow") is forgotten, back to the prior
    assert costs.of("slow") == 0.5


def test_a_client_whose_queries_run_long_is_turned_away_while_the_long_slots_are_taken(seed_store_path) -> None:
    pool = WorkerPool(seed_store_path, size=2, timeout=8.0, fast_after=0.3, watch_interval=0, warm_after=0)
    try:
        pool.start()
        t1, _ = in_thread(lambda: pool.run(Job(RUNAWAY, JSON, 10), client="flood"))  # holds the long slot
        time.sleep(0.6)
        assert pool.costs.of("flood") == pool.costs.prior < pool.fast_after / 2  # not known to be slow yet
        for k in range(6):  # bounded: each runs on the short-query worker and is stopped at the lane threshold
            if pool.costs.of("flood") >= pool.fast_after / 2:
                break
            with pytest.raises(QueryFailed) as e:
                pool.run(Job(RUNAWAY + f" # {k}", JSON, 10), client="flood")
            assert "long-running" in e.value.message
        assert pool.costs.of("flood") >= pool.fast_after / 2
        started = time.monotonic()
        with pytest.raises(QueryFailed) as e:
            pool.run(Job(RUNAWAY + " # last", JSON, 10), client="flood")
        assert "ran long" in e.value.message and time.monotonic() - started < 0.2  # at once, no worker used
        assert pool.run(Job("ASK { ?s ?p ?o }", JSON, 10), client="reader").body
        t1.join(10)
    finally:
        pool.close()


def test_a_full_queue_makes_room_for_a_client_that_used_less() -> None:
    import queue as queue_mod

    from ttdn_graph.web.worker import _FairQueue

    q = _FairQueue()
    ends: dict[str, str] = {}

    def wait(name: str, priority: float) -> None:
        try:
            q.get(priority, 3, 1)
            ends[name] = "worker"
        except queue_mod.Full:
            ends[name] = "full"
        except queue_mod.Empty:
            ends[name] = "timeout"

    heavy = threading.Thread(target=wait, args=("heavy", 9.0))
    heavy.start()
    for _ in range(50):
        if len(q):
            break
        time.sleep(0.02)
    with pytest.raises(queue_mod.Full):  # used as much or more: no room
        q.get(9.0, 0.1, 1)
    light = threading.Thread(target=wait, args=("light", 1.0))
    light.start()
    heavy.join(3)
    assert ends == {"heavy": "full"}  # evicted at once, not at its time-out
    q.put(object())
    light.join(3)
    assert ends["light"] == "worker"
