"""TTĐN themes of a task's text, by keyword rules kept as data (data/vocab/themes.csv).

Each theme's `keywords` cell is a regular expression of alternatives written in lower-case NFC Vietnamese; it
matches whole words (no letter or digit on either side) of the text after `theme_key()`: NFC, lower case, one
tone placement ("hoá" = "hóa", "uỷ" = "ủy"), one kind of dash, single spaces. Accents are kept: "đầu tư" ≠ "dau tu".
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from ttdn_graph.paths import data_dir

THEME_BASE = "https://w3id.org/ttdn/vocab/theme/"

_TONE = (("oá", "óa"), ("oà", "òa"), ("oả", "ỏa"), ("oã", "õa"), ("oạ", "ọa"),
         ("oé", "óe"), ("oè", "òe"), ("oẻ", "ỏe"), ("oẽ", "õe"), ("oẹ", "ọe"),
         ("uý", "úy"), ("uỳ", "ùy"), ("uỷ", "ủy"), ("uỹ", "ũy"), ("uỵ", "ụy"))  # fmt: skip


@dataclass(frozen=True)
class Theme:
    id: str
    vi: str
    en: str
    keywords: str  # the regex alternatives as written in the CSV
    pattern: re.Pattern[str]

    @property
    def iri(self) -> str:
        return THEME_BASE + self.id


def theme_key(text: str) -> str:
    """The form keywords are matched against (see module docstring)."""
    s = unicodedata.normalize("NFC", text).casefold()
    for old, new in _TONE:
        s = s.replace(old, new)
    s = re.sub(r"[‐-―−]", "-", s)
    return " ".join(s.split())


@cache
def themes() -> tuple[Theme, ...]:
    """The themes in file order (which is also the order `assign_themes` reports them in)."""
    with open(data_dir() / "vocab" / "themes.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    out = []
    for r in rows:
        kw = theme_key(r["keywords"])
        out.append(Theme(r["id"], r["vi"], r["en"], r["keywords"], re.compile(rf"(?<!\w)(?:{kw})(?!\w)")))
    return tuple(out)


def assign_themes(text: str) -> list[str]:
    """Theme ids whose keywords occur in the text, in the CSV's order; [] for none."""
    key = theme_key(text or "")
    return [t.id for t in themes() if t.pattern.search(key)]


def theme(theme_id: str) -> Theme | None:
    return next((t for t in themes() if t.id == theme_id), None)
