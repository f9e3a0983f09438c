"""Signer positions printed in a plan's signature block (data/lexicon/signers.csv): "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
→ Phó Chủ tịch; "GIÁM ĐỐC" → Giám đốc."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ttdn_graph.lexicon._load import load


@dataclass(frozen=True)
class SignerPosition:
    pattern: re.Pattern[str]  # in upper case, words joined by \s+: "PHÓ\s+CHỦ\s+TỊCH"
    position: str  # as the record gives it: "Phó Chủ tịch"
    note: str = ""


@cache
def signer_positions() -> tuple[SignerPosition, ...]:
    """In file order: the first that fits a line is its position (so "PHÓ CHỦ TỊCH" is listed before "CHỦ TỊCH")."""
    return load("signers.csv", SignerPosition)


@cache
def _matchers() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(rf"(?:^|\s|\.|\|){p.pattern.pattern}\b"), p.position) for p in signer_positions())


def position_in(line: str) -> str | None:
    """The position an upper-case signature line names, or None."""
    return next((pos for rx, pos in _matchers() if rx.search(line)), None)
