"""Load-time tallies (store.cube): every Data Cube observation equals a count by plain SPARQL over the default graph,
on the seeds and on a generated corpus, and stays so when a document is replaced or removed; the cascade and uptake
summaries agree with the unpaged answers (cascade-down, directive-uptake); their drill-down pages are bounded, in a
stable order, and cover every row exactly once.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
import rdflib
from graph_fixtures import ROOT

from ttdn_graph.loader import load_paths, remove_documents
from ttdn_graph.queries import load_queries, parse_rq
from ttdn_graph.store import open_store
from ttdn_graph.store.cube import DIMENSIONS, MEASURES, TALLY_SETS

TTDN = "https://w3id.org/ttdn/ontology#"
QB = "http://purl.org/linked-data/cube#"
P = (f"PREFIX ttdn: <{TTDN}>\nPREFIX prov: <http://www.w3.org/ns/prov#>\nPREFIX qb: <{QB}>\n"
     "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n")
PLANS = ROOT / "data" / "plans"
QUERIES = load_queries()

# -- expected counts, by plain SPARQL over the default graph --------------------------------------------------------
LOADED = "?p a ttdn:Plan ; prov:wasDerivedFrom ?src . "
UNIT = "?p ttdn:jurisdiction ?j . ?j ttdn:within? ?unit . "
WIDE = UNIT + "?unit a ?uc FILTER(?uc IN (ttdn:Province, ttdn:Country)) "
PLAN_YEAR = ("OPTIONAL { ?p ttdn:periodStart ?s } OPTIONAL { ?p ttdn:periodEnd ?e } "
             f"VALUES ?y {{ {' '.join(str(y) for y in range(1990, 2041))} }} FILTER(BOUND(?s) || BOUND(?e)) "
             "FILTER(YEAR(COALESCE(?s, ?e)) <= ?y && YEAR(COALESCE(?e, ?s)) >= ?y) ")
PAIR = 'COUNT(DISTINCT CONCAT(STR(?t), " ", STR(?a)))'
ROLE = "?t ttdn:{role} ?a FILTER(isIRI(?a)) "


def _count(st, keys: str, select: str, where: str) -> dict[tuple, int]:
    out = {}
    for r in st.query(P + f"SELECT {keys} ({select} AS ?n) WHERE {{ {where} }} GROUP BY {keys}"):
        key = tuple(int(r[k[1:]].value) if k == "?y" else r[k[1:]].value for k in keys.split())
        out[key] = int(r["n"].value)
    return out


def expected(st) -> dict[str, dict[tuple, dict[str, int]]]:
    """Every data set's observations, counted from the documents and entities (and ttdn:within)."""
    sets: dict[str, dict[tuple, dict[str, int]]] = {}

    def put(name: str, measure: str, counts: dict[tuple, int], create: bool = True) -> None:
        cells = sets.setdefault(name, {})
        for key, n in counts.items():
            if key in cells or create:
                cells.setdefault(key, dict.fromkeys(MEASURES[name], 0))[measure] = n

    lead, support = ROLE.format(role="leadAgency"), ROLE.format(role="supportAgency")
    task = "?p ttdn:hasTask ?t . "
    base = LOADED + UNIT
    put("unit", "planCount", _count(st, "?unit", "COUNT(DISTINCT ?p)", base))
    put("unit", "taskCount", _count(st, "?unit", "COUNT(DISTINCT ?t)", base + task))
    put("unit", "leadCount", _count(st, "?unit", PAIR, base + task + lead))
    put("unit", "supportCount", _count(st, "?unit", PAIR, base + task + support))
    active = task + "?t ttdn:activeYear ?y . "
    put("unit-year", "planCount", _count(st, "?unit ?y", "COUNT(DISTINCT ?p)", base + PLAN_YEAR))
    put("unit-year", "taskCount", _count(st, "?unit ?y", "COUNT(DISTINCT ?t)", base + active))
    put("unit-year", "leadCount", _count(st, "?unit ?y", PAIR, base + active + lead))
    put("unit-year", "supportCount", _count(st, "?unit ?y", PAIR, base + active + support))
    themed = LOADED + WIDE + active + "?t ttdn:theme ?th . "
    put("unit-year-theme", "taskCount", _count(st, "?unit ?y ?th", "COUNT(DISTINCT ?t)", themed))
    put("unit-year-theme", "planCount", _count(st, "?unit ?y ?th", "COUNT(DISTINCT ?p)", themed))
    put("unit-year-theme", "leadCount", _count(st, "?unit ?y ?th", PAIR, themed + lead), create=False)
    put("unit-year-theme", "supportCount", _count(st, "?unit ?y ?th", PAIR, themed + support), create=False)
    typed = LOADED + WIDE + active + "?t ttdn:leadAgency|ttdn:supportAgency ?x . ?x ttdn:agencyType ?at . "
    put("unit-year-agency-type", "taskCount", _count(st, "?unit ?y ?at", "COUNT(DISTINCT ?t)", typed))
    put("unit-year-agency-type", "planCount", _count(st, "?unit ?y ?at", "COUNT(DISTINCT ?p)", typed))
    for measure, role in (("leadCount", "leadAgency"), ("supportCount", "supportAgency")):
        put("unit-year-agency-type", measure, _count(st, "?unit ?y ?at", PAIR, LOADED + WIDE + active
                                                     + f"?t ttdn:{role} ?a . ?a ttdn:agencyType ?at . "),
            create=False)
    for measure, role in (("leadCount", "leadAgency"), ("supportCount", "supportAgency")):
        put("agency-year", measure, _count(st, "?a ?y", "COUNT(DISTINCT ?t)", LOADED + active + ROLE.format(role=role)))
    cites = LOADED + "?p ttdn:legalBasis|ttdn:cites ?i FILTER(isIRI(?i)) " + PLAN_YEAR
    put("instrument-year", "planCount", _count(st, "?i ?y", "COUNT(DISTINCT ?p)", cites))
    put("instrument-year", "taskCount", _count(st, "?i ?y", "COUNT(DISTINCT ?t)", cites + active), create=False)
    sets["plan"] = {(p,): {"taskCount": n} for (p,), n in _count(st, "?p", "COUNT(DISTINCT ?t)",
                                                                   LOADED + "OPTIONAL { ?p ttdn:hasTask ?t }").items()}
    return sets


