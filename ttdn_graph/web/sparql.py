"""The public SPARQL 1.1 Protocol endpoint, read-only: GET ?query=, POST form, POST application/sparql-query.

SELECT/ASK answer application/sparql-results+json (default), +xml, text/csv or text/tab-separated-values;
CONSTRUCT/DESCRIBE answer text/turtle (default), text/n3 (Turtle, labelled N3), application/n-triples,
application/ld+json or application/rdf+xml — chosen by the Accept header or by `format=` (json, xml, csv, tsv, turtle,
n3, nt, jsonld, rdfxml, or a media type; of several the first one known), one table for the whole app
(ttdn_graph/web/conneg.py). GET /sparql without a query answers the HTML form, or the SPARQL 1.1 Service Description
when the client asks for RDF (ttdn_graph/web/service_description.py).

Every query has the endpoint's own URL as its base IRI, so `CONSTRUCT { <s> <p> 1 } WHERE {}` works. A POST must say
what it carries: `application/x-www-form-urlencoded` (query=…) or `application/sparql-query` (the query itself); no
Content-Type is a 400, any other a 415. SPARQL requests are UTF-8 (the media types' registrations say so): a
`charset=` other than UTF-8 (or its ASCII subset) is refused with 415, never guessed.

The dataset rule: a client may name a dataset (FROM / FROM NAMED, default-graph-uri / named-graph-uri; the protocol's
parameters override the query's clauses) over the graphs this store holds — listed in the service description — and
is refused with 403 for any other graph: the endpoint fetches nothing. The Protocol (2.1.4) suggests 400 for a
service that takes no client datasets at all; this one takes them and refuses by policy, which HTTP calls 403.

Every answer carries X-TTDN-Result-Cap, X-TTDN-Truncated and X-TTDN-Count.
Answers are cut at a row cap and a byte cap (X-TTDN-Byte-Cap; X-TTDN-Truncated-By says which one cut).
Errors are text/plain: 400 malformed, 403 refused (update, SERVICE, LOAD, graphs not held here), 405 a method other
than GET or POST, 406 no acceptable format, 413 request body too large, 415 wrong Content-Type or charset, 429 too
many queries at once from one address, 503 time limit, memory limit or busy; 429 and 503 carry Retry-After. The body
of a request is read in a stream and refused as soon as it passes MAX_BODY bytes, chunked or not.
"""

from __future__ import annotations

import codecs
import html
from urllib.parse import parse_qsl

import anyio
import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from ttdn_graph.web import conneg
from ttdn_graph.web.admission import client_key
from ttdn_graph.web.safety import QueryCheck, Refused, check_graphs, check_query
from ttdn_graph.web.service import may_name_graphs
from ttdn_graph.web.worker import QUERY_LANE, Output, QueryFailed, RemoteExecutor

router = APIRouter()

MAX_BODY = 1_000_000
DEEP_CHECK_IN_SERVER_MAX = 20_000  # rdflib's parser cannot be interrupted: keep its input small
SCAN_INLINE_MAX = 4_000  # queries up to this length are scanned on the event loop (a few ms at worst)
SCAN_THREADS = 2
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
UTF8_NAMES = frozenset({"utf-8", "ascii"})  # codecs.lookup names: UTF-8 and its ASCII subset
accept_list = conneg.accept_list


def negotiate(accept: str | None, fmt: str | list[str] | None, is_graph: bool) -> str:
    """The media type to answer with; Refused(406) when nothing acceptable is on offer."""
    offered = conneg.RDF_FORMATS if is_graph else conneg.RESULT_FORMATS
    names = [fmt] if isinstance(fmt, str) else [f for f in (fmt or []) if f.strip()]
    if names:
        found = conneg.by_name(names, offered)
        if found is None:
            kind = "CONSTRUCT/DESCRIBE" if is_graph else "SELECT/ASK"
            raise Refused(406, f"format {names[0]!r} is not available for {kind} queries; available: "
                               + ", ".join(f.key for f in offered))
        return found.media_type
    found = conneg.negotiate(accept, offered)
    if found is None:
        raise Refused(406, conneg.not_acceptable(offered))
    return found.media_type


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
    f = conneg.BY_MEDIA_TYPE.get(mt)
    return f.content_type if f is not None else mt


