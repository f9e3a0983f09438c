"""The dataset's VoID and DCAT description, computed at load time and kept in a graph of its own.

`<data base>graph/dataset` holds what is true of the loaded content wherever it is served: `<data base>dataset` is a
void:Dataset and a dcat:Dataset with its size (void:triples, void:entities: resources with a type), one
void:classPartition per class (void:entities) and one void:propertyPartition per property (void:triples), the
vocabularies its classes and properties come from (the project ontology by its owl:Ontology IRI, ELI, ORG,
OWL-Time, PROV, SKOS …) and the SKOS schemes it holds, a few example plans, the licence (the ontology's
dcterms:license, or $TTDN_DATASET_LICENSE), the publisher ($TTDN_PUBLISHER, $TTDN_PUBLISHER_URL), the version
(owl:versionInfo, dcat:version) and dct:issued / dct:modified. Where the data is served — the SPARQL endpoint's URL,
the dumps' download URLs, sizes and checksums — depends on the server and on `ttdn export`, not on the load, and
is added when the description is served (ttdn_graph.graph.description.served_triples, used by
ttdn_graph/web/dataset.py). The triples themselves are written by ttdn_graph.graph.description; this module reads the
figures from the store and keeps the graph in line.

The dataset is every named graph but this one: the counts leave the description out. Each count is one aggregate
query over the store (a GROUP BY for the partitions), run after the inferences; the graph is then brought in line
with one update request (store.base.write_difference), so it changes as atomically as the inferred graph.

The version (`content_version`) identifies the content without reading every quad (that costs 14 s at 1,000 plans,
where the counts cost 1 s: terms are decoded only to be read): a hash of the code version, each document graph's name and source identity
(its file's SHA-256, load time and extraction tool version, all stated in the graph), the ontology graph's
canonical content, and the triple count of every other graph. A reload, a removal or a changed ontology changes it;
a load that writes nothing new, an export or a restart does not, and a store loaded from a dump has the same.
dct:modified moves only with the version; dct:issued is the first description's time.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass

import pyoxigraph as ox

from ttdn_graph import __version__
from ttdn_graph.graph.description import (
    DEFAULT_PUBLISHER,
    EXAMPLES,
    DatasetFacts,
    dataset_iri,
    description_graph,
    description_triples,
    now,
)
from ttdn_graph.graph.namespaces import DCTERMS, OWL, PROV, RDFS, SKOS, TTDN
from ttdn_graph.resolve.iris import Iris
from ttdn_graph.store.base import GraphStore, write_difference


# -- the version ---------------------------------------------------------------------------------------------------
def _count(store: GraphStore, graph: str) -> int:
    """Triples in one graph, counted by the store (no term is decoded)."""
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(rows[0]["n"].value) if rows else 0


def _canonical_hash(store: GraphStore, graph: str) -> str:
    """SHA-256 of a (small) graph's canonical N-Triples: the same for the same triples whatever its blank nodes."""
    ds = ox.Dataset(ox.Quad(r["s"], r["p"], r["o"])
                    for r in store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"))
    ds.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return hashlib.sha256("\n".join(sorted(str(q) for q in ds)).encode()).hexdigest()


def content_version(store: GraphStore) -> str:
    """The load's identity (see the module's docstring): 16 hex digits."""
    base = store.base
    own = description_graph(base)
    sources: dict[str, tuple[str, ...]] = {}
    for r in store.query(
        f"SELECT ?g ?sha ?at ?tool WHERE {{ GRAPH ?g {{ ?g a <{TTDN}SourceDocument> . "
        f"OPTIONAL {{ ?g <{TTDN}sha256> ?sha }} OPTIONAL {{ ?g <{PROV}generatedAtTime> ?at }} "
        f"OPTIONAL {{ ?g <{PROV}wasGeneratedBy> ?act . ?act <{TTDN}toolVersion> ?tool }} }} }}"
    ):
        g = r["g"].value
        ident = tuple(r[k].value if k in r else "" for k in ("sha", "at", "tool"))
        sources[g] = max(sources.get(g, ident), ident)  # one identity per graph, however many rows
    ontology = Iris(base).ontology_graph
    lines = [f"ttdn-graph {__version__}"]
    for g in store.graphs():
        if g == own:
            continue
        if g in sources:
            lines.append(f"{g}\tsource\t" + "\t".join(sources[g]))
        elif g == ontology:
            lines.append(f"{g}\tcontent\t{_canonical_hash(store, g)}")
        else:
            lines.append(f"{g}\ttriples\t{_count(store, g)}")
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def namespace(iri: str) -> str:
    """The namespace of a term: its IRI up to and including the last '#' or '/'."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1] if cut >= 0 else iri


def _scalar(store: GraphStore, sparql: str) -> int:
    rows = store.query(sparql)
    return int(rows[0]["n"].value) if rows and "n" in rows[0] else 0


def read_facts(store: GraphStore, version: str | None = None) -> DatasetFacts:
    """One aggregate query per figure over the dataset's graphs (all named graphs but the description's)."""
    base = store.base
    # the data base's graphs only (a shared Virtuoso holds its own system graphs too), not the description's
    not_own = f"FILTER(?g != <{description_graph(base)}> && STRSTARTS(STR(?g), {ox.Literal(base)}))"
    timings: dict[str, float] = {}

    def timed(name: str, fn):
        t0 = time.perf_counter()
        out = fn()
        timings[name] = time.perf_counter() - t0
        return out

    version = version or timed("version", lambda: content_version(store))
    properties = {r["p"].value: int(r["n"].value) for r in timed("properties", lambda: store.query(
        f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {not_own} }} GROUP BY ?p"))}
    classes = {r["c"].value: int(r["n"].value) for r in timed("classes", lambda: store.query(
        f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a ?c }} {not_own} }} GROUP BY ?c"))
        if isinstance(r["c"], ox.NamedNode)}
    entities = timed("entities", lambda: _scalar(
        store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a ?c }} {not_own} }}"))
    # no void:distinctSubjects / distinctObjects: one more pass over every quad, with a hash set of all its terms,
    # doubled the description's time (40 of 83 s at 10,000 plans)
    ontology = Iris(base).ontology_graph
    ontologies = sorted({r["o"].value for r in store.query(
        f"SELECT DISTINCT ?o WHERE {{ GRAPH ?g {{ ?o a <{OWL}Ontology> }} {not_own} }}")})
    schemes = sorted({r["s"].value for r in store.query(
        f"SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s a <{SKOS}ConceptScheme> }} {not_own} }}")})
    # the vocabularies of the terms used and of those the ontology aligns them with (ELI, ORG …: sub-class,
    # sub-property, equivalence), an ontology standing for its namespace; and the SKOS schemes held
    aligned = [r["t"].value for r in store.query(
        f"SELECT DISTINCT ?t WHERE {{ GRAPH ?g {{ ?x <{RDFS}subClassOf>|<{RDFS}subPropertyOf>|"
        f"<{OWL}equivalentClass>|<{OWL}equivalentProperty> ?t }} {not_own} FILTER(isIRI(?t)) }}")]
    by_namespace = {o.rstrip("#/") + sep: o for o in ontologies for sep in ("#", "/")}
    used = {namespace(t) for t in (*properties, *classes, *aligned)}
    vocabularies = sorted({by_namespace.get(ns, ns) for ns in used} | set(schemes))
    # loaded plans (each derived from its own document graph), the first few by IRI
    plans = sorted({r["p"].value for r in timed("examples", lambda: store.query(
        f"SELECT DISTINCT ?p WHERE {{ GRAPH ?g {{ ?p <{PROV}wasDerivedFrom> ?g }} {not_own} "
        f"GRAPH ?h {{ ?p a <{TTDN}Plan> }} }}"))})
    licence = os.environ.get("TTDN_DATASET_LICENSE") or next(
        (r["l"].value for r in store.query(
            f"SELECT ?l WHERE {{ GRAPH <{ontology}> {{ ?o a <{OWL}Ontology> ; <{DCTERMS}license> ?l }} }} "
            "ORDER BY ?l LIMIT 1") if isinstance(r["l"], ox.NamedNode)), None)
    return DatasetFacts(version, sum(properties.values()), entities, classes, properties,
                        vocabularies, plans[:EXAMPLES], ontologies, licence,
                        os.environ.get("TTDN_PUBLISHER") or DEFAULT_PUBLISHER,
                        os.environ.get("TTDN_PUBLISHER_URL") or None, timings)


# -- keeping the stored description in line ------------------------------------------------------------------------
@dataclass
class Stored:
    version: str | None
    issued: str | None
    modified: str | None


def stored(store: GraphStore) -> Stored:
    """The version and dates of the description the store holds (all None when it holds none)."""
    d, g = dataset_iri(store.base), description_graph(store.base)
    rows = store.query(f"SELECT ?v ?i ?m WHERE {{ GRAPH <{g}> {{ <{d}> <{OWL}versionInfo> ?v . "
                       f"OPTIONAL {{ <{d}> <{DCTERMS}issued> ?i }} OPTIONAL {{ <{d}> <{DCTERMS}modified> ?m }} }} }} "
                       "LIMIT 1")
    if not rows:
        return Stored(None, None, None)
    r = rows[0]
    return Stored(r["v"].value, r["i"].value if "i" in r else None, r["m"].value if "m" in r else None)


@dataclass
class DescriptionSync:
    graph: str
    version: str
    triples: int  # the described dataset's triples (void:triples)
    added: int
    removed: int
    seconds: float
    changed: bool  # the version moved

    def line(self) -> str:
        return (f"description: version {self.version}{' (new)' if self.changed else ''}, {self.triples} triples "
                f"described in <{self.graph}> (+{self.added}/-{self.removed} triples, {self.seconds:.2f}s)")


def sync_description(store: GraphStore, when: str | None = None) -> DescriptionSync:
    """Bring the description graph in line with the dataset (one update request; nothing when unchanged)."""
    t0 = time.perf_counter()
    graph = description_graph(store.base)
    old = stored(store)
    facts = read_facts(store)
    changed = facts.version != old.version
    stamp = when or now()
    issued = old.issued or stamp
    modified = stamp if changed or not old.modified else old.modified
    new = description_triples(facts, store.base, issued, modified)
    current = {(str(r["s"]), str(r["p"]), str(r["o"]))
               for r in store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")}
    add, remove = sorted(new - current), sorted(current - new)
    write_difference(store, graph, add, remove)
    return DescriptionSync(graph, facts.version, facts.triples, len(add), len(remove), time.perf_counter() - t0,
                           changed)


__all__ = [
    "DescriptionSync", "Stored", "content_version", "namespace", "read_facts", "stored", "sync_description",
]
