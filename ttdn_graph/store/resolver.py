"""Identity look-ups against what the store already holds, as one SPARQL query per record (works remotely too)."""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

from ttdn_graph.graph.instruments import Candidate
from ttdn_graph.graph.namespaces import TTDN
from ttdn_graph.store.base import GraphStore


class StoreResolver:
    """Finds instruments by the number keys (type | scope | number without year) documents state of them
    (graph.layout statements), outside one graph."""

    def __init__(self, store: GraphStore, inferred_graph: str | None = None):
        self.store = store
        self.inferred = inferred_graph

    def candidates(self, keys: Sequence[str], exclude_graph: str | None = None) -> dict[str, list[Candidate]]:
        if not keys:
            return {}
        values = " ".join(str(ox.Literal(k)) for k in keys)
        excluded = [g for g in (exclude_graph, self.inferred) if g]
        flt = f"FILTER(?g NOT IN ({', '.join(f'<{g}>' for g in excluded)}))" if excluded else ""
        rows = self.store.query(
            f"""PREFIX ttdn: <{TTDN}>
SELECT DISTINCT ?key ?i ?n WHERE {{
  VALUES ?key {{ {values} }}
  GRAPH ?g {{ ?s ttdn:statedNumberKey ?key . ?s ttdn:about ?i . OPTIONAL {{ ?s ttdn:statedNumber ?n }} }}
  {flt}
}}"""
        )
        out: dict[str, list[Candidate]] = {}
        for r in sorted(rows, key=lambda r: (r["key"].value, r["i"].value, r.get("n").value if r.get("n") else "")):
            lst = out.setdefault(r["key"].value, [])
            if not any(c.iri == r["i"].value for c in lst):
                lst.append(Candidate(r["i"].value, r["n"].value if r.get("n") else None))
        return out
