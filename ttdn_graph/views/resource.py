"""What a linked-data page shows about one IRI: its triples both ways, labels, and the text it came from.

`describe()` returns a typed, display-ready view (no HTML); `subgraph()` returns the triples the RDF forms of the
page serialise (outgoing plus incoming, the union of all graphs). Terms not in the store but defined in the
ontology files (classes, properties, SKOS concepts) are described from those files. A unit's page lists the loaded
plans of the unit and the units within it, as printed or, with `map="today"`, of the unit on today's map
(ttdn_graph.todays_map: Hải Phòng (2025) lists Hải Dương's plans).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ttdn_graph.graph.namespaces import DCTERMS, ELI, PROV, RDF, RDFS, SKOS, TTDN
from ttdn_graph.resolve.iris import Iris
from ttdn_graph.todays_map import PRINTED, TODAY, todays_map
from ttdn_graph.views.catalogue import loaded_plans_pattern
from ttdn_graph.views.iri import is_iri
from ttdn_graph.views.labels import described_iris, labels, ontology_store, qname, with_jurisdiction
from ttdn_graph.views.model import Link
from ttdn_graph.views.sorting import natural_key

MAX_OUT = 5000
MAX_IN = 500
MAX_UNIT_PLANS = 500
_TYPE = f"{RDF}type"
_ORDER = [f"{RDFS}label", f"{SKOS}prefLabel", f"{TTDN}number", f"{TTDN}title", f"{DCTERMS}title",
          f"{TTDN}dateIssued", f"{TTDN}issuedBy", f"{TTDN}jurisdiction", f"{TTDN}instrumentType",
          f"{TTDN}agencyType", f"{TTDN}sectionPath", f"{TTDN}ofPlan", f"{TTDN}partOf", f"{TTDN}leadAgency",
          f"{TTDN}supportAgency", f"{TTDN}timeframe", f"{TTDN}legalBasis", f"{TTDN}implements", f"{TTDN}amends",
          f"{TTDN}cites", f"{TTDN}hasTask"]
# internals (search keys, spelling variants) stay in the RDF forms of a page, not in its table
# (and the document's text: read in the reader)
_HIDDEN_IN_TABLE = {_TYPE, f"{SKOS}hiddenLabel", f"{TTDN}numberKey", f"{TTDN}documentText"}
# incoming links a page already shows as its own rows (a plan's tasks point at it with ofPlan)
_INCOMING_SHOWN = {f"{TTDN}ofPlan"}
INSTRUMENT_CLASSES = {f"{TTDN}LegalInstrument", f"{TTDN}Plan"}
AGENCY_CLASSES = {f"{TTDN}Agency", f"{TTDN}AgencyGroup"}
UNIT_CLASSES = {f"{TTDN}AdministrativeUnit", f"{TTDN}Province", f"{TTDN}District", f"{TTDN}Commune",
                f"{TTDN}Country"}


@dataclass
class Term:
    kind: str  # iri | literal | bnode
    value: str
    label: str = ""
    url: str | None = None
    lang: str | None = None
    datatype: str | None = None  # prefixed name, xsd:string omitted
    inferred: bool = False


@dataclass
class PropertyValues:
    predicate: Term
    values: list[Term]


@dataclass
class SourceSpan:
    text: str | None
    line_start: int | None
    line_end: int | None
    document: Term | None
    file_name: str | None


@dataclass
class TaskRow:
    task: Term
    section: str
    lead: list[Term] = field(default_factory=list)
    support: list[Term] = field(default_factory=list)
    start: str = ""
    end: str = ""

    @property
    def depth(self) -> int:
        """How deep the task sits in the plan's outline ("II.4.1" → 2), for indenting it under its group."""
        return max(0, self.section.count("."))


@dataclass
class BasisRow:
    """An instrument a plan rests on: its name, number, date and title, as a researcher cites it."""

    instrument: Term
    number: str = ""
    date: str = ""
    title: str = ""


