"""View building: the agency–task view of one province and of the whole country, on a loaded store.

Times `agency_task_graph` (the SPARQL and the layout model) and `render_network` (the pyvis HTML fragment)
separately, best of `repeat`, and reports the node counts (shown and before the cap) and the HTML size.

    python -m bench.views STORE_DIR
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

TTDN = "https://w3id.org/ttdn/ontology#"
PROV = "http://www.w3.org/ns/prov#"


def busiest_province(store) -> str | None:
    """The province whose plans (its own and its districts') are most numerous."""
    rows = store.query(f"""SELECT ?u (COUNT(DISTINCT ?p) AS ?c) WHERE {{
  ?p a <{TTDN}Plan> ; <{PROV}wasDerivedFrom> ?source ; <{TTDN}jurisdiction> ?j .
  OPTIONAL {{ ?j <{TTDN}within> ?up . ?up a <{TTDN}Province> }}
  BIND(COALESCE(?up, ?j) AS ?u)
  FILTER EXISTS {{ ?u a <{TTDN}Province> }} }} GROUP BY ?u ORDER BY DESC(?c) ?u LIMIT 1""")
    rows = [r for r in rows if "u" in r]
    return rows[0]["u"].value if rows else None


def _one(store, label: str, sel, repeat: int) -> dict:
    from ttdn_graph.views import agency_task_graph, render_network

    best_build = best_render = float("inf")
    graph = html = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        graph = agency_task_graph(store, sel, lambda iri: iri)
        t1 = time.perf_counter()
        html = str(render_network(graph))
        t2 = time.perf_counter()
        best_build, best_render = min(best_build, t1 - t0), min(best_render, t2 - t1)
    assert graph is not None and html is not None
    return {"view": label, "selection": sel.params(), "build_ms": round(best_build * 1000, 1),
            "render_ms": round(best_render * 1000, 1), "nodes": len(graph.nodes), "edges": len(graph.edges),
            "total_nodes": graph.total_nodes, "truncated": graph.truncated, "html_kb": round(len(html) / 1024, 1)}


def run(store_dir: Path, repeat: int = 3) -> dict:
    from ttdn_graph.store import EmbeddedStore
    from ttdn_graph.views import AgencySelection

    store = EmbeddedStore(store_dir, read_only=True)
    try:
        province = busiest_province(store)
        out = []
        if province:
            out.append(_one(store, "agency–task, one province", AgencySelection(jurisdictions=[province]), repeat))
        out.append(_one(store, "agency–task, whole country", AgencySelection(), repeat))
    finally:
        store.close()
    return {"repeat": repeat, "views": out}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args(argv)
    print(json.dumps(run(a.store, a.repeat), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
