"""Central Party, State and Government bodies with the issuer codes their instruments carry (the gazetteer's
data/gazetteer/central_bodies.csv, read here and nowhere else), and the rules that tell a central issuer code from
a local one (data/lexicon/issuer_codes.csv: exact codes, prefixes, suffixes and patterns, tried in file order)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from ttdn_graph.lexicon._load import load
from ttdn_graph.lexicon.fold import nfc

SCOPES = ("central", "local", "district")
MATCHES = ("exact", "prefix", "suffix", "regex")


@dataclass(frozen=True)
class Body:
    """A central Party, State or Government body, with the issuer codes its instruments carry."""

    name: str
    abbreviations: tuple[str, ...]
    english: str
    agency_type: str  # id in data/vocab/agency_types.csv
    parent: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    successor: str | None = None
    aliases: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class IssuerCode:
    code: str  # upper case; a regular expression when match is "regex"
    scope: str  # "central" | "local" | "district" (a local code of a district-level body)
    match: str = "exact"  # "exact" | "prefix" | "suffix" | "regex" (the whole code)
    note: str = ""

    def __post_init__(self) -> None:
        if self.scope not in SCOPES:
            raise ValueError(f"scope {self.scope!r} is not one of {', '.join(SCOPES)}")
        if self.match not in MATCHES:
            raise ValueError(f"match {self.match!r} is not one of {', '.join(MATCHES)}")
        if self.match == "regex":
            try:
                re.compile(self.code)
            except re.error as e:
                raise ValueError(f"bad regular expression {self.code!r}: {e}") from None

    def fits(self, code: str) -> bool:
        if self.match == "exact":
            return code == self.code
        if self.match == "prefix":
            return code.startswith(self.code)
        if self.match == "suffix":
            return code.endswith(self.code)
        return re.fullmatch(self.code, code) is not None


@cache
def central_bodies() -> tuple[Body, ...]:
    return load("central_bodies.csv", Body)


@cache
def issuer_codes() -> tuple[IssuerCode, ...]:
    return load("issuer_codes.csv", IssuerCode)


def norm_code(code: str) -> str:
    """Upper case, NFC, the National Assembly's term number dropped ("QH15" → "QH", "UBTVQH14" → "UBTVQH")."""
    return re.sub(r"(?<=QH)\d+$", "", nfc(code).strip().upper())


@cache
def central_codes() -> frozenset[str]:
    """Issuer codes of central bodies: every code of central_bodies.csv and the exact central rows of
    issuer_codes.csv."""
    codes = {norm_code(c) for b in central_bodies() for c in b.abbreviations}
    codes |= {c.code for c in issuer_codes() if c.scope == "central" and c.match == "exact"}
    return frozenset(codes)


@cache
def district_codes() -> frozenset[str]:
    """Issuer codes of district-level Party committees (HU, TXU, THU, QU)."""
    return frozenset(c.code for c in issuer_codes() if c.scope == "district" and c.match == "exact")


def code_scope(code: str) -> str | None:
    """ "central" or "local" for an issuer code ("TTg", "BTTTT" → central; "UBND", "STTTT", "BTGTU" → local), by the
    codes of the central bodies, then the rules of issuer_codes.csv in file order; None when nothing fits."""
    c = norm_code(code)
    if c in central_codes():
        return "central"
    for rule in issuer_codes():
        if rule.fits(c):
            return "central" if rule.scope == "central" else "local"
    return None


@cache
def code_types() -> dict[str, str]:
    """Issuer code (upper case) → agency type id of the central body that carries it (the first listed)."""
    out: dict[str, str] = {}
    for b in central_bodies():
        for code in b.abbreviations:
            out.setdefault(nfc(code).upper(), b.agency_type)
    return out
