"""The public SPARQL endpoint, exercised with SPARQLWrapper and httpx against a real uvicorn server (live_server)."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import urllib.error

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from api_fixtures import LIVE_CAP, LIVE_TIMEOUT, LIVE_WORKERS, PREFIXES, oxigraph_read_only
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from bench.listener import Listener
from ttdn_graph.web.safety import Refused, check_query

PLANS = PREFIXES + "SELECT DISTINCT ?plan ?title WHERE { ?plan a ttdn:Plan ; prov:wasDerivedFrom ?src ; ttdn:title ?title }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def wrapper(live, query: str, fmt: str) -> SPARQLWrapper:
    sw = SPARQLWrapper(live.sparql)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    sw.setTimeout(30)
    return sw


def count_all(live) -> int:
    r = live.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"})
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


# -- formats ---------------------------------------------------------------------------------------------------
def test_select_json_xml_csv_agree(live_server):
    j = wrapper(live_server, PLANS, JSON).queryAndConvert()
    plans = {b["plan"]["value"] for b in j["results"]["bindings"]}
    assert len(plans) == 5  # one per seed document
    assert all(b["title"]["type"] == "literal" and b["title"].get("xml:lang") == "vi" for b in j["results"]["bindings"])

    x = wrapper(live_server, PLANS, XML).queryAndConvert()
    uris = {n.firstChild.data for n in x.getElementsByTagName("uri")}
    assert uris == plans

    c = wrapper(live_server, PLANS, CSV).queryAndConvert()
    rows = list(csv.reader(io.StringIO(c.decode("utf-8"))))
    assert rows[0] == ["plan", "title"]
    assert {r[0] for r in rows[1:]} == plans


def test_ask_and_construct_turtle(live_server):
    assert wrapper(live_server, PREFIXES + "ASK { ?p a ttdn:Plan }", JSON).queryAndConvert()["boolean"] is True
    assert wrapper(live_server, PREFIXES + "ASK { ?p a ttdn:Nonexistent }", JSON).queryAndConvert()["boolean"] is False
    q = PREFIXES + "CONSTRUCT { ?p rdfs:label ?t } WHERE { ?p a ttdn:Plan ; prov:wasDerivedFrom ?s ; ttdn:title ?t }"
    sw = wrapper(live_server, q, TURTLE)
    res = sw.query()
    assert res.response.headers["Content-Type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=res.response.read().decode("utf-8"), format="turtle")
    assert len(set(g.subjects())) == 5 and len(g) == 5


def test_negotiation_by_accept_and_format_param(live_server):
    q = {"query": PLANS}
    r = live_server.get("/sparql", params=q, headers={"Accept": "text/tab-separated-values"})
    assert r.headers["content-type"].startswith("text/tab-separated-values") and r.text.startswith("?plan\t?title")
    r = live_server.get("/sparql", params={**q, "format": "csv"}, headers={"Accept": "application/json"})
    assert r.headers["content-type"].startswith("text/csv")
    r = live_server.get("/sparql", params=q, headers={"Accept": "text/html, image/png;q=0.9, */*;q=0.1"})
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    assert live_server.get("/sparql", params=q, headers={"Accept": "image/png"}).status_code == 406
    assert live_server.get("/sparql", params={**q, "format": "turtle"}).status_code == 406
    cq = {"query": PREFIXES + "CONSTRUCT WHERE { ?p a ttdn:Plan ; ttdn:title ?t }"}
    r = live_server.get("/sparql", params=cq, headers={"Accept": "application/ld+json"})
    assert r.headers["content-type"].startswith("application/ld+json") and json.loads(r.text)
    r = live_server.get("/sparql", params={**cq, "format": "nt"})
    triples = [line for line in r.text.splitlines() if line.strip()]
    assert r.headers["content-type"].startswith("application/n-triples")
    assert len(list(ox.parse(r.content, ox.RdfFormat.N_TRIPLES))) == len(triples) > 0


def test_post_forms_and_bodies(live_server):
    r = live_server.post("/sparql", data={"query": PLANS})
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 5
    r = live_server.post("/sparql", content=PLANS.encode(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 5
    r = live_server.post("/sparql", content=b"x", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415


def test_query_form_page(live_server):
    r = live_server.get("/sparql")
    assert r.status_code == 200 and "<form" in r.text and "text/html" in r.headers["content-type"]


# -- errors and refusals ---------------------------------------------------------------------------------------
def test_malformed_query_is_400_with_the_parser_message(live_server):
    with pytest.raises(QueryBadFormed):
        wrapper(live_server, "SELECT * WHERE { ?s ?p }", JSON).query()
    r = live_server.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/plain")
    assert "syntax error" in r.text.lower()


def test_updates_are_403_and_change_nothing(live_server):
    before = count_all(live_server)
    update = "INSERT DATA { GRAPH <http://e/g> { <http://e/s> <http://e/p> <http://e/o> } }"
    sw = wrapper(live_server, update, JSON)
    sw.setMethod(POST)
    with pytest.raises(urllib.error.HTTPError) as e:
        sw.query()
    assert e.value.code == 403
    responses = [
        live_server.post("/sparql", data={"update": update}),
        live_server.post("/sparql", content=update.encode(), headers={"Content-Type": "application/sparql-update"}),
        live_server.get("/sparql", params={"query": update}),
        live_server.get("/sparql", params={"query": "# a comment first\n  delete WHERE { ?s ?p ?o }"}),
        live_server.post("/sparql", data={"query": "DROP ALL"}),
    ]
    assert [r.status_code for r in responses] == [403] * len(responses)
    assert all("read-only" in r.text for r in responses)
    assert count_all(live_server) == before


def test_service_load_and_remote_from_never_connect(live_server):
    listener = Listener()
    remote = f"http://127.0.0.1:{listener.port}"
    try:
        # control: unchecked, Oxigraph itself would call out — and the listener sees it
        with pytest.raises(OSError):
            list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <{remote}/control> {{ ?s ?p ?o }} }}"))
        deadline = time.monotonic() + 5
        while not listener.hits and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(listener.hits) == 1
        listener.hits.clear()

        queries = [
            f"SELECT * WHERE {{ SERVICE <{remote}/sparql> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ ?x ?y ?z . SeRvIcE SILENT <{remote}/sparql> {{ ?s ?p ?o }} }}",
            f"PREFIX r: <{remote}/>\nSELECT * WHERE {{ # comment\n service r:sparql {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ OPTIONAL {{ SERVICE <{remote}/a> {{ ?s ?p ?o }} }} }}",
            f"SELECT * FROM <{remote}/x> WHERE {{ ?s ?p ?o }}",
            f"SELECT * FROM NAMED <{remote}/x> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
            f"PREFIX r: <{remote}/>\nASK FROM r:x {{ ?s ?p ?o }}",
            f"LOAD <{remote}/data.ttl>",
            f"LOAD SILENT <{remote}/data.ttl> INTO GRAPH <http://e/g>",
        ]
        statuses = []
        for q in queries:
            statuses.append(live_server.get("/sparql", params={"query": q}).status_code)
            statuses.append(live_server.post("/sparql", data={"query": q}).status_code)
        sw = wrapper(live_server, queries[0], JSON)
        with pytest.raises(urllib.error.HTTPError) as e:
            sw.query()
        statuses.append(e.value.code)
        r = live_server.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
                                               "default-graph-uri": f"{remote}/x"})
        statuses.append(r.status_code)
        r = live_server.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
                                               "named-graph-uri": f"{remote}/x"})
        statuses.append(r.status_code)
        # SPARQL decodes \\u escapes before parsing (rdflib does, Oxigraph calls it malformed): refused either way
        r = live_server.get("/sparql", params={"query": f"SELECT * WHERE {{ \\u0053ERVICE <{remote}/e> {{ ?s ?p ?o }} }}"})
        assert r.status_code == 403
        # words inside strings and comments are not refused
        ok = live_server.get("/sparql", params={"query": f'SELECT ("SERVICE <{remote}/s>" AS ?x) WHERE {{}} # LOAD'})
        assert ok.status_code == 200
        time.sleep(0.2)  # give any stray connection the chance to land before looking
    finally:
        hits = listener.close()
    assert statuses == [403] * len(statuses)
    assert hits == []


def test_check_query_unit():
    for q in ["SELECT * WHERE { SERVICE ?svc { ?s ?p ?o } }", "sElEcT * wHeRe { sErViCe <http://x/> {} }"]:
        with pytest.raises(Refused) as e:
            check_query(q)
        assert e.value.status == 403 and "SERVICE" in e.value.message
    assert check_query("CONSTRUCT WHERE { ?s ?p ?o }").is_graph
    assert check_query("PREFIX service: <http://e/> SELECT ?service WHERE { ?s service:x ?service }").form == "SELECT"
    own = "https://w3id.org/ttdn/id/source/x"
    c = check_query(f"SELECT * FROM <{own}> FROM NAMED <{own}> WHERE {{ ?s ?p ?o }}", [own])
    assert c.from_graphs == [own] and c.from_named_graphs == [own]
    with pytest.raises(Refused):
        check_query("SELECT * FROM <https://w3id.org/ttdn/id/source/other> WHERE { ?s ?p ?o }", [own])
    with pytest.raises(Refused) as e:
        check_query("x" * 200, max_length=100)
    assert e.value.status == 400


def test_deep_check_in_the_worker_refuses_on_its_own(seed_store_path):
    """The worker's rdflib check stands alone: a job that skipped the scan is still refused, with no call out."""
    from ttdn_graph.web.safety import deep_check
    from ttdn_graph.web.worker import Job, execute

    with pytest.raises(Refused):
        deep_check("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    with pytest.raises(Refused):
        deep_check("SELECT * FROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }", ["https://w3id.org/ttdn/id/x"])
    deep_check("SELECT ?service WHERE { ?service ?p ?o }")
    listener = Listener()
    try:
        store = ox.Store.read_only(seed_store_path)
        job = Job(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }}",
                  "application/sparql-results+json", 10, deep_check=True)
        with pytest.raises(Refused):
            execute(store, job)
        ok = execute(store, Job("ASK { ?s ?p ?o }", "application/sparql-results+json", 10, deep_check=True))
        assert json.loads(ok.body)["boolean"] is True
        time.sleep(0.1)
    finally:
        hits = listener.close()
    assert hits == []


