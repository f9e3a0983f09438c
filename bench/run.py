"""`make bench`: every benchmark, written to bench/out/results.json and BENCHMARKS.md. Benchmarks report; they
never fail (a section that breaks is recorded with its error).

    python -m bench.run                                   # sizes 100, 1000, 10000 (TTDN_BENCH_SIZES to change)
    python -m bench.run --sizes 100,1000 --api-seconds 10 # a quicker run
    python -m bench.run --engines                         # also external engines (bench/engines.py), or TTDN_BENCH_ENGINES=1

Sections: machine facts; extraction (seed copies and the generated corpus); load into the embedded store (per size
and --jobs: plans/s, triples/s, wall and CPU time, peak RSS of the process tree, store size); named-query latency
on the embedded store and on rdflib's in-memory store; the HTTP API under concurrent load; the agency–task views.
The corpus is bench.corpus.generate (a synthetic national corpus) when available, else copies of the seed plans.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from bench import extraction

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = "100,1000,10000"
AIMS = {  # issue 16's targets (at 10,000 plans unless said)
    "extraction_plans_per_s_per_core": 110,  # 2× the 55 plans/s of BENCHMARKS.md before issue 16
    "load_10k_seconds_two_cores": 300,
    "query_p95_ms_10k": 500,  # every named query
    "summary_p95_ms_10k": 300,  # cascade-summary, uptake-summary
    "page_p95_ms_10k": 300,  # each drill-down page (cascade-page, uptake-page)
    "view_build_s_10k": 2.0,  # the agency–task view of the busiest province and of the whole country
    "api_requests_per_s_cache_off": 50,
    "api_requests_per_s_cache_on": 300,
    "api_runaway_others_p99_ms": 1000,
}
SUMMARIES = ("cascade-summary", "uptake-summary")
PAGES = ("cascade-page", "uptake-page")


# -- machine -----------------------------------------------------------------------------------------------------
def machine() -> dict:
    import psutil
    import pyoxigraph
    import rdflib

    cpu = platform.processor() or platform.machine()
    try:
        m = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        cpu = m.group(1).strip() if m else cpu
    except OSError:
        pass
    return {
        "date": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": sys.version.split()[0],
        "pyoxigraph": pyoxigraph.__version__,
        "rdflib": rdflib.__version__,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "commit": _commit(),
    }


def _commit() -> str | None:
    import subprocess

    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                             timeout=10)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return None
    return (out.stdout.strip() + (" (with uncommitted changes)" if dirty else "")) or None


# -- extraction on the generated corpus ---------------------------------------------------------------------------
def extraction_generated(files: list[Path]) -> dict:
    """Same measure as bench/extraction.py (one core, best of 2, ratio to a regex scan), on generated plans."""
    from ttdn_graph.extract import extract_text

    docs = [(f.name, f.read_text(encoding="utf-8")) for f in files]
    size = sum(len(t.encode("utf-8")) for _, t in docs)
    best = floor = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        for name, t in docs:
            extract_text(t, name)
        best = min(best, time.perf_counter() - t0)
        t0 = time.perf_counter()
        for _name, t in docs:
            extraction.FLOOR_RX.findall(t)
        floor = min(floor, time.perf_counter() - t0)
    return {"documents": len(docs), "megabytes": round(size / 1e6, 3), "seconds": round(best, 3),
            "plans_per_s": round(len(docs) / best, 1), "mb_per_s": round(size / 1e6 / best, 3),
            "regex_floor_seconds": round(floor, 4), "ratio_to_regex_scan": round(best / floor, 1)}


# -- orchestration -----------------------------------------------------------------------------------------------
def _section(results: dict, key: str, fn, *args, **kw):
    t0 = time.perf_counter()
    print(f"[bench] {key} …", file=sys.stderr, flush=True)
    try:
        out = fn(*args, **kw)
    except Exception as e:  # noqa: BLE001 - a benchmark reports, it never fails the run
        out = {"error": f"{type(e).__name__}: {e}", "trace": traceback.format_exc()[-1500:]}
    print(f"[bench] {key} done in {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    results[key] = out
    return out


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description="Run every benchmark; write results.json and BENCHMARKS.md.")
    ap.add_argument("--sizes", default=os.environ.get("TTDN_BENCH_SIZES", DEFAULT_SIZES),
                    help="corpus sizes, comma-separated (env TTDN_BENCH_SIZES)")
    ap.add_argument("--jobs", default=os.environ.get("TTDN_BENCH_JOBS", "1,2"), help="loader --jobs values")
    ap.add_argument("--query-repeats", type=int, default=20)
    ap.add_argument("--query-budget", type=float, default=10.0, help="seconds per query case (rdflib: '> budget')")
    ap.add_argument("--rdflib-load-budget", type=float, default=1800.0)
    ap.add_argument("--no-rdflib", action="store_true")
    ap.add_argument("--rdflib-max-plans", type=int, default=1000,
                    help="rdflib only up to this size (at 10,000 plans it loads for ~9 minutes into ~13 GB)")
    ap.add_argument("--queries", default="", help="only these named queries (comma-separated)")
    ap.add_argument("--api-seconds", type=float, default=30.0)
    ap.add_argument("--api-clients", type=int, default=16)
    ap.add_argument("--api-size", type=int, default=0, help="corpus size the API runs on (default: the largest loaded)")
    ap.add_argument("--extraction-docs", type=int, default=200)
    ap.add_argument("--engines", action="store_true", default=os.environ.get("TTDN_BENCH_ENGINES") == "1")
    ap.add_argument("--engines-sizes", default="", help="sizes for the external engines (default: the largest)")
    ap.add_argument("--engines-repeat", type=int, default=3)
    ap.add_argument("--engines-limit", type=float, default=30.0, help="seconds per query run on an external engine")
    ap.add_argument("--engines-from", type=Path, default=None,
                    help="report a saved `python -m bench.engines` run (its JSON) instead of running the engines")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    ap.add_argument("--md", type=Path, default=ROOT / "BENCHMARKS.md")
    ap.add_argument("--work", type=Path, default=None, help="folder for corpora and stores (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--report-only", type=Path, default=None, metavar="RESULTS_JSON",
                    help="run nothing: write BENCHMARKS.md from a saved results.json (and --engines-from)")
    return ap.parse_args(argv)


def saved_engines(path: Path) -> dict:
    """A saved `python -m bench.engines` result, marked with where it came from."""
    return {**json.loads(path.read_text(encoding="utf-8")), "from_file": str(path)}


def run_all(a: argparse.Namespace) -> dict:
    from bench import api_load, load, queries, views

    sizes = sorted({int(s) for s in str(a.sizes).split(",") if s.strip()})
    jobs = [int(j) for j in str(a.jobs).split(",") if j.strip()]
    names = [q for q in a.queries.split(",") if q.strip()] or None
    work = a.work or Path(tempfile.mkdtemp(prefix="ttdn-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {"aims": AIMS, "sizes": sizes, "jobs": jobs}
    _section(results, "machine", machine)
    corpus_dir = work / "corpus"
    results["corpus"] = _section({}, "corpus", load.make_corpus, max(sizes), corpus_dir)
    all_files = load.plan_files(corpus_dir, max(sizes))
    results["corpus"]["megabytes_by_size"] = {n: load.corpus_megabytes(all_files[:n]) for n in sizes}

    ext: dict = {}
    _section(ext, "seeds", extraction.run, max(10, a.extraction_docs // 2), 2)
    _section(ext, "generated", extraction_generated, all_files[: a.extraction_docs])
    results["extraction"] = ext

    results["load"], results["queries"], results["views"] = [], {}, {}
    stores: dict[int, Path] = {}
    for n in sizes:
        files = all_files[:n]
        for j in jobs:
            store = work / f"store-{n}-j{j}"
            r = _section({}, f"load {n} plans, jobs {j}", load.run, files, store, j)
            results["load"].append(r)
            if "error" not in r:
                if n in stores:
                    shutil.rmtree(stores[n], ignore_errors=True)
                stores[n] = store
        if n not in stores:
            continue
        _section(results["queries"], str(n), queries.run, stores[n], repeats=a.query_repeats, budget=a.query_budget,
                 rdflib=not a.no_rdflib and n <= a.rdflib_max_plans, load_budget=a.rdflib_load_budget, names=names)
        _section(results["views"], str(n), views.run, stores[n])
    api_n = a.api_size or max(stores, default=0)
    if api_n in stores:
        # as served (answers kept per query), with every request evaluated by the store, and that again with one
        # more client sending a query that never ends
        results["api_runs"] = []
        for cache_mb, runaway in ((64.0, False), (0.0, False), (0.0, True)):
            r = _section({}, f"api on {api_n} plans, answer cache {cache_mb:g} MB{', runaway' if runaway else ''}",
                         api_load.run, stores[api_n], seconds=a.api_seconds, clients=a.api_clients,
                         cache_mb=cache_mb, runaway=runaway)
            results["api_runs"].append({"plans": api_n, **r})
        results["api"] = results["api_runs"][0]
    else:
        results["api"] = {"error": f"no store of {api_n} plans was loaded"}
    if a.engines_from:
        results["engines"] = saved_engines(a.engines_from)
    elif a.engines:
        try:
            from bench.engines import run_engines
        except ImportError as e:
            results["engines"] = {"skipped": f"bench.engines not importable: {e}"}
        else:
            esizes = sorted({int(x) for x in a.engines_sizes.split(",") if x.strip()}) or [max(sizes)]
            _section(results, "engines", engines_beside, run_engines, corpus_dir, esizes, stores, results["load"],
                     repeat=a.engines_repeat, limit=a.engines_limit)
    if not a.keep and a.work is None:
        shutil.rmtree(work, ignore_errors=True)
    else:
        results["work"] = str(work)
    return results


def engines_beside(run_engines, corpus_dir: Path, sizes: list[int], stores: dict[int, Path], loads: list[dict],
                   repeat: int, limit: float) -> dict:
    """The Oxigraph server and Virtuoso loaded from the corpus' extraction records, their named queries timed
    with the parameters drawn from this run's embedded store of the same size, which is timed by the same harness
    (bench.engines.time_queries) beside them: one like-for-like table, without loading the embedded store again."""
    from bench.engines import corpus_params, engine_version, time_queries
    from ttdn_graph.store import EmbeddedStore

    params: dict[int, dict[str, str]] = {}
    embedded: dict = {"version": engine_version("embedded"), "sizes": {}}
    for n in sizes:
        if n not in stores:
            continue
        st = EmbeddedStore(stores[n], read_only=True)
        try:
            params[n] = corpus_params(st)
        finally:
            st.close()
        ld = next((x for x in reversed(loads) if x.get("plans") == n and "loaded" in x), {})
        timed = time_queries(str(stores[n]), repeat, params[n], limit=limit, budget=limit)
        embedded["sizes"][str(n)] = {
            "documents": ld.get("loaded"), "failed": ld.get("failed"), "load_seconds": ld.get("load_seconds"),
            "plans_per_s": ld.get("plans_per_s"), "inference_seconds": ld.get("inference_seconds"),
            "triples": ld.get("store_quads"), "query_runs": repeat, "query_limit_s": limit, "params": params[n],
            "queries": timed, "errors": sum(q["errors"] for q in timed.values()),
            "note": "this run's load (from the plan files, extraction included); the servers load extraction records"}
    out = run_engines(corpus_dir, sizes, engines=("oxigraph-server", "virtuoso"), repeat=repeat, limit=limit,
                      params=params)
    out["engines"] = {"embedded": embedded, **out["engines"]}
    return out


# -- BENCHMARKS.md -----------------------------------------------------------------------------------------------
def _f(x, nd: int = 1) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:,.{nd}f}"
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def _table(head: list[str], rows: list[list]) -> list[str]:
    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head),
            *("| " + " | ".join(_f(c) for c in r) + " |" for r in rows), ""]


def _err(d: dict) -> list[str]:
    return [f"*error: {d['error']}*", ""] if isinstance(d, dict) and d.get("error") else []


def _api(api: dict) -> list[str]:
    """One API load run as Markdown: the totals and each kind of request."""
    md = _err(api)
    if "requests" not in api:
        return md
    md += [f"{api['clients']} concurrent clients for {api['seconds']:g} s ({api.get('generator')}), server on "
           f"{api['host']} with {api['server_workers']} query workers, store of {api['plans']:,} plans; "
           + (f"answers kept per query (ttdn_graph/web/result_cache.py, {api['result_cache_mb']:g} MB): the fixed mix is "
              "answered from the cache after its first requests" if api.get("result_cache_mb")
              else "answer cache off: every request evaluated by the store")
           + ("; and one more client sending, back to back, a query that never ends (a new text each time): the "
              "totals are the other clients' requests" if api.get("runaway") else "")
           + ".", ""]
    md += _table(["requests", "requests/s", "p50 ms", "p99 ms", "errors"],
                 [[api["requests"], api["requests_per_s"], api["p50_ms"], api["p99_ms"], api["errors"]]])
    md += _table(["request", "requests", "p50 ms", "p99 ms", "failures"],
                 [[k, v["requests"], v["p50_ms"], v["p99_ms"], v["failures"]]
                  for k, v in api.get("by_request", {}).items()])
    if api.get("error_kinds"):
        md += ["Errors: " + "; ".join(api["error_kinds"]), ""]
    return md


def _verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("met" if ok else "missed")


def targets(r: dict) -> list[list]:
    """Issue 16's targets at the largest size: [target, aim, measured, met/missed]."""
    aims = {**AIMS, **r.get("aims", {})}
    rows: list[list] = []
    n = str(max(r.get("sizes") or [0]))
    ext = r.get("extraction", {}).get("generated", {})
    if "plans_per_s" in ext:
        rows.append(["extraction, generated plans, one core", f"≥ {aims['extraction_plans_per_s_per_core']} plans/s",
                     f"{ext['plans_per_s']} plans/s", _verdict(ext["plans_per_s"] >= aims["extraction_plans_per_s_per_core"])])
    for ld in r.get("load", []):
        if str(ld.get("plans")) == n and ld.get("jobs") == 2 and "load_seconds" in ld:
            rows.append([f"load {int(n):,} plans, two cores", f"≤ {aims['load_10k_seconds_two_cores']} s",
                         f"{ld['wall_seconds']} s wall ({ld['cpu_seconds']} CPU s)",
                         _verdict(ld["wall_seconds"] <= aims["load_10k_seconds_two_cores"])])
    cases = r.get("queries", {}).get(n, {}).get("cases", [])

    def worst(sel, label: str, aim: float) -> None:
        cs = [c for c in cases if sel(c["query"])]
        if not cs:
            return
        bad = [c for c in cs if c.get("over_budget") or c.get("error") or (c.get("p95_ms") or 0) > aim]
        top = max(cs, key=lambda c: float("inf") if c.get("over_budget") or c.get("error") else c.get("p95_ms") or 0)
        shown = "no answer in budget" if top.get("over_budget") else ("error" if top.get("error") else
                                                                     f"{_f(top['p95_ms'])} ms")
        rows.append([label, f"p95 ≤ {aim:g} ms", f"worst {top['query']} ({top['params']}): {shown}; "
                     f"{len(cs) - len(bad)} of {len(cs)} cases within", _verdict(not bad)])

    worst(lambda q: True, "every named query (default, data and today's-map parameters)", aims["query_p95_ms_10k"])
    worst(lambda q: q in SUMMARIES, "cascade and uptake summaries", aims["summary_p95_ms_10k"])
    worst(lambda q: q in PAGES, "drill-down pages (first and next)", aims["page_p95_ms_10k"])
    for v in r.get("views", {}).get(n, {}).get("views", []):
        rows.append([f"view: {v['view']}", f"built ≤ {aims['view_build_s_10k']:g} s",
                     f"{v['build_ms'] / 1000:.2f} s (+ render {v['render_ms'] / 1000:.2f} s)",
                     _verdict(v["build_ms"] / 1000 <= aims["view_build_s_10k"])])
    for api in r.get("api_runs", []):
        if "requests_per_s" not in api:
            continue
        if api.get("runaway"):
            rows.append(["API, 16 clients and one runaway query, cache off: the others' p99",
                         f"≤ {aims['api_runaway_others_p99_ms']} ms", f"{api['p99_ms']} ms ({api['errors']} errors)",
                         _verdict(api["p99_ms"] <= aims["api_runaway_others_p99_ms"] and not api["errors"])])
        else:
            key = "api_requests_per_s_cache_on" if api.get("result_cache_mb") else "api_requests_per_s_cache_off"
            rows.append([f"API, {api['clients']} clients, answer cache {'on' if api.get('result_cache_mb') else 'off'}",
                         f"≥ {aims[key]} requests/s, no errors", f"{api['requests_per_s']} requests/s, "
                         f"{api['errors']} errors", _verdict(api["requests_per_s"] >= aims[key] and not api["errors"])])
    return rows


