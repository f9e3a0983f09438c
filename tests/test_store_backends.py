"""The five seed plans in a store — embedded Oxigraph and a real Oxigraph server — answer the research questions."""

from __future__ import annotations

import io
import json
from collections import Counter

import pytest
import rdflib
from graph_fixtures import TTDN, oxigraph_server, seed_records

from ttdn_graph.loader import load_paths, load_record
from ttdn_graph.resolve.agencies import expand
from ttdn_graph.resolve.iris import Iris
from ttdn_graph.store import EmbeddedStore, RemoteStore, StoreError, open_store, recompute_inferred

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")  # rdflib's own parsers


@pytest.fixture(scope="module", params=["embedded", "remote"])
def store(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "embedded":
        st = open_store(str(folder / "store"))
        yield from _loaded(st)
    else:
        with oxigraph_server(folder / "server") as endpoint:
            st = open_store(endpoint=endpoint)
            assert isinstance(st, RemoteStore) and st.update_endpoint.endswith("/update")
            yield from _loaded(st)


def _loaded(st):
    for rec in seed_records():
        load_record(st, rec)
    recompute_inferred(st)
    yield st
    st.close()


def plans_by_unit(store, where: str) -> set[str]:
    rows = store.query_values(TTDN + f"""SELECT DISTINCT ?unit WHERE {{
        {where}
        ?plan ttdn:jurisdiction ?u . ?u rdfs:label ?unit }}""")
    return {r["unit"] for r in rows}


def test_five_plans_with_tasks(store):
    rows = store.query_values(TTDN + "SELECT DISTINCT ?plan WHERE { ?plan ttdn:hasTask [] }")
    assert len(rows) == 5
    assert len(store.graphs()) == 7  # five documents, the entities graph and the inferred graph


@pytest.mark.parametrize("path", ["ttdn:derivesFrom+", "(ttdn:legalBasis|ttdn:implements)+", "ttdn:derivesFrom"])
def test_who_took_up_decision_1486(store, path):
    found = plans_by_unit(store, f'?plan ttdn:hasTask [] ; {path} ?i . ?i ttdn:number "1486/QĐ-TTg" .')
    assert found == {"Kon Tum", "Quảng Ninh"}


def test_cascade_depth_is_materialised(store):
    rows = store.query_values(TTDN + """SELECT DISTINCT ?plan ?depth WHERE {
        ?d ttdn:derivationSource ?plan ; ttdn:derivationTarget ?i ; ttdn:cascadeDepth ?depth .
        ?i ttdn:number "1486/QĐ-TTg" . ?plan ttdn:hasTask [] }""")
    assert sorted(r["depth"] for r in rows) == ["1", "1"]


TTDN_IRI = "https://w3id.org/ttdn/ontology#"
SKOS_PREFIX = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"


def test_shared_nodes_have_one_preferred_label_and_instruments_a_lookup_key(store):
    inf = Iris(store.base).inferred_graph
    rows = store.query_values(TTDN + SKOS_PREFIX + f"""SELECT ?u ?l (COUNT(DISTINCT ?g) AS ?graphs) WHERE {{
        GRAPH <{inf}> {{ ?u skos:prefLabel ?l }} GRAPH ?g {{ ?u a ttdn:AdministrativeUnit ; rdfs:label ?l }}
    }} GROUP BY ?u ?l""")
    labels = {r["u"].rsplit("/", 1)[-1]: r["l"] for r in rows}
    assert labels["kon-tum"] == "Kon Tum" and labels["hai-duong"] == "Hải Dương"
    assert int(next(r["graphs"] for r in rows if r["l"] == "Kon Tum")) >= 1
    # one preferred label per unit, in the inferred graph only
    units = {r["u"] for r in store.query_values(TTDN + "SELECT DISTINCT ?u WHERE { ?u a ttdn:AdministrativeUnit }")}
    pref = store.query_values(TTDN + SKOS_PREFIX + "SELECT DISTINCT ?u ?l WHERE { GRAPH ?g { ?u skos:prefLabel ?l } }")
    per_unit = Counter(r["u"] for r in pref if r["u"] in units)
    assert set(per_unit) == units and set(per_unit.values()) == {1}
    keys = store.query_values(TTDN + SKOS_PREFIX + 'SELECT DISTINCT ?i WHERE { ?i skos:hiddenLabel "1486/qđ-ttg" }')
    assert [r["i"] for r in keys] == ["https://w3id.org/ttdn/id/instrument/qd/2018/1486-qd-ttg"]


def test_decree_72_is_one_node_cited_by_three_plans(store):
    nodes = store.query_values(TTDN + 'SELECT DISTINCT ?i WHERE { ?i ttdn:number "72/2015/NĐ-CP" }')
    assert [r["i"] for r in nodes] == ["https://w3id.org/ttdn/id/instrument/nd/2015/72-2015-nd-cp"]
    found = plans_by_unit(store, '?plan ttdn:hasTask [] ; ttdn:legalBasis|ttdn:cites ?i . '
                                 '?i ttdn:number "72/2015/NĐ-CP" .')
    assert found == {"Hải Dương", "Kon Tum", "Hưng Yên"}


def test_huong_tra_rests_on_the_provinces_plan(store):
    rows = store.query_values(TTDN + """SELECT DISTINCT ?i ?issuer ?prov ?within WHERE {
        ?plan ttdn:hasTask [] ; ttdn:jurisdiction ?ht ; ttdn:legalBasis ?i .
        ?ht rdfs:label "Hương Trà"@vi ; ttdn:withinUnit ?within .
        ?i a ttdn:Plan ; ttdn:number "12/KH-UBND" ; ttdn:issuedBy ?a .
        ?a rdfs:label ?issuer ; ttdn:jurisdiction ?p . ?p rdfs:label ?prov }""")
    assert len(rows) == 1
    r = rows[0]
    assert r["issuer"] == "Ủy ban nhân dân tỉnh Thừa Thiên Huế" and r["prov"] == "Thừa Thiên Huế"
    assert r["within"] == "https://w3id.org/ttdn/id/unit/thua-thien-hue"
    assert r["i"] == "https://w3id.org/ttdn/id/instrument/kh/2022/thua-thien-hue/12-kh-ubnd"
    assert store.ask(TTDN + "ASK { <https://w3id.org/ttdn/id/unit/thua-thien-hue/huong-tra> ttdn:within "
                            "<https://w3id.org/ttdn/id/unit/vn> }")


def test_lead_and_support_edges_match_the_records(store):
    for rec in seed_records():
        for role, attr in (("leadAgency", "lead"), ("supportAgency", "support")):
            rows = store.query_values(TTDN + f"""SELECT ?path (COUNT(DISTINCT ?a) AS ?n)
                (GROUP_CONCAT(DISTINCT ?l; separator="\\u0001") AS ?labels) WHERE {{
                GRAPH <{_graph(rec)}> {{ ?t ttdn:sectionPath ?path ; ttdn:{role} ?a .
                                         ?s ttdn:about ?a ; ttdn:statedLabel|ttdn:statedAltLabel ?l }} }}
                GROUP BY ?path""")
            got = {r["path"]: (int(r["n"]), set(r["labels"].split("\u0001"))) for r in rows}
            want = {t.id: set(getattr(t, attr)) for t in rec.tasks if getattr(t, attr)}
            assert set(got) == set(want), (rec.source, role)
            for tid, names in want.items():
                assert got[tid][0] == len(names), (rec.source, tid, role)
                assert {expand(n) for n in names} <= got[tid][1]


def _graph(rec):
    from ttdn_graph.graph import source_graph

    return source_graph(rec.source)


def test_reloading_everything_changes_nothing(store):
    before = store.count_triples()
    per_graph = {g: store.count_triples(g) for g in store.graphs()}
    for rec in seed_records():
        load_record(store, rec, loaded_at="2030-01-01T00:00:00+00:00")
    summary = recompute_inferred(store)
    assert (summary.added, summary.removed) == (0, 0)
    assert store.count_triples() == before
    assert {g: store.count_triples(g) for g in store.graphs()} == per_graph


@pytest.mark.parametrize("fmt", ["nq", "trig", "jsonld", "ttl"])
def test_export_parses_back_with_rdflib(store, fmt, tmp_path):
    out = tmp_path / f"dump.{fmt}"
    store.export(fmt, out)
    if fmt == "ttl":
        g = rdflib.Graph().parse(out, format="turtle")
        distinct = store.query_values("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o "
                                      "WHERE { GRAPH ?g { ?s ?p ?o } } }")
        assert len(g) == int(distinct[0]["n"])
    else:
        ds = rdflib.Dataset()
        ds.parse(out, format={"nq": "nquads", "trig": "trig", "jsonld": "json-ld"}[fmt])
        assert len(list(ds.quads((None, None, None, None)))) == store.count_triples()


def test_dataset_and_raw_results(store):
    ds = store.dataset()
    assert len(list(ds.quads((None, None, None, None)))) == store.count_triples()
    body, ctype = store.query_raw(TTDN + "SELECT ?n WHERE { ?i ttdn:number ?n } LIMIT 2",
                                  "application/sparql-results+json")
    assert ctype == "application/sparql-results+json"
    assert len(json.loads(body)["results"]["bindings"]) == 2
    body, ctype = store.query_raw("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", "text/csv")
    assert ctype == "text/csv" and body.startswith(b"s\r\n")
    triples = store.construct(TTDN + "CONSTRUCT { ?i ttdn:number ?n } WHERE { ?i ttdn:number ?n }")
    assert len(triples) > 20
    with pytest.raises(StoreError):
        store.query("SELEC nonsense")


def test_replace_and_drop_graph(store):
    g = "https://w3id.org/ttdn/id/source/scratch"
    s = rdflib.URIRef("https://w3id.org/ttdn/id/x")
    import pyoxigraph as ox

    q = [ox.Quad(ox.NamedNode(str(s)), ox.NamedNode("https://w3id.org/ttdn/ontology#n"), ox.Literal(str(i)),
                 ox.NamedNode(g)) for i in range(3)]
    store.replace_graph(g, q)
    assert store.count_triples(g) == 3
    store.replace_graph(g, q[:1])
    assert store.count_triples(g) == 1
    store.drop_graph(g)
    assert store.count_triples(g) == 0 and g not in store.graphs()


def test_new_graphs_are_written_as_one_batch(store, monkeypatch):
    """Both backends offer the loader's batched write of new graphs; the remote one sends one request per batch."""
    import pyoxigraph as ox

    gs = [f"https://w3id.org/ttdn/id/source/batch-{i}" for i in range(3)]
    p = ox.NamedNode("https://w3id.org/ttdn/ontology#n")
    batch = {g: [ox.Quad(ox.NamedNode(g + "#x"), p, ox.Literal(str(k)), ox.NamedNode(g)) for k in range(i + 1)]
             for i, g in enumerate(gs)}
    assert not any(store.has_graph(g) for g in gs)
    sent: list[str] = []
    if isinstance(store, RemoteStore):
        real = store._post_update
        monkeypatch.setattr(store, "_post_update", lambda q: (sent.append(q), real(q)))
    store.add_new_graphs(batch)
    try:
        assert all(store.has_graph(g) for g in gs)
        assert [store.count_triples(g) for g in gs] == [1, 2, 3]
        if isinstance(store, RemoteStore):
            assert len(sent) == 1 and sent[0].startswith("INSERT DATA")
    finally:
        for g in gs:
            store.drop_graph(g)
    assert not any(store.has_graph(g) for g in gs)


@pytest.fixture()
def bare_remote(tmp_path):
    with oxigraph_server(tmp_path / "server") as endpoint:
        st = open_store(endpoint=endpoint)
        yield st
        st.close()


def test_remote_writes_past_the_request_size_limit_go_in_parts(bare_remote, monkeypatch):
    """A graph, batch or data update larger than one request may carry (Oxigraph's server: 128 MB) is sent in
    parts; a replaced graph goes through a staging graph and one MOVE, and nothing of the staging is left."""
    import pyoxigraph as ox

    store = bare_remote
    monkeypatch.setattr(store, "max_update_bytes", 600)
    sent: list[str] = []
    real = store._post_update
    monkeypatch.setattr(store, "_post_update", lambda q: (sent.append(q), real(q)))
    g = "https://w3id.org/ttdn/id/source/big"
    p = ox.NamedNode("https://w3id.org/ttdn/ontology#n")
    quads = [ox.Quad(ox.NamedNode(g + "#x"), p, ox.Literal(f"Thừa Thiên Huế {i}", language="vi"), ox.NamedNode(g))
             for i in range(40)]
    try:
        store.replace_graph(g, quads)
        assert store.count_triples(g) == 40 and len(sent) > 3 and sent[-1].startswith("MOVE SILENT GRAPH")
        assert max(len(q.encode()) for q in sent) < 600 + 200
        store.replace_graph(g, quads[:5])  # small again: one request
        assert store.count_triples(g) == 5 and sent[-1].startswith("DROP SILENT GRAPH")
        sent.clear()
        batch = {f"{g}-{k}": [ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(f"{g}-{k}")) for q in quads]
                 for k in range(2)}
        store.add_new_graphs(batch)  # new graphs: appended in parts, no staging graph to move
        assert [store.count_triples(k) for k in batch] == [40, 40] and len(sent) > 6
        assert not any(q.startswith("MOVE") for q in sent)
        lines = "\n".join(f"<{g}#y> <{p.value}> \"{i}\" ." for i in range(50))
        store.update(f"INSERT DATA {{ GRAPH <{g}> {{\n{lines}\n}} }}")
        assert store.count_triples(g) == 55
        left = store.query_values("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'urn:uuid:')) }")
        assert left == []
    finally:
        for k in (g, f"{g}-0", f"{g}-1"):
            store.drop_graph(k)


