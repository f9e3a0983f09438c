"""The cascade view's summary mode (views.cascade_summary): layers clustered by province, its counts those of the
cascade summaries, its province and year filters, a fixed layout that stays apart at national scale."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from pages_fixtures import external_urls, make_app, oracle

from ttdn_graph.queries import load_queries
from ttdn_graph.views.cascade_summary import COLUMNS, LAYER_GAP, cluster_position
from ttdn_graph.web.views import SUMMARY_AT

P = "PREFIX ttdn: <https://w3id.org/ttdn/ontology#>\n"
QUERIES = load_queries()
COUNTS = re.compile(r"(\d+) VB · (\d+) NV")


@pytest.fixture(scope="module")
def app(generated_corpus):
    """The app over the generated corpus, with `app.state.store` a read-only handle of the test's own (the app
    holds none: its query workers read the store) to check what it serves against."""
    app = make_app(generated_corpus[1])
    app.state.store = oracle(generated_corpus[1])
    yield app
    app.state.store.close()


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app) as c:  # the lifespan starts the query workers every view reads through
        yield c


@pytest.fixture(scope="module")
def root(app) -> str:
    rows = app.state.store.query(P + "SELECT ?r (COUNT(*) AS ?n) WHERE { ?d ttdn:derivationTarget ?r } GROUP BY ?r "
                                     "ORDER BY DESC(?n) ?r LIMIT 1")
    assert int(rows[0]["n"].value) > SUMMARY_AT  # the corpus has a cascade big enough to open as its summary
    return rows[0]["r"].value


def view(client, **params) -> dict:
    r = client.get("/views/cascade", params={**params, "format": "json"})
    assert r.status_code == 200, r.text[:300]
    return r.json()


def summary(app, root: str) -> list[dict[str, str]]:
    return [{k: v.value for k, v in r.items() if v is not None}
            for r in app.state.store.query(QUERIES["cascade-summary"].bind({"instrument": root}))]


def cluster_counts(g: dict) -> dict[str, list[int]]:
    """province IRI → [documents, tasks] summed over its cluster's nodes."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for n in g["nodes"]:
        if n["group"] and n["group"].startswith("province:"):
            docs, tasks = map(int, COUNTS.search(n["label"]).groups())
            out[n["group"][len("province:"):]][0] += docs
            out[n["group"][len("province:"):]][1] += tasks
    return out


def expected_counts(rows: list[dict[str, str]], year: int | None = None) -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        if r["province"].endswith("/unit/vn") or (year is not None and r.get("year") != str(year)):
            continue
        out[r["province"]][0] += int(r["plans"]) + int(r["instruments"])
        out[r["province"]][1] += int(r["tasks"])
    return out


def test_a_big_cascade_opens_as_its_summary_clustered_by_province(client, app, root):
    g = view(client, instrument=root)
    assert g["params"]["mode"] == "summary" and g["layout"] == "preset"
    rows = summary(app, root)
    assert cluster_counts(g) == expected_counts(rows) and len(cluster_counts(g)) >= 2
    # facets: every province and year of the summary
    assert set(g["facets"]["provinces"]) == {r["province"] for r in rows}
    assert g["facets"]["years"] == sorted({int(r["year"]) for r in rows if "year" in r})
    # a province node over its local node, both linking to the view narrowed to the province
    for n in g["nodes"]:
        if n["group"] and n["group"].startswith("province:"):
            assert "province=" in n["url"] and n["url"].startswith("/views/cascade?")
    # every node placed, none on another
    assert all(n["x"] is not None and n["y"] is not None for n in g["nodes"])
    assert len({(n["x"], n["y"]) for n in g["nodes"]}) == len(g["nodes"])
    # the items view is one parameter away, and still what it was
    items = view(client, instrument=root, mode="items")
    assert items["layout"] == "auto" and len(items["nodes"]) > len(g["nodes"])


def test_the_year_filter_counts_that_year_only(client, app, root):
    rows = summary(app, root)
    years = sorted({int(r["year"]) for r in rows if "year" in r})
    assert len(years) >= 2
    for year in years[:3]:
        g = view(client, instrument=root, year=str(year))
        assert cluster_counts(g) == expected_counts(rows, year)
        assert all(f"year={year}" in n["url"] for n in g["nodes"] if n["group"] and n["group"].startswith("province:"))
    assert client.get("/views/cascade", params={"instrument": root, "year": "20x9"}).status_code == 400


def test_the_province_filter_draws_that_provinces_documents_one_by_one(client, app, root):
    rows = summary(app, root)
    province = max(expected_counts(rows).items(), key=lambda kv: kv[1][0])[0]
    g = view(client, instrument=root, province=province)
    pages = [r for r in app.state.store.query(QUERIES["cascade-page"].bind({"instrument": root, "province": province}))]
    assert len(pages) == 100  # more than one page of rows: the view is not limited by it
    items = {r["item"].value for r in app.state.store.query(
        P + f"SELECT ?item WHERE {{ ?c ttdn:refInstrument <{root}> ; ttdn:refDepth ?d ; ttdn:refUnit <{province}> ; "
            "ttdn:cellItem ?item }")}
    drawn = {n["id"] for n in g["nodes"]} - {root}
    assert drawn == items and len(drawn) == sum(int(r["plans"]) + int(r["instruments"]) for r in rows
                                                if r["province"] == province)
    assert all(n["url"].startswith("/id/") for n in g["nodes"])  # each opens its own page
    # province and year together
    year = next(int(r["year"]) for r in rows if r["province"] == province and "year" in r)
    g2 = view(client, instrument=root, province=province, year=str(year))
    assert len(g2["nodes"]) - 1 == sum(int(r["plans"]) + int(r["instruments"]) for r in rows
                                       if r["province"] == province and r.get("year") == str(year))
    # a province given by its id, as the named queries take it
    assert view(client, instrument=root, province=province.rsplit("/", 1)[-1])["nodes"] == g["nodes"]
    assert client.get("/views/cascade", params={"instrument": root, "province": "no-such-place"}).status_code == 400


def test_the_summary_page_has_its_filters_and_loads_nothing_from_elsewhere(client, root):
    r = client.get("/views/cascade", params={"instrument": root})
    assert r.status_code == 200
    s = BeautifulSoup(r.text, "html.parser")
    assert s.select_one("select[name=province]") and s.select_one("select[name=year]")
    assert len(s.select("select[name=province] option")) >= 3
    assert not external_urls(r.text, {"127.0.0.1", "localhost"})
    assert "cdn" not in r.text.lower() and '"physics": {"enabled": false}' in r.text.replace("\\", "")


def test_clusters_stay_apart_at_national_scale():
    """63 provinces, each a province node over a local node: 126 cluster nodes (200+ with the central rows), on a
    grid of COLUMNS columns, no two closer than a box's width across or a layer's gap down."""
    n = 63
    points = []
    for k in range(n):
        x, y = cluster_position(k, n, 400.0)
        points += [(x, y), (x, y + LAYER_GAP)]
    assert len(set(points)) == 2 * n
    xs = sorted({x for x, _ in points})
    assert len(xs) == COLUMNS and min(b - a for a, b in zip(xs, xs[1:], strict=False)) >= 200
    ys = sorted({y for _, y in points})
    assert min(b - a for a, b in zip(ys, ys[1:], strict=False)) >= LAYER_GAP
    width, height = xs[-1] - xs[0], ys[-1] - ys[0]
    assert 0.8 <= width / height <= 3  # fits a page's landscape frame: not the flat band of a hierarchical layout
