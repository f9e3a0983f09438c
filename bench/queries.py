"""Named-query latency: every queries/*.rq on the embedded store and, same data, on rdflib's in-memory store.

Each query runs with its default parameters and, where it takes any, with parameters drawn from the data (the
most-derived-from instrument for the cascade, the plan with the longest ancestry, the province with most plans,
the commonest year and theme). Latency is the time to evaluate the query and iterate every row, on pyoxigraph
(`use_default_graph_as_union=True`, as the store serves it) and on an rdflib Dataset loaded from the store's
N-Quads export (`default_union=True`). rdflib runs in a child process (its memory is its own) and each of its
queries under a time budget: a query still running at the budget is stopped (SIGALRM: rdflib is pure Python)
and reported as "> budget".

    python -m bench.queries STORE_DIR [--repeats 20] [--budget 10]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TTDN = "https://w3id.org/ttdn/ontology#"
PROV = "http://www.w3.org/ns/prov#"
QB = "http://purl.org/linked-data/cube#"
TALLY = "https://w3id.org/ttdn/vocab/tally/"  # the data sets of the load-time tallies (ttdn_graph.store.cube)


@dataclass
class Case:
    query: str  # named query
    label: str  # "default", "data" or "today" (the data's units on today's map: map=today)
    params: dict[str, str]
    sparql: str = ""


@dataclass
class Timing:
    runs: int = 0
    rows: int | None = None
    p50_ms: float | None = None
    p95_ms: float | None = None
    over_budget: bool = False
    error: str | None = None
    samples_ms: list[float] = field(default_factory=list)


def percentile(xs: list[float], q: float) -> float:
    """Nearest-rank percentile (with few samples p95 is the slowest run, which is what it should say)."""
    s = sorted(xs)
    k = max(0, min(len(s) - 1, int(round(q * len(s) + 0.5)) - 1))
    return s[k]


def summarise(t: Timing) -> Timing:
    if t.samples_ms:
        t.p50_ms = round(statistics.median(t.samples_ms), 2)
        t.p95_ms = round(percentile(t.samples_ms, 0.95), 2)
    return t


# -- parameters drawn from the data -----------------------------------------------------------------------------
def _one(store, sparql: str) -> dict[str, str] | None:
    rows = [r for r in store.query(sparql) if len(r) > 1]  # an empty aggregate still gives a row (a count of 0)
    return {k: v.value for k, v in rows[0].items()} if rows else None


def data_params(store) -> dict[str, dict[str, str]]:
    """Realistic parameter values for each named query that takes any, read from the store."""
    found: dict[str, str] = {}
    r = _one(store, f"""SELECT ?t (COUNT(?d) AS ?c) WHERE {{ ?d <{TTDN}derivationTarget> ?t }}
  GROUP BY ?t ORDER BY DESC(?c) ?t LIMIT 1""")
    if r:
        num = _one(store, f"SELECT ?t ?n WHERE {{ VALUES ?t {{ <{r['t']}> }} ?t <{TTDN}number> ?n }} LIMIT 1")
        found["instrument"] = num["n"] if num else r["t"]
        found["root"] = r["t"]
    r = _one(store, f"""SELECT ?p (COUNT(?d) AS ?c) WHERE {{
  ?d <{TTDN}derivationSource> ?p . FILTER EXISTS {{ ?p a <{TTDN}Plan> }} }} GROUP BY ?p ORDER BY DESC(?c) ?p LIMIT 1""")
    if r:
        found["plan"] = r["p"]
    units = store.query(f"""SELECT ?u (COUNT(DISTINCT ?p) AS ?c) WHERE {{
  ?p a <{TTDN}Plan> ; <{PROV}wasDerivedFrom> ?source ; <{TTDN}jurisdiction> ?j .
  OPTIONAL {{ ?j <{TTDN}within> ?up . ?up a <{TTDN}Province> }}
  BIND(COALESCE(?up, ?j) AS ?u)
  FILTER EXISTS {{ ?u a <{TTDN}Province> }} }} GROUP BY ?u ORDER BY DESC(?c) ?u LIMIT 2""")
    provinces = [x["u"].value for x in units if "u" in x]
    r = _one(store, f"""SELECT ?y (COUNT(DISTINCT ?p) AS ?c) WHERE {{
  ?p a <{TTDN}Plan> ; <{PROV}wasDerivedFrom> ?source ; <{TTDN}periodStart> ?s BIND(YEAR(?s) AS ?y) }}
  GROUP BY ?y ORDER BY DESC(?c) ?y LIMIT 1""")
    year = r["y"] if r else None
    r = _one(store, f"""SELECT ?t (COUNT(?x) AS ?c) WHERE {{ ?x <{TTDN}theme> ?t }}
  GROUP BY ?t ORDER BY DESC(?c) ?t LIMIT 1""")
    theme = r["t"] if r else None
    out: dict[str, dict[str, str]] = {}

    def put(q: str, **kw: str | None) -> None:
        vals = {k: v for k, v in kw.items() if v}
        if vals:
            out[q] = vals

    put("cascade-down", instrument=found.get("instrument"))
    put("directive-uptake", instrument=found.get("instrument"))
    # the summaries of the most derived-from instrument, and a drill-down page into its busiest province
    put("cascade-summary", instrument=found.get("instrument"))
    put("uptake-summary", instrument=found.get("instrument"))
    for name, data_set in (("cascade-page", "cascade"), ("uptake-page", "uptake")):
        busiest = _one(store, f"""SELECT ?u (SUM(?n) AS ?c) WHERE {{
  ?cell <{TTDN}refInstrument> <{found["root"]}> ; <{QB}dataSet> ?ds ; <{TTDN}refUnit> ?u ; <{TTDN}taskCount> ?n
  FILTER(?ds = <{TALLY}{data_set}>) }} GROUP BY ?u ORDER BY DESC(?c) ?u LIMIT 1""") if "root" in found else None
        if busiest and busiest.get("u"):
            put(name, instrument=found.get("instrument"), province=busiest["u"])
    put("ancestry-up", plan=found.get("plan"))
    if provinces:
        put("agency-tasks", jurisdiction=provinces[0])
        put("agency-duties", jurisdiction=provinces[0])
        put("agency-workload", jurisdiction=provinces[0])
        put("agency-pairs-within", jurisdiction=provinces[0])
    if len(provinces) >= 2:
        put("compare-themes", unitA=provinces[0], unitB=provinces[1], year=year)
    put("tasks-by-agency-type", year=year)
    put("tasks-by-theme", theme=theme, year=year)
    put("theme-tallies", year=year)
    if provinces:
        put("unit-tallies", unit=provinces[0])
    put("tasks-in-quarter", year=year)
    put("loaded-plans", year=year)
    put("most-cited", instrumentType="ct")
    return out


def _last_key(store, q, values: dict[str, str]) -> str | None:
    keys = [r["key"].value for r in store.query(q.bind(values)) if r.get("key") is not None]
    return keys[-1] if keys else None


def cases(store, names: list[str] | None = None) -> list[Case]:
    from ttdn_graph.queries import load_queries
    from ttdn_graph.todays_map import expander

    qs = load_queries()
    drawn = data_params(store)
    out = []
    for name, q in qs.items():
        if names and name not in names:
            continue
        out.append(Case(name, "default", {}, q.bind({})))
        if name in drawn:
            out.append(Case(name, "data", drawn[name], q.bind(drawn[name])))
            after = _last_key(store, q, drawn[name]) if any(p.name == "after" for p in q.params) else None
            if after:  # a drill-down's next page: `after` = the first page's last ?key
                nxt = {**drawn[name], "after": after}
                out.append(Case(name, "data, next page", nxt, q.bind(nxt)))
            if q.unit_params:  # the same units read on today's map (their merged provinces' plans too)
                today = {**drawn[name], "map": "today"}
                out.append(Case(name, "today", today, q.bind(today, units=expander(store))))
    return out


# -- timing ------------------------------------------------------------------------------------------------------
def _time_cases(run_one, cs: list[Case], repeats: int, budget: float) -> list[Timing]:
    """Run each case: once to warm up (and count rows), then until `repeats` runs or `budget` seconds."""
    out = []
    for c in cs:
        t = Timing()
        try:
            t0 = time.perf_counter()
            t.rows = run_one(c.sparql, budget)
            first = time.perf_counter() - t0
            spent = first
            while t.runs < repeats and spent < budget:
                t0 = time.perf_counter()
                run_one(c.sparql, budget)
                dt = time.perf_counter() - t0
                t.samples_ms.append(dt * 1000)
                t.runs += 1
                spent += dt
            if not t.samples_ms:
                t.samples_ms, t.runs = [first * 1000], 1
        except TimeoutError:
            t.over_budget = True
        except Exception as e:  # noqa: BLE001 - a failing query is reported, not fatal
            t.error = f"{type(e).__name__}: {e}"[:300]
        out.append(summarise(t))
    return out


def embedded_timings(store_dir: Path, cs: list[Case], repeats: int, budget: float) -> list[Timing]:
    """Time the cases on pyoxigraph in a child process, one result line per case. A pyoxigraph query cannot be
    interrupted, so a case still running after `budget` (plus start-up slack) is stopped by ending the child; it
    is reported as over budget and the child is started again for the remaining cases."""
    out: list[Timing] = []
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    while len(out) < len(cs):
        with tempfile.TemporaryDirectory(prefix="ttdn-bench-emb-") as work:
            spec = Path(work) / "cases.json"
            rest = cs[len(out):]
            spec.write_text(json.dumps({"cases": [asdict(c) for c in rest], "repeats": repeats, "budget": budget}),
                            encoding="utf-8")
            proc = subprocess.Popen([sys.executable, "-m", "bench.queries", "--embedded-child", str(store_dir),
                                     str(spec)], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
            assert proc.stdout is not None
            import selectors

            sel = selectors.DefaultSelector()
            sel.register(proc.stdout, selectors.EVENT_READ)
            done_before = len(out)
            deadline = time.monotonic() + budget * 3 + 5
            while len(out) - done_before < len(rest):
                if not sel.select(timeout=max(0.0, deadline - time.monotonic())):
                    proc.kill()
                    out.append(Timing(over_budget=True))
                    break
                line = proc.stdout.readline()
                if not line:  # the child died
                    proc.wait()
                    out.append(Timing(error=f"query process exited {proc.returncode}"))
                    break
                out.append(Timing(**json.loads(line)))
                deadline = time.monotonic() + budget * 3 + 5
            proc.kill()
            proc.wait()
            sel.close()
    return out


def _embedded_child(store_dir: Path, spec_file: Path) -> int:
    from ttdn_graph.store import EmbeddedStore

    spec = json.loads(spec_file.read_text(encoding="utf-8"))
    store = EmbeddedStore(store_dir, read_only=True)

    def run_one(sparql: str, _budget: float) -> int:
        return sum(1 for _ in store._execute(sparql))

    for c in spec["cases"]:
        (t,) = _time_cases(run_one, [Case(**c)], spec["repeats"], spec["budget"])
        print(json.dumps(asdict(t)), flush=True)
    store.close()
    return 0


def rdflib_timings(store_dir: Path, cs: list[Case], repeats: int, budget: float, load_budget: float,
                   work: Path) -> dict:
    """Export the store as N-Quads and time the cases on rdflib in a child process."""
    from ttdn_graph.store import EmbeddedStore

    nq = work / "export.nq"
    store = EmbeddedStore(store_dir, read_only=True)
    try:
        store.export("nq", nq)
    finally:
        store.close()
    spec = work / "cases.json"
    spec.write_text(json.dumps({"cases": [asdict(c) for c in cs], "repeats": repeats, "budget": budget}),
                    encoding="utf-8")
    out = work / "rdflib.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    limit = load_budget + len(cs) * (budget + 5) + 60
    try:
        proc = subprocess.run([sys.executable, "-m", "bench.queries", "--rdflib-child", str(nq), str(spec), str(out),
                               "--load-budget", str(load_budget)], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        return {"error": f"rdflib child ran over {limit:.0f} s"}
    finally:
        nq.unlink(missing_ok=True)
    if proc.returncode != 0 or not out.exists():
        return {"error": f"rdflib child exited {proc.returncode}: {proc.stderr.strip()[-600:]}"}
    return json.loads(out.read_text(encoding="utf-8"))


class _Alarm:
    """Raise TimeoutError in this (main) thread after `seconds`; rdflib's evaluation is Python, so it stops."""

    def __init__(self, seconds: float):
        self.seconds = seconds

    def __enter__(self) -> None:
        def fire(*_: object) -> None:
            raise TimeoutError

        self.old = signal.signal(signal.SIGALRM, fire)
        signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc: object) -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self.old)