def markdown(r: dict) -> str:
    m = r.get("machine", {})
    md = ["# Benchmarks", "",
          "Written by `make bench` (`python -m bench.run`); the figures are also in bench/out/results.json. "
          "Benchmarks report, they never fail a build.", "",
          f"Machine: {m.get('cpu')}, {m.get('cores')} cores, {m.get('ram_gb')} GB RAM; {m.get('platform')}; "
          f"Python {m.get('python')}, pyoxigraph {m.get('pyoxigraph')}, rdflib {m.get('rdflib')}; {m.get('date')}. "
          f"Load average at start {m.get('load_average_at_start')} (a shared machine: wall times include what "
          "else ran; CPU times do not).", "",
          f"Corpus: {r.get('corpus', {}).get('source')}; sizes {', '.join(map(str, r.get('sizes', [])))} plans "
          f"({', '.join(f'{k}: {v} MB' for k, v in r.get('corpus', {}).get('megabytes_by_size', {}).items())}).", ""]
    if r.get("conditions"):
        md += [f"Conditions: {r['conditions']}", ""]
    aims = {**AIMS, **r.get("aims", {})}
    tg = targets(r)
    if tg:
        md += [f"## Targets at {max(r.get('sizes') or [0]):,} plans (issue 16)", ""]
        md += _table(["target", "aim", "measured", ""], tg)
        md += ["Misses are explained under \"What bounds the figures that miss their aims\" at the end.", ""]

    md += ["## Extraction (one core)", ""]
    ext = r.get("extraction", {})
    rows = []
    for k, e in ext.items():
        md += _err(e)
        if "plans_per_s" in e:
            rows.append([k, e["documents"], e["megabytes"], e["seconds"], e["plans_per_s"], e["mb_per_s"],
                         f"{e['ratio_to_regex_scan']}×"])
    md += _table(["corpus", "documents", "MB", "seconds", "plans/s", "MB/s", "ratio to a regex scan"], rows)
    md += [f"Aim: ≥ {aims['extraction_plans_per_s_per_core']} plans/s per core.", ""]

    md += ["## Load into the embedded store", ""]
    rows = []
    for e in r.get("load", []):
        md += _err(e)
        if "loaded" in e:
            rows.append([e["plans"], e["jobs"], e["load_seconds"], e["cpu_seconds"], e["plans_per_s"],
                         e["triples_per_s"], e["triples_written"], e["store_quads"], e["inference_seconds"],
                         e["peak_rss_mb_tree"], e["store_mb"], e["failed"]])
    md += _table(["plans", "jobs", "wall s", "CPU s (all processes)", "plans/s", "triples/s", "triples written",
                  "store quads", "inference s", "peak RSS MB (tree)", "store MB", "failed"], rows)
    md += [f"Aim: 10,000 plans in ≤ {aims['load_10k_seconds_two_cores']} s on two cores.", ""]

    md += ["## Named queries: embedded store vs rdflib in-memory", "",
           "p50 / p95 over the timed runs (evaluation plus iterating every row); `data` = parameters drawn from the "
           "loaded data. rdflib: an rdflib Dataset (default_union=True) loaded from the store's N-Quads export; a "
           "query still running at the budget is stopped and shown as `> budget`.", ""]
    for n, q in r.get("queries", {}).items():
        md += [f"### {int(n):,} plans", ""] + _err(q)
        rd = q.get("rdflib", {})
        if rd:
            md += _err(rd)
            if rd.get("load_seconds") is not None:
                md += [f"rdflib {rd.get('rdflib')}: loading {rd.get('quads'):,} quads took {rd['load_seconds']} s, "
                       f"peak RSS {rd.get('rss_mb')} MB.", ""]
        rows = []
        for c in q.get("cases", []):
            emb = "error" if c.get("error") else (f"> {q['budget_seconds']:g} s" if c.get("over_budget")
                                                   else f"{_f(c['p50_ms'])} / {_f(c['p95_ms'])}")
            rl = c.get("rdflib") or {}
            if not rl:
                rdf, ratio = "–", "–"
            elif rl.get("over_budget"):
                rdf, ratio = f"> {q['budget_seconds']:g} s", f"≥ {_f(c.get('ratio_at_least'))}×"
            elif rl.get("error"):
                rdf, ratio = "error", "–"
            else:
                rdf, ratio = f"{_f(rl['p50_ms'])} / {_f(rl['p95_ms'])}", f"{_f(c.get('ratio'))}×"
            rows.append([c["query"], c["params"], c["rows"], c["runs"], emb, rdf, ratio])
        md += _table(["query", "params", "rows", "runs", "embedded p50 / p95 ms", "rdflib p50 / p95 ms",
                      "rdflib ÷ embedded"], rows)
    md += [f"Aims at 10,000 plans: every named query p95 ≤ {aims['query_p95_ms_10k']} ms on the embedded store; "
           f"cascade and uptake summaries ≤ {aims['summary_p95_ms_10k']} ms; each drill-down page ≤ "
           f"{aims['page_p95_ms_10k']} ms. `today`: the same data parameters with `map=today` (units read on today's "
           "map). `data, next page`: the page after the first (`after` = the first page's last ?key).", ""]

    md += ["## HTTP API under load", ""]
    for api in r.get("api_runs") or [r.get("api", {})]:
        md += _api(api)
    md += [f"Aims: ≥ {aims['api_requests_per_s_cache_off']} requests/s with the answer cache off and ≥ "
           f"{aims['api_requests_per_s_cache_on']} with it on, zero errors; with one more client sending a query that "
           f"never ends, the other clients' p99 ≤ {aims['api_runaway_others_p99_ms']} ms.", ""]
    md += ["## Views (agency–task network)", ""]
    rows = []
    for n, v in r.get("views", {}).items():
        md += _err(v)
        for x in v.get("views", []):
            rows.append([n, x["view"], x["build_ms"], x["render_ms"], x["nodes"], x["total_nodes"], x["edges"],
                         x["html_kb"]])
    md += _table(["plans", "view", "build ms", "render ms", "nodes shown", "nodes before cap", "edges", "HTML KB"],
                 rows)

    if "engines" in r:
        md += ["## External engines", "", "The remote-store path (`--endpoint`): each engine started on 127.0.0.1 by a "
               "script in bench/, loaded from the same extraction records (so load time is the store's, not the "
               "parser's), every named query timed end to end over HTTP (parameters from the corpus): one warm-up, "
               "then up to the given number of runs; ✗ is a query with no answer within the limit (or an error: the "
               "JSON says which). An `embedded` row, when present, is the same harness on the embedded store.", ""] + _err(r["engines"])
        if r["engines"].get("engines"):
            from bench.engines import markdown as engines_markdown

            md += [engines_markdown(r["engines"])]
        if r["engines"].get("note"):
            md += [r["engines"]["note"], ""]
        if r["engines"].get("from_file"):
            md += [f"(From a separate run, {r['engines']['from_file']}.)", ""]
    attack = ROOT / "docs" / "benchmarks" / "attack.json"
    if attack.exists():  # a saved run of bench.attack (it starts servers and floods them: not part of make bench)
        from bench.attack import markdown as attack_markdown

        md += [attack_markdown(json.loads(attack.read_text(encoding="utf-8")))]
    layout = ROOT / "docs" / "benchmarks" / "layout.json"
    if layout.exists():  # a saved run of bench.layout_compare (two commits, two loads per size: made by hand)
        from bench.layout_compare import markdown as layout_markdown

        md += [layout_markdown(json.loads(layout.read_text(encoding="utf-8")))]
    md += NOTES
    return "\n".join(md)


