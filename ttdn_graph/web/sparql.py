"""The public SPARQL 1.1 Protocol endpoint, read-only: GET ?query=, POST form, POST application/sparql-query.

SELECT/ASK answer application/sparql-results+json (default), +xml, text/csv or text/tab-separated-values;
CONSTRUCT/DESCRIBE answer text/turtle (default), application/n-triples, application/ld+json or
application/rdf+xml — chosen by the Accept header or by `format=` (json, xml, csv, tsv, turtle, nt, jsonld,
rdfxml), which is handy in links. Every answer carries X-TTDN-Result-Cap, X-TTDN-Truncated and X-TTDN-Count.
Answers are cut at a row cap and a byte cap (X-TTDN-Byte-Cap; X-TTDN-Truncated-By says which one cut).
Errors are text/plain: 400 malformed, 403 refused (update, SERVICE, LOAD, foreign graphs), 406 no acceptable
format, 413 request body too large, 429 too many queries at once from one address, 503 time limit, memory limit or
busy; 429 and 503 carry Retry-After. The body of a request is read in a stream and refused as soon as it passes
MAX_BODY bytes, chunked or not.
"""

from __future__ import annotations

import html
from urllib.parse import parse_qsl

import anyio
import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from ttdn_graph.web.admission import client_key
from ttdn_graph.web.safety import QueryCheck, Refused, check_graphs, check_query
from ttdn_graph.web.service import may_name_graphs
from ttdn_graph.web.worker import GRAPH_MEDIA, QUERY_LANE, RESULT_MEDIA, Output, QueryFailed, RemoteExecutor

router = APIRouter()

MAX_BODY = 1_000_000
DEEP_CHECK_IN_SERVER_MAX = 20_000  # rdflib's parser cannot be interrupted: keep its input small
SCAN_INLINE_MAX = 4_000  # queries up to this length are scanned on the event loop (a few ms at worst)
SCAN_THREADS = 2
_RESULT_ALIASES = {
    "application/sparql-results+json": "application/sparql-results+json",
    "application/json": "application/sparql-results+json",
    "text/javascript": "application/sparql-results+json",
    "application/javascript": "application/sparql-results+json",
    "application/sparql-results+xml": "application/sparql-results+xml",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "text/csv": "text/csv",
    "text/tab-separated-values": "text/tab-separated-values",
}
_GRAPH_ALIASES = {
    "text/turtle": "text/turtle",
    "application/turtle": "text/turtle",
    "application/x-turtle": "text/turtle",
    "text/n3": "text/turtle",
    "text/rdf+n3": "text/turtle",
    "application/n-triples": "application/n-triples",
    "text/plain": "application/n-triples",
    "application/ld+json": "application/ld+json",
    "application/x-json+ld": "application/ld+json",
    "application/json": "application/ld+json",
    "application/rdf+xml": "application/rdf+xml",
    "application/xml": "application/rdf+xml",
}
_FORMAT_PARAM = {
    "json": ("application/sparql-results+json", "application/ld+json"),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "csv": ("text/csv", None),
    "tsv": ("text/tab-separated-values", None),
    "turtle": (None, "text/turtle"),
    "ttl": (None, "text/turtle"),
    "nt": (None, "application/n-triples"),
    "ntriples": (None, "application/n-triples"),
    "n-triples": (None, "application/n-triples"),
    "jsonld": (None, "application/ld+json"),
    "json-ld": (None, "application/ld+json"),
    "rdfxml": (None, "application/rdf+xml"),
}


def accept_list(accept: str | None) -> list[str]:
    """Media ranges of an Accept header, best first (q-values honoured, ties keep their order)."""
    items = []
    for i, part in enumerate((accept or "").split(",")):
        bits = [b.strip() for b in part.split(";")]
        if not bits[0]:
            continue
        q = 1.0
        for b in bits[1:]:
            if b.lower().startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            items.append((-q, i, bits[0].lower()))
    return [mt for _, _, mt in sorted(items)]


