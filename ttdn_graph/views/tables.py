"""Browse tables (Datasette's first screen): plans, tasks, agencies, instruments and units, sortable, filterable,
faceted and paged, every one the same shape so the web layer serves them as HTML, CSV and JSON alike.

A table is data (`TableSpec`): the pattern that makes a row, its columns (a pattern each, read only for the rows of
the page shown), its facets (a pattern giving the value a row is counted under) and the columns it may be sorted
by. One page costs a count, one ordered query for the page's rows, one query per column over those rows, one per
facet and the labels: the columns are never joined into the ordering query, so a many-valued column (a task's lead
agencies) neither repeats rows nor slows the sort.

A filter is a facet's value: a row matches when the facet's pattern gives it that value (several values of one
facet: any of them; several facets: all of them). `map=today` reads the province facet on today's map
(ttdn_graph.todays_map): a 2019 plan of Hải Dương counts under Hải Phòng (2025).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ttdn_graph.graph.namespaces import PROV, RDFS, SKOS, TTDN, VOCAB
from ttdn_graph.todays_map import PRINTED, TODAY, expand_all
from ttdn_graph.views.labels import labels, with_jurisdiction

T = f"<{TTDN}"
PAGE_SIZE = 50
MAX_PAGE = 10_000  # rows per CSV/JSON page; the service's row cap bounds it too
FACET_VALUES = 30
# Oxigraph joins row by row (tens of µs each) and decodes every term it sorts: counting a facet over 200,000 tasks
# takes 10-100 s, sorting them 40 s. Past these sizes a table lists facet values from their vocabulary, uncounted,
# and keeps the store's own order until a filter narrows it (measured at 10,000 plans: BENCHMARKS.md).
FACET_ROWS = 5_000
SORT_ROWS = 5_000


@dataclass(frozen=True)
class Column:
    """One column: `pattern` binds ?v for ?row (many values are joined with "; ")."""

    key: str
    label: str
    pattern: str
    kind: str = "text"  # text | iri | int | date
    sort: str | None = None  # a pattern binding ?k (one value per row) when the table may be sorted by it


@dataclass(frozen=True)
class Facet:
    """A filter and its value counts: `pattern` binds ?v for ?row; `today` is the pattern on today's map."""

    key: str
    label: str
    pattern: str
    kind: str = "iri"  # iri | int | text
    today: str | None = None
    choices: str | None = None  # binds ?v without ?row: the values offered, uncounted, when a table is too big
    # binds ?row from ?u, one of the units a chosen value stands for (the unit, on the map asked for, with the units
    # within it), listed before the query: a path such as `ttdn:within*` in the filter made Oxigraph walk every node
    # (14-52 s for one province's tasks at 10,000 plans; 0.02 s with the units listed)
    units: str | None = None


@dataclass(frozen=True)
class TableSpec:
    name: str
    title: str
    row: str  # binds ?row (one pattern: joins on ?row cost per row)
    columns: tuple[Column, ...]
    facets: tuple[Facet, ...]
    default_sort: str
    description: str = ""

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    def facet(self, key: str) -> Facet | None:
        return next((f for f in self.facets if f.key == key), None)


# -- the tables --------------------------------------------------------------------------------------------------------
_PROVINCE = (f"?row {T}jurisdiction> ?_j . ?_j {T}within>* ?v . ?v a {T}Province>")
_PROVINCE_TODAY = (f"?row {T}jurisdiction> ?_j . ?_j {T}within>* ?_p . ?_p a {T}Province> . "
                   f"?_p {T}successor>* ?v . FILTER NOT EXISTS {{ ?v {T}successor> ?_later }}")
_TASK_PROVINCE = _PROVINCE.replace("?row ", f"?row {T}ofPlan>/")
_IN_UNIT = f"?row {T}jurisdiction> ?u"
_TASK_IN_UNIT = f"?_plan {T}jurisdiction> ?u . ?row {T}ofPlan> ?_plan"
_TASK_PROVINCE_TODAY = _PROVINCE_TODAY.replace("?row ", f"?row {T}ofPlan>/", 1)
_PLAN_YEAR = (f"OPTIONAL {{ ?row {T}periodStart> ?_ps }} OPTIONAL {{ ?row {T}dateIssued> ?_di }} "
              "BIND(COALESCE(YEAR(?_ps), YEAR(?_di)) AS ?v) FILTER(BOUND(?v))")


