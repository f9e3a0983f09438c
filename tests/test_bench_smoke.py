"""The benchmark harness end to end on a small corpus: every section present and well-formed (no speed checks)."""

from __future__ import annotations

import json

from bench import run


def _positive(x) -> bool:
    return isinstance(x, int | float) and x > 0


def test_bench_harness_writes_every_section(tmp_path):
    out, md = tmp_path / "out", tmp_path / "BENCHMARKS.md"
    assert run.main(["--sizes", "100", "--jobs", "2", "--queries", "loaded-plans,agency-tasks",
                     "--query-repeats", "1", "--query-budget", "8", "--api-seconds", "2", "--api-clients", "4",
                     "--extraction-docs", "10", "--out", str(out), "--md", str(md), "--work",
                     str(tmp_path / "work")]) == 0
    r = json.loads((out / "results.json").read_text(encoding="utf-8"))
    for key in ("machine", "corpus", "extraction", "load", "queries", "api", "views"):
        assert key in r and "error" not in r[key], (key, r.get(key))

    assert r["machine"]["cores"] >= 1 and r["machine"]["pyoxigraph"]
    assert {"seeds", "generated"} <= set(r["extraction"])
    assert all(_positive(e["plans_per_s"]) for e in r["extraction"].values())

    (load,) = r["load"]
    assert load["plans"] == 100 and load["loaded"] + load["failed"] == 100 and load["loaded"] > 90
    for k in ("load_seconds", "cpu_seconds", "plans_per_s", "triples_per_s", "peak_rss_mb_tree", "store_mb"):
        assert _positive(load[k]), k
    assert load["store_quads"] >= load["triples_written"] > 0

    q = r["queries"]["100"]
    names = {c["query"] for c in q["cases"]}
    assert names == {"loaded-plans", "agency-tasks"}
    assert any(c["params"] == "data" for c in q["cases"])  # parameters drawn from the data
    for c in q["cases"]:
        assert c["error"] is None and _positive(c["p50_ms"]) and c["p95_ms"] >= c["p50_ms"]
        assert c["rdflib"]["over_budget"] or _positive(c["rdflib"]["p50_ms"])
    loaded = next(c for c in q["cases"] if c["query"] == "loaded-plans" and c["params"] == "default")
    assert loaded["rows"] == load["loaded"] == loaded["rdflib"]["rows"]  # same data on both stores
    assert _positive(q["rdflib"]["quads"])

    api = r["api"]
    assert api["requests"] > 0 and _positive(api["requests_per_s"]) and api["errors"] == 0
    assert api["host"] == "127.0.0.1" and api["by_request"]

    views = r["views"]["100"]["views"]
    assert {v["view"] for v in views} == {"agency–task, one province", "agency–task, whole country"}
    assert all(v["nodes"] > 0 and _positive(v["build_ms"]) and _positive(v["html_kb"]) for v in views)

    text = md.read_text(encoding="utf-8")
    for heading in ("## Extraction", "## Load", "## Named queries", "## HTTP API", "## Views"):
        assert heading in text
