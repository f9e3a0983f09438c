"""A SPARQL tokenizer in linear time, following the terminals of the SPARQL 1.1 grammar (§19.8).

It serves the named queries (where to bind parameters) and the public endpoint's checks, which must see the
tokens the engine will see. One compiled pattern with possessive quantifiers, so no input can make it backtrack:
the earlier scanner retried a prefixed-name pattern at every position of `a-a-a-…` (85 s for 100 KB). A string
left open is one `bad` token up to the end of its line (or of the text, for a long string): no terminal of the
grammar can start inside it, so the engine's parser fails there too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Token:
    kind: str  # word | pname | iri | var | string | number | lang | punct | bad | other
    text: str
    start: int
    end: int


_LOCAL = r"(?:[\w\-:%]++|\\\S|\.(?=[\w\-:%\\]))*+"  # PN_LOCAL: no trailing '.', PLX escapes
_MASTER = re.compile(
    r"(?P<ws>\s++)"
    r"|(?P<comment>\#[^\n\r]*+)"
    r"|(?P<iri><[^<>\"{}|^`\\\x00-\x20]*+>)"
    r"|(?P<string>'''(?:[^'\\]++|\\(?s:.)|'(?!''))*+'''|\"\"\"(?:[^\"\\]++|\\(?s:.)|\"(?!\"\"))*+\"\"\""
    r"|'(?:[^'\\\n\r]++|\\.)*+'|\"(?:[^\"\\\n\r]++|\\.)*+\")"
    r"|(?P<bad>'''(?s:.)*+|\"\"\"(?s:.)*+|'[^\n\r]*+|\"[^\n\r]*+)"
    r"|(?P<var>[?$][\w\u00b7\u0300-\u036f\u203f\u2040]++)"
    r"|(?P<lang>@[A-Za-z]++(?:-[A-Za-z0-9]++)*+)"
    rf"|(?P<name>[^\W\d][\w\-.]*+(?::{_LOCAL})?|:{_LOCAL})"
    r"|(?P<number>[+-]?(?:\d++(?:\.\d*+)?(?:[eE][+-]?\d++)?|\.\d++(?:[eE][+-]?\d++)?))"
    r"|(?P<punct>\^\^|&&|\|\||!=|<=|>=|<<|>>|[{}()\[\];,.=<>!+\-*/|^?$@])"
    r"|(?P<other>(?s:.))"
)
_RUN_PART = re.compile(r"[^\W\d]\w*+|\d\w*+|[\-.]")


def scan(sparql: str) -> Iterator[Token]:
    """The tokens of a SPARQL text, comments and whitespace dropped. Unknown characters come out as 'other'."""
    for m in _MASTER.finditer(sparql):
        kind = m.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        text, start = m.group(0), m.start()
        if kind != "name":
            yield Token(kind, text, start, m.end())
        elif ":" in text:
            yield Token("pname", text, start, m.end())
        else:  # a run of letters, digits, '-' and '.' with no ':' after it: words and punctuation
            for p in _RUN_PART.finditer(text):
                t = p.group(0)
                k = "punct" if t in "-." else ("word" if not t[0].isdigit() else "number")
                yield Token(k, t, start + p.start(), start + p.end())


def tokens(sparql: str) -> list[Token]:
    return list(scan(sparql))


def line_of(text: str, offset: int) -> int:
    """1-based line number of a character offset (for error messages)."""
    return text.count("\n", 0, offset) + 1


__all__ = ["Token", "line_of", "scan", "tokens"]
