"""Instrument identity for one record: every citation → one IRI, with the disagreements it had to settle.

Rules (see iris.py for the IRI shapes):
- the symbol's type code wins over the type word ("Quyết định số 37/KH-UBND" is a KH); the clash is noted;
- the year comes from the symbol when it has one, else from the citation's date; a date contradicting the symbol's
  year is noted and not asserted;
- local symbols are scoped by the issuer's unit (named in the citation, else the citing plan's province);
- a citation whose year is not in its symbol is looked up among what the store already holds (same type, scope and
  number without year): a unique match is reused and the printed/resolved pair noted; none → minted from what is
  known (year-less when no date) and marked unresolved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ttdn_graph.lexicon import unit_endings
from ttdn_graph.record import Instrument
from ttdn_graph.resolve.agencies import classify, expand, is_central, split_joint
from ttdn_graph.resolve.iris import Iris, year_of_instrument_iri
from ttdn_graph.resolve.slug import nfc, slug
from ttdn_graph.resolve.symbols import (
    NATIONAL_TYPES,
    Symbol,
    is_national_name,
    norm_key,
    number_norm,
    parse_symbol,
    type_by_key,
    type_key_of,
)
from ttdn_graph.resolve.units import VN, Unit, mentioned_units

_GENERIC_TYPE_KEYS = {"CV", "VB"}
# a name with a provincial or district level word or its Party committee ("tỉnh", "huyện", "Tỉnh ủy") is local
_LOCAL_WORD = re.compile(
    rf"\b({'|'.join(re.escape(w) for w in (*unit_endings('province'), *unit_endings('district')))})\b", re.IGNORECASE
)  # data/lexicon/levels.csv


@dataclass
class Note:
    """A discrepancy to record: what was printed, what identity used, and why."""

    code: str
    message: str
    about: str
    printed: str | None = None
    resolved: str | None = None
    line: int | None = None


@dataclass
class Candidate:
    iri: str
    number: str | None


class Resolver(Protocol):
    """Looks identity keys up in what is already stored (the store's side lives in ttdn_graph.store)."""

    def candidates(self, keys: Sequence[str], exclude_graph: str | None = None) -> dict[str, list[Candidate]]: ...


@dataclass
class InstrumentIdentity:
    """What a citation denotes (mutable while resolve_all settles it; resolve.record freezes it)."""

    iri: str
    type_key: str
    type_name: str
    cls: str
    unit: Unit  # VN for central instruments
    number: str | None
    name: str | None
    date: str | None  # asserted as ttdn:dateIssued (None when it contradicts identity)
    issuers: list[str]  # expanded issuer names
    number_key: str | None
    unresolved: bool = False
    notes: list[Note] = field(default_factory=list)


def number_key(type_key: str, unit: Unit, sym: Symbol) -> str:
    return f"{slug(type_key)}|{'vn' if unit.is_country else unit.path}|{sym.core}"


def _has_unit_marker(name: str) -> bool:
    low = nfc(name).casefold()
    return bool(mentioned_units(name)) or low.endswith(("tỉnh", "tỉnh ủy", "huyện", "thị xã", "quận", "thành phố"))


def _local_unit(issuer: str | None, sym: Symbol | None, plan: Unit, gazetteer) -> Unit:
    """Unit of a local instrument: the issuer's when the citation names it, else the citing plan's province
    (its own unit for district-level issuers)."""
    from ttdn_graph.resolve.agencies import agency_unit

    if issuer and _has_unit_marker(issuer):
        return agency_unit(issuer, plan, gazetteer)
    if sym is not None and sym.district_level:
        return plan
    t = classify(issuer) if issuer else None
    if t is not None and t.id == "district-division":
        return plan
    return plan.province


def _named_scope(inst: Instrument, type_key: str, plan: Unit) -> str:
    if inst.issuer:
        return "central" if is_central(split_joint(inst.issuer)[0]) else "local"
    name = inst.name or ""
    if mentioned_units(name) or _LOCAL_WORD.search(name):
        return "local"
    if any(u.name and u.name.casefold() in name.casefold() for u in plan.chain() if not u.is_country):
        return "local"
    if is_national_name(name) or type_key in NATIONAL_TYPES:
        return "central"
    return "local"


class InstrumentResolver:
    """Resolves all citations of one record; call `resolve_all` once, then `get`/`by_key`."""

    def __init__(self, iris: Iris, plan: Unit, resolver: Resolver | None, graph: str | None, gazetteer=None):
        self.iris = iris
        self.plan = plan
        self.resolver = resolver
        self.graph = graph
        self.gazetteer = gazetteer

    # -- first pass: what the citation itself says
    def _prepare(self, inst: Instrument) -> tuple[InstrumentIdentity, Symbol | None, int | None, str]:
        sym = parse_symbol(inst.number) if inst.number else None
        word_key = type_key_of(inst.type)
        type_key = sym.type_code if sym and sym.type_code else word_key
        t = type_by_key(type_key)
        type_name = t.name if t else (inst.type or "Văn bản")
        cls = t.cls if t else "LegalInstrument"
        issuers = [expand(p) for p in split_joint(inst.issuer)] if inst.issuer else []
        notes: list[Note] = []

        if sym is not None:
            scope = sym.scope
            if scope is None and issuers:
                scope = "central" if is_central(issuers[0]) else "local"
            scope = scope or "local"
        else:
            scope = _named_scope(inst, type_key, self.plan)
        unit = VN if scope == "central" else _local_unit(issuers[0] if issuers else None, sym, self.plan,
                                                          self.gazetteer)
        date_year = int(inst.date[:4]) if inst.date and re.match(r"\d{4}", inst.date) else None
        year = sym.year if sym and sym.year else date_year
        how = "symbol" if sym and sym.year else ("date" if date_year else "none")
        date = inst.date
        ri = InstrumentIdentity("", type_key, type_name, cls, unit, sym.printed if sym else None,
                                nfc(inst.name) if inst.name else None, date, issuers,
                                number_key(type_key, unit, sym) if sym else None, notes=notes)
        if sym is not None and sym.type_code and word_key not in _GENERIC_TYPE_KEYS and word_key != sym.type_code:
            notes.append(Note("type-contradicts-number",
                              f"printed type '{inst.type}' but the number's code says '{type_name}'; the number wins",
                              "", inst.type, type_name, inst.line))
        if sym is not None and sym.year and date_year and date_year != sym.year:
            notes.append(Note("date-contradicts-number",
                              f"date {inst.date} contradicts the year {sym.year} in {sym.printed}; the number wins",
                              "", inst.date, str(sym.year), inst.line))
            ri.date = None
        if sym is None:
            ri.iri = self.iris.named_instrument(type_key, None if unit.is_country else unit.path, inst.name or "")
        else:
            ri.iri = self.iris.instrument(type_key, year, None if unit.is_country else unit.path, sym.printed)
        return ri, sym, year, how

    def resolve_all(self, instruments: Iterable[Instrument]) -> list[InstrumentIdentity]:
        prepared = [self._prepare(i) for i in instruments]
        # keys that need the store: numbered citations whose symbol carries no year
        keys = sorted({ri.number_key for ri, sym, _, how in prepared if sym is not None and how != "symbol"})
        found: dict[str, list[Candidate]] = {}
        if keys and self.resolver is not None:
            found = self.resolver.candidates(keys, exclude_graph=self.graph)
        local: dict[str, list[Candidate]] = {}
        for ri, sym, _, how in prepared:
            if sym is not None and how == "symbol":
                local.setdefault(ri.number_key, []).append(Candidate(ri.iri, ri.number))
        out = []
        for ri, sym, year, how in prepared:
            if sym is not None and how != "symbol":
                cands = {c.iri: c for c in [*local.get(ri.number_key, []), *found.get(ri.number_key, [])]}
                self._choose(ri, sym, year, list(cands.values()))
            for n in ri.notes:
                n.about = ri.iri
            out.append(ri)
        return out

    def _choose(self, ri: InstrumentIdentity, sym: Symbol, year: int | None, cands: list[Candidate]) -> None:
        def canonical(c: Candidate) -> bool:
            s = parse_symbol(c.number) if c.number else None
            return bool(s and s.year)

        yeared = [c for c in cands if year_of_instrument_iri(c.iri) is not None]
        if year is not None:
            same = [c for c in yeared if year_of_instrument_iri(c.iri) == year]
            if same:
                best = sorted(same, key=lambda c: (not canonical(c), c.iri))[0]
                if best.iri != ri.iri:
                    ri.notes.append(Note("number-resolved",
                                         f"{sym.printed} of {year} resolved to the stored {best.number or best.iri}",
                                         "", sym.printed, best.number or best.iri))
                    ri.iri = best.iri
            return
        years = sorted({year_of_instrument_iri(c.iri) for c in yeared})
        if len(years) == 1:
            best = sorted(yeared, key=lambda c: (not canonical(c), c.iri))[0]
            ri.notes.append(Note("year-resolved",
                                 f"{sym.printed} cited without year or date; resolved to {best.number or best.iri}",
                                 "", sym.printed, best.number or best.iri))
            ri.iri = best.iri
            return
        ri.unresolved = True
        if years:
            ri.notes.append(Note("year-ambiguous",
                                 f"{sym.printed} cited without year or date; the store holds it for years "
                                 f"{', '.join(map(str, years))}", "", sym.printed, None))
        else:
            ri.notes.append(Note("year-unresolved",
                                 f"{sym.printed} cited without year or date and not yet in the store", "",
                                 sym.printed, None))

    def from_key(self, key: str) -> Instrument:
        """A bare Instrument for an implements/amends key ("QĐ|1117/QĐ-TTg", "CL|<name>")."""
        code, _, rest = key.partition("|")
        t = type_by_key(code)
        tname = t.name if t else "Văn bản"
        if re.match(r"\d", rest):
            return Instrument(type=tname, number=rest)
        return Instrument(type=tname, name=rest)


def key_index(insts: list[Instrument], resolved: list[InstrumentIdentity]) -> dict[str, InstrumentIdentity]:
    """Keys an implements/amends list may use for an instrument of the same record (exact and normalised)."""
    out: dict[str, InstrumentIdentity] = {}
    for inst, ri in zip(insts, resolved, strict=True):
        k = inst.key  # an unknown type word gives "VB|…" (a lexicon error is raised, not hidden)
        out.setdefault(k, ri)
        out.setdefault(norm_key(k), ri)
        ident = number_norm(inst.number) if inst.number else nfc(inst.name or "").casefold()
        for code in {k.split("|", 1)[0], ri.type_key}:
            out.setdefault(f"{code}|{ident}", ri)
    return out


def dangling_keys(insts: list[Instrument]) -> list[str]:
    """implements/amends keys naming no instrument of the record (each becomes an instrument of its own)."""
    known: set[str] = set()
    for inst in insts:
        known.add(norm_key(f"X|{inst.number or inst.name or ''}").split("|", 1)[1])
    out = []
    for inst in insts:
        for k in [*inst.implements, *inst.amends]:
            if norm_key(k).split("|", 1)[1] not in known and k not in out:
                out.append(k)
    return sorted(out)
