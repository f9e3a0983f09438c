"""Abbreviations printed in plans and their expansions (data/lexicon/abbreviations.csv): UBND, HĐND, MTTQ, TT&TT …"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from ttdn_graph.lexicon._load import load


@dataclass(frozen=True)
class Abbreviation:
    pattern: re.Pattern[str]  # where the abbreviation is printed (its spellings)
    expansion: str
    note: str = ""


@cache
def abbreviations() -> tuple[Abbreviation, ...]:
    """In file order (the order they are applied in)."""
    return load("abbreviations.csv", Abbreviation)


def _expanded(m: re.Match[str], full: str) -> str:
    s, end = m.string, m.end()
    # a spelling that swallowed the space after it ("MTTQ tỉnh") gives it back; one glued to the next word
    # ("TP.Hạ Long") gets one
    if m.group(0)[-1:].isspace() or (end < len(s) and s[end].isalnum() and full[-1:].isalnum()):
        return full + " "
    return full


@cache
def _any_abbreviation() -> re.Pattern[str]:
    """One pass that says whether any abbreviation is printed at all (most agency names hold none)."""
    return re.compile("|".join(f"(?:{a.pattern.pattern})" for a in abbreviations()))


_SPACES = re.compile(r"\s{2,}")


@lru_cache(maxsize=1 << 16)  # agency names and lists repeat across a corpus
def expand_abbreviations(text: str) -> str:
    """Every abbreviation written out ("Ủy ban MTTQ tỉnh" → "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"); runs of
    spaces made one."""
    if _any_abbreviation().search(text):
        for a in abbreviations():
            text = a.pattern.sub(lambda m, full=a.expansion: _expanded(m, full), text)
    return _SPACES.sub(" ", text)


@dataclass(frozen=True)
class Correction:
    pattern: re.Pattern[str]
    replacement: str
    note: str = ""


@cache
def corrections() -> tuple[Correction, ...]:
    """Spellings of agency names put right in agency lists (data/lexicon/corrections.csv): typos and variants."""
    return load("corrections.csv", Correction)


@cache
def _any_correction() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{c.pattern.pattern})" for c in corrections()))


def correct(text: str) -> str:
    if not _any_correction().search(text):
        return text
    for c in corrections():
        text = c.pattern.sub(c.replacement, text)
    return text