def test_remote_graphs_and_count_leave_out_emptied_and_foreign_graphs(bare_remote):
    """The remote store lists graphs without reading their quads; a graph emptied by DELETE (Oxigraph keeps its
    name) and a graph outside the data base are neither listed nor counted."""
    store = bare_remote
    g, other = "https://w3id.org/ttdn/id/source/a", "https://example.org/elsewhere"
    t = "<https://w3id.org/ttdn/id/x> <https://w3id.org/ttdn/ontology#n> \"1\" ."
    store.update(f"INSERT DATA {{ GRAPH <{g}> {{ {t} }} GRAPH <{g}-2> {{ {t} }} GRAPH <{other}> {{ {t} }} }}")
    assert store.graphs() == [g, f"{g}-2"] and store.count_triples() == 2
    store.update(f"DELETE DATA {{ GRAPH <{g}> {{ {t} }} }}")
    assert store.graphs() == [f"{g}-2"] and store.count_triples() == 1


def test_a_remote_answer_cut_off_by_the_servers_time_limit_is_a_store_error(bare_remote, monkeypatch):
    """Oxigraph's server, out of time, has sent status 200 and some rows already: it ends the body with a message.
    That is a StoreError naming the endpoint and the message, not a parser's SyntaxError."""
    import httpx

    store = bare_remote
    body = (b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri","value":"http://a"}},'
            b'The SPARQL operation has been cancelled')

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": "application/sparql-results+json",
                                                          "server": "Oxigraph/0.5"})

    monkeypatch.setattr(store, "_client", httpx.Client(transport=httpx.MockTransport(answer)))
    with pytest.raises(StoreError) as e:
        store.query("SELECT ?s WHERE { ?s ?p ?o }")
    assert store.endpoint in str(e.value) and "has been cancelled" in str(e.value) and "time limit" in str(e.value)
    with pytest.raises(StoreError, match="broke off"):
        store.count_triples()


