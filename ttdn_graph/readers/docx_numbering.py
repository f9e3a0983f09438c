"""Render Word's automatic list numbering ("1.", "a)", "II.") from numbering.xml, so outline labels survive.

Plans number their sections with Word lists as often as with typed text; without this the parser would see
"MỤC ĐÍCH, YÊU CẦU" where the page shows "I. MỤC ĐÍCH, YÊU CẦU". Counting follows Word: counters belong to the
abstract list (so several w:num instances of one list continue each other) unless a w:num overrides a level's start;
an item resets the counters of deeper levels. Anything we cannot resolve falls back to a "- " bullet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docx.oxml.ns import qn

from ._common import format_counter

BULLET = "- "
_PLACEHOLDER = re.compile(r"%([1-9])")


@dataclass(frozen=True)
class Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    legal: bool = False  # w:isLgl: show every level's number in decimal ("1.2.3" under a roman top level)
    restarts: bool = True  # w:lvlRestart val=0: never reset by a higher level


def _val(el, tag: str, default: str | None = None) -> str | None:
    child = el.find(qn(tag)) if el is not None else None
    if child is None:
        return default
    return child.get(qn("w:val"), default)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _level(lvl) -> Level:
    is_lgl = lvl.find(qn("w:isLgl"))
    return Level(
        fmt=_val(lvl, "w:numFmt", "decimal") or "decimal",
        text=_val(lvl, "w:lvlText", "") or "",
        start=_int(_val(lvl, "w:start"), 1),
        legal=is_lgl is not None and is_lgl.get(qn("w:val"), "1") not in ("0", "false", "off"),
        restarts=_val(lvl, "w:lvlRestart") != "0",
    )


class Numbering:
    """The lists of one document, with running counters; feed it paragraphs in reading order."""

    def __init__(self, numbering_el=None, styles_el=None):
        self._abstract: dict[str, dict[int, Level]] = {}
        self._nums: dict[str, tuple[str, dict[int, Level], dict[int, int]]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._started: set[str] = set()
        self._style_num: dict[str, tuple[str | None, int | None]] = {}
        self._style_parent: dict[str, str] = {}
        if numbering_el is not None:
            self._load_numbering(numbering_el)
        if styles_el is not None:
            self._load_styles(styles_el)

    def _load_numbering(self, root) -> None:
        for absnum in root.iterchildren(qn("w:abstractNum")):
            levels = {_int(lvl.get(qn("w:ilvl")), 0): _level(lvl) for lvl in absnum.iterchildren(qn("w:lvl"))}
            self._abstract[absnum.get(qn("w:abstractNumId"), "")] = levels
        for num in root.iterchildren(qn("w:num")):
            abstract_id = _val(num, "w:abstractNumId", "") or ""
            level_overrides: dict[int, Level] = {}
            starts: dict[int, int] = {}
            for override in num.iterchildren(qn("w:lvlOverride")):
                ilvl = _int(override.get(qn("w:ilvl")), 0)
                start = _val(override, "w:startOverride")
                if start is not None:
                    starts[ilvl] = _int(start, 1)
                lvl = override.find(qn("w:lvl"))
                if lvl is not None:
                    level_overrides[ilvl] = _level(lvl)
            self._nums[num.get(qn("w:numId"), "")] = (abstract_id, level_overrides, starts)

    def _load_styles(self, root) -> None:
        for style in root.iterchildren(qn("w:style")):
            style_id = style.get(qn("w:styleId"))
            if not style_id:
                continue
            based_on = _val(style, "w:basedOn")
            if based_on:
                self._style_parent[style_id] = based_on
            num_pr = style.find(qn("w:pPr") + "/" + qn("w:numPr"))
            if num_pr is not None:
                ilvl = _val(num_pr, "w:ilvl")
                self._style_num[style_id] = (_val(num_pr, "w:numId"), _int(ilvl, 0) if ilvl is not None else None)

    def _style_numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            if style_id in self._style_num:
                return self._style_num[style_id]
            style_id = self._style_parent.get(style_id)
        return None, None

    def label(self, p) -> str:
        """The list label (with a trailing space) that Word shows before paragraph element `p`, or ""."""
        p_pr = p.find(qn("w:pPr"))
        num_pr = p_pr.find(qn("w:numPr")) if p_pr is not None else None
        style_num, style_ilvl = self._style_numbering(_val(p_pr, "w:pStyle"))
        num_id = _val(num_pr, "w:numId") if num_pr is not None else None
        ilvl_val = _val(num_pr, "w:ilvl") if num_pr is not None else None
        num_id = num_id if num_id is not None else style_num
        if num_id is None or num_id == "0":  # numId 0 switches numbering off
            return ""
        ilvl = _int(ilvl_val, style_ilvl if style_ilvl is not None else 0)
        try:
            return self._next(num_id, min(max(ilvl, 0), 8))
        except (KeyError, ValueError, IndexError):
            return BULLET

    def _next(self, num_id: str, ilvl: int) -> str:
        abstract_id, overrides, starts = self._nums[num_id]
        levels = {**self._abstract[abstract_id], **overrides}
        level = levels[ilvl]
        counters = self._counters.setdefault(abstract_id, {})
        if num_id not in self._started:  # a w:num that restarts the list: apply its start overrides once
            self._started.add(num_id)
            for lvl, start in starts.items():
                counters[lvl] = start - 1
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            if levels.get(deeper, Level()).restarts:
                del counters[deeper]
        if level.fmt == "bullet":
            return BULLET
        if not level.text:
            return ""

        def number(match: re.Match) -> str:
            k = int(match.group(1)) - 1
            ref = levels.get(k, Level())
            value = counters.get(k, ref.start)
            return format_counter(value, "decimal" if level.legal and ref.fmt != "decimalZero" else ref.fmt)

        text = _PLACEHOLDER.sub(number, level.text).strip()
        return f"{text} " if text else ""
