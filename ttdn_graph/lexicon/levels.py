"""Level words of administrative units: tỉnh, thành phố, thị xã, huyện, quận, xã, phường, thị trấn, đặc khu
(data/lexicon/levels.csv), with their kind (province / district / commune), short forms (TP, TX, Q, P), whether
the parser reads a place name after them in running text, and the name of the unit's Party committee."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ttdn_graph.lexicon._load import load

KINDS = ("province", "district", "commune")


@dataclass(frozen=True)
class LevelWord:
    word: str  # lower case: "thị xã"
    kind: str  # "province" | "district" | "commune"
    short_forms: tuple[str, ...] = ()  # as printed: "TP", "T.P."
    in_text: bool = False  # the parser reads "<word> <Place Name>" in running text
    party_committee: str | None = None  # "Thị ủy"
    tells_level: bool = True  # a name ending with the word (or its committee) is of this kind ("thành phố": no)
    note: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind {self.kind!r} is not one of {', '.join(KINDS)}")
        if self.word != self.word.lower():
            raise ValueError(f"level word {self.word!r} must be written in lower case")


@cache
def level_words() -> tuple[LevelWord, ...]:
    return load("levels.csv", LevelWord)


def _longest_first(words) -> tuple[str, ...]:
    return tuple(sorted(dict.fromkeys(words), key=len, reverse=True))


@cache
def levels_of(kind: str) -> tuple[str, ...]:
    """The level words of a kind, in file order: levels_of("commune") → ("thị trấn", "phường", "xã", "đặc khu")."""
    return tuple(w.word for w in level_words() if w.kind == kind)


@cache
def text_levels() -> tuple[str, ...]:
    """The level words the parser reads a place name after, longest first ("thành phố" … "xã")."""
    return _longest_first(w.word for w in level_words() if w.in_text)


@cache
def all_levels() -> tuple[str, ...]:
    """Every level word, longest first ("thành phố trực thuộc trung ương" before "thành phố")."""
    return _longest_first(w.word for w in level_words())


@cache
def short_forms() -> dict[str, str]:
    """Short form in lower case → its level word: {"tp": "thành phố", "t.p.": "thành phố", "tx": "thị xã", …}."""
    return {s.lower(): w.word for w in level_words() for s in w.short_forms}


@cache
def level_tokens() -> frozenset[str]:
    """The single words of the level words the parser reads ("thị", "xã", "thành", "phố" …): what an agency's
    identity key drops at its end ("Đài Phát thanh và Truyền hình tỉnh")."""
    return frozenset(t for w in level_words() if w.in_text for t in w.word.split())


@cache
def party_committees() -> dict[str, str]:
    """Party committee name in lower case → the level word of its unit, for the levels read in text:
    {"tỉnh ủy": "tỉnh", "thành ủy": "thành phố", "thị ủy": "thị xã", "huyện ủy": "huyện", "quận ủy": "quận"}."""
    out: dict[str, str] = {}
    for w in level_words():
        if w.party_committee and w.in_text:
            out.setdefault(w.party_committee.lower(), w.word)
    return out


@cache
def unit_endings(kind: str) -> tuple[str, ...]:
    """Lower-case endings that place a name in a unit of a kind, for the levels read in text whose word tells the
    level: unit_endings("province") → ("tỉnh", "tỉnh ủy"); "district" → huyện, thị xã, quận and their committees
    ("thành phố", "thành ủy" do not tell: a city may be of either kind)."""
    out: list[str] = []
    for w in level_words():
        if w.kind == kind and w.in_text and w.tells_level:
            out.append(w.word)
            if w.party_committee:
                out.append(w.party_committee.lower())
    return tuple(out)


@cache
def unit_committees(kind: str) -> tuple[str, ...]:
    """The Party committees of the levels of a kind read in text, as written: "district" → ("Huyện ủy", "Thị ủy",
    "Thành ủy", "Quận ủy")."""
    return tuple(dict.fromkeys(w.party_committee for w in level_words()
                               if w.kind == kind and w.in_text and w.party_committee))


@cache
def city_endings() -> tuple[str, ...]:
    """Lower-case endings of the levels read in text whose word does not tell the level, and their committees:
    ("thành phố", "thành ủy") — a city may be a province or a district."""
    out: list[str] = []
    for w in level_words():
        if w.in_text and not w.tells_level:
            out.append(w.word)
            if w.party_committee:
                out.append(w.party_committee.lower())
    return tuple(out)