def test_read_only_stores_refuse_writes(tmp_path, store):
    path = tmp_path / "ro"
    with open_store(str(path)) as st:
        load_paths([], st, progress=False)
    ro = open_store(str(path), read_only=True)
    assert isinstance(ro, EmbeddedStore)
    with pytest.raises(StoreError):
        ro.drop_graph("https://w3id.org/ttdn/id/source/x")
    ro.close()
    if isinstance(store, RemoteStore):
        with pytest.raises(StoreError):
            RemoteStore(store.endpoint, read_only=True).drop_graph("https://w3id.org/ttdn/id/source/x")


def test_export_to_a_stream(store):
    buf = io.BytesIO()
    store.export("nq", buf)
    assert buf.getvalue().count(b"\n") == store.count_triples()


def test_active_years_index_the_tasks_the_date_comparison_finds(store):
    """ttdn:activeYear (written at build time) selects, year by year, the tasks that comparing each task's dates
    (its timeframe, its plan's period as fallback) selects; the shortcuts carry the timeframe's dates."""
    dates = store.query_values(TTDN + """PREFIX time: <http://www.w3.org/2006/time#>
        SELECT ?task ?s ?e WHERE { ?task a ttdn:Task ; ttdn:ofPlan ?plan .
          OPTIONAL { ?task ttdn:timeframe/time:hasBeginning/time:inXSDDate ?ts }
          OPTIONAL { ?task ttdn:timeframe/time:hasEnd/time:inXSDDate ?te }
          OPTIONAL { ?plan ttdn:periodStart ?ps } OPTIONAL { ?plan ttdn:periodEnd ?pe }
          BIND(YEAR(COALESCE(?ts, ?ps, ?te, ?pe)) AS ?s) BIND(YEAR(COALESCE(?te, ?pe, ?ts, ?ps)) AS ?e) }""")
    years = store.query_values(TTDN + "SELECT ?task ?y WHERE { ?task ttdn:activeYear ?y }")
    assert len(years) > 100
    for y in range(2015, 2026):
        by_dates = {r["task"] for r in dates if "s" in r and int(r["s"]) <= y <= int(r["e"])}
        assert {r["task"] for r in years if int(r["y"]) == y} == by_dates, y
    shortcut = store.query_values(TTDN + """PREFIX time: <http://www.w3.org/2006/time#>
        SELECT ?task ?d ?t WHERE { ?task ttdn:timeframeStart ?d ;
          ttdn:timeframe/time:hasBeginning/time:inXSDDate ?t }""")
    assert shortcut and all(r["d"] == r["t"] for r in shortcut)


