"""Load-time tallies and cascade summaries as W3C Data Cube observations, kept in the inferred graph.

Every observation is a node `…/id/tally/<data set>/<hash>` with `qb:dataSet <https://w3id.org/ttdn/vocab/tally/<data
set>>`, its dimension values (ttdn:refUnit, refYear, refAgency, refAgencyType, refTheme, refInstrument, refDepth)
and its measures (ttdn:planCount, taskCount, leadCount, supportCount, instrumentCount, earliestLagDays,
medianLagDays). The data sets and their structures are in ontology/tallies.ttl. An overview question ("tasks of each
theme in Kon Tum in 2020") is then one look-up per row instead of a count over every task of the corpus.

What is counted, data set by data set (a plan is a loaded plan; a unit counts what lies within it, ttdn:within, so
the country's tallies are national totals and the units of different levels overlap):

- unit (refUnit): plans of the unit, their tasks, and the lead and support assignments (task, agency) on them;
- unit-year (refUnit, refYear): plans whose period touches the year (as loaded-plans.rq filters), tasks active in
  the year (ttdn:activeYear) and their assignments;
- unit-year-theme (refUnit, refYear, refTheme), provinces and the country only: tasks of the theme active in the
  year, the plans they belong to, their assignments;
- unit-year-agency-type (refUnit, refYear, refAgencyType), provinces and the country only: tasks active in the year
  with an assignment to an agency of the type, their plans, and the lead / support assignments to such agencies;
- agency-year (refAgency, refYear): tasks active in the year the agency leads (leadCount) and supports
  (supportCount); across all years, ttdn:leadTaskCount and ttdn:supportTaskCount on the agency (store.tallies);
- instrument-year (refInstrument, refYear): plans citing the instrument (legal basis or body, as most-cited.rq)
  whose period touches the year, and their tasks active in it;
- cascade (refInstrument = the root, refDepth, refUnit = the province, refYear): what derives from the root
  (ttdn:Derivation pairs) at that depth, its jurisdiction rolled up to its province (the country for central
  bodies and for what names no jurisdiction), dated in that year (issue date, else period start): planCount (ttdn:Plan), instrumentCount (other
  instruments; absent when none), taskCount (the tasks of those plans), earliestLagDays and medianLagDays (days
  from the root's issue date to the item's; the median of an even number is the mean of the middle two), and each
  item counted (ttdn:cellItem), so that a drill-down reads one cell's items;
- uptake (refInstrument, refUnit, refYear): the same for the instruments citing the root directly, as
  directive-uptake.rq lists them (legal basis, cites, implements, or a task of theirs cites it).

refYear is left out of a cascade or uptake observation whose items have no date, and the lags when no item (or not
the root) is dated. Beside the observations: ttdn:taskCount on every
loaded plan, and ttdn:layer (resolve.tiers: central, ministry, province, local) on every item of a cascade or uptake.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ttdn_graph.graph.namespaces import QB, TTDN, VOCAB, XSD
from ttdn_graph.resolve.iris import Iris
from ttdn_graph.store.facts import CorpusFacts
from ttdn_graph.store.tallies import Roles

Triple = tuple[str, str, str]
TALLY_SETS = VOCAB + "tally/"
# data set → its dimensions, in the order of the key (and of its qb:component specifications)
DIMENSIONS = {
    "unit": ("refUnit",),
    "unit-year": ("refUnit", "refYear"),
    "unit-year-theme": ("refUnit", "refYear", "refTheme"),
    "unit-year-agency-type": ("refUnit", "refYear", "refAgencyType"),
    "agency-year": ("refAgency", "refYear"),
    "instrument-year": ("refInstrument", "refYear"),
    "cascade": ("refInstrument", "refDepth", "refUnit", "refYear"),
    "uptake": ("refInstrument", "refUnit", "refYear"),
}
_COUNTS = ("planCount", "taskCount", "leadCount", "supportCount")
_SUMMARY = ("planCount", "instrumentCount", "taskCount", "earliestLagDays", "medianLagDays")
# data set → its measures
MEASURES = {"unit": _COUNTS, "unit-year": _COUNTS, "unit-year-theme": _COUNTS, "unit-year-agency-type": _COUNTS,
            "agency-year": ("leadCount", "supportCount"), "instrument-year": ("planCount", "taskCount"),
            "cascade": _SUMMARY, "uptake": _SUMMARY}
LITERAL_DIMENSIONS = {"refYear": "integer", "refDepth": "integer"}


def dataset_iri(name: str) -> str:
    return TALLY_SETS + name


def _int(n: int) -> str:
    return f'"{n}"^^<{XSD}integer>'


def _decimal(x: float) -> str:
    text = f"{x:.1f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))
    return f'"{text}"^^<{XSD}decimal>'


def _term(dim: str, value: object) -> str:
    if dim not in LITERAL_DIMENSIONS:
        return f"<{value}>"
    return f'"{value}"^^<{XSD}{LITERAL_DIMENSIONS[dim]}>'


@dataclass
class Cell:
    plans: set[str] = field(default_factory=set)
    tasks: int = 0
    leads: int = 0
    supports: int = 0


@dataclass
class Summary:
    items: set[str] = field(default_factory=set)
    lags: list[int] = field(default_factory=list)


class Observations:
    """Triples of one data set's observations, keyed by their dimension values."""

    def __init__(self, iris: Iris, dataset: str):
        self.iris, self.dataset, self.dims = iris, dataset, DIMENSIONS[dataset]
        self.triples: set[Triple] = set()
        self.count = 0

    def add(self, key: tuple, measures: dict[str, int | float | None]) -> str:
        node = f"<{self.iris.tally(self.dataset, key)}>"
        t = self.triples
        t.add((node, f"<{QB}dataSet>", f"<{dataset_iri(self.dataset)}>"))
        for dim, value in zip(self.dims, key, strict=True):
            if value is not None:
                t.add((node, f"<{TTDN}{dim}>", _term(dim, value)))
        for m, value in measures.items():
            if value is not None:
                t.add((node, f"<{TTDN}{m}>", _decimal(value) if isinstance(value, float) else _int(value)))
        self.count += 1
        return node


