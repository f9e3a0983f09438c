"""Extraction throughput: plans/s and MB/s on one core, and the ratio to a single regex scan of the same text.

The regex scan (one pass of a symbol-like pattern over the text) is the floor no extractor can beat; the ratio
says how much work the pipeline does per byte beyond just reading it.
"""

from __future__ import annotations

import json
import platform
import re
import sys
import time
from pathlib import Path

from ttdn_graph import __version__
from ttdn_graph.extract import extract_text

ROOT = Path(__file__).resolve().parent.parent
FLOOR_RX = re.compile(r"\d+(?:/\d{4})?[/-][A-ZĐ][A-Za-zĐđ]*")


def corpus(min_docs: int) -> list[tuple[str, str]]:
    seeds = sorted((ROOT / "data" / "plans").glob("*.txt"))
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in seeds]
    out = []
    while len(out) < min_docs:
        for name, t in texts:
            out.append((f"{len(out):05d}_{name}", t))
    return out[:min_docs]


def run(n_docs: int = 200, repeat: int = 3) -> dict:
    docs = corpus(n_docs)
    size = sum(len(t.encode("utf-8")) for _, t in docs)
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for name, t in docs:
            extract_text(t, name)
        best = min(best, time.perf_counter() - t0)
    floor = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _name, t in docs:
            FLOOR_RX.findall(t)
        floor = min(floor, time.perf_counter() - t0)
    return {
        "tool_version": __version__,
        "python": sys.version.split()[0],
        "machine": platform.machine(),
        "documents": n_docs,
        "megabytes": round(size / 1e6, 3),
        "seconds": round(best, 3),
        "plans_per_s": round(n_docs / best, 1),
        "mb_per_s": round(size / 1e6 / best, 3),
        "regex_floor_seconds": round(floor, 4),
        "ratio_to_regex_scan": round(best / floor, 1),
    }


def main(argv: list[str] | None = None) -> int:
    n = int((argv or sys.argv[1:] or ["200"])[0])
    res = run(n)
    print(json.dumps(res, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