@dataclass
class IncomingGroup:
    """The nodes linking to a page by one property, labelled by the property."""

    predicate: Term
    subjects: list[Term]


@dataclass
class DutyRow:
    """A duty on a responsibility's or an agency's page: its text and lines, the item it is in (plan, section, the
    agency responsible) and its partners; `role` is "responsible" or, on a partner's page, "partner"."""

    duty: Term
    text: str
    line_start: int | None
    line_end: int | None
    section: str
    plan: Term | None
    role: str = "responsible"
    agencies: list[Term] = field(default_factory=list)  # the agencies responsible (one item may name several)
    support: list[Term] = field(default_factory=list)
    document: str | None = None  # the source node whose lines it cites (the reader links there)


@dataclass
class UnitPlan:
    plan: Term
    unit: Term  # the plan's own unit (as printed)
    period: str  # "2019", "2019–2020", "" when unknown


@dataclass
class UnitPlans:
    """The loaded plans of a unit (and of the units within it), read on the map asked for. `today` is the unit(s)
    it is part of on today's map and `covered` what a question as of today covers (ttdn_graph.todays_map), shown
    whichever map is asked for; `units` are the units the plans were looked for under."""

    map: str
    given: Term
    units: list[Term]
    today: list[Term]
    covered: list[Term]
    plans: list[UnitPlan]
    truncated: bool = False

    @property
    def today_differs(self) -> bool:
        """Today's map reads this unit as more units than itself, or as another."""
        return [t.value for t in self.covered] != [self.given.value]


@dataclass
class ResourceView:
    iri: str
    label: str
    types: list[Term]
    properties: list[PropertyValues]
    incoming: list[tuple[Term, Term]]
    incoming_truncated: bool
    source: SourceSpan | None
    tasks: list[TaskRow]
    from_ontology: bool = False
    duties: list[DutyRow] = field(default_factory=list)
    unit_plans: UnitPlans | None = None
    basis: list[BasisRow] = field(default_factory=list)

    @property
    def incoming_groups(self) -> list[IncomingGroup]:
        groups: dict[str, IncomingGroup] = {}
        for s, p in self.incoming:
            if p.value in _INCOMING_SHOWN and (self.tasks or not self.is_plan):
                continue
            groups.setdefault(p.value, IncomingGroup(p, [])).subjects.append(s)
        return sorted(groups.values(), key=lambda g: (-len(g.subjects), g.predicate.label))

    @property
    def table_properties(self) -> list[PropertyValues]:
        """The properties the page's table lists: not those its own sections show."""
        apart = ({f"{TTDN}hasTask"} if self.tasks else set()) | ({f"{TTDN}legalBasis"} if self.basis else set())
        return [pv for pv in self.properties if pv.predicate.value not in apart]

    @property
    def type_iris(self) -> set[str]:
        return {t.value for t in self.types}

    @property
    def title(self) -> str | None:
        """An instrument's title for the heading: the documents' (ttdn:title, the form most print), else the
        register's (eli:title); None when the label says it already (a plan's label holds its title)."""
        for prop in (f"{TTDN}title", f"{ELI}title"):
            for pv in self.properties:
                if pv.predicate.value == prop and pv.values and pv.values[0].kind == "literal":
                    t = pv.values[0].value
                    return None if t.casefold() in self.label.casefold() else t
        return None

    @property
    def is_instrument(self) -> bool:
        return bool(self.type_iris & INSTRUMENT_CLASSES)

    @property
    def is_plan(self) -> bool:
        return f"{TTDN}Plan" in self.type_iris

    @property
    def is_agency(self) -> bool:
        return bool(self.type_iris & AGENCY_CLASSES)

    @property
    def is_responsibility(self) -> bool:
        return f"{TTDN}Responsibility" in self.type_iris

    @property
    def is_unit(self) -> bool:
        return bool(self.type_iris & UNIT_CLASSES)

    def values(self, prop: str) -> list[Term]:
        for pv in self.properties:
            if pv.predicate.value == prop:
                return pv.values
        return []


