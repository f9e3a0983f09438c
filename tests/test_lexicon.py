"""The lexicon (ttdn_graph/lexicon/): one typed loader that refuses a malformed row, one fold, and no other module
keeping its own copy of the language data."""

from __future__ import annotations

import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from ttdn_graph import lexicon
from ttdn_graph.lexicon import LexiconError, ascii_fold, expand_abbreviations, fold, nfc
from ttdn_graph.lexicon._load import FILES, load
from ttdn_graph.parse.normalize import strip_markup
from ttdn_graph.paths import data_dir
from ttdn_graph.resolve.agencies import expand

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ttdn_graph"


# ---------------------------------------------------------------- the loader


@dataclass(frozen=True)
class Row:
    word: str
    pattern: re.Pattern[str]
    forms: tuple[str, ...] = ()
    flag: bool = False
    note: str = ""


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "rows.csv"
    p.write_text(text, encoding="utf-8")
    return p


def test_loader_reads_typed_rows(tmp_path):
    p = _write(tmp_path, "word,pattern,forms,flag,note\nhuyện,^huyện\\b,H|HU,yes,\nxã,xã,,,a note\n")
    rows = load("rows.csv", Row, p)
    assert rows[0] == Row("huyện", re.compile(r"^huyện\b"), ("H", "HU"), True, "")
    assert rows[1].forms == () and rows[1].flag is False and rows[1].note == "a note"


@pytest.mark.parametrize(
    ("text", "line", "what"),
    [
        ("word,pattern\nhuyện,^huyện\nxã,(unclosed\n", 3, "bad regular expression"),  # a typo in a regex
        ("word,pattern\nhuyện,^huyện\n,xã\n", 3, "'word' is empty"),  # a required cell left empty
        ("word,pattern\nhuyện,^huyện,extra\n", 2, "cells expected"),  # a stray comma
        ("word,pattern,flag\nhuyện,^huyện,perhaps\n", 2, "not yes or no"),
        ("word,note\nhuyện,x\n", 1, "column 'pattern' is missing"),  # a header without a required column
    ],
)
def test_a_malformed_row_raises_with_file_and_line(tmp_path, text, line, what):
    p = _write(tmp_path, text)
    with pytest.raises(LexiconError) as e:
        load("rows.csv", Row, p)
    assert f"{p}:{line}:" in str(e.value) and what in str(e.value)


def test_a_refused_value_names_file_and_line(tmp_path):
    (tmp_path / "lexicon").mkdir()
    shutil.copy(data_dir() / "lexicon" / "levels.csv", tmp_path / "lexicon" / "levels.csv")
    with open(tmp_path / "lexicon" / "levels.csv", "a", encoding="utf-8") as f:
        f.write("khu phố,hamlet,,no,,,not a level of the three kinds\n")
    from ttdn_graph.lexicon.levels import LevelWord

    with pytest.raises(LexiconError, match=r"levels\.csv:12: kind 'hamlet' is not one of"):
        load("levels.csv", LevelWord, tmp_path / "lexicon" / "levels.csv")


def test_a_bad_data_file_is_an_error_not_unknown(tmp_path, monkeypatch):
    """A typo in a lexicon file stops the reader with its line, instead of turning into "unknown" downstream."""
    data = tmp_path / "data"
    shutil.copytree(data_dir(), data, ignore=shutil.ignore_patterns("plans"))
    path = data / "lexicon" / "abbreviations.csv"
    path.write_text(path.read_text(encoding="utf-8") + "\\bUB(ND,Ủy ban nhân dân,broken\n", encoding="utf-8")
    monkeypatch.setenv("TTDN_DATA", str(data))
    lexicon.clear_caches()
    try:
        with pytest.raises(LexiconError, match=r"abbreviations\.csv:\d+: column 'pattern': bad regular expression"):
            expand_abbreviations("UBND tỉnh")
    finally:
        monkeypatch.delenv("TTDN_DATA")
        lexicon.clear_caches()


def test_every_lexicon_file_loads():
    assert lexicon.abbreviations() and lexicon.agency_types() and lexicon.instrument_types()
    assert lexicon.level_words() and lexicon.field_rules() and lexicon.verbs() and lexicon.section_rules()
    assert lexicon.signer_positions() and lexicon.theme_rows() and lexicon.central_bodies()
    assert lexicon.corrections() and lexicon.central_codes()
    for name, folder in FILES.items():
        assert (data_dir() / folder / name).is_file(), name


