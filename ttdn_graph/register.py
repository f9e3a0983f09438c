"""The instrument register: curated facts about the central instruments TTĐN plans cite most, in a graph of its own.

data/vocab/instrument_register.csv holds one row per instrument (symbol, type, date, issuer, title) and — only where
the row names its `source` — what amends, replaces or repeals it, or the date it expired. Unknown stays empty: no
status is asserted for a row without a source. The rows are read by the lexicon's one CSV loader (every row checked,
a bad one reported with its file and line) and stated with ELI terms in `<data base>graph/register`, next to the
ontology graph and replaced the same way (`sync_register`, called by every load, writes only when the file changed).

The register's instrument IRIs are the ones the resolve stage mints for a citation of the same symbol and date
(resolve.instruments), so its facts meet the plans' citations without a join on strings. What a document says
stays in the document and entities graphs (ttdn:title, ttdn:dateIssued …); the register says eli:title,
eli:date_document, eli:passed_by — another source's claim, kept apart, each triple stated once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from ttdn_graph.graph.namespaces import ELI, RDF, TTDN, XSD
from ttdn_graph.lexicon._load import LexiconError, load
from ttdn_graph.ontology import same_triples
from ttdn_graph.record import Instrument
from ttdn_graph.resolve.agencies import resolve_agency
from ttdn_graph.resolve.instruments import InstrumentResolver
from ttdn_graph.resolve.iris import Iris
from ttdn_graph.resolve.symbols import parse_symbol, type_by_key, type_key_of
from ttdn_graph.resolve.units import VN

REGISTER_FILE = "instrument_register.csv"
NOT_IN_FORCE = ELI + "InForce-notInForce"
STATUS_PROPERTIES = ("amended_by", "replaced_by", "repealed_by", "expired")


@dataclass(frozen=True)
class RegisterRow:
    """One row of the register. `amended_by`, `replaced_by`, `repealed_by` list symbols ("|"-separated), each either
    a row of the register itself or a symbol with its year ("42/2022/NĐ-CP"); `expired` is the date it ceased."""

    symbol: str
    type: str
    date: date | None = None
    issuer: str | None = None
    title: str | None = None
    amended_by: tuple[str, ...] = field(default=())
    replaced_by: tuple[str, ...] = field(default=())
    repealed_by: tuple[str, ...] = field(default=())
    expired: date | None = None
    source: str | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        sym = parse_symbol(self.symbol)
        if sym is None:
            raise ValueError(f"symbol {self.symbol!r} is not a document number")
        if sym.type_code and type_by_key(sym.type_code) is None:
            raise ValueError(f"symbol {self.symbol!r}: type code {sym.type_code!r} is unknown")
        if type_by_key(type_key_of(self.type)) is None:
            raise ValueError(f"type {self.type!r} is not an instrument type (data/vocab/instrument_types.csv)")
        if sym.scope != "central":
            raise ValueError(f"symbol {self.symbol!r} is not a central instrument's (the register holds those only)")
        changed = self.status_given
        if changed and not self.source:
            raise ValueError(f"{self.symbol}: amended/replaced/repealed/expired given without a source naming it")
        if self.source and not changed:
            raise ValueError(f"{self.symbol}: a source is given but no amended_by/replaced_by/repealed_by/expired")
        for s in (*self.amended_by, *self.replaced_by, *self.repealed_by):
            if parse_symbol(s) is None:
                raise ValueError(f"{self.symbol}: {s!r} is not a document number")

    @property
    def status_given(self) -> bool:
        return bool(self.amended_by or self.replaced_by or self.repealed_by or self.expired)

    @property
    def in_force(self) -> bool | None:
        """False when replaced, repealed or expired; None (unknown) otherwise — amended is still in force, but the
        register does not claim it."""
        return False if (self.replaced_by or self.repealed_by or self.expired) else None


@cache
def _rows(path: str | None, mtime: int) -> tuple[RegisterRow, ...]:
    rows = load(REGISTER_FILE, RegisterRow, Path(path) if path else None)
    seen: dict[str, int] = {}
    for i, r in enumerate(rows):
        k = _norm(r.symbol)
        if k in seen:
            raise LexiconError(f"{path or REGISTER_FILE}: {r.symbol} is listed twice (rows {seen[k] + 1} and {i + 1})")
        seen[k] = i
    return rows


def register_rows(path: Path | None = None) -> tuple[RegisterRow, ...]:
    """The register's rows (LexiconError naming the file and line of the first bad row)."""
    from ttdn_graph.lexicon._load import path_of

    p = path or path_of(REGISTER_FILE)
    try:
        mtime = p.stat().st_mtime_ns
    except OSError as e:
        raise LexiconError(f"{p}: cannot be read ({e.strerror or e})") from e
    return _rows(str(p), mtime)