def test_own_graphs_in_from_and_protocol_params_are_honoured(live_server):
    store = live_server.store
    g = next(x for x in store.graphs() if "/source/" in x)
    n_graph = store.count_triples(g)
    q = "SELECT (COUNT(*) AS ?n) {} WHERE {{ ?s ?p ?o }}"
    r = live_server.get("/sparql", params={"query": q.format(f"FROM <{g}>")})
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == n_graph
    r = live_server.get("/sparql", params={"query": q.format(""), "default-graph-uri": g})
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == n_graph
    r = live_server.get("/sparql", params={"query": q.format("")})
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) > n_graph  # the union of every graph
    r = live_server.get("/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                           "named-graph-uri": g})
    assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == [g]


# -- limits -----------------------------------------------------------------------------------------------------
def test_result_cap_truncates_and_says_so(live_server):
    total = count_all(live_server)
    assert total * 3 > LIVE_CAP  # the query below overflows the cap
    q = "SELECT ?s ?k WHERE { GRAPH ?g { ?s ?p ?o } VALUES ?k { 1 2 3 } }"
    r = live_server.get("/sparql", params={"query": q})
    assert r.headers["X-TTDN-Truncated"] == "true" and r.headers["X-TTDN-Result-Cap"] == str(LIVE_CAP)
    assert len(r.json()["results"]["bindings"]) == LIVE_CAP == int(r.headers["X-TTDN-Count"])
    r = live_server.get("/sparql", params={"query": q, "format": "csv"})
    assert len(r.text.strip().splitlines()) == LIVE_CAP + 1
    c = live_server.get("/sparql", params={"query": "CONSTRUCT { ?s ?k ?o } WHERE { GRAPH ?g { ?s ?p ?o } "
                                                    "VALUES ?k { <http://e/1> <http://e/2> <http://e/3> } }",
                                           "format": "nt"})
    assert c.headers["X-TTDN-Truncated"] == "true" and len(c.text.strip().splitlines()) == LIVE_CAP
    small = live_server.get("/sparql", params={"query": PLANS})
    assert small.headers["X-TTDN-Truncated"] == "false" and small.headers["X-TTDN-Count"] == "5"


def test_runaway_query_is_killed_while_others_are_served(live_server):
    pool = live_server.app.state.executor.pool
    procs_before = {w.proc for w in pool._all}
    assert len(procs_before) == pool.total == LIVE_WORKERS + pool.page_workers
    outcome: dict = {}

    def runaway():
        outcome["response"] = httpx.get(live_server.sparql, params={"query": RUNAWAY}, timeout=60)

    t = threading.Thread(target=runaway)
    t.start()
    deadline = time.monotonic() + 30
    while pool._idle.qsize() != pool.total - 1 and time.monotonic() < deadline:  # a worker took the runaway
        time.sleep(0.01)
    answers = [wrapper(live_server, PLANS, JSON).queryAndConvert() for _ in range(LIVE_WORKERS + 2)]
    during = t.is_alive()
    t.join(60)
    assert all(len(a["results"]["bindings"]) == 5 for a in answers)
    assert during, "the simple queries should have been answered while the runaway was still running"
    r = outcome["response"]
    assert r.status_code == 503 and f"{LIVE_TIMEOUT:g} s time limit" in r.text
    dead = [p for p in procs_before if p.poll() is not None]
    assert len(dead) == 1  # its worker process was killed …
    assert len(pool._all) == pool.total  # … and replaced
    assert wrapper(live_server, PLANS, JSON).queryAndConvert()["results"]["bindings"]


# -- remote endpoint and CLI ------------------------------------------------------------------------------------
def test_remote_endpoint_is_forwarded_with_the_same_rules(seed_store_path):
    from fastapi.testclient import TestClient

    from ttdn_graph.web.app import create_app

    listener = Listener()
    try:
        with oxigraph_read_only(seed_store_path) as endpoint:
            app = create_app(endpoint=endpoint, query_timeout=5, result_cap=100)
            with TestClient(app) as client:
                r = client.get("/sparql", params={"query": PLANS})
                assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 5
                r = client.get("/sparql", params={"query": PLANS, "format": "csv"})
                assert r.headers["content-type"].startswith("text/csv") and len(r.text.strip().splitlines()) == 6
                r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
                assert r.headers["X-TTDN-Truncated"] == "true" and len(r.json()["results"]["bindings"]) == 100
                r = client.get("/sparql", params={"query": PREFIXES + "CONSTRUCT WHERE { ?p a ttdn:Plan }"})
                assert r.headers["content-type"].startswith("text/turtle") and "Plan" in r.text
                assert client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"}).status_code == 400
                r = client.get("/sparql", params={"query": f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }}"})
                assert r.status_code == 403
                r = client.get("/queries/most-cited", params={"format": "json"})
                assert r.status_code == 200 and r.json()["results"]["bindings"][0]["plans"]["value"] == "3"
    finally:
        hits = listener.close()
    assert hits == []


def test_serve_without_a_store_says_so(tmp_path):
    import typer
    from typer.testing import CliRunner

    from ttdn_graph.cli_serve import serve

    app = typer.Typer()
    app.command()(serve)
    missing = tmp_path / "no-store"
    res = CliRunner().invoke(app, ["--store", str(missing)])
    assert res.exit_code == 2 and "ttdn load" in res.output
    assert not missing.exists()


def test_pool_replaces_a_worker_that_died_while_idle(seed_store_path):
    from ttdn_graph.web.worker import Job, WorkerPool

    pool = WorkerPool(seed_store_path, size=1, timeout=10)
    try:
        job = Job("ASK { ?s ?p ?o }", "application/sparql-results+json", 10)
        assert json.loads(pool.run(job).body)["boolean"] is True
        (first,) = pool._all
        first.proc.kill()
        first.proc.wait(5)
        assert json.loads(pool.run(job).body)["boolean"] is True
        assert first not in pool._all and len(pool._all) == 1
        with pytest.raises(Exception) as e:
            pool.run(Job("SELECT * WHERE { ?s ?p }", "application/sparql-results+json", 10))
        assert getattr(e.value, "status", None) == 400
        workers = list(pool._all)
    finally:
        pool.close()
    assert workers and all(w.proc.poll() is not None for w in workers)  # close() ends every worker process