def _ref(iri: str) -> str:
    return f"<{iri}>"


def _outgoing(store: Any, iri: str) -> list[tuple[ox.NamedNode, Any, str | None]]:
    rows = store.query(f"SELECT ?p ?o ?g WHERE {{ GRAPH ?g {{ {_ref(iri)} ?p ?o }} }} LIMIT {MAX_OUT}")
    return [(r["p"], r["o"], r["g"].value if "g" in r else None) for r in rows]


def _incoming(store: Any, iri: str, limit: int) -> list[tuple[Any, ox.NamedNode]]:
    rows = store.query(f"SELECT DISTINCT ?s ?p WHERE {{ GRAPH ?g {{ ?s ?p {_ref(iri)} }} }} LIMIT {limit}")
    return [(r["s"], r["p"]) for r in rows]


def _onto_rows(iri: str) -> tuple[list, list]:
    st = ontology_store()
    out = [(r["p"], r["o"], None) for r in st.query(
        f"SELECT ?p ?o WHERE {{ {_ref(iri)} ?p ?o }} LIMIT {MAX_OUT}", use_default_graph_as_union=True)]
    inc = [(r["s"], r["p"]) for r in st.query(
        f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {_ref(iri)} }} LIMIT {MAX_IN}", use_default_graph_as_union=True)]
    return out, inc




def _term(t: Any, names: dict[str, str], link: Link, inferred: bool = False) -> Term:
    if isinstance(t, ox.NamedNode):
        return Term("iri", t.value, names.get(t.value, t.value), link(t.value), inferred=inferred)
    if isinstance(t, ox.Literal):
        dt = t.datatype.value if t.datatype else None
        shown = None if (t.language or dt in (None, "http://www.w3.org/2001/XMLSchema#string",
                                               f"{RDF}langString")) else qname(dt)
        return Term("literal", t.value, t.value, None, t.language, shown, inferred)
    return Term("bnode", str(t), str(t), None, inferred=inferred)