def stored(st) -> dict[str, dict[tuple, dict[str, int]]]:
    """The tallies the store holds (all data sets but cascade and uptake, which have tests of their own)."""
    sets: dict[str, dict[tuple, dict[str, int]]] = {}
    rows = st.query(P + "SELECT ?o ?ds ?p ?v WHERE { ?o qb:dataSet ?ds ; ?p ?v }")
    by: dict[str, dict[str, object]] = defaultdict(dict)
    for r in rows:
        by[r["o"].value]["@"] = r["ds"].value[len(TALLY_SETS):]
        by[r["o"].value][r["p"].value.removeprefix(TTDN)] = r["v"].value
    for obs in by.values():
        name = obs["@"]
        if name in ("cascade", "uptake"):
            continue
        key = tuple(int(obs[d]) if d == "refYear" else obs[d] for d in DIMENSIONS[name])
        assert key not in sets.get(name, {}), f"two observations of {name} {key}"
        sets.setdefault(name, {})[key] = {m: int(obs[m]) for m in MEASURES[name]}
        assert set(obs) - {"@", f"{QB}dataSet"} == set(DIMENSIONS[name]) | set(MEASURES[name]), obs
    sets["plan"] = {(r["p"].value,): {"taskCount": int(r["n"].value)}
                    for r in st.query(P + "SELECT ?p ?n WHERE { ?p a ttdn:Plan ; ttdn:taskCount ?n }")}
    return sets


def assert_tallies_true(st) -> None:
    want, got = expected(st), stored(st)
    assert set(got) == set(want) | {"plan"} and want["unit"] and want["unit-year-theme"]
    for name in want:
        missing = {k: v for k, v in want[name].items() if got[name].get(k) != v}
        extra = set(got[name]) - set(want[name])
        assert not missing and not extra, (name, list(missing.items())[:3], sorted(extra)[:3],
                                           [got[name].get(k) for k in list(missing)[:3]])


