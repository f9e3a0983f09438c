"""Natural order for section paths and IRIs: "II.9" < "II.10", "IV" < "V" < "IX"; Vietnamese order for names."""

from __future__ import annotations

import re

from ttdn_graph.lexicon import ascii_fold

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_TOKEN = re.compile(r"\d+|[A-Za-zÀ-ỹĐđ]+|[^\dA-Za-zÀ-ỹĐđ]+")


def roman(s: str) -> int | None:
    if not s or not re.fullmatch(r"[IVXLCDM]+", s):
        return None
    total, prev = 0, 0
    for ch in reversed(s):
        v = _ROMAN[ch]
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total


def natural_key(s: str) -> tuple:
    out: list[tuple[int, int | str]] = []
    for tok in _TOKEN.findall(s or ""):
        if tok.isdigit():
            out.append((0, int(tok)))
        elif (r := roman(tok)) is not None:
            out.append((0, r))
        else:
            out.append((1, tok.casefold()))
    return tuple(out)


def vi_key(s: str) -> tuple[str, str]:
    """Vietnamese alphabetical order, near enough for names: letters without their tone and vowel marks first
    ("Bà Rịa" before "Bạc Liêu" before "Bình Dương", "Đắk Lắk" among the D), then the text itself for ties."""
    return ascii_fold(s), s or ""
