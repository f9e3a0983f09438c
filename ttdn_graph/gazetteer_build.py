"""Regenerate the gazetteer's district and commune lists from a pinned copy of the `vietnamadminunits` package.

    pip download --no-deps -d /tmp/wheels vietnamadminunits==1.0.4
    .venv/bin/python -m ttdn_graph.gazetteer_build /tmp/wheels/vietnamadminunits-1.0.4-py3-none-any.whl
    # optional second opinion, reported and never copied:
    #   --compare /tmp/wheels/vietnam_provinces-2025.10.1-py3-none-any.whl

The wheel is read as a zip: its data files (`dataset.db`, SQLite; `converter_2025.json`) are opened directly, the
package is never imported or installed (its converter geocodes over the network), and nothing is downloaded here.
Writes, under data/gazetteer/ (checked in, so the graph does not change when the package does):

- `districts_2025.csv` — the 696 district-level units as they stood on 30 June 2025, the day before the district
  level was abolished, with their official 3-digit codes;
- `communes_2025.csv` — the 3,321 commune-level units (xã, phường, đặc khu) from 1 July 2025 with their 5-digit
  codes and the pre-2025 districts whose territory each took (the package's old → new ward mapping, rolled up);
- `generated.json` — the package, version, licence, the SHA-256 of the wheel and of each data file read, and of
  each file written (tests check the CSVs against it, so a hand edit of a generated file is caught).

Before writing anything it checks the hand-kept `provinces.csv` against the package — the code and name of every
province-level unit on 30 June 2025 (63) and on 1 July 2025 (34), and every successor link of 1 July 2025 — and
stops, naming each disagreement, if they differ. The output is a pure function of the wheel and provinces.csv.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
import sqlite3
import sys
import tempfile
import unicodedata
import zipfile
from collections import defaultdict
from datetime import date
from email.parser import Parser
from pathlib import Path

from ttdn_graph.paths import data_dir

LAST_DAY = date(2025, 6, 30)  # the district level's last day
FIRST_DAY = date(2025, 7, 1)  # the 34 provinces and the new communes
DB = "vietnamadminunits/data/dataset.db"
CONVERTER = "vietnamadminunits/data/converter_2025.json"
DISTRICT_FIELDS = ["code", "name", "level", "province_code", "province_id", "valid_until"]
COMMUNE_FIELDS = ["code", "name", "level", "province_code", "province_id", "valid_from", "from_districts"]


class BuildError(Exception):
    """The package and the hand-kept data disagree, or the wheel is not what this script reads."""


def _name(s: str | None) -> str:
    from ttdn_graph.resolve.slug import nfc

    return " ".join(nfc(unicodedata.normalize("NFC", s or "")).split())


_LEVEL = re.compile(r"^(?:tỉnh|thành phố)\s+", re.IGNORECASE)
_DISTRICT_LEVEL = re.compile(r"^(huyện|quận|thị xã|thành phố)\s+", re.IGNORECASE)
_COMMUNE_LEVEL = re.compile(r"^(xã|phường|đặc khu)\s+", re.IGNORECASE)


def _short(province: str) -> str:
    """ "Tỉnh Hải Dương" → "Hải Dương", "Thành phố Huế" → "Huế"."""
    return _LEVEL.sub("", _name(province))


def _split(full: str, rx: re.Pattern[str], kind: str, typ: str, notes: list[str]) -> tuple[str, str]:
    """ "Huyện Kỳ Anh" → ("huyện", "Kỳ Anh"), "Quận 1" → ("quận", "1"): the level word of the official name and
    what follows it (the package's short names add "(Huyện)" where two units share a name, and its type column
    contradicts the name in a few rows: the name is kept, and the row is noted)."""
    full = _name(full)
    m = rx.match(full)
    if m is None:
        raise BuildError(f"{kind} {full!r}: no level word")
    level = m.group(1).lower()
    if _name(typ).lower() != level:
        notes.append(f"{kind} {full}: type {typ!r} in the package, {level!r} by its name (used)")
    return level, full[m.end() :]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Wheel:
    """The files of a downloaded vietnamadminunits wheel."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.bytes = self.path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(self.bytes)) as z:
            names = z.namelist()
            meta_name = next((n for n in names if n.endswith(".dist-info/METADATA")), None)
            if meta_name is None or DB not in names or CONVERTER not in names:
                raise BuildError(f"{self.path.name}: not a vietnamadminunits wheel with {DB} and {CONVERTER}")
            meta = Parser().parsestr(z.read(meta_name).decode("utf-8"))
            self.db_bytes = z.read(DB)
            self.converter_bytes = z.read(CONVERTER)
        self.package = meta["Name"]
        self.version = meta["Version"]
        self.home = meta.get("Home-page") or ""
        classifiers = meta.get_all("Classifier") or []
        self.license = next((c.split("::")[-1].strip() for c in classifiers if c.startswith("License ::")),
                            meta.get("License") or "unknown")  # fmt: skip
        if self.package != "vietnamadminunits":
            raise BuildError(f"{self.path.name}: package {self.package!r}, expected 'vietnamadminunits'")

    def rows(self, sql: str) -> list[sqlite3.Row]:
        with tempfile.NamedTemporaryFile(suffix=".db") as f:
            f.write(self.db_bytes)
            f.flush()
            con = sqlite3.connect(f"file:{f.name}?mode=ro", uri=True)
            con.row_factory = sqlite3.Row
            try:
                return con.execute(sql).fetchall()
            finally:
                con.close()

    def converter(self) -> dict:
        return json.loads(self.converter_bytes.decode("utf-8"))