_PROVINCES = f"?v a {T}Province>"


def _scheme(name: str) -> str:
    return f"?v <{SKOS}inScheme> <{VOCAB}{name}>"


def _sort_label(prop: str = f"<{RDFS}label>") -> str:
    return f"OPTIONAL {{ ?row {prop} ?_kl }} BIND(LCASE(STR(?_kl)) AS ?k)"


PLANS = TableSpec(
    "plans", "Plans",
    f"?row a {T}Plan> ; <{PROV}wasDerivedFrom> ?_src . ?_src a {T}SourceDocument> .",
    (
        Column("plan", "Plan", "BIND(?row AS ?v)", "iri", _sort_label()),
        Column("number", "Number", f"?row {T}number> ?v", sort=f"OPTIONAL {{ ?row {T}number> ?k }}"),
        Column("dateIssued", "Issued", f"?row {T}dateIssued> ?v", "date", f"OPTIONAL {{ ?row {T}dateIssued> ?k }}"),
        Column("periodStart", "Period from", f"?row {T}periodStart> ?v", "date",
               f"OPTIONAL {{ ?row {T}periodStart> ?k }}"),
        Column("periodEnd", "Period to", f"?row {T}periodEnd> ?v", "date"),
        Column("jurisdiction", "Jurisdiction", f"?row {T}jurisdiction> ?v", "iri"),
        Column("issuer", "Issued by", f"?row {T}issuedBy> ?v", "iri"),
        Column("tasks", "Tasks", f"?row {T}taskCount> ?v", "int", f"OPTIONAL {{ ?row {T}taskCount> ?k }}"),
    ),
    (
        Facet("province", "Province", _PROVINCE, today=_PROVINCE_TODAY, choices=_PROVINCES, units=_IN_UNIT),
        Facet("jurisdiction", "Jurisdiction", f"?row {T}jurisdiction> ?v"),
        Facet("year", "Year", _PLAN_YEAR, "int", choices=_PLAN_YEAR.replace("?row", "?_r")),
        Facet("issuer", "Issued by", f"?row {T}issuedBy> ?v"),
    ),
    "periodStart",
    "Plans read from a loaded document (not those only cited). Year: the year the plan's period starts, or its "
    "issue year.",
)

TASKS = TableSpec(
    "tasks", "Tasks",
    f"?row {T}ofPlan> ?_plan .",  # every task has its plan (the ontology's domain of ofPlan is Task)
    (
        Column("task", "Task", "BIND(?row AS ?v)", "iri", _sort_label()),
        Column("section", "Section", f"?row {T}sectionPath> ?v", sort=f"OPTIONAL {{ ?row {T}sectionPath> ?k }}"),
        Column("plan", "Plan", f"?row {T}ofPlan> ?v", "iri",
               f"OPTIONAL {{ ?row {T}ofPlan> ?_pl . ?_pl <{RDFS}label> ?_kl }} BIND(LCASE(STR(?_kl)) AS ?k)"),
        Column("lead", "Lead", f"?row {T}leadAgency> ?v", "iri"),
        Column("support", "Support", f"?row {T}supportAgency> ?v", "iri"),
        Column("from", "From", f"?row {T}timeframeStart> ?v", "date", f"OPTIONAL {{ ?row {T}timeframeStart> ?k }}"),
        Column("to", "To", f"?row {T}timeframeEnd> ?v", "date", f"OPTIONAL {{ ?row {T}timeframeEnd> ?k }}"),
        Column("theme", "Themes", f"?row {T}theme> ?v", "iri"),
    ),
    (
        Facet("province", "Province", _TASK_PROVINCE, today=_TASK_PROVINCE_TODAY, choices=_PROVINCES,
              units=_TASK_IN_UNIT),
        Facet("year", "Year", f"?row {T}activeYear> ?v", "int", choices=f"?_r {T}activeYear> ?v"),
        Facet("theme", "Theme", f"?row {T}theme> ?v", choices=_scheme("theme")),
        Facet("lead_type", "Lead agency type", f"?row {T}leadAgency>/{T}agencyType> ?v", choices=_scheme("agency-type")),
        Facet("support_type", "Support agency type", f"?row {T}supportAgency>/{T}agencyType> ?v",
              choices=_scheme("agency-type")),
        Facet("lead", "Lead agency", f"?row {T}leadAgency> ?v"),
        Facet("support", "Supporting agency", f"?row {T}supportAgency> ?v"),
        Facet("plan", "Plan", f"?row {T}ofPlan> ?v"),
    ),
    "plan",
    "Every task of every loaded plan, groups and leaves. Year: a year the task is active in.",
)

