"""`ttdn extract`: plan documents → extraction records (JSON, JSON lines or a table)."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path

import typer

from ttdn_graph.errors import ReadError


class ExtractFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


def extract(
    paths: list[Path] = typer.Argument(..., help="Plan files or folders (.txt .md .docx .pdf .html)."),
    fmt: ExtractFormat = typer.Option(ExtractFormat.json, "--format", "-f", help="json | jsonl | table"),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write here instead of standard output."),
) -> None:
    """Print one extraction record per document (shared/gold/SCHEMA.md shape, plus warnings)."""
    from ttdn_graph.extract import extract_file
    from ttdn_graph.readers import iter_documents

    failed = 0
    records = []
    files: list[Path] = []
    for p in paths:
        try:
            files.extend(iter_documents([p]))
        except ReadError as e:
            failed += 1
            typer.echo(f"error: {e}", err=True)
    for f in files:
        try:
            records.append(extract_file(f).to_dict())
        except ReadError as e:
            failed += 1
            typer.echo(f"error: {e}", err=True)
        except Exception as e:  # noqa: BLE001 - one bad document must not stop the batch
            failed += 1
            typer.echo(f"error: {f}: could not extract ({type(e).__name__}: {e})", err=True)
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


def _table(records: list[dict]) -> str:
    rows = [("source", "jurisdiction", "number", "period", "instr.", "tasks", "with lead", "resp.", "warnings")]
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
                str(sum(1 for t in r["tasks"] if t["lead"])),
                str(len(r["responsibilities"])),
                str(len(r["warnings"])),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"
