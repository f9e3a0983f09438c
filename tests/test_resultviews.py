"""The result views' data and server side: every province-level unit (of the gazetteer and of a loaded graph) has a
seat inside Vietnam's outline; /map/units.json serves them by graph IRI; the named query pages show labels, local
links and the data the script draws; the `# view:` header; the map-data build's decoders."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ttdn_graph import gazetteer
from ttdn_graph.graph.namespaces import data_base
from ttdn_graph.mapdata_build import OUTLINE, _polygons, _zigzag, cities
from ttdn_graph.queries import QueryError, load_queries, parse_rq
from ttdn_graph.web.queries_route import _columns, _header, _json_script
from ttdn_graph.web.resultviews import seats, unit_iri, units

PROVINCE_Q = "PREFIX ttdn: <https://w3id.org/ttdn/ontology#> SELECT DISTINCT ?u WHERE { ?u a ttdn:Province }"
JURISDICTION_Q = ("PREFIX ttdn: <https://w3id.org/ttdn/ontology#> SELECT DISTINCT ?u WHERE { ?x ttdn:jurisdiction ?u . "
                  "?u a ttdn:Province }")


def _inside(pt: tuple[float, float], ring: list[list[float]]) -> bool:
    """Ray casting: is (lon, lat) inside the ring?"""
    x, y = pt
    hit = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def _near(pt: tuple[float, float], ring: list[list[float]], deg: float) -> bool:
    return any(abs(pt[0] - x) <= deg and abs(pt[1] - y) <= deg for x, y in ring)


def test_every_province_level_unit_has_a_seat_inside_vietnam():
    outline = json.loads(OUTLINE.read_text(encoding="utf-8"))
    vietnam = next(f for f in outline["features"] if f["properties"]["name"] == "Việt Nam")
    rings = [poly[0] for poly in vietnam["geometry"]["coordinates"]]
    s = seats()
    units_ = gazetteer.provinces()
    assert {u.id for u in units_} == set(s)  # one seat per row of provinces.csv, no other
    for u in units_:
        pt = (s[u.id]["lon"], s[u.id]["lat"])
        # inside the 1:50m outline, or on its coast (the outline is rounded to 0.01°: a seaside town may fall out)
        assert any(_inside(pt, r) for r in rings) or any(_near(pt, r, 0.1) for r in rings), (u.id, pt)
        assert s[u.id]["source"]


def test_units_of_2025_sit_at_the_seat_of_the_former_unit_whose_code_they_took():
    s = seats()
    before = {u.code: u.id for u in gazetteer.provinces() if u.valid_from is None}
    for u in gazetteer.provinces():
        if u.valid_from is not None:
            host = before[u.code]
            assert (s[u.id]["lat"], s[u.id]["lon"]) == (s[host]["lat"], s[host]["lon"]), u.id
    # the 63 seats of 30 June 2025 are 63 different places
    assert len({(s[i]["lat"], s[i]["lon"]) for i in before.values()}) == len(before) == 63


def test_every_province_the_graph_uses_has_coordinates(seed_store_path):
    from ttdn_graph.store import open_store

    placed = units(data_base())
    with open_store(seed_store_path, read_only=True) as st:
        used = {r["u"].value for q in (PROVINCE_Q, JURISDICTION_Q) for r in st.query(q)}
    assert used and used <= set(placed), sorted(used - set(placed))


def test_units_json_serves_the_seats_by_graph_iri(live_server):
    got = live_server.get("/map/units.json").json()["units"]
    assert len(got) == len(gazetteer.provinces())
    base = data_base()
    for u in gazetteer.provinces():
        row = got[unit_iri(base, u.id)]
        assert row["id"] == u.id and row["lat"] == seats()[u.id]["lat"]
        assert row["validUntil"] == (u.valid_until.isoformat() if u.valid_until else None)


def test_named_query_page_shows_labels_local_links_and_its_data(live_server):
    h = live_server.get("/queries/directive-uptake", headers={"Accept": "text/html"})
    assert h.status_code == 200
    data = live_server.get("/queries/directive-uptake", params={"format": "json"}).json()
    first = data["results"]["bindings"][0]
    # the IRI cell shows the label beside it in the result and links to this site's page
    iri, label = first["jurisdiction"]["value"], first["jurisdictionLabel"]["value"]
    local = "/id/" + iri.split("/id/", 1)[1]
    assert re.search(rf'<a href="{re.escape(local)}" title="{re.escape(iri)}">{re.escape(label)}</a>', h.text)
    assert 'target="_blank"' not in h.text
    assert '<th title="?citingDate">Citing date</th>' in h.text
    assert '<th title="?jurisdictionLabel">' not in h.text  # folded into the IRI column
    # the script gets the same answer as ?format=json, and the view the query's header names
    embedded = re.search(r'<script type="application/json" id="ttdn-results">(.*?)</script>', h.text, re.S).group(1)
    assert json.loads(embedded) == data
    assert 'data-preferred="timeline"' in h.text
    for src in ("/static/vendor/echarts/echarts.min.js", "/static/js/resultviews.js", "/static/js/queryviews.js"):
        assert f'src="{src}"' in h.text and live_server.get(src).status_code == 200


def test_iri_without_a_label_column_gets_its_label_from_the_graph(live_server):
    h = live_server.get("/queries/tasks-by-agency-type", headers={"Accept": "text/html"}).text
    data = live_server.get("/queries/tasks-by-agency-type", params={"format": "json"}).json()
    plan = data["results"]["bindings"][0]["plan"]["value"]  # ?plan has no ?planLabel beside it
    labels = json.loads(re.search(r'id="ttdn-labels">(.*?)</script>', h, re.S).group(1))
    assert labels.get(plan)
    assert f'title="{plan}">{labels[plan]}</a>' in h.replace("&#x27;", "'")


def test_result_helpers():
    rows = [{"x": {"type": "uri", "value": "http://e/1"}, "xLabel": {"type": "literal", "value": "one"},
             "yLabel": {"type": "literal", "value": "text"}}]
    assert _columns(["x", "xLabel", "yLabel"], rows) == ["x", "yLabel"]  # yLabel has no IRI column ?y
    assert _header("citingDate") == "Citing date" and _header("earliestLagDays") == "Earliest lag days"
    block = _json_script("d", {"v": "</script><script>alert(1)</script>&"})
    assert "</script><script>" not in block and json.loads(block[block.index(">") + 1 : -len("</script>")]) == {
        "v": "</script><script>alert(1)</script>&"}


def test_view_header():
    q = parse_rq("# title: T\n# view: map, chart\nSELECT * WHERE { ?s ?p ?o }", "t")
    assert q.views == ("map", "chart") and q.to_dict()["views"] == ["map", "chart"]
    assert parse_rq("# title: T\nSELECT * WHERE { ?s ?p ?o }", "t").views == ()
    with pytest.raises(QueryError, match="view"):
        parse_rq("# title: T\n# view: pie\nSELECT * WHERE { ?s ?p ?o }", "t")
    assert load_queries()["directive-uptake"].views[0] == "timeline"


def _pbf_city(fields: list[tuple[int, int, object]]) -> bytes:
    def varint(n: int) -> bytes:
        out = b""
        while True:
            b, n = n & 0x7F, n >> 7
            out += bytes([b | (0x80 if n else 0)])
            if not n:
                return out

    body = b""
    for tag, wire, v in fields:
        body += varint(tag << 3 | wire)
        if wire == 0:
            body += varint(int(v))  # type: ignore[arg-type]
        else:
            raw = str(v).encode()
            body += varint(len(raw)) + raw
    return varint(len(body)) + body


def test_cities_decoder_reads_delta_coded_points():
    zz = lambda n: (n << 1) ^ (n >> 63)  # noqa: E731
    assert _zigzag(zz(-12345)) == -12345
    pbf = (_pbf_city([(1, 0, zz(7)), (2, 2, "Kon Tum"), (3, 2, "VN"), (7, 2, "PPLA"), (10, 0, zz(10800759)),
                      (11, 0, zz(1435451))])
           + _pbf_city([(1, 0, zz(8)), (2, 2, "Huế"), (10, 0, zz(-41213)), (11, 0, zz(210739))]))
    a, b = cities(pbf)
    assert (a["name"], a["featureCode"], a["lon"], a["lat"]) == ("Kon Tum", "PPLA", 108.00759, 14.35451)
    assert (b["name"], b["lon"], b["lat"]) == ("Huế", 107.59546, 16.4619)


def test_topojson_rings_are_decoded_and_closed():
    topo = {"transform": {"scale": [0.5, 0.5], "translate": [100, 10]},
            "arcs": [[[0, 0], [2, 0], [0, 2]], [[2, 2], [-2, -2]]]}
    polys = _polygons(topo, {"type": "Polygon", "arcs": [[0, 1]]})
    assert polys == [[[[100.0, 10.0], [101.0, 10.0], [101.0, 11.0], [100.0, 10.0]]]]
    polys = _polygons(topo, {"type": "MultiPolygon", "arcs": [[[0, ~0]]]})  # an arc and its reverse: no area
    assert polys == [[[[100.0, 10.0], [101.0, 10.0], [101.0, 11.0], [101.0, 10.0], [100.0, 10.0]]]]


def test_outline_is_small_and_names_its_source():
    outline = json.loads(Path(OUTLINE).read_text(encoding="utf-8"))
    assert [f["properties"]["name"] for f in outline["features"]] == ["Việt Nam", "Quần đảo Hoàng Sa",
                                                                       "Quần đảo Trường Sa"]
    assert all("Natural Earth" in f["properties"]["note"] for f in outline["features"])
    assert OUTLINE.stat().st_size < 64_000
