"""Instruments with names and status, on the seeds: titles from the citing text (with the line they came from), the
curated register (its loader and its graph), the named query of plans resting on a changed instrument, and the
instrument's linked-data page showing its title."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pages_fixtures import app_client

from ttdn_graph.lexicon import LexiconError
from ttdn_graph.parse.citations import title_form
from ttdn_graph.parse.normalize import strip_markup
from ttdn_graph.parse.text import clean_space
from ttdn_graph.queries import run_named
from ttdn_graph.register import register_rows, register_triples, sync_register
from ttdn_graph.resolve.iris import Iris
from ttdn_graph.store import open_store

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "data" / "plans"
P = ("PREFIX ttdn: <https://w3id.org/ttdn/ontology#>\nPREFIX eli: <http://data.europa.eu/eli/ontology#>\n"
     "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n")
HEADER = "symbol,type,date,issuer,title,amended_by,replaced_by,repealed_by,expired,source,note\n"


@pytest.fixture(scope="module")
def seeds(seed_store_path):  # the five seed plans loaded by load_paths (tests/api_fixtures.py)
    st = open_store(seed_store_path, read_only=True)
    yield st
    st.close()


def _cited(st) -> list[tuple[str, int, str | None]]:
    """(instrument, documents citing it, its title) for every cited numbered instrument, most cited first."""
    rows = st.query(P + """SELECT ?i (COUNT(DISTINCT ?g) AS ?n) (SAMPLE(?t) AS ?title) WHERE {
        ?c a ttdn:Citation ; ttdn:citedInstrument ?i ; ttdn:inDocument ?g . ?i ttdn:number ?num .
        OPTIONAL { ?i ttdn:title ?t } } GROUP BY ?i ORDER BY DESC(?n) ?i""")
    return [(r["i"].value, int(r["n"].value), r["title"].value if r.get("title") else None) for r in rows]


def test_the_most_cited_instruments_have_titles(seeds):
    cited = _cited(seeds)
    assert cited
    shared = [c for c in cited if c[1] >= 2]  # cited by more than one document
    assert shared and all(t for _i, _n, t in shared), [c for c in shared if not c[2]]
    titled = sum(1 for c in cited if c[2])
    assert titled / len(cited) >= 0.8, f"{titled} of {len(cited)} numbered instruments have a title"


def test_a_title_is_one_a_document_prints_and_its_line_holds_it(seeds):
    rows = seeds.query(P + """SELECT ?i ?title ?cited ?line ?file WHERE {
        ?c ttdn:citedInstrument ?i ; ttdn:citedTitle ?cited ; ttdn:titleLine ?line ; ttdn:inDocument ?g .
        ?g ttdn:fileName ?file . ?i ttdn:title ?title }""")
    assert rows
    forms: dict[str, set[str]] = {}
    for r in rows:
        lines = (PLANS / r["file"].value).read_text(encoding="utf-8").splitlines()
        line = clean_space(strip_markup(lines[int(r["line"].value) - 1]))
        cited = r["cited"].value
        head = " ".join(cited.split()[:4])  # a title broken across lines starts on its line
        assert head in line, (r["file"].value, r["line"].value, cited)
        forms.setdefault(r["i"].value, set()).add(title_form(cited))
    for r in rows:  # the instrument's title is one of the forms its documents print
        assert r["title"].value in forms[r["i"].value]


# -- the register ------------------------------------------------------------------------------------------------
def test_the_register_loads_and_names_only_sourced_changes():
    rows = register_rows()
    assert len(rows) >= 10 and all(r.symbol and r.type for r in rows)
    assert all(r.source for r in rows if r.status_given)
    triples = register_triples(rows)
    subjects = {t.subject.value for t in triples}
    assert len(subjects) >= len(rows)
    status = [t for t in triples if t.predicate.value.endswith("#in_force")]
    assert len(status) == sum(1 for r in rows if r.in_force is False)


@pytest.mark.parametrize(("row", "says"), [
    ("43/2011/NĐ-CP,Nghị định,2011-06-13,Chính phủ,X,,42/2022/NĐ-CP,,,,", "without a source"),
    ("72/2015/NĐ-CP,Nghị định,2015-09-07,Chính phủ,X,,,,,Một nguồn,", "no amended_by"),
    ("72/2015/NĐ-CP,Sắc lệnh lạ,2015-09-07,Chính phủ,X,,,,,,", "not an instrument type"),
    ("12/KH-UBND,Kế hoạch,2020-01-01,Ủy ban nhân dân tỉnh Lào Cai,X,,,,,,", "not a central instrument"),
    ("72/2015/NĐ-CP,Nghị định,2015-13-45,Chính phủ,X,,,,,,", "column 'date'"),
])
def test_a_bad_register_row_is_reported_with_its_file_and_line(tmp_path, row, says):
    p = tmp_path / "instrument_register.csv"
    p.write_text(HEADER + "26-CT/TW,Chỉ thị,2008-09-10,Ban Bí thư,,,,,,,\n" + row + "\n", encoding="utf-8")
    with pytest.raises(LexiconError) as e:
        register_rows(p)
    assert f"{p}:3" in str(e.value) and says in str(e.value)


def test_a_symbol_listed_twice_is_refused(tmp_path):
    p = tmp_path / "instrument_register.csv"
    p.write_text(HEADER + "26-CT/TW,Chỉ thị,2008-09-10,Ban Bí thư,,,,,,,\n26-CT/TW,Chỉ thị,,,,,,,,,\n",
                 encoding="utf-8")
    with pytest.raises(LexiconError, match="listed twice"):
        register_rows(p)


def test_the_register_graph_meets_the_plans_citations(seeds):
    graph = Iris(seeds.base).register_graph
    assert graph in seeds.graphs()
    n = seeds.query(P + f"""SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?i eli:id_local ?s }}
        ?c ttdn:citedInstrument ?i }}""")
    assert int(n[0]["n"].value) >= 5  # the register's IRIs are the ones the plans' citations get


# -- the named query -----------------------------------------------------------------------------------------------
PLAIN = P + """SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?plan ?i ?by WHERE {
    ?i ttdn:statusSource ?s .
    OPTIONAL { ?i eli:amended_by|ttdn:replacedBy|eli:repealed_by ?by }
    ?plan a ttdn:Plan .
    { ?plan ttdn:legalBasis ?i } UNION { ?plan ttdn:cites ?i } } }"""


@pytest.fixture(scope="module")
def changed(seed_store_path, tmp_path_factory):
    """A copy of the seed store whose register (a test file) gives statuses to instruments several plans cite."""
    root = tmp_path_factory.mktemp("changed")
    shutil.copytree(seed_store_path, root / "store")
    reg = root / "instrument_register.csv"
    reg.write_text(HEADER + "\n".join([
        "72/2015/NĐ-CP,Nghị định,2015-09-07,Chính phủ,,99/2099/NĐ-CP,,,,Nguồn thử A,",
        "22/2016/TT-BTTTT,Thông tư,2016-10-19,Bộ Thông tin và Truyền thông,,,98/2098/TT-BTTTT,,,Nguồn thử B,",
        "368/QĐ-TTg,Quyết định,2013-02-28,Thủ tướng Chính phủ,,,,,2020-12-31,Nguồn thử C,",
        "1486/QĐ-TTg,Quyết định,2018-11-06,Thủ tướng Chính phủ,,,,,,,",
    ]) + "\n", encoding="utf-8")
    with open_store(str(root / "store")) as st:
        assert sync_register(st, reg).written
    return root / "store"


def test_the_named_query_on_the_seeds_matches_plain_sparql(seeds):
    rows = run_named(seeds, "plans-on-changed-instruments", {})
    assert len(rows) == int(seeds.query(PLAIN)[0]["n"].value)


def test_the_named_query_lists_each_status_with_its_source(changed):
    with open_store(str(changed), read_only=True) as st:
        rows = run_named(st, "plans-on-changed-instruments", {})
        assert len(rows) == int(st.query(PLAIN)[0]["n"].value) > 0
        by = {(r["number"].value, r["status"].value, r["source"].value) for r in rows}
        assert {("72/2015/NĐ-CP", "amended", "Nguồn thử A"), ("22/2016/TT-BTTTT", "replaced", "Nguồn thử B"),
                ("368/QĐ-TTg", "expired", "Nguồn thử C")} <= by
        assert not any(r["number"].value == "1486/QĐ-TTg" for r in rows)  # no source, no status
        plans_72 = st.query(P + """SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?i eli:id_local "72/2015/NĐ-CP" .
            ?p a ttdn:Plan ; ttdn:legalBasis|ttdn:cites ?i }""")
        assert sum(1 for r in rows if r["number"].value == "72/2015/NĐ-CP") == int(plans_72[0]["n"].value) >= 2
        assert all(r["citedAs"].value == "basis" for r in rows if r["number"].value == "72/2015/NĐ-CP")
        one = run_named(st, "plans-on-changed-instruments", {"jurisdiction": "kon-tum"})
        assert one and {r["jurisdictionLabel"].value for r in one} == {"Kon Tum"} and len(one) < len(rows)


# -- the instrument's page ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def client(seed_store_path):
    with app_client(seed_store_path) as c:
        yield c


def test_an_instrument_page_shows_its_title(client, seeds):
    r = seeds.query(P + """SELECT ?i ?t WHERE { ?i ttdn:number "1486/QĐ-TTg" ; ttdn:title ?t }""")
    iri, title = r[0]["i"].value, r[0]["t"].value
    resp = client.get(iri.replace(seeds.base, "/id/"))
    assert resp.status_code == 200
    s = BeautifulSoup(resp.text, "html.parser")
    assert s.select_one("h1#label").get_text(strip=True) == "Quyết định 1486/QĐ-TTg"
    assert s.select_one("#title").get_text(strip=True) == title


# -- the shown title follows the documents -------------------------------------------------------------------------
def _plan(source: str, place: str, title: str) -> dict:
    from graph_fixtures import minimal_record

    rec = minimal_record(source, place, [{"type": "Quyết định", "number": "77/QĐ-TTg", "date": "2019-03-01",
                                          "issuer": "Thủ tướng Chính phủ", "title": title}])
    return rec.to_dict()


def _title_of_77(st) -> str:
    r = st.query(P + 'SELECT ?t WHERE { ?i ttdn:number "77/QĐ-TTg" ; ttdn:title ?t }')
    assert len(r) == 1
    return r[0]["t"].value


def test_the_title_shown_follows_a_replaced_document(tmp_path):
    import json

    from ttdn_graph.loader import load_paths

    a, b = "Phê duyệt Đề án thông tin đối ngoại vùng biên giới", "Về Đề án biên giới"
    docs = {"p1.json": _plan("p1.json", "Lào Cai", a), "p2.json": _plan("p2.json", "Hà Giang", a),
            "p3.json": _plan("p3.json", "Cao Bằng", b)}
    folder = tmp_path / "in"
    folder.mkdir()
    for name, d in docs.items():
        (folder / name).write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    with open_store(str(tmp_path / "store")) as st:
        assert load_paths([folder], st, progress=False).ok
        assert _title_of_77(st) == a  # two documents against one
        (folder / "p2.json").write_text(json.dumps(_plan("p2.json", "Hà Giang", b), ensure_ascii=False),
                                        encoding="utf-8")
        assert load_paths([folder / "p2.json"], st, progress=False).ok
        assert _title_of_77(st) == b  # p2 now prints the other form: two against one the other way
