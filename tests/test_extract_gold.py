"""End to end on the seed plans: extraction scored against the hand-checked gold records.

The scorer is tests/score_gold.py (the project's own metric); this test holds the parser to a floor on every
headline metric so a parser change that trades one metric for another shows up here, not in the hidden set.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from ttdn_graph.extract import extract_file

ROOT = Path(__file__).resolve().parents[1]
PLANS = sorted((ROOT / "data" / "plans").glob("*.txt"))
GOLD = ROOT / "tests" / "gold"
HEADLINE_FLOOR = 0.90
OVERALL_FLOOR = 0.95


def _scorer():
    spec = importlib.util.spec_from_file_location("score_gold", ROOT / "tests" / "score_gold.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def records() -> list[dict]:
    assert PLANS, "no seed plans under data/plans"
    return [extract_file(p).to_dict() for p in PLANS]


@pytest.fixture(scope="module")
def report(records, tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("gold")
    pred, out = tmp / "pred.json", tmp / "report.json"
    pred.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    score = _scorer()
    assert score.main(["--gold", str(GOLD), "--pred", str(pred), "--json", str(out)]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_every_seed_has_a_gold_record(records):
    gold = {p.stem for p in GOLD.glob("*.json")}
    assert {Path(r["source"]).stem for r in records} == gold


def test_overall_score(report):
    assert report["overall"] >= OVERALL_FLOOR, f"overall {report['overall']:.3f}"


@pytest.mark.parametrize("metric", _scorer().HEADLINE)
def test_headline_metric(report, metric):
    got = report["total"][metric]
    assert got["f1"] >= HEADLINE_FLOOR, f"{metric}: F1 {got['f1']:.3f} (tp={got['tp']} fp={got['fp']} fn={got['fn']})"


def test_records_validate_against_schema(records):
    schema = json.loads((ROOT / "ttdn_graph" / "schema" / "record.schema.json").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema)
    for r in records:
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(r)]
        assert not errors, f"{r['source']}: {errors[:5]}"


def test_seed_records_carry_provenance(records):
    for r in records:
        assert r["format"] == "text" and len(r["sha256"]) == 64
        assert all(t["line_start"] and t["line_end"] >= t["line_start"] for t in r["tasks"])
        assert all(i["line"] for i in r["instruments"])
