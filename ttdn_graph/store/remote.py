"""Any SPARQL 1.1 endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso…): SPARQLWrapper for query and update.

A document graph is replaced by one update request (DROP SILENT GRAPH; INSERT DATA), which Oxigraph and Fuseki
run as one transaction. Results are parsed with pyoxigraph so rows hold the same term types as the embedded store.
For user queries to see the named graphs without GRAPH clauses, start Oxigraph with --union-default-graph (or set
union_default_graph=True to send Oxigraph's per-request `union-default-graph` parameter).
"""

from __future__ import annotations

import urllib.error
import warnings
from typing import Any

import pyoxigraph as ox
from SPARQLWrapper import POST, POSTDIRECTLY, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from ttdn_graph import __version__
from ttdn_graph.store.base import GRAPH_FORMATS, RESULT_FORMATS, GraphStore, StoreError, pick_format


def default_update_endpoint(endpoint: str) -> str | None:
    """Oxigraph/Fuseki convention: …/query ↔ …/update; a bare …/sparql endpoint usually takes updates too."""
    e = endpoint.rstrip("/")
    if e.endswith("/query"):
        return e[: -len("query")] + "update"
    if e.endswith("/sparql"):
        return e
    return None


class RemoteStore(GraphStore):
    def __init__(
        self,
        endpoint: str,
        update_endpoint: str | None = None,
        *,
        read_only: bool = False,
        union_default_graph: bool = False,
        timeout: float = 120.0,
        base: str | None = None,
    ):
        super().__init__(base)
        self.endpoint = endpoint
        self.update_endpoint = None if read_only else (update_endpoint or default_update_endpoint(endpoint))
        self.read_only = read_only or self.update_endpoint is None
        self.union_default_graph = union_default_graph
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"RemoteStore({self.endpoint!r}, update_endpoint={self.update_endpoint!r})"

    def _wrapper(self, sparql: str, accept: str | None) -> SPARQLWrapper:
        sw = SPARQLWrapper(self.endpoint, updateEndpoint=self.update_endpoint, agent=f"ttdn-graph/{__version__}")
        sw.setMethod(POST)
        sw.setTimeout(int(self.timeout))
        with warnings.catch_warnings():  # its query-type sniffing warns on text the endpoint will judge anyway
            warnings.simplefilter("ignore", RuntimeWarning)
            sw.setQuery(sparql)
        if accept:
            sw.addCustomHttpHeader("Accept", accept)
        return sw

    def _send(self, sw: SPARQLWrapper) -> tuple[bytes, str]:
        try:
            res = sw.query()
            body = res.response.read()
            ctype = (res.response.headers.get("Content-Type") or "").split(";")[0].strip()
            return body, ctype
        except (SPARQLWrapperException, urllib.error.URLError, OSError) as e:
            raise StoreError(f"{self.endpoint}: {e}") from e

    def query_raw(self, sparql: str, accept: str | None = None) -> tuple[bytes, str]:
        sw = self._wrapper(sparql, accept or "application/sparql-results+json, text/turtle;q=0.9")
        sw.setRequestMethod(URLENCODED)
        if sw.isSparqlUpdateRequest():
            raise StoreError("updates are not queries; use update()")
        if self.union_default_graph:
            sw.addParameter("union-default-graph", "")
        return self._send(sw)

    def _execute(self, sparql: str) -> Any:
        body, ctype = self.query_raw(
            sparql, "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
        )
        if ctype in RESULT_FORMATS:
            return ox.parse_query_results(body, RESULT_FORMATS[ctype])
        if ctype in GRAPH_FORMATS:
            return [t for t in ox.parse(body, GRAPH_FORMATS[ctype])]
        _, fmt = pick_format(ctype, RESULT_FORMATS, "application/sparql-results+json")
        return ox.parse_query_results(body, fmt)

    def update(self, sparql: str) -> None:
        if self.read_only or not self.update_endpoint:
            raise StoreError(f"{self.endpoint}: no update endpoint (read-only)")
        sw = self._wrapper(sparql, None)
        sw.setRequestMethod(POSTDIRECTLY)
        if not sw.isSparqlUpdateRequest():
            raise StoreError("not a SPARQL update")
        self._send(sw)
