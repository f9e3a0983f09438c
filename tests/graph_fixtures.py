"""Shared helpers for the graph/store/load tests: seed records, synthetic records, an Oxigraph server."""

from __future__ import annotations

import contextlib
import copy
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from ttdn_graph.record import Record, record_from_dict

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold"
TTDN = "PREFIX ttdn: <https://w3id.org/ttdn/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
LOAD_TIME = "2024-05-01T00:00:00+00:00"


def gold_dicts() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))]


def seed_records() -> list[Record]:
    return [record_from_dict(d) for d in gold_dicts()]


def record_by_place(name: str) -> Record:
    for r in seed_records():
        if r.plan.jurisdiction.name == name:
            return r
    raise KeyError(name)


def minimal_record(source: str, place: str, instruments: list[dict], *, level: str = "tỉnh",
                   parent: str | None = None, year: int = 2023) -> Record:
    """A small plan of `place` citing `instruments` (dicts in the record's JSON shape), with one task."""
    return record_from_dict({
        "source": source,
        "plan": {
            "number": None, "date_issued": None, "place": place,
            "issuer": f"Ủy ban nhân dân {level} {place}",
            "jurisdiction": {"name": place, "level": level, "parent": parent},
            "title": f"Thông tin đối ngoại {level} {place} năm {year} ({source})",
            "period": {"start": f"{year}-01-01", "end": f"{year}-12-31"}, "signer": None,
        },
        "instruments": [{"cited_as": ["basis"], "implements": [], "amends": [], "issuer": None, "date": None,
                         "name": None, **i} for i in instruments],
        "tasks": [{"id": "I.1", "parent": "I", "heading": "Tuyên truyền", "lead": ["Sở Thông tin và Truyền thông"],
                   "support": [], "time": None}],
        "responsibilities": [],
    })


def write_synthetic(folder: Path, copies: int) -> list[Path]:
    """`copies` extraction-record files, each a seed record under a different source name."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = gold_dicts()
    out = []
    for i in range(copies):
        d = copy.deepcopy(seeds[i % len(seeds)])
        d["source"] = f"syn_{i:04d}_{d['source']}"
        p = folder / f"syn_{i:04d}.json"
        p.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
        out.append(p)
    return out


def oxigraph_binary() -> str | None:
    cand = Path(sys.executable).parent / "oxigraph"
    return str(cand) if cand.exists() else shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """A real `oxigraph serve` on a free port (union default graph on); yields its query endpoint."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server binary (dev dependency 'oxigraph') is not installed")
    port = free_port()
    proc = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    endpoint = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 20
        while True:
            if proc.poll() is not None:
                pytest.fail(f"oxigraph serve exited: {proc.stderr.read().decode(errors='replace')[:500]}")
            try:
                with urllib.request.urlopen(f"{endpoint}?query=ASK%7B%7D", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("oxigraph serve did not answer within 20 s")
                time.sleep(0.05)
        yield endpoint
    finally:
        proc.kill()
        proc.wait(timeout=10)

# what changes from one load to the next (the load's time), left out when two stores are compared
VOLATILE = ("http://www.w3.org/ns/prov#generatedAtTime", "http://www.w3.org/ns/prov#endedAtTime")
# and the dataset description's dates and version, which hashes the load times (store/description.py)
DATASET = "<https://w3id.org/ttdn/id/dataset>"
DATASET_VOLATILE = ("<http://purl.org/dc/terms/issued>", "<http://purl.org/dc/terms/modified>",
                    "<http://www.w3.org/2002/07/owl#versionInfo>", "<http://www.w3.org/ns/dcat#version>")
