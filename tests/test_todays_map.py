"""Today's map (ttdn_graph.todays_map): every named query with a unit parameter, the agency view and the unit
page accept a pre- or post-2025 unit and read it as printed (the default, what they always did) or as of today
(the unit's predecessors and successors through ttdn:successor included).

The motivating case: Hải Dương's 2019 plan (seed 000, 3693/KH-UBND) belongs, by the 2025 merger, to Hải Phòng
(`hai-phong-2025`): asked by Hải Phòng (2025) as of today every route finds it; as printed none does. On a
generated corpus (bench.corpus) a merged province as of today answers exactly what its predecessors answer as
printed, added up, with no plan counted twice (their districts, which also name the 2025 province as successor,
are covered once, through their province).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pages_fixtures import app_client

from ttdn_graph.queries import MAP_PARAM, ParamError, QueryError, bind_values, load_queries, parse_rq
from ttdn_graph.store import open_store
from ttdn_graph.todays_map import PRINTED, TODAY, expand_all, expander, todays_map

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # bench/ is a folder of the checkout, not an installed package
    sys.path.insert(0, str(ROOT))

UNIT = "https://w3id.org/ttdn/id/unit/"
HP, HD = UNIT + "hai-phong-2025", UNIT + "hai-duong"
HD_PLAN = "https://w3id.org/ttdn/id/instrument/kh/2018/hai-duong/3693-kh-ubnd"
P = ("PREFIX ttdn: <https://w3id.org/ttdn/ontology#>\nPREFIX prov: <http://www.w3.org/ns/prov#>\n")
LOADED = "?plan a ttdn:Plan ; prov:wasDerivedFrom ?src . ?src a ttdn:SourceDocument ."
QUERIES = load_queries()
# values for other parameters where a query's defaults find nothing in Hải Dương's plan (a new query that finds
# nothing there with its defaults fails test_every_unit_query_reads_hai_phong_as_of_today until it is listed here)
OVERRIDES = {"agency-duties": {"agencyName": "Sở"},
             # Hải Dương 2019 derives from Chỉ thị 26-CT/TW (its first basis); the default instrument it does not cite
             "cascade-page": {"instrument": "26-CT/TW"}, "uptake-page": {"instrument": "26-CT/TW"}}
# Queries whose answer needs a fact the seeds lack, given in a copy of the seed store: Hải Dương's plan cites no
# instrument the register records as changed, so one of its bases is recorded as replaced (in the register's graph,
# as data/vocab/instrument_register.csv would state it).
FIXTURE_FACTS = {"plans-on-changed-instruments": """PREFIX ttdn: <https://w3id.org/ttdn/ontology#>
INSERT { GRAPH <https://w3id.org/ttdn/id/graph/register> {
  ?i ttdn:statusSource "test fixture: a replacement the seeds do not state" ; ttdn:replacedBy ?other } }
