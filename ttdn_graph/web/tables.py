"""The browse tables at /plans, /tasks, /agencies, /instruments and /units: one route each, one handler for all.

Every table is also an API, Datasette-style: the same URL answers HTML, `?format=json` or `?format=csv`, and
its filters are query parameters (a facet's key, repeatable: `?province=<iri>&year=2019`), with `_sort` /
`_sort_desc`, `_offset`, `_size` and `map=printed|today`. CSV has one row per table row (many values joined by
"; ", an IRI column followed by its `…_label` column) and takes up to MAX_PAGE rows at a time. Queries run in
the page lane of the query service (ttdn_graph/web/pages.store_of), within one time budget.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from ttdn_graph.todays_map import MapError, map_choice
from ttdn_graph.views.tables import (
    FACET_ROWS,
    MAX_PAGE,
    PAGE_SIZE,
    SORT_ROWS,
    TABLES,
    TableError,
    TablePage,
    TableRequest,
    TableSpec,
    table_page,
)
from ttdn_graph.web.pages import csv_response, linker, render, store_of
from ttdn_graph.web.params import BadInput, GuardedRoute, check_request, choice, clean_text, parse_iri

router = APIRouter(tags=["tables"], route_class=GuardedRoute, dependencies=[Depends(check_request)])

CONTROL = ("format", "map", "_sort", "_sort_desc", "_offset", "_size", "_facets")
FORMATS = ("html", "json", "csv")


def _int(value: str | None, name: str, default: int, lo: int, hi: int) -> int:
    if value is None or not value.strip():
        return default
    try:
        n = int(value)
    except ValueError:
        raise BadInput(f"{name}: a whole number is expected") from None
    if not lo <= n <= hi:
        raise BadInput(f"{name}: must be between {lo} and {hi}")
    return n


def read_request(spec: TableSpec, request: Request, fmt: str) -> TableRequest:
    """The table request a URL makes; BadInput names the first thing wrong with it."""
    params = request.query_params
    filters: dict[str, list[str]] = {}
    for key, value in params.multi_items():
        if key in CONTROL:
            continue
        facet = spec.facet(key)
        if facet is None:
            known = ", ".join(f.key for f in spec.facets)
            raise BadInput(f"{key if key.isidentifier() else 'a parameter'}: not a filter of this table "
                           f"(filters: {known})")
        value = parse_iri(value, key) if facet.kind == "iri" else clean_text(value, key).strip()
        if value and value not in filters.setdefault(key, []):
            filters[key].append(value)
    sort, desc = params.get("_sort"), False
    if params.get("_sort_desc"):
        sort, desc = params.get("_sort_desc"), True
    if sort is not None:
        col = spec.column(sort)
        if col is None or not col.sort:
            raise BadInput("_sort: not a sortable column of this table (sortable: "
                           + ", ".join(c.key for c in spec.columns if c.sort) + ")")
    try:
        mapped = map_choice(params.get("map"))
    except MapError as e:
        raise BadInput(str(e)) from None
    default_size = MAX_PAGE if fmt == "csv" else PAGE_SIZE
    return TableRequest(filters, sort, desc, _int(params.get("_offset"), "_offset", 0, 0, 10_000_000),
                        _int(params.get("_size"), "_size", default_size, 1, MAX_PAGE), mapped,
                        facets=fmt != "csv" and params.get("_facets") != "off")


def url_with(request: Request, drop: tuple[str, ...] = (), add: list[tuple[str, str]] | None = None,
             remove: tuple[str, str] | None = None) -> str:
    """This table's URL with some parameters changed (every link of the page keeps the others)."""
    items = [(k, v) for k, v in request.query_params.multi_items() if k not in drop and (k, v) != remove]
    items += add or []
    query = urlencode(items)
    return f"{request.scope.get('root_path', '')}{request.url.path}" + (f"?{query}" if query else "")