def test_active_years_are_the_span_of_the_first_known_dates():
    from ttdn_graph.resolve.tasks import MAX_ACTIVE_SPAN, active_years

    assert list(active_years("2019-03-01", "2020-06-30", "2019-01-01", "2019-12-31")) == [2019, 2020]
    assert list(active_years(None, None, "2021-01-01", "2021-12-31")) == [2021]
    assert list(active_years(None, "2022-05-01", "2021-01-01", None)) == [2021, 2022]
    assert list(active_years("2019-01-01", None, None, None)) == [2019]
    assert list(active_years(None, None, None, None)) == []
    assert list(active_years("2020-01-01", "2019-01-01", None, None)) == []  # an end before the start: a typo
    assert list(active_years("2019-01-01", f"{2019 + MAX_ACTIVE_SPAN + 1}-01-01", None, None)) == []


def test_instruments_derived_from_have_their_card_once_in_the_entities_graph(store):
    """What is known of an instrument others derive from (number, type, date, issuers, jurisdiction, label) is
    stated once, in the entities graph: neither the inferred graph nor the documents citing it restate it (a
    document's own version is a claim on its statement node), so the union reads each fact once."""
    from ttdn_graph.graph.layout import entities_graph

    inf, ent = Iris(store.base).inferred_graph, entities_graph(store.base)
    card = ("number", "instrumentType", "dateIssued", "issuedBy", "jurisdiction")
    values = " ".join(f"<{TTDN_IRI}{p}>" for p in card) + " <http://www.w3.org/2000/01/rdf-schema#label>"
    rows = store.query_values(TTDN + f"""SELECT ?i ?p ?o ?g WHERE {{
        {{ SELECT DISTINCT ?i WHERE {{ ?d ttdn:derivationTarget ?i }} }}
        VALUES ?p {{ {values} }} GRAPH ?g {{ ?i ?p ?o }} }}""")
    stated = Counter((r["i"], r["p"], r["o"]) for r in rows)
    assert len(stated) > 20 and set(stated.values()) == {1}  # each fact in one graph only
    assert {r["g"] for r in rows} == {ent}  # … the entities graph, not the inferred one
    decision = "https://w3id.org/ttdn/id/instrument/qd/2018/1486-qd-ttg"
    assert (decision, TTDN_IRI + "number", "1486/QĐ-TTg") in stated
    # every instrument derived from has its type there, and the union gives one value per single-valued fact
    assert {i for i, p, _ in stated if p == TTDN_IRI + "instrumentType"} == {r["i"] for r in rows}
    twice = store.query_values(TTDN + """SELECT ?i ?p WHERE { ?d ttdn:derivationTarget ?i .
        VALUES ?p { ttdn:number ttdn:dateIssued ttdn:instrumentType rdfs:label } ?i ?p ?a , ?b FILTER(?a != ?b) }
        LIMIT 1""")
    assert twice == []
    assert not store.query_values(TTDN + f"""SELECT ?i WHERE {{ GRAPH <{inf}> {{ ?i ttdn:number|ttdn:instrumentType
        |ttdn:dateIssued|ttdn:issuedBy|ttdn:jurisdiction|rdfs:label ?o }} }} LIMIT 1""")


