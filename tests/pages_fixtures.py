"""Helpers for the page/view/browser tests: an app over a given store, a live server for it, the XSS fixture store.

The seed store and the shared live server are the session fixtures of tests/api_fixtures.py (seed_store_path,
live_server); the XSS plan lives in its own store so that shared fixture stays clean.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=window.__xss=1>"
XSS_NUMBER = "99/KH-UBND"

# A tiny plan whose title, task, agency names and duty carry markup (as a hostile or broken document could).
XSS_RECORD = {
    "source": "xss_plan.txt",
    "plan": {
        "number": XSS_NUMBER, "date_issued": "2023-02-01", "place": "Hải Dương",
        "issuer": "Ủy ban nhân dân tỉnh Hải Dương",
        "jurisdiction": {"name": "Hải Dương", "level": "tỉnh", "parent": None},
        "title": f"Thông tin đối ngoại {SCRIPT} năm 2023",
        "period": {"start": "2023-01-01", "end": "2023-12-31"}, "signer": None,
    },
    "instruments": [{"type": "Quyết định", "number": "1486/QĐ-TTg", "date": "2018-11-08", "cited_as": ["basis"],
                     "implements": [], "amends": [], "issuer": None, "name": None}],
    "tasks": [{"id": "I.1", "parent": None, "heading": f"Tuyên truyền {IMG} {SCRIPT}",
               "text": f"Tuyên truyền {IMG} trên báo {SCRIPT}", "line_start": 10, "line_end": 12,
               "lead": [f"Sở Thông tin {SCRIPT} và Truyền thông"], "support": [f"Báo {IMG}"], "time": None}],
    "responsibilities": [{"agency": f"Sở Thông tin {SCRIPT} và Truyền thông", "section": "IV.1", "duties": 1, "line": 20,
                          "duty_items": [{"text": f"Phối hợp với Báo {IMG} tuyên truyền {SCRIPT}", "line_start": 21,
                                          "line_end": 22, "support": [f"Báo {IMG}"]}]}],
}


def build_xss_store(folder: Path) -> Path:
    from ttdn_graph.loader import load_paths
    from ttdn_graph.store import open_store

    rec = folder / "xss_plan.json"
    rec.write_text(json.dumps(XSS_RECORD, ensure_ascii=False), encoding="utf-8")
    path = folder / "store"
    store = open_store(str(path))
    try:
        summary = load_paths([rec], store, progress=False)
        assert summary.ok, summary.lines()
    finally:
        store.close()
    return path


def make_app(store_path: Path):
    """The project's app (ttdn_graph.web.app.create_app) over a read-only store at `store_path` (one query worker and
    one page worker). Pages read the graph through those workers: close them with app.state.executor.close()."""
    from ttdn_graph.web.app import create_app

    return create_app(store_path=str(store_path), workers=1)


@contextlib.contextmanager
def app_client(store_path: Path | str) -> Iterator[Any]:
    """A TestClient of the app over `store_path`, its lifespan started (pages read the graph through the query
    workers), closed with its workers afterwards."""
    from fastapi.testclient import TestClient

    app = make_app(Path(store_path))
    try:
        with TestClient(app) as c:
            yield c
    finally:
        app.state.executor.close()


def oracle(store_path: Path):
    """A read-only handle of its own on the store at `store_path`, to check what the app serves against (the app
    holds none: its workers do)."""
    from ttdn_graph.store import open_store

    return open_store(str(store_path), read_only=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(app) -> Iterator[str]:
    """uvicorn in a thread on 127.0.0.1:<free port>; yields the base URL."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning",
                                           lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def external_urls(html: str, allowed_hosts: set[str]) -> list[str]:
    """Every http(s) URL in a src/href attribute whose host is not allowed (protocol-relative ones count too)."""
    soup = BeautifulSoup(html, "html.parser")
    bad = []
    for tag in soup.find_all(True):
        for attr in ("src", "href", "action", "data", "poster"):
            v = tag.get(attr)
            if not isinstance(v, str):
                continue
            v = v.strip()
            if re.match(r"(?i)(https?:)?//", v) and (urlsplit(v if ":" in v.split("/")[0] else "http:" + v).hostname
                                                      not in allowed_hosts):
                bad.append(f"<{tag.name} {attr}={v}>")
    # and in CSS url(...) / @import inside the page
    for m in re.finditer(r"""(?i)(?:url\(\s*['"]?|@import\s+['"])((?:https?:)?//[^'")\s]+)""", html):
        if urlsplit(m.group(1) if m.group(1).startswith("http") else "http:" + m.group(1)).hostname \
                not in allowed_hosts:
            bad.append(m.group(1))
    return bad