# -- stores ----------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def corpus(generated_corpus):
    """The generated corpus of tests/corpus_fixtures.py: (folder, store path)."""
    return generated_corpus


def test_the_data_sets_file_describes_what_the_code_writes():
    g = rdflib.Graph().parse(ROOT / "ontology" / "tallies.ttl")
    qb = rdflib.Namespace(QB)
    sets = {str(s)[len(TALLY_SETS):] for s in g.subjects(rdflib.RDF.type, qb.DataSet)}
    assert sets == set(DIMENSIONS) == set(MEASURES)
    for name in sets:
        dsd = g.value(rdflib.URIRef(TALLY_SETS + name), qb.structure)
        comps = list(g.objects(dsd, qb.component))
        dims = sorted((int(g.value(c, qb.order)), str(g.value(c, qb.dimension))) for c in comps
                      if g.value(c, qb.dimension) is not None)
        assert [d for _, d in dims] == [TTDN + d for d in DIMENSIONS[name]], name
        assert {str(g.value(c, qb.measure)) for c in comps if g.value(c, qb.measure)} == {
            TTDN + m for m in MEASURES[name]}, name
        assert {o.language for o in g.objects(rdflib.URIRef(TALLY_SETS + name), rdflib.RDFS.label)} == {"vi", "en"}


