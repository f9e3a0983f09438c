"""Administrative-unit vocabulary the parser needs: level words, province-level cities, enclosing provinces.

Facts come from the gazetteer (data/gazetteer/) when it is present; the level words are the fixed grammar of
Vietnamese unit names.
"""

from __future__ import annotations

import re
from collections import Counter

from ttdn_graph.parse.text import clean_space

LEVELS = ("thành phố", "thị trấn", "thị xã", "huyện", "quận", "tỉnh", "phường", "xã")
SUB_PROVINCIAL = {"huyện", "thị xã", "thành phố", "quận", "xã", "phường", "thị trấn"}
NAME_WORD = r"[A-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ][a-zà-ỹđA-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ'’]*"
PLACE_NAME = rf"{NAME_WORD}(?:(?:[ \t]+[-–][ \t]+|[ \t]+){NAME_WORD}){{0,3}}"
UNIT_RX = re.compile(rf"\b(?P<level>(?i:{'|'.join(LEVELS)}))\s+(?P<name>{PLACE_NAME})")
_FALLBACK_CITIES = {"Hà Nội", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ", "Huế"}
_STOP_WORDS = {"Năm", "Giai", "Trong", "Về", "Và", "Của", "Trên", "Theo", "Đến", "Từ", "Các", "Việt"}


def _gaz():
    try:
        from ttdn_graph import gazetteer  # written as data-backed lookups; optional for the parser

        return gazetteer
    except Exception:  # noqa: BLE001 - the parser must work without the gazetteer
        return None


def trim_name(name: str) -> str:
    words = clean_space(name).split(" ")
    out = []
    for w in words:
        if w.isdigit() or (w in _STOP_WORDS and (out or w != "Việt")):  # "Việt Trì", "Việt Yên" are places
            break
        out.append(w)
    return " ".join(out).strip(" -")


def is_province(name: str) -> bool:
    g = _gaz()
    if g is not None:
        try:
            return g.province(name) is not None
        except Exception:  # noqa: BLE001
            pass
    return False


def is_central_city(name: str) -> bool:
    g = _gaz()
    if g is not None:
        try:
            u = g.province(name)
            if u is not None:
                return "thành phố" in (getattr(u, "level", "") or "")
        except Exception:  # noqa: BLE001
            pass
    return name in _FALLBACK_CITIES


def level_of(level_word: str, name: str) -> str:
    lw = level_word.lower()
    if lw == "thành phố" and is_central_city(name):
        return "thành phố trực thuộc trung ương"
    return lw


def enclosing_province(name: str, text: str) -> str | None:
    """The province of a sub-provincial unit: the gazetteer's, else the province the text names most."""
    g = _gaz()
    if g is not None:
        try:
            u = g.enclosing_province(name)
            if u is not None:
                return u.name
        except Exception:  # noqa: BLE001
            pass
    counts: Counter[str] = Counter()
    for m in UNIT_RX.finditer(text):
        lw = m.group("level").lower()
        cand = trim_name(m.group("name"))
        if cand == name:
            continue
        if lw == "tỉnh" or (lw == "thành phố" and is_central_city(cand)):
            counts[cand] += 1
    return counts.most_common(1)[0][0] if counts else None
