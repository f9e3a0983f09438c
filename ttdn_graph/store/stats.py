"""What a store holds, in numbers (for `ttdn stats` and the API)."""

from __future__ import annotations

from typing import Any

from ttdn_graph.graph.namespaces import PROV, RDFS, TTDN
from ttdn_graph.store.base import GraphStore


def store_stats(store: GraphStore) -> dict[str, Any]:
    classes = store.query(
        "SELECT ?c (COUNT(?s) AS ?n) WHERE { GRAPH ?g { ?s a ?c } } GROUP BY ?c ORDER BY DESC(?n) ?c"
    )
    # loaded plans: those derived from their own document graph (each fact is stated once: graph.layout)
    rows = store.query(
        f"""SELECT ?p ?unit ?start WHERE {{
  GRAPH ?g {{ ?p <{PROV}wasDerivedFrom> ?g . OPTIONAL {{ ?p <{TTDN}periodStart> ?start }} }}
  ?p a <{TTDN}Plan> ; <{TTDN}jurisdiction> ?unit }}"""
    )
    unit_label: dict[str, str] = {}
    for r in store.query(f"SELECT ?u ?l WHERE {{ ?u a <{TTDN}AdministrativeUnit> ; <{RDFS}label> ?l }}"):
        u, lbl = r["u"].value, r["l"].value
        if u not in unit_label or lbl < unit_label[u]:
            unit_label[u] = lbl
    counts: dict[tuple[str, str], set[str]] = {}
    for r in rows:
        unit = unit_label.get(r["unit"].value, r["unit"].value)
        year = r["start"].value[:4] if r.get("start") else "?"
        counts.setdefault((unit, year), set()).add(r["p"].value)
    plans = sorted((u, y, len(ps)) for (u, y), ps in counts.items())
    graphs = store.graphs()
    return {
        "triples": store.count_triples(),
        "graphs": len(graphs),
        "documents": sum(1 for g in graphs if "/source/" in g),
        "classes": [(r["c"].value, int(r["n"].value)) for r in classes],
        "plans": plans,
    }
