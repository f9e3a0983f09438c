"""Administrative units and central bodies, read from data/gazetteer/*.csv (public reference facts, not code).

Names are matched accent-exact but case-insensitively, with the two tone placements ("Hoà"/"Hòa", "Uỷ"/"Ủy"),
hyphens, apostrophes and a leading level word ("tỉnh", "thành phố", "TP.") made irrelevant. Units carry their
validity so the 2025 reorganisation can be followed: `successor(unit, on=date)`.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from ttdn_graph.paths import data_dir

PROVINCE_LEVELS = ("tỉnh", "thành phố trực thuộc trung ương")
DISTRICT_LEVELS = ("huyện", "thị xã", "thành phố", "quận")


@dataclass(frozen=True)
class Unit:
    """A country, province- or district-level unit over its validity interval."""

    id: str  # stable slug: "hai-phong" (before 1 July 2025), "hai-phong-2025" (the merged city)
    name: str
    level: str  # "quốc gia", "tỉnh", "thành phố trực thuộc trung ương", "huyện", "thị xã", "thành phố", "quận"
    kind: str  # "country" | "province" | "district"
    code: str | None = None
    english: str | None = None
    province: str | None = None  # enclosing province name, for districts
    valid_from: date | None = None
    valid_until: date | None = None
    successor: str | None = None  # name of the unit it became (part of); None while unchanged
    successor_date: date | None = None  # the day that unit starts (2025-07-01 for the merger)
    successor_id: str | None = None  # that unit's id: "hai-phong-2025" (names alone repeat across the merger)
    aliases: tuple[str, ...] = ()
    former_levels: tuple[str, ...] = ()
    note: str = ""

    def valid_on(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_until is None or on <= self.valid_until
        )


@dataclass(frozen=True)
class Body:
    """A central Party, State or Government body, with the issuer codes its instruments carry."""

    name: str
    abbreviations: tuple[str, ...]
    english: str
    agency_type: str  # id in data/vocab/agency_types.csv
    parent: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    successor: str | None = None
    aliases: tuple[str, ...] = ()
    note: str = ""


# ---------------------------------------------------------------- name keys

_TONE = (("oá", "óa"), ("oà", "òa"), ("oả", "ỏa"), ("oã", "õa"), ("oạ", "ọa"),
         ("oé", "óe"), ("oè", "òe"), ("oẻ", "ỏe"), ("oẽ", "õe"), ("oẹ", "ọe"),
         ("uý", "úy"), ("uỳ", "ùy"), ("uỷ", "ủy"), ("uỹ", "ũy"), ("uỵ", "ụy"))  # fmt: skip
_LEVEL_PREFIX = re.compile(r"^(?:tỉnh|thành phố|tp\.?|thị xã|tx\.?|huyện|quận)\s+")


def name_key(name: str) -> str:
    """Matching key: NFC, lower case, one tone placement, no hyphens/dots/apostrophes, single spaces."""
    s = unicodedata.normalize("NFC", name).casefold()
    for old, new in _TONE:
        s = s.replace(old, new)
    s = re.sub(r"[-–—'’.]", " ", s)
    return " ".join(s.split())


def _strip_level(key: str) -> str:
    return _LEVEL_PREFIX.sub("", key)


def _d(s: str) -> date | None:
    return date.fromisoformat(s) if s else None


def _multi(s: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in s.split("|") if x.strip())


def _rows(name: str) -> list[dict[str, str]]:
    path: Path = data_dir() / "gazetteer" / name
    with open(path, encoding="utf-8", newline="") as f:
        return [{k: unicodedata.normalize("NFC", v or "").strip() for k, v in r.items()} for r in csv.DictReader(f)]


# ---------------------------------------------------------------- loading (cached)


@cache
def country() -> Unit:
    r = _rows("country.csv")[0]
    return Unit(r["id"], r["name"], r["level"], "country", r["code"], r["english"], aliases=_multi(r["aliases"]))


@cache
def provinces() -> tuple[Unit, ...]:
    """Every province-level unit in the file, all periods (63 before 1 July 2025, 34 after)."""
    rows = _rows("provinces.csv")

    def successor_id(r: dict[str, str]) -> str | None:
        """The row named `successor` that starts on `succession_date`."""
        if not r["valid_until"]:
            return None
        target = name_key(r["successor"])
        hits = [x["id"] for x in rows if name_key(x["name"]) == target and x["valid_from"] == r["succession_date"]]
        return hits[0] if len(hits) == 1 else None

    return tuple(
        Unit(
            id=r["id"],
            name=r["name"],
            level=r["level"],
            kind="province",
            code=r["code"] or None,
            english=r["english"] or None,
            valid_from=_d(r["valid_from"]),
            valid_until=_d(r["valid_until"]),
            successor=(r["successor"] or None) if r["valid_until"] else None,
            successor_date=_d(r["succession_date"]),
            successor_id=successor_id(r),
            aliases=_multi(r["aliases"]),
            note=r["note"],
        )
        for r in rows
    )


def _district_id(name: str, province: str) -> str:
    t = unicodedata.normalize("NFD", f"{province} {name}".replace("đ", "d").replace("Đ", "D"))
    t = "".join(c for c in t if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", t).strip("-")


@cache
def districts() -> tuple[Unit, ...]:
    """District-level units known to the gazetteer (those of the seed provinces)."""
    return tuple(
        Unit(
            id=_district_id(r["name"], r["province"]),
            name=r["name"],
            level=r["level"],
            kind="district",
            province=r["province"],
            valid_from=_d(r["valid_from"]),
            valid_until=_d(r["valid_until"]),
            aliases=_multi(r["aliases"]),
            former_levels=_multi(r["former_levels"]),
            note=r["note"],
        )
        for r in _rows("districts.csv")
    )


@cache
def central_bodies() -> tuple[Body, ...]:
    return tuple(
        Body(
            name=r["name"],
            abbreviations=_multi(r["abbreviations"]),
            english=r["english"],
            agency_type=r["agency_type"],
            parent=r["parent"] or None,
            valid_from=_d(r["valid_from"]),
            valid_until=_d(r["valid_until"]),
            successor=r["successor"] or None,
            aliases=_multi(r["aliases"]),
            note=r["note"],
        )
        for r in _rows("central_bodies.csv")
    )


@cache
def _unit_index() -> dict[str, tuple[Unit, ...]]:
    idx: dict[str, list[Unit]] = {}
    for u in (country(), *provinces(), *districts()):
        for n in {name_key(x) for x in (u.name, *u.aliases)}:
            idx.setdefault(n, []).append(u)
    return {k: tuple(v) for k, v in idx.items()}


# ---------------------------------------------------------------- lookups


def _candidates(name: str) -> tuple[Unit, ...]:
    key = name_key(name)
    idx = _unit_index()
    return idx.get(key) or idx.get(_strip_level(key)) or ()


def _pick(units: list[Unit], on: date | None) -> Unit | None:
    """The unit valid on `on`; without a date, the earliest (the corpus is mostly pre-2025 plans)."""
    if not units:
        return None
    if on is not None:
        valid = [u for u in units if u.valid_on(on)]
        return valid[0] if valid else None
    return min(units, key=lambda u: u.valid_from or date.min)


def province(name_or_alias: str, on: date | None = None) -> Unit | None:
    """Province-level unit by name or alias ("Thừa Thiên - Huế", "TT Huế", "tỉnh Hải Dương").

    Without `on`, a name used both before and after 1 July 2025 ("Hải Phòng") gives the earlier unit.
    """
    return _pick([u for u in _candidates(name_or_alias) if u.kind == "province"], on)


_province = province  # unit_for's `province` argument shadows the function


def unit_for(name: str, level: str | None = None, province: str | None = None, on: date | None = None) -> Unit | None:
    """Any unit by name, narrowed by level ("thị xã", also matching former levels) and enclosing province.

    With no level, a province-level unit wins over a district of the same name ("Hải Dương").
    """
    cands = list(_candidates(name))
    if level:
        lv = name_key(level)
        cands = [u for u in cands if lv in {name_key(x) for x in (u.level, *u.former_levels)}]
    if province:
        p = _province(province)
        pname = p.name if p else province
        cands = [u for u in cands if u.kind != "district" or name_key(u.province or "") == name_key(pname)]
    for kind in ("province", "district", "country"):
        hit = _pick([u for u in cands if u.kind == kind], on)
        if hit:
            return hit
    return None


def successor(unit: Unit, on: date) -> Unit:
    """The unit that held `unit`'s territory on `on` (Hải Dương on 2026-01-01 → Hải Phòng; on 2019 → itself).

    Districts, abolished without a single successor, return themselves.
    """
    by_id = {p.id: p for p in provinces()}
    u, seen = unit, set()
    while u.valid_until and on > u.valid_until and u.successor and u.id not in seen:
        seen.add(u.id)
        start = u.successor_date or u.valid_until + timedelta(days=1)
        nxt = by_id.get(u.successor_id or "") or _pick([c for c in _candidates(u.successor) if c.kind == u.kind], start)
        if nxt is None or nxt.id == u.id:
            break
        u = nxt
    return u


def enclosing_province(district_name: str, on: date | None = None) -> Unit | None:
    """The province-level unit enclosing a district-level unit ("Hương Trà" → Thừa Thiên Huế).

    With `on`, the province as it stood that day (Hương Trà on 2025-03-01 → Huế).
    """
    ds = [u for u in _candidates(district_name) if u.kind == "district"]
    d = _pick(ds, on) or (ds[0] if ds else None)
    p = province(d.province) if d and d.province else None
    return successor(p, on) if p and on else p


def units_on(on: date, kind: str = "province") -> tuple[Unit, ...]:
    """All units of a kind valid on a day (63 provinces on 2024-12-31, 34 on 2025-07-01)."""
    pool = provinces() if kind == "province" else districts()
    return tuple(u for u in pool if u.valid_on(on))


# ---------------------------------------------------------------- central bodies


@cache
def _body_name_index() -> dict[str, Body]:
    idx: dict[str, Body] = {}
    for b in central_bodies():
        for n in (b.name, *b.aliases):
            idx.setdefault(name_key(n), b)
    return idx


def _code_key(code: str) -> str:
    """Upper-case issuer code with the National Assembly term stripped ("QH15" → "QH", "UBTVQH14" → "UBTVQH")."""
    c = unicodedata.normalize("NFC", code).strip().upper()
    return re.sub(r"(?<=QH)\d+$", "", c)


@cache
def _code_index() -> dict[str, tuple[Body, ...]]:
    idx: dict[str, list[Body]] = {}
    for b in central_bodies():
        for a in b.abbreviations:
            idx.setdefault(_code_key(a), []).append(b)
    return {k: tuple(v) for k, v in idx.items()}


def bodies_for_code(code: str) -> tuple[Body, ...]:
    """Every body whose instruments carry this issuer code ("TW" → Central Committee, Politburo, Secretariat)."""
    return _code_index().get(_code_key(code), ())


def central_body(name_or_symbol_code: str) -> Body | None:
    """A central body by name, alias or unambiguous issuer code ("TTg", "BTTTT"); None for "TW" (shared)."""
    b = _body_name_index().get(name_key(name_or_symbol_code))
    if b:
        return b
    hits = bodies_for_code(name_or_symbol_code)
    return hits[0] if len(hits) == 1 else None


def issuer_from_symbol_code(code: str) -> str | None:
    """Canonical issuer name for an issuer code: "TTg" → "Thủ tướng Chính phủ"; None when unknown or shared."""
    hits = bodies_for_code(code)
    return hits[0].name if len(hits) == 1 else None


def issuer_codes(number: str) -> list[str]:
    """Issuer codes inside an instrument symbol: "1486/QĐ-TTg" → ["TTg"], "26-CT/TW" → ["TW"],
    "03/2019/TT-BTTTT" → ["BTTTT"], "08/2017/TTLT-BTTTT-BNG" → ["BTTTT", "BNG"], "202/2025/QH15" → ["QH15"]."""
    from ttdn_graph.vocab import by_symbol_code

    last = re.split(r"\s*/\s*", unicodedata.normalize("NFC", number).strip())[-1]
    parts = [p for p in re.split(r"\s*-\s*", last) if p]
    types = by_symbol_code()
    if len(parts) > 1 and parts[0].upper() in types:
        parts = parts[1:]
    return parts


# ---------------------------------------------------------------- names used by ttdn_graph.graph.gazetteer_adapter


def find_province(name: str, on: date | None = None) -> Unit | None:
    """Alias of `province`."""
    return province(name, on=on)


def find_district(name: str, province: str | None = None, on: date | None = None) -> Unit | None:
    """A district-level unit by name, optionally inside a province (by name or alias)."""
    cands = [u for u in _candidates(name) if u.kind == "district"]
    if province:
        p = _province(province)
        pname = name_key(p.name if p else province)
        cands = [u for u in cands if name_key(u.province or "") == pname]
    return _pick(cands, on) or (cands[0] if cands else None)
