"""The same corpus in several stores: load time, size, and the named queries' latency per engine.

    python -m bench.engines --sizes 100,1000 [--engines embedded,oxigraph-server,virtuoso] [--repeat 5]
    from bench.engines import run_engines; run_engines(Path("var/bench-corpus"), [100, 1000])

Engines: `embedded` (pyoxigraph on disk, the default store, as the baseline), `oxigraph-server` (`oxigraph serve
--union-default-graph`, bench/oxigraph_server.sh) and `virtuoso` (Virtuoso Open-Source, bench/virtuoso.sh; skipped
with a reason when virtuoso-t is not installed). Each (engine, size) starts from an empty store in a temporary
folder, on 127.0.0.1 and free ports, and the server is stopped afterwards.

The corpus: bench/corpus.py's generator when present (`generate(n, dir, seed=2019)`; its prefix property makes
the first n plans of the largest size the corpus of size n), else the seed plans of data/plans repeated. Plans are
extracted once into extraction records (JSON), so the load time measured is the store's: graph building, identity
look-ups against the store, writes, and the inference pass; not the parser's.

Query timing: every named query, its main parameters set to values with answers in this corpus (corpus_params;
the defaults name the seed plans' instruments and provinces), the same for every engine. Each query runs in a child
process: one warm-up, then `repeat` timed runs end to end (HTTP and result parsing included for the servers), fewer
once it has used `limit` seconds; p50/p95 in ms by nearest rank. A run that raises, or takes over `limit` seconds
(the child is killed; the servers get the same limit of their own), counts as an error, with the runs left.
`rows` is the warm-up's row count, to compare the engines' answers.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import multiprocessing as mp
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench.api_load import free_port

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
ENGINES = ("embedded", "oxigraph-server", "virtuoso")


# -- corpus ------------------------------------------------------------------------------------------------------
def _generated(n: int, plans_dir: Path) -> tuple[list[Path], str]:
    """n plan files in plans_dir, in corpus order, and where they came from."""
    try:
        from bench.corpus import generate
    except ImportError:
        generate = None
    if generate is not None:
        manifest = plans_dir / "manifest.json"
        if manifest.exists():
            names = json.loads(manifest.read_text(encoding="utf-8"))
        else:
            names = [p.file_name for p in generate(n, plans_dir, seed=2019)]
            manifest.write_text(json.dumps(names), encoding="utf-8")
        return [plans_dir / name for name in names], "bench.corpus.generate(seed=2019)"
    seeds = sorted((ROOT / "data" / "plans").glob("*.txt"))
    plans_dir.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        src = seeds[i % len(seeds)]
        dst = plans_dir / f"{i:05d}_{src.name}"
        if not dst.exists():
            shutil.copyfile(src, dst)
        out.append(dst)
    return out, "data/plans seeds, repeated"


def _extract_one(args: tuple[str, str]) -> tuple[str, str | None]:
    """Worker: plan file → extraction-record JSON file (None when extraction failed)."""
    from ttdn_graph.loader import read_records

    src, dst = args
    try:
        recs = read_records(Path(src))
    except Exception as e:  # noqa: BLE001 - a bad file is counted, not fatal
        return src, f"{type(e).__name__}: {e}"
    data = [r.to_dict() for r in recs]
    Path(dst).write_text(json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False), encoding="utf-8")
    return src, None


def prepare_corpus(corpus_dir: Path, n: int, jobs: int | None = None) -> dict:
    """Generate (or reuse) n plans under corpus_dir and their extraction records; returns paths and timings."""
    corpus_dir = Path(corpus_dir)
    plans, source = _generated(n, corpus_dir / f"plans-{n}")
    rec_dir = corpus_dir / f"records-{n}"
    rec_dir.mkdir(parents=True, exist_ok=True)
    todo = [(str(p), str(rec_dir / (p.stem + ".json"))) for p in plans]
    missing = [t for t in todo if not Path(t[1]).exists()]
    t0 = time.perf_counter()
    failed = []
    if missing:
        with ProcessPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
            for src, err in pool.map(_extract_one, missing, chunksize=16):
                if err:
                    failed.append((src, err))
    records = [Path(d) for _, d in todo if Path(d).exists()]
    return {"source": source, "plans": len(plans), "records": records, "extract_failed": len(failed),
            "extract_seconds": round(time.perf_counter() - t0, 2) if missing else None}


# -- engines -----------------------------------------------------------------------------------------------------
def _script(name: str, *args: str, env: dict | None = None) -> str:
    # the venv's bin first: the oxigraph server binary comes with the dev dependencies, also when the venv's
    # python runs without the venv activated
    path = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
    r = subprocess.run(["bash", str(BENCH / name), *args], capture_output=True, text=True, timeout=180,
                       env={**os.environ, "PATH": path, **(env or {})})
    if r.returncode != 0:
        raise RuntimeError(f"{name} {args[0]}: {r.stderr.strip() or r.stdout.strip()}")
    return r.stdout.strip()


def unavailable(engine: str) -> str | None:
    """Why the engine cannot run here, or None."""
    if engine == "virtuoso" and shutil.which(os.environ.get("VIRTUOSO_T", "virtuoso-t")) is None:
        return ("virtuoso-t is not installed (apt-get install -y --no-install-recommends "
                "virtuoso-opensource-7-bin)")
    if engine == "oxigraph-server":
        local = Path(sys.executable).parent / "oxigraph"
        if not local.exists() and shutil.which("oxigraph") is None:
            return "the oxigraph server binary is not installed (pip install oxigraph)"
    if engine not in ENGINES:
        return f"unknown engine {engine!r}"
    return None


def engine_version(engine: str) -> str:
    with contextlib.suppress(Exception):
        if engine == "embedded":
            import pyoxigraph

            return f"pyoxigraph {pyoxigraph.__version__}"
        if engine == "oxigraph-server":
            local = Path(sys.executable).parent / "oxigraph"
            exe = str(local) if local.exists() else "oxigraph"
            return subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=10).stdout.strip()
        if engine == "virtuoso":
            out = subprocess.run(["virtuoso-t", "-?"], capture_output=True, text=True, timeout=10)
            return "Virtuoso " + (out.stdout + out.stderr).splitlines()[1].split()[1]
    return "?"


def _stop(script: str, workdir: Path) -> None:
    """Stop a benchmark server; a stop that fails is said, not raised: the figures taken are kept."""
    try:
        _script(script, "stop", str(workdir))
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        print(f"bench.engines: {script} stop: {e}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def running(engine: str, workdir: Path, timeout: float = 600.0, query_limit: float = 60.0) -> Iterator:
    """An empty store of `engine` in workdir (servers on free 127.0.0.1 ports, with a query time limit of their
    own so that a query the benchmark gave up on does not run on), stopped on exit."""
    from ttdn_graph.store import open_store

    if engine == "embedded":
        st = open_store(str(workdir / "store"))
        try:
            yield st
        finally:
            st.close()
        return
    if engine == "oxigraph-server":
        port = str(free_port())
        endpoint = _script("oxigraph_server.sh", "start", str(workdir), port,
                           env={"TTDN_OXIGRAPH_TIMEOUT": str(int(query_limit + 1))})
        try:
            st = open_store(endpoint=endpoint, update_endpoint=endpoint[: -len("query")] + "update")
            st.timeout = timeout
            yield st
            st.close()
        finally:
            _stop("oxigraph_server.sh", workdir)
        return
    if engine == "virtuoso":
        http = free_port()
        sql = next(p for p in iter(free_port, None) if p != http)
        endpoint = _script("virtuoso.sh", "start", str(workdir), str(http), str(sql),
                           env={"TTDN_VIRTUOSO_BUFFERS": os.environ.get("TTDN_VIRTUOSO_BUFFERS", "200000"),
                                "TTDN_VIRTUOSO_QUERY_TIMEOUT": str(int(query_limit + 1))})
        try:
            from ttdn_graph.store import RemoteStore

            st = RemoteStore(endpoint, timeout=timeout)
            yield st
            st.close()
        finally:
            _stop("virtuoso.sh", workdir)
        return
    raise ValueError(f"unknown engine {engine!r}")


# -- measuring ---------------------------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return None
    s = sorted(values)
    return s[max(0, math.ceil(q / 100 * len(s)) - 1)]


_PARAM_QUERIES = {  # parameter → a query whose first row's ?v is a value with answers in this corpus
    "instrument": """SELECT ?v (COUNT(DISTINCT ?p) AS ?c) WHERE { ?p ttdn:legalBasis ?i . ?i ttdn:number ?v }
                     GROUP BY ?v ORDER BY DESC(?c) ?v LIMIT 1""",
    "plan": """SELECT ?v (COUNT(DISTINCT ?a) AS ?c) WHERE { ?d ttdn:derivationSource ?p ; ttdn:derivationTarget ?a .
               ?p ttdn:hasTask ?t ; ttdn:number ?v } GROUP BY ?v ORDER BY DESC(?c) ?v LIMIT 1""",
    "unit": """SELECT ?v (COUNT(DISTINCT ?p) AS ?c) WHERE { ?p ttdn:hasTask ?t ; ttdn:jurisdiction ?v }
               GROUP BY ?v ORDER BY DESC(?c) ?v LIMIT 2""",
    # the drill-down pages' province: the one whose cascade cells hold the most tasks
    "province": """SELECT ?v (SUM(?n) AS ?c) WHERE { ?cell ttdn:refDepth ?d ; ttdn:refUnit ?v ; ttdn:taskCount ?n }
                   GROUP BY ?v ORDER BY DESC(?c) ?v LIMIT 1""",
    "year": """SELECT ?v (COUNT(DISTINCT ?p) AS ?c) WHERE { ?p ttdn:hasTask ?t ; ttdn:periodStart ?s }
               GROUP BY (YEAR(?s) AS ?v) ORDER BY DESC(?c) ?v LIMIT 1""",
}


def corpus_params(store) -> dict[str, str]:
    """Values for the named queries' main parameters that have answers in the loaded corpus (their defaults
    name the seed plans' instruments and provinces): the most-cited instrument, the plan with most ancestors,
    the two units with most plans, the province with most tasks in cascades, the commonest plan year."""
    out: dict[str, str] = {}
    prefix = "PREFIX ttdn: <https://w3id.org/ttdn/ontology#>\n"
    for key, q in _PARAM_QUERIES.items():
        try:
            rows = store.query(prefix + q)
        except Exception:  # noqa: BLE001 - a missing value leaves the default
            continue
        vals = [r["v"].value for r in rows if r.get("v")]
        if key == "unit":
            out.update(zip(("jurisdiction", "unitA", "unitB"), [*vals[:1], *vals[:2]], strict=False))
        elif vals:
            out[key] = vals[0]
    return out


def _query_child(conn, target: str, text: str, runs: int, timeout: float) -> None:
    """Child process: open the store (a read-only embedded path, or an endpoint) and run `text` `runs` times,
    sending ("ok", rows, ms) or ("error", message, ms) after each run."""
    from ttdn_graph.store import RemoteStore, open_store

    st = RemoteStore(target, read_only=True, timeout=timeout) if "://" in target else open_store(target, read_only=True)
    for _ in range(runs):
        t0 = time.perf_counter()
        try:
            n = len(st.query(text))
            conn.send(("ok", n, (time.perf_counter() - t0) * 1000))
        except Exception as e:  # noqa: BLE001 - reported to the parent
            conn.send(("error", f"{type(e).__name__}: {e}"[:300], (time.perf_counter() - t0) * 1000))
    conn.close()


def time_query(target: str, text: str, repeat: int, limit: float, budget: float) -> dict:
    """One warm-up and `repeat` timed runs of `text` in a child process. A run that takes over `limit` seconds is
    stopped (the child is killed) and counts, with the runs left, as errors; once the query has used `budget`
    seconds no further runs start (at least one is timed)."""
    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_query_child, args=(send, target, text, repeat + 1, limit + 5), daemon=True)
    proc.start()
    send.close()
    times: list[float] = []
    rows, errors, message = None, 0, None
    started = time.perf_counter()
    try:
        for i in range(repeat + 1):
            if i > 1 and time.perf_counter() - started > budget:
                break
            if not recv.poll(limit):
                errors += repeat + 1 - i
                message = message or f"timeout: no answer within {limit:g} s"
                break
            kind, value, ms = recv.recv()
            if kind == "error":
                errors += 1
                message = message or value
            elif i == 0:
                rows = value
            else:
                times.append(ms)
    except EOFError:
        errors += 1
        message = message or "the query process died"
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(10)
    r = {"p50_ms": _r(percentile(times, 50)), "p95_ms": _r(percentile(times, 95)), "rows": rows,
         "errors": errors, "runs": len(times)}
    if message:
        r["error"] = message
    return r


def time_queries(target: str, repeat: int, params: dict[str, str] | None = None, limit: float = 60.0,
                 budget: float = 60.0) -> dict:
    """Every named query against `target` (an embedded store's folder, closed by the caller, or a query
    endpoint), bound with `params` for the parameters it declares with a default (optional ones stay unset)."""
    from ttdn_graph.queries import load_queries

    out = {}
    for name, q in load_queries().items():
        values = {p.name: params[p.name] for p in q.params if params and p.name in params and p.default is not None}
        r = time_query(target, q.bind(values), repeat, limit, budget)
        if values:
            r["params"] = values
        out[name] = r
    return out


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 1)


def measure(engine: str, records: list[Path], repeat: int, workdir: Path,
            params: dict[str, str] | None = None, limit: float = 60.0, queries: bool = True) -> dict:
    """Load `records` into a fresh `engine` and time the named queries. `params`: as corpus_params (derived from
    this store when None; the figures say which were used)."""
    from ttdn_graph.loader import load_paths
    from ttdn_graph.store import RemoteStore, StoreError

    with running(engine, workdir, query_limit=limit) as st:
        summary = load_paths(records, st, progress=False)
        try:  # a count past the server's time limit is reported; the queries are still timed
            triples, count_error = st.count_triples(), None
        except StoreError as e:
            triples, count_error = None, str(e)[:300]
        if params is None:
            params = corpus_params(st)
        target = st.endpoint if isinstance(st, RemoteStore) else st.path
        if not isinstance(st, RemoteStore):
            st.close()  # the query processes open it read-only
        timed = time_queries(target, repeat, params, limit=limit, budget=limit) if queries else {}
    return {
        "documents": len(summary.loaded),
        "failed": len(summary.failed),
        "load_seconds": round(summary.seconds, 2),
        "plans_per_s": round(len(summary.loaded) / summary.seconds, 1) if summary.seconds else None,
        "inference_seconds": round(summary.inference.seconds, 2) if summary.inference else None,
        "triples": triples,
        "query_runs": repeat,
        "query_limit_s": limit,
        "params": params,
        "queries": timed,
        "count_error": count_error,
        "errors": sum(q["errors"] for q in timed.values()) + len(summary.failed) + (count_error is not None),
        "first_failure": summary.failed[0][2][:300] if summary.failed else None,
    }


def run_engines(corpus_dir: Path, sizes: list[int], engines: tuple[str, ...] | list[str] = ENGINES,
                repeat: int = 5, jobs: int | None = None, progress: bool = True, limit: float = 60.0,
                queries: bool = True, params: dict[int, dict[str, str]] | None = None) -> dict:
    """Load the corpus at each size into each engine and time the named queries.

    Returns {"corpus": {...}, "machine": {...}, "engines": {engine: {"version": str, "skipped": reason | absent,
    "sizes": {str(n): {documents, failed, load_seconds, plans_per_s, inference_seconds, triples, query_runs,
    params, queries: {name: {p50_ms, p95_ms, rows, errors[, params][, error]}}, errors}}}}}."""
    sizes = sorted(set(sizes))
    corpus_dir = Path(corpus_dir)
    corpus = prepare_corpus(corpus_dir, max(sizes), jobs)
    result: dict = {
        "corpus": {"source": corpus["source"], "dir": str(corpus_dir), "plans": corpus["plans"],
                   "extract_failed": corpus["extract_failed"], "extract_seconds": corpus["extract_seconds"]},
        "machine": {"cores": os.cpu_count(), "platform": platform.platform(), "python": sys.version.split()[0]},
        "engines": {},
    }
    records = corpus["records"]
    # per size, from the first engine that loads it (or given: another run's), for all of them
    params = dict(params or {})
    for engine in engines:
        entry: dict = {"version": engine_version(engine), "sizes": {}}
        result["engines"][engine] = entry
        reason = unavailable(engine)
        if reason:
            entry["skipped"] = reason
            _say(progress, f"{engine}: skipped ({reason})")
            continue
        for n in sizes:
            with tempfile.TemporaryDirectory(prefix=f"ttdn-bench-{engine}-") as tmp:
                _say(progress, f"{engine}: loading {min(n, len(records))} plans …")
                try:
                    m = measure(engine, records[:n], repeat, Path(tmp), params.get(n), limit, queries)
                except Exception as e:  # noqa: BLE001 - one engine failing must not lose the others' figures
                    entry["sizes"][str(n)] = {"error": f"{type(e).__name__}: {e}"[:500], "errors": 1,
                                              "trace": traceback.format_exc()[-3000:]}
                    _say(progress, f"{engine} n={n}: FAILED {e}")
                    continue
                entry["sizes"][str(n)] = m
                params.setdefault(n, m["params"])
                _say(progress, f"{engine} n={n}: load {m['load_seconds']} s ({m['plans_per_s']} plans/s), "
                               f"{m['triples']} triples, {m['errors']} errors")
    return result


def markdown(result: dict) -> str:
    """The figures as Markdown tables: loading, then query p50/p95 per engine and size."""
    engines = result["engines"]
    lines = [f"Corpus: {result['corpus']['source']}. Machine: {result['machine']['platform']}, "
             f"{result['machine']['cores']} cores.", "",
             "| engine | version | plans | load s | plans/s | inference s | triples | errors |",
             "|---|---|---|---|---|---|---|---|"]
    cols = []
    for eng, e in engines.items():
        if e.get("skipped"):
            lines.append(f"| {eng} | – | skipped: {e['skipped']} | | | | | |")
            continue
        for n, m in e["sizes"].items():
            if "error" in m:
                lines.append(f"| {eng} | {e['version']} | {n} | failed: {m['error'][:80]} | | | | 1 |")
                continue
            lines.append(f"| {eng} | {e['version']} | {m['documents']} | {m['load_seconds']} | {m['plans_per_s']} | "
                         f"{m['inference_seconds']} | {m['triples']} | {m['errors']} |")
            cols.append((eng, n, m["queries"]))
    if cols:
        names = sorted({q for _, _, qs in cols for q in qs})
        lines += ["", "Named queries (parameters from the corpus, see params): p50 / p95 ms (rows; errors marked ✗).",
                  "",
                  "| query | " + " | ".join(f"{e} {n}" for e, n, _ in cols) + " |",
                  "|---|" + "---|" * len(cols)]
        # embedded ÷ each other engine at the same size, per query (p50 over p50; < 1: the embedded store is faster)
        by = {(e, n): qs for e, n, qs in cols}
        emb = {n: qs for e, n, qs in cols if e == "embedded"}
        ratios = [(e, n) for e, n, _ in cols if e != "embedded" and n in emb]
        lines[-2] += "".join(f" embedded ÷ {e} {n} |" for e, n in ratios)
        lines[-1] += "---|" * len(ratios)
        for q in names:
            cells = []
            for _, _, qs in cols:
                r = qs.get(q)
                if r is None:
                    cells.append("")
                elif r["errors"] and r["p50_ms"] is None:
                    cells.append("✗")
                else:
                    cells.append(f"{r['p50_ms']} / {r['p95_ms']} ({r['rows']})" + (" ✗" if r["errors"] else ""))
            for e, n in ratios:
                r = by[(e, n)].get(q) or {}
                cells.append(ratio_cell((emb[n].get(q) or {}).get("p50_ms"), r.get("p50_ms"), limit_of(result, e, n)))
            lines.append(f"| {q} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def limit_of(result: dict, engine: str, n: str) -> float | None:
    return result["engines"].get(engine, {}).get("sizes", {}).get(n, {}).get("query_limit_s")


def ratio_cell(embedded_ms: float | None, other_ms: float | None, limit_s: float | None) -> str:
    """embedded ÷ other as a number; a side with no answer within the limit makes it a bound (≤ or ≥)."""
    if embedded_ms and other_ms:
        return f"{embedded_ms / other_ms:.2f}"
    if embedded_ms and limit_s:  # the other engine gave no answer within its limit
        return f"≤ {embedded_ms / (limit_s * 1000):.3f}"
    if other_ms and limit_s:
        return f"≥ {limit_s * 1000 / other_ms:.1f}"
    return "–"


def _say(on: bool, msg: str) -> None:
    if on:
        print(msg, file=sys.stderr, flush=True)


def saved_params(path: Path) -> dict[int, dict[str, str]]:
    """The query parameters per size of a saved run (the first engine's that has them)."""
    out: dict[int, dict[str, str]] = {}
    for entry in json.loads(path.read_text(encoding="utf-8"))["engines"].values():
        for n, m in entry.get("sizes", {}).items():
            if m.get("params"):
                out.setdefault(int(n), m["params"])
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100,1000", help="comma-separated corpus sizes (plans)")
    ap.add_argument("--engines", default=",".join(ENGINES), help=f"comma-separated, of {', '.join(ENGINES)}")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per query (after one warm-up)")
    ap.add_argument("--corpus-dir", default=str(ROOT / "var" / "bench-corpus"), help="generated plans and records")
    ap.add_argument("--out", default=str(BENCH / "out" / "engines.json"), help="results JSON (and .md beside it)")
    ap.add_argument("--jobs", type=int, default=None, help="extraction processes (default: all cores)")
    ap.add_argument("--limit", type=float, default=60.0, help="seconds a query run may take (and per query in all)")
    ap.add_argument("--load-only", action="store_true", help="load and count, no query timings")
    ap.add_argument("--params-from", default=None, help="a saved run's JSON: time the queries with its parameters "
                    "(to compare with it an engine run on its own)")
    a = ap.parse_args(argv)
    sizes = [int(s) for s in a.sizes.split(",") if s.strip()]
    engines = [e.strip() for e in a.engines.split(",") if e.strip()]
    result = run_engines(Path(a.corpus_dir), sizes, engines, repeat=a.repeat, jobs=a.jobs, limit=a.limit,
                         queries=not a.load_only, params=saved_params(Path(a.params_from)) if a.params_from else None)
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    md = markdown(result)
    out.with_suffix(".md").write_text(md, encoding="utf-8")
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
