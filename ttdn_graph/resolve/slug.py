"""ASCII slugs for IRI path segments: "Thừa Thiên Huế" → "thua-thien-hue", "1486/QĐ-TTg" → "1486-qd-ttg"."""

from __future__ import annotations

import re
from functools import lru_cache

from ttdn_graph.lexicon.fold import ascii_fold, nfc

__all__ = ["lookup_key", "nfc", "slug"]

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1 << 16)  # agency, unit and concept names repeat in every document
def slug(text: str | None, max_len: int | None = None) -> str:
    """Lower-case ASCII words joined by '-'; empty input gives ''. Cut at a word boundary when max_len is set."""
    s = _NON_ALNUM.sub("-", ascii_fold(text or "")).strip("-")
    if max_len and len(s) > max_len:
        cut = s[:max_len]
        s = cut.rsplit("-", 1)[0] if "-" in cut and s[max_len] != "-" else cut
        s = s.strip("-")
    return s


_SPACES = re.compile(r"\s+")
_SYMBOL_GAPS = re.compile(r"\s*([/\-–])\s*")


def lookup_key(text: str | None) -> str:
    """The form an instrument is looked up by (skos:hiddenLabel; named-query `key` parameters): NFC with new-style
    tones, case folded, no spaces around a symbol's '/' and '-', other runs of spaces single. "1486 / QĐ-TTg" and
    "1486/qđ-ttg" meet; an index look-up then replaces a case-insensitive scan of every number."""
    t = _SYMBOL_GAPS.sub(lambda m: "-" if m.group(1) == "–" else m.group(1), nfc(text or "").strip())
    return _SPACES.sub(" ", t).casefold()