def test_agency_pairs_read_the_ranked_pairs_like_the_raw_count(store):
    """agency-pairs reads the load-time ranking; it gives the pairs, counts and order the earlier form (kept in
    tests/fixtures/raw_queries, pairing every task's agencies at query time) gives."""
    from pathlib import Path

    from ttdn_graph.queries import load_queries, parse_rq

    raw_q = parse_rq((Path(__file__).parent / "fixtures" / "raw_queries" / "agency-pairs.rq").read_text(
        encoding="utf-8"), "agency-pairs")
    keys = ("agencyA", "agencyB", "tasks", "labelA", "labelB")
    new = [tuple(r.get(k) for k in keys) for r in store.query_values(load_queries()["agency-pairs"].bind({}))]
    old = [tuple(r.get(k) for k in keys) for r in store.query_values(raw_q.bind({}))]
    assert len(new) > 20 and new == old
    ranks = store.query_values("SELECT ?r WHERE { ?p <https://w3id.org/ttdn/ontology#sharedTaskRank> ?r }")
    assert sorted(int(r["r"]) for r in ranks) == list(range(1, len(ranks) + 1))


@pytest.mark.parametrize("unit", ["kon-tum", "quang-ninh", "hai-duong"])
def test_agency_pairs_within_count_only_the_jurisdictions_tasks(store, unit):
    from collections import Counter
    from itertools import combinations

    from ttdn_graph.queries import load_queries

    base = "https://w3id.org/ttdn/id/unit/"
    rows = store.query_values(f"""SELECT DISTINCT ?t ?a WHERE {{
        ?p <{TTDN_IRI}hasTask> ?t ; <{TTDN_IRI}jurisdiction> ?u .
        ?t <{TTDN_IRI}leadAgency>|<{TTDN_IRI}supportAgency> ?a
        FILTER(?u = <{base}{unit}> || EXISTS {{ ?u <{TTDN_IRI}within> <{base}{unit}> }}) }}""")
    agencies: dict[str, set[str]] = {}
    for r in rows:
        agencies.setdefault(r["t"], set()).add(r["a"])
    expected = Counter(pair for ags in agencies.values() for pair in combinations(sorted(ags), 2))
    want = sorted(((a, b, str(n)) for (a, b), n in expected.items()), key=lambda x: (-int(x[2]), x[0], x[1]))
    got = [(r["agencyA"], r["agencyB"], r["tasks"])
           for r in store.query_values(load_queries()["agency-pairs-within"].bind({"jurisdiction": unit}))]
    assert len(want) > 3 and got == want[:1000]
    national = {(r["agencyA"], r["agencyB"]): r["tasks"]
                for r in store.query_values(load_queries()["agency-pairs"].bind({}))}
    assert all(int(n) <= int(national[(a, b)]) for a, b, n in got if (a, b) in national)


@pytest.mark.parametrize("name", ["agency-workload", "most-cited"])
@pytest.mark.parametrize("params", [{}, {"jurisdiction": "kon-tum"}, {"instrumentType": "qd"}])
def test_tallied_queries_answer_like_the_raw_counts(store, name, params):
    """agency-workload and most-cited read load-time counts and one-copy cards; they give the rows the earlier forms
    (kept in tests/fixtures/raw_queries, counting every role or citation edge at query time) give."""
    from pathlib import Path

    from ttdn_graph.queries import load_queries, parse_rq

    q = load_queries()[name]
    given = {k: v for k, v in params.items() if k in {p.name for p in q.params}}
    raw_q = parse_rq((Path(__file__).parent / "fixtures" / "raw_queries" / f"{name}.rq").read_text(encoding="utf-8"),
                     name)
    keys = ("agency", "leads", "supports", "total") if name == "agency-workload" else ("instrument", "plans",
                                                                                         "jurisdictions")
    new = [tuple(r.get(k) for k in keys) for r in store.query_values(q.bind(given))]
    old = [tuple(r.get(k) for k in keys) for r in store.query_values(raw_q.bind(given))]
    assert len(new) > 3 and new == old
