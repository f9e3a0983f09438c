"""HTML pages: the index, search, the SPARQL editor, and a page (or RDF) for every IRI of the graph.

`GET /id/{path}` dereferences `<base>id/…` data IRIs (`<store.base><path>`); `GET /ontology` the ontology
`https://w3id.org/ttdn/ontology` (its terms `…/ontology#Term` are anchors of that page); `GET /vocab/{path}` the SKOS
schemes and concepts `https://w3id.org/ttdn/vocab/…`; `GET /resource?iri=` any IRI. Ontology terms and concepts come
from the store's ontology graph, or from ontology/*.ttl when the store lacks it. All answer HTML, Turtle,
JSON-LD, N-Triples, RDF/XML or N3 by Accept header, or by a suffix (`….ttl`, `.jsonld`, `.nt`, `.rdf`) or `?format=`
— the one conneg table of ttdn_graph/web/conneg.py, shared with the SPARQL endpoint.
A unit's HTML page lists its loaded plans (and those of the units within it), `?map=printed` (default) or
`?map=today` (the unit on today's map, predecessors and successors included: ttdn_graph.todays_map).
Templates autoescape; document text is never marked safe.

Every query of a page goes through the app's query service (ttdn_graph/web/service.py) in its page lane: the
builders of ttdn_graph/views get a `StoreReader` (`store_of`), never the store, so a page has the time limit, caps
and answer cache of the endpoint; a page whose queries overrun the limit is a 503 page (params.GuardedRoute).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ttdn_graph.graph.namespaces import PREFIXES, TTDN, VOCAB
from ttdn_graph.ontology import ONTOLOGY_IRI
from ttdn_graph.todays_map import PRINTED, TODAY, MapError, map_choice
from ttdn_graph.views import describe, subgraph, summary
from ttdn_graph.views.document import reader_url
from ttdn_graph.views.labels import qname
from ttdn_graph.views.ontology import ontology_document, ontology_view
from ttdn_graph.web import conneg
from ttdn_graph.web.admission import client_key
from ttdn_graph.web.params import BadInput, GuardedRoute, check_request
from ttdn_graph.web.resultviews import client_config
from ttdn_graph.web.service import PAGE_LANE, StoreReader

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
templates = Jinja2Templates(env=Environment(
    loader=FileSystemLoader(str(HERE / "templates")),
    autoescape=select_autoescape(["html", "htm", "xml"], default_for_string=True, default=True),
))
templates.env.filters["qname"] = qname

# the formats of a page, from the one conneg table (ttdn_graph/web/conneg.py): key → (media type, pyoxigraph syntax)
RDF_FORMATS: dict[str, tuple[str, ox.RdfFormat]] = {f.key: (f.media_type, f.rdf_format) for f in conneg.RDF_FORMATS}
SUFFIXES = {suffix: f.key for suffix, f in conneg.SUFFIXES.items()}
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_ALTERNATES = (("ttl", "Turtle"), ("jsonld", "JSON-LD"), ("nt", "N-Triples"), ("rdf", "RDF/XML"))

router = APIRouter(tags=["pages"], route_class=GuardedRoute, dependencies=[Depends(check_request)])


# -- helpers shared with ttdn_graph.web.views ------------------------------------------------------------------------------
def store_of(request: Request) -> StoreReader:
    """This request's way to the graph: a store-like reader whose queries run in the page lane of the query service,
    all within one time budget (made on first use, then the same for the whole request)."""
    reader = getattr(request.state, "reader", None)
    if reader is None:
        reader = request.state.reader = request.app.state.service.reader(lane=PAGE_LANE, client=client_key(request))
    return reader


def base_of(request: Request) -> str:
    """The data IRI base (`<base>id/…` IRIs are served under /id/)."""
    return request.app.state.base


def root(request: Request) -> str:
    return request.scope.get("root_path", "") or ""


def page_url(iri: str, base: str, prefix: str = "") -> str:
    """The site path of an IRI's page: `/id/<rest>` under the data base, `/ontology` and `/ontology#<term>` for the
    ontology and its terms, `/vocab/<rest>` for the SKOS schemes and concepts, else `/resource?iri=…`."""
    if iri.startswith(base) and len(iri) > len(base):
        return f"{prefix}/id/{quote(iri[len(base):], safe=_PATH_SAFE)}"
    if iri == ONTOLOGY_IRI:
        return f"{prefix}/ontology"
    if iri.startswith(TTDN) and len(iri) > len(TTDN):
        return f"{prefix}/ontology#{quote(iri[len(TTDN):], safe=_PATH_SAFE)}"
    if iri.startswith(VOCAB) and len(iri) > len(VOCAB):
        return f"{prefix}/vocab/{quote(iri[len(VOCAB):], safe=_PATH_SAFE)}"
    return f"{prefix}/resource?{urlencode({'iri': iri})}"


def linker(request: Request) -> Callable[[str], str]:
    base, prefix = base_of(request), root(request)
    return lambda iri: page_url(iri, base, prefix)


def csv_response(header: Sequence[str], rows: Iterable[Sequence[Any]], name: str, *, truncated: bool,
                 count: int | None = None) -> Response:
    """A table or view as a CSV download (RFC 4180 line ends), saying whether it was cut and how many rows it has."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    headers = {"Content-Disposition": f'attachment; filename="{name}.csv"',
               "X-TTDN-Truncated": "true" if truncated else "false"}
    if count is not None:
        headers["X-TTDN-Count"] = str(count)
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    ctx = {"root": root(request), "nav_query": "", **context}
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)