def test_tallies_are_true_on_the_seeds_and_follow_a_replaced_and_a_removed_document(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    for f in sorted(PLANS.glob("*.txt")):
        (folder / f.name).write_bytes(f.read_bytes())
    kon_tum = sorted(PLANS.glob("001_*.txt"))[0].read_text(encoding="utf-8")
    extra = folder / "zz_extra.txt"
    with open_store(str(tmp_path / "store")) as st:
        assert load_paths([folder], st, progress=False).ok
        assert_tallies_true(st)
        before = stored(st)
        # a second plan of Kon Tum, for 2020: Kon Tum's and the country's counts grow, 2020 appears
        extra.write_text(kon_tum.replace("năm 2019", "năm 2020").replace("215/KH-UBND", "216/KH-UBND"),
                         encoding="utf-8")
        assert load_paths([extra], st, progress=False).ok
        assert_tallies_true(st)
        kon = "https://w3id.org/ttdn/id/unit/kon-tum"
        grown = stored(st)
        assert grown["unit"][(kon,)]["planCount"] == before["unit"][(kon,)]["planCount"] + 1
        # replaced by a version of 2019 whose task 1.3 has another lead (Sở Tư pháp, new to the store)
        lead = "- *Cơ quan chủ trì:* Sở Ngoại vụ."
        assert lead in kon_tum
        extra.write_text(kon_tum.replace("215/KH-UBND", "216/KH-UBND").replace(lead, "- *Cơ quan chủ trì:* Sở Tư pháp."),
                         encoding="utf-8")
        assert load_paths([extra], st, progress=False).ok
        assert_tallies_true(st)
        replaced = stored(st)
        assert not any(y == 2020 for (u, y) in replaced["unit-year"] if u == kon)
        assert any("tu-phap" in a for (a, _) in replaced["agency-year"])
        # removed: the seeds' tallies, observation for observation
        assert remove_documents(st, [extra.name]).ok
        assert_tallies_true(st)
        assert stored(st) == before


def test_tallies_are_true_on_a_generated_corpus_after_a_replacement_and_a_removal(corpus, tmp_path):
    folder, path = corpus
    with open_store(str(path), read_only=True) as st:
        assert_tallies_true(st)
    # a copy of the corpus store: one document replaced (another year, a line of tasks gone), another removed
    import shutil
    copy = tmp_path / "store"
    shutil.copytree(path, copy)
    docs = sorted(folder.iterdir())
    changed = tmp_path / docs[3].name
    text = docs[3].read_text(encoding="utf-8")
    year = next(y for y in range(2018, 2026) if str(y) in text)
    lines = [ln for ln in text.replace(str(year), str(year + 1)).splitlines()]
    del lines[len(lines) // 2]
    changed.write_text("\n".join(lines), encoding="utf-8")
    with open_store(str(copy)) as st:
        assert load_paths([changed], st, progress=False).ok
        assert_tallies_true(st)
        assert remove_documents(st, [docs[1].name, docs[3].name]).ok
        assert_tallies_true(st)


# -- summaries agree with the unpaged answers ------------------------------------------------------------------------
def _loaded_plans_counts_are_distinct_tasks(st) -> int:
    """loaded-plans' ?tasks equals the plan's distinct tasks by plain SPARQL, on every row; the number of rows."""
    truth = {r["p"].value: int(r["n"].value) for r in st.query(
        P + "SELECT ?p (COUNT(DISTINCT ?t) AS ?n) WHERE { " + LOADED + "OPTIONAL { ?p ttdn:hasTask ?t } } GROUP BY ?p")}
    rows = _run(st, "loaded-plans")
    assert rows and {r["plan"] for r in rows} == set(truth)
    for r in rows:
        assert int(r["tasks"]) == truth[r["plan"]], r
    return len(rows)


def test_loaded_plans_counts_each_task_once_when_two_documents_describe_one_plan(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    seeds = sorted(PLANS.glob("*.txt"))
    for f in seeds:
        (folder / f.name).write_bytes(f.read_bytes())
    (folder / ("copy_of_" + seeds[0].name)).write_bytes(seeds[0].read_bytes())  # the same plan, a second file
    with open_store(str(tmp_path / "store")) as st:
        assert load_paths([folder], st, progress=False).ok
        assert _loaded_plans_counts_are_distinct_tasks(st) == len(seeds) + 1  # a row per document


def test_loaded_plans_counts_are_true_on_a_generated_corpus(corpus):
    with open_store(str(corpus[1]), read_only=True) as st:
        assert _loaded_plans_counts_are_distinct_tasks(st) > 0


def _roots(st, n: int = 4) -> list[str]:
    rows = st.query(P + "SELECT ?r (COUNT(*) AS ?n) WHERE { ?d ttdn:derivationTarget ?r } GROUP BY ?r "
                        f"ORDER BY DESC(?n) ?r LIMIT {n}")
    return [r["r"].value for r in rows]


def _run(st, name: str, **params) -> list[dict[str, str]]:
    return [{k: v.value for k, v in r.items() if v is not None} for r in st.query(QUERIES[name].bind(params))]


def _provinces(st) -> dict[str, str]:
    """unit → the province it rolls up to (itself for a province or the country)."""
    out: dict[str, str] = {}
    for r in st.query(P + "SELECT ?u ?c WHERE { ?u a ?c FILTER(?c IN (ttdn:Province, ttdn:Country)) }"):
        out[r["u"].value] = r["u"].value
    for r in st.query(P + "SELECT ?u ?p WHERE { ?u ttdn:within ?p . ?p a ttdn:Province } ORDER BY DESC(?p)"):
        if r["u"].value not in out or out[r["u"].value] != r["u"].value:
            out[r["u"].value] = r["p"].value
    return out


def _dates(st) -> tuple[dict[str, str], dict[str, str]]:
    issued = {r["x"].value: r["d"].value for r in st.query(P + "SELECT ?x ?d WHERE { ?x ttdn:dateIssued ?d }")}
    start = {r["x"].value: r["d"].value for r in st.query(P + "SELECT ?x ?d WHERE { ?x ttdn:periodStart ?d }")}
    return issued, start


def _cells(rows: list[dict[str, str]], key_of) -> dict[tuple, dict]:
    cells: dict[tuple, dict] = defaultdict(lambda: {"plans": 0, "instruments": 0, "tasks": 0, "lags": []})
    for r in rows:
        c = cells[key_of(r)]
        c["plans" if r["kind"] == "Plan" else "instruments"] += 1
        c["tasks"] += r["tasks"]
        if r["lag"] is not None:
            c["lags"].append(r["lag"])
    return cells


def _summary(rows: list[dict[str, str]], keys: tuple[str, ...]) -> dict[tuple, dict]:
    out = {}
    for r in rows:
        key = tuple(int(r[k]) if k in ("depth", "year") and k in r else r.get(k) for k in keys)
        assert key not in out, key
        out[key] = {"plans": int(r["plans"]), "instruments": int(r["instruments"]), "tasks": int(r["tasks"]),
                    "earliest": int(r["earliestLagDays"]) if "earliestLagDays" in r else None,
                    "median": float(r["medianLagDays"]) if "medianLagDays" in r else None}
    return out


def _lag(a: str | None, b: str | None) -> int | None:
    return (date.fromisoformat(b[:10]) - date.fromisoformat(a[:10])).days if a and b else None


def _compare(want: dict[tuple, dict], got: dict[tuple, dict]) -> None:
    assert set(got) == set(want)
    for key, c in want.items():
        g = got[key]
        assert (g["plans"], g["instruments"], g["tasks"]) == (c["plans"], c["instruments"], c["tasks"]), key
        assert g["earliest"] == (min(c["lags"]) if c["lags"] else None), key
        assert g["median"] == (statistics.median(c["lags"]) if c["lags"] else None), key


def _country(st) -> str:
    return st.query(P + "SELECT ?c WHERE { ?c a ttdn:Country }")[0]["c"].value


def _iri(st, root: str) -> str:
    if "://" in root:
        return root
    return st.query(P + f'SELECT ?r WHERE {{ ?r ttdn:number "{root}" }}')[0]["r"].value


def check_cascade_summary(st, root: str) -> int:
    """cascade-summary of `root` against cascade-down's rows (the unpaged answer); returns the rows compared."""
    root = _iri(st, root)
    down = _run(st, "cascade-down", instrument=root)
    prov, (issued, start) = _provinces(st), _dates(st)
    country = _country(st)
    tasks: dict[str, int] = defaultdict(int)
    for r in down:
        if r["kind"] == "Task":
            tasks[r["plan"]] += 1
    items = []
    for r in down:
        if r["kind"] != "Task":
            day = issued.get(r["item"]) or start.get(r["item"])
            items.append({"kind": r["kind"], "depth": int(r["depth"]), "tasks": tasks[r["item"]],
                          "province": prov.get(r.get("jurisdiction"), r.get("jurisdiction")) or country,
                          "year": int(day[:4]) if day else None, "lag": _lag(issued.get(root), day)})
    want = _cells(items, lambda r: (r["depth"], r["province"], r["year"]))
    got = _summary(_run(st, "cascade-summary", instrument=root), ("depth", "province", "year"))
    _compare(want, got)
    return len(down)


def check_uptake_summary(st, root: str) -> int:
    root = _iri(st, root)
    up = _run(st, "directive-uptake", instrument=root)
    prov = _provinces(st)
    country = _country(st)
    plans = {r["x"].value for r in st.query(P + "SELECT ?x WHERE { ?x a ttdn:Plan }")}
    tasks = _count(st, "?p", "COUNT(?t)", "?p ttdn:hasTask ?t")
    items = [{"kind": "Plan" if r["citing"] in plans else "Instrument", "tasks": tasks.get((r["citing"],), 0),
              "province": prov.get(r.get("jurisdiction"), r.get("jurisdiction")) or country,
              "year": int(r["citingDate"][:4]) if "citingDate" in r else None,
              "lag": int(r["days"]) if "days" in r else None} for r in up if r["citing"] != root]
    want = _cells(items, lambda r: (r["province"], r["year"]))
    got = _summary(_run(st, "uptake-summary", instrument=root), ("province", "year"))
    _compare(want, got)
    return len(up)


def test_summaries_agree_with_the_unpaged_answers_on_the_seeds(seed_store_path):
    with open_store(seed_store_path, read_only=True) as st:
        assert check_cascade_summary(st, "1486/QĐ-TTg") > 50
        assert check_uptake_summary(st, "1486/QĐ-TTg") >= 2
        for root in _roots(st):
            check_cascade_summary(st, root)
            check_uptake_summary(st, root)


def test_summaries_agree_with_the_unpaged_answers_on_a_generated_corpus(corpus):
    with open_store(str(corpus[1]), read_only=True) as st:
        compared = [check_cascade_summary(st, root) for root in _roots(st, 6)]
        assert max(compared) > 300  # cascades of hundreds of rows: the test has teeth
        assert sum(check_uptake_summary(st, root) for root in _roots(st, 6)) > 20


# -- pages -------------------------------------------------------------------------------------------------------------
def _pages(st, name: str, size: int | None = None, **params) -> list[list[dict[str, str]]]:
    q = QUERIES[name]
    if size is not None:  # the same query with smaller pages, to walk many of them
        assert q.sparql.rstrip().endswith("LIMIT 100")
        q = parse_rq(q.sparql.rstrip()[: -len("100")] + str(size), name)
    limit = size or 100
    pages, after = [], None
    while True:
        rows = [{k: v.value for k, v in r.items() if v is not None}
                for r in st.query(q.bind({**params, **({"after": after} if after else {})}))]
        assert len(rows) <= limit
        if rows:
            pages.append(rows)
            again = [{k: v.value for k, v in r.items() if v is not None}
                     for r in st.query(q.bind({**params, **({"after": after} if after else {})}))]
            assert again == rows  # the same page twice: a stable order
        if len(rows) < limit:
            return pages
        after = rows[-1]["key"]


def _walk(st, name: str, summary: str, root: str, size: int | None) -> tuple[list[dict[str, str]], int]:
    """Every page of every province of the root's summary: (the rows, the most pages one province had)."""
    rows: list[dict[str, str]] = []
    most = 0
    for province in sorted({r["province"] for r in _run(st, summary, instrument=root)}):
        pages = _pages(st, name, size, instrument=root, province=province)
        keys = [r["key"] for page in pages for r in page]
        assert keys == sorted(keys) and len(set(keys)) == len(keys)  # in order, no row twice
        assert all(len(p) == (size or 100) for p in pages[:-1])
        assert all(r["province"] == province for r in (r for page in pages for r in page))
        rows += [r for page in pages for r in page]
        most = max(most, len(pages))
    return rows, most


@pytest.mark.parametrize("size", [None, 7])
def test_cascade_pages_cover_the_cascade_once_in_a_stable_order(corpus, size):
    with open_store(str(corpus[1]), read_only=True) as st:
        most = 0
        for root in _roots(st, 3):
            down = {(r["item"], r["plan"]) for r in _run(st, "cascade-down", instrument=root)}
            rows, pages = _walk(st, "cascade-page", "cascade-summary", root, size)
            assert len(rows) == len(down) and {(r["item"], r["plan"]) for r in rows} == down
            most = max(most, pages)
        assert most >= (2 if size is None else 10)  # a province of several pages: the test has teeth


@pytest.mark.parametrize("size", [None, 2])
def test_uptake_pages_cover_the_citers_once_in_a_stable_order(corpus, size):
    with open_store(str(corpus[1]), read_only=True) as st:
        most = 0
        for root in _roots(st, 3):
            citing = {r["citing"] for r in _run(st, "directive-uptake", instrument=root)} - {root}
            rows, pages = _walk(st, "uptake-page", "uptake-summary", root, size)
            assert len(rows) == len(citing) and {r["citing"] for r in rows} == citing
            most = max(most, pages)
        assert most >= (1 if size is None else 2)


def test_a_page_narrowed_to_a_summary_row_holds_that_rows_items(corpus):
    with open_store(str(corpus[1]), read_only=True) as st:
        root = _roots(st, 1)[0]
        for row in _run(st, "cascade-summary", instrument=root)[:8]:
            params = {"instrument": root, "province": row["province"], "depth": row["depth"]}
            if "year" in row:
                params["year"] = row["year"]
            rows = [r for page in _pages(st, "cascade-page", **params) for r in page]
            rows = [r for r in rows if "year" not in row or r.get("itemYear") == row["year"]]
            plans = [r for r in rows if r["kind"] == "Plan"]
            assert len(plans) == int(row["plans"])
            assert sum(1 for r in rows if r["kind"] == "Task") == int(row["tasks"])
            assert {r["depth"] for r in rows} == {row["depth"]}


def test_the_drill_down_queries_page_by_a_key_and_a_bounded_limit():
    for name in ("cascade-page", "uptake-page"):
        q = QUERIES[name]
        assert q.param("after").optional and q.sparql.rstrip().endswith("ORDER BY ?key\nLIMIT 100")
    for name in ("cascade-summary", "uptake-summary"):
        assert "summary" in QUERIES[name].title.lower()
    assert Path(ROOT / "queries" / "cascade-page.rq").is_file()
