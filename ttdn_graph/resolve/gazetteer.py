"""A thin, optional view of ttdn_graph.gazetteer: canonical units (names, gazetteer ids), codes and successors of
provinces, districts and communes.

Everything degrades to "unknown" when the gazetteer module or its data is absent, so a record can be resolved from
what it says alone. A view is tied to a date (the plan's), so a name used before and after the 2025
reorganisation ("Hải Phòng") resolves to the unit of that time.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache
from typing import Any

from ttdn_graph.resolve.units import COMMUNE_LEVELS, VN, Unit, strip_level, unit_name


def _module() -> Any:
    from ttdn_graph import gazetteer

    return gazetteer


class GazetteerView:
    def __init__(self, module: Any | None = None, on: date | None = None):
        self.g = module if module is not None else _module()
        self.on = on

    @staticmethod
    @cache
    def at(on: date | None = None) -> GazetteerView:
        """The shared view for a date (shared so per-name caches keyed by it stay warm)."""
        return GazetteerView(on=on)

    def _call(self, name: str, *args: Any, **kw: Any) -> Any:
        fn = getattr(self.g, name, None) if self.g is not None else None
        if fn is None:
            return None
        return fn(*args, **kw)  # a malformed gazetteer or lexicon file raises (GazetteerError, LexiconError)

    def _province_hit(self, name: str) -> Any:
        hit = self._call("province", name, self.on)
        if hit is None and self.on is not None:
            hit = self._call("province", name)
        return hit if getattr(hit, "kind", "province") == "province" else None

    def province_unit(self, name: str, level: str | None = None) -> Unit | None:
        hit = self._province_hit(strip_level(name))
        if hit is None:
            return None
        return Unit(hit.name, level if level in ("tỉnh", "thành phố trực thuộc trung ương") else hit.level, VN,
                    key=hit.id)

    def district_unit(self, name: str, province: Unit, level: str | None) -> Unit | None:
        """A district-level unit called `name` in `province`, when the gazetteer knows it."""
        if province.is_country:
            return None
        bare = strip_level(name)
        if level and re.fullmatch(r"\d{1,3}", bare):  # "7" of quận 7 is looked up as "quận 7"
            bare = f"{level} {bare}"
        hit = (self._call("unit_for", bare, level, province.name) if level else None) or self._call(
            "unit_for", bare, None, province.name
        )
        if hit is None or getattr(hit, "kind", None) != "district":
            return None
        lv = level or hit.level
        return Unit(unit_name(hit.name, lv), lv, province, key=hit.id, qualify=bool(getattr(hit, "homonym", False)))

    def commune_unit(self, name: str, province: Unit, level: str | None) -> Unit | None:
        """A commune-level unit (from 1 July 2025: xã, phường, đặc khu) called `name` in `province`, when known."""
        if province.is_country:
            return None
        spelled = f"{level} {strip_level(name)}" if level in COMMUNE_LEVELS else strip_level(name)
        hit = self._call("resolve", spelled, self.on, "commune", province.name)
        if hit is None:
            return None
        return Unit(unit_name(hit.name, hit.level), hit.level, province, key=hit.id,
                    qualify=bool(getattr(hit, "homonym", False)))  # fmt: skip

    def is_province(self, name: str) -> bool:
        return self._province_hit(strip_level(name)) is not None

    def _by_id(self) -> dict[str, Any]:
        return _ids(self.g)

    def facts(self, unit: Unit) -> dict[str, Any]:
        """{"code": str, "successor": Unit, "successor_date": str} for a unit the gazetteer knows (by its key): a
        province merged in 2025 → the new province; a district → the district it was merged into, or the province
        that held it when districts were abolished on 1 July 2025."""
        if self.g is None or unit.is_country or not unit.key:
            return {}
        hit = self._by_id().get(unit.key)
        if hit is None:
            return {}
        out: dict[str, Any] = {}
        if hit.code:
            out["code"] = str(hit.code)
        until = getattr(hit, "valid_until", None)
        if until is not None:
            start = until + timedelta(days=1)
            nxt = self._call("successor", hit, start)
            if nxt is not None and getattr(nxt, "id", hit.id) != hit.id:
                out["successor"] = self._as_unit(nxt, unit)
                out["successor_date"] = start.isoformat()
        return out

    def validity(self, unit: Unit) -> tuple[str | None, str | None]:
        """(valid from, valid until) as ISO dates for a unit the gazetteer knows (by its key); None where open or
        unknown."""
        if self.g is None or unit.is_country or not unit.key:
            return None, None
        hit = self._by_id().get(unit.key)
        if hit is None:
            return None, None
        since, until = getattr(hit, "valid_from", None), getattr(hit, "valid_until", None)
        return (since.isoformat() if since else None), (until.isoformat() if until else None)

    def _as_unit(self, hit: Any, near: Unit) -> Unit:
        """A gazetteer unit as the graph names it: a province under the country, a district beside `near`."""
        if hit.kind == "province":
            return Unit(hit.name, hit.level, VN, key=hit.id)
        parent = near.parent if near.parent is not None else VN
        return Unit(unit_name(hit.name, hit.level), hit.level, parent, key=hit.id,
                    qualify=bool(getattr(hit, "homonym", False)))  # fmt: skip


@cache
def _ids(module: Any) -> dict[str, Any]:
    """Every unit of the gazetteer by id (provinces, districts, communes)."""
    out: dict[str, Any] = {}
    for name in ("provinces", "districts", "communes"):
        fn = getattr(module, name, None)
        for u in fn() if fn else ():
            out.setdefault(u.id, u)
    return out
