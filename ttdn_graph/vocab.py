"""Instrument types, read from data/vocab/instrument_types.csv (data, not code)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from ttdn_graph.paths import data_dir


@dataclass(frozen=True)
class InstrumentType:
    name: str  # Vietnamese name as printed: "Quyết định"
    key: str  # SCHEMA.md key code: "QĐ"
    symbol_codes: tuple[str, ...]  # codes seen inside symbols: "QĐ" in "1486/QĐ-TTg"
    cls: str  # ontology class local name: "Decision"
    en: str


@cache
def instrument_types() -> tuple[InstrumentType, ...]:
    with open(data_dir() / "vocab" / "instrument_types.csv", encoding="utf-8") as f:
        return tuple(
            InstrumentType(
                r["name"], r["key"], tuple(c for c in r["symbol_codes"].split("|") if c), r["class"], r["en"]
            )
            for r in csv.DictReader(f)
        )


@cache
def by_name() -> dict[str, InstrumentType]:
    return {t.name.casefold(): t for t in instrument_types()}


@cache
def by_symbol_code() -> dict[str, InstrumentType]:
    out: dict[str, InstrumentType] = {}
    for t in instrument_types():
        for c in t.symbol_codes:
            out.setdefault(c.upper(), t)
    return out


def type_code(name: str | None) -> str:
    t = by_name().get((name or "").casefold())
    return t.key if t else "VB"
