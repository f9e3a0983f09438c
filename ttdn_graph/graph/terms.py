"""Small constructors for pyoxigraph terms and a de-duplicating quad collector."""

from __future__ import annotations

from functools import lru_cache

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad

from ttdn_graph.graph.namespaces import RDF, RDFS, TTDN, XSD


@lru_cache(maxsize=65536)
def iri(value: str) -> NamedNode:
    return NamedNode(value)


def ttdn(local: str) -> NamedNode:
    return iri(TTDN + local)


A = iri(RDF + "type")
LABEL = iri(RDFS + "label")
COMMENT = iri(RDFS + "comment")


def vi(text: str) -> Literal:
    return Literal(text, language="vi")


def en(text: str) -> Literal:
    return Literal(text, language="en")


def string(text: str) -> Literal:
    return Literal(text)


def date(value: str) -> Literal:
    return Literal(value, datatype=iri(XSD + "date"))


def datetime(value: str) -> Literal:
    return Literal(value, datatype=iri(XSD + "dateTime"))


def integer(value: int) -> Literal:
    return Literal(str(int(value)), datatype=iri(XSD + "integer"))


def boolean(value: bool) -> Literal:
    return Literal("true" if value else "false", datatype=iri(XSD + "boolean"))


class Quads:
    """Collects the quads of one named graph; duplicates collapse; `sorted()` gives a deterministic list."""

    def __init__(self, graph: str | None):
        self.graph = iri(graph) if graph else DefaultGraph()
        self._seen: dict[tuple[NamedNode, NamedNode, NamedNode | Literal], None] = {}  # an ordered set of terms

    def add(self, s: str | NamedNode, p: NamedNode, o: NamedNode | Literal | str | None) -> None:
        if o is None:
            return
        if o.__class__ is str:
            if not o:
                return
            o = iri(o)  # type: ignore[arg-type]
        if s.__class__ is str:
            s = iri(s)  # type: ignore[arg-type]
        self._seen[(s, p, o)] = None  # type: ignore[index]

    def __len__(self) -> int:
        return len(self._seen)

    def quads(self) -> list[Quad]:
        """In the order they were added (for a store, which keeps no order: sorting is ~10 % of a build)."""
        g = self.graph
        return [Quad(s, p, o, g) for s, p, o in self._seen]

    def sorted(self) -> list[Quad]:
        """In (subject, predicate, object) order of their N-Triples forms. Sorting by the quad's own string is the
        same order here (IRIs and literals only, one graph), at one string per quad instead of three."""
        g = self.graph
        return sorted((Quad(s, p, o, g) for s, p, o in self._seen), key=str)
