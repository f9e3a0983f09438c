"""Extraction scores per document layout: the seed plans laid out in every layout of
tests/fixtures/layouts/make_layouts.py (its LAYOUTS: an annex-table .docx, a saved legal-documents web page, a
PDF-to-Markdown conversion, a paginated PDF with running header and "Trang N/M" footer), each scored against the gold
records with ../shared/eval/score.py. The seed .txt files themselves are scored too, as the baseline. A layout that
cannot be made on this machine (the PDF's font missing) is listed with the reason, not scored.

    python -m bench.layouts [--out DIR] [--gold tests/gold] [--json report.json]

--out keeps the fixtures, predictions and score reports (default: a temporary folder, removed afterwards).
A prediction's `source` (e.g. `001_x.annex-table.docx`) is rewritten to its seed's name (`001_x.txt`) before
scoring, since score.py pairs records with gold by `source`.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCORE = ROOT.parent / "shared" / "eval" / "score.py"
if not SCORE.exists():  # a checkout without ../shared: the repository's copy of the scorer
    SCORE = ROOT / "tests" / "score_gold.py"
MAKER = ROOT / "tests" / "fixtures" / "layouts" / "make_layouts.py"
COLUMNS = [("tasks F1", "tasks"), ("lead F1", "tasks.lead"), ("support F1", "tasks.support"),
           ("time F1", "tasks.time"), ("instruments F1", "instruments")]


def load_maker():
    spec = importlib.util.spec_from_file_location("make_layouts", MAKER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _ttdn() -> list[str]:
    exe = Path(sys.executable).with_name("ttdn")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "ttdn_graph.cli"]


def extract(files: list[Path], out: Path) -> list[dict]:
    """Run `ttdn extract FILES --format json -o out` and return the records."""
    subprocess.run([*_ttdn(), "extract", *map(str, files), "--format", "json", "--output", str(out)],
                   check=True, cwd=ROOT)
    text = out.read_text(encoding="utf-8").strip()
    if text.startswith("["):
        return json.loads(text)
    if text.startswith("{") and "\n{" not in text:
        return [json.loads(text)]
    return [json.loads(x) for x in text.splitlines() if x.strip()]


def score(records: list[dict], gold: Path, work: Path, name: str, source_to_seed) -> dict:
    """Rewrite sources, run score.py, return {"overall": float, "total": {field: {...}}}."""
    for r in records:
        r["source"] = source_to_seed(r.get("source") or "")
    pred = work / f"pred.{name}.json"
    pred.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    report = work / f"score.{name}.json"
    subprocess.run([sys.executable, str(SCORE), "--gold", str(gold), "--pred", str(pred), "--json", str(report)],
                   check=True, stdout=subprocess.DEVNULL)
    return json.loads(report.read_text(encoding="utf-8"))


def run(out: Path, gold: Path) -> dict[str, dict]:
    maker = load_maker()
    fixtures = out / "fixtures"
    skipped = {k: reason for k in maker.LAYOUTS if (reason := maker.missing(k))}
    written = maker.make_all(fixtures, gold=gold, layouts=[k for k in maker.LAYOUTS if k not in skipped])
    layouts: dict[str, list[Path]] = {"seed.txt": [t for t, _ in maker.seeds(gold=gold)], **written}
    results: dict[str, dict] = {}
    for layout, files in layouts.items():
        records = extract(files, out / f"extract.{layout}.json")
        results[layout] = score(records, gold, out, layout, maker.source_to_seed)
    results.update((k, {"skipped": reason}) for k, reason in skipped.items())
    return results


def table(results: dict[str, dict]) -> str:
    head = ["layout", *[c for c, _ in COLUMNS], "overall"]
    rows = []
    notes = []
    for layout, rep in results.items():
        if "skipped" in rep:
            notes.append(f"{layout}: not scored - {rep['skipped']}")
            continue
        tot = rep.get("total", {})
        rows.append([layout, *[f"{tot[k]['f1']:.3f}" if k in tot else "-" for _, k in COLUMNS],
                     f"{rep.get('overall', 0.0):.3f}"])
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines + notes)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, help="keep fixtures, predictions and reports here")
    ap.add_argument("--gold", type=Path, default=ROOT / "tests" / "gold")
    ap.add_argument("--json", type=Path, help="write {layout: score report} here")
    a = ap.parse_args(argv)
    tmp = None
    if a.out is None:
        tmp = Path(tempfile.mkdtemp(prefix="ttdn-layouts-"))
    out = a.out or tmp
    out.mkdir(parents=True, exist_ok=True)
    try:
        results = run(out, a.gold.resolve())
        print(table(results))
        if a.json:
            a.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