def endpoint_url(request: Request) -> str:
    """This endpoint's own URL, as the client reached it: the base IRI of every query and the service's IRI."""
    return str(request.url_for("sparql_endpoint"))


async def run_query(request: Request, sparql: str, *, accept: str | None = None, fmt: str | list[str] | None = None,
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
        job = service.job(sparql, mt, default_graphs=dg, named_graphs=ng, deep_check=not remote and not vetted,
                          base_iri=endpoint_url(request))
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


def content_type(request: Request) -> tuple[str, dict[str, str]]:
    """The request's media type (lower case, '' when none was sent) and its parameters (names lower case)."""
    raw = request.headers.get("content-type") or ""
    head, *rest = raw.split(";")
    params = {}
    for part in rest:
        name, _, value = part.partition("=")
        if name.strip():
            params[name.strip().lower()] = value.strip().strip('"')
    return head.strip().lower(), params


def _check_charset(params: dict[str, str]) -> None:
    """Refused(415) for a charset other than UTF-8 (or ASCII, a subset of it): SPARQL requests are UTF-8."""
    charset = params.get("charset")
    if charset is None:
        return
    try:
        name = codecs.lookup(charset).name
    except LookupError:
        name = charset
    if name not in UTF8_NAMES:
        raise Refused(415, f"charset={charset} is not supported: SPARQL requests are UTF-8 (send the text as UTF-8, "
                           "or leave charset out)")


def _utf8(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, f"the {what} is not UTF-8") from None


async def _params(request: Request) -> tuple[list[tuple[str, str]], str | None]:
    """Protocol parameters from the URL and, for POST, the body; plus a direct query body if there is one."""
    params = list(request.query_params.multi_items())
    if request.method != "POST":
        return params, None
    ctype, ct_params = content_type(request)
    if ctype == UPDATE:
        raise Refused(403, "this endpoint is read-only: SPARQL Update requests are refused")
    if not ctype:
        raise Refused(400, f"a POST must say what it carries: Content-Type {FORM} (query=…) or {DIRECT} "
                           "(the query itself)")
    if ctype not in (FORM, DIRECT):
        raise Refused(415, f"POST bodies must be {DIRECT} or {FORM}, not {ctype}")
    _check_charset(ct_params)
    body = await read_body(request, MAX_BODY)
    if ctype == DIRECT:
        if any(k == "query" for k, _ in params):
            raise Refused(400, f"a {DIRECT} POST carries its query in the body, not also in the URL")
        return params, _utf8(body, "query body")
    form = parse_qsl(_utf8(body, "form body"), keep_blank_values=True, strict_parsing=False)
    return params + form, None


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
        fmt = [v for k, v in params if k == "format"]
        if not queries:
            if request.method == "GET":
                return await _description_or_form(request, fmt)
            raise Refused(400, "no query given (use the 'query' parameter or an application/sparql-query body)")
        if len(queries) > 1:
            raise Refused(400, "exactly one 'query' parameter is allowed")
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


async def _description_or_form(request: Request, fmt: list[str]) -> Response:
    """GET /sparql without a query: the HTML form, or the service description in the RDF format asked for."""
    from ttdn_graph.web.service_description import describe_service

    chosen = conneg.by_name(fmt, conneg.PAGE_FORMATS) if fmt else \
        conneg.negotiate(request.headers.get("accept"), conneg.PAGE_FORMATS)
    if chosen is None:
        raise Refused(406, conneg.not_acceptable(conneg.PAGE_FORMATS))
    if chosen.kind == conneg.HTML:
        return HTMLResponse(query_form_page(), headers={"Vary": "Accept"})
    body = await describe_service(request, endpoint_url(request), chosen)
    return Response(body, media_type=chosen.content_type, headers={"Vary": "Accept"})


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


__all__ = ["accept_list", "content_type", "endpoint_url", "error_response", "negotiate", "result_headers", "router",
           "run_query"]
