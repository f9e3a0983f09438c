"""A thin, optional view of ttdn_graph.gazetteer: canonical units (names, gazetteer ids), codes and successors.

Everything degrades to "unknown" when the gazetteer module or its data is absent, so the graph can be built from
what the records say alone. A view is tied to a date (the plan's), so a name used before and after the 2025
reorganisation ("Hải Phòng") resolves to the unit of that time.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from typing import Any

from ttdn_graph.graph.units import VN, Unit, strip_level


def _module() -> Any:
    try:
        from ttdn_graph import gazetteer
    except Exception:  # noqa: BLE001 - optional: any import failure means "no gazetteer"
        return None
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
        try:
            return fn(*args, **kw)
        except Exception:  # noqa: BLE001 - a lookup failure is a miss, never a build failure
            return None

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
        hit = self._call("unit_for", strip_level(name), None, province.name)
        if hit is None or getattr(hit, "kind", None) != "district":
            return None
        return Unit(hit.name, level or hit.level, province)

    def is_province(self, name: str) -> bool:
        return self._province_hit(strip_level(name)) is not None

    def facts(self, unit: Unit) -> dict[str, Any]:
        """{"code": str, "successor": Unit, "successor_date": str} for a province-level unit, when known."""
        if self.g is None or not unit.is_provincial:
            return {}
        hit = next((p for p in (self._call("provinces") or ()) if p.id == unit.key), None) if unit.key else None
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
                out["successor"] = Unit(nxt.name, nxt.level, VN, key=nxt.id)
                out["successor_date"] = start.isoformat()
        return out
