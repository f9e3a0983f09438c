"""Linked-data pages, the index, search and the editor page, against the seed store (and an XSS fixture store)."""

from __future__ import annotations

import re

import pytest
import rdflib
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from pages_fixtures import SCRIPT, XSS_NUMBER, build_xss_store, external_urls, make_app, oracle
from rdflib.compare import isomorphic

from ttdn_graph.web.pages import negotiate, page_url

TTDN = "https://w3id.org/ttdn/ontology#"
P = f"PREFIX ttdn: <{TTDN}>\nPREFIX prov: <http://www.w3.org/ns/prov#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"


@pytest.fixture(scope="module")
def app(seed_store_path):  # seed_store_path: tests/api_fixtures.py
    app = make_app(seed_store_path)
    yield app
    app.state.executor.close()


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app) as c:  # lifespan: pages read the graph through the query workers
        yield c


@pytest.fixture(scope="module")
def store(seed_store_path):
    st = oracle(seed_store_path)
    yield st
    st.close()


def url(store, iri: str) -> str:
    return page_url(iri, store.base)


def one(store, sparql: str) -> dict[str, str]:
    rows = store.query_values(P + sparql)
    assert rows, sparql
    return rows[0]


def soup(r) -> BeautifulSoup:
    assert r.status_code == 200, (r.status_code, r.text[:300])
    return BeautifulSoup(r.text, "html.parser")


# -- index ------------------------------------------------------------------------------------------------------
def test_index_counts_match_sparql(client, store):
    s = soup(client.get("/"))
    rows = {tr["data-class"]: int(tr.find("td").get_text()) for tr in s.select("tr[data-class]")}
    for cls in ("Plan", "Task", "Agency", "AgencyGroup", "LegalInstrument", "AdministrativeUnit"):
        n = int(one(store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ttdn:{cls} }}")["n"])
        assert rows[TTDN + cls] == n, cls
    loaded = int(one(store, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a ttdn:Plan ; prov:wasDerivedFrom ?d . "
                            "?d a ttdn:SourceDocument }")["n"])
    assert rows["loaded-plans"] == loaded > 0
    # jurisdictions with their plan counts
    expected = {r["u"]: int(r["n"]) for r in store.query_values(P + """SELECT ?u (COUNT(DISTINCT ?p) AS ?n) WHERE {
        ?p a ttdn:Plan ; prov:wasDerivedFrom ?d ; ttdn:jurisdiction ?u . ?d a ttdn:SourceDocument } GROUP BY ?u""")}
    shown = {}
    for a in s.select("section.card a[href^='/id/unit/']"):
        shown[a["href"]] = int(a.find_parent("tr").select_one("td.num").get_text())
    assert shown == {url(store, u): n for u, n in expected.items()}
    hrefs = {a["href"] for a in s.find_all("a")}
    assert {"/queries", "/editor"} <= hrefs


# -- linked-data pages ------------------------------------------------------------------------------------------
def test_plan_page_shows_tasks_and_legal_basis(client, store):
    plan = one(store, "SELECT ?p WHERE { ?p a ttdn:Plan ; ttdn:hasTask ?t ; ttdn:legalBasis ?b } ORDER BY ?p LIMIT 1")["p"]
    s = soup(client.get(url(store, plan)))
    links = {a["href"] for a in s.find_all("a", href=True)}
    tasks = [r["t"] for r in store.query_values(P + f"SELECT ?t WHERE {{ <{plan}> ttdn:hasTask ?t }}")]
    basis = [r["b"] for r in store.query_values(P + f"SELECT ?b WHERE {{ <{plan}> ttdn:legalBasis ?b }}")]
    assert tasks and basis
    task_links = {a["href"] for a in s.select("section.tasks a")}
    assert {url(store, t) for t in tasks} <= task_links
    # the basis in a section of its own (with numbers, dates, titles); tasks and basis are not repeated in the table
    assert {url(store, b) for b in basis} == {a["href"] for a in s.select("section.basis td:first-child a")}
    shown = {tr.th.get_text(" ", strip=True).split()[0] for tr in s.select("table.properties tr")}
    assert not shown & {"ttdn:legalBasis", "ttdn:hasTask", "skos:hiddenLabel", "ttdn:numberKey"}
    assert len(s.select("section.tasks tr.task")) == len(set(tasks))
    label = one(store, f"SELECT ?l WHERE {{ <{plan}> rdfs:label ?l }}")["l"]
    assert s.select_one("#label").get_text() == label
    assert any("/views/cascade?" in h for h in links)


