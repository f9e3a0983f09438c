"""A second document of a plan that another file already holds (the .pdf beside the .docx, a re-issued copy).

Both documents state the same plan, tasks and responsibilities (their IRIs hang from the plan's), so the second
document's graph keeps only what the first does not already state: its provenance, its statements and citation
acts. The plan's tasks stay stated once, in the first document's graph (code-point order of the graph names
decides which is first among those already in the store; within one load, the earlier file).
"""

from __future__ import annotations

from collections.abc import Mapping

from ttdn_graph.graph.layout import DocumentQuads
from ttdn_graph.graph.namespaces import PROV
from ttdn_graph.store.base import GraphStore

_DER = f"{PROV}wasDerivedFrom"


class PlanOwners:
    """Which document graph holds each plan's own statements during one load."""

    def __init__(self, store: GraphStore):
        self.store = store
        self._owner: dict[str, str] = {}

    def _owner_of(self, plan: str, graph: str) -> str | None:
        owner = self._owner.get(plan)
        if owner is None:
            rows = self.store.query(f"SELECT ?g WHERE {{ GRAPH ?g {{ <{plan}> <{_DER}> ?g }} }}")
            others = sorted(r["g"].value for r in rows if r["g"].value != graph)
            owner = others[0] if others else graph
            self._owner[plan] = owner
        return owner if owner != graph else None

    def strip(self, doc: DocumentQuads, pending: Mapping[str, DocumentQuads]) -> DocumentQuads:
        """`doc` without the triples its plan's first document states already."""
        plan = next(iter(doc.authoritative), None)
        if plan is None:
            return doc
        owner = self._owner_of(plan, doc.graph)
        if owner is None:
            return doc
        if owner in pending:
            theirs = {(str(q.subject), str(q.predicate), str(q.object)) for q in pending[owner].own}
        else:
            theirs = {(str(r["s"]), str(r["p"]), str(r["o"]))
                      for r in self.store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{owner}> {{ ?s ?p ?o }} }}")}
        own = [q for q in doc.own if (str(q.subject), str(q.predicate), str(q.object)) not in theirs]
        return DocumentQuads(doc.graph, own, doc.facts, doc.authoritative)
