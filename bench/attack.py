"""The security pass of issue 13, reproducible: the served seeds store under hostile traffic, 127.0.0.1 only.

`ttdn serve` runs in a child process with its defaults (3 workers, 10 s, 10,000 rows, 16 MB answers, 384 MB per
worker) on a free port of 127.0.0.1; every request loop here is bounded in count and time, and the only SERVICE
target is a listener this script starts on 127.0.0.1. Measured:

- egress: every SERVICE shape × GET / POST form / POST query → connections seen by the listener (aim: 0);
- scanner flood: 40 × 100 KB hostile queries at once from 40 addresses, three rounds, while a probe asks a cheap
  query (a new text each time, so never a cached answer) every 50 ms → probe p99;
- slow flood: 100 clients looping for 15 s on queries that never end, from one other address, from 100 addresses,
  and from the probe's own address → probe p99, and how every slow request ended (429 / 503 / time limit);
- memory: a cross product sorted, three at once, and a one-row GROUP_CONCAT of everything → the server's process
  tree peak RSS (sampled every 50 ms through the whole run; aim under 1.5 GB) and the largest body (≤ the byte cap);
- malformed IRIs on pages and views → every status (aim: all 4xx).

    python -m bench.attack [--store DIR] [--out docs/benchmarks/attack.json]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from bench.listener import Listener

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
OTHER = "127.0.0.2"  # the flood's own loopback address
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }} # {}"
HOG = "SELECT * WHERE {{ ?a ?b ?c . ?d ?e ?f }} ORDER BY ?c ?f # {}"
# blank nodes (the ontology's class expressions) are left out: STR() of one is an error that unbinds the aggregate
CONCAT = ("SELECT (GROUP_CONCAT(CONCAT(STR(?a), STR(?b), STR(?c))) AS ?x) WHERE {{ ?a ?b ?c . ?d ?e ?f "
          "FILTER(!isBlank(?a) && !isBlank(?c)) }} # {}")
MALFORMED = ["/resource?iri=http://x/%0Bz", "/id/%FF%FE", "/views/cascade?instrument=http://x/%0Ay",
             "/resource?iri=%00", "/views/agencies?plan=%C0%AF", "/id/a%00b", "/resource?iri=http://x/%ZZ",
             "/views/cascade?plan=" + "a" * 5000, "/search?q=%FF", "/queries/agency-tasks?agency=%0A"]


def service_shapes(port: int) -> list[str]:
    """SERVICE in every position and spelling the engine accepts, aimed at 127.0.0.1:port."""
    base = f"http://{HOST}:{port}/"
    pre = f"PREFIX ex: <{base}> PREFIX : <{base}> "
    t = "{ ?x ?p ?o }"
    return [
        f"SELECT * WHERE {{ SERVICE <{base}s> {t} }}",
        f"select * where {{ service <{base}s> {t} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{base}s> {t} }} }} }}",
        f"SELECT * WHERE {{ ?a ?b ?c FILTER EXISTS {{ SERVICE <{base}s> {t} }} }}",
        f"SELECT * WHERE {{ ?a ?b ?c FILTER NOT EXISTS {{ SERVICE <{base}s> {t} }} }}",
        f"SELECT * WHERE {{ OPTIONAL {{ SERVICE <{base}s> {t} }} }}",
        f"SELECT * WHERE {{ ?a ?b ?c MINUS {{ SERVICE <{base}s> {t} }} }}",
        f"SELECT * WHERE {{ {{ ?a ?b ?c }} UNION {{ SERVICE <{base}s> {t} }} }}",
        f"ASK {{ SERVICE <{base}s> {t} }}",
        f"CONSTRUCT {{ ?x ?p ?o }} WHERE {{ SERVICE <{base}s> {t} }}",
        f"SELECT * WHERE {{ SERVICE <https://{HOST}:{port}/s> {t} }}",
        pre + f"SELECT * WHERE {{ SERVICEex:s13 {t} }}",
        pre + f"SELECT * WHERE {{ SERVICE:x {t} }}",
        pre + "SELECT * WHERE { SERVICE:x { ?x ?p ?o } ?c ?d <<( ?c ?d ?e )>> }",
        pre + f"SELECT * WHERE {{ SERVICESILENT ex:s {t} }}",
        pre + f"SELECT * WHERE {{ SERVICESILENTex:s {t} }}",
        pre + f"SELECT * WHERE {{ sErViCe ex:s{t} }}",
        pre + f"SELECT * WHERE {{ FILTER(true) SERVICE ex:s {t} }}",
        pre + f"SELECT * WHERE {{ SERVICE#comment\n<{base}s>{t} }}",
        f"SELECT * WHERE {{ BIND(<{base}s> AS ?e) SERVICE ?e {t} }}",
        f"SELECT * WHERE {{ SERVICE <http://{HOST}:{port}/\\u0073> {t} }}",
    ]


class TreeRss:
    """Peak RSS of a process and its children, sampled every `every` s in a thread."""

    def __init__(self, pid: int, every: float = 0.05):
        import psutil

        self.proc = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, args=(every,), daemon=True)
        self._t.start()

    def _run(self, every: float) -> None:
        import psutil

        while not self._stop.wait(every):
            try:
                procs = [self.proc, *self.proc.children(recursive=True)]
                total = 0
                for p in procs:
                    with contextlib.suppress(psutil.Error):
                        total += p.memory_info().rss
                self.peak = max(self.peak, total)
            except psutil.Error:
                return

    def stop(self) -> int:
        self._stop.set()
        self._t.join(2)
        return self.peak


def _pct(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


async def _probe(client, url: str, stop: asyncio.Event, out: list[tuple[float, int]]) -> None:
    """A cheap query (never a cached answer: each text differs) every 50 ms until `stop`."""
    i = 0
    while not stop.is_set():
        i += 1
        t0 = time.perf_counter()
        try:
            r = await client.get(url, params={"query": f"ASK {{ ?s a ?c }} # probe {i} {time.time_ns()}"})
            code = r.status_code
            why = r.text[:48] if code != 200 else ""
        except Exception as e:  # noqa: BLE001 - counted as a failure
            code, why = 0, type(e).__name__
        out.append((time.perf_counter() - t0, code, why))
        await asyncio.sleep(0.05)


def _probe_summary(rows: list[tuple[float, int, str]]) -> dict:
    lat = [t for t, c, _ in rows if c == 200]
    return {"probes": len(rows), "ok": len(lat), "statuses": dict(Counter(c for _, c, _ in rows)),
            "refusals": dict(Counter(w for _, c, w in rows if c != 200)),
            "p50_ms": round(_pct(lat, 0.5) * 1000, 1), "p99_ms": round(_pct(lat, 0.99) * 1000, 1),
            "max_ms": round(max(lat) * 1000, 1) if lat else None}


async def egress(base: str) -> dict:
    import httpx

    li = Listener()
    statuses: Counter = Counter()
    try:
        async with httpx.AsyncClient(timeout=30) as c:
            for q in service_shapes(li.port):
                for r in (await c.get(base + "/sparql", params={"query": q}),
                          await c.post(base + "/sparql", data={"query": q}),
                          await c.post(base + "/sparql", content=q.encode(),
                                       headers={"Content-Type": "application/sparql-query"})):
                    statuses[r.status_code] += 1
        await asyncio.sleep(0.3)
    finally:
        li.close()
    return {"requests": sum(statuses.values()), "statuses": dict(statuses), "connections": li.connections}


def _addresses(n: int) -> list[str]:
    """n loopback source addresses, 127.0.1.1 … (each a client of its own to the per-address limit)."""
    return [f"127.0.{1 + k // 250}.{1 + k % 250}" for k in range(n)]


def _clients(addresses: list[str], timeout: float = 60):
    import httpx

    return [httpx.AsyncClient(timeout=timeout, transport=httpx.AsyncHTTPTransport(local_address=a))
            for a in addresses]


async def scanner_flood(base: str, rounds: int = 3, size: int = 100_000, senders: int = 40) -> dict:
    """40 × 100 KB hostile query texts at once, from 40 addresses (so no per-address limit helps), 3 rounds."""
    import httpx

    text = "SELECT * WHERE { ?s ?p " + "a-" * ((size - 30) // 2) + "a }"
    stop, probes = asyncio.Event(), []
    statuses: Counter = Counter()
    flood = _clients(_addresses(senders))
    async with httpx.AsyncClient(timeout=60) as probe_client:
        probe = asyncio.create_task(_probe(probe_client, base + "/sparql", stop, probes))
        await asyncio.sleep(0.5)
        t0 = time.perf_counter()
        try:
            for _ in range(rounds):
                rs = await asyncio.gather(*(c.post(base + "/sparql", data={"query": text}) for c in flood),
                                          return_exceptions=True)
                statuses.update(getattr(r, "status_code", 0) for r in rs)
        finally:
            for c in flood:
                await c.aclose()
        flood_s = time.perf_counter() - t0
        await asyncio.sleep(0.5)
        stop.set()
        await probe
    return {"requests": senders * rounds, "senders": senders, "query_bytes": len(text), "statuses": dict(statuses),
            "flood_seconds": round(flood_s, 2), "probe": _probe_summary(probes)}


async def slow_flood(base: str, sources: list[str], clients: int = 100, seconds: float = 15.0) -> dict:
    """`clients` loop on never-ending queries for `seconds`, from `sources` (client k uses sources[k % n])."""
    import httpx

    stop, probes = asyncio.Event(), []
    ends: Counter = Counter()
    times: dict[str, list[float]] = {}
    pools = _clients(sources)
    deadline = time.monotonic() + seconds

    async def one(k: int) -> None:
        n = 0
        c = pools[k % len(pools)]
        while time.monotonic() < deadline:
            n += 1
            t0 = time.perf_counter()
            try:
                r = await c.get(base + "/sparql", params={"query": RUNAWAY.format(f"{k}-{n}")})
                code = str(r.status_code)
                if code == "503":
                    code = ("503 time limit" if "time limit" in r.text else
                            "503 long-running lane" if "long-running" in r.text else "503 busy")
            except Exception:  # noqa: BLE001 - counted
                code = "error"
            ends[code] += 1
            times.setdefault(code, []).append(time.perf_counter() - t0)
            await asyncio.sleep(0.2 if code != "200" else 0)

    async with httpx.AsyncClient(timeout=60) as probe_client:
        probe = asyncio.create_task(_probe(probe_client, base + "/sparql", stop, probes))
        try:
            await asyncio.gather(*(one(k) for k in range(clients)))
        finally:
            for c in pools:
                await c.aclose()
        stop.set()
        await probe
    return {"clients": clients, "addresses": len(sources), "seconds": seconds, "slow_requests_ended": dict(ends),
            "answer_time_p99_ms": {k: round(_pct(v, 0.99) * 1000) for k, v in times.items()},
            "probe": _probe_summary(probes)}


async def memory(base: str) -> dict:
    import httpx

    async with httpx.AsyncClient(timeout=60) as c, httpx.AsyncClient(
            timeout=60, transport=httpx.AsyncHTTPTransport(local_address=OTHER)) as d, httpx.AsyncClient(
            timeout=60, transport=httpx.AsyncHTTPTransport(local_address="127.0.0.3")) as e:
        rs = await asyncio.gather(c.get(base + "/sparql", params={"query": HOG.format(1)}),
                                  d.get(base + "/sparql", params={"query": HOG.format(2)}),
                                  e.get(base + "/sparql", params={"query": CONCAT.format(3)}),
                                  return_exceptions=True)
        # one row of about 25 MB (every object, once per citation): within a worker's memory, over the byte cap
        big = await c.get(base + "/sparql", params={"query": "SELECT (GROUP_CONCAT(STR(?o)) AS ?x) WHERE { ?s ?p ?o "
                                                             ". ?t a <https://w3id.org/ttdn/ontology#Citation> "
                                                             "FILTER(!isBlank(?o)) }"})
    return {"statuses": [getattr(r, "status_code", 0) for r in rs],
            "messages": [getattr(r, "text", str(r))[:160] for r in rs],
            "largest_body": max(len(getattr(r, "content", b"")) for r in [*rs, big]),
            "byte_cap": int(big.headers.get("X-TTDN-Byte-Cap", "0")), "concat_status": big.status_code,
            "concat_truncated_by": big.headers.get("X-TTDN-Truncated-By"), "concat_body": len(big.content),
            "concat_message": big.text[:120] if big.status_code != 200 else ""}


async def malformed(base: str) -> dict:
    import httpx

    out = {}
    async with httpx.AsyncClient(timeout=30) as c:
        for path in MALFORMED:
            out[path[:80]] = (await c.get(base + path)).status_code
    return {"statuses": out, "all_4xx": all(400 <= s < 500 for s in out.values())}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _seed_store(folder: Path) -> Path:
    from ttdn_graph.loader import load_paths
    from ttdn_graph.store import open_store

    path = folder / "store"
    with open_store(str(path)) as st:
        load_paths([ROOT / "data" / "plans"], st, progress=False)
    return path


SCENARIOS = {
    "egress": egress,
    "scanner_flood": scanner_flood,
    "slow_flood_one_other_address": lambda base: slow_flood(base, [OTHER]),
    "slow_flood_100_addresses": lambda base: slow_flood(base, _addresses(100)),
    "slow_flood_probe_address": lambda base: slow_flood(base, [HOST], seconds=10.0),
    "memory": memory,
    "malformed_iris": malformed,
}


async def _all(base: str, only: list[str] | None = None) -> dict:
    out = {}
    for name, fn in SCENARIOS.items():
        if only and name not in only:
            continue
        out[name] = await fn(base)
        if name.startswith("slow_flood"):
            await asyncio.sleep(11)  # the last slow queries end at the time limit
    return out


def run(store: Path | None = None, only: list[str] | None = None) -> dict:
    import httpx

    with tempfile.TemporaryDirectory() as tmp:
        store = store or _seed_store(Path(tmp))
        port = _free_port()
        cmd = [sys.executable, "-c", "from ttdn_graph.cli import app; app()", "serve", "--store", str(store),
               "--host", HOST, "--port", str(port)]
        server = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  env={**os.environ, "PYTHONPATH": str(ROOT)})
        base = f"http://{HOST}:{port}"
        try:
            for _ in range(300):  # bounded start-up wait
                try:
                    if httpx.get(base + "/sparql", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            rss = TreeRss(server.pid)
            idle = 0
            time.sleep(0.3)
            idle = rss.peak
            t0 = time.perf_counter()
            result = asyncio.run(_all(base, only))
            result["seconds"] = round(time.perf_counter() - t0, 1)
            result["tree_rss_idle_mb"] = round(idle / 2**20)
            result["tree_rss_peak_mb"] = round(rss.stop() / 2**20)
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
    return result


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--store", type=Path, help="a loaded store (default: the seed plans, loaded into a temp dir)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks" / "attack.json")
    ap.add_argument("--only", help="comma-separated scenarios: " + ", ".join(SCENARIOS))
    args = ap.parse_args(argv)
    result = run(args.store, args.only.split(",") if args.only else None)
    result["conditions"] = {"cpus": os.cpu_count(), "python": sys.version.split()[0],
                            "when": time.strftime("%Y-%m-%d %H:%M", time.gmtime())}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()


def markdown(r: dict) -> str:
    """The "Under attack" section of BENCHMARKS.md from a saved run."""
    def probe(p: dict) -> str:
        return f"{p['ok']}/{p['probes']} answered, p50 {p['p50_ms']} ms, p99 {p['p99_ms']} ms, max {p['max_ms']} ms"

    rows = []
    e = r.get("egress", {})
    rows.append(["SERVICE, every shape × GET / POST form / POST query", f"{e.get('requests')} requests: "
                 f"{e.get('statuses')}", f"**{e.get('connections')} outbound connections** (aim 0)"])
    s = r.get("scanner_flood", {})
    if s:
        rows.append([f"{s['requests']} × {s['query_bytes']:,}-byte hostile queries, {s['senders']} addresses at once",
                     f"{s['statuses']} in {s['flood_seconds']} s", "cheap query: " + probe(s["probe"])])
    for key, label in (("slow_flood_one_other_address", "100 clients looping on never-ending queries, one address"),
                       ("slow_flood_100_addresses", "the same from 100 addresses"),
                       ("slow_flood_probe_address", "the same from the cheap query's own address")):
        f = r.get(key)
        if f:
            rows.append([f"{label} ({f['seconds']:g} s)", str(f["slow_requests_ended"]), "cheap query: "
                         + probe(f["probe"]) + (f"; refused: {f['probe']['refusals']}" if f["probe"]["refusals"]
                                                else "")])
    m = r.get("memory", {})
    if m:
        rows.append(["3 at once: two sorted cross products, a GROUP_CONCAT of a cross product", str(m["statuses"]),
                     f"process tree peak **{r.get('tree_rss_peak_mb')} MB** (idle {r.get('tree_rss_idle_mb')} MB; "
                     "aim < 1,500 MB)"])
        rows.append(["one row of ~25 MB (GROUP_CONCAT)", f"{m['concat_status']}, cut by {m['concat_truncated_by']}",
                     f"body {m['concat_body']} bytes (byte cap {m['byte_cap']:,})"])
    mi = r.get("malformed_iris", {})
    if mi:
        rows.append([f"{len(mi['statuses'])} malformed IRIs on pages and views", str(sorted(set(mi["statuses"]
                     .values()))), "all 4xx" if mi["all_4xx"] else "**not all 4xx**"])
    out = ["## Under attack (issue 13)", "",
           "`python -m bench.attack` (docs/benchmarks/attack.json): `ttdn serve` with its defaults on the seed plans "
           "(3 workers, 10 s, 10,000 rows, 16 MB answers, 384 MB per worker, 2 queries in flight per address), all "
           "traffic on 127.0.0.0/8 from the same 2-core machine (the load generator shares the CPU). The cheap "
           "query is an ASK with a new text each time (never a cached answer), every 50 ms.", "",
           "| attack | how it ended | what the others saw |", "|---|---|---|"]
    out += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    c = r.get("conditions", {})
    out += ["", f"Run {c.get('when', '?')} UTC, {c.get('cpus', '?')} CPUs, {r.get('seconds')} s. Hostile files are "
            "tests/test_hostile_files.py's (each refused in under 1 s, ~60 MB).", ""]
    return "\n".join(out)
