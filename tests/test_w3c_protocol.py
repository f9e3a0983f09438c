"""The W3C SPARQL 1.1 Protocol test suite against the seeds' server (live_server), with a runner of our own.

The suite (https://github.com/w3c/rdf-tests, sparql/sparql11/protocol/manifest.ttl: 20 query and 14 update tests) is
restated as data in tests/fixtures/w3c_protocol_cases.py. Query side: every case runs *adapted* — the suite's graphs
dataN.rdf replaced by four of the store's document graphs, which hold the same shape of data — and must give what
the suite expects; every case also runs *verbatim*, where a case naming the suite's graphs must be refused with the
endpoint's documented dataset refusal (403: it fetches nothing) and any other must again give what the suite expects.
Update side: this endpoint is read-only, so every update is refused with its 4xx, the suite's follow-up ASK sees
nothing of it, and the store's content is unchanged.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pyoxigraph as ox
import pytest

from ttdn_graph.web.safety import DATASET_REFUSED

_spec = importlib.util.spec_from_file_location("w3c_protocol_cases",
                                               Path(__file__).parent / "fixtures" / "w3c_protocol_cases.py")
assert _spec and _spec.loader
cases = sys.modules.setdefault("w3c_protocol_cases", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(cases)

TTDN = "https://w3id.org/ttdn/ontology#"
RESULTS = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
           "application/sparql-results+xml": ox.QueryResultsFormat.XML,
           "text/csv": ox.QueryResultsFormat.CSV, "text/tab-separated-values": ox.QueryResultsFormat.TSV}
BOOLEAN_RESULTS = ("application/sparql-results+json", "application/sparql-results+xml")
RDF = {"application/rdf+xml": ox.RdfFormat.RDF_XML, "text/turtle": ox.RdfFormat.TURTLE,
       "application/n-triples": ox.RdfFormat.N_TRIPLES}  # the suite's list (RDFa aside)


def test_the_restated_suite_is_whole() -> None:
    names = [c.name for c in cases.CASES]
    assert len(names) == len(set(names)) == 34
    assert len(cases.QUERY_CASES) == 20 and len(cases.UPDATE_CASES) == 14
    assert all(c.update for c in cases.UPDATE_CASES) and not any(c.update for c in cases.QUERY_CASES)
    assert all(c.status for c in cases.CASES if c.expect == "4xx")


@pytest.fixture(scope="module")
def store_graphs(live_server) -> dict[str, str]:
    """Four document graphs of the store for {D0}…{D3}: each holds `<graph> a ttdn:SourceDocument`, as the suite's
    dataN.rdf holds `<dataN.rdf> a foaf:Document` — and that statement is in no other of the four."""
    rows = live_server.store.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?g a <{TTDN}SourceDocument> }} }} "
                                   "ORDER BY ?g")
    docs = [r["g"].value for r in rows]
    assert len(docs) >= 4, docs
    chosen = docs[:4]
    for g in chosen:
        others = [o for o in chosen if o != g]
        assert not any(live_server.store.ask(f"ASK {{ GRAPH <{o}> {{ <{g}> a ?t }} }}") for o in others)
    return {f"D{i}": g for i, g in enumerate(chosen)}


def send(live, req, graphs: dict[str, str]) -> httpx.Response:
    """One request of a case, its {Dn} filled from `graphs`: the URL parameters, the body in its encoding, and a
    Content-Type only when the case sends one."""
    params = [(k, v.format(**graphs)) for k, v in req.params]
    content = req.body.format(**graphs).encode(req.encoding) if req.body is not None else None
    headers = {"Content-Type": req.content_type} if req.content_type else {}
    return httpx.request(req.method, live.sparql, params=params, content=content, headers=headers, timeout=30)


def check_result(case, r: httpx.Response, endpoint: str) -> None:
    """The suite's expectations of a successful answer: status, result format (by media type) and ASK answer."""
    assert 200 <= r.status_code < 400, (case.name, r.status_code, r.text[:300])
    media = r.headers["content-type"].split(";")[0].strip()
    if case.result == "boolean":
        assert media in BOOLEAN_RESULTS, media
        parsed = ox.parse_query_results(r.content, RESULTS[media])
        assert isinstance(parsed, ox.QueryBoolean)
        if case.boolean is not None:
            assert bool(parsed) is case.boolean, case.name
    elif case.result == "tabular":
        assert media in RESULTS, media
        parsed = ox.parse_query_results(r.content, RESULTS[media])
        assert isinstance(parsed, ox.QuerySolutions)
        rows = list(parsed)
        assert [v.value for v in parsed.variables] == ["value"] and len(rows) == 1
        assert rows[0]["value"] == ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    elif case.result == "RDF":
        assert media in RDF, media
        triples = list(ox.parse(r.content, RDF[media]))
        if case.name == "query_content_type_construct":  # <s> <p> resolved against the endpoint's URL
            assert [(t.subject, t.predicate) for t in triples] == [
                (ox.NamedNode(urljoin(endpoint, "s")), ox.NamedNode(urljoin(endpoint, "p")))]