def _count_cells(obs: Observations, cells: dict[tuple, Cell], measures: Iterable[str]) -> None:
    for key, c in cells.items():
        values = {"planCount": len(c.plans), "taskCount": c.tasks, "leadCount": c.leads, "supportCount": c.supports}
        obs.add(key, {m: values[m] for m in measures})


def cube_triples(facts: CorpusFacts, roles: Roles, plans_citing: dict[str, set[str]],
                 iris: Iris) -> tuple[set[Triple], dict[str, int]]:
    """The dimension tallies (every data set but cascade and uptake)."""
    cells: dict[str, dict[tuple, Cell]] = {d: defaultdict(Cell) for d in DIMENSIONS}
    cited_by: dict[str, set[str]] = defaultdict(set)  # plan → instruments it cites
    for instrument, plans in plans_citing.items():
        for p in plans:
            cited_by[p].add(instrument)
    per_plan: set[Triple] = set()
    for p in sorted(facts.plans):
        per_plan.add((f"<{p}>", f"<{TTDN}taskCount>", _int(len(facts.tasks_of.get(p, ())))))
        units = facts.units(p)
        wide = [u for u in units if facts.unit_class.get(u) in ("Province", "Country")]
        tasks = facts.tasks_of.get(p, [])
        years = facts.plan_years(p)
        for u in units:
            c = cells["unit"][(u,)]
            c.plans.add(p)
            c.tasks += len(tasks)
            for y in years:
                cells["unit-year"][(u, y)].plans.add(p)
        for y in years:
            for i in cited_by.get(p, ()):
                c = cells["instrument-year"][(i, y)]
                c.plans.add(p)
                c.tasks += sum(1 for t in tasks if y in facts.years_of.get(t, ()))
        for t in tasks:
            leads, supports = roles.lead_of.get(t, set()), roles.support_of.get(t, set())
            for u in units:
                c = cells["unit"][(u,)]
                c.leads += len(leads)
                c.supports += len(supports)
            types: dict[str, list[int]] = defaultdict(lambda: [0, 0])
            for a in leads:
                if a in facts.agency_type:
                    types[facts.agency_type[a]][0] += 1
            for a in supports:
                if a in facts.agency_type:
                    types[facts.agency_type[a]][1] += 1
            for y in facts.years_of.get(t, ()):
                for u in units:
                    c = cells["unit-year"][(u, y)]
                    c.tasks += 1
                    c.leads += len(leads)
                    c.supports += len(supports)
                for u in wide:
                    for theme in facts.themes_of.get(t, ()):
                        c = cells["unit-year-theme"][(u, y, theme)]
                        c.plans.add(p)
                        c.tasks += 1
                        c.leads += len(leads)
                        c.supports += len(supports)
                    for at, (n_lead, n_support) in types.items():
                        c = cells["unit-year-agency-type"][(u, y, at)]
                        c.plans.add(p)
                        c.tasks += 1
                        c.leads += n_lead
                        c.supports += n_support
                for a in leads | supports:
                    c = cells["agency-year"][(a, y)]
                    c.leads += a in leads
                    c.supports += a in supports
    triples: set[Triple] = per_plan
    counts: dict[str, int] = {}
    for name in ("unit", "unit-year", "unit-year-theme", "unit-year-agency-type", "agency-year", "instrument-year"):
        obs = Observations(iris, name)
        _count_cells(obs, cells[name], MEASURES[name])
        triples |= obs.triples
        counts[name] = obs.count
    return triples, counts


