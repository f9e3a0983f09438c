"""API under load: the FastAPI app on 127.0.0.1 over a loaded store, driven by locust (headless, as a library).

The server runs as `uvicorn --factory ttdn_graph.web.app:create_app` in a child process bound to 127.0.0.1 on a free port;
the load generator runs in another child (locust monkey-patches the process with gevent, so it gets one of its
own): `clients` users with no think time, for `seconds`, on a fixed mix of named queries (with parameters drawn
from the data) and raw SPARQL. Both children are stopped at the end whatever happens; the request loop is bounded
in time.

With `runaway=True` one more client (not counted in `clients`) sends, back to back, a query that never ends on
its own (a new text each time, so no answer is ever cached): the figures of the other clients' requests then say
whether a runaway query lifts their latency (the aim: their p99 ≤ 1 s).

    python -m bench.api_load STORE_DIR [--seconds 30] [--clients 16] [--cache-mb 0] [--runaway]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
TTDN = "https://w3id.org/ttdn/ontology#"
# a query no store answers in time (four-way cross product of every triple); `{}` makes each text new
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }} # runaway {}"
RUNAWAY_NAME = "runaway query (one client)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def request_mix(store_dir: Path) -> list[dict]:
    """(name, weight, path, params) of the requests the users draw from: cheap, typical look-ups."""
    from bench.queries import data_params
    from ttdn_graph.store import EmbeddedStore

    store = EmbeddedStore(store_dir, read_only=True)
    try:
        drawn = data_params(store)
        plans = [r["p"].value for r in store.query(
            f"SELECT ?p WHERE {{ ?p a <{TTDN}Plan> ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?g }}"
            " ORDER BY ?p LIMIT 1")]
    finally:
        store.close()
    fmt = {"format": "json"}
    mix = [
        {"name": "named agency-tasks", "weight": 3, "path": "/queries/agency-tasks",
         "params": {**fmt, **drawn.get("agency-tasks", {})}},
        {"name": "named ancestry-up", "weight": 2, "path": "/queries/ancestry-up",
         "params": {**fmt, **drawn.get("ancestry-up", {})}},
        {"name": "named loaded-plans", "weight": 1, "path": "/queries/loaded-plans", "params": fmt},
        {"name": "sparql count plans", "weight": 3, "path": "/sparql", "params": {
            "query": f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a <{TTDN}Plan> }}", **fmt}},
        {"name": "sparql plans page", "weight": 3, "path": "/sparql", "params": {
            "query": f"SELECT ?p ?t WHERE {{ ?p a <{TTDN}Plan> ; <{TTDN}title> ?t }} LIMIT 20", **fmt}},
    ]
    if plans:
        mix.append({"name": "sparql describe plan", "weight": 2, "path": "/sparql",
                    "params": {"query": f"SELECT ?p ?o WHERE {{ <{plans[0]}> ?p ?o }} LIMIT 200", **fmt}})
    return mix


def _wait_ready(url: str, proc: subprocess.Popen, timeout: float) -> None:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server not ready after {timeout:.0f} s")


def run(store_dir: Path, *, seconds: float = 30.0, clients: int = 16, workers: int = 3,
        startup_timeout: float = 90.0, cache_mb: float = 64.0, runaway: bool = False) -> dict:
    """Start the server, run the load, stop both; figures as a dict. `cache_mb` 0: every request is evaluated.

    The simulated users all come from 127.0.0.1, so the per-address limit (ttdn_graph/web/admission.py) is off here: this
    measures throughput; fairness under a flood is bench/attack.py's."""
    mix = request_mix(store_dir)
    port = free_port()
    base = f"http://{HOST}:{port}"
    env = {**os.environ, "TTDN_STORE": str(store_dir),
           "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    with tempfile.TemporaryDirectory(prefix="ttdn-bench-api-") as work:
        spec = Path(work) / "spec.json"
        out = Path(work) / "out.json"
        log = open(Path(work) / "server.log", "w", encoding="utf-8")  # noqa: SIM115 - closed below
        server = subprocess.Popen(
            [sys.executable, "-c", "import uvicorn, ttdn_graph.web.app as a; uvicorn.run(a.create_app(workers="
             f"{workers}, result_cache_mb={cache_mb!r}, per_client=0), host={HOST!r}, port={port}, log_level='warning')"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_ready(base + "/queries?format=json", server, startup_timeout)
            spec.write_text(json.dumps({"host": base, "mix": mix, "seconds": seconds, "clients": clients,
                                        "runaway": runaway}),
                            encoding="utf-8")
            load = subprocess.run([sys.executable, "-m", "bench.api_load", "--locust-child", str(spec), str(out)],
                                  cwd=ROOT, env=env, capture_output=True, text=True, timeout=seconds + 120)
            if load.returncode != 0 or not out.exists():
                return {"error": f"load generator exited {load.returncode}: {load.stderr.strip()[-600:]}"}
            res = json.loads(out.read_text(encoding="utf-8"))
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            log.close()
    res.update({"clients": clients, "seconds": seconds, "server_workers": workers, "host": HOST,
                "result_cache_mb": cache_mb, "runaway": runaway,
                "generator": "locust (FastHttpUser, headless, no wait time)"})
    return res


def _locust_child(spec_file: Path, out_file: Path) -> int:
    """Run locust in this process (gevent-patched) and write its statistics."""
    import gevent
    from locust import FastHttpUser, constant, task
    from locust.env import Environment

    spec = json.loads(spec_file.read_text(encoding="utf-8"))
    mix = spec["mix"]
    weights = [m["weight"] for m in mix]
    import random

    rng = random.Random(2019)

    class Client(FastHttpUser):
        host = spec["host"]
        wait_time = constant(0)

        @task
        def one(self) -> None:
            m = rng.choices(mix, weights)[0]
            with self.client.get(m["path"], params=m["params"], name=m["name"], catch_response=True) as r:
                if r.status_code != 200:
                    r.failure(f"HTTP {r.status_code}")

    class Runaway(FastHttpUser):
        host = spec["host"]
        wait_time = constant(0)
        fixed_count = 1
        sent = 0

        @task
        def one(self) -> None:
            Runaway.sent += 1
            with self.client.get("/sparql", params={"query": RUNAWAY.format(Runaway.sent), "format": "json"},
                                 name=RUNAWAY_NAME, catch_response=True) as r:
                r.success()  # its end (time limit, 503, 429) is the point, not a failure of the service

    users = [Client, Runaway] if spec.get("runaway") else [Client]
    env = Environment(user_classes=users)
    runner = env.create_local_runner()
    t0 = time.monotonic()
    runner.start(spec["clients"] + (1 if spec.get("runaway") else 0), spawn_rate=spec["clients"] + 1)
    gevent.spawn_later(spec["seconds"], runner.quit)
    runner.greenlet.join()
    elapsed = time.monotonic() - t0

    def figures(s) -> dict:
        return {"requests": s.num_requests, "failures": s.num_failures,
                "p50_ms": s.get_response_time_percentile(0.5), "p99_ms": s.get_response_time_percentile(0.99),
                "avg_ms": round(s.avg_response_time, 1)}

    # the other clients' requests together (without the runaway client's)
    from locust.stats import StatsEntry

    others = StatsEntry(env.stats, "others", "")
    for (name, _method), s in env.stats.entries.items():
        if name != RUNAWAY_NAME:
            others.extend(s)
    out = {"elapsed_seconds": round(elapsed, 1), **figures(others),
           "requests_per_s": round(others.num_requests / elapsed, 1) if elapsed else None,
           "errors": others.num_failures,
           "by_request": {name: figures(s) for (name, _method), s in sorted(env.stats.entries.items())},
           "error_kinds": [f"{e.name}: {e.error} ×{e.occurrences}" for e in env.stats.errors.values()][:10]}
    out_file.write_text(json.dumps(out), encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path, nargs="?")
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--cache-mb", type=float, default=64.0, help="the server's answer cache (0: off)")
    ap.add_argument("--runaway", action="store_true", help="one more client sending a never-ending query")
    ap.add_argument("--locust-child", nargs=2, metavar=("SPEC", "OUT"), help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.locust_child:
        return _locust_child(*map(Path, a.locust_child))
    if a.store is None:
        ap.error("give the store folder")
    print(json.dumps(run(a.store, seconds=a.seconds, clients=a.clients, cache_mb=a.cache_mb,
                                runaway=a.runaway), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