# ---------------------------------------------------------------- fold


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("UỶ BAN NHÂN DÂN", "ủy ban nhân dân"),
        ("Văn hoá", "văn hóa"),
        ("Thanh Hoá", "Thanh Hóa"),
        ("khoẻ", "khỏe"),
        ("Thuỷ", "Thủy"),
        (unicodedata.normalize("NFD", "Sở Thông tin và Truyền thông"), "Sở Thông tin và Truyền thông"),
        (unicodedata.normalize("NFD", "Uỷ ban"), "Ủy ban"),
        ("  Sở   Ngoại vụ ", "sở ngoại vụ"),
    ],
)
def test_fold_equivalences(a, b):
    assert fold(a) == fold(b)


@pytest.mark.parametrize("word", ["khuỷu", "quý", "Quỳnh", "hoàng", "ngoài", "thuyền", "giá"])
def test_fold_leaves_closed_syllables_and_qu_alone(word):
    assert nfc(word) == unicodedata.normalize("NFC", word)


def test_nfc_keeps_case_and_fold_is_idempotent():
    assert nfc("UỶ BAN Hoà Bình") == "ỦY BAN Hòa Bình"
    assert fold(fold("UỶ  Ban")) == fold("UỶ  Ban") == "ủy ban"
    assert ascii_fold("Thừa Thiên Huế, Đắk Lắk") == "thua thien hue, dak lak"


def test_fold_is_markdown_free():
    """fold is about letters only: markup is the normaliser's business, and folding after it meets plain text."""
    assert fold("**Uỷ ban**") == "**ủy ban**"
    assert fold(strip_markup("**Uỷ ban** _nhân dân_")) == fold("Ủy ban nhân dân")


def test_tone_spellings_gives_both_placements():
    assert lexicon.tone_spellings("hóa") == {"hóa", "hoá"}


# ---------------------------------------------------------------- abbreviations


