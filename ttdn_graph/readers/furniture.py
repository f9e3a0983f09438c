"""Page furniture in text that came from pages: page numbers and running headers / footers.

A PDF's text layer (and a PDF-to-Markdown conversion) repeats the page's header and footer between the plan's lines,
often in the middle of a sentence. We mark them so the parser can skip them and re-join the sentence around them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]?\s*\d{1,3}\s*[-–—]?|(?:trang|page)\s+\d{1,3}(?:\s*(?:/|of|trên)\s*\d{1,3})?)$", re.I
)
_MARKUP = re.compile(r"\*\*|__|^#+\s*|</?[a-zA-Z][^>]*>")
_DIGITS = re.compile(r"\d+")


def _plain(line: str) -> str:
    return _MARKUP.sub("", line).strip()


def is_page_number(line: str) -> bool:
    return bool(_PAGE_NUMBER.match(_plain(line)))


def furniture_lines(lines: Sequence[str]) -> set[int]:
    """1-based numbers of the lines that are page furniture: page numbers on their own line, and short lines
    (digits aside) repeated on three or more pages next to a page break or a page number."""
    out = {i + 1 for i, x in enumerate(lines) if x.strip() and is_page_number(x)}
    shapes = Counter()
    for x in lines:
        p = _plain(x)
        if 3 <= len(p) <= 120:
            shapes[_DIGITS.sub("#", p)] += 1
    repeated = {s for s, c in shapes.items() if c >= 3}
    if not repeated:
        return out
    near_break: dict[str, list[int]] = {}
    for i, x in enumerate(lines):
        shape = _DIGITS.sub("#", _plain(x))
        if shape not in repeated:
            continue
        near = range(max(0, i - 3), min(len(lines), i + 4))
        if any((k + 1) in out or "\f" in lines[k] for k in near if k != i):
            near_break.setdefault(shape, []).append(i + 1)
    for shape, found in near_break.items():
        if len(found) >= max(3, 0.6 * shapes[shape]):  # a line the plan itself repeats is not furniture
            out.update(found)
    return out
