"""One content-negotiation table for every route: the SPARQL endpoint, the linked-data pages, the ontology and the
service description all choose their answer's format here, so a client gets the same format for the same ask.

A format is found by the Accept header (q-values honoured, header order breaks ties; `*/*` and `type/*` give the
route's default) or by name — `?format=` or a file suffix — where a name is the format's key, one of its other names,
or any media type it answers to. Media types are matched by kind: `application/json` asks a SELECT for SPARQL JSON
results and a CONSTRUCT for JSON-LD; `application/xml` asks for SPARQL XML results or RDF/XML. N3 is answered in
Turtle (every Turtle document is N3) labelled `text/n3`, as N3 clients such as SPARQLWrapper ask for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

RDF = "rdf"
RESULTS = "results"
HTML = "html"


@dataclass(frozen=True)
class Format:
    """One answer format: its key (`?format=` value, also the page suffix), the media type it is labelled with,
    its kind (RDF graph, SPARQL results, HTML page), other names and media types it answers to."""

    key: str
    media_type: str
    kind: str
    names: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    suffix: str = ""
    sd_format: str = ""  # its IRI in http://www.w3.org/ns/formats/ (for the service description)

    @property
    def content_type(self) -> str:
        """The Content-Type header: UTF-8 said for text formats (JSON-LD and SPARQL JSON are UTF-8 by definition,
        but saying so costs nothing and helps old clients), never for binary ones."""
        return f"{self.media_type}; charset=utf-8" if self.media_type != "application/ld+json" else self.media_type

    @property
    def rdf_format(self) -> ox.RdfFormat:
        return _RDF_SYNTAX[self.key]

    @property
    def results_format(self) -> ox.QueryResultsFormat:
        return _RESULTS_SYNTAX[self.key]

    def answers_to(self, name: str) -> bool:
        return name == self.key or name in self.names or name == self.media_type or name in self.aliases


_W3C = "http://www.w3.org/ns/formats/"
FORMATS: tuple[Format, ...] = (
    Format("html", "text/html", HTML, aliases=("application/xhtml+xml",)),
    Format("ttl", "text/turtle", RDF, ("turtle",), ("application/turtle", "application/x-turtle"), ".ttl",
           _W3C + "Turtle"),
    Format("n3", "text/n3", RDF, (), ("text/rdf+n3", "application/n3"), "", _W3C + "N3"),
    Format("nt", "application/n-triples", RDF, ("ntriples", "n-triples"), ("text/plain",), ".nt", _W3C + "N-Triples"),
    Format("jsonld", "application/ld+json", RDF, ("json-ld", "json"), ("application/x-json+ld", "application/json"),
           ".jsonld", _W3C + "JSON-LD"),
    Format("rdf", "application/rdf+xml", RDF, ("rdfxml", "rdf+xml", "xml"), ("application/xml", "text/xml"), ".rdf",
           _W3C + "RDF_XML"),
    Format("json", "application/sparql-results+json", RESULTS, ("srj",),
           ("application/json", "text/javascript", "application/javascript"), "", _W3C + "SPARQL_Results_JSON"),
    Format("xml", "application/sparql-results+xml", RESULTS, ("srx",), ("application/xml", "text/xml"), "",
           _W3C + "SPARQL_Results_XML"),
    Format("csv", "text/csv", RESULTS, (), (), "", _W3C + "SPARQL_Results_CSV"),
    Format("tsv", "text/tab-separated-values", RESULTS, (), (), "", _W3C + "SPARQL_Results_TSV"),
)
_RDF_SYNTAX = {"ttl": ox.RdfFormat.TURTLE, "n3": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
               "jsonld": ox.RdfFormat.JSON_LD, "rdf": ox.RdfFormat.RDF_XML}
_RESULTS_SYNTAX = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                   "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}

RDF_FORMATS: tuple[Format, ...] = tuple(f for f in FORMATS if f.kind == RDF)
RESULT_FORMATS: tuple[Format, ...] = tuple(f for f in FORMATS if f.kind == RESULTS)
HTML_FORMAT: Format = FORMATS[0]
PAGE_FORMATS: tuple[Format, ...] = (HTML_FORMAT, *RDF_FORMATS)  # linked-data pages, the ontology, the service description
BY_MEDIA_TYPE: dict[str, Format] = {f.media_type: f for f in FORMATS}
SUFFIXES: dict[str, Format] = {f.suffix: f for f in FORMATS if f.suffix}


def rdf_format(key: str) -> Format:
    """The RDF format with this key (ttl, n3, nt, jsonld, rdf)."""
    return next(f for f in RDF_FORMATS if f.key == key)


def accept_list(accept: str | None) -> list[str]:
    """Media ranges of an Accept header, best first (q-values honoured, ties keep their order; q=0 dropped)."""
    items = []
    for i, part in enumerate((accept or "").split(",")):
        bits = [b.strip() for b in part.split(";")]
        if not bits[0]:
            continue
        q = 1.0
        for b in bits[1:]:
            if b.lower().startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            items.append((-q, i, bits[0].lower()))
    return [mt for _, _, mt in sorted(items)]


def negotiate(accept: str | None, offered: Sequence[Format], default: Format | None = None) -> Format | None:
    """The offered format an Accept header asks for first; `default` (else the first offered) for no header, `*/*`,
    or a `type/*` of the default's type; None when nothing offered is acceptable (answer 406)."""
    default = default or offered[0]
    ranges = accept_list(accept)
    if not (accept or "").strip():
        return default
    for mt in ranges:
        if mt == "*/*":
            return default
        if mt.endswith("/*"):
            major = mt[:-1]
            if default.media_type.startswith(major):
                return default
            found = next((f for f in offered if f.media_type.startswith(major)), None)
        else:
            found = next((f for f in offered if f.media_type == mt), None) or \
                next((f for f in offered if mt in f.aliases), None)
        if found is not None:
            return found
    return None


def by_name(names: str | Iterable[str] | None, offered: Sequence[Format]) -> Format | None:
    """The offered format the first recognised name asks for (`?format=` values; SPARQLWrapper sends two, such as
    `rdf+xml` and `application/rdf+xml`); None when no name is given or none is recognised."""
    if names is None:
        return None
    for name in [names] if isinstance(names, str) else names:
        key = name.strip().lower()
        found = next((f for f in offered if f.key == key or key in f.names or key == f.media_type), None) or \
            next((f for f in offered if key in f.aliases), None)
        if found is not None:
            return found
    return None


def not_acceptable(offered: Iterable[Format]) -> str:
    """The text of a 406: what can be had instead."""
    return "none of the accepted media types can be produced; available: " + ", ".join(
        dict.fromkeys(f.media_type for f in offered))


__all__ = ["BY_MEDIA_TYPE", "FORMATS", "HTML", "HTML_FORMAT", "PAGE_FORMATS", "RDF", "RDF_FORMATS", "RESULTS",
           "RESULT_FORMATS", "SUFFIXES", "Format", "accept_list", "by_name", "negotiate", "not_acceptable",
           "rdf_format"]
