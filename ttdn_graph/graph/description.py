"""What the dataset's VoID and DCAT description says, as RDF: the stored part and what a server adds.

The figures come from ttdn_graph.store.description (read from the store at load time); this module only turns them
into triples, so the web app (ttdn_graph/web/dataset.py) can add the served part without touching a store.
Standard vocabularies only: VoID, DCAT (3), DC terms, SPDX (checksums), FOAF (the publisher), OWL (versionInfo).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pyoxigraph as ox

from ttdn_graph.graph.namespaces import DCTERMS, OWL, RDF, XSD

Triple = tuple[str, str, str]  # a triple as N-Triples term strings (as store.base.Triple)

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
SPDX = "http://spdx.org/rdf/terms#"
FOAF = "http://xmlns.com/foaf/0.1/"
DESCRIPTION_PREFIXES = {"void": VOID, "dcat": DCAT, "dct": DCTERMS, "spdx": SPDX, "foaf": FOAF, "owl": OWL,
                        "xsd": XSD, "rdf": RDF}
EXAMPLES = 3  # void:exampleResource: this many loaded plans
DEFAULT_PUBLISHER = "ttdn-graph"
TITLES = (("Kế hoạch thông tin đối ngoại của Việt Nam", "vi"), ("Vietnam's external-information (TTĐN) plans", "en"))
DESCRIPTIONS = (("Vietnam's external-information plans read from their documents: tasks, lead and supporting "
                 "agencies, timeframes and the legal instruments they rest on, with load-time tallies.", "en"),)


def description_graph(base: str) -> str:
    return f"{base}graph/dataset"


def dataset_iri(base: str) -> str:
    return f"{base}dataset"


def _iri(value: str) -> str:
    return str(ox.NamedNode(value))


def _lit(value: object, datatype: str | None = None, language: str | None = None) -> str:
    if language:
        return str(ox.Literal(str(value), language=language))
    return str(ox.Literal(str(value), datatype=ox.NamedNode(datatype or f"{XSD}string")))


def _int(n: int) -> str:
    return _lit(n, f"{XSD}integer")


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass
class DatasetFacts:
    """The numbers and names of one description, as read from the store."""

    version: str
    triples: int
    entities: int
    classes: dict[str, int]  # class → distinct typed subjects
    properties: dict[str, int]  # property → triples
    vocabularies: list[str]
    examples: list[str]
    ontologies: list[str]
    license: str | None = None
    publisher: str = DEFAULT_PUBLISHER
    publisher_url: str | None = None
    seconds: dict[str, float] = field(default_factory=dict)


def description_triples(facts: DatasetFacts, base: str, issued: str, modified: str) -> set[Triple]:
    """The stored description as N-Triples term strings (IRIs for every node: no blank nodes to tell apart). The
    partitions are not typed: void:classPartition and void:propertyPartition say they are void:Datasets, and ~200
    typed nodes would crowd `?s a ?c` counts (ttdn stats)."""
    d = dataset_iri(base)
    ds, a = _iri(d), _iri(f"{RDF}type")
    v, dc, dct = (lambda x: _iri(VOID + x)), (lambda x: _iri(DCAT + x)), (lambda x: _iri(DCTERMS + x))
    out: set[Triple] = {
        (ds, a, v("Dataset")), (ds, a, dc("Dataset")),
        (ds, v("uriSpace"), _lit(base)),
        (ds, v("triples"), _int(facts.triples)),
        (ds, v("entities"), _int(facts.entities)),
        (ds, v("classes"), _int(len(facts.classes))),
        (ds, v("properties"), _int(len(facts.properties))),
        (ds, _iri(f"{OWL}versionInfo"), _lit(facts.version)),
        (ds, dc("version"), _lit(facts.version)),
        (ds, dct("issued"), _lit(issued, f"{XSD}dateTime")),
        (ds, dct("modified"), _lit(modified, f"{XSD}dateTime")),
    }
    for text, lang in TITLES:
        out.add((ds, dct("title"), _lit(text, language=lang)))
    for text, lang in DESCRIPTIONS:
        out.add((ds, dct("description"), _lit(text, language=lang)))
    if facts.license:
        out.add((ds, dct("license"), _iri(facts.license)))
    publisher = _iri(f"{d}/publisher")
    out |= {(ds, dct("publisher"), publisher), (publisher, a, _iri(f"{FOAF}Agent")),
            (publisher, _iri(f"{FOAF}name"), _lit(facts.publisher))}
    if facts.publisher_url:
        out.add((publisher, _iri(f"{FOAF}homepage"), _iri(facts.publisher_url)))
    for o in facts.ontologies:
        out.add((ds, dct("conformsTo"), _iri(o)))
    for voc in facts.vocabularies:
        out.add((ds, v("vocabulary"), _iri(voc)))
    for ex in facts.examples:
        out.add((ds, v("exampleResource"), _iri(ex)))
    for cls, n in facts.classes.items():
        node = _iri(f"{d}/class/{_hash(cls)}")
        out |= {(ds, v("classPartition"), node), (node, v("class"), _iri(cls)),
                (node, v("entities"), _int(n))}
    for prop, n in facts.properties.items():
        node = _iri(f"{d}/property/{_hash(prop)}")
        out |= {(ds, v("propertyPartition"), node), (node, v("property"), _iri(prop)),
                (node, v("triples"), _int(n))}
    return out


# -- where it is served: the endpoint and the dumps (added by the server) --------------------------------------------
@dataclass(frozen=True)
class DumpFile:
    """One dump file as the server offers it."""

    name: str
    url: str
    media_type: str
    bytes: int
    sha256: str
    format_iri: str | None = None  # the W3C format IRI (http://www.w3.org/ns/formats/…)


MEDIA_TYPE_IRI = "https://www.iana.org/assignments/media-types/"


def served_triples(base: str, endpoint_url: str, dumps: Sequence[DumpFile],
                   dumps_url: str | None = None) -> list[ox.Triple]:
    """What a server adds to the stored description: void:sparqlEndpoint and a dcat:Distribution whose
    dcat:accessService is the endpoint (a dcat:DataService), and for each dump void:dataDump and a
    dcat:Distribution with its download URL, media type, size and SHA-256 (spdx:checksum)."""
    d = dataset_iri(base)
    n, lit = ox.NamedNode, ox.Literal
    ds, a = n(d), n(f"{RDF}type")
    v, dc, dct = (lambda x: n(VOID + x)), (lambda x: n(DCAT + x)), (lambda x: n(DCTERMS + x))
    endpoint, service, dist = n(endpoint_url), n(f"{d}/service/sparql"), n(f"{d}/distribution/sparql")
    out = [
        ox.Triple(ds, v("sparqlEndpoint"), endpoint),
        ox.Triple(ds, dc("distribution"), dist),
        ox.Triple(dist, a, dc("Distribution")),
        ox.Triple(dist, dct("title"), lit("SPARQL 1.1 endpoint", language="en")),
        ox.Triple(dist, dc("accessURL"), endpoint),
        ox.Triple(dist, dc("accessService"), service),
        ox.Triple(service, a, dc("DataService")),
        ox.Triple(service, dc("endpointURL"), endpoint),
        ox.Triple(service, dc("servesDataset"), ds),
        ox.Triple(service, dct("conformsTo"), n("https://www.w3.org/TR/sparql11-protocol/")),
    ]
    for f in dumps:
        node, checksum = n(f"{d}/distribution/{f.name}"), n(f"{d}/distribution/{f.name}/sha256")
        out += [
            ox.Triple(ds, v("dataDump"), n(f.url)),
            ox.Triple(ds, dc("distribution"), node),
            ox.Triple(node, a, dc("Distribution")),
            ox.Triple(node, dct("title"), lit(f.name)),
            ox.Triple(node, dc("downloadURL"), n(f.url)),
            ox.Triple(node, dc("accessURL"), n(dumps_url or f.url)),
            ox.Triple(node, dc("mediaType"), n(MEDIA_TYPE_IRI + f.media_type)),
            ox.Triple(node, dc("byteSize"), lit(str(f.bytes), datatype=n(f"{XSD}nonNegativeInteger"))),
            ox.Triple(node, n(f"{SPDX}checksum"), checksum),
            ox.Triple(checksum, a, n(f"{SPDX}Checksum")),
            ox.Triple(checksum, n(f"{SPDX}algorithm"), n(f"{SPDX}checksumAlgorithm_sha256")),
            ox.Triple(checksum, n(f"{SPDX}checksumValue"), lit(f.sha256, datatype=n(f"{XSD}hexBinary"))),
        ]
        if f.format_iri:
            out.append(ox.Triple(node, dct("format"), n(f.format_iri)))
            out.append(ox.Triple(ds, v("feature"), n(f.format_iri)))
    return out


def version_of(triples: Iterable[ox.Triple], base: str) -> str | None:
    """The owl:versionInfo of the dataset in a description's triples."""
    d = ox.NamedNode(dataset_iri(base))
    p = ox.NamedNode(f"{OWL}versionInfo")
    return next((t.object.value for t in triples if t.subject == d and t.predicate == p), None)


__all__ = [
    "DCAT", "DESCRIPTION_PREFIXES", "FOAF", "SPDX", "VOID",
    "DatasetFacts", "DumpFile", "dataset_iri", "description_graph", "description_triples", "now",
    "served_triples", "version_of",
]
