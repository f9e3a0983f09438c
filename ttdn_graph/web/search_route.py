"""`/search?q=…`: the forgiving search (ttdn_graph.search) as a page and as JSON (`&format=json`).

Filters and paging are query parameters: `kind` (plan, instrument, task, duty, agency, unit), `page`. The index is a
read-only SQLite file beside the store (ttdn_graph/sidecar.py), opened per request in this process: a look-up is a few
milliseconds of FTS5 with a deadline, reads no graph and needs no store handle, and the file is replaced whole by
the loader, so there is nothing for a query worker's sandbox to add. Without an index (a remote endpoint, or a
store loaded before indexes existed: `ttdn index` builds one) the search falls back to the label search of
ttdn_graph.views, through the query service.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from ttdn_graph.search.build import KINDS
from ttdn_graph.search.query import PER_PAGE, SearchHit, SearchResult, SearchTimeout, SearchUnavailable, search
from ttdn_graph.search.terms import highlight, parse_query
from ttdn_graph.sidecar import search_path
from ttdn_graph.views import search as label_search
from ttdn_graph.views.document import reader_url
from ttdn_graph.web.pages import base_of, linker, render, root, store_of
from ttdn_graph.web.params import BadInput, GuardedRoute, check_request, choice
from ttdn_graph.web.worker import QueryFailed

router = APIRouter(tags=["pages"], route_class=GuardedRoute, dependencies=[Depends(check_request)])

KIND_LABELS = {"plan": "Kế hoạch / plans", "instrument": "Văn bản / instruments", "task": "Nhiệm vụ / tasks",
               "duty": "Phân công / duties", "agency": "Cơ quan / agencies", "unit": "Địa bàn / units"}


def _page(value: str | None) -> int:
    if value is None or not value.strip():
        return 1
    if not value.strip().isdigit() or not 1 <= int(value) <= 10_000:
        raise BadInput("page: give a page number (1, 2, …)")
    return int(value)


def _fallback(request: Request, q: str, kind: str | None, page: int) -> SearchResult:
    """The label search over SPARQL, shaped as an index answer (one page, no kind filter of its own)."""
    terms = parse_query(q).terms
    hits = [SearchHit(h.iri, ", ".join(h.types), h.label, None, h.context, None, None, None, 0.0,
                      highlight(h.label, terms), [], highlight(h.context, terms) if h.context else [])
            for h in (label_search(store_of(request), q, linker(request)) if q.strip() else [])]
    return SearchResult(" ".join(q.split()), kind, 1, max(PER_PAGE, len(hits)), len(hits), {}, hits, sorted(terms))


@router.get("/search", response_model=None)
def search_page(request: Request, q: str = "", kind: str | None = None, page: str | None = None,
                format: str | None = None) -> Response:  # noqa: A002 - the public parameter name
    """Resources whose labels, numbers, titles, task or duty text match `q` — any case, no diacritics needed,
    symbols in any spelling — best first, `kind` and `page` as given; HTML or `format=json`."""
    kind = choice(kind, "kind", KINDS)
    n = _page(page)
    fmt = choice(format, "format", ("html", "json")) or "html"
    store_path = request.app.state.store_path
    indexed = True
    try:
        if not store_path:
            raise SearchUnavailable("no index for a remote endpoint")
        result = search(search_path(store_path), q, kind=kind, page=n,
                        timeout=request.app.state.settings.query_timeout)
    except SearchUnavailable:
        indexed = False
        result = _fallback(request, q, kind, n)
    except SearchTimeout as e:
        raise QueryFailed(503, str(e), time_limit=True) from None
    link, base, prefix = linker(request), base_of(request), root(request)
    rows = [_row(h, link, base, prefix) for h in result.hits]
    if fmt == "json":
        return JSONResponse({
            "q": result.q, "kind": result.kind, "page": result.page, "per_page": result.per_page,
            "total": result.total, "by_kind": result.by_kind, "indexed": indexed, "terms": result.terms,
            "results": [{k: v for k, v in r.items() if k != "hit"} for r in rows],
        })
    return render(request, "search.html", {
        "q": q, "result": result, "rows": rows, "kinds": KIND_LABELS, "indexed": indexed, "nav_query": q,
        "kind_url": lambda k: f"{prefix}/search?" + urlencode({"q": q, **({"kind": k} if k else {})}),
        "page_url": lambda p: f"{prefix}/search?" + urlencode({"q": q, **({"kind": kind} if kind else {}),
                                                             "page": p}),
    })


def _row(h: SearchHit, link: Any, base: str, prefix: str) -> dict[str, Any]:
    def parts(segs: list) -> list[list[Any]]:
        return [[s.text, s.hit] for s in segs]

    return {
        "iri": h.iri, "url": link(h.iri), "kind": h.kind, "label": h.label, "text": h.text, "context": h.context,
        "score": round(-h.score, 4), "lines": h.lines,
        "source": reader_url(prefix, base, h.document, h.line_start, h.line_end) if h.document else None,
        "highlight": {"label": parts(h.label_parts), "text": parts(h.text_parts), "context": parts(h.context_parts)},
        "hit": h,
    }


__all__ = ["router", "search_page"]