def negotiate(accept: str | None, fmt: str | None, is_graph: bool) -> str:
    """The media type to answer with; Refused(406) when nothing acceptable is on offer."""
    default = "text/turtle" if is_graph else "application/sparql-results+json"
    if fmt:
        key = fmt.strip().lower()
        if key in _FORMAT_PARAM:
            mt = _FORMAT_PARAM[key][1 if is_graph else 0]
            if mt:
                return mt
        else:
            table = _GRAPH_ALIASES if is_graph else _RESULT_ALIASES
            if key in table:
                return table[key]
        kind = "CONSTRUCT/DESCRIBE" if is_graph else "SELECT/ASK"
        raise Refused(406, f"format {fmt!r} is not available for {kind} queries")
    table = _GRAPH_ALIASES if is_graph else _RESULT_ALIASES
    ranges = accept_list(accept)
    if not ranges:
        return default
    for mt in ranges:
        if mt in table:
            return table[mt]
        if mt in ("*/*", "application/*", "text/*"):
            return default
    offered = sorted(set((GRAPH_MEDIA if is_graph else RESULT_MEDIA).keys()))
    raise Refused(406, "none of the accepted media types can be produced; available: " + ", ".join(offered))


def result_headers(out: Output, cap: int, byte_cap: int = 0) -> dict[str, str]:
    headers = {
        "X-TTDN-Result-Cap": str(cap),
        "X-TTDN-Byte-Cap": str(byte_cap),
        "X-TTDN-Truncated": "true" if out.truncated else "false",
        "X-TTDN-Count": str(out.count),
        "X-TTDN-Query-Seconds": f"{out.seconds:.3f}",
        "X-TTDN-Cache": "hit" if out.cached else "miss",
        "Vary": "Accept",
    }
    if out.truncated_by:
        headers["X-TTDN-Truncated-By"] = out.truncated_by
    if out.version:
        headers["X-TTDN-Store-Version"] = out.version
    return headers


def _media_with_charset(mt: str) -> str:
    return f"{mt}; charset=utf-8" if mt.startswith("text/") or mt.endswith(("json", "xml")) else mt


async def run_query(request: Request, sparql: str, *, accept: str | None = None, fmt: str | None = None,
                    default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
                    media_type: str | None = None, vetted: bool = False) -> Output:
    """Check, then run a query through the app's query service, in its query lane. Raises Refused or QueryFailed.

    The token scan runs here; rdflib's slower parse runs in the query worker (embedded store), or here for a
    remote endpoint when the query is short enough. `vetted` (named queries checked at start-up) skips it.
    """
    app = request.app
    service = app.state.service
    remote = isinstance(app.state.executor, RemoteExecutor)
    deep_here = remote and not vetted and len(sparql) <= DEEP_CHECK_IN_SERVER_MAX
    client = client_key(request)
    with app.state.client_slots.hold(client):  # before the scan: a flooding address costs nothing more
        if may_name_graphs(sparql, default_graphs, named_graphs):
            await service.graph_names()  # the names the checks read (app.state.local_graphs), fresh enough
        check = await _check(app, sparql, deep_here)
        mt = media_type or negotiate(accept, fmt, check.is_graph)
        if default_graphs or named_graphs:
            check_graphs([*(default_graphs or []), *(named_graphs or [])], app.state.local_graphs)
            dg, ng = tuple(default_graphs or ()), tuple(named_graphs or ())
        elif check.has_dataset:
            dg, ng = tuple(check.from_graphs), tuple(check.from_named_graphs)
        else:
            dg = ng = None
        job = service.job(sparql, mt, default_graphs=dg, named_graphs=ng, deep_check=not remote and not vetted)
        return await service.answer(job, is_graph=check.is_graph, lane=QUERY_LANE, client=client)


async def _check(app, sparql: str, deep: bool) -> QueryCheck:
    """check_query: inline for short texts (about a millisecond, cheaper than a thread hop and never queued
    behind long texts); in threads, two at a time, for long ones, so a flood of them cannot starve the event loop."""
    settings = app.state.settings

    def check() -> QueryCheck:
        return check_query(sparql, app.state.local_graphs, settings.max_query_length, deep=deep)

    if len(sparql) <= SCAN_INLINE_MAX and not deep:
        return check()
    limiter = getattr(app.state, "scan_limiter", None)
    if limiter is None:  # made in the running event loop, once per app
        limiter = app.state.scan_limiter = anyio.CapacityLimiter(SCAN_THREADS)
    return await anyio.to_thread.run_sync(check, limiter=limiter)


