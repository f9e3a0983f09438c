"""Build the search index (SQLite FTS5, standard library) from what a store holds, after a load or a removal.

The index is derived data: everything in it is read from the store (labels, numbers, titles, task and duty text
— the searchable text already lives in the graph), so it can always be rebuilt, and is rebuilt whole after every
load, into a temporary file renamed over the old one (ttdn_graph/sidecar.py). A reader opens the file by name and sees
the old index or the new one, never a half-built one; a load that stops half-way still ends with a rebuild (the
loader's `finally`), and a process killed outright leaves the old index, which the next load replaces.

Tables: `item` (one row per resource: IRI, kind, label and text as printed, context, document and lines) and the
contentless FTS5 table `fts` (rowid = item.id) over four folded columns — `name` (labels, numbers), `symbol`
(instrument symbols cut by the symbol grammar, with their type word), `body` (task and duty text, titles) and
`place` (jurisdiction) — ranked by bm25 with the weights in WEIGHTS (ttdn_graph.search.query).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ttdn_graph.graph.namespaces import PROV, RDFS, SKOS, TTDN
from ttdn_graph.search.terms import folded, symbol_terms

SCHEMA_VERSION = "1"
KINDS = ("plan", "instrument", "task", "duty", "agency", "unit")
_P = f"PREFIX ttdn: <{TTDN}>\nPREFIX rdfs: <{RDFS}>\nPREFIX skos: <{SKOS}>\nPREFIX prov: <{PROV}>\n"

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE item(
  id INTEGER PRIMARY KEY, iri TEXT NOT NULL, kind TEXT NOT NULL, label TEXT NOT NULL, text TEXT,
  context TEXT, document TEXT, line_start INTEGER, line_end INTEGER);
CREATE VIRTUAL TABLE fts USING fts5(name, symbol, body, place, content='', tokenize='unicode61 remove_diacritics 0');
"""


@dataclass
class Item:
    """One searchable resource, as shown (label, text, context: printed forms) and as indexed (folded columns)."""

    iri: str
    kind: str
    label: str
    text: str = ""  # task or duty text, an instrument's title
    context: str = ""  # where it belongs, shown under it: plan, jurisdiction, agency
    names: list[str] = field(default_factory=list)  # more names it is found by (alt labels, numbers)
    symbol: str = ""  # symbol_terms()
    place: str = ""  # jurisdiction label(s)
    document: str | None = None  # source-document IRI whose lines it cites
    line_start: int | None = None
    line_end: int | None = None


@dataclass
class IndexBuild:
    path: str
    items: int
    bytes: int
    seconds: float
    by_kind: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        kinds = ", ".join(f"{n} {k}" for k, n in self.by_kind.items() if n)
        return (f"search index: {self.items} items ({kinds}), {self.bytes / 1024 / 1024:.1f} MB, "
                f"{self.seconds:.2f}s")


def _rows(store: Any, sparql: str, names: tuple[str, ...]) -> list[tuple[str | None, ...]]:
    return store.query_tuples(_P + sparql, names)


def _int(v: str | None) -> int | None:
    try:
        return int(v) if v is not None else None
    except ValueError:
        return None


def documents_digest(store: Any) -> str:
    """A fingerprint of the loaded documents (graph and load time of each): the index was built from this store
    state when its meta `documents` equals it."""
    rows = _rows(store, "SELECT ?g ?t WHERE { ?g a ttdn:SourceDocument . OPTIONAL { ?g prov:generatedAtTime ?t } }",
                 ("g", "t"))
    h = hashlib.sha256()
    for g, t in sorted((g or "", t or "") for g, t in rows):
        h.update(f"{g}\0{t}\n".encode())
    return h.hexdigest()[:32]