def negotiate(accept: str | None) -> str | None:
    """The best format key for an Accept header (q-values honoured, header order breaks ties; HTML by default);
    None: nothing fits."""
    found = conneg.negotiate(accept, conneg.PAGE_FORMATS)
    return found.key if found else None


def format_param(value: str | None) -> str | None:
    """The format key a `?format=` value names (a key, another name or a media type), else None."""
    found = conneg.by_name(value, conneg.PAGE_FORMATS) if value else None
    return found.key if found else None


def _not_acceptable() -> Response:
    return Response(conneg.not_acceptable(conneg.PAGE_FORMATS) + "\n", status_code=406,
                    media_type="text/plain; charset=utf-8")


# -- index, search, editor --------------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def index(request: Request) -> HTMLResponse:
    store = store_of(request)
    return render(request, "index.html", {"summary": summary(store, linker(request)), "base": base_of(request)})


@router.get("/editor", response_class=HTMLResponse, include_in_schema=False)
def editor(request: Request) -> HTMLResponse:
    prefixes = {**PREFIXES, "vocab": VOCAB, "id": base_of(request)}
    return render(request, "editor.html", {"prefixes": prefixes, "views_config": client_config(request)})


@router.get("/static/{path:path}", include_in_schema=False)
def static(path: str) -> FileResponse:
    try:
        target = (STATIC_DIR / path).resolve()
        found = target.is_file() and STATIC_DIR in target.parents
    except (OSError, ValueError):  # a name too long for the file system, say
        found = False
    if not found:
        return Response("not found", status_code=404, media_type="text/plain")  # type: ignore[return-value]
    return FileResponse(target, headers={"Cache-Control": "public, max-age=3600"})


# -- linked-data pages ------------------------------------------------------------------------------------------
def rdf_response(triples: list[ox.Triple], fmt: str) -> Response:
    """Triples in the RDF format `fmt` (a conneg key), with the ontology's prefixes where the syntax has them."""
    f = conneg.rdf_format(fmt)
    prefixed = f.rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML)
    data = ox.serialize(triples, format=f.rdf_format, prefixes=PREFIXES if prefixed else None)
    return Response(data, media_type=f.content_type, headers={"Vary": "Accept"})


def _rdf(store: Any, iri: str, fmt: str) -> Response:
    return rdf_response(subgraph(store, iri), fmt)


def _alternates(request: Request, iri: str, canonical: str) -> list[tuple[str, str, str]]:
    """(label, url, media type) of the page's RDF forms."""
    out = []
    by_suffix = ("/id/" in canonical or "/vocab/" in canonical) and "?" not in canonical and "#" not in canonical
    for key, label in _ALTERNATES:
        url = f"{canonical}.{key}" if by_suffix else \
            f"{root(request)}/resource?{urlencode({'iri': iri, 'format': key})}"
        out.append((label, url, RDF_FORMATS[key][0]))
    return out


def _not_found(request: Request, iri: str, fmt: str) -> Response:
    if fmt != "html":
        return Response(f"Not found: {iri}\n", status_code=404, media_type="text/plain; charset=utf-8")
    return render(request, "not_found.html", {"iri": iri}, status_code=404)


def _map(value: str | None) -> str:
    try:
        return map_choice(value)
    except MapError as e:
        raise BadInput(str(e)) from None


