"""A loaded document as the reader shows it: its text line by line (the lines the facts cite), what it is, and the
facts that cite each line.

The text is the source node's ttdn:documentText (written with the document's graph, so it is there exactly when
the facts are); line N is text.split("\\n")[N - 1], the numbering of ttdn:lineStart / ttdn:lineEnd.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox

from ttdn_graph.graph.namespaces import DCTERMS, PROV, RDFS, TTDN
from ttdn_graph.views.model import Link

_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,300}")
_LINES = re.compile(r"\s*L?(\d{1,7})\s*(?:[-–:]\s*L?(\d{1,7}))?\s*")
_CITERS = {f"{TTDN}Task": "task", f"{TTDN}Duty": "duty", f"{TTDN}Responsibility": "responsibility",
           f"{TTDN}Citation": "citation", f"{TTDN}Discrepancy": "note"}


def source_iri(base: str, slug: str) -> str | None:
    """The source node `<base>source/<slug>` the reader's name stands for; None for a name no IRI has."""
    return f"{base}source/{slug}" if _SLUG.fullmatch(slug or "") else None


def reader_url(prefix: str, base: str, document: str, start: int | None = None, end: int | None = None) -> str | None:
    """The reader's address (`<prefix>/documents/<name>`) of `document`, a source-node IRI under `base`, with its
    lines `start`–`end` highlighted and in view; None when the IRI is no source node of this base."""
    if not document.startswith(f"{base}source/") or not _SLUG.fullmatch(document[len(base) + 7:]):
        return None
    url = f"{prefix}/documents/{quote(document[len(base) + 7:], safe='-._~')}"
    if start:
        span = f"{start}-{end}" if end and end > start else str(start)
        url += f"?lines={span}#L{start}"
    return url


def parse_lines(value: str | None) -> tuple[int, int] | None:
    """"100" → (100, 100); "100-104", "L100-L104" → (100, 104); None for nothing; ValueError for anything else."""
    if value is None or not value.strip():
        return None
    m = _LINES.fullmatch(value)
    if not m:
        raise ValueError("lines: give a line (100) or a range (100-104)")
    a = int(m.group(1))
    b = int(m.group(2) or a)
    if a < 1 or b < a:
        raise ValueError("lines: give a line (100) or a range (100-104), first line first")
    return a, b


@dataclass
class Citer:
    iri: str
    url: str
    kind: str
    label: str
    line_start: int
    line_end: int


@dataclass
class DocumentLine:
    no: int
    text: str
    marked: bool = False
    citers: list[Citer] = field(default_factory=list)  # facts whose span starts on this line


@dataclass
class DocumentView:
    iri: str
    url: str  # the source node's page
    file_name: str
    sha256: str | None
    format: str | None
    loaded_at: str | None
    source_url: str | None
    plans: list[tuple[str, str]]  # (label, url) of the plans it states
    lines: list[DocumentLine]
    marked: tuple[int, int] | None
    has_text: bool

    @property
    def marked_text(self) -> str:
        """The text of the marked lines, one line each."""
        return "\n".join(ln.text for ln in self.lines if ln.marked)


def _ref(iri: str) -> str:
    return str(ox.NamedNode(iri))


def document_view(store: Any, iri: str, link: Link, marked: tuple[int, int] | None = None) -> DocumentView | None:
    """The reader's view of the source node `iri`; None when the store has no such document."""
    src = _ref(iri)
    rows = store.query(f"""SELECT ?f ?sha ?fmt ?when ?url ?text WHERE {{
  {src} a <{TTDN}SourceDocument> ; <{TTDN}fileName> ?f .
  OPTIONAL {{ {src} <{TTDN}sha256> ?sha }} OPTIONAL {{ {src} <{DCTERMS}format> ?fmt }}
  OPTIONAL {{ {src} <{PROV}generatedAtTime> ?when }} OPTIONAL {{ {src} <{DCTERMS}source> ?url }}
  OPTIONAL {{ {src} <{TTDN}documentText> ?text }} }} LIMIT 1""")
    if not rows:
        return None
    r = rows[0]

    def val(k: str) -> str | None:
        return r[k].value if k in r else None

    text = val("text")
    plans = [(p["l"].value if "l" in p else p["p"].value, link(p["p"].value)) for p in store.query(
        f"SELECT ?p (SAMPLE(?label) AS ?l) WHERE {{ ?p a <{TTDN}Plan> ; <{PROV}wasDerivedFrom> {src} . "
        f"OPTIONAL {{ ?p <{RDFS}label> ?label }} }} GROUP BY ?p ORDER BY ?p")]
    lines = [DocumentLine(i, t) for i, t in enumerate((text or "").split("\n"), start=1)] if text is not None else []
    if marked and lines:
        a, b = marked
        for ln in lines[max(0, a - 1):min(len(lines), b)]:
            ln.marked = True
    for c in _citers(store, iri, link):
        if 1 <= c.line_start <= len(lines):
            lines[c.line_start - 1].citers.append(c)
    url = val("url")
    return DocumentView(iri, link(iri), val("f") or iri, val("sha"), val("fmt"), val("when"),
                        url if url and url.startswith(("http://", "https://")) else None, plans, lines, marked,
                        text is not None)


def _citers(store: Any, iri: str, link: Link) -> list[Citer]:
    """The facts of the document's own graph that cite its lines (tasks, duties, responsibilities, citations)."""
    kinds = " ".join(f"<{k}>" for k in _CITERS)
    rows = store.query(f"""SELECT ?x ?k ?ls ?le (SAMPLE(?label) AS ?l) WHERE {{
  GRAPH {_ref(iri)} {{ ?x <{TTDN}lineStart> ?ls ; a ?k . VALUES ?k {{ {kinds} }} OPTIONAL {{ ?x <{TTDN}lineEnd> ?le }} }}
  OPTIONAL {{ ?x <{RDFS}label>|<{TTDN}sourceText> ?label }} }} GROUP BY ?x ?k ?ls ?le""")
    out = []
    for r in rows:
        try:
            ls = int(r["ls"].value)
            le = int(r["le"].value) if "le" in r else ls
        except ValueError:
            continue
        label = r["l"].value if "l" in r else r["x"].value
        out.append(Citer(r["x"].value, link(r["x"].value), _CITERS.get(r["k"].value, ""),
                         label if len(label) <= 90 else label[:87] + "…", ls, max(ls, le)))
    return sorted(out, key=lambda c: (c.line_start, c.line_end, c.kind, c.iri))


def original_of(store: Any, iri: str) -> tuple[str, str | None, str | None] | None:
    """(file name, sha256, format) of the source node `iri`, for the download of its original; None: no such
    document."""
    src = _ref(iri)
    rows = store.query(f"SELECT ?f ?sha ?fmt WHERE {{ {src} a <{TTDN}SourceDocument> ; <{TTDN}fileName> ?f . "
                       f"OPTIONAL {{ {src} <{TTDN}sha256> ?sha }} OPTIONAL {{ {src} <{DCTERMS}format> ?fmt }} }} LIMIT 1")
    if not rows:
        return None
    r = rows[0]
    return r["f"].value, r["sha"].value if "sha" in r else None, r["fmt"].value if "fmt" in r else None


__all__ = ["Citer", "DocumentLine", "DocumentView", "document_view", "original_of", "parse_lines", "reader_url",
           "source_iri"]
