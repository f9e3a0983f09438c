"""The pyvis views and their JSON: agency–task graph (filters, styles, cap) and the cascade (closure, tiers)."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from pages_fixtures import IMG, SCRIPT, XSS_NUMBER, build_xss_store, external_urls, make_app, oracle

from ttdn_graph.views import ViewGraph, ViewNode, render_network
from ttdn_graph.views.cascade import symbol_tier, tier_of
from ttdn_graph.views.model import tooltip
from ttdn_graph.web.pages import page_url

TTDN = "https://w3id.org/ttdn/ontology#"
P = f"PREFIX ttdn: <{TTDN}>\nPREFIX prov: <http://www.w3.org/ns/prov#>\n"
LOADED = "?plan a ttdn:Plan ; prov:wasDerivedFrom ?d . ?d a ttdn:SourceDocument . ?plan ttdn:hasTask ?task ."


@pytest.fixture(scope="module")
def app(seed_store_path):  # seed_store_path: tests/api_fixtures.py
    app = make_app(seed_store_path)
    yield app
    app.state.executor.close()


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app) as c:  # lifespan: views read the graph through the query workers
        yield c


@pytest.fixture(scope="module")
def store(seed_store_path):
    st = oracle(seed_store_path)
    yield st
    st.close()


def view(client, path: str, **params) -> dict:
    r = client.get(path, params={**params, "format": "json"})
    assert r.status_code == 200, r.text[:300]
    return r.json()


def pairs(store, where: str, role: str) -> set[tuple[str, str]]:
    return {(r["ag"], r["task"]) for r in store.query_values(
        P + f"SELECT DISTINCT ?task ?ag WHERE {{ {LOADED} {where} ?task ttdn:{role} ?ag }}")}


# -- agency–task view -------------------------------------------------------------------------------------------
def test_agency_view_has_lead_and_support_edges_matching_the_store(client, store):
    g = view(client, "/views/agencies")
    assert not g["truncated"]
    ids = {n["id"] for n in g["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in g["edges"])
    got = {k: {(e["source"], e["target"]) for e in g["edges"] if e["kind"] == k} for k in ("lead", "support")}
    assert got["lead"] == pairs(store, "", "leadAgency") != set()
    assert got["support"] == pairs(store, "", "supportAgency") != set()
    styles = {k: {(e["dashes"], e["color"]) for e in g["edges"] if e["kind"] == k} for k in ("lead", "support")}
    assert len(styles["lead"]) == len(styles["support"]) == 1 and styles["lead"] != styles["support"]
    assert {s[0] for s in styles["lead"]} == {False} and {s[0] for s in styles["support"]} == {True}
    kinds = Counter(n["kind"] for n in g["nodes"])
    assert kinds["task"] and kinds["agency"] and kinds["group"]
    # every node links to its own page
    assert all(n["url"] == page_url(n["id"], store.base) for n in g["nodes"])
    # legend: one entry per agency type drawn, in the colour the nodes have
    legend = {i["color"] for i in g["legend"] if i["kind"] == "node"}
    assert {n["color"] for n in g["nodes"]} <= legend


def test_agency_view_filters(client, store):
    unit = store.query_values(P + "SELECT ?u (COUNT(?t) AS ?n) WHERE { ?p ttdn:jurisdiction ?u ; ttdn:hasTask ?t } "
                              "GROUP BY ?u ORDER BY DESC(?n) ?u LIMIT 1")[0]["u"]
    g = view(client, "/views/agencies", jurisdiction=unit)
    tasks = {n["id"] for n in g["nodes"] if n["kind"] == "task"}
    expected = {t for _, t in pairs(store, f"?plan ttdn:jurisdiction <{unit}> .", "leadAgency")}
    assert expected and expected <= tasks
    in_unit = {r["t"] for r in store.query_values(P + f"SELECT ?t WHERE {{ ?p ttdn:jurisdiction <{unit}> ; "
                                                     "ttdn:hasTask ?t }")}
    assert tasks <= in_unit
    label = store.query_values(f"SELECT ?l WHERE {{ <{unit}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}")[0]["l"]
    assert view(client, "/views/agencies", jurisdiction=label.upper())["nodes"] == g["nodes"]

    g = view(client, "/views/agencies", agencyType="department")
    agencies = [n for n in g["nodes"] if n["kind"] in ("agency", "group")]
    assert agencies and all(n["group"] == "department" for n in agencies)

    year_rows = store.query_values(P + "SELECT DISTINCT ?plan WHERE { ?plan ttdn:hasTask ?t ; ttdn:periodStart ?s ; "
                                   "ttdn:periodEnd ?e FILTER(YEAR(?s) <= 2019 && YEAR(?e) >= 2019) }")
    g19 = view(client, "/views/agencies", year="2019")
    plans19 = {r["plan"] for r in year_rows}
    task_plan = {r["t"]: r["p"] for r in store.query_values(P + "SELECT ?t ?p WHERE { ?p ttdn:hasTask ?t }")}
    assert plans19 and {task_plan[n["id"]] for n in g19["nodes"] if n["kind"] == "task"} <= plans19
    assert view(client, "/views/agencies", year="1990")["nodes"] == []

    theme = store.query_values(P + "SELECT ?th (COUNT(?t) AS ?n) WHERE { ?t ttdn:theme ?th ; ttdn:leadAgency ?a } "
                               "GROUP BY ?th ORDER BY DESC(?n) ?th LIMIT 1")[0]["th"]
    gt = view(client, "/views/agencies", theme=theme.rsplit("/", 1)[-1])
    with_theme = {r["t"] for r in store.query_values(P + f"SELECT ?t WHERE {{ ?t ttdn:theme <{theme}> }}")}
    assert {n["id"] for n in gt["nodes"] if n["kind"] == "task"} <= with_theme != set()


def test_agency_view_cap(client):
    full = view(client, "/views/agencies")
    g = view(client, "/views/agencies", limit=15)
    assert g["truncated"] and 0 < len(g["nodes"]) <= 15 < full["total_nodes"] == g["total_nodes"]
    assert "Showing" in g["message"]
    ids = {n["id"] for n in g["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in g["edges"])
    assert view(client, "/views/agencies", limit=10**6)["limit"] == 600
    s = BeautifulSoup(client.get("/views/agencies", params={"limit": 15}).text, "html.parser")
    assert "Showing" in s.select_one("#view-message").get_text()


def test_agency_view_page_is_self_contained(client):
    r = client.get("/views/agencies")
    assert r.status_code == 200
    s = BeautifulSoup(r.text, "html.parser")
    assert [t["src"] for t in s.find_all("script", src=True)] == ["/views/lib/vis-network.min.js"]
    assert external_urls(r.text, {"testserver"}) == []
    assert client.get("/views/lib/vis-network.min.js").status_code == 200
    assert client.get("/views/lib/vis-network.css").status_code == 200
    assert client.get("/views/lib/template.html").status_code == 404
    inline = s.find("script", src=False).string
    options = json.loads(json.loads(re.search(r"JSON\.parse\((\".*?\")\)", inline).group(1)))
    assert options["physics"]["stabilization"]["iterations"] == 150
    assert "setOptions({ physics: false })" in inline and "window.network = network" in inline
    assert s.select("#legend li") and "cdn" not in r.text.lower()


# -- cascade ----------------------------------------------------------------------------------------------------
def test_cascade_down_uses_the_closure(client, store):
    root = store.query_values(P + "SELECT ?i WHERE { ?i ttdn:number '1486/QĐ-TTg' }")[0]["i"]
    g = view(client, "/views/cascade", instrument=root)
    below = {r["x"] for r in store.query_values(P + f"SELECT ?x WHERE {{ ?x ttdn:derivesFrom <{root}> }}")}
    assert below and {n["id"] for n in g["nodes"]} == below | {root}
    assert view(client, "/views/cascade", instrument="1486/qđ-ttg")["nodes"] == g["nodes"]


def test_cascade_up_levels_and_edges(client, store):
    plan = store.query_values(P + "SELECT ?p (COUNT(?x) AS ?n) WHERE { ?p ttdn:hasTask ?t ; ttdn:derivesFrom ?x } "
                              "GROUP BY ?p ORDER BY DESC(?n) ?p LIMIT 1")[0]["p"]
    g = view(client, "/views/cascade", plan=plan, direction="up")
    above = {r["x"] for r in store.query_values(P + f"SELECT ?x WHERE {{ <{plan}> ttdn:derivesFrom ?x }}")}
    assert {n["id"] for n in g["nodes"]} == above | {plan}
    level = {n["id"]: n["level"] for n in g["nodes"]}
    assert level[plan] >= 3  # a local plan sits at province level or below
    direct = {(r["s"], r["k"].rsplit("#", 1)[-1], r["o"]) for r in store.query_values(
        P + f"SELECT ?s ?k ?o WHERE {{ VALUES ?k {{ ttdn:legalBasis ttdn:implements }} ?s ?k ?o . "
            f"FILTER(?s IN ({', '.join(f'<{x}>' for x in level)}) && ?o IN ({', '.join(f'<{x}>' for x in level)})) }}")}
    assert {(e["source"], e["kind"], e["target"]) for e in g["edges"]} == direct
    for e in g["edges"]:
        assert level[e["target"]] <= level[e["source"]], e  # authority flows down the tiers
    kinds = {e["kind"]: (e["dashes"], e["color"]) for e in g["edges"]}
    assert "legalBasis" in kinds
    if "implements" in kinds:
        assert kinds["implements"] != kinds["legalBasis"]
    page = client.get("/views/cascade", params={"plan": plan, "direction": "up"})
    assert page.status_code == 200 and '"hierarchical"' in page.text.replace("\\", "")


def test_cascade_unknown_and_empty(client):
    assert client.get("/views/cascade", params={"instrument": "9999/XX-YY", "format": "json"}).status_code == 404
    assert client.get("/views/cascade", params={"instrument": "9999/XX-YY"}).status_code == 404
    r = client.get("/views/cascade")
    assert r.status_code == 200 and "/views/cascade?instrument=" in r.text


def test_tiers():
    assert symbol_tier("26-CT/TW") == 0
    assert symbol_tier("1486/QĐ-TTg") == 1
    assert symbol_tier("22/2016/TT-BTTTT") == 2
    assert symbol_tier("18/2014/QĐ-UBND") is None
    assert tier_of({f"{TTDN}District"}, {"peoples-committee"}, "5/KH-UBND") == 4
    assert tier_of(set(), {"ministry"}, None) == 2
    assert tier_of({f"{TTDN}Country"}, set(), None) == 1


# -- escaping ---------------------------------------------------------------------------------------------------
def test_render_network_cannot_be_broken_out_of():
    evil = "</script><script>alert(1)</script><!--"
    g = ViewGraph("t", nodes=[ViewNode("urn:x", evil, tooltip(evil, IMG), "task", "#fff", "/id/x")])
    html = str(render_network(g))
    assert html.count("</script>") == 1 and "<script>alert" not in html and "<!--" not in html
    assert "\\u003c/script\\u003e" in html and "\\u0026lt;img" in html  # label JSON-escaped, title HTML+JSON


@pytest.fixture(scope="module")
def xss_client(tmp_path_factory):
    path = build_xss_store(tmp_path_factory.mktemp("xss_views"))
    app, st = make_app(path), oracle(path)
    with TestClient(app) as c:
        yield c, st
    st.close()


def test_views_escape_document_text(xss_client):
    client, store = xss_client
    root = store.query_values(P + "SELECT ?i WHERE { ?i ttdn:number '1486/QĐ-TTg' }")[0]["i"]
    plan = store.query_values(P + f"SELECT ?p WHERE {{ ?p ttdn:number '{XSS_NUMBER}' }}")[0]["p"]
    for path, params in (("/views/agencies", {}), ("/views/cascade", {"instrument": root}),
                         ("/views/agencies", {"plan": plan}), ("/views/cascade", {"plan": plan})):
        r = client.get(path, params=params)
        assert r.status_code == 200
        assert SCRIPT not in r.text and "<img src=x" not in r.text, path
        s = BeautifulSoup(r.text, "html.parser")
        assert len(s.find_all("script")) == 2 and not s.find("img")
        data = client.get(path, params={**params, "format": "json"}).json()
        labels = " ".join(n["label"] + n["title"] for n in data["nodes"])
        if path.endswith("agencies"):
            assert "&lt;img src=x onerror=window.__xss=1&gt;" in labels  # titles are escaped HTML
            assert "\\u003cscript\\u003e" in r.text and "\\u0026lt;img src=x" in r.text
        else:
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in labels


def test_an_instrument_is_found_by_its_lookup_key_or_in_an_older_store_by_its_number(tmp_path):
    from ttdn_graph.store import open_store
    from ttdn_graph.web.views import _find_instrument

    st = open_store(str(tmp_path / "s"))
    iri = "https://w3id.org/ttdn/id/instrument/qd/2018/1486-qd-ttg"
    st.update(f"""INSERT DATA {{ GRAPH <http://e/g> {{
        <{iri}> <https://w3id.org/ttdn/ontology#number> "1486/QĐ-TTg" ;
                <http://www.w3.org/2004/02/skos/core#hiddenLabel> "1486/qđ-ttg" }} }}""")
    assert _find_instrument(st, " 1486 / qđ-TTg ") == iri
    st.update("DELETE WHERE { GRAPH ?g { ?x <http://www.w3.org/2004/02/skos/core#hiddenLabel> ?k } }")
    assert _find_instrument(st, "1486/qđ-ttg") == iri  # a store loaded before look-up keys: the number is scanned
    assert _find_instrument(st, "1487/QĐ-TTg") is None
    st.close()


@pytest.mark.parametrize("path, params", [("/views/agencies", {"jurisdiction": "kon-tum"}),
                                          ("/views/cascade", {"instrument": "1486/QĐ-TTg"})])
def test_every_view_is_also_csv_with_the_same_filters(client, path, params):
    """The CSV of a view is its edges (and lone nodes): the same graph as its JSON, for the same URL."""
    import csv
    import io

    graph = view(client, path, **params)
    r = client.get(path, params={**params, "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {(x["source"], x["relation"], x["target"]) for x in rows if x["relation"]} == {
        (e["source"], e["kind"], e["target"]) for e in graph["edges"]}
    named = {n["id"]: n["label"] for n in graph["nodes"]}
    assert all(named[x["source"]] == x["source_label"] for x in rows)
    assert {x["source"] for x in rows} | {x["target"] for x in rows if x["target"]} == set(named)
    assert client.get(path, params={**params, "format": "xlsx"}).status_code == 400
