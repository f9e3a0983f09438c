"""The dataset's description and its dumps: `GET /.well-known/void`, `GET /dumps/`, `GET /dumps/{file}`.

/.well-known/void (RFC 5785 well-known location of VoID) answers the stored VoID/DCAT description (the graph
ttdn_graph.store.description keeps at load time, read through the query service like every page) plus what only
the server knows: its SPARQL endpoint's URL (void:sparqlEndpoint, a dcat:DataService) and the dumps of the same
version in its dumps folder (void:dataDump, a dcat:Distribution each, with size and SHA-256 from the manifest).
Turtle by default, N3, JSON-LD, N-Triples or RDF/XML by Accept header or `?format=` (web/conneg.py, the table
every route negotiates with).

/dumps/ lists the dumps (HTML, or JSON by Accept / `?format=json`), newest first; /dumps/{file} streams one from
disk. Only a file some manifest names (or its .sha256, or a manifest) is served, looked up by exact name in that
list: no path from the request ever reaches the file system. The folder is Settings.dumps_dir (`ttdn serve
--dumps`, $TTDN_DUMPS, default `dumps/` beside the store); `ttdn export --out` fills it.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from ttdn_graph.dumps import FORMAT_IRI, Manifest, offered_files, read_manifests
from ttdn_graph.graph.description import (
    DESCRIPTION_PREFIXES,
    DumpFile,
    dataset_iri,
    description_graph,
    served_triples,
    version_of,
)
from ttdn_graph.web import conneg
from ttdn_graph.web.pages import render, root, store_of
from ttdn_graph.web.params import GuardedRoute, check_request

router = APIRouter(tags=["dataset"], route_class=GuardedRoute, dependencies=[Depends(check_request)])


def rdf_choice(request: Request, format_param: str | None) -> conneg.Format | None:
    """The RDF format for this request from the one conneg table: `?format=` (a key, name or media type), else the
    Accept header, where no preference, `*/*` or HTML (a browser) give Turtle; None when the client accepts none."""
    named = conneg.by_name(format_param, conneg.RDF_FORMATS) if format_param else None
    if named is not None:
        return named
    found = conneg.negotiate(request.headers.get("accept"), conneg.PAGE_FORMATS)
    return conneg.rdf_format("ttl") if found is not None and found.kind == conneg.HTML else found


def serialize(triples: list[ox.Triple], fmt: conneg.Format) -> Response:
    plain = fmt.rdf_format in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.JSON_LD)
    data = ox.serialize(triples, format=fmt.rdf_format, prefixes=None if plain else DESCRIPTION_PREFIXES)
    return Response(data, media_type=fmt.content_type, headers={"Vary": "Accept"})


def site(request: Request) -> str:
    """This server's absolute URL prefix (scheme, host, port, root path), as the client reached it."""
    return str(request.base_url).rstrip("/")


def dumps_dir(request: Request) -> Path | None:
    folder = getattr(request.app.state, "dumps_dir", None)
    return Path(folder) if folder else None


def dump_url(request: Request, name: str) -> str:
    return f"{site(request)}/dumps/{quote(name)}"


def dump_files(request: Request, manifest: Manifest) -> list[DumpFile]:
    return [DumpFile(f.name, dump_url(request, f.name), f.media_type, f.bytes, f.sha256, FORMAT_IRI.get(f.format))
            for f in manifest.files]


@router.get("/.well-known/void", response_model=None)
def void_description(request: Request, format: str | None = None) -> Response:  # noqa: A002 - the public name
    """The dataset's VoID and DCAT description (Turtle, JSON-LD, N-Triples or RDF/XML)."""
    fmt = rdf_choice(request, format)
    if fmt is None:
        return Response(conneg.not_acceptable(conneg.RDF_FORMATS) + "\n", status_code=406, media_type="text/plain")
    store = store_of(request)
    graph = description_graph(store.base)
    triples = store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    if not triples:
        return Response("This store holds no dataset description yet: `ttdn load` writes one.\n", status_code=404,
                        media_type="text/plain; charset=utf-8")
    version = version_of(triples, store.base)
    current = next((m for m in read_manifests(dumps_dir(request)) if m.version == version), None)
    files = dump_files(request, current) if current else []
    triples += served_triples(store.base, f"{site(request)}/sparql", files, f"{site(request)}/dumps/")
    first = dataset_iri(store.base)  # the dataset first, then its parts, each subject's triples together
    triples.sort(key=lambda t: (t.subject.value != first, str(t.subject), str(t.predicate), str(t.object)))
    return serialize(triples, fmt)


def _listing(request: Request) -> list[dict]:
    return [{"version": m.version, "created": m.created, "quads": m.quads,
             "manifest": dump_url(request, m.name),
             "files": [{"name": f.name, "url": dump_url(request, f.name), "format": f.format,
                        "media_type": f.media_type, "bytes": f.bytes, "sha256": f.sha256,
                        "sha256_url": dump_url(request, f.name + ".sha256")} for f in m.files]}
            for m in read_manifests(dumps_dir(request))]


@router.get("/dumps", response_model=None, include_in_schema=False)
@router.get("/dumps/", response_model=None)
def dumps_list(request: Request, format: str | None = None) -> Response:  # noqa: A002 - the public name
    """The dumps on offer, newest first: HTML, or JSON (`?format=json` or Accept: application/json)."""
    listing = _listing(request)
    accept = (request.headers.get("accept") or "").lower()
    if format == "json" or (format is None and "application/json" in accept and "text/html" not in accept):
        return JSONResponse({"dumps": listing, "description": f"{site(request)}/.well-known/void"})
    return render(request, "dumps.html", {"dumps": listing, "void_url": f"{root(request)}/.well-known/void"})


@router.get("/dumps/{name}", response_model=None)
def dump_file(request: Request, name: str) -> Response:
    """One dump file, its .sha256 or a manifest, streamed from disk."""
    path = offered_files(dumps_dir(request)).get(name)
    if path is None:
        return Response("No such dump.\n", status_code=404, media_type="text/plain; charset=utf-8")
    if name.endswith(".sha256"):
        media = "text/plain; charset=utf-8"
    elif name.endswith(".json"):
        media = "application/json"
    else:
        media = next((f.media_type for m in read_manifests(dumps_dir(request)) for f in m.files if f.name == name),
                     "application/octet-stream")
    return FileResponse(path, media_type=media, filename=name)


__all__ = ["rdf_choice", "router"]