AGENCIES = TableSpec(
    "agencies", "Agencies",
    f"?row a {T}Agency> .",
    (
        Column("agency", "Agency", "BIND(?row AS ?v)", "iri", _sort_label()),
        Column("jurisdiction", "Jurisdiction", f"?row {T}jurisdiction> ?v", "iri"),
        Column("type", "Type", f"?row {T}agencyType> ?v", "iri"),
        Column("leads", "Tasks led", f"?row {T}leadTaskCount> ?v", "int",
               f"OPTIONAL {{ ?row {T}leadTaskCount> ?k }}"),
        Column("supports", "Tasks supported", f"?row {T}supportTaskCount> ?v", "int",
               f"OPTIONAL {{ ?row {T}supportTaskCount> ?k }}"),
    ),
    (
        Facet("province", "Province", _PROVINCE, today=_PROVINCE_TODAY, choices=_PROVINCES, units=_IN_UNIT),
        Facet("type", "Agency type", f"?row {T}agencyType> ?v", choices=_scheme("agency-type")),
        Facet("role", "Role", f"{{ ?row {T}leadTaskCount> ?_n FILTER(?_n > 0) BIND(\"lead\" AS ?v) }} UNION "
                              f"{{ ?row {T}supportTaskCount> ?_n FILTER(?_n > 0) BIND(\"support\" AS ?v) }}", "text",
              choices='VALUES ?v { "lead" "support" }'),
        Facet("jurisdiction", "Jurisdiction", f"?row {T}jurisdiction> ?v"),
    ),
    "agency",
    "Named bodies, each scoped to its jurisdiction. Role: agencies that lead, or support, at least one task.",
)

INSTRUMENTS = TableSpec(
    "instruments", "Instruments",
    f"?row a {T}LegalInstrument> .",
    (
        Column("instrument", "Instrument", "BIND(?row AS ?v)", "iri", _sort_label()),
        Column("number", "Number", f"?row {T}number> ?v", sort=f"OPTIONAL {{ ?row {T}number> ?k }}"),
        Column("type", "Type", f"?row {T}instrumentType> ?v", "iri"),
        Column("title", "Title", f"?row {T}title> ?v"),
        Column("dateIssued", "Issued", f"?row {T}dateIssued> ?v", "date", f"OPTIONAL {{ ?row {T}dateIssued> ?k }}"),
        Column("issuer", "Issued by", f"?row {T}issuedBy> ?v", "iri"),
        Column("citingPlans", "Cited by plans", f"?row {T}citingPlanCount> ?v", "int",
               f"OPTIONAL {{ ?row {T}citingPlanCount> ?k }}"),
    ),
    (
        Facet("type", "Instrument type", f"?row {T}instrumentType> ?v", choices=_scheme("instrument-type")),
        Facet("year", "Year issued", f"?row {T}dateIssued> ?_d BIND(YEAR(?_d) AS ?v)", "int",
              choices=f"?_r {T}dateIssued> ?_d BIND(YEAR(?_d) AS ?v)"),
        Facet("issuer", "Issued by", f"?row {T}issuedBy> ?v"),
        Facet("jurisdiction", "Jurisdiction", f"?row {T}jurisdiction> ?v"),
    ),
    "citingPlans",
    "Every instrument a plan cites or rests on, and the plans themselves. Cited by plans: loaded plans citing it.",
)