def _rdflib_child(nq: Path, spec_file: Path, out_file: Path, load_budget: float) -> int:
    import rdflib

    spec = json.loads(spec_file.read_text(encoding="utf-8"))
    cs = [Case(**c) for c in spec["cases"]]
    res: dict = {"rdflib": rdflib.__version__}
    t0 = time.perf_counter()
    ds = rdflib.Dataset(default_union=True)
    try:
        with _Alarm(load_budget):
            ds.parse(str(nq), format="nquads")
    except TimeoutError:
        res["error"] = f"loading the N-Quads export took more than the {load_budget:.0f} s budget"
        res["load_seconds"] = None
        out_file.write_text(json.dumps(res), encoding="utf-8")
        return 0
    res["load_seconds"] = round(time.perf_counter() - t0, 2)
    res["quads"] = len(ds)
    res["rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)

    def run_one(sparql: str, budget: float) -> int:
        with _Alarm(budget):
            return sum(1 for _ in ds.query(sparql))

    res["timings"] = [asdict(t) for t in _time_cases(run_one, cs, spec["repeats"], spec["budget"])]
    out_file.write_text(json.dumps(res), encoding="utf-8")
    return 0


# -- both, side by side ------------------------------------------------------------------------------------------
def run(store_dir: Path, *, repeats: int = 20, budget: float = 10.0, rdflib: bool = True,
        load_budget: float = 1800.0, names: list[str] | None = None) -> dict:
    """Per case: rows, embedded p50/p95, rdflib p50/p95 (or over budget) and the rdflib/embedded ratio."""
    from ttdn_graph.store import EmbeddedStore

    store = EmbeddedStore(store_dir, read_only=True)
    try:
        cs = cases(store, names)
    finally:
        store.close()
    emb = embedded_timings(store_dir, cs, repeats, budget)
    res: dict = {"repeats": repeats, "budget_seconds": budget}
    rdf: dict = {}
    if rdflib:
        with tempfile.TemporaryDirectory(prefix="ttdn-bench-rdflib-") as work:
            rdf = rdflib_timings(store_dir, cs, min(repeats, max(3, repeats // 4)), budget, load_budget, Path(work))
        res["rdflib"] = {k: v for k, v in rdf.items() if k != "timings"}
    rdf_t = [Timing(**t) for t in rdf.get("timings", [])] or [None] * len(cs)
    rows = []
    for c, e, r in zip(cs, emb, rdf_t, strict=True):
        row = {"query": c.query, "params": c.label, "values": c.params, "rows": e.rows, "runs": e.runs,
               "p50_ms": e.p50_ms, "p95_ms": e.p95_ms, "error": e.error, "over_budget": e.over_budget}
        if r is not None:
            row["rdflib"] = {"rows": r.rows, "runs": r.runs, "p50_ms": r.p50_ms, "p95_ms": r.p95_ms,
                             "over_budget": r.over_budget, "error": r.error}
            if r.p50_ms and e.p50_ms:
                row["ratio"] = round(r.p50_ms / e.p50_ms, 1)
            elif r.over_budget and e.p50_ms:
                row["ratio_at_least"] = round(budget * 1000 / e.p50_ms, 1)
        rows.append(row)
    res["cases"] = rows
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path, nargs="?")
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--budget", type=float, default=10.0, help="seconds per query (rdflib: then '> budget')")
    ap.add_argument("--no-rdflib", action="store_true")
    ap.add_argument("--rdflib-child", nargs=3, metavar=("NQ", "SPEC", "OUT"), help=argparse.SUPPRESS)
    ap.add_argument("--embedded-child", nargs=2, metavar=("STORE", "SPEC"), help=argparse.SUPPRESS)
    ap.add_argument("--load-budget", type=float, default=1800.0)
    a = ap.parse_args(argv)
    if a.rdflib_child:
        return _rdflib_child(*map(Path, a.rdflib_child), a.load_budget)
    if a.embedded_child:
        return _embedded_child(*map(Path, a.embedded_child))
    if a.store is None:
        ap.error("give the store folder")
    print(json.dumps(run(a.store, repeats=a.repeats, budget=a.budget, rdflib=not a.no_rdflib,
                         load_budget=a.load_budget), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