def collect(store: Any) -> Iterator[Item]:
    """Every searchable resource of the store, read with one query per kind."""
    units: dict[str, Item] = {}
    for s, label, within in _rows(store, """SELECT ?s ?l ?w WHERE { ?s a ttdn:AdministrativeUnit ; rdfs:label ?l .
        OPTIONAL { ?s ttdn:withinUnit ?u . ?u rdfs:label ?w } }""", ("s", "l", "w")):
        it = units.setdefault(s, Item(s, "unit", label or s, place=""))
        _more(it, label, within, context=True)
    yield from units.values()
    unit_label = {s: it.label for s, it in units.items()}

    agencies: dict[str, Item] = {}
    for s, label, alt, unit in _rows(store, """SELECT ?s ?l ?alt ?u WHERE {
        { ?s a ttdn:Agency } UNION { ?s a ttdn:AgencyGroup }
        ?s rdfs:label ?l . OPTIONAL { ?s skos:altLabel ?alt } OPTIONAL { ?s ttdn:jurisdiction ?u } }""",
                                     ("s", "l", "alt", "u")):
        it = agencies.setdefault(s, Item(s, "agency", label or s))
        _more(it, label, unit_label.get(unit or ""), context=True)
        if alt and alt not in it.names and alt != it.label:
            it.names.append(alt)
    yield from agencies.values()

    instruments: dict[str, Item] = {}
    for s, is_plan, label, number, title, tname, date, unit in _rows(store, """SELECT ?s ?plan ?l ?n ?t ?tn ?d ?u WHERE {
        ?s a ttdn:LegalInstrument . BIND(EXISTS { ?s a ttdn:Plan } AS ?plan)
        OPTIONAL { ?s rdfs:label ?l } OPTIONAL { ?s ttdn:number ?n } OPTIONAL { ?s ttdn:title ?t }
        OPTIONAL { ?s ttdn:instrumentType ?c . ?c skos:prefLabel ?tn FILTER(langMatches(lang(?tn), "vi")) }
        OPTIONAL { ?s ttdn:dateIssued ?d } OPTIONAL { ?s ttdn:jurisdiction ?u } }""",
                                                                     ("s", "plan", "l", "n", "t", "tn", "d", "u")):
        kind = "plan" if is_plan == "true" else "instrument"
        it = instruments.setdefault(s, Item(s, kind, label or number or title or s))
        if label and it.label == s:
            it.label = label
        if number and number not in it.names:
            it.names.append(number)
            it.symbol = " ".join(dict.fromkeys(f"{it.symbol} {symbol_terms(number, tname)}".split()))
        if title and title not in it.text:
            it.text = f"{it.text} · {title}" if it.text else title
        place = unit_label.get(unit or "")
        _more(it, None, place)
        bits = [b for b in (tname, date, place) if b]
        if bits and not it.context:
            it.context = " · ".join(bits)
    yield from instruments.values()

    tasks: dict[str, Item] = {}
    for s, label, text, plan, doc, ls, le in _rows(store, """SELECT ?s ?l ?t ?p ?g ?ls ?le WHERE { ?s a ttdn:Task .
        OPTIONAL { ?s rdfs:label ?l } OPTIONAL { ?s ttdn:sourceText ?t } OPTIONAL { ?s ttdn:ofPlan ?p }
        OPTIONAL { ?s prov:wasDerivedFrom ?g . ?g a ttdn:SourceDocument }
        OPTIONAL { ?s ttdn:lineStart ?ls } OPTIONAL { ?s ttdn:lineEnd ?le } }""",
                                                   ("s", "l", "t", "p", "g", "ls", "le")):
        p = instruments.get(plan or "")
        it = tasks.setdefault(s, Item(s, "task", label or text or s, text or "", p.label if p else "",
                                      place=p.place if p else "", document=doc, line_start=_int(ls),
                                      line_end=_int(le)))
        if text and not it.text:
            it.text = text
    yield from tasks.values()

    duties: dict[str, Item] = {}
    for s, text, agency, plan, doc, ls, le in _rows(store, """SELECT ?s ?t ?a ?p ?g ?ls ?le WHERE {
        ?s a ttdn:Duty ; ttdn:sourceText ?t .
        OPTIONAL { ?r ttdn:hasDuty ?s . OPTIONAL { ?r ttdn:agency ?a } OPTIONAL { ?r ttdn:plan ?p } }
        OPTIONAL { ?s prov:wasDerivedFrom ?g . ?g a ttdn:SourceDocument }
        OPTIONAL { ?s ttdn:lineStart ?ls } OPTIONAL { ?s ttdn:lineEnd ?le } }""",
                                                    ("s", "t", "a", "p", "g", "ls", "le")):
        p, a = instruments.get(plan or ""), agencies.get(agency or "")
        context = " · ".join(x.label for x in (a, p) if x)
        duties.setdefault(s, Item(s, "duty", a.label if a else (text or s), text or "", context,
                                  place=p.place if p else "", document=doc, line_start=_int(ls),
                                  line_end=_int(le)))
    yield from duties.values()


