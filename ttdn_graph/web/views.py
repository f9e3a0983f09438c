"""Interactive views (pyvis / vis-network), each also an API with `?format=json`.

- `/views/agencies?jurisdiction=&year=&agencyType=&theme=&plan=&agency=&limit=` (all optional, repeatable), and
  `map=printed|today`: the jurisdictions as printed (default) or on today's map (ttdn_graph.todays_map)
- `/views/cascade?instrument=<IRI or number>` (down) or `?plan=<IRI>&direction=up`; down, `&province=&year=` filter
  the summary view (layers clustered by province, views.cascade_summary), which a cascade of more than
  SUMMARY_AT instruments opens as; `&mode=summary|items` chooses
- `/views/lib/{vis-network.min.js|vis-network.css}`: the vis-network copy bundled inside the pyvis package
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from ttdn_graph.graph.namespaces import SKOS, TTDN
from ttdn_graph.resolve.slug import lookup_key
from ttdn_graph.todays_map import MapError, map_choice
from ttdn_graph.views import VIS_DIR, VIS_FILES, AgencySelection, agency_task_graph, cascade_graph, render_network
from ttdn_graph.views.agency_graph import MAX_NODES, resolve_units
from ttdn_graph.views.cascade_summary import cascade_summary_graph, unit_names, view_link
from ttdn_graph.views.catalogue import jurisdiction_counts, loaded_plans_pattern, spelling_variants, year_counts
from ttdn_graph.views.iri import is_iri
from ttdn_graph.views.labels import labels
from ttdn_graph.views.palette import agency_types
from ttdn_graph.views.sorting import vi_key
from ttdn_graph.web.pages import csv_response, linker, render, store_of
from ttdn_graph.web.params import BadInput, GuardedRoute, check_request, choice, iri_or_name, parse_iri

router = APIRouter(prefix="/views", tags=["views"], route_class=GuardedRoute, dependencies=[Depends(check_request)])


@router.get("/lib/{name}", include_in_schema=False)
def vis_lib(name: str) -> Response:
    if name not in VIS_FILES or not (VIS_DIR / name).is_file():
        return Response("not found", status_code=404, media_type="text/plain")
    return FileResponse(VIS_DIR / name, headers={"Cache-Control": "public, max-age=86400"})


def _years(values: list[str]) -> list[int]:
    """Years as numbers; an empty value (the form's "all") is no filter, anything but 1–4 ASCII digits a 400."""
    out = []
    for v in _clean(values):
        if not re.fullmatch(r"[0-9]{1,4}", v):
            raise BadInput("year: must be a year such as 2020")
        out.append(int(v))
    return out


def _clean(values: list[str], parse: Callable[[str, str], str] | None = None, name: str = "") -> list[str]:
    """Non-empty values, stripped (empty ones are the form's "all"), each checked by `parse` when given."""
    out = [v.strip() for v in values if v and v.strip()]
    return [parse(v, name) for v in out] if parse else out


def _map(value: str | None) -> str:
    """printed | today (ttdn_graph.todays_map); anything else a 400."""
    try:
        return map_choice(value)
    except MapError as e:
        raise BadInput(str(e)) from None


def _themes() -> list[tuple[str, str]]:
    """(id, label) of the theme vocabulary, for the filter form."""
    try:
        from ttdn_graph.themes import themes

        return [(t.id, f"{t.vi} / {t.en}") for t in themes()]
    except Exception:  # noqa: BLE001 - the form just lacks the list
        return []


FORMATS = ("html", "json", "csv")


def as_csv(graph: Any, name: str) -> Response:
    """A view as CSV: its edges (and lone nodes), with the same filters as the page (ViewGraph.csv_rows)."""
    return csv_response(graph.CSV_HEADER, graph.csv_rows(), name, truncated=graph.truncated)


@router.get("/agencies", response_model=None)
def agencies_view(
    request: Request,
    jurisdiction: list[str] = Query(default=[]),
    year: list[str] = Query(default=[]),
    agencyType: list[str] = Query(default=[]),  # noqa: N803 - the public parameter name
    theme: list[str] = Query(default=[]),
    plan: list[str] = Query(default=[]),
    agency: list[str] = Query(default=[]),
    limit: int = Query(default=MAX_NODES, ge=1),
    format: str | None = None,
    map: str | None = None,  # noqa: A002 - the public parameter name
) -> Response:
    store = store_of(request)
    sel = AgencySelection(_clean(jurisdiction, iri_or_name, "jurisdiction"), _years(year),
                          _clean(agencyType, iri_or_name, "agencyType"), _clean(theme, iri_or_name, "theme"),
                          _clean(plan, parse_iri, "plan"), _clean(agency, parse_iri, "agency"), min(limit, MAX_NODES),
                          _map(map))
    fmt = choice(format, "format", FORMATS)
    graph = agency_task_graph(store, sel, linker(request))
    if fmt == "json":
        return JSONResponse(graph.to_json())
    if fmt == "csv":
        return as_csv(graph, "agencies")
    link = linker(request)
    chosen = sel.plans + sel.agencies + [j for j in sel.jurisdictions if "://" in j]
    names = labels(store, chosen) if chosen else {}
    return render(request, "view.html", {
        "graph": graph, "network": render_network(graph), "kind": "agencies",
        "jurisdictions": jurisdiction_counts(store, link), "years": [y for y, _ in year_counts(store) if y != "?"],
        "agency_types": list(agency_types().values()), "themes": _themes(), "sel": sel,
        "chips": [(k, names.get(v, v)) for k, vs in sel.params().items() for v in vs],
    })


def _find_instrument(store: Any, value: str) -> str | None:
    """An instrument IRI from an IRI or a printed number ("1486/QĐ-TTg", any case)."""
    value = value.strip()
    if "://" in value:
        return value if is_iri(value) else None
    # the look-up form every instrument carries (an index look-up); a store loaded before it existed is scanned
    rows = store.query(f"SELECT ?x WHERE {{ ?x <{SKOS}hiddenLabel> {ox.Literal(lookup_key(value))} }} "
                       "ORDER BY ?x LIMIT 1")
    if not rows:
        conds = " || ".join(f"LCASE(STR(?n)) = {ox.Literal(v)}" for v in spelling_variants(value.replace(" ", "")))
        rows = store.query(f"SELECT ?x WHERE {{ ?x <{TTDN}number> ?n FILTER({conds}) }} ORDER BY ?x LIMIT 1")
    return rows[0]["x"].value if rows else None


def _starting_points(store: Any, link: Any) -> dict[str, list[tuple[str, str, int]]]:
    """Most-cited instruments (cascade down) and loaded plans (cascade up), for the empty cascade page."""
    cited = store.query(f"""SELECT ?t (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  ?s <{TTDN}legalBasis>|<{TTDN}implements> ?t }} GROUP BY ?t ORDER BY DESC(?n) ?t LIMIT 25""")
    plans = store.query(f"SELECT DISTINCT ?p WHERE {{ {loaded_plans_pattern('?p')} }} ORDER BY ?p LIMIT 200")
    names = labels(store, [r["t"].value for r in cited] + [r["p"].value for r in plans])
    return {
        "cited": [(names[r["t"].value], r["t"].value, int(r["n"].value)) for r in cited],
        "plans": sorted(((names[r["p"].value], r["p"].value, 0) for r in plans), key=lambda x: x[0]),
    }


SUMMARY_AT = 50  # a cascade down of more instruments than this opens as its summary


def _derived(store: Any, iri: str) -> int:
    """How many instruments derive from `iri` (its ttdn:Derivation nodes: one index look-up)."""
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?d <{TTDN}derivationTarget> <{iri}> }}")
    return int(rows[0]["n"].value) if rows else 0


