"""The ontology and its SKOS vocabularies as data: read from ontology/*.ttl, kept in the store in a graph of their own.

The store holds ontology/ttdn.ttl, the four SKOS schemes (instrument types, agency types, recurrence, themes) and the
Data Cube data sets of the tallies (tallies.ttl) in one named graph, `<data base>graph/ontology` (…/id/graph/ontology, next to …/id/graph/inferred: a graph the loader
manages, under the data base so that graph lists, counts and exports on a shared SPARQL service include it). So a
query over the default graph finds the labels of themes, agency and instrument types and classes, and the
rdfs:subPropertyOf / rdfs:subClassOf links to ELI, ORG, PROV … . The SHACL shapes are not data and stay out.

`sync_ontology` (called by every load) replaces that graph in one transaction, and only when its content differs
from the files (compared after canonicalising blank nodes), so the graph is stated once however often one loads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from ttdn_graph.graph.namespaces import VOCAB
from ttdn_graph.paths import ontology_dir
from ttdn_graph.resolve.iris import Iris

ONTOLOGY_IRI = "https://w3id.org/ttdn/ontology"
ONTOLOGY_FILE = "ttdn.ttl"
VOCABULARY_FILES = ("instrument-types.ttl", "agency-types.ttl", "recurrence.ttl", "themes.ttl")
CUBE_FILE = "tallies.ttl"  # the Data Cube data sets of the load-time tallies (store.cube): data, not OWL axioms
ONTOLOGY_FILES = (ONTOLOGY_FILE, *VOCABULARY_FILES, CUBE_FILE)


class OntologyMissing(FileNotFoundError):
    """An ontology file is not where ontology_dir() says ($TTDN_ONTOLOGY, the package's copy, or the checkout)."""


def ontology_graph_iri(base: str | None = None) -> str:
    return Iris(base).ontology_graph


@cache
def _parsed(path: str, mtime_ns: int) -> tuple[ox.Triple, ...]:
    try:
        return tuple(ox.parse(path=path, format=ox.RdfFormat.TURTLE))
    except OSError as e:
        raise OntologyMissing(f"cannot read ontology file {path}: {e}") from e


def file_triples(name: str, folder: Path | None = None) -> tuple[ox.Triple, ...]:
    """The triples of one file of ontology/ (parsed once per version of the file)."""
    path = (folder or ontology_dir()) / name
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as e:
        raise OntologyMissing(f"ontology file missing: {path} (set $TTDN_ONTOLOGY to the ontology folder)") from e
    return _parsed(str(path), mtime)


def ontology_triples(folder: Path | None = None) -> list[ox.Triple]:
    """The ontology and the vocabularies, every file of ONTOLOGY_FILES (blank nodes distinct across files)."""
    out: list[ox.Triple] = []
    for name in ONTOLOGY_FILES:
        out.extend(file_triples(name, folder))
    return out


def is_vocabulary_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> bool:
    return isinstance(term, ox.NamedNode) and term.value.startswith(VOCAB)


def _canonical(triples: Iterable[ox.Triple]) -> ox.Dataset:
    ds = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    ds.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return ds


def same_triples(a: Sequence[ox.Triple], b: Sequence[ox.Triple]) -> bool:
    """Whether two sets of triples are equal up to the names of their blank nodes."""
    return len(set(a)) == len(set(b)) and _canonical(a) == _canonical(b)


@dataclass
class OntologySync:
    graph: str
    triples: int  # the graph's size now
    written: bool  # False: the store held the same content already

    def line(self) -> str:
        return f"ontology: {self.triples} triples in <{self.graph}>, " + ("written" if self.written else "unchanged")


def stored_triples(store, graph: str | None = None) -> list[ox.Triple]:
    """The store's ontology graph (empty when it has none)."""
    g = graph or Iris(store.base).ontology_graph
    return [ox.Triple(r["s"], r["p"], r["o"])
            for r in store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")]


def sync_ontology(store, folder: Path | None = None) -> OntologySync:
    """Make the store's ontology graph hold exactly the ontology files: one replace_graph (one transaction) when its
    content differs, nothing otherwise."""
    graph = Iris(store.base).ontology_graph
    new = ontology_triples(folder)
    if same_triples(stored_triples(store, graph), new):
        return OntologySync(graph, len(set(new)), False)
    g = ox.NamedNode(graph)
    store.replace_graph(graph, [ox.Quad(t.subject, t.predicate, t.object, g) for t in new])
    return OntologySync(graph, len(set(new)), True)


__all__ = [
    "ONTOLOGY_FILE",
    "ONTOLOGY_FILES",
    "ONTOLOGY_IRI",
    "VOCABULARY_FILES",
    "CUBE_FILE",
    "OntologyMissing",
    "OntologySync",
    "file_triples",
    "is_vocabulary_term",
    "ontology_graph_iri",
    "ontology_triples",
    "same_triples",
    "stored_triples",
    "sync_ontology",
]