UNITS = TableSpec(
    "units", "Administrative units",
    f"?row a {T}AdministrativeUnit> .",
    (
        Column("unit", "Unit", "BIND(?row AS ?v)", "iri", _sort_label()),
        Column("level", "Level", f"?row {T}level> ?v", sort=f"OPTIONAL {{ ?row {T}level> ?k }}"),
        Column("within", "Within", f"?row {T}withinUnit> ?v", "iri"),
        Column("successor", "Became", f"?row {T}successor> ?v", "iri"),
        Column("successionDate", "On", f"?row {T}successionDate> ?v", "date"),
        Column("code", "Code", f"?row {T}adminCode> ?v", sort=f"OPTIONAL {{ ?row {T}adminCode> ?k }}"),
    ),
    (
        Facet("level", "Level", f"?row {T}level> ?v", "text"),
        Facet("within", "Within", f"?row {T}within> ?v"),
        Facet("status", "On today's map", f"OPTIONAL {{ ?row {T}successor> ?_s }} "
                                          "BIND(IF(BOUND(?_s), \"replaced\", \"current\") AS ?v)", "text"),
    ),
    "unit",
    "Countries, provinces, districts and communes the plans name, with what each became in the 2025 reorganisation.",
)

TABLES: dict[str, TableSpec] = {t.name: t for t in (PLANS, TASKS, AGENCIES, INSTRUMENTS, UNITS)}


# -- a request and its answer ------------------------------------------------------------------------------------------
@dataclass
class TableRequest:
    """What the URL asks: filters (facet key → values, already checked), sort, page."""

    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str | None = None
    desc: bool = False
    offset: int = 0
    size: int = PAGE_SIZE
    map: str = PRINTED
    facets: bool = True
    units: dict[str, list[str]] = field(default_factory=dict)  # facet key → the units its values stand for


@dataclass
class Cell:
    value: str
    label: str
    iri: bool = False


@dataclass
class FacetValue:
    value: str
    label: str
    count: int | None
    selected: bool = False
    # count is None when the table was too big to count (the value comes from the facet's vocabulary)


@dataclass
class FacetResult:
    key: str
    label: str
    values: list[FacetValue]
    more: bool = False  # more distinct values than shown
    counted: bool = True


@dataclass
class TablePage:
    spec: TableSpec
    request: TableRequest
    count: int
    rows: list[dict[str, list[Cell]]]  # column key → cells (a many-valued column has several)
    facets: list[FacetResult]
    filter_labels: dict[tuple[str, str], str]
    truncated: bool = False
    sorted: bool = True  # False: too many rows to sort, in the store's order
    facets_counted: bool = True


class TableError(ValueError):
    """A request the table cannot answer (unknown facet, bad value); the message is safe to show."""


