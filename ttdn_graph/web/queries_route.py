"""Named research queries over HTTP: every result is a shareable URL.

    GET /queries                      the list (HTML, or JSON by Accept / ?format=json)
    GET /queries/{name}?param=…       run one: HTML table, SPARQL results JSON, CSV, TSV or XML
                                      (?format=html|json|csv|tsv|xml, else the Accept header)
    GET /queries/{name}?format=rq     the query text with the parameters bound, ready for /sparql
    GET /queries/{name}.rq            the .rq file as written

Parameter values are type-checked and bound through a VALUES block (ttdn_graph.queries); a bad value is a 400.
A query with a unit parameter also takes `map=printed|today` (ttdn_graph.todays_map): as of today, the unit is
looked up on the store's successor links and bound as the list of units it stands for today.
The HTML escapes every value; IRIs link to the linked-data pages when those are installed.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import anyio.to_thread
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from ttdn_graph import todays_map
from ttdn_graph.queries import NamedQuery, ParamError, QueryError
from ttdn_graph.store.base import StoreError
from ttdn_graph.web import resultviews
from ttdn_graph.web.pages import store_of
from ttdn_graph.web.params import GuardedRoute, check_request
from ttdn_graph.web.safety import Refused
from ttdn_graph.web.sparql import accept_list, error_response, result_headers, run_query
from ttdn_graph.web.worker import QueryFailed

router = APIRouter(tags=["queries"], route_class=GuardedRoute, dependencies=[Depends(check_request)])

_RESULT_FORMATS = {
    "json": "application/sparql-results+json",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "xml": "application/sparql-results+xml",
}
_ACCEPT = {
    "text/html": "html", "application/xhtml+xml": "html",
    "application/sparql-results+json": "json", "application/json": "json",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
    "application/sparql-results+xml": "xml", "application/xml": "xml",
}


def _choose(request: Request, fmt: str | None) -> str:
    """html | json | csv | tsv | xml | rq: `format=` first, then the Accept header (a bare */* gets JSON)."""
    if fmt:
        f = fmt.lower()
        if f in ("html", "rq", *_RESULT_FORMATS):
            return f
        raise Refused(406, f"format must be one of html, json, csv, tsv, xml, rq (not {fmt!r})")
    for mt in accept_list(request.headers.get("accept")):
        if mt in _ACCEPT:
            return _ACCEPT[mt]
        if mt in ("*/*", "application/*", "text/*"):
            return "json"
    return "json"


def _queries(request: Request) -> dict[str, NamedQuery]:
    return request.app.state.named_queries


def _linker(request: Request) -> Callable[[str], str]:
    """IRI → URL of its page (ttdn_graph.web.pages when installed), else the IRI itself."""
    try:
        from ttdn_graph.web.pages import page_url
    except ImportError:
        return lambda iri: iri
    base = request.app.state.base
    prefix = request.scope.get("root_path", "") or ""
    return lambda iri: page_url(iri, base, prefix)


def _page(title: str, body: str, root: str = "") -> str:
    e = html.escape
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)} · ttdn-graph</title>
<link rel="stylesheet" href="{e(root)}/static/css/site.css">
<style>table.results{{border-collapse:collapse;font-size:.9rem}}table.results td,table.results th{{border:1px solid #ccc;
padding:.2rem .4rem;vertical-align:top;text-align:left}}form.params label{{display:block;margin:.3rem 0}}
pre.sparql{{white-space:pre-wrap;background:#f6f6f6;padding:.5rem}}</style></head>
<body><header class="site"><a class="brand" href="{e(root)}/">ttdn<span>graph</span></a>
<nav><a href="{e(root)}/queries">Named queries</a> <a href="{e(root)}/sparql">SPARQL</a></nav></header>
<main>{body}</main></body></html>"""


@router.get("/queries", summary="List the named research queries", response_model=None)
def list_queries(request: Request, format: str | None = None) -> Response:
    try:
        fmt = _choose(request, format)
    except Refused as e:
        return error_response(e)
    qs = _queries(request)
    if fmt != "html":
        items = [{**q.to_dict(), "url": f"/queries/{q.name}"} for q in qs.values()]
        return JSONResponse({"queries": items})
    e = html.escape
    root = request.scope.get("root_path", "") or ""
    items = []
    for q in qs.values():
        params = ", ".join(f"{e(p.name)} ({e(p.type)})" for p in q.params) or "none"
        items.append(f'<li><a href="{e(root)}/queries/{e(q.name)}">{e(q.title)}</a> '
                     f'<code>{e(q.name)}</code><br><small>{e(q.description)}</small><br>'
                     f'<small>Parameters: {params}</small></li>')
    body = ("<h1>Named research queries</h1><p>Each query is a shareable URL: change the parameters in the form "
            "or the address. Add <code>?format=json</code>, <code>csv</code> or <code>tsv</code> for data.</p>"
            f"<ul>{''.join(items)}</ul>")
    return HTMLResponse(_page("Named research queries", body, root))


def _cell(b: dict | None, link: Callable[[str], str], label: str | None = None) -> str:
    """One result cell: an IRI links to this site's page (same tab), showing its label when there is one."""
    if not b:
        return ""
    e = html.escape
    v = str(b.get("value", ""))
    if b.get("type") == "uri":
        if label:  # the label shown, the IRI on hover
            return f'<a href="{e(link(v))}" title="{e(v)}">{e(label)}</a>'
        return f'<a href="{e(link(v))}">{e(v)}</a>'
    if b.get("type") == "triple":
        return e(json.dumps(b.get("value"), ensure_ascii=False))
    return e(v)


def _columns(cols: list[str], rows: list[dict]) -> list[str]:
    """The columns the HTML table shows: an IRI column's companion label column (?xLabel beside ?x) is folded into
    it (the IRI cell shows the label), the other columns as they are."""
    iri_cols = {c for c in cols if any((r.get(c) or {}).get("type") == "uri" for r in rows)}
    return [c for c in cols if not (c.endswith("Label") and c[:-5] in iri_cols)]


def _header(var: str) -> str:
    """A column header from a variable name: `citingDate` → "Citing date" (the name itself is the cell's title)."""
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", var).replace("_", " ").lower()
    return words[:1].upper() + words[1:]


def _json_script(element_id: str, value: Any) -> str:
    """A JSON data block that no document text can close (every '<' escaped)."""
    text = json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{element_id}">{text}</script>'


def _form(q: NamedQuery, values: dict[str, str], root: str) -> str:
    e = html.escape
    fields = []
    for p in q.params:
        shown = values.get(p.name, p.default or "")
        hint = p.type + (", optional" if p.optional else "") + (f", default {p.default}" if p.default else "")
        if p.choices:
            options = "".join(f'<option value="{e(c)}"{" selected" if c == shown else ""}>{e(c)}</option>'
                              for c in p.choices)
            widget = f'<select name="{e(p.name)}">{options}</select>'
        else:
            widget = f'<input name="{e(p.name)}" value="{e(shown)}" size="50">'
        fields.append(f'<label><b>{e(p.name)}</b> <small>({e(hint)})</small> '
                      f'{widget}<br><small>{e(p.description)}</small></label>')
    if not fields:
        return ""
    return (f'<form class="params" method="get" action="{e(root)}/queries/{e(q.name)}">{"".join(fields)}'
            '<button type="submit">Run</button></form>')


def _html_result(request: Request, q: NamedQuery, values: dict[str, str], out: Any | None, bound: str,
                 error: str | None, labels: dict[str, str] | None = None) -> HTMLResponse:
    e = html.escape
    root = request.scope.get("root_path", "") or ""
    parts = [f"<h1>{e(q.title)}</h1><p>{e(q.description)}</p>", _form(q, values, root)]
    if error:
        parts.append(f'<p class="error"><b>Error:</b> {e(error)}</p>')
    elif out is not None:
        data = json.loads(out.body)
        link = _linker(request)
        cap = request.app.state.settings.result_cap
        links = " · ".join(f'<a href="{e(root)}/queries/{e(q.name)}?{e(urlencode({**values, "format": f}))}">'
                           f"{f.upper()}</a>" for f in ("json", "csv", "tsv"))
        n = out.count
        note = f"{n} row{'s' if n != 1 else ''}"
        if out.truncated:
            note += f" — truncated at the result cap of {cap}"
        parts.append(f"<p>{e(note)} · {links}</p>")
        if "boolean" in data:
            parts.append(f"<p><b>{'true' if data['boolean'] else 'false'}</b></p>")
        else:
            bindings = data["results"]["bindings"]
            cols = _columns(data["head"]["vars"], bindings)
            labels = labels or {}

            def label(r: dict, c: str) -> str | None:
                own = r.get(f"{c}Label")
                return own["value"] if own and f"{c}Label" not in cols else labels.get((r.get(c) or {}).get("value", ""))

            head = "".join(f'<th title="?{e(c)}">{e(_header(c))}</th>' for c in cols)
            rows = "".join("<tr>" + "".join(f"<td>{_cell(r.get(c), link, label(r, c))}</td>" for c in cols) + "</tr>"
                           for r in bindings)
            views = q.views[0] if q.views else ""
            parts.append(f'<section id="ttdn-views" class="result-views" data-preferred="{e(views)}"></section>'
                         + _json_script("ttdn-results", data) + _json_script("ttdn-labels", labels)
                         + _json_script("ttdn-views-config", resultviews.client_config(request)))
            parts.append(f'<table class="results"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>')
            scripts = (f'<script src="{e(root)}/static/vendor/echarts/echarts.min.js"></script>'
                       f'<script src="{e(root)}/static/js/resultviews.js"></script>'
                       f'<script src="{e(root)}/static/js/queryviews.js"></script>')
            parts.append(scripts)
    if bound:
        parts.append(f'<details><summary>SPARQL</summary><pre class="sparql">{e(bound)}</pre>'
                     f'<p><a href="{e(root)}/sparql?{e(urlencode({"query": bound}))}">Run on /sparql</a></p></details>')
    status = 400 if error else 200
    return HTMLResponse(_page(q.title, "".join(parts), root), status_code=status)


async def _labels(request: Request, out: Any) -> dict[str, str]:
    """Labels of the result's IRIs that have no label column beside them (one query through the page lane; a
    result without them, or a failed look-up, shows the IRIs)."""
    data = json.loads(out.body)
    if "results" not in data:
        return {}
    cols = set(data["head"]["vars"])
    iris = [b["value"] for r in data["results"]["bindings"] for c, b in r.items()
            if b.get("type") == "uri" and f"{c}Label" not in cols]
    if not iris:
        return {}
    reader = store_of(request)
    try:
        return await anyio.to_thread.run_sync(lambda: resultviews.labels(reader, iris))
    except (QueryFailed, StoreError, Refused):
        return {}


@router.get("/queries/{name}", summary="Run a named query", response_model=None)
async def run_named_query(request: Request, name: str) -> Response:
    qs = _queries(request)
    if name.endswith(".rq") and name[:-3] in qs:
        return PlainTextResponse(qs[name[:-3]].sparql, media_type="application/sparql-query; charset=utf-8")
    if name not in qs:
        return PlainTextResponse(f"no named query {name!r}; see /queries\n", status_code=404)
    q = qs[name]
    params = dict(request.query_params)
    fmt_param = params.pop("format", None)
    try:
        fmt = _choose(request, fmt_param)
    except Refused as e:
        return error_response(e)
    values = {k: v for k, v in params.items() if v.strip()}  # empty form fields mean "not given"
    try:
        # map=today: the units are looked up on the store's successor links first (a few milliseconds), through
        # the query service like every other read (a thread: the page reader hands each query to the event loop)
        reader = store_of(request)
        bound = await anyio.to_thread.run_sync(lambda: q.bind(values, units=todays_map.expander(reader)))
    except QueryFailed as e:
        return PlainTextResponse(f"today's map: {e}\n", status_code=e.status)
    except (ParamError, QueryError) as e:
        if fmt == "html":
            return _html_result(request, q, values, None, "", str(e))
        return PlainTextResponse(f"{e}\n", status_code=400)
    except StoreError as e:
        return PlainTextResponse(f"today's map: the store did not answer: {e}\n", status_code=503)
    if fmt == "rq":
        return PlainTextResponse(bound, media_type="application/sparql-query; charset=utf-8")
    media = "application/sparql-results+json" if fmt == "html" else _RESULT_FORMATS[fmt]
    try:
        out = await run_query(request, bound, media_type=media, vetted=name in request.app.state.vetted_queries)
    except (Refused, QueryFailed) as e:
        if fmt == "html":
            resp = _html_result(request, q, values, None, bound, e.message)
            resp.status_code = e.status
            return resp
        return error_response(e)
    if fmt == "html":
        labels = await _labels(request, out)
        resp = _html_result(request, q, values, out, bound, None, labels)
        resp.headers.update(result_headers(out, request.app.state.settings.result_cap, request.app.state.settings.byte_cap))
        return resp
    charset = "; charset=utf-8"
    return Response(out.body, media_type=media + charset,
                    headers=result_headers(out, request.app.state.settings.result_cap, request.app.state.settings.byte_cap))


__all__ = ["router"]
