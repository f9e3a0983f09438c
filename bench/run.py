"""`make bench`: run every benchmark and write bench/out/results.json and BENCHMARKS.md."""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path

from bench import extraction

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    out_dir = ROOT / "bench" / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    results = {"machine": {"cores": os.cpu_count(), "platform": platform.platform()}}
    results["extraction"] = extraction.run(int(os.environ.get("TTDN_BENCH_DOCS", "200")))
    (out_dir / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    e = results["extraction"]
    md = [
        "# Benchmarks",
        "",
        f"Machine: {results['machine']['platform']}, {results['machine']['cores']} cores; Python {e['python']}; "
        f"ttdn-graph {e['tool_version']}.",
        "",
        "## Extraction (one core)",
        "",
        "| documents | MB | seconds | plans/s | MB/s | regex-scan floor (s) | ratio to floor |",
        "|---|---|---|---|---|---|---|",
        f"| {e['documents']} | {e['megabytes']} | {e['seconds']} | {e['plans_per_s']} | {e['mb_per_s']} | "
        f"{e['regex_floor_seconds']} | {e['ratio_to_regex_scan']}× |",
        "",
        "Corpus: the five seed plans repeated. Aim: ≥ 50 plans/s per core.",
        "",
    ]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(md), encoding="utf-8")
    print("\n".join(md))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
