"""Normalise a document's text: NFC, spelling variants, markup removal, re-joined broken lines.

Keeps a line map (each output line remembers the source line it starts on) so every fact leads back to the page.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

VOWEL_TONED = "áàảãạéèẻẽẹíìỉĩịóòỏõọúùủũụýỳỷỹỵắằẳẵặấầẩẫậếềểễệốồổỗộớờởỡợứừửữự"
LOWER = "a-zàáảãạăắằẳẵặâấầẩẫậèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵđ"
UPPER = "A-ZÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴĐ"
LETTER = LOWER + UPPER[3:]  # character-class body for any Vietnamese letter (A-Z covered by a-z with re.I only)
WORD = f"[{LOWER}{UPPER}0-9]"

# Old-style tone placement on "oa", "oe", "uy" open syllables ("hoá", "Uỷ") → new style ("hóa", "Ủy").
_TONE_MOVE = {
    "á": ("a", "\u0301"), "à": ("a", "\u0300"), "ả": ("a", "\u0309"), "ã": ("a", "\u0303"), "ạ": ("a", "\u0323"),
    "é": ("e", "\u0301"), "è": ("e", "\u0300"), "ẻ": ("e", "\u0309"), "ẽ": ("e", "\u0303"), "ẹ": ("e", "\u0323"),
    "ý": ("y", "\u0301"), "ỳ": ("y", "\u0300"), "ỷ": ("y", "\u0309"), "ỹ": ("y", "\u0303"), "ỵ": ("y", "\u0323"),
}
_OLD_TONE = re.compile(rf"(?<![qQ{LOWER}{UPPER}])([{LOWER}{UPPER}]?[{LOWER}{UPPER}]?)([oOuU])([áàảãạéèẻẽẹýỳỷỹỵ])(?![{LOWER}{UPPER}])")


def _move_tone(m: re.Match) -> str:
    onset, glide, toned = m.group(1), m.group(2), m.group(3)
    base, mark = _TONE_MOVE[toned]
    pair_ok = (glide in "oO" and base in "ae") or (glide in "uU" and base == "y")
    if not pair_ok or onset.lower().endswith("q") or onset.lower() == "g" and glide in "uU":
        return m.group(0)
    return onset + unicodedata.normalize("NFC", glide + mark) + base


def fold_variants(s: str) -> str:
    """NFC plus the spelling variants Vietnamese documents mix freely (Uỷ/Ủy, hoá/hóa)."""
    s = unicodedata.normalize("NFC", s)
    s = s.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    return _OLD_TONE.sub(_move_tone, s)


_MD_LINK = re.compile(r"\[([^\]]*)\]\((?:[^)]*)\)")
_AUTOLINK = re.compile(r"<(https?://[^>]+)>")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_SUP = re.compile(r"<sup>.*?</sup>|<sub>.*?</sub>|_\{[^}]*\}|[₀-₉¹²³⁰-⁹]+", re.I)


_MARKUP_CHARS = re.compile(r"[*_#<>\[\\&\t₀-₉¹²³⁰-⁹{]|  ")


def strip_markup(s: str) -> str:
    """Drop Markdown / HTML markup but keep the words."""
    if not _MARKUP_CHARS.search(s):
        return s.strip()
    s = _SUP.sub("", s)
    s = _MD_LINK.sub(r"\1", s)
    s = _AUTOLINK.sub(r"\1", s)
    s = _TAG.sub("", s)
    s = html.unescape(s)
    s = re.sub(r"^\s{0,3}#{1,6}\s*", "", s)  # headings
    s = re.sub(r"\*\*|__", "", s)  # bold
    s = re.sub(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])", r"\1", s)  # *italic*
    s = re.sub(r"(?<![\w_])_(?!\s)([^_\n]+?)(?<!\s)_(?![\w_])", r"\1", s)  # _italic_
    s = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|])", r"\1", s)  # escapes
    s = s.replace("\t", " ")
    return re.sub(r"[ \u3000]{2,}", " ", s).strip()


_PAGE_DEBRIS = re.compile(r"^(?:-?\s*\d{1,3}\s*-?|trang\s+\d+(?:\s*/\s*\d+)?|page\s+\d+(?:\s+of\s+\d+)?|\f)$", re.I)
_SPLIT_LETTERS = re.compile(
    rf"(?<![{LOWER}{UPPER}])(ch|gh|kh|ng|nh|ph|th|tr|gi|qu|[bcdđghklmnpqrstvx]) ([aăâeêioôơuưy{VOWEL_TONED}][{LOWER}]*)"
)


_GLUED_CASE = re.compile(rf"([{LOWER}]{{2,}})([{UPPER}][{LOWER}])")
_GLUED_DIGIT = re.compile(rf"(\d{{4}})([{LOWER}]{{2,}})")
_FOOTNOTE = re.compile(rf"(?<=[{LOWER}]{{2}})(\d{{1,2}})(?=[\s,;.:)]|$)")


def deglue(s: str) -> str:
    """Undo words glued by PDF extraction ("Thủ tướngChính phủ", "2018của") and footnote digits ("phủ1")."""
    s = _GLUED_CASE.sub(r"\1 \2", s)
    s = _GLUED_DIGIT.sub(r"\1 \2", s)
    return _FOOTNOTE.sub("", s)


@dataclass
class Line:
    no: int  # 1-based line number in the source text
    text: str


def _ends_open(s: str) -> bool:
    """A line that stops mid-sentence: no closing punctuation."""
    return bool(s) and s[-1] not in ".;:!?…)”\"»|" and not s.endswith("./.")


def _starts_lower(s: str) -> bool:
    return bool(s) and (s[0].islower() and s[0].isalpha())


def _is_marker_line(s: str) -> bool:
    return bool(re.match(r"^(?:[IVXLC]+\.|\d+(?:\.\d+)*\.?\s|[a-zđ]\)|[-–•+*]\s)", s))


def normalize_lines(text: str) -> list[Line]:
    """Source text → cleaned, re-joined lines with their source line numbers."""
    out: list[Line] = []
    pending_blank = 0
    for no, raw in enumerate(fold_variants(text).split("\n"), start=1):
        s = strip_markup(raw)
        s = deglue(_SPLIT_LETTERS.sub(lambda m: m.group(1) + m.group(2), s) if " " in s else s)
        if not s or _PAGE_DEBRIS.match(s):
            pending_blank += 1
            continue
        if out and _starts_lower(s) and not _is_marker_line(s) and _ends_open(out[-1].text):
            # a sentence broken across lines (often with a blank line or a page break between)
            prev = out[-1].text
            joiner = "" if prev.endswith("-") and not prev.endswith(" -") else " "
            out[-1].text = (prev[:-1] if joiner == "" else prev) + joiner + s
            pending_blank = 0
            continue
        out.append(Line(no, s))
        pending_blank = 0
    return out
