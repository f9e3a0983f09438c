"""Named queries and loads before and after the graph was rebuilt (issue 14: each fact stated once).

The same generated corpus is loaded by two commits (`bench.load`) and every named query timed on each store
(`bench.queries --no-rdflib`); this module gathers those JSON files, adds the default-graph counts a researcher
would check (COUNT(*) against distinct triples), and renders the BENCHMARKS.md section. Runs are made by hand
(two checkouts, two loads per size), so the result is saved in docs/benchmarks/layout.json and `bench.run`
renders it from there.

    python -m bench.layout_compare --old 92d6af5 --new 286728d --runs /work/bc --sizes 1000,10000 \
        [--out docs/benchmarks/layout.json]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
TTDN = "https://w3id.org/ttdn/ontology#"
COUNTS = {
    "quads": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "distinct": "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
    "tasks_per_jurisdiction_plain": f"SELECT (SUM(?c) AS ?n) WHERE {{ SELECT ?j (COUNT(?t) AS ?c) WHERE {{ "
                                    f"?p <{TTDN}hasTask> ?t ; <{TTDN}jurisdiction> ?j }} GROUP BY ?j }}",
    "tasks_per_jurisdiction_distinct": f"SELECT (SUM(?c) AS ?n) WHERE {{ SELECT ?j (COUNT(DISTINCT ?t) AS ?c) "
                                       f"WHERE {{ ?p <{TTDN}hasTask> ?t ; <{TTDN}jurisdiction> ?j }} GROUP BY ?j }}",
}


def counts(store: Path) -> dict[str, int]:
    st = ox.Store.read_only(str(store))
    return {k: int(next(iter(st.query(q, use_default_graph_as_union=True)))[0].value) for k, q in COUNTS.items()}


def gather(runs: Path, sizes: list[int], old: str, new: str) -> dict:
    out: dict = {"old": old, "new": new, "sizes": {}}
    for n in sizes:
        entry: dict = {}
        for v in ("old", "new"):
            load = json.loads((runs / f"load_{v}_{n}.json").read_text())
            queries = json.loads((runs / f"q_{v}_{n}.json").read_text())
            entry[v] = {"load": load, "queries": queries["cases"], "counts": counts(runs / f"s_{v}_{n}")}
        out["sizes"][str(n)] = entry
    return out


def _ms(c: dict | None) -> str:
    if c is None:
        return "–"
    if c.get("error"):
        return "error"
    if c.get("over_budget"):
        return "> budget"
    return f"{c['p50_ms']:,.1f}"


def markdown(data: dict) -> str:
    lines = ["## Named queries and loads before and after the graph was rebuilt (issue 14)", "",
             f"The same generated corpus loaded by commit {data['old']} (every fact about a shared entity repeated in "
             f"each document graph that mentions it) and by {data['new']} (each fact stated once: document graphs, "
             "one entities graph; README \"Each fact is stated once\"). p50 of 5 runs, ms, embedded store, each "
             "query with its default parameters and with parameters drawn from the data. The named-query tables "
             "further up are of the old layout.", ""]
    if data.get("note"):
        lines += [data["note"], ""]
    for n, e in data["sizes"].items():
        o, w = e["old"], e["new"]
        lines += [f"### {int(n):,} plans", "",
                  "| | old | new |", "|---|---|---|",
                  f"| load wall s (--jobs 2) | {o['load']['wall_seconds']:,.1f} | {w['load']['wall_seconds']:,.1f} |",
                  f"| store quads | {o['load']['store_quads']:,} | {w['load']['store_quads']:,} |",
                  f"| store MB | {o['load']['store_mb']:,.1f} | {w['load']['store_mb']:,.1f} |",
                  f"| `COUNT(*) {{ ?s ?p ?o }}` | {o['counts']['quads']:,} | {w['counts']['quads']:,} |",
                  f"| distinct triples | {o['counts']['distinct']:,} | {w['counts']['distinct']:,} |",
                  f"| tasks per jurisdiction, summed: COUNT / COUNT(DISTINCT) | "
                  f"{o['counts']['tasks_per_jurisdiction_plain']:,} / "
                  f"{o['counts']['tasks_per_jurisdiction_distinct']:,} | "
                  f"{w['counts']['tasks_per_jurisdiction_plain']:,} / "
                  f"{w['counts']['tasks_per_jurisdiction_distinct']:,} |", "",
                  "| query | params | old rows | new rows | old p50 ms | new p50 ms |", "|---|---|---|---|---|---|"]
        new_by = {(c["query"], c["params"]): c for c in w["queries"]}
        keys = [(c["query"], c["params"]) for c in o["queries"]]
        keys += [k for k in new_by if k not in keys]
        old_by = {(c["query"], c["params"]): c for c in o["queries"]}
        for k in keys:
            a, b = old_by.get(k), new_by.get(k)
            lines.append(f"| {k[0]} | {k[1]} | {a['rows'] if a else '–'} | {b['rows'] if b else '–'} | "
                         f"{_ms(a)} | {_ms(b)} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--old", required=True)
    ap.add_argument("--new", required=True)
    ap.add_argument("--runs", type=Path, required=True, help="folder with load_/q_/s_{old,new}_N files")
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks" / "layout.json")
    ap.add_argument("--note", default="", help="what the reader should know of this run (conditions, row changes)")
    a = ap.parse_args(argv)
    data = gather(a.runs, [int(s) for s in a.sizes.split(",")], a.old, a.new)
    data["note"] = a.note
    a.out.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    print(markdown(data))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
