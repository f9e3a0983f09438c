"""Today's map: a jurisdiction read as printed in the plans, or as of today (through the 2025 reorganisation).

A plan names its unit as it stood when the plan was written: Hải Dương in 2019. On 1 July 2025 Hải Dương and Hải
Phòng became one city, Hải Phòng (`…/id/unit/hai-phong-2025`), and the district level was abolished; the graph
links each unit to the one it became by `ttdn:successor` (the gazetteer's succession, kept in the entities graph,
followed link by link: tỉnh Thừa Thiên Huế → thành phố Huế; huyện Hoành Bồ → thành phố Hạ Long → Quảng Ninh).

Every named query, view and unit page that takes a jurisdiction takes the same choice, `map`:

- `printed` (the default, what they always did): the unit as given, with the units within it (`ttdn:within`);
- `today`: the units the given one's successor chain ends in — today's unit(s), the unit itself when it has no
  successor — together with every unit whose chain ends there (its predecessors, theirs, …), each with the units
  within it. A unit within another of the set is left out (the other covers it), so no plan is counted twice.

So Hải Phòng (2025) as of today is {Hải Phòng (2025), Hải Phòng, Hải Dương}, and so is Hải Dương as of today: a
question asked by Hải Dương "as of today" is answered for Hải Phòng. A district of before July 2025 is, as of
today, the province that took it over (its successor in the gazetteer: the district level is gone); a unit the
graph does not know, or one no reorganisation touched, is itself.

The expansion is one small SPARQL query over the successor links (`todays_map_query`), run on the store before the
question; the question then gets the units as a `VALUES` list (ttdn_graph.queries binds one row per unit), which
keeps each query's shape: one that starts from its units costs about what it costs for each of them (a sub-SELECT
or a property-path pattern in the question itself made agency-tasks 30× slower on Oxigraph); one that tests every
plan against its unit (compare-themes) does that once per row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ttdn_graph.graph.namespaces import TTDN

PARAM = "map"
PRINTED = "printed"
TODAY = "today"
MAPS = (PRINTED, TODAY)
DESCRIPTION = ("How a unit parameter is read: printed (the unit as the plans name it, with the units within it; "
               "the default) or today (the unit on today's map: the unit its successor links end in, 2025 and "
               "after, with every unit that became part of it, e.g. Hải Phòng with Hải Dương).")


class MapError(ValueError):
    """A `map` value other than printed / today (the message is safe to show)."""


def map_choice(value: str | None) -> str:
    """`printed` or `today` from a user-supplied value (None or empty: printed)."""
    v = (value or "").strip()
    if not v:
        return PRINTED
    if v not in MAPS:
        raise MapError(f"{PARAM}: must be one of {', '.join(MAPS)}")
    return v


def todays_map_query(unit: str) -> str:
    """Rows (?unit ?today) for one unit IRI: today's units its successor chain ends in (?today), and the outermost
    units whose chains end there (?unit) — the unit as of today. The IRI is a constant (pyoxigraph-serialised),
    never a bound variable, and there is no row when the graph does not know the unit."""
    g = str(ox.NamedNode(unit))
    succ, within = f"<{TTDN}successor>", f"<{TTDN}within>"
    return f"""SELECT DISTINCT ?unit ?today WHERE {{
  {g} {succ}* ?today .
  FILTER NOT EXISTS {{ ?today {succ} ?later }}
  ?unit {succ}* ?today .
  FILTER NOT EXISTS {{ ?unit {within} ?outer . ?outer {succ}* ?today }}
}}"""


@dataclass
class TodaysMap:
    """A unit on today's map: `today` the unit(s) it is part of now, `units` everything asked by (today's units and
    their predecessors, outermost only), both sorted; `units` is `[given]` as printed."""

    given: str
    map: str = PRINTED
    today: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """The question covers more than the unit given (or other units than it)."""
        return self.units != [self.given]


def todays_map(store: Any, unit: str, map: str = TODAY) -> TodaysMap:  # noqa: A002 - the public parameter name
    """The unit as printed (itself) or as of today (see the module docstring), from the store's successor links."""
    if map_choice(map) == PRINTED:
        return TodaysMap(unit, PRINTED, [], [unit])
    rows = store.query(todays_map_query(unit))
    today = sorted({r["today"].value for r in rows})
    units = sorted({r["unit"].value for r in rows})
    return TodaysMap(unit, TODAY, today or [unit], units or [unit])


def expand(store: Any, unit: str, map: str = TODAY) -> list[str]:  # noqa: A002
    """The unit IRIs a question by `unit` covers: `[unit]` as printed, the unit as of today otherwise."""
    return todays_map(store, unit, map).units


def expand_all(store: Any, units: Iterable[str], map: str = TODAY) -> list[str]:  # noqa: A002
    """`expand` for several units (a view's repeated filter), merged and sorted."""
    if map_choice(map) == PRINTED:
        return sorted(set(units))
    return sorted({u for given in units for u in expand(store, given, map)})


def expander(store: Any) -> Callable[[str], list[str]]:
    """`unit IRI → units as of today` over one store, each unit looked up once (ttdn_graph.queries.bind uses it)."""
    seen: dict[str, list[str]] = {}

    def units(iri: str) -> list[str]:
        if iri not in seen:
            seen[iri] = expand(store, iri, TODAY)
        return seen[iri]

    return units


__all__ = [
    "DESCRIPTION",
    "MAPS",
    "PARAM",
    "PRINTED",
    "TODAY",
    "MapError",
    "TodaysMap",
    "expand",
    "expand_all",
    "expander",
    "map_choice",
    "todays_map",
    "todays_map_query",
]
