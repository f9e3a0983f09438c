"""The GraphStore interface shared by the embedded Oxigraph store and a remote SPARQL 1.1 endpoint.

Rows come back as pyoxigraph terms on both backends (remote results are parsed with pyoxigraph), so callers never
care which one they hold. Internal queries name graphs explicitly (GRAPH ?g), so they work on engines whose default
graph is not the union of the named graphs.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from ttdn_graph.graph.namespaces import PREFIXES, data_base

Row = dict[str, Any]

EXPORT_FORMATS = {
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "ttl": ox.RdfFormat.TURTLE,
}
RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}


class StoreError(RuntimeError):
    """A store operation failed (unreachable endpoint, read-only store, bad query…)."""


def pick_format(accept: str | None, table: dict[str, Any], default: str) -> tuple[str, Any]:
    """The first media type of an Accept header that `table` knows (q-values ignored; order wins)."""
    for part in (accept or "").split(","):
        mt = part.split(";")[0].strip().lower()
        if mt in table:
            return mt, table[mt]
        if mt in ("*/*", ""):
            break
    return default, table[default]


def insert_data(graph: str, quads: Iterable[ox.Quad]) -> str:
    """INSERT DATA for `quads` into `graph` (their own graph names are ignored)."""
    lines = [f"{q.subject} {q.predicate} {q.object} ." for q in quads]
    if not lines:
        return ""
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n" + "\n".join(lines) + "\n} }"


Triple = tuple[str, str, str]  # a triple as N-Triples term strings


def holds_graph(store: GraphStore, graph: str) -> bool:
    has = getattr(store, "has_graph", None)
    return has(graph) if has else graph in store.graphs()


def write_difference(store: GraphStore, graph: str, add: Sequence[Triple], remove: Sequence[Triple]) -> None:
    """Bring one derived graph in line: a graph the store does not hold yet is written as new (one N-Quads text
    parsed at once, one atomic ingestion where the store has one: a million quads built one by one in Python cost
    seconds more); otherwise DELETE DATA and INSERT DATA in one update request."""
    if not add and not remove:
        return
    if not remove and not holds_graph(store, graph):
        tail = f" <{graph}> ."
        quads = list(ox.parse("\n".join(" ".join(t) + tail for t in add), format=ox.RdfFormat.N_QUADS))
        bulk = getattr(store, "add_new_graphs", None)
        if bulk:
            bulk({graph: quads})
        else:
            store.replace_graph(graph, quads)
        return
    parts = []
    if remove:
        parts.append(f"DELETE DATA {{ GRAPH <{graph}> {{\n" + "\n".join(" ".join(t) + " ." for t in remove) + "\n} }")
    if add:
        parts.append(f"INSERT DATA {{ GRAPH <{graph}> {{\n" + "\n".join(" ".join(t) + " ." for t in add) + "\n} }")
    store.update(" ;\n".join(parts))


def rows_from(results: Any) -> list[Row]:
    if isinstance(results, ox.QuerySolutions):
        names = [v.value for v in results.variables]
        # a solution iterates its values in variable order: half the cost of looking each up by name
        return [{n: t for n, t in zip(names, sol, strict=True) if t is not None} for sol in results]
    raise StoreError("not a SELECT query")


class GraphStore(ABC):
    """A quad store holding one named graph per source document plus the inferred graph."""

    def __init__(self, base: str | None = None):
        self.base = data_base(base)

    # -- reading
    @abstractmethod
    def _execute(self, sparql: str) -> Any:
        """Run a query; returns pyoxigraph QuerySolutions | QueryBoolean | QueryTriples (or a list of Triples)."""

    @abstractmethod
    def query_raw(self, sparql: str, accept: str | None = None) -> tuple[bytes, str]:
        """Run a query and return the serialised result and its media type (for the HTTP API)."""

    def query(self, sparql: str) -> list[Row]:
        """SELECT rows as {variable: pyoxigraph term}; unbound variables are absent."""
        return rows_from(self._execute(sparql))

    def query_tuples(self, sparql: str, names: Sequence[str]) -> list[tuple[str | None, ...]]:
        """SELECT rows as tuples of plain values of the variables `names`, in that order (None: unbound): the
        cheapest form for reading many rows."""
        return [tuple(r[n].value if n in r else None for n in names) for r in self.query(sparql)]

    def query_values(self, sparql: str) -> list[dict[str, str]]:
        """SELECT rows with plain string values (IRIs and literal lexical forms)."""
        return [{k: v.value for k, v in r.items()} for r in self.query(sparql)]

    def ask(self, sparql: str) -> bool:
        r = self._execute(sparql)
        if isinstance(r, ox.QueryBoolean):
            return bool(r)
        raise StoreError("not an ASK query")

    def construct(self, sparql: str) -> list[ox.Triple]:
        r = self._execute(sparql)
        if isinstance(r, ox.QuerySolutions | ox.QueryBoolean):
            raise StoreError("not a CONSTRUCT/DESCRIBE query")
        return list(r)

    # -- writing
    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run one SPARQL 1.1 Update request (one transaction on Oxigraph)."""

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad]) -> None:
        """Replace a named graph by `quads` in one transaction: the old or the new version, never a mix."""
        body = insert_data(graph, quads)
        self.update(f"DROP SILENT GRAPH <{graph}>" + (f" ;\n{body}" if body else ""))

    def drop_graph(self, graph: str) -> None:
        self.update(f"DROP SILENT GRAPH <{graph}>")

    # -- whole-store views
    def graphs(self) -> list[str]:
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(r["g"].value for r in rows)

    def count_triples(self, graph: str | None = None) -> int:
        """Quads in one named graph, or in all named graphs."""
        where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "GRAPH ?g { ?s ?p ?o }"
        rows = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
        return int(rows[0]["n"].value) if rows else 0

    def quads(self) -> Iterator[ox.Quad]:
        for r in self.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"):
            yield ox.Quad(r["s"], r["p"], r["o"], r["g"])

    def dataset(self):
        """Every quad as an rdflib Dataset (for export and SHACL validation)."""
        import rdflib

        ds = rdflib.Dataset()
        ds.parse(data=ox.serialize(self.quads(), format=ox.RdfFormat.N_QUADS), format="nquads")
        return ds

    def export(self, fmt: str, out: str | Path | IO[bytes]) -> None:
        """Write the store as nq | trig | jsonld (quads) or ttl (the union of the graphs, as triples)."""
        if fmt not in EXPORT_FORMATS:
            raise StoreError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
        rdf_format = EXPORT_FORMATS[fmt]
        prefixes = PREFIXES | {"id": self.base}
        if fmt == "ttl":
            triples = self.construct("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
            data = ox.serialize(triples, format=rdf_format, prefixes=prefixes)
        elif fmt == "jsonld":
            data = ox.serialize(self.quads(), format=rdf_format)
        else:
            data = ox.serialize(self.quads(), format=rdf_format, prefixes=prefixes if fmt == "trig" else None)
        if isinstance(out, str | Path):
            Path(out).write_bytes(data)
        else:
            out.write(data)

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the store (embedded: flush and free the RocksDB lock)."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