def test_task_page_shows_source_text_and_line_span(client, store):
    r = one(store, """SELECT ?t ?text ?a ?b ?f WHERE { ?t a ttdn:Task ; ttdn:sourceText ?text ; ttdn:lineStart ?a ;
        ttdn:lineEnd ?b ; prov:wasDerivedFrom ?d . ?d ttdn:fileName ?f FILTER(?b > ?a) } ORDER BY ?t LIMIT 1""")
    s = soup(client.get(url(store, r["t"])))
    assert s.select_one("blockquote.source-text").get_text() == r["text"]
    assert s.select_one("#line-span").get_text() == f"{r['a']}–{r['b']}"
    assert r["f"] in s.select_one("section.source").get_text()


def test_agency_and_responsibility_pages_list_the_duties(client, store):
    """Hương Trà's Phòng Văn hóa và Thông tin: what it must do, with the lines, on its page and its responsibility's."""
    rows = store.query_values(P + """SELECT ?a ?r ?d ?text ?line WHERE {
        ?r ttdn:agency ?a ; ttdn:sectionPath "III.2" ; ttdn:hasDuty ?d . ?a rdfs:label ?l
        FILTER(STRSTARTS(?l, "Phòng Văn hóa và Thông tin"))
        ?d ttdn:sourceText ?text ; ttdn:lineStart ?line } ORDER BY ?line""")
    assert [int(r["line"]) for r in rows] == [92, 94, 96, 98, 100]
    agency, resp = rows[0]["a"], rows[0]["r"]
    for page in (agency, resp):
        s = soup(client.get(url(store, page)))
        shown = [(tr.select_one(".duty-lines").get_text(), tr.select_one(".duty-text").get_text())
                 for tr in s.select("section.duties tr.duty[data-role=responsible]")]
        assert shown == [(r["line"], r["text"]) for r in rows], page
        links = {a["href"] for a in s.select("section.duties tr.duty[data-role=responsible] .duty-text a")}
        assert links == {url(store, r["d"]) for r in rows}
    # on the agency's page, also the duties of others that name it as a partner (Công an thị xã, III.5)
    s = soup(client.get(url(store, agency)))
    partner = s.select("section.duties tr.duty[data-role=partner]")
    assert partner and any("Công an thị xã" in tr.get_text() for tr in partner)
    # a duty's own page shows its text and line, and the document it is from
    d = soup(client.get(url(store, rows[0]["d"])))
    assert d.select_one("blockquote.source-text").get_text() == rows[0]["text"]
    assert d.select_one("#line-span").get_text() == "92"


def _outgoing(store, iri: str) -> set[tuple[str, str]]:
    return {(str(x["p"]), str(x["o"])) for x in store.query(f"SELECT DISTINCT ?p ?o WHERE {{ <{iri}> ?p ?o }}")}


def _rdflib_pairs(g: rdflib.Graph, iri: str) -> set[tuple[str, str]]:
    return {(p.n3(), o.n3()) for p, o in g.predicate_objects(rdflib.URIRef(iri))}


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                                             ("application/n-triples", "nt")])
def test_content_negotiation(client, store, accept, fmt):
    iri = one(store, "SELECT ?i WHERE { ?i ttdn:number '1486/QĐ-TTg' }")["i"]
    r = client.get(url(store, iri), headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    g = rdflib.Graph().parse(data=r.content, format=fmt)
    expected = _outgoing(store, iri)
    got = _rdflib_pairs(g, iri)
    assert len(expected) > 3 and len(got) == len(expected)
    # incoming links are in the subgraph too
    incoming = store.query(f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p <{iri}> }}")
    assert incoming and all((rdflib.URIRef(x["s"].value), rdflib.URIRef(x["p"].value), rdflib.URIRef(iri)) in g
                            for x in incoming)