def _map_links(request: Request) -> dict[str, str]:
    """The page itself read as printed and as of today: `?…&map=…` relative references (the path is kept)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "map"]
    return {m: "?" + urlencode([*params, ("map", m)]) for m in (PRINTED, TODAY)}


def _resource(request: Request, candidates: list[tuple[str, str | None]], fmt_param: str | None,
              map_param: str | None = None) -> Response:
    """Answer for the first candidate IRI the store or ontology knows; candidates carry a suffix-implied format."""
    store = store_of(request)
    map_ = _map(map_param)
    accept_fmt = negotiate(request.headers.get("accept"))
    param_fmt = format_param(fmt_param)
    for iri, suffix_fmt in candidates:
        fmt = param_fmt or suffix_fmt or accept_fmt
        if fmt is None:
            return _not_acceptable()
        link = linker(request)
        if fmt != "html":
            if not subgraph(store, iri, incoming_limit=1):
                continue
            return _rdf(store, iri, fmt)
        view = describe(store, iri, link, map=map_)
        if view is None:
            continue
        canonical = link(iri)
        resp = render(request, "resource.html", {
            "v": view, "canonical": canonical, "alternates": _alternates(request, iri, canonical),
            "onward": _onward(request, view, map_), "map_links": _map_links(request),
            "reader_url": lambda doc, start=None, end=None: reader_url(root(request), base_of(request), doc, start,
                                                                       end),
        })
        resp.headers["Vary"] = "Accept"
        return resp
    first = candidates[0][0] if candidates else ""
    fmt = param_fmt or (candidates[0][1] if candidates else None) or accept_fmt or "html"
    return _not_found(request, first, fmt if fmt in RDF_FORMATS else "html")


def _onward(request: Request, v: Any, map_: str = PRINTED) -> list[tuple[str, str]]:
    """Links to the interactive views that start from this resource."""
    r = root(request)
    out = []
    if f"{TTDN}SourceDocument" in v.type_iris:
        url = reader_url(r, base_of(request), v.iri)
        if url:
            out.append(("Read the document (text with line numbers)", url))
    if v.is_instrument:
        out.append(("Cascade down: what derives from it", f"{r}/views/cascade?{urlencode({'instrument': v.iri})}"))
    if v.is_plan:
        out.append(("Cascade up: what it derives from",
                     f"{r}/views/cascade?{urlencode({'plan': v.iri, 'direction': 'up'})}"))
        if v.tasks:
            out.append(("Agencies and tasks of this plan", f"{r}/views/agencies?{urlencode({'plan': v.iri})}"))
    if v.is_agency:
        out.append(("Tasks of this agency and its partners", f"{r}/views/agencies?{urlencode({'agency': v.iri})}"))
    if v.is_unit:
        params = {"jurisdiction": v.iri, **({"map": TODAY} if map_ == TODAY else {})}
        out.append(("Agencies and tasks in this jurisdiction" + (" (as of today)" if map_ == TODAY else ""),
                    f"{r}/views/agencies?{urlencode(params)}"))
    return out


def _path_candidates(request: Request, path: str, marker: str, base: str) -> list[tuple[str, str | None]]:
    """IRIs `base + rest` a site path `…<marker><rest>` may name: the raw and the decoded rest, each also without a
    format suffix (`.ttl` …, which then sets the format)."""
    raw = (request.scope.get("raw_path") or request.url.path.encode()).decode("latin-1")
    rest = raw.split(marker, 1)[1] if marker in raw else path
    forms = list(dict.fromkeys([rest, unquote(rest), path]))
    candidates: list[tuple[str, str | None]] = [(base + f, None) for f in forms if f]
    for f in forms:
        for suffix, key in SUFFIXES.items():
            if f.endswith(suffix) and len(f) > len(suffix):
                candidates.append((base + f[: -len(suffix)], key))
    return candidates


@router.get("/id/{path:path}", response_model=None, include_in_schema=False)
def data_page(request: Request, path: str, format: str | None = None,
              map: str | None = None) -> Response:  # noqa: A002 - the public parameter name
    return _resource(request, _path_candidates(request, path, "/id/", base_of(request)), format, map)


@router.get("/vocab/{path:path}", response_model=None, include_in_schema=False)
def vocabulary_page(request: Request, path: str, format: str | None = None) -> Response:
    """A SKOS scheme or concept, `https://w3id.org/ttdn/vocab/<path>` (themes, agency and instrument types,
    recurrence): from the store's ontology graph, else from ontology/*.ttl."""
    return _resource(request, _path_candidates(request, path, "/vocab/", VOCAB), format)


@router.get("/ontology{suffix:path}", response_model=None)
def ontology_page(request: Request, suffix: str = "", format: str | None = None) -> Response:
    """The ontology `https://w3id.org/ttdn/ontology`: an HTML page of its classes and properties (each under an
    anchor named by its local name, so `…/ontology#Task` lands on the term), or its triples as Turtle, JSON-LD,
    N-Triples or RDF/XML by Accept header, suffix (`/ontology.ttl`) or `?format=`."""
    if suffix in ("", "/"):
        suffix_fmt = None
    elif suffix in SUFFIXES:
        suffix_fmt = SUFFIXES[suffix]
    else:
        named = format_param(format)
        return _not_found(request, ONTOLOGY_IRI + suffix, named if named in RDF_FORMATS else "html")
    fmt = format_param(format) or suffix_fmt or negotiate(request.headers.get("accept"))
    if fmt is None:
        return _not_acceptable()
    store = store_of(request)
    if fmt != "html":
        triples, _ = ontology_document(store)
        return rdf_response(triples, fmt)
    alternates = [(label, f"{root(request)}/ontology.{key}", RDF_FORMATS[key][0]) for key, label in _ALTERNATES]
    link = linker(request)
    resp = render(request, "ontology.html", {
        "o": ontology_view(store, link), "alternates": alternates,
        "resource_url": lambda iri: f"{root(request)}/resource?{urlencode({'iri': iri})}",
    })
    resp.headers["Vary"] = "Accept"
    return resp


@router.get("/resource", response_model=None)
def resource_page(request: Request, iri: str = Query(..., description="any IRI"), format: str | None = None,
                  map: str | None = None) -> Response:  # noqa: A002 - the public parameter name
    if not iri.strip():
        raise BadInput("iri: give an IRI")
    return _resource(request, [(iri.strip(), None)], format, map)  # text that is no IRI is simply not found