def _lag_measures(lags: list[int]) -> dict[str, int | float | None]:
    if not lags:
        return {"earliestLagDays": None, "medianLagDays": None}
    return {"earliestLagDays": min(lags), "medianLagDays": float(statistics.median(lags))}


def _summaries(obs: Observations, cells: dict[tuple, Summary], facts: CorpusFacts) -> None:
    for key, s in cells.items():
        plans = sum(1 for x in s.items if x in facts.plan_typed)
        node = obs.add(key, {"planCount": plans, "instrumentCount": (len(s.items) - plans) or None,
                             "taskCount": sum(len(facts.tasks_of.get(x, ())) for x in s.items),
                             **_lag_measures(s.lags)})
        for x in s.items:
            obs.triples.add((node, f"<{TTDN}cellItem>", f"<{x}>"))


def citing(facts: CorpusFacts, edges: dict[str, dict[str, set[str]]]) -> dict[str, set[str]]:
    """root → the instruments citing it directly (`edges`: relation → citing node → roots; a task's citation is
    its plan's), as directive-uptake.rq finds them."""
    out: dict[str, set[str]] = defaultdict(set)
    for relation, by_node in edges.items():
        for node, roots in by_node.items():
            who = facts.plan_of.get(node) if relation == "task cites" else node
            if who is None or who not in facts.instruments:
                continue
            for r in roots:
                out[r].add(who)
    return out


def summary_triples(facts: CorpusFacts, pairs: dict[tuple[str, str], int], citers: dict[str, set[str]],
                    iris: Iris) -> tuple[set[Triple], dict[str, int]]:
    """The cascade summaries (from the closure's pairs: (source, target) → depth) and the uptake summaries."""
    cascade: dict[tuple, Summary] = defaultdict(Summary)
    for (item, root), depth in pairs.items():
        _place(cascade, (root, depth), item, facts)
    uptake: dict[tuple, Summary] = defaultdict(Summary)
    for root, items in citers.items():
        for item in items:
            if item != root:
                _place(uptake, (root,), item, facts)
    triples: set[Triple] = set()
    counts: dict[str, int] = {}
    for name, cells in (("cascade", cascade), ("uptake", uptake)):
        obs = Observations(iris, name)
        _summaries(obs, cells, facts)
        triples |= obs.triples
        counts[name] = obs.count
    # the layer of every item counted (resolve.tiers), which the cascade view splits a province's counts by
    items = {x for cells in (cascade, uptake) for s in cells.values() for x in s.items}
    triples |= {(f"<{x}>", f"<{TTDN}layer>", f'"{facts.layer(x)}"') for x in items}
    return triples, counts


def _place(cells: dict[tuple, Summary], head: tuple, item: str, facts: CorpusFacts) -> None:
    day = facts.date_of(item)
    year = int(day[:4]) if day and day[:4].isdigit() else None
    s = cells[(*head, facts.province(item), year)]
    s.items.add(item)
    lag = facts.lag(facts.issued.get(head[0]), day)
    if lag is not None:
        s.lags.append(lag)