def describe(store: Any, iri: str, link: Link, *, incoming_limit: int = MAX_IN,
             map: str = PRINTED) -> ResourceView | None:  # noqa: A002 - the public parameter name
    """The page of `iri`, or None when neither the store nor the ontology knows it; a unit's plans are read on
    the map asked for (`printed` or `today`)."""
    if not is_iri(iri):
        return None
    inferred_graph = Iris(store.base).inferred_graph
    out = _outgoing(store, iri)
    inc = _incoming(store, iri, incoming_limit + 1)
    from_onto = False
    if not out and not inc:
        out, inc = _onto_rows(iri)
        from_onto = True
        if not out and not inc:
            return None
    truncated = len(inc) > incoming_limit
    inc = inc[:incoming_limit]

    # graphs per (p, o): a value is "inferred" when it is only in the inferred graph
    graphs: dict[tuple[str, str], set[str | None]] = {}
    first: dict[tuple[str, str], tuple[Any, Any]] = {}
    for p, o, g in out:
        k = (p.value, str(o))
        graphs.setdefault(k, set()).add(g)
        first.setdefault(k, (p, o))
    iris_needed = {iri} | {p.value for p, _o in first.values()} | {
        o.value for _p, o in first.values() if isinstance(o, ox.NamedNode)}
    iris_needed |= {s.value for s, _ in inc if isinstance(s, ox.NamedNode)} | {p.value for _, p in inc}
    tasks_rows = _task_rows(store, iri) if any(p.value == f"{TTDN}hasTask" for p, _ in first.values()) else []
    for r in tasks_rows:
        iris_needed |= {r["t"].value} | ({r["ag"].value} if "ag" in r else set())
    type_iris = {o.value for p, o in first.values() if p.value == _TYPE and isinstance(o, ox.NamedNode)}
    duty_rows = _duty_rows(store, iri, type_iris) if not from_onto else []
    for r in duty_rows:
        iris_needed |= {r[k].value for k in ("d", "plan", "ag", "sup") if k in r}
    basis_rows = _basis_rows(store, iri) if any(p.value == f"{TTDN}legalBasis" for p, _ in first.values()) else []
    iris_needed |= {r["i"].value for r in basis_rows}
    names = with_jurisdiction(store, labels(store, iris_needed))
    described = described_iris(store, {p.value for p, _o in first.values()} | {p.value for _, p in inc})

    by_pred: dict[str, list[Term]] = {}
    types: list[Term] = []
    for k, (p, o) in first.items():
        term = _term(o, names, link, inferred=graphs[k] == {inferred_graph})
        if p.value == _TYPE and isinstance(o, ox.NamedNode):
            types.append(term)
        if p.value not in _HIDDEN_IN_TABLE:
            by_pred.setdefault(p.value, []).append(term)
    order = {p: i for i, p in enumerate(_ORDER)}
    def predicate(p: str) -> Term:  # linked only where a page can describe it (rdfs:label has none here)
        t = _term(ox.NamedNode(p), names, link)
        t.url = t.url if p in described else None
        return t

    props = [
        PropertyValues(predicate(p),
                       sorted(vals, key=lambda t: (t.kind != "literal", natural_key(t.label or t.value))))
        for p, vals in sorted(by_pred.items(), key=lambda kv: (order.get(kv[0], len(order)), qname(kv[0])))
    ]
    incoming = sorted(((_term(s, names, link), predicate(p.value)) for s, p in inc),
                      key=lambda sp: (qname(sp[1].value), natural_key(sp[0].label)))
    view = ResourceView(iri, names.get(iri, iri), sorted(types, key=lambda t: t.label), props, incoming, truncated,
                        None, _tasks(tasks_rows, names, link), from_onto, _duties(duty_rows, names, link))
    view.basis = _basis(basis_rows, names, link)
    view.source = _source(store, view, names, link)
    if view.is_unit and not from_onto and f"{TTDN}Country" not in view.type_iris:  # the country: every plan
        view.unit_plans = unit_plans(store, iri, link, map)
    return view


def unit_plans(store: Any, iri: str, link: Link, map: str = PRINTED,  # noqa: A002
               limit: int = MAX_UNIT_PLANS) -> UnitPlans:
    """The loaded plans of `iri` and of the units within it, as printed or as of today (ttdn_graph.todays_map)."""
    today = todays_map(store, iri, TODAY)
    asked = today.units if map == TODAY else [iri]
    values = " ".join(f"<{u}>" for u in asked)
    rows = store.query(f"""SELECT DISTINCT ?plan ?unit ?ps ?pe WHERE {{
  VALUES ?J {{ {values} }}
  {{ ?plan <{TTDN}jurisdiction> ?J . BIND(?J AS ?unit) }} UNION {{ ?unit <{TTDN}within> ?J . ?plan <{TTDN}jurisdiction> ?unit }}
  {loaded_plans_pattern("?plan")}
  OPTIONAL {{ ?plan <{TTDN}periodStart> ?ps }}
  OPTIONAL {{ ?plan <{TTDN}periodEnd> ?pe }}
}} ORDER BY ?ps ?plan LIMIT {limit + 1}""")
    truncated = len(rows) > limit
    rows = rows[:limit]
    names = labels(store, {*asked, *today.today, *today.units, *(r[k].value for r in rows for k in ("plan", "unit"))})

    def term(v: str) -> Term:
        return Term("iri", v, names.get(v, v), link(v))

    plans = []
    for r in rows:
        ys, ye = (r["ps"].value[:4] if "ps" in r else ""), (r["pe"].value[:4] if "pe" in r else "")
        period = ys if not ye or ye == ys else f"{ys}–{ye}"
        plans.append(UnitPlan(term(r["plan"].value), term(r["unit"].value), period))
    return UnitPlans(map, term(iri), [term(u) for u in asked], [term(u) for u in today.today], [term(u) for u in today.units],
                     plans, truncated)


