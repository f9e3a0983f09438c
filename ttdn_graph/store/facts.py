"""The corpus facts the load-time tallies and cascade summaries are computed from, read once per inference run.

Flat reads (one pattern each, no join in the store), joined here: a join of a dozen patterns over every plan and
task costs the store seconds per thousand plans, a dictionary look-up nothing. Nothing read here is written by the
inference itself (the stored inferred graph may be stale while it is recomputed): the unit hierarchy is the
closure computed in the same run, passed in.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from ttdn_graph.graph.namespaces import PROV, TTDN
from ttdn_graph.resolve.tiers import layer_of, tier_of
from ttdn_graph.store.base import GraphStore

UNIT_CLASSES = ("Country", "Province", "District", "Commune")


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


@dataclass
class CorpusFacts:
    plans: set[str] = field(default_factory=set)  # loaded plans (derived from their own document graph)
    tasks_of: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # plan → its tasks
    plan_of: dict[str, str] = field(default_factory=dict)  # task → its plan
    years_of: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # task → ttdn:activeYear
    themes_of: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # task → ttdn:theme
    unit_of: dict[str, str] = field(default_factory=dict)  # node → its ttdn:jurisdiction
    unit_class: dict[str, str] = field(default_factory=dict)  # unit → Country | Province | District | Commune
    up: dict[str, set[str]] = field(default_factory=dict)  # unit → the units it lies within (ttdn:within)
    issued: dict[str, str] = field(default_factory=dict)  # ttdn:dateIssued
    period_start: dict[str, str] = field(default_factory=dict)
    period_end: dict[str, str] = field(default_factory=dict)
    agency_type: dict[str, str] = field(default_factory=dict)  # agency → agency-type concept
    issuers: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # instrument → ttdn:issuedBy
    numbers: dict[str, str] = field(default_factory=dict)
    plan_typed: set[str] = field(default_factory=set)  # every node typed ttdn:Plan (loaded or only cited)
    instruments: set[str] = field(default_factory=set)  # every ttdn:LegalInstrument
    # direct citations, as directive-uptake.rq reads them: relation → citing node → cited nodes
    citations: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    country: str = ""  # the country's unit (…/id/unit/vn)
    _layers: dict[str, str] = field(default_factory=dict)

    # -- derived, per node ---------------------------------------------------------------------------------------
    def units(self, node: str) -> list[str]:
        """The node's unit and every unit it lies within (the unit first)."""
        u = self.unit_of.get(node)
        return [u, *sorted(self.up.get(u, ()))] if u else []

    def province(self, node: str) -> str:
        """The node's jurisdiction rolled up to its province: the unit when it is a province (or the country, or of
        no known level), else the first province it lies within in code-point order; the country when the node has
        no jurisdiction (what names none is a central instrument)."""
        u = self.unit_of.get(node)
        if u is None:
            return self.country
        if self.unit_class.get(u) in ("Province", "Country"):
            return u
        provinces = sorted(p for p in self.up.get(u, ()) if self.unit_class.get(p) == "Province")
        return provinces[0] if provinces else u

    def date_of(self, node: str) -> str | None:
        """The date a cascade or uptake lag is measured to: the issue date, else the start of the period."""
        return self.issued.get(node) or self.period_start.get(node)

    def plan_years(self, plan: str) -> range:
        """The calendar years the plan's period touches (as loaded-plans.rq filters them); none without a period."""
        s, e = self.period_start.get(plan), self.period_end.get(plan)
        if not (s or e):
            return range(0)
        try:
            return range(int((s or e)[:4]), int((e or s)[:4]) + 1)  # type: ignore[index]
        except ValueError:
            return range(0)

    def layer(self, node: str) -> str:
        """ttdn:layer of an instrument or plan: central, ministry, province or local (resolve.tiers)."""
        if node not in self._layers:
            u = self.unit_of.get(node)
            classes = {f"{TTDN}{self.unit_class[u]}"} if u in self.unit_class else set()
            types = {t.rsplit("/", 1)[-1] for a in self.issuers.get(node, ()) if (t := self.agency_type.get(a))}
            self._layers[node] = layer_of(tier_of(classes, types, self.numbers.get(node)), types)
        return self._layers[node]

    @staticmethod
    def lag(root_date: str | None, item_date: str | None) -> int | None:
        """Days from the root's issue to the item's date (negative when the item is dated earlier)."""
        a, b = _day(root_date), _day(item_date)
        return (b - a).days if a and b else None


def read_facts(store: GraphStore, within: dict[str, set[str]], country: str) -> CorpusFacts:
    """The facts, from flat reads of the document and entities graphs; `within`: unit → units it lies within."""
    f = CorpusFacts(up=within, country=country)
    t = lambda x: f"<{TTDN}{x}>"  # noqa: E731 - a short spelling of ttdn: terms

    def pairs(pattern: str) -> list[tuple[str, str]]:
        return store.query_tuples(f"SELECT ?s ?o WHERE {{ {pattern} }}", ("s", "o"))  # type: ignore[return-value]

    def links(prop: str) -> list[tuple[str, str]]:
        """`?s prop ?o` whose ?o is an IRI (no FILTER in the store: an isIRI test per row costs a sixth more; a
        literal, which these properties never hold in a loaded store, is dropped here)."""
        return [(x, o) for x, o in pairs(f"?s {t(prop)} ?o") if ":" in o and " " not in o]

    f.plans = {s for s, _ in pairs(f"GRAPH ?o {{ ?s <{PROV}wasDerivedFrom> ?o }} ?s a {t('Plan')}")}
    for p, task in pairs(f"?s {t('hasTask')} ?o"):
        if p in f.plans and task not in f.plan_of:
            f.plan_of[task] = p
            f.tasks_of[p].append(task)
    for task, y in pairs(f"?s {t('activeYear')} ?o"):
        if task in f.plan_of:
            with contextlib.suppress(ValueError):
                f.years_of[task].add(int(y))
    for task, theme in links("theme"):
        if task in f.plan_of:
            f.themes_of[task].add(theme)
    for x, u in sorted(links("jurisdiction")):
        f.unit_of.setdefault(x, u)
    for c in UNIT_CLASSES:  # top down: a unit typed twice keeps its lower class
        for u, _ in pairs(f"?s a {t(c)} BIND(1 AS ?o)"):
            f.unit_class[u] = c
    for prop, target in (("dateIssued", f.issued), ("periodStart", f.period_start), ("periodEnd", f.period_end),
                         ("number", f.numbers)):
        for x, v in sorted(pairs(f"?s {t(prop)} ?o")):
            target.setdefault(x, v)
    for a, at in sorted(links("agencyType")):
        f.agency_type.setdefault(a, at)
    for x, a in links("issuedBy"):
        f.issuers[x].add(a)
    f.plan_typed = {s for s, _ in pairs(f"?s a {t('Plan')} BIND(1 AS ?o)")}
    f.instruments = {s for s, _ in pairs(f"?s a {t('LegalInstrument')} BIND(1 AS ?o)")}
    for relation, prop in (("legal basis", "legalBasis"), ("cites", "cites"), ("implements", "implements")):
        by_node: dict[str, set[str]] = defaultdict(set)
        for x, o in pairs(f"?s {t(prop)} ?o FILTER(isIRI(?o))"):
            by_node[x].add(o)
        f.citations[relation] = by_node
    # a task's citations are its plan's (the "task cites" relation): the tasks among the citing nodes
    f.citations["task cites"] = {x: roots for x, roots in f.citations["cites"].items() if x in f.plan_of}
    return f
