"""Named research queries over HTTP (live_server): each runs on the seeds and agrees with a direct check."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from api_fixtures import PREFIXES

from ttdn_graph.queries import load_queries

INJECTION = '"> } ; DROP ALL #'


def run(live, name: str, **params) -> list[dict[str, str]]:
    r = live.get(f"/queries/{name}", params={**params, "format": "json"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    return [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]


def direct(live, sparql: str) -> list[dict[str, str]]:
    """An independent query straight on the store (no named-query machinery)."""
    return live.store.query_values(PREFIXES + sparql)


def test_every_named_query_runs_on_the_seeds(live_server):
    empty = []
    for name in load_queries():
        if not run(live_server, name):
            empty.append(name)
    assert empty == []


def test_list_in_json_and_html(live_server):
    names = set(load_queries())
    r = live_server.get("/queries", params={"format": "json"})
    listed = {q["name"]: q for q in r.json()["queries"]}
    assert set(listed) == names
    assert {p["name"] for p in listed["tasks-in-quarter"]["params"]} == {"year", "quarter"}
    assert live_server.get("/queries", headers={"Accept": "application/json"}).json()["queries"]
    h = live_server.get("/queries", headers={"Accept": "text/html,*/*;q=0.8"})
    assert h.headers["content-type"].startswith("text/html")
    assert all(f'href="/queries/{n}"' in h.text for n in names)


def test_cascade_from_1486_reaches_the_plans_and_their_tasks(live_server):
    rows = run(live_server, "cascade-down", instrument="1486/QĐ-TTg")
    plans = {r["item"] for r in rows if r["kind"] == "Plan"}
    by_path = {r["x"] for r in direct(live_server, """SELECT DISTINCT ?x WHERE {
        ?root ttdn:number "1486/QĐ-TTg" . ?x (ttdn:legalBasis|ttdn:implements)+ ?root . ?x a ttdn:Plan }""")}
    assert plans == by_path and len(plans) >= 2
    places = {r["jurisdictionLabel"] for r in rows if r["kind"] == "Plan"}
    assert {"Kon Tum", "Quảng Ninh"} <= places
    tasks = {r["item"] for r in rows if r["kind"] == "Task"}
    expected = {r["t"] for r in direct(live_server, "SELECT DISTINCT ?t WHERE { ?p ttdn:hasTask ?t } VALUES ?p { "
                                       + " ".join(f"<{p}>" for p in plans) + " }")}
    assert tasks == expected and len(tasks) > 20
    assert all(r["depth"] == "1" for r in rows if r["plan"] in by_path)
    same = run(live_server, "cascade-down", instrument="1486/qđ-ttg")  # case ignored
    assert {r["item"] for r in same} == {r["item"] for r in rows}


def test_ancestry_of_the_kon_tum_plan(live_server):
    rows = run(live_server, "ancestry-up", plan="215/KH-UBND")
    numbers = {r.get("number"): r for r in rows}
    assert {"1486/QĐ-TTg", "72/2015/NĐ-CP"} <= set(numbers)
    assert numbers["1486/QĐ-TTg"]["central"] == "true"
    local = [r for r in rows if r["central"] == "false"]
    assert local, "the seed plan also rests on provincial instruments"
    central = run(live_server, "ancestry-up", plan="215/KH-UBND", centralOnly="true")
    assert {r["ancestor"] for r in central} == {r["ancestor"] for r in rows if r["central"] == "true"}


def test_directive_uptake_counts_days_from_the_dates(live_server):
    rows = run(live_server, "directive-uptake", instrument="1486/QĐ-TTg")
    assert {r["jurisdictionLabel"] for r in rows} >= {"Kon Tum", "Quảng Ninh"}
    issued = direct(live_server, 'SELECT ?d WHERE { ?i ttdn:number "1486/QĐ-TTg" ; ttdn:dateIssued ?d } LIMIT 1')
    root = date.fromisoformat(issued[0]["d"])
    for r in rows:
        assert int(r["days"]) == (date.fromisoformat(r["citingDate"]) - root).days
        assert r["dateKind"] in ("issued", "period start")


def test_most_cited_puts_a_three_plan_instrument_on_top(live_server):
    rows = run(live_server, "most-cited")
    assert rows[0]["number"] in ("72/2015/NĐ-CP", "22/2016/TT-BTTTT") and rows[0]["plans"] == "3"
    counts = [int(r["plans"]) for r in rows]
    assert counts == sorted(counts, reverse=True)
    for r in rows[:3]:
        n = direct(live_server, f"""SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{
            ?p a ttdn:Plan ; prov:wasDerivedFrom ?s ; ttdn:legalBasis|ttdn:cites <{r['instrument']}> }}""")
        assert n[0]["n"] == r["plans"]
    decisions = run(live_server, "most-cited", instrumentType="qd")
    assert decisions and all("QĐ" in r.get("number", "QĐ") or "/qd/" in r["instrument"] for r in decisions)


def test_workload_has_kon_tum_information_department_on_top(live_server):
    rows = run(live_server, "agency-workload")
    top = rows[0]
    assert top["label"].startswith("Sở Thông tin và Truyền thông") and top["jurisdictionLabel"] == "Kon Tum"
    leads = direct(live_server, f"SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE {{ ?t ttdn:leadAgency <{top['agency']}> }}")
    assert top["leads"] == leads[0]["n"] and int(top["leads"]) >= 5
    assert int(top["total"]) == int(top["leads"]) + int(top["supports"])
    kon_tum = run(live_server, "agency-workload", jurisdiction="kon-tum")
    assert kon_tum[0]["agency"] == top["agency"] and {r["jurisdictionLabel"] for r in kon_tum} == {"Kon Tum"}


def test_agency_tasks_and_pairs_agree_with_the_workload(live_server):
    top = run(live_server, "agency-workload", jurisdiction="kon-tum")[0]
    rows = run(live_server, "agency-tasks", agencyName="sở thông tin và truyền thông", jurisdiction="kon-tum")
    assert {r["agency"] for r in rows} == {top["agency"]}
    assert sum(r["role"] == "lead" for r in rows) == int(top["leads"])
    pairs = run(live_server, "agency-pairs")
    a, b, n = pairs[0]["agencyA"], pairs[0]["agencyB"], pairs[0]["tasks"]
    shared = direct(live_server, f"""SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE {{
        ?t ttdn:leadAgency|ttdn:supportAgency <{a}> . ?t ttdn:leadAgency|ttdn:supportAgency <{b}> }}""")
    assert shared[0]["n"] == n and int(n) >= max(int(p["tasks"]) for p in pairs)


def test_agency_duties_lists_what_the_huong_tra_culture_office_must_do(live_server):
    rows = run(live_server, "agency-duties")  # defaults: Phòng Văn hóa và Thông tin, in Thừa Thiên Huế
    assert {r["agencyLabel"] for r in rows} == {"Phòng Văn hóa và Thông tin thị xã Hương Trà"}
    mine = [r for r in rows if r["role"] == "responsible"]
    expected = direct(live_server, f"""SELECT ?d ?text ?start WHERE {{
        ?r ttdn:agency <{rows[0]['agency']}> ; ttdn:hasDuty ?d . ?d ttdn:sourceText ?text ; ttdn:lineStart ?start }}""")
    assert sorted((r["item"], r["text"], r["lineStart"]) for r in mine) == sorted(
        (e["d"], e["text"], e["start"]) for e in expected)
    assert [int(r["lineStart"]) for r in mine] == [92, 94, 96, 98, 100] and {r["section"] for r in mine} == {"III.2"}
    partner = [r for r in rows if r["role"] == "partner"]
    assert [(r["section"], r["lineStart"]) for r in partner] == [("III.5", "124")]  # Công an thị xã's duty
    # the tasks an agency leads or supports come with its duties (Kon Tum's information department)
    kon_tum = run(live_server, "agency-duties", agencyName="sở thông tin và truyền thông", jurisdiction="kon-tum")
    top = run(live_server, "agency-workload", jurisdiction="kon-tum")[0]
    assert sum(r["kind"] == "task" and r["role"] == "lead" for r in kon_tum) == int(top["leads"])
    assert any(r["kind"] == "duty" for r in kon_tum)
    assert run(live_server, "agency-duties", agencyName=INJECTION) == []


def _intervals(live) -> dict[str, tuple[str, str]]:
    rows = direct(live, """SELECT ?t (MIN(?s) AS ?start) (MAX(?e) AS ?end) WHERE {
        ?t ttdn:ofPlan ?p .
        OPTIONAL { ?t ttdn:timeframe/time:hasBeginning/time:inXSDDate ?ts }
        OPTIONAL { ?t ttdn:timeframe/time:hasEnd/time:inXSDDate ?te }
        OPTIONAL { ?p ttdn:periodStart ?ps } OPTIONAL { ?p ttdn:periodEnd ?pe }
        BIND(COALESCE(?ts, ?ps, ?te, ?pe) AS ?s) BIND(COALESCE(?te, ?pe, ?ts, ?ps) AS ?e)
    } GROUP BY ?t""")
    return {r["t"]: (r["start"], r["end"]) for r in rows if "start" in r}


@pytest.mark.parametrize("year, quarter", [(2019, 2), (2019, 3), (2020, 4)])
def test_tasks_in_a_quarter_are_exactly_the_overlapping_ones(live_server, year, quarter):
    q_start = f"{year}-{3 * quarter - 2:02d}-01"
    q_end = {1: "03-31", 2: "06-30", 3: "09-30", 4: "12-31"}[quarter]
    expected = {t for t, (s, e) in _intervals(live_server).items() if s <= f"{year}-{q_end}" and e >= q_start}
    got = {r["task"] for r in run(live_server, "tasks-in-quarter", year=str(year), quarter=str(quarter))}
    assert got == expected and got


def test_tasks_by_agency_type_and_by_theme(live_server):
    rows = run(live_server, "tasks-by-agency-type", agencyType="department", year="2019")
    assert rows and {"Kon Tum", "Quảng Ninh", "Hải Dương"} <= {r["provinceLabel"] for r in rows}
    agencies = {r["agency"] for r in rows}
    typed = {r["a"] for r in direct(live_server, "SELECT DISTINCT ?a WHERE { ?a ttdn:agencyType "
                                    "<https://w3id.org/ttdn/vocab/agency-type/department> }")}
    assert agencies <= typed
    assert all(r["start"][:4] <= "2019" <= r["end"][:4] for r in rows)
    assert not run(live_server, "tasks-by-agency-type", agencyType="department", year="1999")
    themed = run(live_server, "tasks-by-theme", theme="land-border", year="2019")
    tagged = {r["t"] for r in direct(live_server, "SELECT DISTINCT ?t WHERE { ?t ttdn:theme "
                                     "<https://w3id.org/ttdn/vocab/theme/land-border> }")}
    assert themed and {r["task"] for r in themed} <= tagged


def test_compare_and_basis_lacking(live_server):
    rows = run(live_server, "compare-themes", unitA="kon-tum", unitB="quang-ninh")
    by_theme = {r["theme"]: r for r in rows}
    for theme, r in list(by_theme.items())[:5]:
        n = direct(live_server, f"""SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE {{ ?t ttdn:theme <{theme}> ;
            ttdn:ofPlan/ttdn:jurisdiction <https://w3id.org/ttdn/id/unit/kon-tum> }}""")
        assert r["tasksA"] == n[0]["n"]
    lacking = {r["plan"] for r in run(live_server, "basis-lacking-type", instrumentType="nd")}
    loaded = {r["p"] for r in direct(live_server, "SELECT DISTINCT ?p WHERE { ?p a ttdn:Plan ; prov:wasDerivedFrom ?s }")}
    with_decree = {r["p"] for r in direct(live_server, """SELECT DISTINCT ?p WHERE { ?p ttdn:legalBasis ?b .
        ?b ttdn:instrumentType <https://w3id.org/ttdn/vocab/instrument-type/nd> }""")}
    assert lacking == loaded - with_decree and lacking and with_decree
    plans = run(live_server, "loaded-plans")
    assert {r["plan"] for r in plans} == loaded and all(int(r["tasks"]) > 0 for r in plans)


def test_formats_and_shareable_urls(live_server):
    r = live_server.get("/queries/agency-workload", params={"jurisdiction": "kon-tum", "format": "csv"})
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows[0]["jurisdictionLabel"] == "Kon Tum"
    r = live_server.get("/queries/agency-workload", params={"jurisdiction": "kon-tum"}, headers={"Accept": "text/csv"})
    assert r.headers["content-type"].startswith("text/csv")
    r = live_server.get("/queries/agency-workload", params={"format": "tsv"})
    assert r.text.startswith("?agency\t")
    h = live_server.get("/queries/agency-workload", params={"jurisdiction": "kon-tum"}, headers={"Accept": "text/html"})
    assert h.status_code == 200 and h.headers["content-type"].startswith("text/html")
    assert "<table" in h.text and "Sở Thông tin và Truyền thông" in h.text
    assert "jurisdiction=kon-tum&amp;format=csv" in h.text  # links to the same result as data
    assert h.headers["X-TTDN-Truncated"] == "false"
    rq = live_server.get("/queries/agency-workload.rq")
    assert rq.text == load_queries()["agency-workload"].sparql
    bound = live_server.get("/queries/agency-workload", params={"jurisdiction": "kon-tum", "format": "rq"})
    assert "VALUES (?jurisdiction) { (<https://w3id.org/ttdn/id/unit/kon-tum>) }" in bound.text


def test_parameters_are_checked_and_never_query_text(live_server):
    r = live_server.get("/queries/agency-tasks", params={"jurisdiction": INJECTION, "format": "json"})
    assert r.status_code == 400 and "jurisdiction" in r.text
    r = live_server.get("/queries/tasks-in-quarter", params={"year": "2019) } #", "format": "json"})
    assert r.status_code == 400 and "integer" in r.text
    r = live_server.get("/queries/tasks-in-quarter", params={"quarter": "5", "format": "json"})
    assert r.status_code == 400
    assert run(live_server, "agency-tasks", agencyName=INJECTION) == []  # a literal that matches nothing
    assert run(live_server, "most-cited")  # and the store is intact
    r = live_server.get("/queries/most-cited", params={"colour": "red", "format": "json"})
    assert r.status_code == 400 and "unknown parameter" in r.text
    assert live_server.get("/queries/no-such-query").status_code == 404


def test_html_escapes_what_it_echoes(live_server):
    evil = '<script>alert("x")</script>'
    h = live_server.get("/queries/agency-tasks", params={"agencyName": evil}, headers={"Accept": "text/html"})
    assert h.status_code == 200
    assert evil not in h.text and "&lt;script&gt;" in h.text
    bad = live_server.get("/queries/agency-tasks", params={"jurisdiction": evil}, headers={"Accept": "text/html"})
    assert bad.status_code == 400 and evil not in bad.text and "&lt;script&gt;" in bad.text


def test_cell_rendering_escapes_values():
    from ttdn_graph.web.queries_route import _cell

    assert _cell({"type": "literal", "value": "<b>&\"'"}, str) == "&lt;b&gt;&amp;&quot;&#x27;"
    link = _cell({"type": "uri", "value": "https://e.org/x?a=1&b=2"}, lambda i: i)
    assert link == '<a href="https://e.org/x?a=1&amp;b=2">https://e.org/x?a=1&amp;b=2</a>'


def test_named_cli(seed_store_path):
    import typer
    from typer.testing import CliRunner

    from ttdn_graph.cli_serve import named

    app = typer.Typer()
    app.command()(named)
    runner = CliRunner()
    res = runner.invoke(app, ["--list"])
    assert res.exit_code == 0 and "cascade-down" in res.output
    res = runner.invoke(app, ["agency-workload", "-p", "jurisdiction=kon-tum", "--format", "csv",
                              "--store", seed_store_path])
    assert res.exit_code == 0 and res.output.splitlines()[0].startswith("agency,label")
    res = runner.invoke(app, ["agency-workload", "-p", f"jurisdiction={INJECTION}", "--store", seed_store_path])
    assert res.exit_code == 2 and "jurisdiction" in res.output


def test_cascade_ancestry_and_uptake_take_an_iri_as_well_as_a_number(live_server):
    (root,) = {r["i"] for r in direct(live_server, 'SELECT DISTINCT ?i WHERE { ?i ttdn:number "1486/QĐ-TTg" }')}
    (plan,) = {r["p"] for r in direct(live_server,
                                      'SELECT DISTINCT ?p WHERE { ?p ttdn:number "215/KH-UBND" ; a ttdn:Plan }')}
    for name, key, number, iri in (("cascade-down", "instrument", "1486/QĐ-TTg", root),
                                   ("directive-uptake", "instrument", "1486/QĐ-TTg", root),
                                   ("ancestry-up", "plan", "215/KH-UBND", plan)):
        by_number = run(live_server, name, **{key: number})
        by_iri = run(live_server, name, **{key: iri})
        assert by_number and sorted(map(sorted, map(dict.items, by_iri))) == \
            sorted(map(sorted, map(dict.items, by_number))), name
        # case and spacing are not part of a number: a look-up key, not a scan, finds the same node
        by_spelling = run(live_server, name, **{key: " " + number.lower().replace("/", " / ")})
        assert sorted(map(sorted, map(dict.items, by_spelling))) == \
            sorted(map(sorted, map(dict.items, by_number))), name
    assert run(live_server, "cascade-down", instrument=root + "-no-such") == []