def _plain(page: TablePage, row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for c in page.spec.columns:
        cells = row[c.key]
        values: list[Any] = [int(x.value) if c.kind == "int" else x.value for x in cells]
        out[c.key] = values[0] if len(values) == 1 else (values or None)
        if c.kind == "iri":
            names = [x.label for x in cells]
            out[f"{c.key}_label"] = names[0] if len(names) == 1 else (names or None)
    return out


def as_json(request: Request, page: TablePage) -> JSONResponse:
    req = page.request
    nxt = url_with(request, ("_offset",), [("_offset", str(req.offset + req.size))]) \
        if req.offset + req.size < page.count else None
    prev = url_with(request, ("_offset",), [("_offset", str(max(0, req.offset - req.size)))]) if req.offset else None
    return JSONResponse({
        "table": page.spec.name, "title": page.spec.title, "description": page.spec.description,
        "count": page.count, "offset": req.offset, "size": req.size, "next": nxt, "previous": prev,
        "sort": (req.sort or page.spec.default_sort) if page.sorted else None, "sort_desc": req.desc,
        "map": req.map, "facets_counted": page.facets_counted,
        "filters": req.filters, "truncated": page.truncated,
        "columns": [{"key": c.key, "label": c.label, "kind": c.kind, "sortable": bool(c.sort)}
                    for c in page.spec.columns],
        "rows": [_plain(page, r) for r in page.rows],
        "facets": {f.key: {"label": f.label, "more": f.more, "counted": f.counted, "values": [
            {"value": v.value, "label": v.label, "count": v.count, "selected": v.selected} for v in f.values]}
            for f in page.facets},
    })


def as_csv(page: TablePage) -> Response:
    head: list[str] = []
    for c in page.spec.columns:
        head += [c.key, f"{c.key}_label"] if c.kind == "iri" else [c.key]
    lines = []
    for row in page.rows:
        line: list[str] = []
        for c in page.spec.columns:
            cells = row[c.key]
            line.append("; ".join(x.value for x in cells))
            if c.kind == "iri":
                line.append("; ".join(x.label for x in cells))
        lines.append(line)
    return csv_response(head, lines, page.spec.name, truncated=page.truncated, count=page.count)


def as_html(request: Request, page: TablePage) -> Response:
    req, link = page.request, linker(request)
    current = req.sort or page.spec.default_sort
    sort_links = {}
    for c in page.spec.columns:
        if c.sort:
            flip = c.key == current and not req.desc
            sort_links[c.key] = url_with(request, ("_sort", "_sort_desc", "_offset"),
                                         [("_sort_desc" if flip else "_sort", c.key)])
    facets = []
    for f in page.facets:
        values = [(v, url_with(request, ("_offset",), remove=(f.key, v.value)) if v.selected
                   else url_with(request, ("_offset",), [(f.key, v.value)])) for v in f.values]
        facets.append((f, values))
    chips = [(page.spec.facet(k).label, page.filter_labels.get((k, v), v), url_with(request, ("_offset",), remove=(k, v)))
             for k, vs in req.filters.items() for v in vs]
    end = min(page.count, req.offset + req.size)
    ctx = {
        "page": page, "link": link, "sort_links": sort_links, "current_sort": current, "facets": facets,
        "chips": chips, "first": req.offset + 1 if page.rows else 0, "last": end,
        "next_url": url_with(request, ("_offset",), [("_offset", str(end))]) if end < page.count else None,
        "prev_url": url_with(request, ("_offset",), [("_offset", str(max(0, req.offset - req.size)))])
        if req.offset else None,
        "json_url": url_with(request, ("format",), [("format", "json")]),
        "csv_url": url_with(request, ("format", "_offset", "_size"), [("format", "csv")]),
        "map_urls": {m: url_with(request, ("map", "_offset"), [("map", m)]) for m in ("printed", "today")},
        "has_today": any(f.today for f in page.spec.facets),
        "tables": [(t.name, t.title) for t in TABLES.values()],
        "facet_rows": f"{FACET_ROWS:,}", "sort_rows": f"{SORT_ROWS:,}",
    }
    return render(request, "table.html", ctx)


def serve(spec: TableSpec, request: Request) -> Response:
    fmt = choice(request.query_params.get("format"), "format", FORMATS) or "html"
    req = read_request(spec, request, fmt)
    try:
        page = table_page(store_of(request), spec, req)
    except TableError as e:
        raise BadInput(str(e)) from None
    if fmt == "json":
        return as_json(request, page)
    if fmt == "csv":
        return as_csv(page)
    return as_html(request, page)


def _route(spec: TableSpec) -> None:
    def handler(request: Request) -> Response:
        return serve(spec, request)

    handler.__name__ = f"table_{spec.name}"
    router.add_api_route(f"/{spec.name}", handler, methods=["GET"], response_model=None,
                         summary=f"Browse {spec.title.lower()} (HTML, ?format=json, ?format=csv)",
                         description=spec.description)


for _spec in TABLES.values():
    _route(_spec)


__all__ = ["read_request", "router", "serve", "url_with"]
