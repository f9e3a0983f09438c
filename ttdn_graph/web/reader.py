"""The document reader: `/documents/{name}` serves a loaded document's text with a numbered anchor per line.

    /documents/004-5766715021dd69fb-txt              the text; #L54 lands on line 54
    /documents/…?lines=54-56#L54                     lines 54–56 highlighted (also #L54-L56, read by reader.js)
    /documents/…?format=txt                          the normalised text, as plain text
    /documents/…/original                            the file as loaded (its bytes, kept by SHA-256 beside the store)

`{name}` is the last segment of the source node's IRI (`<base>source/<name>`, the document's graph). The text and
everything else come through the query service like every page; the original is a file the loader wrote beside
the store (ttdn_graph/sidecar.py), read-only here, always sent as an attachment (an HTML original is never rendered
as this site's page).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, PlainTextResponse, Response

from ttdn_graph.sidecar import original_path
from ttdn_graph.views.document import document_view, original_of, parse_lines, reader_url, source_iri
from ttdn_graph.web.pages import base_of, linker, render, root, store_of
from ttdn_graph.web.params import BadInput, GuardedRoute, check_request

router = APIRouter(tags=["pages"], route_class=GuardedRoute, dependencies=[Depends(check_request)])


def _source(request: Request, name: str) -> str:
    iri = source_iri(base_of(request), name)
    if iri is None:
        raise BadInput("name: not a document name", status=404)
    return iri


@router.get("/documents/{name}", response_model=None)
def document_page(request: Request, name: str, lines: str | None = None, format: str | None = None) -> Response:  # noqa: A002
    """A loaded document's text, one anchor per line (`#L100`), lines highlighted with `?lines=100-104`."""
    iri = _source(request, name)
    try:
        marked = parse_lines(lines)
    except ValueError as e:
        raise BadInput(str(e)) from None
    if format not in (None, "", "html", "txt"):
        raise BadInput("format: must be html or txt")
    view = document_view(store_of(request), iri, linker(request), marked)
    if view is None:
        return render(request, "not_found.html", {"iri": iri}, status_code=404)
    if format == "txt":
        if not view.has_text:
            return PlainTextResponse("this document's text was not kept (loaded from an extraction record)\n",
                                     status_code=404)
        return PlainTextResponse("\n".join(ln.text for ln in view.lines),
                                 headers={"X-Content-Type-Options": "nosniff"})
    return render(request, "document.html", {"d": view, "name": name,
                                             "original": f"{root(request)}/documents/{name}/original"})


@router.get("/documents/{name}/original", response_model=None)
def document_original(request: Request, name: str) -> Response:
    """The file as loaded, byte for byte (its SHA-256 is the one on the source node)."""
    iri = _source(request, name)
    found = original_of(store_of(request), iri)
    store_path = request.app.state.store_path
    path = original_path(store_path, found[1] or "") if found and store_path else None
    if found is None or path is None or not path.is_file():
        return PlainTextResponse("no original kept for this document\n", status_code=404,
                                 headers={"X-Content-Type-Options": "nosniff"})
    file_name = Path(found[0]).name
    media = mimetypes.guess_type(file_name)[0] or "application/octet-stream"
    return FileResponse(path, media_type=media, filename=file_name, content_disposition_type="attachment",
                        headers={"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox"})


__all__ = ["reader_url", "router"]  # reader_url: ttdn_graph.views.document
