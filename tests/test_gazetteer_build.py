"""ttdn_graph.gazetteer_build: the district and commune lists generated from a pinned vietnamadminunits wheel.

The real wheel is not needed (tests run offline): a small wheel of the same shape is made from provinces.csv. With
TTDN_VAU_WHEEL pointing at vietnamadminunits-1.0.4-py3-none-any.whl, the committed files are rebuilt and compared.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import zipfile
from datetime import date
from pathlib import Path

import pytest

from ttdn_graph import gazetteer as gz
from ttdn_graph import gazetteer_build as gb
from ttdn_graph.paths import data_dir
from ttdn_graph.resolve.slug import slug

LAST, FIRST = date(2025, 6, 30), date(2025, 7, 1)


def _key(level: str, name: str) -> str:
    return slug(f"{level} {name}").replace("-", "")


def _full(u: gz.Unit) -> str:
    return ("Tỉnh " if u.level == "tỉnh" else "Thành phố ") + u.name


def make_wheel(path: Path, *, new_codes: dict[str, str] | None = None, successor: dict[str, str] | None = None) -> Path:
    """A wheel shaped like vietnamadminunits': one district and one ward per province of 30 June 2025, one commune
    per province of 1 July 2025, the 2025 mapping taken from provinces.csv (or overridden to disagree)."""
    new_codes, successor = new_codes or {}, successor or {}
    db = path.with_suffix(".db")
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE admin_units_legacy (province, provinceCode, provinceKey, district, districtShort, "
                "districtType, districtCode, districtKey, ward, wardCode, wardKey)")
    con.execute("CREATE TABLE admin_units (province, provinceCode, provinceKey, ward, wardShort, wardType, wardCode, "
                "wardKey)")
    old = gz.units_on(LAST)
    for i, u in enumerate(old):
        con.execute("INSERT INTO admin_units_legacy VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (_full(u), u.code, _key("", _full(u)), f"Huyện Thử {u.name}", f"Thử {u.name}", "Huyện",
                     f"{i + 1:03d}", _key("huyện thử", u.name), f"Xã Cũ {u.name}", f"{i + 1:05d}",
                     _key("xã cũ", u.name)))  # fmt: skip
    dict_province: dict[str, list[str]] = {}
    wards: dict[str, dict[str, list[str]]] = {}
    for j, n in enumerate(gz.units_on(FIRST)):
        key = _key("", _full(n))
        con.execute("INSERT INTO admin_units VALUES (?,?,?,?,?,?,?,?)",
                    (_full(n), new_codes.get(n.code, n.code), key, f"Xã Mới {n.name}", f"Mới {n.name}", "Xã",
                     f"{90000 + j:05d}", _key("xã mới", n.name)))  # fmt: skip
        olds = [u for u in old if successor.get(u.name, gz.successor(u, FIRST).id) == n.id]
        dict_province[key] = [_key("", _full(u)) for u in olds]
        u = olds[0]
        wards[key] = {_key("xã mới", n.name): [f"{_key('', _full(u))}_{_key('huyện thử', u.name)}_"
                                               f"{_key('xã cũ', u.name)}"]}  # fmt: skip
    con.commit()
    con.close()
    converter = {"DICT_PROVINCE": dict_province, "DICT_PROVINCE_WARD_NO_DIVIDED": wards,
                 "DICT_PROVINCE_WARD_DIVIDED": {}}  # fmt: skip
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("vietnamadminunits-9.9.dist-info/METADATA",
                   "Metadata-Version: 2.4\nName: vietnamadminunits\nVersion: 9.9\n"
                   "Classifier: License :: OSI Approved :: MIT License\n")  # fmt: skip
        z.write(db, gb.DB)
        z.writestr(gb.CONVERTER, json.dumps(converter))
    return path


def test_build_writes_the_lists_and_a_manifest(tmp_path):
    wheel = make_wheel(tmp_path / "vietnamadminunits-9.9-py3-none-any.whl")
    out = tmp_path / "out"
    manifest = gb.build(wheel, out)
    assert manifest["source"]["version"] == "9.9" and manifest["source"]["license"] == "MIT License"
    with open(out / "districts_2025.csv", encoding="utf-8") as f:
        ds = list(csv.DictReader(f))
    with open(out / "communes_2025.csv", encoding="utf-8") as f:
        cs = list(csv.DictReader(f))
    assert len(ds) == 63 and len(cs) == 34
    assert list(ds[0]) == gb.DISTRICT_FIELDS
    assert tuple(cs[0]) == gz.COMMUNE_FIELDS == tuple(gb.COMMUNE_FIELDS)
    hd = next(r for r in ds if r["province_id"] == "hai-duong")
    assert hd["name"] == "Thử Hải Dương" and hd["level"] == "huyện" and hd["valid_until"] == "2025-06-30"
    hp = next(r for r in cs if r["province_id"] == "hai-phong-2025")
    assert hp["level"] == "xã" and hp["valid_from"] == "2025-07-01" and len(hp["from_districts"]) == 3
    assert manifest["outputs"]["communes_2025.csv"]["rows"] == 34
    assert json.loads((out / "generated.json").read_text(encoding="utf-8")) == manifest
    again = gb.build(wheel, tmp_path / "again")  # a pure function of the wheel and provinces.csv
    assert again["outputs"] == manifest["outputs"]


def test_build_stops_when_the_package_disagrees_with_provinces_csv(tmp_path):
    wheel = make_wheel(tmp_path / "a.whl", new_codes={"31": "33", "33": "31"})
    with pytest.raises(gb.BuildError, match="2025-07-01: code 31 is 'Hải Phòng' in provinces.csv, 'Hưng Yên' in "):
        gb.build(wheel, tmp_path / "out")
    wheel = make_wheel(tmp_path / "b.whl", successor={"Hải Dương": "hung-yen-2025"})
    with pytest.raises(gb.BuildError, match="successor of Hải Dương on 2025-07-01: Hải Phòng"):
        gb.build(wheel, tmp_path / "out")
    assert not (tmp_path / "out").exists()  # nothing written


def test_build_refuses_another_package(tmp_path):
    with zipfile.ZipFile(tmp_path / "x.whl", "w") as z:
        z.writestr("x-1.dist-info/METADATA", "Name: x\nVersion: 1\n")
    with pytest.raises(gb.BuildError, match="not a vietnamadminunits wheel"):
        gb.Wheel(tmp_path / "x.whl")


@pytest.mark.skipif(not os.environ.get("TTDN_VAU_WHEEL"), reason="TTDN_VAU_WHEEL: path of the pinned wheel")
def test_committed_lists_are_what_the_pinned_wheel_gives(tmp_path):
    manifest = gb.build(Path(os.environ["TTDN_VAU_WHEEL"]), tmp_path)
    committed = json.loads((data_dir() / "gazetteer" / "generated.json").read_text(encoding="utf-8"))
    assert manifest == committed
