"""The entities graph kept in line with the document graphs (graph.layout): each shared entity stated once.

During a load the ledger collects the identity facts the builder computed for every entity a written document
mentions, and the entities whose documents were replaced. `sync_entities` then recomputes just those entities:
identity facts from this load's builds (the entity's own document first), claimed values consolidated from every
document's statement about it (graph.consolidate), and nothing at all for an entity no document mentions any more.
Only the difference with the stored graph is written, in one update.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from ttdn_graph.graph.consolidate import WITH_DISCREPANCY, Statement, consolidate, discrepancy_iri
from ttdn_graph.graph.layout import ABOUT, AUTHORITATIVE, CLAIM_OF, DERIVED, PROPERTY_OF, DocumentQuads, entities_graph
from ttdn_graph.graph.namespaces import RDF
from ttdn_graph.resolve.iris import Iris
from ttdn_graph.store.base import GraphStore, Triple, write_difference

_TYPE = RDF + "type"
_BATCH = 400
NT = Triple


@dataclass
class EntityLedger:
    """What one load learnt about entities: their identity facts (first build wins, the entity's own document over
    any other) and the entities to look at again because a document that mentioned them was replaced."""

    facts: dict[str, dict[tuple[ox.NamedNode, ox.NamedNode | ox.Literal], None]] = field(default_factory=dict)
    authoritative: set[str] = field(default_factory=set)
    touched: set[str] = field(default_factory=set)

    def add(self, doc: DocumentQuads) -> None:
        for e, facts in doc.facts.items():
            own = e in doc.authoritative
            cur = self.facts.get(e)
            if cur is None or (own and e not in self.authoritative):
                self.facts[e] = dict.fromkeys(facts)
            else:  # a second view of the entity: only its further types are kept
                for p, o in facts:
                    if p.value == _TYPE:
                        cur[(p, o)] = None
            if own:
                self.authoritative.add(e)
        self.touched.update(doc.facts)

    def replaced(self, store: GraphStore, graph: str) -> None:
        """`graph` is about to be replaced: the entities its old version mentions are looked at again."""
        for r in store.query(f"SELECT DISTINCT ?e WHERE {{ GRAPH <{graph}> {{ ?s <{ABOUT}> ?e }} }}"):
            self.touched.add(r["e"].value)

    def __bool__(self) -> bool:
        return bool(self.touched)


@dataclass
class EntitySync:
    entities: int = 0
    removed_entities: int = 0
    added: int = 0
    removed: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        return (f"entities: {self.entities} recomputed, {self.removed_entities} no longer mentioned "
                f"(+{self.added}/-{self.removed} triples, {self.seconds:.2f}s)")


def _values(iris: Iterable[str]) -> str:
    return " ".join(f"<{i}>" for i in iris)


def _statements(store: GraphStore, batch: Sequence[str]) -> dict[str, list[Statement]]:
    claims = ", ".join(f"<{p}>" for p in (*PROPERTY_OF, AUTHORITATIVE))
    rows = store.query(
        f"SELECT ?e ?g ?s ?p ?o WHERE {{ VALUES ?e {{ {_values(batch)} }} "
        f"GRAPH ?g {{ ?s <{ABOUT}> ?e . OPTIONAL {{ ?s ?p ?o FILTER(?p IN ({claims})) }} }} }}"
    )
    per: dict[str, dict[str, tuple[str, bool, list]]] = defaultdict(dict)
    for r in rows:
        e, s = r["e"].value, r["s"].value
        g, auth, lst = per[e].get(s) or (r["g"].value, False, [])
        p = r.get("p")
        if p is not None:
            if p.value == AUTHORITATIVE:
                auth = True
            else:
                lst.append((p.value, r["o"]))
        per[e][s] = (g, auth, lst)
    return {e: [Statement(g, a, tuple(lst)) for g, a, lst in by_s.values()] for e, by_s in per.items()}


def _stored(store: GraphStore, graph: str, subjects: Sequence[str]) -> dict[str, set[NT]]:
    out: dict[str, set[NT]] = defaultdict(set)
    for r in store.query(f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {_values(subjects)} }} "
                         f"GRAPH <{graph}> {{ ?s ?p ?o }} }}"):
        out[r["s"].value].add((str(r["s"]), str(r["p"]), str(r["o"])))
    return out


def _nt(s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> NT:
    return str(s), str(p), str(o)


_CLAIMED = frozenset(f"<{p}>" for p in (*CLAIM_OF, *DERIVED))  # properties whose values come from statements


def _identity(stored: set[NT]) -> set[NT]:
    """The identity facts among an entity's stored triples (what no claim gives)."""
    return {t for t in stored if t[1] not in _CLAIMED}


def sync_entities(store: GraphStore, ledger: EntityLedger) -> EntitySync:
    """Recompute the ledger's entities in the entities graph; one update with the difference."""
    t0 = time.perf_counter()
    graph = entities_graph(Iris(store.base).base)
    todo = sorted(ledger.touched | set(ledger.facts))
    summary = EntitySync(entities=len(todo))
    add: set[NT] = set()
    remove: set[NT] = set()
    for i in range(0, len(todo), _BATCH):
        batch = todo[i : i + _BATCH]
        stmts = _statements(store, batch)
        conflicts = [discrepancy_iri(e, p) for e in batch for p in WITH_DISCREPANCY]
        stored = _stored(store, graph, [*batch, *conflicts])
        for e in batch:
            old = stored.get(e, set()) | set().union(*(stored.get(discrepancy_iri(e, p), set())
                                                       for p in WITH_DISCREPANCY))
            new: set[NT] = set()
            if e in stmts:
                node = ox.NamedNode(e)
                facts = ledger.facts.get(e)
                new |= {_nt(node, p, o) for p, o in facts} if facts is not None else _identity(stored.get(e, set()))
                new |= {_nt(*t) for t in consolidate(e, stmts[e])}
            elif old:
                summary.removed_entities += 1
            add |= new - old
            remove |= old - new
    write_difference(store, graph, sorted(add), sorted(remove))
    summary.added, summary.removed = len(add), len(remove)
    summary.seconds = time.perf_counter() - t0
    return summary