def _basis_rows(store: Any, plan: str) -> list[dict[str, Any]]:
    return store.query(f"""SELECT DISTINCT ?i ?num ?date ?title WHERE {{
  {_ref(plan)} <{TTDN}legalBasis> ?i .
  OPTIONAL {{ ?i <{TTDN}number> ?num }}
  OPTIONAL {{ ?i <{TTDN}dateIssued> ?date }}
  OPTIONAL {{ ?i <{TTDN}title> ?title }}
}} LIMIT 2000""")


def _basis(rows: list[dict[str, Any]], names: dict[str, str], link: Link) -> list[BasisRow]:
    out: dict[str, BasisRow] = {}
    for r in rows:
        i = r["i"].value
        row = out.setdefault(i, BasisRow(Term("iri", i, names.get(i, i), link(i))))
        row.number = row.number or (r["num"].value if "num" in r else "")
        row.date = row.date or (r["date"].value if "date" in r else "")
        row.title = row.title or (r["title"].value if "title" in r else "")
    return sorted(out.values(), key=lambda b: (b.date or "9999", natural_key(b.instrument.label)))


def _task_rows(store: Any, plan: str) -> list[dict[str, Any]]:
    return store.query(f"""SELECT ?t ?sec ?role ?ag ?from ?to WHERE {{
  {_ref(plan)} <{TTDN}hasTask> ?t .
  OPTIONAL {{ ?t <{TTDN}sectionPath> ?sec }}
  OPTIONAL {{ ?t <{TTDN}timeframeStart> ?from }}
  OPTIONAL {{ ?t <{TTDN}timeframeEnd> ?to }}
  OPTIONAL {{ VALUES ?role {{ <{TTDN}leadAgency> <{TTDN}supportAgency> }} ?t ?role ?ag }}
}} LIMIT 20000""")


def _tasks(rows: list[dict[str, Any]], names: dict[str, str], link: Link) -> list[TaskRow]:
    by_task: dict[str, TaskRow] = {}
    for r in rows:
        t = r["t"].value
        row = by_task.get(t)
        if row is None:
            sec = r["sec"].value if "sec" in r else ""
            row = by_task[t] = TaskRow(Term("iri", t, names.get(t, t), link(t)), sec,
                                       start=r["from"].value if "from" in r else "",
                                       end=r["to"].value if "to" in r else "")
        if "ag" in r:
            ag = Term("iri", r["ag"].value, names.get(r["ag"].value, r["ag"].value), link(r["ag"].value))
            lst = row.lead if r["role"].value.endswith("leadAgency") else row.support
            if all(a.value != ag.value for a in lst):
                lst.append(ag)
    for row in by_task.values():
        row.lead.sort(key=lambda a: a.label)
        row.support.sort(key=lambda a: a.label)
    return sorted(by_task.values(), key=lambda r: natural_key(r.section or r.task.value))


_DUTY_FACTS = f"""
  OPTIONAL {{ ?r <{TTDN}sectionPath> ?sec }}
  OPTIONAL {{ ?d <{TTDN}sourceText> ?text }}
  OPTIONAL {{ ?d <{TTDN}lineStart> ?ls }}
  OPTIONAL {{ ?d <{TTDN}lineEnd> ?le }}
  OPTIONAL {{ ?d <{TTDN}supportedBy> ?sup }}
  OPTIONAL {{ ?d <{PROV}wasDerivedFrom> ?src }}"""


