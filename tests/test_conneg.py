"""One content-negotiation table (ttdn_graph/web/conneg.py) for the endpoint, the linked-data pages, the ontology and
the service description; and SPARQLWrapper, as researchers use it, against a real uvicorn server (live_server):
CONSTRUCT in RDF/XML, N-Triples, Turtle, N3 and JSON-LD, SELECT in JSON, XML, CSV and TSV."""

from __future__ import annotations

import contextlib
import csv
import io
import re
from pathlib import Path

import pytest
import rdflib
from api_fixtures import PREFIXES
from rdflib.compare import isomorphic
from SPARQLWrapper import CSV, GET, JSON, JSONLD, N3, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from ttdn_graph.web import conneg
from ttdn_graph.web.pages import page_url

PLANS = PREFIXES + "SELECT DISTINCT ?plan WHERE { ?plan a ttdn:Plan ; prov:wasDerivedFrom ?src } ORDER BY ?plan"
CONSTRUCT = PREFIXES + ("CONSTRUCT { ?plan rdfs:label ?t ; a ttdn:Plan } WHERE { ?plan a ttdn:Plan ; "
                        "prov:wasDerivedFrom ?src ; ttdn:title ?t }")


def wrapper(live, query: str, fmt: str, method: str) -> SPARQLWrapper:
    sw = SPARQLWrapper(live.sparql)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    sw.setMethod(method)
    sw.setTimeout(30)
    return sw


@pytest.fixture(scope="module")
def expected(live_server) -> rdflib.Graph:
    r = live_server.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "application/n-triples"})
    g = rdflib.Graph().parse(data=r.text, format="nt")
    assert len(g) == 10  # five seed plans, a label and a type each
    return g


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize(("fmt", "media", "syntax"), [(RDFXML, "application/rdf+xml", None),
                                                      (XML, "application/rdf+xml", None),
                                                      (TURTLE, "text/turtle", "turtle"),
                                                      (N3, "text/n3", "n3"),
                                                      (JSONLD, "application/ld+json", None)])
def test_sparqlwrapper_construct_in_every_rdf_format(live_server, expected, method, fmt, media, syntax) -> None:
    res = wrapper(live_server, CONSTRUCT, fmt, method).query()
    assert res.response.headers["Content-Type"].split(";")[0] == media
    converted = res.convert()  # rdflib graph (RDF/XML, JSON-LD) or bytes (Turtle, N3)
    g = converted if syntax is None else rdflib.Graph().parse(data=converted.decode("utf-8"), format=syntax)
    assert isomorphic(rdflib.Graph() + g, expected)


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_construct_as_ntriples(live_server, expected, method) -> None:
    sw = wrapper(live_server, CONSTRUCT, N3, method)
    sw.setOnlyConneg(True)  # SPARQLWrapper has no N-Triples constant: ask by Accept header alone, no format=
    sw.addCustomHttpHeader("Accept", "application/n-triples")
    res = sw.query()
    assert res.response.headers["Content-Type"].split(";")[0] == "application/n-triples"
    g = rdflib.Graph().parse(data=res.convert().decode("utf-8"), format="nt")
    assert isomorphic(g, expected)


def test_sparqlwrapper_describe_in_rdfxml(live_server) -> None:
    plan = live_server.store.query(PLANS)[0]["plan"].value
    g = wrapper(live_server, f"DESCRIBE <{plan}>", RDFXML, GET).queryAndConvert()
    assert len(g) > 3 and rdflib.URIRef(plan) in set(g.subjects())


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_select_in_json_xml_csv_tsv(live_server, method) -> None:
    plans = [r["plan"].value for r in live_server.store.query(PLANS)]
    assert len(plans) == 5
    j = wrapper(live_server, PLANS, JSON, method).queryAndConvert()
    assert [b["plan"]["value"] for b in j["results"]["bindings"]] == plans
    x = wrapper(live_server, PLANS, XML, method).queryAndConvert()
    assert [n.firstChild.data for n in x.getElementsByTagName("uri")] == plans
    c = wrapper(live_server, PLANS, CSV, method).queryAndConvert()
    assert [row[0] for row in csv.reader(io.StringIO(c.decode("utf-8")))] == ["plan", *plans]
    t = wrapper(live_server, PLANS, TSV, method).queryAndConvert()
    assert t.decode("utf-8").splitlines() == ["?plan", *[f"<{p}>" for p in plans]]


