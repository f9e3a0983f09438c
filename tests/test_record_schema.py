"""The JSON Schema of extraction records (ttdn_graph/schema/record.schema.json) against the Record dataclasses."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from ttdn_graph.extract import extract_text
from ttdn_graph.record import Instrument, Record, Task, TimeSpan, record_from_dict

ROOT = Path(__file__).resolve().parents[1]
VALIDATOR = Draft202012Validator(
    json.loads((ROOT / "ttdn_graph" / "schema" / "record.schema.json").read_text(encoding="utf-8"))
)


def _errors(d: dict) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(d)]


def test_schema_is_valid_draft_2020_12():
    Draft202012Validator.check_schema(VALIDATOR.schema)


def test_empty_record_validates():
    assert _errors(Record(source="x.txt").to_dict()) == []


def test_record_with_every_part_validates():
    rec = Record(source="x.txt")
    rec.instruments.append(
        Instrument(type="Quyết định", number="1/QĐ-TTg", cited_as=["basis"], implements=["CT|2/CT-TTg"])
    )
    rec.instruments.append(Instrument(type="Chiến lược", name="Chiến lược bảo vệ biên giới", cited_as=["body"]))
    rec.tasks.append(
        Task("II.1", "II", "Tuyên truyền", ["Sở A"], [], TimeSpan("Quý I/2020", "2020-01-01", "2020-03-31"))
    )
    rec.tasks.append(
        Task("II.2", "II", "Báo cáo", [], [], TimeSpan("6 tháng, 1 năm", recurrence=["semiannual", "annual"]))
    )
    rec.warn(3, "lost-slash", "read as 22/2016")
    d = rec.to_dict()
    assert "deadline" not in d["tasks"][0]["time"]  # an unset deadline is left out, not null
    assert _errors(d) == []


@pytest.mark.parametrize("gold", sorted((ROOT / "tests" / "gold").glob("*.json")), ids=lambda p: p.stem)
def test_gold_round_trips_through_record(gold):
    d = record_from_dict(json.loads(gold.read_text(encoding="utf-8"))).to_dict()
    assert _errors(d) == []
    assert record_from_dict(d).to_dict() == d


def _good() -> dict:
    return extract_text(
        "KẾ HOẠCH\nThông tin đối ngoại tỉnh Nam Định năm 2021\n"
        "Căn cứ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ;\n"
        "II. NHIỆM VỤ CỤ THỂ\n1. Tuyên truyền\n- Đơn vị chủ trì: Sở Ngoại vụ.\n- Thời gian: Quý II/2021.\n",
        "x.txt",
    ).to_dict()


def test_extracted_fixture_validates_and_has_content():
    d = _good()
    assert _errors(d) == []
    assert d["instruments"] and d["tasks"][0]["time"]["start"] == "2021-04-01"


@pytest.mark.parametrize(
    "path, value",
    [
        (("plan", "date_issued"), "2021-3-5"),
        (("plan", "jurisdiction", "level"), "province"),
        (("instruments", 0, "cited_as"), ["preamble"]),
        (("instruments", 0, "cited_as"), []),
        (("instruments", 0, "implements"), ["1486/QĐ-TTg"]),  # a key needs its TYPECODE|
        (("tasks", 0, "time", "recurrence"), "yearly"),
        (("tasks", 0, "time", "recurrence"), ["annual"]),  # a list means two or more
        (("tasks", 0, "lead"), [""]),
        (("responsibilities",), [{"agency": "Sở A", "section": "IV.1", "duties": 0}]),
    ],
)
def test_schema_rejects_malformed_values(path, value):
    d = copy.deepcopy(_good())
    target = d
    for k in path[:-1]:
        target = target[k]
    target[path[-1]] = value
    assert _errors(d), f"schema accepted {path}={value!r}"


@pytest.mark.parametrize("key", ["source", "plan", "instruments", "tasks", "responsibilities", "warnings"])
def test_schema_requires_top_level_keys(key):
    d = _good()
    del d[key]
    assert _errors(d)
