"""Administrative-unit vocabulary the parser needs: level words, province-level cities, enclosing provinces.

Facts come from the gazetteer (data/gazetteer/); the level words from the lexicon (data/lexicon/levels.csv).
"""

from __future__ import annotations

import re
from collections import Counter

from ttdn_graph import gazetteer
from ttdn_graph.lexicon import levels_of, text_levels, words
from ttdn_graph.parse.text import clean_space

LEVELS = text_levels()  # data/lexicon/levels.csv: the level words a place name follows in running text
SUB_PROVINCIAL = set(LEVELS) - set(levels_of("province"))
NAME_WORD = r"[A-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ][a-zà-ỹđA-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ'’]*"
PLACE_NAME = rf"{NAME_WORD}(?:(?:[ \t]+[-–][ \t]+|[ \t]+){NAME_WORD}){{0,3}}"
# a numbered quận or phường: "quận 7", "PHƯỜNG 12" (the number is the name; not "quận 7/2019")
_NUMBER = r"(?:(?<=[Qq]uận )|(?<=QUẬN )|(?<=[Pp]hường )|(?<=PHƯỜNG ))\d{1,2}\b(?![/.]\d)"
UNIT_RX = re.compile(rf"\b(?P<level>(?i:{'|'.join(LEVELS)}))\s+(?P<name>{PLACE_NAME}|{_NUMBER})")
_STOP_WORDS = frozenset(words("place-name-stop"))  # data/lexicon/words.csv (case as written)


def trim_name(name: str) -> str:
    """The place name at the start of a captured run: up to a number or a function word ("Hải Dương năm 2019" →
    "Hải Dương"); a number alone is a name ("7" of quận 7), and so is a known place that begins with a function
    word ("Từ Sơn", "Việt Trì")."""
    words = clean_space(name).split(" ")
    if words and words[0].isdigit():
        return words[0]
    out: list[str] = []
    for i, w in enumerate(words):
        if w.isdigit() or (w in _STOP_WORDS and (out or w != "Việt")):  # "Việt Trì", "Việt Yên" are places
            if i == 0:
                known = next((" ".join(words[:k]) for k in range(min(4, len(words)), 1, -1)
                              if known_unit(" ".join(words[:k]))), None)  # fmt: skip
                if known:
                    return known
            break
        out.append(w)
    return " ".join(out).strip(" -")


def is_province(name: str) -> bool:
    return gazetteer.province(name) is not None


def _on(year: int | None):
    import datetime as dt

    return dt.date(year, 6, 30) if year else None


def is_central_city(name: str, year: int | None = None) -> bool:
    """A centrally-run city in that year ("thành phố Huế" was a provincial city until 2025)."""
    u = gazetteer.province(name, on=_on(year)) if year else gazetteer.province(name)
    return u is not None and "thành phố" in (u.level or "")


def level_of(level_word: str, name: str, year: int | None = None) -> str:
    lw = level_word.lower()
    if lw == "thành phố" and is_central_city(name, year):
        return "thành phố trực thuộc trung ương"
    return lw


def known_unit(name: str, level: str | None = None) -> bool:
    """Does the gazetteer know a unit of that name (and level)?"""
    if level in (None, "tỉnh", "thành phố") and gazetteer.province(name) is not None:
        return True
    return gazetteer.unit_for(name, level=level) is not None


_CAPS_STOP = frozenset(words("caps-place-name-stop"))  # data/lexicon/words.csv (upper case)


def unit_in_caps(title: str) -> tuple[str, str] | None:
    """'… HÌNH ẢNH TỈNH NINH THUẬN RA NƯỚC NGOÀI NĂM 2023' → ('tỉnh', 'Ninh Thuận'): the longest run of words after
    a level word that the gazetteer knows, else the run up to the first function word."""
    caps_levels = "|".join(x.upper() for x in LEVELS)
    for m in re.finditer(rf"\b({caps_levels})\s+((?:[0-9A-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ'’\-]+\s*){{1,5}})", title):
        level = m.group(1).lower()
        words = m.group(2).split()
        if words and words[0] in ("ỦY", "HỘI"):
            continue  # "TỈNH ỦY", "XÃ HỘI"
        if words and words[0].isdigit() and level in ("quận", "phường") and len(words[0]) <= 2:
            return level, words[0]  # "QUẬN 7"
        upto_number = []
        for w in words:
            if w.isdigit():
                break
            upto_number.append(w)
        for k in range(len(upto_number), 0, -1):  # a known name may hold a function word: "TRẦN VĂN THỜI"
            c = " ".join(x[:1] + x[1:].lower() for x in upto_number[:k])
            if known_unit(c, level):
                return level, c
        run = []
        for w in upto_number:
            if w in _CAPS_STOP:
                break
            run.append(w)
        cands = [" ".join(x[:1] + x[1:].lower() for x in run[:k]) for k in range(len(run), 0, -1)]
        if cands:
            return level, cands[0]
    return None


def enclosing_province(name: str, text: str, level: str | None = None) -> str | None:
    """The province of a sub-provincial unit. Candidates: the provinces that have a unit of that name in the
    gazetteer — a commune-level unit of 1 July 2025 for "xã", "phường", "đặc khu" (communes answer to their province
    since districts were abolished), else a district-level unit. Then: the candidate the text names most; else the
    Vietnamese province the text names most (a district of 2016–2024 that is gone, whose name another province's
    district bears today: huyện Kỳ Sơn of Hòa Bình until 2020, of Nghệ An still); else the only candidate; else the
    province the text names most."""
    cands: list[str] = []
    g = gazetteer
    spelled = f"{level} {name}" if level and name.isdigit() else name  # "quận 7"
    kinds = ("commune", "district") if level in ("xã", "phường", "đặc khu") else ("district",)
    for kind in kinds:
        cands = [u.name for u in g.enclosing_provinces(spelled, kind=kind)]
        if cands:
            break
    counts: Counter[str] = Counter()
    for m in UNIT_RX.finditer(text):
        lw = m.group("level").lower()
        cand = trim_name(m.group("name"))
        if cand.isupper():  # "ĐẢNG BỘ TỈNH BẮC GIANG" above a district's Party committee
            cand = " ".join(w.capitalize() for w in cand.split(" "))
        if cand == name:
            continue
        if lw == "tỉnh" or (lw == "thành phố" and is_central_city(cand)):
            counts[cand] += 1
    keys = {g.name_key(c) for c in cands}
    named = [c for c, _ in counts.most_common() if g.name_key(c) in keys]
    if named:
        return named[0]
    vietnamese = [c for c, _ in counts.most_common() if is_province(c)]
    if vietnamese:
        return vietnamese[0]
    if len(cands) == 1:
        return cands[0]
    return counts.most_common(1)[0][0] if counts else None