def _more(it: Item, label: str | None, place: str | None, *, context: bool = False) -> None:
    if label and label != it.label and label not in it.names:
        it.names.append(label)
    if place and place not in it.place.split(" · "):
        it.place = f"{it.place} · {place}" if it.place else place
        if context:
            it.context = it.place


def write_index(items: Iterable[Item], path: str | Path, *, documents: str = "") -> IndexBuild:
    """Write `items` into a new index at `path` (temporary file, then rename)."""
    t0 = time.perf_counter()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    by_kind = dict.fromkeys(KINDS, 0)
    try:
        con = sqlite3.connect(tmp)
        try:
            con.execute("PRAGMA journal_mode=OFF")
            con.execute("PRAGMA synchronous=OFF")
            con.executescript(SCHEMA)
            n = 0
            batch_items, batch_fts = [], []
            for n, it in enumerate(items, start=1):
                by_kind[it.kind] = by_kind.get(it.kind, 0) + 1
                body = folded(it.text) if it.text else ""
                shown = it.text if body and body != folded(it.label) else None  # a text that only repeats its label
                batch_items.append((n, it.iri, it.kind, it.label, shown, it.context or None, it.document,
                                    it.line_start, it.line_end))
                name = folded(" ".join([it.label, *it.names]))
                body = body if shown else ""
                batch_fts.append((n, name, it.symbol, body, folded(it.place)))
                if len(batch_items) >= 5000:
                    _flush(con, batch_items, batch_fts)
            _flush(con, batch_items, batch_fts)
            con.execute("INSERT INTO fts(fts) VALUES('optimize')")
            con.executemany("INSERT INTO meta VALUES (?, ?)", [
                ("schema", SCHEMA_VERSION), ("items", str(n)), ("documents", documents),
                ("built_at", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())),
            ])
            con.commit()
        finally:
            con.close()
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return IndexBuild(str(path), n, path.stat().st_size, time.perf_counter() - t0, by_kind)


def _flush(con: sqlite3.Connection, items: list, fts: list) -> None:
    con.executemany("INSERT INTO item VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", items)
    con.executemany("INSERT INTO fts(rowid, name, symbol, body, place) VALUES (?, ?, ?, ?, ?)", fts)
    items.clear()
    fts.clear()


def build_index(store: Any, path: str | Path, *, force: bool = True) -> IndexBuild | None:
    """Rebuild the index at `path` from `store`; the time reported includes reading the store. With
    `force=False`, None (and nothing written) when the index there was built from the same documents."""
    t0 = time.perf_counter()
    digest = documents_digest(store)
    if not force and index_meta(path).get("documents") == digest and index_meta(path).get("schema") == SCHEMA_VERSION:
        return None
    out = write_index(collect(store), path, documents=digest)
    out.seconds = time.perf_counter() - t0
    return out


def index_meta(path: str | Path) -> dict[str, str]:
    """The meta table of the index at `path` ({} when there is none or it cannot be read)."""
    if not Path(path).is_file():
        return {}
    try:
        con = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            return dict(con.execute("SELECT key, value FROM meta").fetchall())
        finally:
            con.close()
    except sqlite3.Error:
        return {}


__all__ = ["KINDS", "IndexBuild", "Item", "build_index", "collect", "documents_digest", "index_meta", "write_index"]
