"""TTĐN themes and their keyword rules (data/vocab/themes.csv; the SKOS scheme ontology/themes.ttl is generated
from the same file). Matching them against text is ttdn_graph.themes's job."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ttdn_graph.lexicon._load import load


@dataclass(frozen=True)
class ThemeRow:
    id: str
    vi: str
    en: str
    keywords: str  # regex alternatives in lower-case NFC Vietnamese


@cache
def theme_rows() -> tuple[ThemeRow, ...]:
    return load("themes.csv", ThemeRow)
