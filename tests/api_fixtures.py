"""Session fixtures for the web API tests (registered for all tests by tests/conftest.py).

    seed_store_path  str — a temporary embedded Oxigraph store holding the five seed plans (data/plans), loaded
                     once per session with ttdn_graph.loader.load_paths (inferences included), then closed so the
                     app can open it read-only. Treat it as read-only.
    live_server      LiveServer — a real uvicorn server on 127.0.0.1 at a free port, in a thread, serving
                     ttdn_graph.web.app.create_app(seed_store_path, query_timeout=LIVE_TIMEOUT, result_cap=LIVE_CAP,
                     workers=LIVE_WORKERS). Attributes: url ("http://127.0.0.1:PORT"), sparql (url + "/sparql"),
                     app (the FastAPI app), store (a read-only GraphStore of the test's own on the same store, to
                     check answers against: the app holds none, its query workers do), get(path, **httpx kw).

Use them by naming them as test arguments; helpers (no fixtures) can be imported: `from api_fixtures import ...`.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "plans"
LIVE_TIMEOUT = 2.0  # seconds: small, so the runaway-query test is quick
LIVE_CAP = 10_000
LIVE_WORKERS = 3
PREFIXES = (
    "PREFIX ttdn: <https://w3id.org/ttdn/ontology#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "PREFIX time: <http://www.w3.org/2006/time#>\n"
    "PREFIX prov: <http://www.w3.org/ns/prov#>\n"
)


@dataclass
class LiveServer:
    url: str
    app: Any
    store: Any = None

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return httpx.get(self.url + path, timeout=30, **kw)

    def post(self, path: str, **kw: Any) -> httpx.Response:
        return httpx.post(self.url + path, timeout=30, **kw)


@pytest.fixture(scope="session")
def seed_store_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    from ttdn_graph.loader import load_paths
    from ttdn_graph.store import open_store

    path = tmp_path_factory.mktemp("api-store") / "store"
    with open_store(str(path)) as st:
        summary = load_paths([SEEDS], st, progress=False)
    assert summary.ok and len(summary.loaded) == len(list(SEEDS.glob("*.txt"))), summary.lines()
    return str(path)


@pytest.fixture(scope="session")
def live_server(seed_store_path: str) -> Iterator[LiveServer]:
    import uvicorn

    from ttdn_graph.web.app import create_app

    app = create_app(seed_store_path, query_timeout=LIVE_TIMEOUT, result_cap=LIVE_CAP, workers=LIVE_WORKERS)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="live-uvicorn")
    thread.start()
    from ttdn_graph.store import open_store

    live = LiveServer(f"http://127.0.0.1:{port}", app, open_store(seed_store_path, read_only=True))
    deadline = time.monotonic() + 60
    while True:  # ready when a query has gone through a worker
        try:
            if live.get("/sparql", params={"query": "ASK {}"}).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True
            pytest.fail("the live API server did not start")
        time.sleep(0.05)
    try:
        yield live
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()
        live.store.close()


# -- helpers shared by the API tests ---------------------------------------------------------------------------------
def in_thread(fn) -> tuple[threading.Thread, dict]:
    """Run `fn` in a daemon thread; the box gets its "value" or its "error" (for the test to inspect)."""
    box: dict = {}

    def run():
        try:
            box["value"] = fn()
        except Exception as e:  # noqa: BLE001 - inspected by the test
            box["error"] = e

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t, box


def oxigraph_binary() -> str | None:
    """The `oxigraph` server (dev dependency) beside this Python, else on PATH; None when not installed."""
    import shutil
    import sys

    cand = Path(sys.executable).parent / "oxigraph"
    return str(cand) if cand.exists() else shutil.which("oxigraph")


@contextmanager
def oxigraph_read_only(store_path: str, seconds: float = 20.0) -> Iterator[str]:
    """`oxigraph serve-read-only` over `store_path` on 127.0.0.1 (union default graph): its query endpoint, once it
    answers; the server is killed on exit. Skips the test when the binary is not installed."""
    import subprocess

    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server binary (dev dependency 'oxigraph') is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([binary, "serve-read-only", "--location", store_path, "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + seconds
        while True:
            try:
                if httpx.get(endpoint, params={"query": "ASK {}"}, timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline and proc.poll() is None, "oxigraph serve-read-only did not start"
            time.sleep(0.05)
        yield endpoint
    finally:
        proc.kill()
        proc.wait(10)
