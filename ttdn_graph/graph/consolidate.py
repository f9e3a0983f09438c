"""The one value of each claimed property of an entity, from every document's statement about it.

A single-valued property (label, number, title, date issued) takes the value of the entity's own document (a loaded
plan's header) if there is one, else the value most documents state, else the first in code-point order — except a
title, where among the forms most documents print the shortest wins before code-point order: a title read from the
citing text errs by running on into the sentence (a prose clause the stops missed) far more often than by stopping
short, so of two equally attested forms the shorter is the likelier to be the title alone. When the
documents give different dates, the entity gets a ttdn:Discrepancy naming the value kept, the others, and the
documents that gave them. Multi-valued properties (issuers, implements, amends, look-up keys) are the union.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from pyoxigraph import NamedNode, Quad

from ttdn_graph.graph import terms as T
from ttdn_graph.graph.layout import ABOUT, AUTHORITATIVE, PROPERTY_OF, SINGLE, Obj
from ttdn_graph.graph.namespaces import DCTERMS, SKOS, TTDN

Triple = tuple[NamedNode, NamedNode, Obj]
WITH_DISCREPANCY = frozenset({TTDN + "dateIssued"})


@dataclass(frozen=True)
class Statement:
    """What one document claims about one entity: (statement property, value) pairs."""

    graph: str
    authoritative: bool
    claims: tuple[tuple[str, Obj], ...]


def discrepancy_iri(entity: str, prop: str) -> str:
    return f"{entity}/discrepancy/{prop.rsplit('#', 1)[-1].rsplit('/', 1)[-1]}"


def _key(o: Obj) -> str:
    return o.value


def consolidate(entity: str, statements: Iterable[Statement]) -> list[Triple]:
    """The entity's claimed properties (and discrepancies) as triples; sorted for a deterministic output."""
    e = T.iri(entity)
    # property → value → (documents stating it, any authoritative)
    seen: dict[str, dict[Obj, set[str]]] = defaultdict(lambda: defaultdict(set))
    auth: dict[str, set[Obj]] = defaultdict(set)
    for st in statements:
        for claim, o in st.claims:
            prop = PROPERTY_OF.get(claim)
            if prop is None:
                continue
            seen[prop][o].add(st.graph)
            if st.authoritative:
                auth[prop].add(o)
    out: list[Triple] = []
    for prop in sorted(seen):
        values = seen[prop]
        p = T.iri(prop)
        if prop not in SINGLE:
            out.extend((e, p, o) for o in sorted(values, key=_key))
            continue
        counts = Counter({o: len(g) for o, g in values.items()})
        shortest = prop == TTDN + "title"
        chosen = min(values, key=lambda o: (o not in auth[prop], -counts[o], len(o.value) if shortest else 0, _key(o)))
        out.append((e, p, chosen))
        if prop == TTDN + "title":
            out.append((e, T.iri(DCTERMS + "title"), chosen))
        if prop in WITH_DISCREPANCY and len(values) > 1:
            out.extend(_discrepancy(e, prop, chosen, values))
    return out


def _discrepancy(e: NamedNode, prop: str, chosen: Obj, values: dict[Obj, set[str]]) -> list[Triple]:
    d = T.iri(discrepancy_iri(e.value, prop))
    others = sorted((o for o in values if o != chosen), key=_key)
    name = prop.rsplit("#", 1)[-1]
    out: list[Triple] = [
        (d, T.A, T.ttdn("Discrepancy")),
        (d, T.ttdn("discrepancyOf"), e),
        (d, T.iri(SKOS + "notation"), T.string(f"conflicting-{name}")),
        (d, T.COMMENT, T.en(f"Documents give {len(values)} values of {name}; kept {chosen.value} "
                            f"(the instrument's own document, else the most documents, else the earliest).")),
        (d, T.ttdn("resolvedValue"), T.string(chosen.value)),
    ]
    for o in others:
        out.append((d, T.ttdn("printedValue"), T.string(o.value)))
        out.extend((d, T.ttdn("inDocument"), T.iri(g)) for g in sorted(values[o]))
    return out


def statements_in(quads: Iterable[Quad]) -> dict[str, list[Statement]]:
    """The statements a document graph's quads hold, by the entity they are about."""
    about: dict[str, str] = {}
    auth: set[str] = set()
    claims: dict[str, list[tuple[str, Obj]]] = defaultdict(list)
    graph: dict[str, str] = {}
    for q in quads:
        s, p = q.subject.value, q.predicate.value
        if p == ABOUT:
            about[s] = q.object.value
            graph[s] = q.graph_name.value if isinstance(q.graph_name, NamedNode) else ""
        elif p == AUTHORITATIVE:
            auth.add(s)
        elif p in PROPERTY_OF:
            claims[s].append((p, q.object))  # type: ignore[arg-type]
    out: dict[str, list[Statement]] = defaultdict(list)
    for s, entity in about.items():
        out[entity].append(Statement(graph[s], s in auth, tuple(claims.get(s, ()))))
    return dict(out)