def _term(facet: Facet, value: str) -> str:
    if facet.kind == "iri":
        return str(ox.NamedNode(value))
    if facet.kind == "int":
        try:
            return str(ox.Literal(str(int(value)), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
        except ValueError:
            raise TableError(f"{facet.key}: a whole number is expected") from None
    return str(ox.Literal(value))


def _facet_pattern(spec: TableSpec, facet: Facet, req: TableRequest) -> str:
    return facet.today if (req.map == TODAY and facet.today) else facet.pattern


def _scoped(pattern: str, tag: str) -> str:
    """The pattern with its helper variables (?_x) renamed, so two facets' patterns do not join on them."""
    return pattern.replace("?_", f"?_{tag}")


def where(spec: TableSpec, req: TableRequest, skip: str | None = None) -> str:
    """The rows matching the request's filters (leaving out facet `skip`, whose counts are being made)."""
    parts = [spec.row]
    for i, (key, values) in enumerate(sorted(req.filters.items())):
        if key == skip or not values:
            continue
        facet = spec.facet(key)
        if facet is None:
            raise TableError(f"{key}: not a filter of the {spec.name} table")
        terms = [_term(facet, v) for v in values]
        if facet.units and key in req.units:  # the units listed: their plans found by index look-ups
            listed = " ".join(str(ox.NamedNode(u)) for u in req.units[key])
            parts.append(f"VALUES ?_u{i} {{ {listed} }} {_scoped(facet.units, f'f{i}').replace('?u', f'?_u{i}')}")
            continue
        pattern = _scoped(_facet_pattern(spec, facet, req), f"f{i}")
        if "BIND(" in pattern:  # ?v is computed: test it
            parts.append(f"{pattern.replace('?v', f'?_fv{i}')} FILTER(?_fv{i} IN ({', '.join(terms)}))")
        elif len(terms) == 1:  # the constant in the pattern itself, where the store's indexes can use it
            parts.append(pattern.replace("?v", terms[0]))
        else:
            parts.append(f"VALUES ?_fv{i} {{ {' '.join(terms)} }} {pattern.replace('?v', f'?_fv{i}')}")
    return seq(*parts)


def seq(*parts: str) -> str:
    """Patterns one after another, each closed by " ." (a triple followed by another needs it; others allow it)."""
    return " .\n  ".join(p.strip().rstrip(".").rstrip() for p in parts if p.strip())


def count_rows(store: Any, spec: TableSpec, req: TableRequest, skip: str | None = None) -> int:
    """Rows matching the request (without facet `skip`'s own filter, when given)."""
    rows = store.query(f"SELECT (COUNT(DISTINCT ?row) AS ?n) WHERE {{\n  {where(spec, req, skip)}\n}}")
    return int(rows[0]["n"].value) if rows else 0


def page_rows(store: Any, spec: TableSpec, req: TableRequest, *, ordered: bool = True) -> list[str]:
    """The IRIs of the page's rows, in the requested order (ties broken by IRI, so pages never overlap); unordered,
    in the store's own order (stable for one snapshot), which costs nothing to page through."""
    if not ordered:
        q = f"SELECT DISTINCT ?row WHERE {{\n  {where(spec, req)}\n}} LIMIT {req.size} OFFSET {req.offset}"
        return [r["row"].value for r in store.query(q)]
    key = req.sort or spec.default_sort
    col = spec.column(key)
    if col is None or not col.sort:
        raise TableError(f"_sort: {spec.name} cannot be sorted by that column")
    order = "DESC(?key)" if req.desc else "?key"
    q = f"""SELECT ?row (MIN(?k) AS ?key) WHERE {{
  {seq(where(spec, req), _scoped(col.sort, "s"))}
}} GROUP BY ?row ORDER BY {order} ?row LIMIT {req.size} OFFSET {req.offset}"""
    return [r["row"].value for r in store.query(q)]


def _values(iris: list[str]) -> str:
    return "VALUES ?row { " + " ".join(str(ox.NamedNode(i)) for i in iris) + " }"


def column_values(store: Any, col: Column, iris: list[str]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {i: [] for i in iris}
    if not iris:
        return out
    rows = store.query(f"SELECT DISTINCT ?row ?v WHERE {{ {seq(_values(iris), _scoped(col.pattern, 'c'))} }}")
    for r in rows:
        out[r["row"].value].append(r["v"])
    return out


def facet_counts(store: Any, spec: TableSpec, facet: Facet, req: TableRequest) -> tuple[list[tuple[str, int]], bool]:
    """(value, rows) pairs, most rows first; the counts honour every other filter (Datasette's rule)."""
    q = f"""SELECT ?v (COUNT(DISTINCT ?row) AS ?n) WHERE {{
  {seq(where(spec, req, skip=facet.key), _scoped(_facet_pattern(spec, facet, req), "x"))}
}} GROUP BY ?v ORDER BY DESC(?n) ?v LIMIT {FACET_VALUES + 1}"""
    rows = [(r["v"].value, int(r["n"].value)) for r in store.query(q) if r.get("v") is not None]
    return rows[:FACET_VALUES], len(rows) > FACET_VALUES


def facet_choices(store: Any, spec: TableSpec, facet: Facet, req: TableRequest) -> list[str]:
    """The values a facet offers when its table is too big to count: its vocabulary, uncounted."""
    pattern = _scoped(facet.choices or "", "c")
    if req.map == TODAY and facet.today:  # today's units only
        pattern = seq(pattern, f"FILTER NOT EXISTS {{ ?v {T}successor> ?_clater }}")
    rows = store.query(f"SELECT DISTINCT ?v WHERE {{ {pattern} }} LIMIT 500")
    return [r["v"].value for r in rows if r.get("v") is not None]


def _display(term: Any, names: dict[str, str]) -> Cell:
    if isinstance(term, ox.NamedNode):
        return Cell(term.value, names.get(term.value, term.value), True)
    return Cell(term.value, term.value)


def list_units(store: Any, spec: TableSpec, req: TableRequest) -> None:
    """Fill `req.units`: for each unit facet filtered on, the units its values stand for on the map asked for
    (ttdn_graph.todays_map), with every unit within them."""
    for key, values in req.filters.items():
        facet = spec.facet(key)
        if not (facet and facet.units and values):
            continue
        given = expand_all(store, values, req.map)
        listed = " ".join(str(ox.NamedNode(u)) for u in given)
        within = store.query(f"SELECT DISTINCT ?u WHERE {{ VALUES ?x {{ {listed} }} ?u {T}within> ?x }}")
        req.units[key] = sorted(set(given) | {r["u"].value for r in within})


def table_page(store: Any, spec: TableSpec, req: TableRequest) -> TablePage:
    """One page of a table with its facet counts and the labels of everything shown."""
    list_units(store, spec, req)
    count = count_rows(store, spec, req)
    if req.sort and count > SORT_ROWS:
        raise TableError(f"_sort: sorting is offered up to {SORT_ROWS:,} rows and {count:,} match; filter first")
    ordered = count <= SORT_ROWS
    iris = page_rows(store, spec, req, ordered=ordered)
    raw = {c.key: column_values(store, c, iris) for c in spec.columns}
    counted = count <= FACET_ROWS
    facet_raw: list[tuple[Facet, list[tuple[str, int | None]], bool, bool]] = []  # facet, values, more, counted
    for f in spec.facets if req.facets else ():
        # a facet's counts leave its own filter out (Datasette's rule): they count that many more rows
        own = count if not req.filters.get(f.key) else count_rows(store, spec, req, f.key)
        if own <= FACET_ROWS:
            facet_raw.append((f, *facet_counts(store, spec, f, req), True))
        elif f.choices:
            chosen = set(req.filters.get(f.key, []))
            facet_raw.append((f, [(v, None) for v in facet_choices(store, spec, f, req) if v not in chosen]
                              + [(v, None) for v in sorted(chosen)], False, False))
    to_name = {t.value for vals in raw.values() for ts in vals.values() for t in ts if isinstance(t, ox.NamedNode)}
    for f, values, _, _ in facet_raw:
        if f.kind == "iri":
            to_name.update(v for v, _ in values)
    for key, values in req.filters.items():
        f = spec.facet(key)
        if f and f.kind == "iri":
            to_name.update(values)
    names = with_jurisdiction(store, labels(store, sorted(to_name))) if to_name else {}
    rows = []
    for iri in iris:
        row = {}
        for c in spec.columns:
            cells = [_display(t, names) for t in raw[c.key][iri]]
            row[c.key] = sorted(cells, key=lambda x: x.label.casefold())
        rows.append(row)
    facets = []
    for f, values, more, was_counted in facet_raw:
        chosen = set(req.filters.get(f.key, []))
        shown = [FacetValue(v, names.get(v, v) if f.kind == "iri" else v, n, v in chosen) for v, n in values]
        if not was_counted:  # uncounted: in name order (counted ones come most rows first)
            shown.sort(key=lambda x: (not x.selected, x.label.casefold()))
        facets.append(FacetResult(f.key, f.label, shown, more, was_counted))
    filter_labels = {(k, v): (names.get(v, v)) for k, vs in req.filters.items() for v in vs}
    return TablePage(spec, req, count, rows, facets, filter_labels, getattr(store, "truncated", False),
                     ordered, counted and all(c for *_, c in facet_raw))


__all__ = ["FACET_ROWS", "SORT_ROWS", "TABLES", "MAX_PAGE", "PAGE_SIZE", "Cell", "Column", "Facet", "FacetResult", "FacetValue", "TableError",
           "TablePage", "TableRequest", "TableSpec", "count_rows", "facet_counts", "list_units", "page_rows", "table_page",
           "where"]
