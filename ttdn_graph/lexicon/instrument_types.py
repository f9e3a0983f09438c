"""Instrument types: the type word as printed, its key code, the codes seen inside symbols, its ontology class
(data/vocab/instrument_types.csv; the SKOS scheme ontology/instrument-types.ttl is generated from the same file)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from ttdn_graph.lexicon._load import load
from ttdn_graph.lexicon.fold import fold


@dataclass(frozen=True)
class InstrumentType:
    name: str  # Vietnamese name as printed: "Quyết định"
    key: str  # SCHEMA.md key code: "QĐ"
    symbol_codes: tuple[str, ...]  # codes seen inside symbols: "QĐ" in "1486/QĐ-TTg"
    cls: str = field(metadata={"column": "class"})  # ontology class local name: "Decision"
    en: str = field(default="")


@cache
def instrument_types() -> tuple[InstrumentType, ...]:
    return load("instrument_types.csv", InstrumentType)


@cache
def by_name() -> dict[str, InstrumentType]:
    """By the type word's comparison key (`fold`): "quyết định" → Quyết định."""
    return {fold(t.name): t for t in instrument_types()}


@cache
def by_symbol_code() -> dict[str, InstrumentType]:
    """By an upper-case code inside a symbol: "QĐ" → Quyết định (the first type listing it)."""
    out: dict[str, InstrumentType] = {}
    for t in instrument_types():
        for c in t.symbol_codes:
            out.setdefault(c.upper(), t)
    return out


def type_code(name: str | None) -> str:
    """The key code of a type word ("Quyết định" → "QĐ"); "VB" for an unknown or missing one."""
    t = by_name().get(fold(name or ""))
    return t.key if t else "VB"
