"""Words of section headings and the kind of section they open (data/lexicon/sections.csv): "TỔ CHỨC THỰC HIỆN",
"TRÁCH NHIỆM" → responsibilities; "NỘI DUNG", "NHIỆM VỤ" → activities (tasks); "MỤC ĐÍCH, YÊU CẦU" → other."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ttdn_graph.lexicon._load import load

KINDS = ("responsibility", "activity", "other")


@dataclass(frozen=True)
class SectionRule:
    kind: str
    pattern: re.Pattern[str]  # searched in the upper-cased heading
    note: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind {self.kind!r} is not one of {', '.join(KINDS)}")


@cache
def section_rules() -> tuple[SectionRule, ...]:
    return load("sections.csv", SectionRule)


def section_kind(heading: str) -> str:
    """ "responsibility" | "activity" | "other": the kind of the first rule (file order) found in the heading."""
    h = heading.upper()
    return next((r.kind for r in section_rules() if r.pattern.search(h)), "other")