def fingerprint(store_path: str) -> tuple[int, str]:
    """The store's size and a digest of its quads, read from a fresh handle (so it sees any write)."""
    store = ox.Store.read_only(store_path)
    try:
        lines = sorted(str(q) for q in store)
    finally:
        del store
    return len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()


# -- query side ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", cases.QUERY_CASES, ids=lambda c: c.name)
def test_query_case_adapted_to_the_store(live_server, store_graphs, case) -> None:
    r = send(live_server, case.request, store_graphs)
    if case.expect == "4xx":
        assert r.status_code == case.status, (case.name, r.status_code, r.text[:300])
        assert r.text.strip()  # a reason, not an empty 4xx
    else:
        check_result(case, r, live_server.sparql)


@pytest.mark.parametrize("case", cases.QUERY_CASES, ids=lambda c: c.name)
def test_query_case_verbatim(live_server, case) -> None:
    r = send(live_server, case.request, cases.SUITE_GRAPHS)
    if case.expect == "4xx":
        assert r.status_code == case.status, (case.name, r.status_code, r.text[:300])
    elif case.names_suite_graphs:  # a dataset of graphs not held here: the documented refusal
        assert r.status_code == 403, (case.name, r.status_code, r.text[:300])
        assert r.headers["content-type"].startswith("text/plain")
        assert r.text.startswith(DATASET_REFUSED) and "kasei.us/2009/09/sparql/data/data" in r.text
    else:
        check_result(case, r, live_server.sparql)


