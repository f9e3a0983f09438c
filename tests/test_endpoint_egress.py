"""No outbound request from the public endpoint, whatever the query says (issue 13, item 1).

Every SERVICE variant is sent through every protocol channel to a live server whose SERVICE target is a listener on
127.0.0.1 that records connections; and the worker is called directly, past the checks, with the same queries.
The listener answers with a page carrying a token, so an echoed remote body would show. Only 127.0.0.1 is used.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from bench.attack import service_shapes
from bench.listener import Listener
from ttdn_graph.web.safety import Refused, check_query
from ttdn_graph.web.worker import Job, QueryFailed, WorkerPool

TOKEN = "TTDN-REMOTE-SECRET-7f3a"


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    li = Listener(page=f"<html>{TOKEN}</html>")
    yield li
    li.close()


def shapes(port: int) -> list[str]:
    """bench.attack's SERVICE shapes, and a few more."""
    base = f"http://127.0.0.1:{port}/"
    pre = f"PREFIX ex: <{base}> PREFIX : <{base}> "
    t = "{ ?x ?p ?o }"
    return [*service_shapes(port),
            pre + f"SELECT * WHERE {{ SERVICE:x {t} }} # <<( ?c ?d ?e )>>",
            pre + f"SELECT * WHERE {{ SERVICE SILENT:x {t} }}",
            f"SELECT * WHERE {{ SERVICE<{base}s>{t} }}",
            f"SELECT * WHERE {{ VALUES ?x {{ 1 }} SERVICE SILENT <{base}s> {t} }}",
            f"SELECT * WHERE {{ GRAPH ?g {{ SERVICE <{base}s> {t} }} }}"]


CHANNELS = ("get", "post-form", "post-query")


def _send(live_server, channel: str, q: str) -> httpx.Response:
    if channel == "get":
        return live_server.get("/sparql", params={"query": q})
    if channel == "post-form":
        return live_server.post("/sparql", data={"query": q})
    return live_server.post("/sparql", content=q.encode(), headers={"Content-Type": "application/sparql-query"})


def test_no_service_shape_reaches_the_network_through_any_channel(live_server, listener) -> None:
    qs = shapes(listener.port)
    assert len(qs) * len(CHANNELS) >= 39
    statuses = {}
    for q in qs:
        for channel in CHANNELS:
            r = _send(live_server, channel, q)
            statuses[(channel, q)] = r.status_code
            assert r.status_code in (400, 403), (channel, q, r.status_code, r.text[:200])
            assert TOKEN not in r.text
    assert listener.connections == 0, f"{listener.connections} outbound connection(s)"


def test_the_checks_refuse_every_shape_by_the_token_scan_alone(listener) -> None:
    """The second layer: the scan (no rdflib) already refuses each shape."""
    for q in shapes(listener.port):
        with pytest.raises(Refused) as e:
            check_query(q, deep=False)
        assert e.value.status in (400, 403), q


def test_a_worker_called_past_the_checks_cannot_connect(seed_store_path, listener) -> None:
    """The guarantee: a query worker given SERVICE queries directly (no scan, no rdflib) opens no connection."""
    pool = WorkerPool(seed_store_path, size=1, timeout=10, watch_interval=0)
    try:
        for q in shapes(listener.port):
            job = Job(q, "application/sparql-results+json", 10, deep_check=False)
            try:
                out = pool.run(job)
            except QueryFailed as e:
                assert TOKEN not in e.message
            else:  # SERVICE SILENT swallows the refusal: an empty answer, still nothing sent
                assert TOKEN.encode() not in out.body
        assert pool.run(Job("ASK { ?s ?p ?o }", "application/sparql-results+json", 10)).body  # still serving
    finally:
        pool.close()
    assert listener.connections == 0


def test_the_listener_is_reachable_without_the_guard(listener) -> None:
    """Control: the same SERVICE query from an unguarded engine does reach the listener (the tests can fail)."""
    import pyoxigraph as ox

    before = listener.connections
    with pytest.raises(Exception):  # noqa: B017 - the listener answers 500
        list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/s> {{ ?s ?p ?o }} }}"))
    assert listener.connections == before + 1


@pytest.mark.parametrize("query", [
    "PREFIX service: <http://e/> SELECT ?service WHERE { ?s service:x ?service }",
    "PREFIX service: <http://e/> SELECT * WHERE { service:x ?p ?o }",
    "PREFIX service: <http://e/> SELECT * WHERE { GRAPH service:g { ?s ?p ?o } }",
    "SELECT ?SERVICE WHERE { ?SERVICE ?p 'SERVICE <http://e/> { }' } # SERVICE <x> {",
    "PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:SERVICE ?o }",
])
def test_service_as_a_name_is_not_refused(query) -> None:
    assert check_query(query, deep=False).form == "SELECT"


def test_glued_from_names_are_checked_as_datasets() -> None:
    own = "https://w3id.org/ttdn/id/source/own"
    pre = "PREFIX ex: <http://127.0.0.1:9/> PREFIX id: <https://w3id.org/ttdn/id/source/> "
    for q in ("SELECT * FROMex:g WHERE { ?s ?p ?o }", "SELECT * FROM NAMEDex:g WHERE { ?s ?p ?o }",
              "SELECT * FROMNAMED<http://127.0.0.1:9/g> WHERE { ?s ?p ?o }",
              "SELECT * FROM<http://127.0.0.1:9/g> WHERE { ?s ?p ?o }"):
        with pytest.raises(Refused) as e:
            check_query(pre + q, [own], deep=False)
        assert e.value.status == 403, q
    c = check_query(pre + "SELECT * FROMid:own WHERE { ?s ?p ?o }", [own], deep=False)
    assert c.from_graphs == [own]
