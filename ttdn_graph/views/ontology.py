"""The ontology document (`https://w3id.org/ttdn/ontology`, served at /ontology): its triples and a page of its terms.

The triples are those of ontology/ttdn.ttl as the store holds them (the ontology graph, ttdn_graph.ontology, less
the vocabularies' concepts), or the file itself when the store has no ontology graph (a store loaded before it
had one, a remote service loaded by other means). The page lists every ttdn: class and property under an anchor
named by its local name, so the hash IRI `…/ontology#Task` lands on the term's entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ttdn_graph.graph.namespaces import DCTERMS, OWL, RDF, RDFS, SKOS, TTDN
from ttdn_graph.ontology import CUBE_FILE, ONTOLOGY_FILE, ONTOLOGY_IRI, file_triples, is_vocabulary_term, stored_triples
from ttdn_graph.views.labels import described_iris, labels, qname
from ttdn_graph.views.model import Link
from ttdn_graph.views.resource import Term

_TYPE = f"{RDF}type"
KINDS = (  # (class of the term, section heading)
    (f"{OWL}Class", "Classes"),
    (f"{OWL}ObjectProperty", "Object properties"),
    (f"{OWL}DatatypeProperty", "Datatype properties"),
    (f"{OWL}AnnotationProperty", "Annotation properties"),
)
CHARACTERISTICS = {f"{OWL}TransitiveProperty", f"{OWL}FunctionalProperty", f"{OWL}InverseFunctionalProperty",
                   f"{OWL}SymmetricProperty", f"{OWL}AsymmetricProperty", f"{OWL}IrreflexiveProperty",
                   f"{OWL}ReflexiveProperty"}
_TEXT = (f"{RDFS}label", f"{SKOS}definition", f"{RDFS}comment")
_SUPER = (f"{RDFS}subClassOf", f"{RDFS}subPropertyOf")
_ORDER = [*_SUPER, f"{OWL}inverseOf", f"{RDFS}domain", f"{RDFS}range", f"{OWL}propertyChainAxiom",
          f"{OWL}disjointWith", f"{OWL}equivalentClass", f"{OWL}equivalentProperty"]
_LIST_JOIN = {f"{OWL}unionOf": " ∪ ", f"{OWL}intersectionOf": " ∩ ", f"{OWL}oneOf": ", ",
              f"{OWL}propertyChainAxiom": " ∘ ", f"{OWL}members": ", "}


@dataclass
class Value:
    """One value of a term's property: an IRI or literal (one part), or a class expression spelled out."""

    parts: list[Term]
    joiner: str = ""
    prefix: str = ""


@dataclass
class Relation:
    predicate: Term
    values: list[Value]


@dataclass
class OntologyTerm:
    iri: str
    anchor: str
    qname: str
    kind: str
    label: str
    labels: list[Term]  # rdfs:label, every language
    definitions: list[Term]  # skos:definition and rdfs:comment
    characteristics: list[Term]
    relations: list[Relation]
    narrower: list[Term] = field(default_factory=list)  # sub-classes / sub-properties


@dataclass
class ExternalTerm:
    term: Term
    kind: str
    aligned: list[Term]  # ttdn terms declared its sub-class / sub-property


@dataclass
class OntologyView:
    iri: str
    label: str
    header: list[Relation]
    sections: list[tuple[str, list[OntologyTerm]]]
    external: list[ExternalTerm]
    disjoint: list[Value]
    from_store: bool


def ontology_document(store: Any) -> tuple[list[ox.Triple], bool]:
    """(the ontology document's triples, whether they came from the store). The vocabularies' concepts are left
    out; blank nodes are kept where a kept triple reaches them (class expressions, lists)."""
    stored = stored_triples(store) if store is not None else []
    if not stored:
        return list(file_triples(ONTOLOGY_FILE)), False
    # the Data Cube file types ttdn: properties as qb:DimensionProperty / qb:MeasureProperty: data, not the document
    cube = {str(t) for t in file_triples(CUBE_FILE) if isinstance(t.subject, ox.NamedNode)}
    keep = [t for t in stored if isinstance(t.subject, ox.NamedNode) and not is_vocabulary_term(t.subject)
            and str(t) not in cube]
    by_bnode: dict[ox.BlankNode, list[ox.Triple]] = {}
    for t in stored:
        if isinstance(t.subject, ox.BlankNode):
            by_bnode.setdefault(t.subject, []).append(t)
    todo = [t.object for t in keep if isinstance(t.object, ox.BlankNode)]
    # the AllDisjointClasses axioms are blank nodes no IRI points to: kept when they name ttdn classes
    todo += [b for b, ts in by_bnode.items() if any(t.predicate.value == f"{OWL}members" for t in ts)]
    seen: set[ox.BlankNode] = set()
    while todo:
        b = todo.pop()
        if b in seen:
            continue
        seen.add(b)
        for t in by_bnode.get(b, ()):
            keep.append(t)
            if isinstance(t.object, ox.BlankNode):
                todo.append(t.object)
    return keep, True


def _local(iri: str) -> str:
    return iri[len(TTDN):] if iri.startswith(TTDN) else iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


class _Graph:
    def __init__(self, triples: list[ox.Triple]):
        self.out: dict[Any, list[tuple[str, Any]]] = {}
        for t in triples:
            self.out.setdefault(t.subject, []).append((t.predicate.value, t.object))

    def values(self, node: Any, prop: str) -> list[Any]:
        return [o for p, o in self.out.get(node, ()) if p == prop]

    def items(self, node: Any) -> list[Any]:
        """The members of an RDF list."""
        out, seen = [], set()
        while isinstance(node, ox.BlankNode) and node not in seen:
            seen.add(node)
            out.extend(self.values(node, f"{RDF}first")[:1])
            rest = self.values(node, f"{RDF}rest")
            node = rest[0] if rest else None
        return out


