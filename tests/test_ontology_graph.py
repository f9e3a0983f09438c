"""The ontology and vocabularies in the store (their own graph, stated once), ttdn:assignedAgency materialised, and
the ontology served at its IRI (/ontology, /vocab/…) by content negotiation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from graph_fixtures import oxigraph_server, seed_records
from pages_fixtures import app_client, make_app
from rdflib.compare import isomorphic

from ttdn_graph.loader import load_paths, load_record
from ttdn_graph.ontology import ONTOLOGY_FILES, ontology_triples, stored_triples, sync_ontology
from ttdn_graph.paths import ontology_dir
from ttdn_graph.resolve.iris import Iris
from ttdn_graph.store import open_store
from ttdn_graph.web.pages import page_url

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "plans"
TTDN = "https://w3id.org/ttdn/ontology#"
VOCAB = "https://w3id.org/ttdn/vocab/"
P = (f"PREFIX ttdn: <{TTDN}>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
     "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX eli: <http://data.europa.eu/eli/ontology#>\n"
     "PREFIX org: <http://www.w3.org/ns/org#>\nPREFIX owl: <http://www.w3.org/2002/07/owl#>\n")


@pytest.fixture(scope="module")
def seeds(seed_store_path):  # the five seed plans loaded by load_paths (tests/api_fixtures.py)
    st = open_store(seed_store_path, read_only=True)
    yield st
    st.close()


def _distinct_file_triples() -> int:
    return len(set(ontology_triples()))


# -- labels and alignments over the default graph ---------------------------------------------------------------
def test_theme_and_agency_type_labels_come_with_a_plain_query(seeds):
    rows = seeds.query_values(P + "SELECT DISTINCT ?t ?label WHERE { ?task ttdn:theme ?t . ?t skos:prefLabel ?label }")
    themes = {r["t"] for r in seeds.query_values(P + "SELECT DISTINCT ?t WHERE { ?task ttdn:theme ?t }")}
    assert themes and {r["t"] for r in rows} == themes  # every theme a task has is labelled
    assert {"Biên giới đất liền", "Land border"} <= {r["label"] for r in rows if r["t"] == VOCAB + "theme/land-border"}
    by_lang = seeds.query_values(P + """SELECT ?t (COUNT(DISTINCT ?l) AS ?n) WHERE { ?task ttdn:theme ?t .
        ?t skos:prefLabel ?l FILTER(LANG(?l) = "en") } GROUP BY ?t""")
    assert {r["t"] for r in by_lang} == themes and {r["n"] for r in by_lang} == {"1"}  # one English label each

    rows = seeds.query_values(P + """SELECT DISTINCT ?type ?label WHERE { ?a ttdn:agencyType ?type .
        ?type skos:prefLabel ?label FILTER(LANG(?label) = "en") }""")
    types = {r["type"] for r in seeds.query_values(P + "SELECT DISTINCT ?type WHERE { ?a ttdn:agencyType ?type }")}
    assert types and {r["type"] for r in rows} == types
    assert {"department"} <= {r["type"].rsplit("/", 1)[-1] for r in rows}
    # instrument types and recurrence too, and the classes
    assert seeds.ask(P + "ASK { ?i ttdn:instrumentType ?c . ?c skos:prefLabel ?l ; skos:inScheme ?s }")
    assert seeds.ask(P + "ASK { ?t ttdn:recurrence ?c . ?c skos:prefLabel ?l }")
    assert seeds.query_values(P + 'SELECT ?l WHERE { ttdn:Task rdfs:label ?l FILTER(LANG(?l) = "en") }') == [
        {"l": "Task"}]


def test_alignments_to_eli_and_org_are_queryable(seeds):
    supers = {r["p"] for r in seeds.query_values(P + "SELECT ?p WHERE { ?p rdfs:subPropertyOf eli:based_on }")}
    assert supers == {TTDN + "legalBasis"}
    # a query written against ELI finds our data through the ontology
    rows = seeds.query_values(P + """SELECT DISTINCT ?plan ?basis WHERE {
        ?p rdfs:subPropertyOf* eli:based_on . ?plan ?p ?basis }""")
    direct = seeds.query_values(P + "SELECT DISTINCT ?plan ?basis WHERE { ?plan ttdn:legalBasis ?basis }")
    assert rows and {(r["plan"], r["basis"]) for r in rows} == {(r["plan"], r["basis"]) for r in direct}
    assert seeds.ask(P + "ASK { ttdn:Agency rdfs:subClassOf org:Organization }")
    assert seeds.ask(P + "ASK { ttdn:derivesFrom a owl:TransitiveProperty . ttdn:implements rdfs:subPropertyOf "
                         "eli:ensures_implementation_of , ttdn:derivesFrom }")


# -- one graph, stated once ---------------------------------------------------------------------------------------
def test_the_ontology_graph_holds_the_files_once(seeds):
    graph = Iris(seeds.base).ontology_graph
    assert graph in seeds.graphs()
    assert seeds.count_triples(graph) == _distinct_file_triples() == len(ontology_triples())
    # no document or inference restates an ontology triple: each is in the store once
    n = seeds.query_values(P + f"""SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o FILTER(isIRI(?s)) }}
        GRAPH ?g {{ ?s ?p ?o }} }}""")
    assert int(n[0]["n"]) == seeds.count_triples(graph) - sum(
        1 for t in ontology_triples() if isinstance(t.subject, ox.BlankNode))


def test_loading_twice_does_not_restate_the_ontology(tmp_path):
    seed = sorted(SEEDS.glob("*.txt"))[0]
    with open_store(str(tmp_path / "store")) as st:
        first = load_paths([seed], st, progress=False)
        assert first.ontology is not None and first.ontology.written
        assert first.ontology.triples == _distinct_file_triples()
        assert any(line.startswith("ontology: ") and line.endswith("written") for line in first.lines())
        graphs, total = st.graphs(), st.count_triples()
        second = load_paths([seed], st, progress=False)
        assert second.ontology is not None and not second.ontology.written
        assert any(line.endswith("unchanged") for line in second.lines())
        assert st.graphs() == graphs and st.count_triples() == total and second.store_delta == 0
        assert st.count_triples(Iris(st.base).ontology_graph) == _distinct_file_triples()


def test_a_changed_ontology_replaces_the_graph_whole(tmp_path):
    folder = tmp_path / "ontology"
    folder.mkdir()
    for name in ONTOLOGY_FILES:
        shutil.copy(ontology_dir() / name, folder / name)
    with open_store(str(tmp_path / "store")) as st:
        assert sync_ontology(st, folder).written
        old = {str(t) for t in stored_triples(st)}
        text = (folder / "themes.ttl").read_text(encoding="utf-8")
        (folder / "themes.ttl").write_text(text.replace('"Land border"@en', '"Land frontier"@en'), encoding="utf-8")
        again = sync_ontology(st, folder)
        assert again.written
        new = {str(t) for t in stored_triples(st)}
        assert any("Land frontier" in t for t in new) and not any('"Land border"@en' in t for t in new)
        assert len(new) == len(old) == st.count_triples(Iris(st.base).ontology_graph)
        assert not sync_ontology(st, folder).written  # unchanged now: the same blank nodes are not rewritten


def test_the_ontology_graph_on_an_oxigraph_server(tmp_path):
    """The remote path (INSERT DATA with the ontology's blank nodes, read back and compared) states it once too."""
    with oxigraph_server(tmp_path / "server") as endpoint:
        st = open_store(endpoint=endpoint)
        try:
            assert sync_ontology(st).written
            assert not sync_ontology(st).written
            assert st.count_triples(Iris(st.base).ontology_graph) == _distinct_file_triples()
            assert Iris(st.base).ontology_graph in st.graphs()
            assert st.ask(P + f'ASK {{ <{VOCAB}theme/land-border> skos:prefLabel "Land border"@en }}')
        finally:
            st.close()


def test_validate_reads_the_ontology_from_the_files_not_twice(seed_store_path):
    from ttdn_graph.validate import _load_dataset

    ds, note = _load_dataset(seed_store_path, None)
    graphs = {str(g.identifier) for g in ds.graphs()}
    assert not any(g.endswith("/graph/ontology") for g in graphs)
    assert any(g.endswith("/graph/inferred") for g in graphs) and "quads from" in note


# -- ttdn:assignedAgency ------------------------------------------------------------------------------------------
def test_every_lead_and_support_agency_is_an_assigned_agency(seeds):
    roles = {(r["t"], r["a"]) for r in seeds.query_values(
        P + "SELECT DISTINCT ?t ?a WHERE { ?t ttdn:leadAgency|ttdn:supportAgency ?a }")}
    assigned = {(r["t"], r["a"]) for r in seeds.query_values(
        P + "SELECT DISTINCT ?t ?a WHERE { ?t ttdn:assignedAgency ?a }")}
    assert roles and assigned == roles
    # once, in the inferred graph, and every subject a task
    inf = Iris(seeds.base).inferred_graph
    where = seeds.query_values(P + "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?t ttdn:assignedAgency ?a } }")
    assert [r["g"] for r in where] == [inf]
    n = seeds.query_values(P + "SELECT (COUNT(*) AS ?n) WHERE { ?t ttdn:assignedAgency ?a }")
    assert int(n[0]["n"]) == len(roles)
    assert not seeds.ask(P + "ASK { ?t ttdn:assignedAgency ?a FILTER NOT EXISTS { ?t a ttdn:Task } }")
    # the ontology says why: both roles are its sub-properties
    subs = {r["p"] for r in seeds.query_values(P + "SELECT ?p WHERE { ?p rdfs:subPropertyOf ttdn:assignedAgency }")}
    assert subs == {TTDN + "leadAgency", TTDN + "supportAgency"}


def test_assigned_agency_follows_a_reload_that_drops_a_role(tmp_path):
    from ttdn_graph.store import recompute_inferred

    rec = seed_records()[0]
    with open_store(str(tmp_path / "store")) as st:
        load_record(st, rec)
        assert recompute_inferred(st).assigned > 0
        task = next(t for t in rec.tasks if t.lead)
        task.lead, task.support = [], []
        load_record(st, rec)
        summary = recompute_inferred(st)
        assert summary.removed > 0
        roles = st.query_values(P + "SELECT DISTINCT ?t ?a WHERE { ?t ttdn:leadAgency|ttdn:supportAgency ?a }")
        assigned = st.query_values(P + "SELECT DISTINCT ?t ?a WHERE { ?t ttdn:assignedAgency ?a }")
        assert {(r["t"], r["a"]) for r in roles} == {(r["t"], r["a"]) for r in assigned}
        assert summary.assigned == len(roles)


# -- served at its IRIs -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def client(seed_store_path):
    with app_client(seed_store_path) as c:
        yield c


def _soup(r) -> BeautifulSoup:
    assert r.status_code == 200 and "text/html" in r.headers["content-type"], (r.status_code, r.text[:300])
    return BeautifulSoup(r.text, "html.parser")


def test_get_ontology_answers_html_with_an_anchor_per_term(client):
    s = _soup(client.get("/ontology"))
    assert s.select_one("#label").get_text() == "Bản thể học kế hoạch thông tin đối ngoại"
    onto = rdflib.Graph().parse(ROOT / "ontology" / "ttdn.ttl")
    terms = {str(x) for x in onto.subjects(rdflib.RDF.type, None) if str(x).startswith(TTDN)}
    anchors = {t["id"] for t in s.select("div.term[id]")}
    assert {t[len(TTDN):] for t in terms} == anchors
    task = s.select_one("#Task")
    assert "Nhiệm vụ" in task.get_text() and "Task" in task.get_text()
    lead = s.select_one("#leadAgency").get_text()
    assert "assigned agency" in lead.lower() or "cơ quan được giao" in lead
    assert "http://data.europa.eu/eli/ontology#based_on" in str(s.select_one("#aligned"))
    # the RDF forms are linked and answer
    for link in s.find_all("link", rel="alternate"):
        assert client.get(link["href"]).status_code == 200, link["href"]
    assert "/ontology" in {a["href"] for a in s.select("footer a")}


@pytest.mark.parametrize("how", ["accept", "suffix", "param"])
def test_get_ontology_answers_turtle_with_the_ontologys_triples(client, how):
    r = {"accept": lambda: client.get("/ontology", headers={"Accept": "text/turtle"}),
         "suffix": lambda: client.get("/ontology.ttl"),
         "param": lambda: client.get("/ontology", params={"format": "ttl"})}[how]()
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    got = rdflib.Graph().parse(data=r.text, format="turtle")
    assert isomorphic(got, rdflib.Graph().parse(ROOT / "ontology" / "ttdn.ttl"))  # the ontology, not the schemes


def test_get_ontology_answers_json_ld_and_refuses_what_it_cannot_give(client):
    r = client.get("/ontology", headers={"Accept": "application/ld+json"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/ld+json")
    got = rdflib.Graph().parse(data=r.text, format="json-ld")
    assert isomorphic(got, rdflib.Graph().parse(ROOT / "ontology" / "ttdn.ttl"))
    assert client.get("/ontology", headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/ontologyx").status_code == 404
    assert client.get("/ontology.exe").status_code == 404


def test_vocabulary_iris_dereference(client, seeds):
    s = _soup(client.get("/vocab/theme/land-border"))
    assert s.select_one("#label").get_text() == "Biên giới đất liền"
    r = client.get("/vocab/theme/land-border", headers={"Accept": "text/turtle"})
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    concept = rdflib.URIRef(VOCAB + "theme/land-border")
    assert rdflib.Literal("Land border", lang="en") in set(g.objects(concept, rdflib.SKOS.prefLabel))
    assert client.get("/vocab/agency-type/department.ttl").status_code == 200
    scheme = _soup(client.get("/vocab/theme"))
    assert scheme.select_one("#label").get_text() == "Chủ đề thông tin đối ngoại"
    assert client.get("/vocab/theme/no-such-theme").status_code == 404


def test_pages_link_ontology_terms_and_concepts_to_their_iris_pages(client, seeds):
    assert page_url(TTDN + "Task", seeds.base) == "/ontology#Task"
    assert page_url("https://w3id.org/ttdn/ontology", seeds.base) == "/ontology"
    assert page_url(VOCAB + "theme/land-border", seeds.base) == "/vocab/theme/land-border"
    task = seeds.query_values(P + f"SELECT ?t WHERE {{ ?t ttdn:theme <{VOCAB}theme/land-border> }} LIMIT 1")[0]["t"]
    s = _soup(client.get(page_url(task, seeds.base)))
    hrefs = {a["href"] for a in s.find_all("a", href=True)}
    assert "/ontology#Task" in hrefs and "/vocab/theme/land-border" in hrefs
    anchors = {t["id"] for t in _soup(client.get("/ontology")).select("[id]")}
    assert {h.split("#", 1)[1] for h in hrefs if h.startswith("/ontology#")} <= anchors


def test_a_store_without_the_ontology_graph_still_serves_it(tmp_path):
    """A store loaded before it had an ontology graph (or by other means): /ontology reads ontology/ttdn.ttl."""
    path = tmp_path / "store"
    with open_store(str(path)) as st:
        load_record(st, seed_records()[0])
        assert Iris(st.base).ontology_graph not in st.graphs()
    app = make_app(path)
    try:
        c = TestClient(app)  # no lifespan: the query workers start with the first query, closed below
        s = _soup(c.get("/ontology"))
        assert s.select_one("#Task") and "not in this store" in s.get_text()
        got = rdflib.Graph().parse(data=c.get("/ontology.ttl").text, format="turtle")
        assert isomorphic(got, rdflib.Graph().parse(ROOT / "ontology" / "ttdn.ttl"))
        assert _soup(c.get("/vocab/theme/land-border")).select_one("#label").get_text() == "Biên giới đất liền"
    finally:
        app.state.executor.close()