def error_response(e: Refused | QueryFailed) -> PlainTextResponse:
    retry = getattr(e, "retry_after", None) or (5 if e.status == 503 else None)
    headers = {"Retry-After": str(retry)} if retry else None
    return PlainTextResponse(e.message + "\n", status_code=e.status, headers=headers)


async def _params(request: Request) -> tuple[list[tuple[str, str]], str | None]:
    """Protocol parameters from the URL and, for POST, the body; plus a direct query body if there is one."""
    params = list(request.query_params.multi_items())
    if request.method != "POST":
        return params, None
    ctype = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if ctype == "application/sparql-update":
        raise Refused(403, "this endpoint is read-only: SPARQL Update requests are refused")
    body = await read_body(request, MAX_BODY)
    if ctype == "application/sparql-query":
        try:
            return params, body.decode("utf-8")
        except UnicodeDecodeError:
            raise Refused(400, "the query body is not UTF-8") from None
    if ctype in ("application/x-www-form-urlencoded", ""):
        try:
            form = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except UnicodeDecodeError:
            raise Refused(400, "the form body is not UTF-8") from None
        return params + form, None
    raise Refused(415, "POST bodies must be application/sparql-query or application/x-www-form-urlencoded")


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes `limit` bytes (declared or streamed)."""
    length = request.headers.get("content-length")
    if length and length.strip().isdigit() and int(length) > limit:
        raise Refused(413, f"request body larger than {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Refused(413, f"request body larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


@router.api_route("/sparql", methods=["GET", "POST"], summary="SPARQL 1.1 query endpoint (read-only)")
async def sparql_endpoint(request: Request) -> Response:
    try:
        params, direct = await _params(request)
        names = [k for k, _ in params]
        if "update" in names or "using-graph-uri" in names or "using-named-graph-uri" in names:
            raise Refused(403, "this endpoint is read-only: SPARQL Update requests are refused")
        queries = [v for k, v in params if k == "query"]
        if direct is not None:
            queries = [direct]
        if not queries:
            if request.method == "GET":
                return HTMLResponse(query_form_page())
            raise Refused(400, "no query given (use the 'query' parameter or an application/sparql-query body)")
        if len(queries) > 1:
            raise Refused(400, "exactly one 'query' parameter is allowed")
        fmt = next((v for k, v in params if k == "format"), None)
        out = await run_query(
            request, queries[0], accept=request.headers.get("accept"), fmt=fmt,
            default_graphs=[v for k, v in params if k == "default-graph-uri"],
            named_graphs=[v for k, v in params if k == "named-graph-uri"],
        )
    except (Refused, QueryFailed) as e:
        return error_response(e)
    settings = request.app.state.settings
    return Response(out.body, media_type=_media_with_charset(out.media_type),
                    headers=result_headers(out, settings.result_cap, settings.byte_cap))


def query_form_page() -> str:
    """A plain HTML form for the endpoint (no scripts), shown on GET /sparql without a query."""
    example = ("PREFIX ttdn: <https://w3id.org/ttdn/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
               "SELECT ?plan ?title WHERE {\n  ?plan a ttdn:Plan ; ttdn:title ?title .\n} LIMIT 20")
    options = "".join(f'<option value="{k}">{k}</option>' for k in ("json", "xml", "csv", "tsv", "turtle", "nt",
                                                                        "jsonld"))
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SPARQL endpoint · ttdn-graph</title>
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
textarea{{width:100%;font-family:monospace}}</style></head>
<body><h1>SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 endpoint over every loaded document (the default graph is the union of the named
graphs). SERVICE, LOAD and updates are refused; queries stop after a time limit and answers are capped.
See also the <a href="/queries">named research queries</a>.</p>
<form method="get" action="/sparql">
<textarea name="query" rows="14">{html.escape(example)}</textarea>
<p><label>Format <select name="format">{options}</select></label> <button type="submit">Run</button></p>
</form></body></html>"""


__all__ = ["accept_list", "error_response", "negotiate", "result_headers", "router", "run_query"]
