"""The SPARQL 1.1 Service Description of the public endpoint, answered on GET /sparql (no query) when the client
asks for RDF (Turtle, N3, N-Triples, JSON-LD, RDF/XML; HTML stays the query form).

It says what a client needs before its first query: the endpoint, the language (SPARQL 1.1 Query; no update), every
result format on offer (from the one conneg table, so it cannot drift from what is served), that the default graph
is the union of the named graphs (sd:UnionDefaultGraph, embedded store), the named graphs — listed up to
`NAMED_GRAPHS_LISTED`, and always a pointer to their full list (ttdn:namedGraphList, a query on the endpoint) with
their count — the time limit and the row and byte caps as ttdn: extension properties (declared in ontology/ttdn.ttl),
and where the dataset's VoID description is (`/.well-known/void`). The graph names are read through the query
service like every other read of the graph.
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import Request

from ttdn_graph.graph.namespaces import PREFIXES, TTDN
from ttdn_graph.web import conneg
from ttdn_graph.web.worker import RemoteExecutor

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
ENTAILMENT_SIMPLE = "http://www.w3.org/ns/entailment/Simple"
VOID_PATH = "/.well-known/void"
NAMED_GRAPHS_LISTED = 1000  # more than this are counted and pointed to, not listed
GRAPH_LIST_QUERY = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g"
PREFIX_MAP = {**{k: PREFIXES[k] for k in ("rdf", "rdfs", "xsd", "ttdn") if k in PREFIXES}, "sd": SD, "void": VOID,
              "formats": "http://www.w3.org/ns/formats/"}
COMMENT = ("Read-only SPARQL 1.1 Query endpoint over the ttdn-graph knowledge graph of Vietnam's external-information "
           "plans. Updates, SERVICE and LOAD are refused (403); a dataset (FROM, FROM NAMED, default-graph-uri, "
           "named-graph-uri) may name only the named graphs listed here, any other is refused (403): nothing is "
           "fetched. Relative IRIs resolve against the endpoint's URL.")


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _lit(value: object, datatype: str) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n(XSD + datatype))


def service_triples(endpoint: str, *, graphs: list[str], time_limit: float, row_cap: int, byte_cap: int,
                    union_default_graph: bool, void_url: str) -> list[ox.Triple]:
    """The description's triples (a pure function of what the app states, for tests and for the route)."""
    svc = _n(endpoint)
    dataset, default_graph = ox.BlankNode(), ox.BlankNode()
    t = [
        ox.Triple(svc, RDF_TYPE, _n(SD + "Service")),
        ox.Triple(svc, _n(SD + "endpoint"), svc),
        ox.Triple(svc, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Query")),
        ox.Triple(svc, _n(SD + "defaultEntailmentRegime"), _n(ENTAILMENT_SIMPLE)),
        ox.Triple(svc, _n(RDFS + "label"), ox.Literal("ttdn-graph SPARQL endpoint", language="en")),
        ox.Triple(svc, _n(RDFS + "comment"), ox.Literal(COMMENT, language="en")),
        ox.Triple(svc, _n(TTDN + "queryTimeLimit"), _lit(format(Decimal(str(time_limit)), "f"), "decimal")),
        ox.Triple(svc, _n(TTDN + "resultRowCap"), _lit(row_cap, "integer")),
        ox.Triple(svc, _n(TTDN + "resultByteCap"), _lit(byte_cap, "integer")),
        ox.Triple(svc, _n(RDFS + "seeAlso"), _n(void_url)),
        ox.Triple(svc, _n(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _n(SD + "Dataset")),
        ox.Triple(dataset, RDF_TYPE, _n(VOID + "Dataset")),
        ox.Triple(dataset, _n(VOID + "sparqlEndpoint"), svc),
        ox.Triple(dataset, _n(RDFS + "seeAlso"), _n(void_url)),
        ox.Triple(dataset, _n(SD + "defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, _n(SD + "Graph")),
        ox.Triple(dataset, _n(TTDN + "namedGraphCount"), _lit(len(graphs), "integer")),
        ox.Triple(dataset, _n(TTDN + "namedGraphList"), _n(f"{endpoint}?{urlencode({'query': GRAPH_LIST_QUERY})}")),
    ]
    for f in conneg.RESULT_FORMATS + conneg.RDF_FORMATS:
        t.append(ox.Triple(svc, _n(SD + "resultFormat"), _n(f.sd_format)))
    if union_default_graph:
        t.append(ox.Triple(svc, _n(SD + "feature"), _n(SD + "UnionDefaultGraph")))
        t.append(ox.Triple(default_graph, _n(RDFS + "comment"),
                           ox.Literal("The union of every named graph of the dataset.", language="en")))
    for g in sorted(graphs)[:NAMED_GRAPHS_LISTED]:
        node = ox.BlankNode()
        t += [ox.Triple(dataset, _n(SD + "namedGraph"), node), ox.Triple(node, RDF_TYPE, _n(SD + "NamedGraph")),
              ox.Triple(node, _n(SD + "name"), _n(g))]
    return t


def serialize(triples: list[ox.Triple], fmt: conneg.Format) -> bytes:
    """The triples in `fmt`, each subject's together (in order of first appearance) so Turtle reads as blocks."""
    order: dict[object, int] = {}
    for t in triples:
        order.setdefault(t.subject, len(order))
    triples = sorted(triples, key=lambda t: order[t.subject])
    syntax = fmt.rdf_format
    prefixes = PREFIX_MAP if syntax in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    return ox.serialize(triples, format=syntax, **({"prefixes": prefixes} if prefixes else {}))


async def describe_service(request: Request, endpoint: str, fmt: conneg.Format) -> bytes:
    """The service description of the app serving `request`, in `fmt` (an RDF format of the conneg table)."""
    app = request.app
    settings = app.state.settings
    graphs = sorted(await app.state.service.graph_names())
    void_url = str(request.base_url).rstrip("/") + VOID_PATH
    triples = service_triples(endpoint, graphs=graphs, time_limit=settings.query_timeout,
                              row_cap=settings.result_cap, byte_cap=settings.byte_cap,
                              union_default_graph=not isinstance(app.state.executor, RemoteExecutor),
                              void_url=void_url)
    return serialize(triples, fmt)


__all__ = ["GRAPH_LIST_QUERY", "NAMED_GRAPHS_LISTED", "describe_service", "serialize", "service_triples"]
