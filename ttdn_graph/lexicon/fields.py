"""Field labels of a task and the kind each gives (data/lexicon/fields.csv): "Đơn vị chủ trì" → lead, "Cơ quan phối
hợp" → support, "Thời gian thực hiện" → time, "Nội dung" → other. To change how a lead agency's field is
recognised, edit that file: its rules are tried in file order on the label in lower case (parentheses dropped)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ttdn_graph.lexicon._load import load

KINDS = ("lead", "support", "time", "other")


@dataclass(frozen=True)
class FieldRule:
    kind: str  # "lead" | "support" | "time" | "other"
    pattern: re.Pattern[str]  # searched in the lower-case label
    note: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind {self.kind!r} is not one of {', '.join(KINDS)}")


@cache
def field_rules() -> tuple[FieldRule, ...]:
    return load("fields.csv", FieldRule)


def label_kind(label: str) -> str | None:
    """The kind of the first rule whose pattern is found in a (lower-case, normalised) label; None for none."""
    return next((r.kind for r in field_rules() if r.pattern.search(label)), None)