NOTES = [
    "## What bounds the figures that miss their aims",
    "",
    "Measured on the same corpus and machine, on stores of this run or built from the same code, unless said.",
    "",
    "- **Extraction** meets its aim on this harness (best of two passes over the same 200 generated plans, so the "
    "parser's caches of repeated lines help). On distinct plans (700 generated plans, 100 to warm up, CPU time of "
    "the other 600) the previous stop measured 1.45× its start, not 2×: normalising lines, the outline and the "
    "agency splitter still take most of it.",
    "- **Load** (two cores, 10,000 plans) is CPU-bound: the extraction workers run in parallel, but building the "
    "graph, writing its quads and the inference pass run in the one writing process (identity resolution reads "
    "what earlier documents wrote, and RocksDB admits one writing process; pyoxigraph's writes hold the GIL). The "
    "inference pass, serial, now also computes the tallies and cascade summaries (store/cube.py): 84 s here (53 s "
    "before the tallies), with the second core idle, and the store grew from 8.2 M to 11.1 M quads. With "
    "~592 CPU s in all and ~84 s serial, two cores cannot go under ~338 s with this split: what is left to win is "
    "CPU in the writer and a parallel inference pass.",
    "- **Named queries that list every matching row.** tasks-in-quarter (27–38 k rows), tasks-by-theme (8–12 k), "
    "tasks-by-agency-type (4–6 k), loaded-plans (10 k), basis-lacking-type (7 k), agency-workload without a unit "
    "(14 k) and cascade-down (161 k rows from the most-cited instrument) answer thousands of rows; Oxigraph "
    "evaluates each single-pattern OPTIONAL as a look-up per row (about 30 µs) and pyoxigraph hands over about "
    "15 µs a row, so they take 0.1–0.3 s per 1,000 rows whatever the plan. Their summaries and pages are the "
    "answers meant for that scale: cascade-summary and uptake-summary (≤ 227 ms), cascade-page and uptake-page "
    "(≤ 293 ms a page as printed), theme-tallies and unit-tallies; the HTTP API caps an answer at 10,000 rows.",
    "- **A drill-down page with map=today** (cascade-page, 559 ms): the province is bound to each unit it stands for "
    "today (a `VALUES` row each), so a merged province reads the cells of two or three provinces of 2024.",
    "- **theme-tallies** (850–950 ms for 1,885 observations): Oxigraph starts from every observation of the year "
    "(all data sets have a ttdn:refYear) and joins the theme observations after: the theme-and-year join alone takes "
    "391 ms, the theme observations alone 6 ms. A sub-SELECT of the theme observations first answers that join in "
    "25 ms, but with the measures and labels added the planner made the whole query slower (892 ms), so it was not "
    "adopted. Virtuoso answers it in 313 ms.",
    "- **compare-themes** (19–23 s; none within 10 s with map=today): one unit's themed tasks of a year are read in "
    "0.11 s, but every way of joining the two sides (a `UNION`, a `VALUES` of sides with a `BIND`, a `FILTER` on "
    "the unit) makes Oxigraph read every themed task of the corpus first (12–34 s; measured on a 10,000-plan store "
    "of this corpus, same queries). "
    "Virtuoso answers it in 0.77 s; theme-tallies gives the same comparison for provinces and a year as look-ups.",
    "- **agency-pairs-within** with map=today (1.4 s): it counts the tasks shared by each pair of agencies of the "
    "units at query time; a merged province has two or three units' pairs.",
    "- **API with the answer cache off** (7 requests/s, 198 of 218 requests answered 503): the requests are each "
    "quick alone (sequentially through the server at this commit: agency-tasks 56 ms, ancestry-up 13 ms, a count of "
    "plans 6 ms; loaded-plans 2.1 s for 8.4 MB), and the count alone is served at ~200 requests/s to 8 clients. "
    "Mixed, they collapse: with 8 clients on agency-tasks and the count, 32 of 33 agency-tasks were stopped at "
    "0.5 s (\"every slot for long-running queries is taken\"). On two cores shared by the load generator, the web "
    "process and four workers, a 50 ms query passes the 0.5 s short-query threshold; passing it takes a long-running "
    "slot and nices the worker, which is then replaced by a fresh process after its answer, and a third such query "
    "is stopped. Without loaded-plans in the mix the figure is the same (7.5 requests/s). The admission rules "
    "(web/worker.py) were designed against floods of slow queries (bench/attack.py, below), not for a machine "
    "where the load generator takes a core: a fixed short-query threshold, worker replacement after niceness, and "
    "one cost per address (all 16 simulated users are 127.0.0.1) are what bound it. Two measurements after this run "
    "(same store): with the threshold at 2 s instead of 0.5 s, the 8-client test answered 245 requests in 10 s "
    "(2 refused) instead of 24 (37 refused); with the threshold counted in the worker's CPU time instead of wall "
    "time, the full mix answered 164 of 4,099 requests, because the per-address rule (a client whose queries ran "
    "long is turned away while the long slots are taken) then refused the rest at once. Neither was adopted: the "
    "admission rules need a design that keeps issue 13's guarantees, not a tuned constant.",
    "- **API with a runaway client** (the others' p99 3.1 s, 2,204 of 2,214 answered 503): the runaway client's "
    "queries were turned away at once (p50 2 ms), but the service keeps one cost per address, and every simulated "
    "user shares 127.0.0.1 with it, so the others were turned away with it. bench/attack.py (below) measures the "
    "same defence with clients on distinct 127.0.0.0/8 addresses.",
    "- **rdflib** is timed up to 1,000 plans: at 10,000 it loaded for 530 s into 13 GB (the previous report) and "
    "most queries did not finish within the budget. An `error` in its column is rdflib's: 7.6 raises "
    "NotBoundError for a GROUP_CONCAT whose variable is unbound in every row of a group; Oxigraph answers the empty "
    "string.",
    "- **External engines** loaded the extraction records over HTTP (Oxigraph server 689 s, Virtuoso 1,312 s; the "
    "embedded row is this run's load from the plan files, extraction included). Virtuoso gave no answer to "
    "cascade-down (103 k rows) within 30 s; the embedded store is slower than Virtuoso on the list queries and "
    "compare-themes, faster on the look-ups (agency-workload, agency-tasks, agency-duties, ancestry-up).",
    "",
]


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    if a.report_only:
        results = json.loads(a.report_only.read_text(encoding="utf-8"))
        if a.engines_from:
            results["engines"] = saved_engines(a.engines_from)
    else:
        results = run_all(a)
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str),
                                        encoding="utf-8")
    md = markdown(results)
    a.md.write_text(md, encoding="utf-8")
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
