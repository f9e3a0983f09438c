"""Instrument symbols ("số ký hiệu") and type words, parsed once: 72/2015/NĐ-CP → serial, year, type code, issuers.

Also the normal forms that implements/amends keys and printed numbers are compared in (`number_norm`, `norm_key`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ttdn_graph.lexicon import alternation_of, by_symbol_code, code_scope, district_codes, instrument_types, type_code
from ttdn_graph.resolve.slug import nfc, slug

# Types whose named, issuer-less citations are national by default (others default to the citing plan's unit).
NATIONAL_TYPES = frozenset({"L", "PL", "NĐ", "CL"})
_NATIONAL_WORDS = re.compile(  # data/lexicon/words.csv; case as written
    rf"\b({alternation_of('national-word', ' ')}|{alternation_of('national-office', ' ')})\b"
)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Symbol:
    """A parsed symbol ("số ký hiệu"): 72/2015/NĐ-CP → serial 72, year 2015, type code NĐ, issuer codes (CP,)."""

    printed: str
    serial: str
    year: int | None
    type_code: str | None  # key of the instrument type (SCHEMA.md codes), when the symbol carries one
    codes: tuple[str, ...]  # every code after the serial and year, as printed ("NĐ", "CP")
    issuer_codes: tuple[str, ...]

    @property
    def core(self) -> str:
        """The number without its year, as a slug: the key that year-less citations are matched on."""
        return slug("-".join([self.serial, *self.codes]))

    @property
    def scope(self) -> str | None:
        for c in self.issuer_codes:
            s = code_scope(c)  # data/gazetteer/central_bodies.csv, data/lexicon/issuer_codes.csv
            if s:
                return s
        return None

    @property
    def district_level(self) -> bool:
        return any(nfc(c).upper() in district_codes() for c in self.issuer_codes)


def _split(number: str) -> list[str]:
    return [p for p in re.split(r"[/\-–—]+", re.sub(r"\s+", "", nfc(number))) if p]


def parse_symbol(number: str | None) -> Symbol | None:
    if not number:
        return None
    parts = _split(number)
    if not parts:
        return None
    serial, rest = parts[0], parts[1:]
    year = None
    if rest and re.fullmatch(r"(19[4-9]\d|20\d\d)", rest[0]):
        year = int(rest[0])
        rest = rest[1:]
    tcode = None
    if rest:
        t = by_symbol_code().get(nfc(rest[0]).upper())
        if t is not None:
            tcode = t.key
            rest = rest[1:]
    codes = tuple(parts[2 if year else 1 :])
    return Symbol(re.sub(r"\s+", "", nfc(number)), serial, year, tcode, codes, tuple(rest))


@cache
def type_by_key(key: str):
    for t in instrument_types():
        if t.key == key:
            return t
    return None


def type_key_of(type_name: str | None) -> str:
    """SCHEMA.md type code of a type word ("Quyết định" → "QĐ"; unknown → "VB")."""
    return type_code(type_name)


def is_national_name(name: str | None) -> bool:
    return bool(name and _NATIONAL_WORDS.search(nfc(name)))


def squeezed(number: str | None) -> str:
    """The number as printed without spaces (NFC): "1486 / QĐ-TTg" → "1486/QĐ-TTg"."""
    return re.sub(r"\s+", "", nfc(number or ""))


def number_norm(s: str | None) -> str:
    """The form two printings of one number are compared in: no spaces, en dash as hyphen, upper case."""
    return squeezed(s).replace("–", "-").upper()


def norm_key(key: str) -> str:
    """An implements/amends key ("QĐ|1117/QĐ-TTg", "CL|<name>") in the form keys are compared in."""
    code, _, rest = key.partition("|")
    return f"{code}|{number_norm(rest) if re.match(r'[0-9]', rest) else nfc(rest).casefold()}"


def is_iso_date(d: str | None) -> bool:
    return bool(d and _ISO_DATE.fullmatch(d))


def year_of_date(d: str | None) -> int | None:
    """The year of an ISO date (YYYY-MM-DD), else None."""
    return int(d[:4]) if is_iso_date(d) else None