@pytest.mark.parametrize(
    ("name", "want"),
    [
        ("Ủy ban MTTQ tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
        ("Ủy ban MTTQ Việt Nam tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
        ("UBND TP.Hạ Long", "Ủy ban nhân dân thành phố Hạ Long"),
        ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
    ],
)
def test_graph_expand(name, want):
    assert expand(name) == want


def test_parser_and_graph_expand_alike():
    for name in ("Ủy ban MTTQ tỉnh", "UBND huyện", "Đài PT-TH tỉnh", "BCĐ công tác TTĐN"):
        assert expand(name) == expand_abbreviations(name).strip()


# ---------------------------------------------------------------- the rest of the data


def test_levels_and_sections_and_signers():
    assert lexicon.levels_of("commune") == ("xã", "phường", "thị trấn", "đặc khu")
    assert {"tỉnh", "huyện", "thị xã", "thành phố", "quận", "xã", "phường", "thị trấn"} == set(lexicon.text_levels())
    assert lexicon.section_kind("IV. TỔ CHỨC THỰC HIỆN") == "responsibility"
    assert lexicon.section_kind("II. NỘI DUNG HOẠT ĐỘNG") == "activity"
    assert lexicon.section_kind("I. MỤC ĐÍCH, YÊU CẦU") == "other"
    assert lexicon.position_in("KT. CHỦ TỊCH") == "Chủ tịch"
    assert lexicon.position_in("PHÓ CHỦ TỊCH") == "Phó Chủ tịch"


@pytest.mark.parametrize(
    ("label", "kind"),
    [("đơn vị chủ trì", "lead"), ("cơ quan phối hợp", "support"), ("thời gian thực hiện", "time"),
     ("nội dung", "other"), ("trách nhiệm thực hiện", "lead")],
)
def test_field_labels_come_from_data(label, kind):
    assert lexicon.label_kind(label) == kind


def test_issuer_code_scopes():
    assert lexicon.code_scope("TTg") == "central" and lexicon.code_scope("BTTTT") == "central"
    assert lexicon.code_scope("BTGTU") == "local" and lexicon.code_scope("STTTT") == "local"
    assert lexicon.code_scope("QH15") == "central"
    assert "HU" in lexicon.district_codes()


# ---------------------------------------------------------------- nothing else keeps its own copy


def _sources() -> list[tuple[Path, str]]:
    out = []
    for p in sorted(PACKAGE.rglob("*.py")):
        if "lexicon" in p.relative_to(PACKAGE).parts:
            continue
        out.append((p, p.read_text(encoding="utf-8")))
    return out


_COPIES = [
    (re.compile(r"\b_move_tone\b|\b_OLD_TONE\b|\b_TONE_PAIRS\b|\(\"uỷ\", \"ủy\"\)|\(\"oá\", \"óa\"\)"), "a tone table"),
    (re.compile(r"unicodedata\.normalize\(\s*\"NFD\""), "diacritic stripping (use lexicon.unaccent / ascii_fold)"),
    (re.compile(r"\(\s*r\"\\bUBND\\b\",\s*\"Ủy ban nhân dân\"\)"), "an abbreviation table"),
    (re.compile(r"_ABBREVIATIONS\s*=|def abbreviations\(|def _abbreviations\("), "an abbreviation table"),
    (re.compile(r"[\"']vocab[\"']\s*/|/\s*[\"']lexicon[\"']|abbreviations\.csv[\"']|agency_types\.csv[\"']|"
                r"instrument_types\.csv[\"']|themes\.csv[\"']|central_bodies\.csv[\"']"), "a lexicon file opened"),
    (re.compile(r"\"PHÓ\\s\+CHỦ\\s\+TỊCH\"|r\"PHÓ\\s\+CHỦ"), "a signer-position table"),
    (re.compile(r"\"phối hợp\|chủ trì\|"), "a verb list"),
    (re.compile(r"\(\"thành phố\", \"thị trấn\", \"thị xã\""), "a level-word list"),
]


@pytest.mark.parametrize(("rx", "what"), _COPIES, ids=[w for _, w in _COPIES])
def test_no_module_outside_the_lexicon_keeps_its_own_copy(rx, what):
    offenders = [str(p.relative_to(ROOT)) for p, text in _sources() if rx.search(text)]
    assert not offenders, f"{what} outside ttdn_graph/lexicon: {offenders}"


def test_the_vocab_module_is_gone():
    assert not (PACKAGE / "vocab.py").exists()
    assert not (data_dir() / "vocab" / "abbreviations.csv").exists()  # moved to data/lexicon


# ---------------------------------------------------------------- words.csv: patterns are built from the words


def test_words_build_the_patterns():
    from ttdn_graph.lexicon.words import KINDS, alternation_of, word_rows

    assert {w.kind for w in word_rows()} == set(KINDS)  # every kind has words, and every row a known kind
    assert alternation_of("carry-out-verb").startswith(r"triển\s+khai\s+theo|triển\s+khai|")  # file order
    assert alternation_of("org-head", " ").split("|")[4] == "chi cục"
    assert re.fullmatch(alternation_of("national-motto"), "ĐỘC LẬP – TỰ DO".lower())
    assert re.fullmatch(alternation_of("closing"), "TM.") and not re.fullmatch(alternation_of("closing"), "TMX")


def test_a_word_of_an_unknown_kind_names_file_and_line(tmp_path):
    from ttdn_graph.lexicon.words import Word

    p = _write(tmp_path, "kind,word,note\ntitle-word,KẾ HOẠCH,\ntitle-wrod,ĐỀ ÁN,\n")
    with pytest.raises(LexiconError, match=r"rows\.csv:3: kind 'title-wrod' is not one of"):
        load("rows.csv", Word, p)
    p = _write(tmp_path, "kind,word,note\ntitle-word,KẾ  HOẠCH,\n")
    with pytest.raises(LexiconError, match=r"rows\.csv:2: word 'KẾ  HOẠCH'"):
        load("rows.csv", Word, p)


def test_level_endings_come_from_levels():
    from ttdn_graph.store.inference import _LEVEL_ENDINGS

    assert lexicon.unit_endings("province") == ("tỉnh", "tỉnh ủy")
    assert set(lexicon.unit_endings("district")) == {"huyện", "huyện ủy", "thị xã", "thị ủy", "quận", "quận ủy"}
    assert set(_LEVEL_ENDINGS) == {"tỉnh", "huyện", "thị xã", "thành phố", "quận"}


def test_city_endings_and_change_labels_come_from_data(tmp_path):
    from ttdn_graph.lexicon.organisations import CHANGE_KINDS, change_labels
    from ttdn_graph.resolve.units import _CITY_WORDS

    assert lexicon.city_endings() == ("thành phố", "thành ủy") and {"thành phố", "thành ủy"} == _CITY_WORDS
    assert change_labels()["merger"] == ("Hợp nhất", "vào") and set(change_labels()) == set(CHANGE_KINDS)
    p = _write(tmp_path, "kind,verb,preposition,note\nmerger,Hợp nhất,vào,\nmerge,Tách,thành,\n")
    with pytest.raises(LexiconError, match=r"rows\.csv:3: kind 'merge' is not one of"):
        change_labels.__wrapped__(p)
    p = _write(tmp_path, "kind,verb,preposition,note\nmerger,Hợp nhất,vào,\n")
    with pytest.raises(LexiconError, match="one label per change kind"):
        change_labels.__wrapped__(p)


# the modules whose patterns are built from words.csv
_PATTERN_MODULES = [
    *sorted((PACKAGE / "parse").glob("*.py")),
    *sorted((PACKAGE / "resolve").glob("*.py")),
    PACKAGE / "readers" / "html_reader.py",
    PACKAGE / "extract.py",
]


def _literals(path: Path):
    """The module's string constants (f-string parts too) and its tuple/set/list displays of strings, docstrings
    left out."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {
        id(n.body[0].value)
        for n in ast.walk(tree)
        if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)
    }
    strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
               and id(n) not in docs]
    displays = [[e.value for e in n.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
                for n in ast.walk(tree) if isinstance(n, (ast.Tuple, ast.Set, ast.List))]
    return strings, displays


def _member(form: str) -> re.Pattern[str]:
    """The form as one alternative of a regex alternation: between "(", "|", ":" and "|", ")"."""
    return re.compile(r"(?<![^|(:])" + re.escape(form) + r"(?![^|)])")


@pytest.mark.parametrize("path", _PATTERN_MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_word_list_of_words_csv_in_a_pattern(path):
    """A word list moved to data/lexicon/words.csv does not creep back: no regex literal in the module holds two
    words of one kind as alternatives ("Căn\\s+cứ|Thực\\s+hiện", "sở|ban|ngành"), no tuple or set holds two of
    them, and the title words and the national motto are not spelled out in a pattern."""
    from ttdn_graph.lexicon.words import KINDS, phrase_pattern, words

    strings, displays = _literals(path)
    found = []
    for kind in KINDS:
        forms = [(w, (_member(phrase_pattern(w)), _member(phrase_pattern(w, " ")))) for w in words(kind)]
        for s in strings:  # level words ("quận|phường") are levels.csv's business here too
            hits = [w for w, rxs in forms if any(rx.search(s) for rx in rxs) and w not in lexicon.all_levels()]
            if len(hits) >= 2:
                found.append((kind, hits, s[:80]))
        for d in displays:  # a comparison with level words ("tỉnh", "thành phố") is levels.csv's business
            hits = [w for w in words(kind) if w in d and w not in lexicon.all_levels()]
            if len(hits) >= 2:
                found.append((kind, hits, d))
    for kind in ("title-word", "other-title-word", "national-motto"):
        for w in words(kind):
            found += [(kind, [w], s[:80]) for s in strings if phrase_pattern(w) in s]
    assert not found, f"{path.relative_to(ROOT)} keeps words of data/lexicon/words.csv in code: {found}"


def test_new_tones_agrees_with_its_pattern():
    """new_tones finds old placements from the glide; _OLD_TONE is the rule written as one pattern."""
    import importlib

    from hypothesis import given, settings
    from hypothesis import strategies as st

    fold_module = importlib.import_module("ttdn_graph.lexicon.fold")
    alphabet = "aoueyqghkntOUAEYQáàảãạéèẻẽẹýỳỷỹỵÁÀẢÃẠÝỲỶỸỴ ,.1"

    @settings(max_examples=3000, deadline=None)
    @given(st.text(alphabet=alphabet, max_size=12))
    def check(text):
        assert fold_module.new_tones(text) == fold_module._OLD_TONE.sub(fold_module._move_tone, text)

    check()
    assert fold_module.new_tones("Uỷ ban nhân dân, hoá, THUỶ, quý, khuỷu") == "Ủy ban nhân dân, hóa, THỦY, quý, khuỷu"