# ---------------------------------------------------------------- checks against provinces.csv


def check_provinces(w: Wheel) -> list[str]:
    """Every disagreement between provinces.csv and the package (empty when they agree)."""
    from ttdn_graph import gazetteer as gz

    problems: list[str] = []
    for day, table in ((LAST_DAY, "admin_units_legacy"), (FIRST_DAY, "admin_units")):
        theirs = {r["provinceCode"]: _short(r["province"])
                  for r in w.rows(f"SELECT DISTINCT provinceCode, province FROM {table}")}  # fmt: skip
        ours = {u.code: u for u in gz.units_on(day)}
        for code in sorted(set(theirs) | set(ours)):
            u = ours.get(code)
            if u is None:
                problems.append(f"{day}: the package has {code} {theirs[code]}, provinces.csv has no unit with that code")
            elif code not in theirs:
                problems.append(f"{day}: provinces.csv has {code} {u.name}, the package has no unit with that code")
            elif gz.name_key(u.name) != gz.name_key(theirs[code]):
                problems.append(f"{day}: code {code} is {u.name!r} in provinces.csv, {theirs[code]!r} in the package")
    legacy_key = {r["provinceKey"]: r["provinceCode"]
                  for r in w.rows("SELECT DISTINCT provinceKey, provinceCode FROM admin_units_legacy")}  # fmt: skip
    new_key = {r["provinceKey"]: r["provinceCode"]
               for r in w.rows("SELECT DISTINCT provinceKey, provinceCode FROM admin_units")}  # fmt: skip
    old_units = {u.code: u for u in gz.units_on(LAST_DAY)}
    for new, olds in w.converter()["DICT_PROVINCE"].items():
        for old in olds:
            u = old_units.get(legacy_key.get(old, ""))
            if u is None:
                problems.append(f"converter: {old} has no unit in provinces.csv")
                continue
            s = gz.successor(u, FIRST_DAY)
            if s.code != new_key.get(new):
                problems.append(f"successor of {u.name} on {FIRST_DAY}: {s.name} ({s.code}) in provinces.csv, "
                                f"code {new_key.get(new)} in the package")
    return problems


# ---------------------------------------------------------------- the generated lists


def _province_ids(day: date) -> dict[str, str]:
    from ttdn_graph import gazetteer as gz

    return {u.code: u.id for u in gz.units_on(day)}


def districts(w: Wheel, notes: list[str] | None = None) -> list[dict[str, str]]:
    ids = _province_ids(LAST_DAY)
    notes = [] if notes is None else notes
    out = []
    for r in w.rows("SELECT DISTINCT districtCode, district, districtType, provinceCode FROM admin_units_legacy"):
        level, name = _split(r["district"], _DISTRICT_LEVEL, "district", r["districtType"], notes)
        out.append({"code": r["districtCode"], "name": name, "level": level, "province_code": r["provinceCode"],
                    "province_id": ids[r["provinceCode"]], "valid_until": LAST_DAY.isoformat()})  # fmt: skip
    return sorted(out, key=lambda r: r["code"])


def communes(w: Wheel, notes: list[str] | None = None) -> list[dict[str, str]]:
    """The new communes, each with the old districts it took territory from (whole wards or parts of them)."""
    ids = _province_ids(FIRST_DAY)
    notes = [] if notes is None else notes
    old = {f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}": r["districtCode"]
           for r in w.rows("SELECT provinceKey, districtKey, wardKey, districtCode FROM admin_units_legacy")}  # fmt: skip
    new = {(r["provinceKey"], r["wardKey"]): r for r in w.rows("SELECT * FROM admin_units")}
    conv = w.converter()
    from_districts: dict[str, set[str]] = defaultdict(set)
    for prov, by_new in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward, olds in by_new.items():
            for o in olds:
                from_districts[new[(prov, ward)]["wardCode"]].add(old[o])
    for prov, by_old in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for o, parts in by_old.items():
            for part in parts:
                from_districts[new[(prov, part["newWardKey"])]["wardCode"]].add(old[o])
    out = []
    for r in new.values():
        code = r["wardCode"]
        if not from_districts.get(code):
            raise BuildError(f"commune {code} {r['ward']}: no pre-2025 district in the package's mapping")
        level, name = _split(r["ward"], _COMMUNE_LEVEL, "commune", r["wardType"], notes)
        out.append({"code": code, "name": name, "level": level,
                    "province_code": r["provinceCode"], "province_id": ids[r["provinceCode"]],
                    "valid_from": FIRST_DAY.isoformat(), "from_districts": "|".join(sorted(from_districts[code]))})
    return sorted(out, key=lambda r: r["code"])