def test_suffix_forms_equal_negotiated_forms(client, store):
    iri = one(store, "SELECT ?p WHERE { ?p a ttdn:Plan ; ttdn:hasTask ?t } ORDER BY ?p LIMIT 1")["p"]
    page = url(store, iri)
    ttl = rdflib.Graph().parse(data=client.get(page, headers={"Accept": "text/turtle"}).content, format="turtle")
    for suffix, fmt in ((".ttl", "turtle"), (".jsonld", "json-ld"), (".nt", "nt")):
        g = rdflib.Graph().parse(data=client.get(page + suffix).content, format=fmt)
        assert isomorphic(g, ttl), suffix
    assert _rdflib_pairs(ttl, iri) and len(_rdflib_pairs(ttl, iri)) == len(_outgoing(store, iri))
    assert client.get(page, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}).headers[
        "content-type"].startswith("text/html")


def test_accept_parsing():
    assert negotiate("text/turtle;q=0.5, application/ld+json") == "jsonld"
    assert negotiate("*/*") == "html"
    assert negotiate(None) == "html"
    assert negotiate("image/png") is None
    assert negotiate("application/n-triples;q=0, text/turtle;q=0.1") == "ttl"


def test_unknown_iri_is_404(client, store):
    r = client.get("/id/instrument/qd/1900/no-such-thing")
    assert r.status_code == 404 and "no-such-thing" in r.text and "text/html" in r.headers["content-type"]
    assert client.get("/id/instrument/qd/1900/no-such-thing.ttl").status_code == 404
    assert client.get("/id/instrument/qd/1900/nothing", headers={"Accept": "text/turtle"}).status_code == 404
    assert client.get("/resource", params={"iri": "http://example.org/unknown"}).status_code == 404
    assert client.get("/resource", params={"iri": "http://example.org/x> } <y"}).status_code == 404


def test_ontology_terms_and_concepts_dereference(client, store):
    s = soup(client.get("/resource", params={"iri": TTDN + "Task"}))
    assert s.select_one("#label").get_text() in ("Nhiệm vụ", "Task")
    concept = one(store, "SELECT ?c WHERE { ?a ttdn:agencyType ?c } ORDER BY ?c LIMIT 1")["c"]
    s = soup(client.get(url(store, concept)))
    assert s.select_one("#label").get_text() != concept  # labelled from ontology/agency-types.ttl


# -- search -----------------------------------------------------------------------------------------------------
def _hits(client, q: str) -> set[str]:
    s = soup(client.get("/search", params={"q": q}))
    return {a["href"] for a in s.select("table.results a")}


def test_search_by_number_and_name(client, store):
    iri = one(store, "SELECT ?i WHERE { ?i ttdn:number '1486/QĐ-TTg' }")["i"]
    assert url(store, iri) in _hits(client, "1486/QĐ-TTg")
    assert url(store, iri) in _hits(client, "1486/qđ-ttg")
    agencies = {url(store, r["a"]) for r in store.query_values(
        P + "SELECT ?a WHERE { ?a a ttdn:Agency ; <http://www.w3.org/2004/02/skos/core#altLabel> "
            "'Sở Thông tin và Truyền thông'@vi }")}  # printed so; labelled "… tỉnh X" (organisations)
    assert agencies and agencies <= _hits(client, "Sở Thông tin và Truyền thông")
    assert agencies <= _hits(client, "sở thông tin và truyền thông")
    # both tone placements find the same things
    assert _hits(client, "Uỷ ban nhân dân") == _hits(client, "Ủy ban nhân dân") != set()
    r = client.get("/search", params={"q": "1486/QĐ-TTg", "format": "json"}).json()
    assert any(h["iri"] == iri for h in r["results"])


def test_search_escapes_the_query(client):
    r = client.get("/search", params={"q": SCRIPT})
    assert r.status_code == 200 and SCRIPT not in r.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text


# -- editor and assets ------------------------------------------------------------------------------------------
def test_editor_is_local_and_offline(client):
    s = soup(client.get("/editor"))
    scripts = [t["src"] for t in s.find_all("script", src=True)]
    assert "/static/vendor/yasgui/yasgui.min.js" in scripts and "/static/js/editor.js" in scripts
    assert s.select_one("#yasgui")["data-endpoint"] == "/sparql"
    for path in scripts + [link["href"] for link in s.find_all("link", href=True) if link["href"].startswith("/")]:
        assert client.get(path).status_code == 200, path
    js = client.get("/static/js/editor.js").text
    assert re.search(r'autocompleters = \["prefixes", "variables"\]', js) and "prefixCcApi = null" in js


