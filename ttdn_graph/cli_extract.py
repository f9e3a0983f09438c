"""`ttdn extract`: plan documents → extraction records (JSON, JSON lines or a table)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from enum import StrEnum
from pathlib import Path

import typer

from ttdn_graph.readers.limits import FILE_TIME_LIMIT

TimeLimitOpt = typer.Option(FILE_TIME_LIMIT, "--time-limit", min=0,
                            help="Seconds one file may take to read and extract; a file over it is reported and "
                                 "the batch goes on (0: no limit).")


class ExtractFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


def extract(
    paths: list[Path] = typer.Argument(..., help="Plan files or folders (.txt .md .docx .pdf .html)."),
    fmt: ExtractFormat = typer.Option(ExtractFormat.json, "--format", "-f", help="json | jsonl | table"),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write here instead of standard output."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Parallel extraction processes."),
    time_limit: float = TimeLimitOpt,
) -> None:
    """Print one extraction record per document (shared/gold/SCHEMA.md shape, plus warnings)."""
    from ttdn_graph.extract import extract_files
    from ttdn_graph.readers import SUPPORTED_SUFFIXES, find_documents

    found = find_documents(paths, SUPPORTED_SUFFIXES)
    failed = len(found.problems)
    for problem in found.problems:  # symlink loops, dangling links, FIFOs, missing paths
        typer.echo(f"error: {problem}", err=True)
    records = []
    for _, out in extract_files(found.files, jobs=jobs, time_limit=time_limit):
        if isinstance(out, Exception):
            failed += 1
            typer.echo(f"error: {out}", err=True)
        else:
            records.append(out.to_dict())
    out = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
    try:
        if fmt is ExtractFormat.json:
            json.dump(records, out, ensure_ascii=False, indent=2)
            out.write("\n")
        elif fmt is ExtractFormat.jsonl:
            for r in records:
                out.write(json.dumps(r, ensure_ascii=False) + "\n")
        else:
            out.write(_table(records))
    finally:
        if output:
            out.close()
    if failed:
        typer.echo(f"{failed} document(s) failed, {len(records)} extracted", err=True)
        raise typer.Exit(1)


def _found_by(tasks: list[dict]) -> str:
    """How a document's tasks were found: "table 12 · fields 3"; "—" when none were."""
    counts = Counter(t.get("found_by") or "outline" for t in tasks)
    return " · ".join(f"{k} {counts[k]}" for k in ("table", "fields", "outline") if counts[k]) or "—"


def _table(records: list[dict]) -> str:
    rows = [("source", "jurisdiction", "number", "period", "instr.", "tasks", "found by", "with lead",
             "agency-centred", "warnings")]
    for r in records:
        p = r["plan"]
        j = p["jurisdiction"]
        period = f"{(p['period']['start'] or '')[:4]}–{(p['period']['end'] or '')[:4]}"
        rows.append(
            (
                r["source"],
                f"{j['level'] or ''} {j['name'] or '?'}".strip(),
                p["number"] or "—",
                period,
                str(len(r["instruments"])),
                str(len(r["tasks"])),
                _found_by(r["tasks"]),
                str(sum(1 for t in r["tasks"] if t["lead"])),
                str(len(r["responsibilities"])),
                str(len(r["warnings"])),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"
