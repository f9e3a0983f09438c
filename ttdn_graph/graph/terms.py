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
        self._seen: dict[tuple[str, str, str], Quad] = {}

    def add(self, s: str | NamedNode, p: NamedNode, o: NamedNode | Literal | str | None) -> None:
        if o is None or (isinstance(o, str) and not o):
            return
        s_ = iri(s) if isinstance(s, str) else s
        o_ = iri(o) if isinstance(o, str) else o
        k = (str(s_), str(p), str(o_))
        if k not in self._seen:
            self._seen[k] = Quad(s_, p, o_, self.graph)

    def __len__(self) -> int:
        return len(self._seen)

    def sorted(self) -> list[Quad]:
        return [self._seen[k] for k in sorted(self._seen)]
