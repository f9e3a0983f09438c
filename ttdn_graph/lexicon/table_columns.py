"""The columns of a task table and the role each header cell gives (data/lexicon/table_columns.csv): "STT" → number,
"Nội dung công việc" → content, "Đơn vị chủ trì" → lead, "Cơ quan phối hợp" → support, "Thời gian hoàn thành" →
time, "Sản phẩm" / "Kinh phí" / "Ghi chú" → kept as fields. Rules are tried in file order on the header cell in
lower case, parentheses and slashes' alternatives kept."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ttdn_graph.lexicon._load import load

ROLES = ("number", "content", "lead", "support", "time", "product", "budget", "note")


@dataclass(frozen=True)
class ColumnRule:
    role: str
    pattern: re.Pattern[str]
    note: str = ""

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role {self.role!r} is not one of {', '.join(ROLES)}")


@cache
def column_rules() -> tuple[ColumnRule, ...]:
    return load("table_columns.csv", ColumnRule)


def column_role(header: str) -> str | None:
    """The role of a task table's header cell, or None when it names no known column."""
    lab = re.sub(r"\([^)]*\)", " ", header).lower()
    lab = re.sub(r"[*_:.]+", " ", lab)
    lab = re.sub(r"\s+", " ", lab).strip()
    if not lab or len(lab.split()) > 12:
        return None
    return next((r.role for r in column_rules() if r.pattern.search(lab)), None)
