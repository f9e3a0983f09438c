"""The agency–task graph of a selection of plans: tasks, the agencies (and groups) leading or supporting them.

Selection by jurisdiction (a unit and everything within it; with `map="today"` the unit on today's map, its
predecessors and successors included: ttdn_graph.todays_map), year (plans whose period covers it), agency type,
theme, plan or agency; every filter is optional and repeatable (values OR-ed within a filter, AND-ed across).
Large selections are cut at `limit` nodes, whole tasks at a time, in a stable order, and say so.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ttdn_graph.graph.namespaces import RDF, RDFS, TTDN
from ttdn_graph.resolve.iris import concept
from ttdn_graph.resolve.slug import slug
from ttdn_graph.todays_map import PRINTED, TODAY, expand_all
from ttdn_graph.views.catalogue import loaded_plans_pattern, spelling_variants
from ttdn_graph.views.iri import is_iri
from ttdn_graph.views.labels import labels
from ttdn_graph.views.model import LegendItem, Link, ViewEdge, ViewGraph, ViewNode, shorten, tooltip
from ttdn_graph.views.palette import (
    GROUP_COLOR,
    LEAD_COLOR,
    NO_TYPE_COLOR,
    SUPPORT_COLOR,
    TASK_COLOR,
    agency_type_by_id,
    agency_types,
)
from ttdn_graph.views.sorting import natural_key

MAX_NODES = 600
MAX_ROWS = 10000  # (task, role, agency) rows read at most; past it the total shown is a lower bound ("N+")
ROLES = {f"{TTDN}leadAgency": "lead", f"{TTDN}supportAgency": "support"}


@dataclass
class AgencySelection:
    jurisdictions: list[str] = field(default_factory=list)  # unit IRIs or names ("Hải Dương", "hai-duong")
    years: list[int] = field(default_factory=list)
    agency_types: list[str] = field(default_factory=list)  # ids ("department") or concept IRIs
    themes: list[str] = field(default_factory=list)  # ids ("training") or concept IRIs
    plans: list[str] = field(default_factory=list)  # plan IRIs
    agencies: list[str] = field(default_factory=list)  # agency/group IRIs: their tasks and co-agencies
    limit: int = MAX_NODES
    map: str = PRINTED  # jurisdictions as printed, or as of today (ttdn_graph.todays_map)

    def params(self) -> dict[str, Any]:
        out = {k: v for k, v in (("jurisdiction", self.jurisdictions), ("year", self.years),
                                 ("agencyType", self.agency_types), ("theme", self.themes),
                                 ("plan", self.plans), ("agency", self.agencies)) if v}
        if self.jurisdictions and self.map == TODAY:
            out["map"] = [TODAY]
        return out


def _is_iri(v: str) -> bool:
    """An IRI value (names and ids have no "://"); one that could not sit in <…> counts as neither."""
    return "://" in v and is_iri(v)


def _values(var: str, iris: list[str]) -> str:
    return f"VALUES {var} {{ {' '.join(f'<{i}>' for i in sorted(set(iris)))} }}"


def resolve_units(store: Any, values: list[str]) -> list[str]:
    """Unit IRIs for IRIs, labels ("Hải Dương", any case) or slugs ("hai-duong")."""
    out = [v for v in values if _is_iri(v)]
    names = [v for v in values if not _is_iri(v) and v.strip()]
    if names:
        lows = sorted({x for n in names for x in spelling_variants(n)})
        slugs = sorted({slug(n) for n in names if slug(n)})
        conds = [f"LCASE(STR(?l)) = {_lit(x)}" for x in lows] + [f'STRENDS(STR(?u), {_lit("/" + s)})' for s in slugs]
        rows = store.query(f"SELECT DISTINCT ?u WHERE {{ ?u a <{TTDN}AdministrativeUnit> ; <{RDFS}label> ?l "
                           f"FILTER({' || '.join(conds)}) }}")
        out += [r["u"].value for r in rows]
    return sorted(set(out))


def _lit(s: str) -> str:
    return str(ox.Literal(s))


def _concepts(scheme: str, values: list[str]) -> list[str]:
    out = []
    for v in values:
        if _is_iri(v):
            out.append(v)
        elif scheme == "agency-type":
            t = agency_type_by_id(v)
            out.append(t.iri if t else concept(scheme, v))
        elif v.strip():
            out.append(concept(scheme, v))
    return out


def _query(store: Any, sel: AgencySelection) -> tuple[list[dict[str, Any]], bool] | None:
    parts = [loaded_plans_pattern("?plan"), f"?plan <{TTDN}hasTask> ?task ."]
    if sel.plans:
        parts.insert(0, _values("?plan", [p for p in sel.plans if _is_iri(p)] or ["urn:x-none"]))
    if sel.jurisdictions:
        units = resolve_units(store, sel.jurisdictions)
        if not units:
            return None
        units = expand_all(store, units, sel.map)
        parts.append(f"{_values('?J', units)} {{ ?plan <{TTDN}jurisdiction> ?J }} UNION "
                     f"{{ ?plan <{TTDN}jurisdiction> ?pu . ?pu <{TTDN}within> ?J }}")
    if sel.years:
        ys = " || ".join(f"(?y0 <= {int(y)} && ?y1 >= {int(y)})" for y in sorted(set(sel.years)))
        parts.append(f"OPTIONAL {{ ?plan <{TTDN}periodStart> ?ps }} OPTIONAL {{ ?plan <{TTDN}periodEnd> ?pe }} "
                     f"OPTIONAL {{ ?plan <{TTDN}dateIssued> ?di }} "
                     f"BIND(COALESCE(YEAR(?ps), YEAR(?di)) AS ?y0) BIND(COALESCE(YEAR(?pe), ?y0) AS ?y1) "
                     f"FILTER({ys})")
    if sel.themes:
        parts.append(f"{_values('?theme', _concepts('theme', sel.themes))} ?task <{TTDN}theme> ?theme .")
    if sel.agencies:
        parts.append(f"{_values('?A', [a for a in sel.agencies if _is_iri(a)] or ['urn:x-none'])} "
                     f"?task <{TTDN}leadAgency>|<{TTDN}supportAgency> ?A .")
    parts.append(f"{_values('?role', list(ROLES))} ?task ?role ?ag .")
    if sel.agency_types:
        parts.append(f"{_values('?at', _concepts('agency-type', sel.agency_types))} ?ag <{TTDN}agencyType> ?at .")
    q = "SELECT DISTINCT ?plan ?task ?role ?ag WHERE {\n  " + "\n  ".join(parts) + f"\n}} LIMIT {MAX_ROWS + 1}"
    rows = store.query(q)
    # cut at MAX_ROWS here, or earlier at the result cap of the query service (ttdn_graph/web/service.Rows)
    return rows[:MAX_ROWS], len(rows) > MAX_ROWS or bool(getattr(rows, "truncated", False))


def _facts(store: Any, iris: list[str], pattern: str, chunk: int = 400) -> list[dict[str, Any]]:
    """Rows of `pattern` (about ?x) for every IRI, in chunks of VALUES."""
    out: list[dict[str, Any]] = []
    for k in range(0, len(iris), chunk):
        out += store.query(f"SELECT * WHERE {{ {_values('?x', iris[k:k + chunk])} {pattern} }}")
    return out


def agency_task_graph(store: Any, sel: AgencySelection, link: Link) -> ViewGraph:
    limit = max(1, min(int(sel.limit or MAX_NODES), MAX_NODES))
    g = ViewGraph("Agencies and tasks", limit=limit, params=sel.params())
    res = _query(store, sel)
    if res is None:
        g.message = "No administrative unit matches the jurisdiction given."
        return g
    rows, row_cap = res
    by_task: dict[str, list[tuple[str, str]]] = defaultdict(list)
    plan_of: dict[str, str] = {}
    for r in rows:
        t = r["task"].value
        by_task[t].append((ROLES[r["role"].value], r["ag"].value))
        plan_of[t] = r["plan"].value
    tasks = list(by_task)
    sec = {r["x"].value: r["s"].value for r in _facts(store, tasks, f"?x <{TTDN}sectionPath> ?s")}
    tasks.sort(key=lambda t: (plan_of[t], natural_key(sec.get(t, t))))
    all_agencies = {a for t in tasks for _, a in by_task[t]}
    g.total_nodes = len(tasks) + len(all_agencies)

    shown_tasks: list[str] = []
    shown_ag: set[str] = set()
    for t in tasks:
        new = {a for _, a in by_task[t]} - shown_ag
        if len(shown_tasks) + len(shown_ag) + 1 + len(new) > limit:
            g.truncated = True
            break
        shown_tasks.append(t)
        shown_ag |= new
    if row_cap:
        g.truncated = True

    ag_list = sorted(shown_ag)
    kinds = {r["x"].value: r["c"].value for r in _facts(
        store, ag_list, f"?x <{RDF}type> ?c FILTER(?c IN (<{TTDN}Agency>, <{TTDN}AgencyGroup>))")}
    atype = {r["x"].value: r["t"].value for r in _facts(store, ag_list, f"?x <{TTDN}agencyType> ?t")}
    juris = {r["x"].value: r["u"].value for r in _facts(store, ag_list, f"?x <{TTDN}jurisdiction> ?u")}
    plans = sorted({plan_of[t] for t in shown_tasks})
    names = labels(store, set(shown_tasks) | shown_ag | set(plans) | set(juris.values()))
    types = agency_types()

    degree: dict[str, dict[str, int]] = defaultdict(lambda: {"lead": 0, "support": 0})
    for t in shown_tasks:
        for role, a in set(by_task[t]):
            degree[a][role] += 1

    for t in shown_tasks:
        heading = names.get(t, t)
        s = sec.get(t, "")
        g.nodes.append(ViewNode(
            t, shorten(f"{s} {heading}".strip(), 36),
            tooltip(heading, f"Nhiệm vụ / task {s}" if s else None, f"Kế hoạch / plan: {names.get(plan_of[t])}"),
            "task", TASK_COLOR, link(t), shape="square", size=7))
    type_counts: dict[str, int] = defaultdict(int)
    groups = 0
    for a in ag_list:
        is_group = kinds.get(a) == f"{TTDN}AgencyGroup"
        at = types.get(atype.get(a, ""))
        d = degree[a]
        size = 10 + min(20, 2 * (d["lead"] + d["support"]))
        tip = tooltip(names.get(a, a),
                      "Nhóm cơ quan / agency group" if is_group else (f"{at.vi} / {at.en}" if at else None),
                      f"Địa bàn / jurisdiction: {names.get(juris[a])}" if a in juris else None,
                      f"Chủ trì / lead: {d['lead']} · Phối hợp / support: {d['support']}")
        if is_group:
            groups += 1
            g.nodes.append(ViewNode(a, shorten(names.get(a, a), 40), tip, "group", GROUP_COLOR, link(a),
                                    shape="diamond", size=size, group="agency-group", border_dashes=True))
        else:
            type_counts[at.iri if at else ""] += 1
            g.nodes.append(ViewNode(a, shorten(names.get(a, a), 40), tip, "agency",
                                    at.color if at else NO_TYPE_COLOR, link(a), size=size,
                                    group=at.id if at else "untyped"))
    for t in shown_tasks:
        for role, a in sorted(set(by_task[t])):
            lead = role == "lead"
            g.edges.append(ViewEdge(a, t, role, LEAD_COLOR if lead else SUPPORT_COLOR, dashes=not lead,
                                    width=2.5 if lead else 1.2,
                                    title=tooltip("Chủ trì / lead" if lead else "Phối hợp / support"), arrows=""))

    g.legend = [LegendItem("Nhiệm vụ / task", TASK_COLOR, shape="square", count=len(shown_tasks))]
    if groups:
        g.legend.append(LegendItem("Nhóm cơ quan / agency group", GROUP_COLOR, shape="diamond", count=groups))
    for iri, at in types.items():
        if type_counts.get(iri):
            g.legend.append(LegendItem(f"{at.vi} / {at.en}", at.color, count=type_counts[iri]))
    if type_counts.get(""):
        g.legend.append(LegendItem("Chưa phân loại / no type", NO_TYPE_COLOR, count=type_counts[""]))
    g.legend += [LegendItem("chủ trì / lead", LEAD_COLOR, kind="edge"),
                 LegendItem("phối hợp / support", SUPPORT_COLOR, kind="edge", dashes=True)]
    if g.truncated:
        g.message = (f"Showing {len(g.nodes)} of {g.total_nodes}{'+' if row_cap else ''} nodes (limit {limit}). "
                     "Narrow the selection by jurisdiction, year, agency type or theme.")
    elif not g.nodes:
        g.message = "Nothing matches this selection."
        if sel.jurisdictions and sel.map == PRINTED:
            units = resolve_units(store, sel.jurisdictions)
            if expand_all(store, units, TODAY) != units:
                g.message = ("Nothing matches this selection as printed. The jurisdiction is another on today's map: "
                             "map=today includes its predecessors and successors.")
    return g