def _iris(g: _Graph) -> set[str]:
    found = set()
    for s, pos in g.out.items():
        if isinstance(s, ox.NamedNode):
            found.add(s.value)
        for p, o in pos:
            found.add(p)
            if isinstance(o, ox.NamedNode):
                found.add(o.value)
    return found


def ontology_view(store: Any, link: Link) -> OntologyView:
    triples, from_store = ontology_document(store)
    g = _Graph(triples)
    names = labels(store, _iris(g)) if store is not None else {}
    # a page exists for an IRI the graph has a statement about or pointing at; one only ever used as a property
    # (rdfs:domain, owl:inverseOf) has none, so it is shown unlinked rather than linked to a 404
    nodes = {s.value for s in g.out if isinstance(s, ox.NamedNode)} | {
        o.value for pos in g.out.values() for _p, o in pos if isinstance(o, ox.NamedNode)}
    nodes |= described_iris(store, _iris(g) - nodes)

    def term(t: Any) -> Term:
        if isinstance(t, ox.NamedNode):
            return Term("iri", t.value, names.get(t.value) or qname(t.value),
                        link(t.value) if t.value in nodes else None)
        if isinstance(t, ox.Literal):
            return Term("literal", t.value, t.value, None, t.language)
        return Term("bnode", str(t), "[…]")

    def value(o: Any, prop: str = "") -> Value:
        if not isinstance(o, ox.BlankNode):
            return Value([term(o)])
        if prop in _LIST_JOIN:  # the object is the list itself
            return Value([term(x) for x in g.items(o)], _LIST_JOIN[prop])
        for p, joiner in _LIST_JOIN.items():
            lst = g.values(o, p)
            if lst:
                return Value([term(x) for x in g.items(lst[0])], joiner)
        inv = g.values(o, f"{OWL}inverseOf")
        if inv:
            return Value([term(inv[0])], prefix="inverse of ")
        return Value([term(o)])

    header = []
    onto = ox.NamedNode(ONTOLOGY_IRI)
    for p in (f"{RDFS}label", f"{RDFS}comment", f"{OWL}versionInfo", f"{DCTERMS}license"):
        vals = g.values(onto, p)
        if vals:
            header.append(Relation(term(ox.NamedNode(p)), [Value([term(v)]) for v in vals]))

    terms: dict[str, OntologyTerm] = {}
    sections: list[tuple[str, list[OntologyTerm]]] = []
    order = {p: i for i, p in enumerate(_ORDER)}
    for kind, heading in KINDS:
        found = []
        for s in sorted((s for s in g.out if isinstance(s, ox.NamedNode) and s.value.startswith(TTDN)),
                        key=lambda s: _local(s.value).casefold()):
            types = {o.value for o in g.values(s, _TYPE) if isinstance(o, ox.NamedNode)}
            if kind not in types or s.value in terms:
                continue
            rels: dict[str, list[Value]] = {}
            for p, o in g.out[s]:
                if p == _TYPE or p in _TEXT:
                    continue
                rels.setdefault(p, []).append(value(o, p))
            lbls = sorted((term(o) for o in g.values(s, f"{RDFS}label")), key=lambda t: t.lang != "vi")
            defs = sorted((term(o) for p in _TEXT[1:] for o in g.values(s, p)), key=lambda t: t.lang != "vi")
            t = OntologyTerm(
                s.value, _local(s.value), qname(s.value), qname(kind),
                names.get(s.value) or _local(s.value), lbls, defs,
                [term(ox.NamedNode(c)) for c in sorted(types & CHARACTERISTICS)],
                [Relation(term(ox.NamedNode(p)), vals)
                 for p, vals in sorted(rels.items(), key=lambda kv: (order.get(kv[0], len(order)), qname(kv[0])))])
            terms[s.value] = t
            found.append(t)
        sections.append((heading, found))

    external: dict[str, ExternalTerm] = {}
    for s, pos in g.out.items():
        if not isinstance(s, ox.NamedNode) or s.value in terms or s.value == ONTOLOGY_IRI:
            continue
        kinds = [o.value for p, o in pos if p == _TYPE and isinstance(o, ox.NamedNode)]
        external[s.value] = ExternalTerm(term(s), qname(kinds[0]) if kinds else "", [])
    for s, pos in g.out.items():
        if not isinstance(s, ox.NamedNode):
            continue
        for p, o in pos:
            if p in _SUPER and isinstance(o, ox.NamedNode):
                if o.value in terms:
                    terms[o.value].narrower.append(term(s))
                elif o.value in external:
                    external[o.value].aligned.append(term(s))
    for t in terms.values():
        t.narrower.sort(key=lambda x: x.label.casefold())
    for e in external.values():
        e.aligned.sort(key=lambda x: x.label.casefold())
    disjoint = [value(m[0], f"{OWL}members") for s, pos in g.out.items() if isinstance(s, ox.BlankNode)
                for m in [[o for p, o in pos if p == f"{OWL}members"]] if m]
    label = names.get(ONTOLOGY_IRI) or "ttdn ontology"
    return OntologyView(ONTOLOGY_IRI, label, header, sections,
                        sorted(external.values(), key=lambda e: e.term.value), disjoint, from_store)


__all__ = ["ExternalTerm", "OntologyTerm", "OntologyView", "Relation", "Value", "ontology_document", "ontology_view"]