def test_static_route_stays_in_its_folder(client):
    assert client.get("/static/css/site.css").status_code == 200
    assert client.get("/static/%2e%2e/pages.py").status_code == 404
    assert client.get("/static/..%2fpages.py").status_code == 404


def test_no_external_urls_in_pages(client, store):
    plan = one(store, "SELECT ?p WHERE { ?p a ttdn:Plan ; ttdn:hasTask ?t } ORDER BY ?p LIMIT 1")["p"]
    task = one(store, "SELECT ?t WHERE { ?t a ttdn:Task } ORDER BY ?t LIMIT 1")["t"]
    agency = one(store, "SELECT ?a WHERE { ?a a ttdn:Agency } ORDER BY ?a LIMIT 1")["a"]
    unit = one(store, "SELECT ?u WHERE { ?u a ttdn:Province } ORDER BY ?u LIMIT 1")["u"]
    pages = ["/", "/search?q=s%E1%BB%9F", "/editor", url(store, plan), url(store, task), url(store, agency),
             url(store, unit), "/id/nope", "/views/agencies", "/views/cascade",
             f"/views/cascade?plan={plan}&direction=up", f"/resource?iri={TTDN}Plan"]
    for p in pages:
        r = client.get(p)
        assert r.status_code in (200, 404) and "text/html" in r.headers["content-type"], p
        assert external_urls(r.text, {"testserver"}) == [], p


# -- XSS --------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def xss_client(tmp_path_factory):
    path = build_xss_store(tmp_path_factory.mktemp("xss"))
    app, st = make_app(path), oracle(path)
    with TestClient(app) as c:
        yield c, st
    st.close()


def test_document_markup_is_escaped_on_pages(xss_client):
    client, store = xss_client
    plan = one(store, f"SELECT ?p WHERE {{ ?p ttdn:number '{XSS_NUMBER}' }}")["p"]
    task = one(store, f"SELECT ?t WHERE {{ <{plan}> ttdn:hasTask ?t }}")["t"]
    agencies = [r["a"] for r in store.query_values(P + f"SELECT ?a WHERE {{ VALUES ?r {{ ttdn:leadAgency "
                                                        f"ttdn:supportAgency }} <{task}> ?r ?a . ?a a ttdn:Agency }}")]
    assert len(agencies) == 2
    resp, duty = (lambda r: (r["r"], r["d"]))(one(store, "SELECT ?r ?d WHERE { ?r ttdn:hasDuty ?d }"))
    pages = ["/", url(store, plan), url(store, task), *(url(store, a) for a in agencies), url(store, resp),
             url(store, duty),
             "/search?q=Tuy%C3%AAn+truy%E1%BB%81n", "/search?q=alert", f"/search?q={XSS_NUMBER}"]
    escaped_script = "&lt;script&gt;alert(1)&lt;/script&gt;"
    escaped_img = "&lt;img src=x onerror=window.__xss=1&gt;"
    seen_img = False
    for p in pages:
        r = client.get(p)
        assert r.status_code == 200, p
        assert SCRIPT not in r.text and "<img src=x" not in r.text, p
        s = BeautifulSoup(r.text, "html.parser")
        assert not s.find("img"), p
        assert all("alert" not in (t.string or "") for t in s.find_all("script")), p
        if p != "/":
            assert escaped_script in r.text, p
        seen_img |= escaped_img in r.text
    assert seen_img
    for page in (*agencies, resp):  # the duty's text in the duties table, escaped
        s = BeautifulSoup(client.get(url(store, page)).text, "html.parser")
        assert any(SCRIPT in td.get_text() for td in s.select("section.duties .duty-text")), page
    ttl = client.get(url(store, task) + ".ttl").text  # RDF keeps the text as data
    assert "alert(1)" in ttl and rdflib.Graph().parse(data=ttl, format="turtle")
