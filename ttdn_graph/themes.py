"""TTĐN themes of a task's text, by keyword rules kept as data (data/vocab/themes.csv).

Each theme's `keywords` cell is a regular expression of alternatives written in lower-case NFC Vietnamese; it
matches whole words (no letter or digit on either side) of the text after `theme_key()`: the lexicon's `fold` (NFC,
lower case, one tone placement: "hoá" = "hóa", "uỷ" = "ủy", single spaces) with one kind of dash. Accents are kept: "đầu tư" ≠ "dau tu".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ttdn_graph.lexicon import fold, theme_rows

THEME_BASE = "https://w3id.org/ttdn/vocab/theme/"

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
    return fold(re.sub(r"[‐-―−]", "-", text))


@cache
def themes() -> tuple[Theme, ...]:
    """The themes in file order (which is also the order `assign_themes` reports them in)."""
    out = []
    for r in theme_rows():  # data/vocab/themes.csv, read by ttdn_graph.lexicon
        kw = theme_key(r.keywords)
        out.append(Theme(r.id, r.vi, r.en, r.keywords, re.compile(rf"(?<!\w)(?:{kw})(?!\w)")))
    return tuple(out)


@cache
def _matchers() -> tuple[re.Pattern[str], tuple[re.Pattern[str], ...]]:
    """One pattern of every theme's keywords (where a keyword of any theme starts), and each theme's keywords
    anchored at a start (which themes start there)."""
    ts = themes()
    kws = [theme_key(t.keywords) for t in ts]
    anyone = re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{kw})" for kw in kws) + r")(?!\w)")
    return anyone, tuple(re.compile(rf"(?:{kw})(?!\w)") for kw in kws)


def assign_themes(text: str) -> list[str]:
    """Theme ids whose keywords occur in the text, in the CSV's order; [] for none.

    Same answer as trying each theme's pattern in turn, at about half the cost: one scan finds every position
    where some keyword starts (resuming one character after each, so overlapping keywords are not skipped), and
    only there are the themes tried one by one."""
    key = theme_key(text or "")
    anyone, anchored = _matchers()
    found: set[int] = set()
    pos = 0
    while (m := anyone.search(key, pos)) is not None:
        start = m.start()
        found.update(i for i, p in enumerate(anchored) if i not in found and p.match(key, start))
        pos = start + 1
    ts = themes()
    return [ts[i].id for i in sorted(found)]


def theme(theme_id: str) -> Theme | None:
    return next((t for t in themes() if t.id == theme_id), None)
