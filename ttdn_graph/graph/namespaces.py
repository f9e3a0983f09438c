"""IRIs of the vocabularies the graph uses, and the configurable data base.

Kept as plain strings (not rdflib Namespaces): the builder emits pyoxigraph terms for speed.
"""

from __future__ import annotations

import os

DEFAULT_BASE = "https://w3id.org/ttdn/id/"
TTDN = "https://w3id.org/ttdn/ontology#"
VOCAB = "https://w3id.org/ttdn/vocab/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
TIME = "http://www.w3.org/2006/time#"
ORG = "http://www.w3.org/ns/org#"
ELI = "http://data.europa.eu/eli/ontology#"
QB = "http://purl.org/linked-data/cube#"

PREFIXES = {
    "ttdn": TTDN,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "time": TIME,
    "org": ORG,
    "eli": ELI,
    "qb": QB,
}


def sparql_prefixes() -> str:
    """PREFIX lines for every namespace above, to prepend to internal queries."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def data_base(base: str | None = None) -> str:
    """The data IRI base: explicit argument, else $TTDN_BASE, else the w3id default; always ends with '/'."""
    b = base or os.environ.get("TTDN_BASE") or DEFAULT_BASE
    return b if b.endswith(("/", "#")) else b + "/"