WHERE { { SELECT ?i ?other WHERE { GRAPH ?g {
  <https://w3id.org/ttdn/id/instrument/kh/2018/hai-duong/3693-kh-ubnd> ttdn:legalBasis ?i , ?other }
  FILTER(STR(?i) < STR(?other)) } ORDER BY ?i ?other LIMIT 1 } }"""}  # an update reads the named graphs by GRAPH
UNIT_QUERIES = sorted((name, p.name) for name, q in QUERIES.items() for p in q.unit_params)


def rows(store, name: str, values: dict[str, str]) -> list[tuple]:
    """The answer as a sorted list of rows (each row its sorted (variable, value) pairs): order-free, multiset."""
    text = QUERIES[name].bind({**OVERRIDES.get(name, {}), **values}, units=expander(store))
    return sorted(tuple(sorted(r.items())) for r in store.query_values(text))


def column(answer: list[tuple], var: str) -> set[str]:
    return {v for row in answer for k, v in row if k == var}


@pytest.fixture(scope="module")
def seed(seed_store_path):  # tests/api_fixtures.py: the five seed plans
    st = open_store(seed_store_path, read_only=True)
    yield st
    st.close()


# -- the parameter --------------------------------------------------------------------------------------------------
def _looks_like_a_unit(p) -> bool:
    return bool(re.search(r"jurisdiction|unit|province|district|commune|place", p.name, re.I)) or (
        p.ns is not None and "unit" in p.ns)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_with_a_jurisdiction_takes_the_map(name):
    """No named query can take a jurisdiction without today's map: a parameter that names a unit is a unit
    parameter (an `iri` under `id:unit/`), and a query with one has `map` (printed | today, default printed)."""
    q = QUERIES[name]
    for p in q.params:
        if p.synthetic:
            continue
        if _looks_like_a_unit(p):
            assert p.is_unit, f"{name}.{p.name} names a unit: declare it (iri, ns id:unit/, …)"
    names = [p.name for p in q.params]
    if q.unit_params:
        assert names.count("map") == 1 and q.param("map") == MAP_PARAM
        assert MAP_PARAM.default == PRINTED and MAP_PARAM.choices == (PRINTED, TODAY)
        assert q.to_dict()["params"][-1]["choices"] == ["printed", "today"]
        assert all(p.to_dict().get("unit") for p in q.unit_params)
    else:
        assert "map" not in names
        with pytest.raises(ParamError, match="unknown parameter"):
            q.bind({"map": "today"})


def test_the_set_of_queries_with_a_jurisdiction():
    """The five queries that take a jurisdiction today; a new one joins the parametrised tests by itself."""
    assert {n for n, _ in UNIT_QUERIES} >= {"agency-duties", "agency-pairs-within", "agency-tasks",
                                            "agency-workload", "compare-themes"}
    assert ("compare-themes", "unitA") in UNIT_QUERIES and ("compare-themes", "unitB") in UNIT_QUERIES


@pytest.mark.parametrize("name", sorted({n for n, _ in UNIT_QUERIES}))
def test_printed_is_the_binding_it_always_was(name):
    """map=printed (given or not) binds the values as one VALUES row, as before the parameter existed."""
    q = QUERIES[name]
    plain = q.bind({})
    assert plain == bind_values(q.sparql, q.terms({})) and not q.expands({})
    assert q.bind({"map": "printed"}) == plain
    assert q.bind({"map": ""}) == plain  # an empty form field is "not given"
    assert q.bind({"map": "printed"}, units=lambda iri: pytest.fail("printed needs no look-up")) == plain
    with pytest.raises(ParamError, match="map"):
        q.bind({"map": "tomorrow"})
    given = {p.name: "hai-duong" for p in q.unit_params}
    with pytest.raises(ParamError, match="map=today"):  # the successor links are in the graph
        q.bind({**given, "map": "today"})


def test_today_binds_one_row_per_unit_and_combination():
    q = QUERIES["compare-themes"]
    fake = {UNIT + "a": [UNIT + "a", UNIT + "a-old"], UNIT + "b": [UNIT + "b"]}
    text = q.bind({"unitA": "a", "unitB": "b", "map": "today"}, units=lambda iri: fake[iri])
    block = re.search(r"VALUES \(([^)]*)\) \{(.*)\}\s*\n", text).groups()
    assert block[0] == "?unitA ?unitB"
    assert re.findall(r"\(([^()]*)\)", block[1]) == [f"<{UNIT}a> <{UNIT}b>", f"<{UNIT}a-old> <{UNIT}b>"]
    # a unit nobody knows stays itself; an optional unit parameter left out needs no look-up
    assert f"<{UNIT}x>" in q.bind({"unitA": "x", "unitB": "b", "map": "today"}, units=lambda iri: [])
    w = parse_rq("# title: t\n# param: where (iri, optional, ns id:unit/) x\n"
                 "SELECT * WHERE { ?s ?p ?o FILTER(!BOUND(?where) || ?o = ?where) }", "t")
    assert not w.expands({"map": "today"})
    assert w.bind({"map": "today"}) == w.bind({}) == w.sparql


def test_map_is_a_reserved_name():
    with pytest.raises(QueryError, match="reserved"):
        parse_rq("# title: t\n# param: map (string) x\nSELECT * WHERE { ?s ?p ?map }", "t")
    q = parse_rq("# title: t\n# param: where (iri, ns id:unit/) x\nSELECT * WHERE { ?s ?p ?where }", "t")
    assert [p.name for p in q.params] == ["where", "map"]
    q = parse_rq("# title: t\n# param: where (iri, ns vocab:theme/) x\nSELECT * WHERE { ?s ?p ?where }", "t")
    assert [p.name for p in q.params] == ["where"]


# -- the expansion --------------------------------------------------------------------------------------------------
def test_units_on_todays_map(seed):
    hp = todays_map(seed, HP)
    assert (hp.today, hp.units) == ([HP], [HD, HP])
    hd = todays_map(seed, HD)
    assert (hd.today, hd.units) == ([HP], [HD, HP]) and hd.changed
    # Quảng Ninh was not merged; its districts name it as successor but lie within it: the province alone
    qn = todays_map(seed, UNIT + "quang-ninh")
    assert (qn.today, qn.units) == ([UNIT + "quang-ninh"], [UNIT + "quang-ninh"]) and not qn.changed
    # a district of before July 2025: as of today, the province that took it over (Huế, formerly Thừa Thiên Huế)
    ht = todays_map(seed, UNIT + "thua-thien-hue/huong-tra")
    assert (ht.today, ht.units) == ([UNIT + "hue"], [UNIT + "hue", UNIT + "thua-thien-hue"])
    assert todays_map(seed, UNIT + "nowhere").units == [UNIT + "nowhere"]
    assert todays_map(seed, HP, PRINTED).units == [HP]
    assert expand_all(seed, [HD, UNIT + "kon-tum"], TODAY) == [HD, HP, UNIT + "kon-tum", UNIT + "quang-ngai-2025"]
    assert expand_all(seed, [HD, UNIT + "kon-tum"], PRINTED) == [HD, UNIT + "kon-tum"]


# -- named queries on the seeds ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def seed_with_facts(seed_store_path, tmp_path_factory):
    """A copy of the seed store with FIXTURE_FACTS written into it."""
    import shutil

    path = tmp_path_factory.mktemp("seed-facts") / "store"
    shutil.copytree(seed_store_path, path)
    with open_store(str(path)) as st:
        for update in FIXTURE_FACTS.values():
            st.update(update)
    st = open_store(str(path), read_only=True)
    yield st
    st.close()


@pytest.mark.parametrize("name, param", UNIT_QUERIES)
def test_every_unit_query_reads_hai_phong_as_of_today(request, name, param):
    """Asked by Hải Phòng (2025): as printed, Hải Dương's plan is not there; as of today the answer is Hải
    Dương's (Hải Phòng itself has no plan among the seeds), and asked by Hải Dương as of today it is the same."""
    seed = request.getfixturevalue("seed_with_facts" if name in FIXTURE_FACTS else "seed")
    by_hd = rows(seed, name, {param: "hai-duong"})
    assert by_hd, f"{name}: nothing for Hải Dương with these values; add values to OVERRIDES"
    hp_printed = rows(seed, name, {param: "hai-phong-2025", "map": "printed"})
    hp_today = rows(seed, name, {param: "hai-phong-2025", "map": "today"})
    assert hp_printed != by_hd
    assert hp_today == by_hd
    assert rows(seed, name, {param: "hai-duong", "map": "today"}) == hp_today
    assert rows(seed, name, {param: HP, "map": "today"}) == hp_today  # an IRI as well as an id
    if any(k == "plan" for row in by_hd for k, _ in row):
        assert HD_PLAN in column(hp_today, "plan") and HD_PLAN not in column(hp_printed, "plan")


def test_agency_tasks_rows_of_hai_duong_under_hai_phong(seed):
    today = rows(seed, "agency-tasks", {"jurisdiction": "hai-phong-2025", "map": "today", "agencyName": "Sở"})
    assert column(today, "plan") == {HD_PLAN}
    assert column(today, "unitLabel") == {"Hải Dương"}  # each row keeps its unit as printed
    assert rows(seed, "agency-tasks", {"jurisdiction": "hai-phong-2025", "agencyName": "Sở"}) == []


def test_the_api_and_the_cli_take_the_map(live_server, seed_store_path):
    def get(**params):
        r = live_server.get("/queries/agency-tasks", params={"jurisdiction": "hai-phong-2025", **params})
        assert r.status_code == 200, r.text
        return r

    today = get(map="today", format="json").json()["results"]["bindings"]
    assert {b["plan"]["value"] for b in today} == {HD_PLAN}
    assert get(format="json").json()["results"]["bindings"] == []
    assert get(map="printed", format="json").json()["results"]["bindings"] == []
    rq = get(map="today", format="rq").text
    assert f"<{HD}>" in rq and f"<{HP}>" in rq
    html = get(map="today", format="html").text
    assert '<select name="map">' in html and '<option value="today" selected>' in html
    assert live_server.get("/queries/agency-tasks", params={"map": "someday"}).status_code == 400
    listed = {q["name"]: q for q in live_server.get("/queries", params={"format": "json"}).json()["queries"]}
    assert [p["name"] for p in listed["agency-workload"]["params"]] == ["jurisdiction", "map"]

    import typer
    from typer.testing import CliRunner

    from ttdn_graph.cli_serve import named

    app = typer.Typer()
    app.command()(named)
    res = CliRunner().invoke(app, ["agency-tasks", "-p", "jurisdiction=hai-phong-2025", "-p", "map=today",
                                   "--format", "csv", "--store", seed_store_path])
    assert res.exit_code == 0 and HD_PLAN in res.output
    res = CliRunner().invoke(app, ["agency-tasks", "-p", "jurisdiction=hai-phong-2025", "--format", "csv",
                                   "--store", seed_store_path])
    assert res.exit_code == 0 and HD_PLAN not in res.output
    res = CliRunner().invoke(app, ["agency-tasks", "-p", "jurisdiction=hai-phong-2025", "-p", "map=today",
                                   "--format", "rq", "--store", seed_store_path])
    assert res.exit_code == 0 and f"<{HD}>" in res.output


# -- the agency view and the unit page on the seeds ------------------------------------------------------------
@pytest.fixture(scope="module")
def client(seed_store_path):
    with app_client(seed_store_path) as c:
        yield c


def nodes(client, **params) -> dict:
    r = client.get("/views/agencies", params={**params, "format": "json"})
    assert r.status_code == 200, r.text[:300]
    return r.json()


def test_agency_view_by_hai_phong(client):
    by_hd = nodes(client, jurisdiction=HD)
    assert by_hd["nodes"]
    printed = nodes(client, jurisdiction=HP)
    assert printed["nodes"] == [] and "map=today" in printed["message"]
    for j in (HP, "hai-phong-2025", HD):
        today = nodes(client, jurisdiction=j, map="today")
        assert {n["id"] for n in today["nodes"]} == {n["id"] for n in by_hd["nodes"]}
        assert today["params"]["map"] == ["today"]
    assert nodes(client, jurisdiction=HP, map="printed")["nodes"] == []
    assert client.get("/views/agencies", params={"jurisdiction": HP, "map": "x"}).status_code == 400
    page = client.get("/views/agencies", params={"jurisdiction": HP, "map": "today"})
    assert page.status_code == 200 and '<option value="today" selected>' in page.text


def _plan_rows(client, path: str, **params) -> tuple[BeautifulSoup, set[str]]:
    r = client.get(path, params=params)
    assert r.status_code == 200, r.text[:300]
    s = BeautifulSoup(r.text, "html.parser")
    sec = s.select_one("#plans")
    assert sec is not None, path
    return sec, {a["title"] for tr in sec.select("tr.unit-plan") for a in tr.select("td:first-child a")}


def test_unit_page_of_hai_phong(client):
    sec, plans = _plan_rows(client, "/id/unit/hai-phong-2025")
    assert plans == set() and sec["data-map"] == "printed" and sec.select_one("#no-plans")
    assert sec.select_one("#map-today")["href"] == "?map=today"
    sec, plans = _plan_rows(client, "/id/unit/hai-phong-2025", map="today")
    assert plans == {HD_PLAN} and sec["data-map"] == "today"
    note = sec.select_one("#todays-map")
    assert {a["title"] for a in note.select("a")} == {HP, HD}
    # Hải Dương: its plan as printed, and today's unit named on the page
    sec, plans = _plan_rows(client, "/id/unit/hai-duong")
    assert plans == {HD_PLAN} and HP in {a["title"] for a in sec.select_one("#todays-map").select("a")}
    _, plans = _plan_rows(client, "/resource", iri=HP, map="today")
    assert plans == {HD_PLAN}
    # Quảng Ninh (not merged) has no today's-map note
    assert _plan_rows(client, "/id/unit/quang-ninh")[0].select_one("#todays-map") is None
    r = client.get("/id/unit/hai-phong-2025", params={"map": "today"})
    assert "map=today" in BeautifulSoup(r.text, "html.parser").select_one("nav.onward a")["href"]
    assert client.get("/id/unit/hai-phong-2025", params={"map": "soon"}).status_code == 400


# -- a generated corpus ----------------------------------------------------------------------------------------
GENERATED = 60  # 60 plans of 2018–2024 (Hà Nam, Nam Định, Ninh Bình → Ninh Bình 2025; Bình Định + Gia Lai …)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    from bench.corpus import generate
    from ttdn_graph.loader import load_paths

    folder = tmp_path_factory.mktemp("todays-map")
    generate(GENERATED, folder / "plans")
    st = open_store(str(folder / "store"))
    summary = load_paths([folder / "plans", ROOT / "data" / "plans"], st, progress=False)
    assert summary.ok, summary.lines()
    yield st
    st.close()


def _mergers(store) -> dict[str, list[str]]:
    """2025 provinces → their predecessor provinces that have loaded plans (directly or in a district)."""
    from ttdn_graph import gazetteer

    out: dict[str, list[str]] = {}
    for u in gazetteer.provinces():
        if u.successor_id and u.successor_id != u.id:
            has = store.ask(P + f"ASK {{ {LOADED} ?plan ttdn:jurisdiction ?u . "
                                         f"FILTER(?u = <{UNIT}{u.id}> || EXISTS {{ ?u ttdn:within <{UNIT}{u.id}> }}) }}")
            if has:
                out.setdefault(u.successor_id, []).append(u.id)
    return {k: sorted(v) for k, v in out.items() if len(v) >= 2}


def _plans_of(store, unit: str) -> set[str]:
    """Loaded plans of a unit or a unit within it, by a plain query of its own."""
    return {r["plan"] for r in store.query_values(P + f"SELECT DISTINCT ?plan WHERE {{ {LOADED} "
                                                    f"?plan ttdn:jurisdiction ?u . FILTER(?u = <{unit}> || "
                                                    f"EXISTS {{ ?u ttdn:within <{unit}> }}) }}")}


def test_generated_mergers_add_up(corpus):
    mergers = _mergers(corpus)
    assert len(mergers) >= 2 and "ninh-binh-2025" in mergers and "hai-phong-2025" in mergers
    for new, olds in mergers.items():
        assert todays_map(corpus, UNIT + new).units == sorted(UNIT + u for u in [new, *olds])
        for old in olds:
            assert todays_map(corpus, UNIT + old).units == todays_map(corpus, UNIT + new).units
        # row by row: the rows of the predecessors as printed, together, each once
        for name, extra in (("agency-workload", {}), ("agency-tasks", {"agencyName": "Sở"}),
                            ("agency-duties", {"agencyName": "Ủy ban"})):
            today = rows(corpus, name, {**extra, "jurisdiction": new, "map": "today"})
            printed = sorted(r for old in olds for r in rows(corpus, name, {**extra, "jurisdiction": old}))
            assert today == printed and today, (name, new)
            assert rows(corpus, name, {**extra, "jurisdiction": new}) == []
            for old in olds:
                assert rows(corpus, name, {**extra, "jurisdiction": old, "map": "today"}) == today
        # counted: pair counts and theme counts are the sums over the predecessors (no plan counted twice)
        def pair_counts(values):
            return Counter({(r["agencyA"], r["agencyB"]): int(r["tasks"]) for r in corpus.query_values(
                QUERIES["agency-pairs-within"].bind(values, units=expander(corpus)))})

        today = pair_counts({"jurisdiction": new, "map": "today"})
        assert today and today == sum((pair_counts({"jurisdiction": old}) for old in olds), Counter())

        def theme_counts(values):
            return Counter({r["theme"]: int(r["tasksA"]) for r in corpus.query_values(
                QUERIES["compare-themes"].bind(values, units=expander(corpus)))})

        today = theme_counts({"unitA": new, "map": "today"})
        summed = sum((theme_counts({"unitA": old}) for old in olds), Counter())
        assert +today == +summed and +today


def test_generated_view_and_page(corpus, tmp_path):
    mergers = _mergers(corpus)
    new = "ninh-binh-2025"
    olds = mergers[new]
    from ttdn_graph.views import AgencySelection, agency_task_graph
    from ttdn_graph.views.resource import unit_plans

    def link(iri: str) -> str:
        return iri

    def ids(sel) -> set[str]:
        g = agency_task_graph(corpus, sel, link)
        assert not g.truncated
        return {n.id for n in g.nodes}

    today = ids(AgencySelection([UNIT + new], map=TODAY))
    assert today and today == set().union(*(ids(AgencySelection([UNIT + old])) for old in olds))
    assert ids(AgencySelection([UNIT + new])) == set()
    # the unit page's plans: as of today, every loaded plan of the predecessors (and their districts), once
    expected = set().union(*(_plans_of(corpus, UNIT + old) for old in olds))
    up = unit_plans(corpus, UNIT + new, link, TODAY)
    listed = [p.plan.value for p in up.plans]
    assert sorted(listed) == sorted(expected) and len(listed) == len(set(listed))
    assert any("/" in p.unit.value[len(UNIT):] for p in up.plans)  # district plans too
    assert unit_plans(corpus, UNIT + new, link, PRINTED).plans == []
    assert {t.value for t in unit_plans(corpus, UNIT + olds[0], link, PRINTED).today} == {UNIT + new}
