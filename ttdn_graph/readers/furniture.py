"""Page furniture in text that came from pages: page numbers and running headers / footers.

A PDF's text layer (and a PDF-to-Markdown conversion) repeats the page's header and footer between the plan's lines,
often in the middle of a sentence. We mark them so the parser can skip them and re-join the sentence around them.

Page numbers are recognised by their form ("12", "- 12 -", "Trang 2/5", "Trang 2 trên 5", "Page 2 of 5"). A running
header or footer is recognised by where it stands, never by its wording: a short line whose shape (digits aside)
recurs next to the page breaks - page numbers, form feeds, the pages' first lines when the reader knows them, the
document's first and last lines - on most of its occurrences. A line the plan itself repeats (a "Thời gian thực hiện:
Cả năm" under every task) stands next to a page break only by chance and stays.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

_PAGE = r"(?:trang|page)\s+\d{1,4}(?:\s*(?:/|of|trên|của)\s*\d{1,4})?"
_PAGE_NUMBER = re.compile(rf"^(?:[-–—]?\s*\d{{1,3}}\s*[-–—]?|\[?\s*{_PAGE}\s*\]?)$", re.I)
# A page number printed on the running header's own line: "Kế hoạch số 12/KH-UBND      Trang 2/5".
_PAGE_AT_EDGE = re.compile(rf"^\s*{_PAGE}\s*[-–—|]?\s+\S|\S\s*[-–—|]?\s+{_PAGE}\s*$", re.I)
_PAGE_WORD = re.compile(r"(?:trang|page)\s+\d", re.I)  # a page number printed on a line of its own or a header's
_MARKUP = re.compile(r"\*\*|__|^#+\s*|</?[a-zA-Z][^>]*>")
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")

NEAR = 3  # lines of a page's top or bottom that may hold its running header / footer (blank lines not counted)
MAX_LEN = 160  # longer lines are the plan's prose, not a running header
SHARE = 0.6  # of a shape's occurrences that must stand at a page break for the shape to be furniture


def _plain(line: str) -> str:
    return _MARKUP.sub("", line).strip() if ("*" in line or "_" in line or "#" in line or "<" in line) else line.strip()


def is_page_number(line: str) -> bool:
    return bool(_PAGE_NUMBER.match(_plain(line)))


def _shape(plain: str) -> str:
    """A line (markup already stripped) as its running header repeats it: digits (page / plan numbers) and spacing
    aside."""
    return _SPACE.sub(" ", _DIGITS.sub("#", plain)).casefold()


def furniture_lines(lines: Sequence[str], page_starts: Iterable[int] = ()) -> set[int]:
    """1-based numbers of the lines that are page furniture: page numbers on their own line, and short lines
    (digits aside) repeated next to the page breaks on most of their occurrences - on three pages or more, or on
    both pages of a two-page document whose pagination is known (page numbers, or `page_starts`: the 1-based line
    numbers at which the reader saw a page begin)."""
    n = len(lines)
    plain = [_plain(x) if len(x) <= 2 * MAX_LEN else "" for x in lines]  # each line's markup stripped once
    out = {i + 1 for i, p in enumerate(plain) if p and _PAGE_NUMBER.match(p)}
    numbered = len(out)
    page_starts = list(page_starts)
    if not out and not page_starts and not any("\f" in x for x in lines) and not any(
            _PAGE_WORD.search(p) for p in plain):
        return out  # no page break known: a running header has nothing to stand next to
    shapes: Counter[str] = Counter()
    shape_of: dict[int, str] = {}
    for i, p in enumerate(plain):
        if 3 <= len(p) <= MAX_LEN and i + 1 not in out:
            shape_of[i] = _shape(p)
            shapes[shape_of[i]] += 1
    # page breaks, as positions between lines: break b falls before line index b
    starts = {s - 1 for s in page_starts if 1 <= s <= n}
    breaks = {0, n} | starts
    for i, x in enumerate(lines):
        if i + 1 in out or "\f" in x:
            breaks.update((i, i + 1))
    with_page = {i for i, s in shape_of.items() if shapes[s] >= 2 and _PAGE_AT_EDGE.search(plain[i])}
    for i in with_page:
        breaks.update((i, i + 1))
    paginated = len(breaks) > 2 or bool(starts)
    # the lines next to each break (up to NEAR non-blank lines either side, page numbers passed over), by their
    # place: a running header keeps its place on every page ("the first line after the break"), the plan's own
    # lines fall next to a break at any place (and the document's own header line under a running header of the
    # same words is at another place than the running header).
    at_break: dict[str, dict[int, set[int]]] = {}
    for b in sorted(breaks):
        for step, first in ((1, b), (-1, b - 1)):
            k, place = first, 0
            while 0 <= k < n and place < NEAR:
                if lines[k].strip() and k + 1 not in out:
                    place += 1
                    if (s := shape_of.get(k)) is not None:
                        at_break.setdefault(s, {}).setdefault(step * place, set()).add(k)
                k += step
    least = 2 if paginated and max(numbered + len(with_page), len(starts)) <= 2 else 3
    for shape, places in at_break.items():
        found = max(places.values(), key=len)
        if len(found) >= max(least, SHARE * shapes[shape]):  # a line the plan itself repeats is not furniture
            out.update(k + 1 for k in found)
    return out