def _csv(rows: list[dict[str, str]], fields: list[str]) -> bytes:
    buf = io.StringIO()
    wr = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    wr.writeheader()
    wr.writerows(rows)
    return buf.getvalue().encode("utf-8")


def build(wheel: Path, out: Path | None = None) -> dict:
    """Check provinces.csv, then write the generated files; returns the manifest."""
    w = Wheel(wheel)
    problems = check_provinces(w)
    if problems:
        raise BuildError("provinces.csv disagrees with the package:\n  " + "\n  ".join(problems))
    out = out or data_dir() / "gazetteer"
    notes: list[str] = []
    files = {"districts_2025.csv": _csv(districts(w, notes), DISTRICT_FIELDS),
             "communes_2025.csv": _csv(communes(w, notes), COMMUNE_FIELDS)}  # fmt: skip
    manifest = {
        "generated_by": "python -m ttdn_graph.gazetteer_build " + w.path.name,
        "source": {
            "package": w.package, "version": w.version, "license": w.license, "home": w.home,
            "wheel": w.path.name, "wheel_sha256": _sha256(w.bytes),
            "read": {DB: _sha256(w.db_bytes), CONVERTER: _sha256(w.converter_bytes)},
        },
        "checked": "provinces.csv: code and name of the 63 units of 2025-06-30 and the 34 of 2025-07-01, and every "
                   "successor link of 2025-07-01, agree with the package",
        "names": "a unit's name is its official name without the level word (\"Huyện Kỳ Anh\" → Kỳ Anh, \"Quận 1\" → 1), "
                 "its level that word",
        "notes": notes,
        "outputs": {name: {"rows": data.count(b"\n") - 1, "sha256": _sha256(data)} for name, data in files.items()},
    }  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (out / name).write_bytes(data)
    (out / "generated.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest


# ---------------------------------------------------------------- second opinion


def compare(w: Wheel, other: Path) -> list[str]:
    """What a vietnam-provinces wheel (post-2025 data) says differently about the 34 units and their communes."""
    with zipfile.ZipFile(other) as z:
        name = next((n for n in z.namelist() if n.endswith("data/nested-divisions.json")), None)
        if name is None:
            raise BuildError(f"{other.name}: no data/nested-divisions.json")
        nested = json.loads(z.read(name).decode("utf-8"))
    theirs = {f"{p['code']:02d}": _short(p["name"]) for p in nested}
    ours = {r["provinceCode"]: _short(r["province"]) for r in w.rows("SELECT DISTINCT provinceCode, province "
                                                                   "FROM admin_units")}  # fmt: skip
    notes = [f"province {c}: {ours.get(c)!r} here, {theirs.get(c)!r} there"
             for c in sorted(set(ours) | set(theirs)) if ours.get(c) != theirs.get(c)]  # fmt: skip
    a = {(r["provinceCode"], " ".join(_name(r["ward"]).split())): r["wardCode"]
         for r in w.rows("SELECT provinceCode, ward, wardCode FROM admin_units")}  # fmt: skip
    b = {(f"{p['code']:02d}", " ".join(_name(x["name"]).split())): f"{x['code']:05d}"
         for p in nested for x in p.get("wards", [])}  # fmt: skip
    common = set(a) & set(b)
    differ = sorted(k for k in common if a[k] != b[k])
    notes.append(f"communes: {len(a)} here, {len(b)} there, {len(common)} by the same province and name, "
                 f"{len(differ)} of them with another code")
    notes += [f"  {k[1]} ({k[0]}): {a[k]} here, {b[k]} there" for k in differ[:10]]
    return notes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("wheel", type=Path, help="vietnamadminunits-*.whl (pip download --no-deps)")
    ap.add_argument("--out", type=Path, help="folder to write (default: data/gazetteer)")
    ap.add_argument("--compare", type=Path, help="a vietnam_provinces-*.whl to report differences against")
    args = ap.parse_args(argv)
    try:
        manifest = build(args.wheel, args.out)
        if args.compare:
            print("\n".join(compare(Wheel(args.wheel), args.compare)))
    except BuildError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    src = manifest["source"]
    print(f"{src['package']} {src['version']} ({src['license']}): "
          + ", ".join(f"{n} {o['rows']} rows" for n, o in manifest["outputs"].items()))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
