"""Text → search terms, and a query → an FTS5 expression: the one place both sides of the search index are folded.

Both the indexed text and the query go through `ascii_fold` (ttdn_graph/lexicon/fold.py: no diacritics, đ → d,
lower case, either tone placement), then are cut into words, so "Sở Thông tin", "so thong tin" and "SỞ THÔNG TIN"
are the same three terms. Instrument symbols are cut by the project's symbol grammar (resolve/symbols.py): a
number "1486/QĐ-TTg" is indexed as its serial, year and codes, and its type word ("Quyết định") beside them, so
"1486/qd-ttg", "1486-QĐ-TTg", "QĐ 1486" and "Quyết định 1486" all meet it. Type words and codes come from the
lexicon (data/vocab/instrument_types.csv), never from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ttdn_graph.lexicon.fold import ascii_fold, nfc
from ttdn_graph.lexicon.instrument_types import instrument_types
from ttdn_graph.resolve.symbols import parse_symbol

_WORD = re.compile(r"\w+")
_SYMBOL_LIKE = re.compile(r"\w+(?:\s*[/\-–—]\s*\w+)+")  # a serial and codes glued by / or -
MAX_TERMS = 16  # a query's terms (more are dropped: every term is one more index look-up)


def words(text: str | None) -> list[str]:
    """The folded words of `text`: "Biển, Đảo" → ["bien", "dao"]."""
    return _WORD.findall(ascii_fold(nfc(text or "")))


def folded(text: str | None) -> str:
    """The folded words of `text`, one space apart: what the index holds for it."""
    return " ".join(words(text))


def symbol_terms(number: str | None, type_name: str | None = None) -> str:
    """The words an instrument's number is found by: its serial, year and codes (by the symbol grammar) and its
    type word: ("72/2015/NĐ-CP", "Nghị định") → "72 nd cp 2015 nghi dinh"."""
    out: list[str] = []
    sym = parse_symbol(number)
    if sym is not None:  # the year after the codes: "QĐ 72" finds 72/2015/QĐ-TTg (the printed order is in its name)
        out += words(sym.serial)
        for c in sym.codes:
            out += words(c)
        if sym.year:
            out.append(str(sym.year))
    out += words(type_name)
    return " ".join(dict.fromkeys(out))


@cache
def _type_words() -> tuple[dict[tuple[str, ...], tuple[str, ...]], int]:
    """Folded type names and symbol codes → the folded symbol codes of that type; and the longest name in words.
    ("quyet", "dinh") → ("qd",); ("qd",) → ("qd",)."""
    out: dict[tuple[str, ...], set[str]] = {}
    for t in instrument_types():
        codes = {folded(c) for c in (t.key, *t.symbol_codes) if folded(c)}
        for form in (t.name, t.key, *t.symbol_codes):
            key = tuple(words(form))
            if key:
                out.setdefault(key, set()).update(codes)
    return {k: tuple(sorted(v)) for k, v in out.items()}, max(len(k) for k in out)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


@dataclass(frozen=True)
class Query:
    """A parsed query: the FTS5 MATCH expression (None: nothing to look for) and the folded words to highlight."""

    text: str
    expression: str | None
    terms: frozenset[str]


def parse_query(q: str) -> Query:
    """The FTS5 expression of a user's query, every term quoted (no FTS5 syntax reaches the index from a user).

    - a symbol ("1486/qd-ttg", "1486-QĐ-TTg", "72/2015/NĐ-CP") is the phrase of its parts;
    - a type word or code before a number ("QĐ 1486", "Quyết định 1486", "Quyết định số 1486") is the number next to
      one of that type's codes ("1486 qd"), or, for a type word, the words as typed (with or without "số");
    - any other word is a term; all groups must match (AND).
    """
    text = " ".join(nfc(q or "").split())
    groups: list[str] = []
    terms: set[str] = set()
    chunks = _chunks(text)
    table, longest = _type_words()
    i = 0
    while i < len(chunks) and len(terms) < MAX_TERMS:
        kind, ws = chunks[i]
        matched = False
        for n in range(min(longest, len(chunks) - i - 1), 0, -1):  # a type word/code, maybe "số", then a number
            head = [w for _, c in chunks[i:i + n] for w in c]
            codes = table.get(tuple(head))
            if codes is None:
                continue
            j = i + n
            if j < len(chunks) - 1 and chunks[j][1] == ["so"] and chunks[j + 1][1][:1] and \
                    chunks[j + 1][1][0][:1].isdigit():
                j += 1  # "Quyết định số 1486"
            nk, nws = chunks[j]
            if not nws or not nws[0][:1].isdigit():
                continue
            if nk == "symbol":  # "Quyết định 1486/QĐ-TTg": the symbol says the type
                groups.append(_quote(" ".join(nws)))
            else:
                serial = nws[0]
                alts = [_quote(f"{serial} {c}") for c in codes]  # "1486/QĐ-TTg", "06-CT/TW" as printed
                if tuple(head) not in {(c,) for c in codes}:  # a type word: also "Quyết định (số) 1486" in text
                    alts += [_quote(" ".join([*head, serial])), _quote(" ".join([*head, "so", serial]))]
                groups.append("(" + " OR ".join(alts) + ")")
                terms.update(codes)
            terms.update(head + nws)
            i = j + 1
            matched = True
            break
        if matched:
            continue
        if kind == "symbol":
            groups.append(_quote(" ".join(ws)))
        else:
            groups.extend(_quote(w) for w in ws)
        terms.update(ws)
        i += 1
    expression = " AND ".join(groups) if groups else None
    return Query(text, expression, frozenset(terms))


def _chunks(text: str) -> list[tuple[str, list[str]]]:
    """("symbol" | "word", folded words) in query order: a symbol-like run ("1486/QĐ-TTg") is one chunk."""
    out: list[tuple[str, list[str]]] = []
    pos = 0
    for m in _SYMBOL_LIKE.finditer(text):
        out += [("word", [w]) for w in words(text[pos:m.start()])]
        ws = words(m.group(0))
        if any(c.isdigit() for c in m.group(0)):
            out.append(("symbol", ws))
        else:  # "biển-đảo", "Sở Thông tin/Truyền thông": words, not a symbol
            out += [("word", [w]) for w in ws]
        pos = m.end()
    out += [("word", [w]) for w in words(text[pos:])]
    return out


def _best_window(text: str, spans: list[tuple[int, int]], width: int) -> int:
    """Where the shown window starts from: the match whose window holds the most distinct matched words."""
    best, best_n = (spans[0][0] if spans else 0), 0
    for s, _ in spans:
        n = len({ascii_fold(text[a:b]) for a, b in spans if s <= a and b <= s + width * 2 // 3})
        if n > best_n:
            best, best_n = s, n
    return best


@dataclass(frozen=True)
class Segment:
    """A piece of shown text; `hit` when it is a word the query matched (the template wraps it in <mark>)."""

    text: str
    hit: bool = False


def highlight(text: str, terms: frozenset[str] | set[str], *, width: int = 0) -> list[Segment]:
    """`text` cut into segments, the words whose folded form is a query term marked. With `width`, only about
    `width` characters around the first match are kept (ellipses mark what is cut). Plain text in, plain text out:
    escaping is the template's (autoescape), so no markup is ever built here."""
    text = nfc(text)
    spans = [(m.start(), m.end()) for m in _WORD.finditer(text) if terms and ascii_fold(m.group(0)) in terms]
    lo, hi = 0, len(text)
    if width and len(text) > width:
        first = _best_window(text, spans, width)
        lo = max(0, first - width // 3)
        hi = min(len(text), lo + width)
        lo = max(0, min(lo, hi - width))
        while lo > 0 and not text[lo - 1].isspace():  # whole words
            lo += 1
        while hi < len(text) and not text[hi].isspace():
            hi += 1
    out: list[Segment] = [Segment("…")] if lo > 0 else []
    pos = lo
    for s, e in spans:
        if e <= lo or s >= hi:
            continue
        if s > pos:
            out.append(Segment(text[pos:s]))
        out.append(Segment(text[s:e], True))
        pos = e
    if pos < hi:
        out.append(Segment(text[pos:hi]))
    if hi < len(text):
        out.append(Segment("…"))
    return out


__all__ = ["MAX_TERMS", "Query", "Segment", "folded", "highlight", "parse_query", "symbol_terms", "words"]