def _norm(symbol: str) -> str:
    return re.sub(r"\s+", "", symbol).replace("–", "-").upper()


def instrument_iri(iris: Iris, symbol: str, type_name: str | None = None, when: date | None = None,
                   issuer: str | None = None) -> str:
    """The IRI the resolve stage gives a central citation of this symbol (and date, for a symbol without a year)."""
    inst = Instrument(type=type_name or "Văn bản", number=symbol, date=when.isoformat() if when else None,
                      issuer=issuer)
    return InstrumentResolver(iris, VN, None, None).resolve_all([inst])[0].iri


def register_triples(rows: tuple[RegisterRow, ...], base: str | None = None) -> list[ox.Triple]:
    """The register as ELI triples (see the module's docstring)."""
    iris = Iris(base)
    by_symbol = {_norm(r.symbol): r for r in rows}

    def iri_of(symbol: str, row: RegisterRow) -> ox.NamedNode:
        other = by_symbol.get(_norm(symbol))
        if other is not None:
            return ox.NamedNode(instrument_iri(iris, other.symbol, other.type, other.date, other.issuer))
        sym = parse_symbol(symbol)
        if sym is None or not sym.year:
            raise LexiconError(f"{REGISTER_FILE}: {row.symbol}: {symbol!r} needs a row of its own (for its date) "
                               "or a year in its symbol")
        return ox.NamedNode(instrument_iri(iris, symbol))

    eli = lambda t: ox.NamedNode(ELI + t)  # noqa: E731
    out: list[ox.Triple] = []
    for r in rows:
        s = ox.NamedNode(instrument_iri(iris, r.symbol, r.type, r.date, r.issuer))
        out.append(ox.Triple(s, ox.NamedNode(RDF + "type"), eli("LegalResource")))
        out.append(ox.Triple(s, eli("id_local"), ox.Literal(r.symbol)))
        if r.title:
            out.append(ox.Triple(s, eli("title"), ox.Literal(r.title, language="vi")))
        if r.date:
            out.append(ox.Triple(s, eli("date_document"), ox.Literal(r.date.isoformat(),
                                                                     datatype=ox.NamedNode(XSD + "date"))))
        if r.issuer:
            ref = resolve_agency(r.issuer, VN, None)
            out.append(ox.Triple(s, eli("passed_by"), ox.NamedNode(iris.agency(ref.unit.path, ref.key))))
        for col, prop in (("amended_by", ELI + "amended_by"), ("replaced_by", TTDN + "replacedBy"),
                          ("repealed_by", ELI + "repealed_by")):
            for other in getattr(r, col):
                out.append(ox.Triple(s, ox.NamedNode(prop), iri_of(other, r)))
        if r.expired:
            out.append(ox.Triple(s, eli("date_no_longer_in_force"),
                                 ox.Literal(r.expired.isoformat(), datatype=ox.NamedNode(XSD + "date"))))
        if r.in_force is False:
            out.append(ox.Triple(s, eli("in_force"), ox.NamedNode(NOT_IN_FORCE)))
        if r.source:
            out.append(ox.Triple(s, ox.NamedNode(TTDN + "statusSource"), ox.Literal(r.source, language="vi")))
    return out


@dataclass
class RegisterSync:
    graph: str
    triples: int
    written: bool

    def line(self) -> str:
        return f"register: {self.triples} triples in <{self.graph}>, " + ("written" if self.written else "unchanged")


def register_graph_iri(base: str | None = None) -> str:
    return Iris(base).register_graph


def sync_register(store, path: Path | None = None) -> RegisterSync:
    """Make the store's register graph hold exactly the register file: one replace_graph when it differs."""
    graph = Iris(store.base).register_graph
    new = register_triples(register_rows(path), store.base)
    old = [ox.Triple(r["s"], r["p"], r["o"])
           for r in store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")]
    if same_triples(old, new):
        return RegisterSync(graph, len(set(new)), False)
    g = ox.NamedNode(graph)
    store.replace_graph(graph, [ox.Quad(t.subject, t.predicate, t.object, g) for t in new])
    return RegisterSync(graph, len(set(new)), True)
