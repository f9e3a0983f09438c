"""Search the index (ttdn_graph.search.build): ranked by bm25, paged, filtered by kind, words highlighted.

The index file is opened read-only and immutable (`mode=ro&immutable=1`): it is never changed in place, only
replaced whole by a rename, so a connection made per search sees one index from start to end and takes no lock. A
search stops at its deadline (SQLite's progress handler), as every query of the web app does.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from ttdn_graph.search.build import KINDS
from ttdn_graph.search.terms import Segment, highlight, parse_query, words

WEIGHTS = (10.0, 10.0, 1.0, 0.5)  # bm25 weight of name, symbol, body, place
PER_PAGE = 25
MAX_PAGE = 200  # pages past this are not served (deep paging is the browse tables' job)
SNIPPET = 240  # characters of long text shown around the first match


class SearchUnavailable(Exception):
    """No index to search (none built yet, or unreadable)."""


class SearchTimeout(Exception):
    """The search ran past its deadline."""


@dataclass
class SearchHit:
    iri: str
    kind: str
    label: str
    text: str | None
    context: str | None
    document: str | None
    line_start: int | None
    line_end: int | None
    score: float
    label_parts: list[Segment] = field(default_factory=list)
    text_parts: list[Segment] = field(default_factory=list)
    context_parts: list[Segment] = field(default_factory=list)

    @property
    def lines(self) -> str | None:
        """"100" or "100-104" (the reader's `?lines=` value), when the hit cites lines."""
        if self.line_start is None:
            return None
        end = self.line_end if self.line_end and self.line_end > self.line_start else None
        return f"{self.line_start}-{end}" if end else str(self.line_start)


@dataclass
class SearchResult:
    q: str
    kind: str | None
    page: int
    per_page: int
    total: int
    by_kind: dict[str, int]
    hits: list[SearchHit]
    terms: list[str]

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, max(1, -(-self.total // self.per_page)))


def open_index(path: str | Path) -> sqlite3.Connection:
    p = Path(path)
    if not p.is_file():
        raise SearchUnavailable(f"no search index at {p.name} (load some plans first)")
    try:
        con = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        con.execute("SELECT 1 FROM meta LIMIT 1")
    except sqlite3.Error as e:
        raise SearchUnavailable(f"search index unreadable: {e}") from e
    return con


def search(path: str | Path, q: str, *, kind: str | None = None, page: int = 1, per_page: int = PER_PAGE,
           timeout: float = 10.0) -> SearchResult:
    """Page `page` of the resources matching `q` (of `kind`, when given), best first."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    page = max(1, min(page, MAX_PAGE))
    query = parse_query(q)
    empty = SearchResult(query.text, kind, page, per_page, 0, {}, [], sorted(query.terms))
    if query.expression is None:
        return empty
    con = open_index(path)
    deadline = time.monotonic() + timeout
    con.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 10_000)
    try:
        by_kind = dict(con.execute(
            "SELECT item.kind, count(*) FROM fts JOIN item ON item.id = fts.rowid WHERE fts MATCH ? "
            "GROUP BY item.kind", (query.expression,)).fetchall())
        where, args = ("AND item.kind = ?", [kind]) if kind else ("", [])
        rows = con.execute(
            "SELECT item.iri, item.kind, item.label, item.text, item.context, item.document, item.line_start, "
            f"item.line_end, bm25(fts, {', '.join(map(str, WEIGHTS))}) AS score "
            f"FROM fts JOIN item ON item.id = fts.rowid WHERE fts MATCH ? {where} "
            "ORDER BY score, item.id LIMIT ? OFFSET ?",
            [query.expression, *args, per_page, (page - 1) * per_page]).fetchall()
    except sqlite3.OperationalError as e:
        if "interrupted" in str(e):
            raise SearchTimeout(f"search stopped: it ran longer than the {timeout:g} s time limit") from e
        raise
    finally:
        con.close()
    total = by_kind.get(kind, 0) if kind else sum(by_kind.values())
    hits = []
    for iri, k, label, text, context, doc, ls, le, score in rows:
        hits.append(SearchHit(iri, k, label, text, context, doc, ls, le, score,
                              highlight(label, query.terms),
                              highlight(text, query.terms, width=SNIPPET) if text and words(text) != words(label)
                              else [],
                              highlight(context, query.terms) if context else []))
    return SearchResult(query.text, kind, page, per_page, total,
                        {k: by_kind.get(k, 0) for k in KINDS}, hits, sorted(query.terms))


def document_slug(source_iri: str) -> str:
    """The reader's name of a source document: the last segment of its IRI (…/source/<slug>)."""
    return quote(source_iri.rstrip("/").rsplit("/", 1)[-1], safe="-._~")


__all__ = ["KINDS", "PER_PAGE", "SearchHit", "SearchResult", "SearchTimeout", "SearchUnavailable", "document_slug",
           "open_index", "search"]
