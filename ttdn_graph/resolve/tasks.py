"""Task text → what a task is about: its themes (data/lexicon themes), the instruments it names, its active years."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ttdn_graph.record import Record, Task
from ttdn_graph.resolve.slug import nfc
from ttdn_graph.resolve.symbols import squeezed, year_of_date

MAX_ACTIVE_SPAN = 30  # years; a longer span is a typo in a date, not a plan


def task_text(t: Task) -> str:
    return nfc(t.text) or nfc(t.heading)


def task_themes(record: Record) -> list[list[str]]:
    """The theme ids of each task's text: the one part of resolving a record that reads text and needs no store
    (the loader's extraction workers compute it ahead, in parallel)."""
    return [themes_of(task_text(t)) if task_text(t) else [] for t in record.tasks]


def themes_of(text: str) -> list[str]:
    from ttdn_graph.themes import assign_themes

    found = assign_themes(text) or []  # a malformed themes.csv raises LexiconError rather than dropping themes
    return sorted({getattr(t, "id", t) for t in found if getattr(t, "id", t)})


_CASELESS_HEAD = re.compile(r"[0-9/.\-]*")


class Mentions:
    """Finds the instruments of a record named in a task's text (by number, or by a name longer than 12 letters).

    Each pattern has a needle (the number's leading digits and punctuation, which case-insensitive matching leaves as
    they are): a text can match only if its whitespace-free form contains it, so most patterns are skipped with one
    substring test."""

    def __init__(self, named: Sequence[tuple[str | None, str | None, str]]):
        """`named`: (number, name, IRI) of each instrument, in record order."""
        self.patterns: list[tuple[re.Pattern, str, str]] = []
        for number, name, iri in named:
            if number:
                sq = squeezed(number)
                body = r"\s*".join(re.escape(c) for c in sq)
                self.patterns.append((re.compile(rf"(?<![\w/]){body}(?![\w/])", re.IGNORECASE), iri,
                                      _CASELESS_HEAD.match(sq).group(0)))
            elif name and len(name) > 12:
                self.patterns.append((re.compile(re.escape(nfc(name)), re.IGNORECASE), iri, ""))

    def __call__(self, text: str) -> list[str]:
        """IRIs of the instruments `text` names, in record order (repeats removed)."""
        flat = "".join(text.split())
        out: dict[str, None] = {}
        for pat, target, needle in self.patterns:
            if needle in flat and pat.search(text):
                out[target] = None
        return list(out)


def active_years(start: str | None, end: str | None, period_start: str | None, period_end: str | None) -> range:
    """The years a task is active in, with the fallbacks the year filters of the named queries used to compute per
    task (start: own start, plan start, own end, plan end; end: own end, plan end, own start, plan start).
    Empty when no date is known or the span is negative or longer than MAX_ACTIVE_SPAN."""
    ys, ye, ps, pe = year_of_date(start), year_of_date(end), year_of_date(period_start), year_of_date(period_end)
    first = next((y for y in (ys, ps, ye, pe) if y is not None), None)
    last = next((y for y in (ye, pe, ys, ps) if y is not None), None)
    if first is None or last is None or not 0 <= last - first <= MAX_ACTIVE_SPAN:
        return range(0)
    return range(first, last + 1)