@router.get("/cascade", response_model=None)
def cascade_view(
    request: Request,
    instrument: str | None = None,
    plan: str | None = None,
    direction: str | None = None,
    province: str | None = None,
    year: str | None = None,
    mode: str | None = None,
    limit: int = Query(default=MAX_NODES, ge=1),
    format: str | None = None,
) -> Response:
    store, link = store_of(request), linker(request)
    format = choice(format, "format", FORMATS)  # noqa: A001 - the public parameter name
    instrument = iri_or_name(instrument, "instrument") if instrument else None
    plan = iri_or_name(plan, "plan") if plan else None
    direction = choice(direction, "direction", ("up", "down"))
    mode = choice(mode, "mode", ("summary", "items"))
    years = _years([year] if year else [])
    the_year = years[0] if years else None
    province = iri_or_name(province, "province") if province and province.strip() else None
    given = instrument or plan
    if not given:
        if format == "json":
            return JSONResponse({"detail": "give instrument=<IRI or number> or plan=<IRI>"}, status_code=400)
        return render(request, "cascade_start.html", {"start": _starting_points(store, link)})
    iri = _find_instrument(store, given)
    up = (direction or ("up" if plan and not instrument else "down")) == "up"
    if iri is None:
        if format == "json":
            return JSONResponse({"detail": f"no instrument matches {given!r}"}, status_code=404)
        return render(request, "not_found.html", {"iri": given}, status_code=404)
    summary = not up and store.ask(f"ASK {{ <{iri}> ?p ?o }}") and (
        mode == "summary" or (mode is None and (province or the_year or _derived(store, iri) > SUMMARY_AT)))
    if summary:
        unit = None
        if province:
            units = resolve_units(store, [province])
            if not units:
                raise BadInput("province: no administrative unit matches")
            unit = units[0]
        base = request.url.path
        graph = cascade_summary_graph(store, iri, link, lambda **kw: view_link(base, iri, mode="summary", **kw),
                                      province=unit, year=the_year)
    else:
        graph = cascade_graph(store, iri, link, up=up, limit=min(limit, MAX_NODES))
    if format == "json":
        return JSONResponse(graph.to_json(), status_code=404 if graph.message == "Unknown instrument." else 200)
    if format == "csv":
        return as_csv(graph, "cascade")
    root_label = labels(store, [iri]).get(iri, iri)
    facets = graph.facets
    names = unit_names(store, facets.get("provinces", [])) if summary else {}
    return render(request, "view.html", {
        "graph": graph, "network": render_network(graph, height="76vh"), "kind": "cascade",
        "root_iri": iri, "root_label": root_label, "root_url": link(iri), "up": up, "summary": summary,
        "provinces": sorted(((u, names.get(u, u)) for u in facets.get("provinces", [])), key=lambda x: vi_key(x[1])),
        "years": facets.get("years", []), "province": graph.params.get("province"), "year": the_year,
    }, status_code=404 if graph.message == "Unknown instrument." else 200)


@router.get("", include_in_schema=False, response_class=HTMLResponse)
def views_home(request: Request) -> Response:
    return agencies_view(request, [], [], [], [], [], [], MAX_NODES, None, None)
