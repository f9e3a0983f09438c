"""`ttdn extract` end to end through the typer app: formats, output file, and bad files reported, not fatal."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ttdn_graph.cli import app

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "data" / "plans").glob("*.txt"))[:2]
runner = CliRunner()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for p in SEEDS:
        shutil.copy(p, tmp_path / p.name)
    # valid UTF-8 up to line 3, then bytes that are neither UTF-8, UTF-16 nor Vietnamese cp1258
    (tmp_path / "bad.txt").write_bytes("KẾ HOẠCH\nThông tin đối ngoại\n".encode() + b"\x81\x8d\x8f\x90 hong\n")
    (tmp_path / "junk.docx").write_bytes(b"")
    return tmp_path


def _run(*args: str):
    return runner.invoke(app, ["extract", *args])


def test_json_prints_good_records_and_names_bad_files(folder):
    res = _run(str(folder))
    assert res.exit_code == 1
    records = json.loads(res.stdout)
    assert [r["source"] for r in records] == [p.name for p in SEEDS]
    assert all(r["plan"]["number"] and r["tasks"] for r in records)
    err = res.stderr
    assert f"{folder / 'bad.txt'}:3:" in err  # file and line
    assert "junk.docx" in err
    assert "2 document(s) failed, 2 extracted" in err


def test_jsonl(folder):
    res = _run(str(folder), "--format", "jsonl")
    assert res.exit_code == 1
    lines = res.stdout.strip().split("\n")
    assert [json.loads(line)["source"] for line in lines] == [p.name for p in SEEDS]


def test_table(folder):
    res = _run(str(folder), "-f", "table")
    assert res.exit_code == 1
    rows = res.stdout.strip().split("\n")
    assert rows[0].split()[:3] == ["source", "jurisdiction", "number"]
    assert set(rows[1]) <= {"-", " "}
    assert [r.split()[0] for r in rows[2:]] == [p.name for p in SEEDS]
    assert "bad.txt" in res.stderr


def test_output_file_gets_the_json_array(folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "records.json"
    res = _run(str(folder), "-o", str(out))
    assert res.exit_code == 1
    assert res.stdout == ""
    records = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(records, list) and [r["source"] for r in records] == [p.name for p in SEEDS]
    assert "bad.txt" in res.stderr


def test_all_good_exits_zero(tmp_path):
    shutil.copy(SEEDS[0], tmp_path / SEEDS[0].name)
    res = _run(str(tmp_path / SEEDS[0].name))
    assert res.exit_code == 0, res.stderr
    (record,) = json.loads(res.stdout)
    assert record["source"] == SEEDS[0].name and len(record["sha256"]) == 64
    assert res.stderr == ""


def test_missing_path_is_reported(tmp_path):
    res = _run(str(tmp_path / "nope.txt"))
    assert res.exit_code == 1
    assert "nope.txt" in res.stderr
    assert json.loads(res.stdout) == []


def test_table_says_how_tasks_were_found(tmp_path):
    from tests.test_task_tables import ANNEX_PLAN, PIPE_PLAN

    shutil.copy(SEEDS[0], tmp_path / SEEDS[0].name)
    (tmp_path / "annex.md").write_text(ANNEX_PLAN, encoding="utf-8")
    (tmp_path / "body.md").write_text(PIPE_PLAN, encoding="utf-8")
    res = _run(str(tmp_path), "--format", "table")
    assert res.exit_code == 0, res.stderr
    rows = {line.split()[0]: line for line in res.stdout.splitlines()[2:]}
    assert "found by" in res.stdout.splitlines()[0]
    assert "table 4" in rows["annex.md"] and "fields" not in rows["annex.md"]
    assert "table 5" in rows["body.md"]
    assert "fields 8" in rows[SEEDS[0].name]