def test_the_protocol_dataset_is_what_answers(live_server, store_graphs) -> None:
    """Controls for the adapted cases: the same ASK is false over a dataset lacking one graph, and the query's own
    FROM (overridden by the protocol's graphs in query_multiple_dataset) alone gives false; the union default graph
    (no dataset named) sees all."""
    g = store_graphs
    two = f"ASK {{ <{g['D1']}> a ?type . <{g['D2']}> a ?type . }}"
    assert live_server.get("/sparql", params={"query": two, "default-graph-uri": g["D1"]}).json()["boolean"] is False
    assert live_server.get("/sparql", params={"query": two}).json()["boolean"] is True
    multiple = cases.QUERY_CASES[6]
    assert multiple.name == "query_multiple_dataset"
    r = live_server.post("/sparql", content=multiple.request.body.format(**g).encode(),
                         headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 200 and r.json()["boolean"] is False
    named = f"ASK {{ GRAPH ?g1 {{ <{g['D1']}> a ?type }} GRAPH ?g2 {{ <{g['D2']}> a ?type }} }}"
    r = live_server.get("/sparql", params=[("query", named), ("named-graph-uri", g["D1"])])
    assert r.json()["boolean"] is False


def test_dataset_rule_both_paths(live_server, store_graphs) -> None:
    """Own graphs in every dataset channel are answered; a graph not held here is refused with 403 and the
    documented reason, whichever channel names it, and the refusal points to the list of graphs."""
    own, foreign = store_graphs["D1"], "http://127.0.0.1:9/not-held"
    count = "SELECT (COUNT(*) AS ?n) {} WHERE {{ ?s ?p ?o }}"
    n_own = live_server.store.count_triples(own)
    for params in ({"query": count.format(f"FROM <{own}>")}, {"query": count.format(""), "default-graph-uri": own}):
        r = live_server.get("/sparql", params=params)
        assert r.status_code == 200 and int(r.json()["results"]["bindings"][0]["n"]["value"]) == n_own
    refused = [
        live_server.get("/sparql", params={"query": count.format(f"FROM <{foreign}>")}),
        live_server.get("/sparql", params={"query": f"ASK FROM NAMED <{foreign}> {{ GRAPH ?g {{ ?s ?p ?o }} }}"}),
        live_server.get("/sparql", params={"query": "ASK {}", "default-graph-uri": foreign}),
        live_server.post("/sparql", params={"named-graph-uri": foreign}, content=b"ASK {}",
                         headers={"Content-Type": "application/sparql-query"}),
        live_server.get("/sparql", params=[("query", "ASK {}"), ("default-graph-uri", own),
                                           ("named-graph-uri", foreign)]),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert all(r.text.startswith(DATASET_REFUSED) and foreign in r.text for r in refused)
    assert "service description" in DATASET_REFUSED


# -- request rules the suite touches -------------------------------------------------------------------------------
def test_base_iri_is_the_endpoint_url_and_a_query_base_wins(live_server) -> None:
    r = live_server.get("/sparql", params={"query": "SELECT (STR(<x/y>) AS ?v) {}"})
    assert r.json()["results"]["bindings"][0]["v"]["value"] == urljoin(live_server.sparql, "x/y")
    r = live_server.get("/sparql", params={"query": "BASE <http://example.org/a/> SELECT (STR(<y>) AS ?v) {}"})
    assert r.json()["results"]["bindings"][0]["v"]["value"] == "http://example.org/a/y"


@pytest.mark.parametrize("content_type", ["application/sparql-query; charset=utf-8",
                                          "application/sparql-query;charset=UTF8",
                                          'application/sparql-query; charset="US-ASCII"',
                                          "application/x-www-form-urlencoded; charset=UTF-8"])
def test_utf8_charsets_are_read(live_server, content_type) -> None:
    body = "query=ASK%20%7B%7D" if "form" in content_type else "ASK {}"
    r = live_server.post("/sparql", content=body.encode(), headers={"Content-Type": content_type})
    assert r.status_code == 200 and r.json()["boolean"] is True


@pytest.mark.parametrize(("content_type", "encoding"), [("application/sparql-query; charset=UTF-16", "utf-16"),
                                                        ("application/sparql-query; charset=ISO-8859-1", "latin-1"),
                                                        ("application/x-www-form-urlencoded; charset=UTF-16",
                                                         "utf-16"),
                                                        ("application/sparql-query; charset=no-such", "utf-8")])
def test_other_charsets_are_refused_not_guessed(live_server, content_type, encoding) -> None:
    body = "query=ASK%20%7B%7D" if "form" in content_type else "ASK { FILTER(\"é\" != \"\") }"
    r = live_server.post("/sparql", content=body.encode(encoding), headers={"Content-Type": content_type})
    assert r.status_code == 415 and "UTF-8" in r.text


def test_post_content_types(live_server) -> None:
    ask = b"ASK {}"
    assert live_server.post("/sparql", content=ask).status_code == 400  # none sent
    assert live_server.post("/sparql", content=ask, headers={"Content-Type": "application/json"}).status_code == 415
    r = live_server.post("/sparql", params={"query": "ASK {}"}, content=ask,
                         headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400  # a query in the URL and another in the body
    r = live_server.post("/sparql", content=ask, headers={"Content-Type": "Application/SPARQL-Query"})
    assert r.status_code == 200  # media types are case-insensitive


# -- update side -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", cases.UPDATE_CASES, ids=lambda c: c.name)
@pytest.mark.parametrize("graphs", ["verbatim", "adapted"])
def test_update_case_is_refused_and_changes_nothing(live_server, seed_store_path, store_graphs, case, graphs) -> None:
    fill = cases.SUITE_GRAPHS if graphs == "verbatim" else store_graphs
    before = fingerprint(seed_store_path)
    version = live_server.get("/sparql", params={"query": "ASK {}"}).headers.get("X-TTDN-Store-Version")
    r = send(live_server, case.request, fill)
    assert r.status_code == case.status, (case.name, r.status_code, r.text[:300])
    if r.status_code == 403:
        assert "read-only" in r.text
    for check in case.checks:  # the suite's ASK would be true after the update: here nothing was written
        a = send(live_server, check, fill)
        assert a.status_code == 200 and a.json()["boolean"] is False, (case.name, a.text[:300])
    assert fingerprint(seed_store_path) == before
    assert live_server.get("/sparql", params={"query": "ASK {}"}).headers.get("X-TTDN-Store-Version") == version
