"""Verbs and role words around agency mentions (data/lexicon/verbs.csv): the words that end a mention ("Sở X phối
hợp …", "… chủ trì", "… có trách nhiệm") and the words before a list that are not part of a name ("giao", "đề
nghị", "phân công")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ttdn_graph.lexicon._load import load

USES = ("ends-mention", "role-prefix")


@dataclass(frozen=True)
class Verb:
    pattern: re.Pattern[str]  # the word(s), a regular expression: "có(?!\s+liên\s+quan)"
    use: str  # "ends-mention" | "role-prefix"
    note: str = ""

    def __post_init__(self) -> None:
        if self.use not in USES:
            raise ValueError(f"use {self.use!r} is not one of {', '.join(USES)}")


@cache
def verbs() -> tuple[Verb, ...]:
    return load("verbs.csv", Verb)


@cache
def alternation(use: str) -> str:
    """The words of a use as one regex alternation, in file order: "phối hợp|chủ trì|…"."""
    if use not in USES:
        raise ValueError(f"use {use!r} is not one of {', '.join(USES)}")
    return "|".join(v.pattern.pattern for v in verbs() if v.use == use)
