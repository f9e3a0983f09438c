"""Property tests: whatever text arrives, extraction returns a schema-valid record, deterministically.

Two strategies: arbitrary Unicode, and splices of the things plans are made of (real seed lines, outline markers,
symbols, dates, header pieces, markup) glued with random separators — the messy middle where parsers break.
Derandomised, so CI sees the same examples every run.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from ttdn_graph.extract import extract_text
from ttdn_graph.parse.normalize import fold_variants, normalize_lines

ROOT = Path(__file__).resolve().parents[1]
VALIDATOR = Draft202012Validator(
    json.loads((ROOT / "ttdn_graph" / "schema" / "record.schema.json").read_text(encoding="utf-8"))
)
FAST = settings(
    max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def _seed_lines() -> list[str]:
    lines: list[str] = []
    for p in sorted((ROOT / "data" / "plans").glob("*.txt")):
        text = p.read_text(encoding="utf-8").split("\n")
        lines.extend(ln[:300] for ln in text[::7] if ln.strip())  # every 7th line: all kinds, little weight
    return lines


FRAGMENTS = [
    # outline markers and bullets
    "I. ", "II. NỘI DUNG", "III. TỔ CHỨC THỰC HIỆN", "IV. KINH PHÍ", "V. ", "1. ", "1.1. ", "1.1.1. ", "2) ",
    "a) ", "đ) ", "- ", "+ ", "* ", "• ", "-1", "- - ", "A. NHIỆM VỤ",
    # header pieces
    "KẾ HOẠCH", "ỦY BAN NHÂN DÂN", "UBND TỈNH ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
    "Số: ", "Sô:", "Số hiệu: ", "Hà Nội, ngày ", "ngày  tháng 10 năm 2018", " tháng ", " năm ", "TM. ", "KT. CHỦ TỊCH",
    "PHÓ CHỦ TỊCH", "Nơi nhận:", "Trên đây là",
    # preamble and citations
    "Căn cứ ", "Thực hiện ", "Xét đề nghị ", "Quyết định số ", "Chỉ thị ", "Nghị định ", "Kế hoạch số ",
    "Hướng dẫn số ", "Tờ trình số ", "1486/QĐ-TTg", "26-CT/TW", "1144-QĐ/TU", "222016/TT-BTTTT", "72/NĐ-CP",
    "269/KH-STTTT-BCHBĐBP", "4110/BTTTT-TTĐN", "21/CT -TTg", "12 /KH-UBND", "37/KH-UBND", " của ", " c ủa ",
    "Thủ tướngChính phủ", "Chính phủ1", "2018của", "triển khai thực hiện ", "sửa đổi, bổ sung ", "“Đề án ",
    "Chiến lược ", "Luật Báo chí", "(UBND)",
    # dates and times
    "ngày 10/9/2008", "ngày 31/02/2019", "ngày 06 tháng 11 năm 2018", "Quý I", "Quý IV", "quý II - quý III",
    "năm 2019", "hằng năm", "định kỳ 6 tháng", "giai đoạn 2019 - 2020", "và các năm tiếp theo", "trước ngày 10/5",
    "Thường xuyên", "2091", "9999", "0/0/0000",
    # fields and agencies
    "Cơ quan chủ trì:", "*Cơ quan chủ trì:*", "Đơn vị phối hợp: ", "Thời gian thực hiện: ", "Nội dung: ",
    "Hình thức:", "Chỉ số:", "Sở TT&TT", "Đài PT-TH tỉnh", "các sở, ban, ngành", "UBND các huyện, thị xã",
    "Đề nghị ", "(theo chức năng nhiệm vụ)", "Ủy ban MTTQ tỉnh", "Uỷ ban", "hoá",
    # markup and debris
    "**", "*", "__", "#", "## ", "|", "| --- |", "<sup>1</sup>", "<b>", "&amp;", "\\*", "[x](http://a)", "- 3 -",
    "Trang 2/5", "\f", "\t", "\u00a0", "\u200b", "\ufeff", ":", ";", ".", ",", "/", "(", ")", "“", "”",
    # casing / composition
    unicodedata.normalize("NFD", "Thông tin đối ngoại"), "ǅ", "İ", "ß", "ﬁ",
]  # fmt: skip
SEPARATORS = ["", " ", "  ", "\n", "\n\n", "\r\n", ": ", "; "]

spliced = st.lists(
    st.tuples(
        st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from(_seed_lines()), st.text(max_size=12)),
        st.sampled_from(SEPARATORS),
    ),
    max_size=60,
).map(lambda parts: "".join(f + s for f, s in parts))
# a document that lost its line breaks: one long run of fragments, past the length where it is re-split
runs = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from(_seed_lines())), min_size=30, max_size=80).map(
    " ".join
)
any_text = st.one_of(st.text(max_size=400), spliced, runs)


def _valid(d: dict) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(d)]


@FAST
@given(any_text)
def test_extract_never_raises_and_validates(text):
    d = extract_text(text, "prop.txt").to_dict()
    assert _valid(d) == []
    json.dumps(d, ensure_ascii=False)  # serialisable as the CLI prints it


@FAST
@given(spliced)
def test_extract_is_deterministic(text):
    assert extract_text(text, "a.txt").to_dict() == extract_text(text, "a.txt").to_dict()


@FAST
@given(any_text)
def test_fold_variants_is_nfc_and_idempotent(text):
    once = fold_variants(text)
    assert unicodedata.is_normalized("NFC", once)
    assert fold_variants(once) == once


@FAST
@given(any_text)
def test_normalized_lines_are_nfc_and_map_back_to_source_lines(text):
    lines = normalize_lines(text)
    n_source = len(fold_variants(text).split("\n"))
    previous = 0
    for ln in lines:
        assert unicodedata.is_normalized("NFC", ln.text)
        assert fold_variants(ln.text) == ln.text
        assert ln.text == ln.text.strip() and ln.text
        assert previous <= ln.no <= n_source  # line numbers stay in order and inside the source
        previous = ln.no


@FAST
@given(st.one_of(spliced, runs))
def test_normalising_twice_changes_nothing_more(text):
    once = [ln.text for ln in normalize_lines(text)]
    assert [ln.text for ln in normalize_lines("\n".join(once))] == once