# -- one table ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", conneg.RDF_FORMATS, ids=lambda f: f.key)
def test_every_route_answers_an_rdf_ask_alike(live_server, fmt) -> None:
    """The endpoint (CONSTRUCT), a data page, the ontology, the service description and the dataset's VoID give the
    same media type for the same Accept header — the format's own type and each of its aliases."""
    plan = live_server.store.query(PLANS)[0]["plan"].value
    routes = [("/sparql", {"query": CONSTRUCT}), (page_url(plan, live_server.app.state.base), {}),
              ("/ontology", {}), ("/sparql", {}), ("/.well-known/void", {})]
    for accept in (fmt.media_type, *fmt.aliases):
        for path, params in routes:
            r = live_server.get(path, params=params, headers={"Accept": accept})
            assert r.status_code == 200, (path, accept, r.text[:200])
            assert r.headers["content-type"].split(";")[0] == fmt.media_type, (path, accept)
            assert r.content.strip()


def test_kind_decides_what_a_generic_type_means(live_server) -> None:
    r = live_server.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "application/json"})
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    r = live_server.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "application/json"})
    assert r.headers["content-type"].startswith("application/ld+json")
    r = live_server.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "application/xml"})
    assert r.headers["content-type"].startswith("application/sparql-results+xml")
    r = live_server.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "application/xml"})
    assert r.headers["content-type"].startswith("application/rdf+xml")


def test_negotiate_and_names() -> None:
    rdf, results, pages = conneg.RDF_FORMATS, conneg.RESULT_FORMATS, conneg.PAGE_FORMATS
    assert conneg.negotiate(None, rdf).key == "ttl" and conneg.negotiate("", results).key == "json"
    assert conneg.negotiate("text/turtle;q=0.5, application/ld+json", rdf).key == "jsonld"
    assert conneg.negotiate("application/n-triples;q=0, text/turtle;q=0.1", rdf).key == "ttl"
    assert conneg.negotiate("image/png, */*;q=0.1", pages).key == "html"
    assert conneg.negotiate("text/*", results).key == "csv"  # the default is not text: the first text format
    assert conneg.negotiate("text/*", pages).key == "html"
    assert conneg.negotiate("image/png", rdf) is None
    assert conneg.negotiate("text/rdf+n3", rdf).media_type == "text/n3"
    assert conneg.by_name(["rdf+xml", "application/rdf+xml"], rdf).key == "rdf"
    assert conneg.by_name(["nonsense", "json-ld"], rdf).key == "jsonld"
    assert conneg.by_name("json", results).key == "json" and conneg.by_name("json", rdf).key == "jsonld"
    assert conneg.by_name("TSV", results).key == "tsv" and conneg.by_name("tsv", rdf) is None
    assert all(f.content_type.endswith("charset=utf-8") for f in conneg.FORMATS if f.key != "jsonld")


def test_the_readme_sparqlwrapper_example_prints_what_the_readme_says(live_server) -> None:
    """The README's "For SPARQL clients" example, run as written against the seeds' server, prints its output block."""
    text = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = text.split("### For SPARQL clients", 1)[1].split("\n### ", 1)[0]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    printed = re.search(r"```python\n.*?```\s*prints\s*```text\n(.*?)```", section, re.S).group(1)
    assert "http://127.0.0.1:8000/sparql" in code
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code.replace("http://127.0.0.1:8000/sparql", live_server.sparql), "README.md", "exec"), {})
    assert out.getvalue() == printed