def _duty_rows(store: Any, iri: str, types: set[str]) -> list[dict[str, Any]]:
    """A responsibility's duties; an agency's (or group's) duties, where it is responsible or a partner."""
    if f"{TTDN}Responsibility" in types:
        pattern = f"VALUES ?r {{ {_ref(iri)} }} ?r <{TTDN}hasDuty> ?d . BIND(\"responsible\" AS ?role)"
    elif types & AGENCY_CLASSES:
        pattern = (f"{{ ?r <{TTDN}agency> {_ref(iri)} ; <{TTDN}hasDuty> ?d . BIND(\"responsible\" AS ?role) }} UNION "
                   f"{{ ?d <{TTDN}supportedBy> {_ref(iri)} . ?r <{TTDN}hasDuty> ?d . BIND(\"partner\" AS ?role) }}")
    else:
        return []
    return store.query(f"""SELECT ?d ?role ?r ?plan ?ag ?sec ?text ?ls ?le ?sup ?src WHERE {{
  {pattern}
  OPTIONAL {{ ?r <{TTDN}plan> ?plan }}
  OPTIONAL {{ ?r <{TTDN}agency> ?ag }}{_DUTY_FACTS}
}} LIMIT 20000""")


def _duties(rows: list[dict[str, Any]], names: dict[str, str], link: Link) -> list[DutyRow]:
    def term(node: Any) -> Term:
        return Term("iri", node.value, names.get(node.value, node.value), link(node.value))

    def number(r: dict[str, Any], k: str) -> int | None:
        try:
            return int(r[k].value) if k in r else None
        except ValueError:
            return None

    by_duty: dict[tuple[str, str], DutyRow] = {}
    for r in rows:
        key = (r["d"].value, r["role"].value)
        row = by_duty.get(key)
        if row is None:
            row = by_duty[key] = DutyRow(term(r["d"]), r["text"].value if "text" in r else "", number(r, "ls"),
                                         number(r, "le"), r["sec"].value if "sec" in r else "",
                                         term(r["plan"]) if "plan" in r else None, r["role"].value,
                                         document=r["src"].value if "src" in r else None)
        for k, lst in (("ag", row.agencies), ("sup", row.support)):
            if k in r and all(t.value != r[k].value for t in lst):
                lst.append(term(r[k]))
    for row in by_duty.values():
        row.agencies.sort(key=lambda a: a.label)
        row.support.sort(key=lambda a: a.label)
    return sorted(by_duty.values(), key=lambda d: (d.role != "responsible", d.plan.label if d.plan else "",
                                                   natural_key(d.section), d.line_start or 0, d.duty.value))


def _int(terms: list[Term]) -> int | None:
    for t in terms:
        try:
            return int(t.value)
        except ValueError:
            continue
    return None


def _source(store: Any, view: ResourceView, names: dict[str, str], link: Link) -> SourceSpan | None:
    """The printed text and where it sits: sourceText, line span, and the document's file name (via PROV)."""
    text = view.values(f"{TTDN}sourceText")
    start, end = _int(view.values(f"{TTDN}lineStart")), _int(view.values(f"{TTDN}lineEnd"))
    if not text and start is None:
        return None
    docs = view.values(f"{TTDN}inDocument") or [
        t for t in view.values(f"{PROV}wasDerivedFrom") if "/source/" in t.value] or view.values(
        f"{PROV}wasDerivedFrom")
    doc = docs[0] if docs else None
    file_name = None
    if doc is not None:
        rows = store.query(f"SELECT ?f WHERE {{ {_ref(doc.value)} <{TTDN}fileName> ?f }} LIMIT 1")
        file_name = rows[0]["f"].value if rows else None
    return SourceSpan(text[0].value if text else None, start, end, doc, file_name)


def subgraph(store: Any, iri: str, *, incoming_limit: int = 2000) -> list[ox.Triple]:
    """Outgoing and incoming triples of `iri` over all graphs (ontology files when the store has none)."""
    if not is_iri(iri):
        return []
    node = ox.NamedNode(iri)
    out = {(p, o) for p, o, _ in _outgoing(store, iri)}
    inc = set(_incoming(store, iri, incoming_limit))
    if not out and not inc:
        o_rows, i_rows = _onto_rows(iri)
        out, inc = {(p, o) for p, o, _ in o_rows}, set(i_rows)
    triples = [ox.Triple(node, p, o) for p, o in out] + [ox.Triple(s, p, node) for s, p in inc]
    return sorted(set(triples), key=str)
