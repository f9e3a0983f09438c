"""Normalise a document's text: NFC, spelling variants, markup removal, re-joined broken lines.

Keeps a line map (each output line remembers the source line it starts on) so every fact leads back to the page.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ttdn_graph.lexicon.fold import LOWER, UPPER, new_tones, unaccent
from ttdn_graph.lexicon.words import alternation_of, phrase_pattern, words

VOWEL_TONED = "áàảãạéèẻẽẹíìỉĩịóòỏõọúùủũụýỳỷỹỵắằẳẵặấầẩẫậếềểễệốồổỗộớờởỡợứừửữự"
LETTER = LOWER + UPPER[3:]  # character-class body for any Vietnamese letter (A-Z covered by a-z with re.I only)
WORD = f"[{LOWER}{UPPER}0-9]"


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def fold_variants(s: str) -> str:
    """NFC plus the spelling variants Vietnamese documents mix freely (Uỷ/Ủy, hoá/hóa: ttdn_graph.lexicon.fold),
    without invisible and control characters."""
    s = unicodedata.normalize("NFC", s)
    s = s.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    s = _CONTROL.sub(" ", s)  # PDF and Word debris (\x0c, \x1f, \r …); "\n" and "\t" stay
    return new_tones(s)


_MD_LINK = re.compile(r"\[([^\]]*)\]\((?:[^)]*)\)")
_AUTOLINK = re.compile(r"<(https?://[^>]+)>")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_SUP = re.compile(r"<sup>.*?</sup>|<sub>.*?</sub>|_\{[^}]*\}|[₀-₉¹²³⁰-⁹]+", re.I)


_MARKUP_CHARS = re.compile(r"[*_#<>\[\\&\t₀-₉¹²³⁰-⁹{]|  ")


def strip_markup(s: str) -> str:
    """Drop Markdown / HTML markup but keep the words (to a fixed point: "**#" → "#" → "")."""
    for _ in range(4):
        if not _MARKUP_CHARS.search(s):
            return s.strip()
        t = _strip_markup_once(s)
        if t == s:
            break
        s = t
    return s


def _strip_markup_once(s: str) -> str:
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


# Where a space is missing: zero-width, so each is one scan without backtracking.
_GLUED = re.compile(rf"(?<=[{LOWER}][{LOWER}])(?=[{UPPER}][{LOWER}])|(?<=\d{{4}})(?=[{LOWER}]{{2}})")
_FOOTNOTE = re.compile(rf"(?<=[{LOWER}]{{2}})(\d{{1,2}})(?=[\s,;.:)]|$)")


_MAYBE_GLUED = re.compile(rf"[{LOWER}][{UPPER}0-9]|[0-9][{LOWER}]")  # a cheap scan: most lines hold neither


def deglue(s: str) -> str:
    """Undo words glued by PDF extraction ("Thủ tướngChính phủ", "2018của") and footnote digits ("phủ1")."""
    return _FOOTNOTE.sub("", _GLUED.sub(" ", s)) if _MAYBE_GLUED.search(s) else s


_DECORATION = re.compile(r"^(?:[-–—_=*~.…•·]\s*){2,}$|^[_=~…]+$")  # rules and ornaments under header lines


@dataclass
class Line:
    no: int  # 1-based line number in the source text
    text: str
    heading: int = 0  # the reader's heading level for this line (readers/blocks.py), 0 when not a heading


def _ends_open(s: str) -> bool:
    """A line that stops mid-sentence: no closing punctuation."""
    return bool(s) and s[-1] not in ".;:!?…)”\"»|" and not s.endswith("./.")


def _starts_lower(s: str) -> bool:
    return bool(s) and (s[0].islower() and s[0].isalpha())


def _is_marker_line(s: str) -> bool:
    return bool(re.match(r"^(?:[IVXLC]+\.|\d+(?:\.\d+)*\.?\s|[a-zđ]\)|[-–•+*]\s)", s))


_TITLE_CASE_WORD = rf"[{UPPER}][{LOWER}'’]*"
_HEADER_MARKS = [
    *(re.compile(rf"(?i:{phrase_pattern(w)})") for w in words("national-motto")),  # data/lexicon/words.csv
    re.compile(r"(?<!\w)(?:S[ốôo]|SỐ)\s*:\s*\d"),
    re.compile(rf"(?<![\w/\-])(?:TP\.?\s*)?{_TITLE_CASE_WORD}(?:(?:\s+-\s+|\s+){_TITLE_CASE_WORD}){{0,3}}\s*,\s*ng[àa]y\s"),
]
_TITLE_MARK = re.compile(rf"(?<![{LOWER}{UPPER}])(?:{alternation_of('title-word')})(?![{LOWER}{UPPER}])(?!\s*(?:SỐ|[Ss]ố|\d))")
_AFTER_TITLE_MARKS = [
    re.compile(rf"(?<=\S )(?:{alternation_of('body-opener')})\s"),
    re.compile(rf"(?<=[.;:] )[IVX]{{1,4}}\.\s+[{UPPER}]{{2,}}(?:\s+[{UPPER}]+)"),
]
_BODY_START = re.compile(rf"^(?:{alternation_of('body-opener')}|[IVX]{{1,4}}\.\s)")


def split_header_runs(lines: list[Line]) -> list[Line]:
    """Split a header printed as one run ("ỦY BAN … CỘNG HÒA … Số: 12/KH-UBND X, ngày … KẾ HOẠCH … Căn cứ …")
    back into its parts, each keeping its source line number.

    Only the header is touched: the lines up to and including the first "KẾ HOẠCH" title, stopping early at a
    line that opens the body (Căn cứ / Thực hiện / a roman section).
    """
    out: list[Line] = []
    in_header = True
    for k, ln in enumerate(lines):
        if in_header and (_BODY_START.match(ln.text) or k > 80):
            in_header = False
        if not in_header:
            out.append(ln)
            continue
        cuts = {m.start() for rx in _HEADER_MARKS for m in rx.finditer(ln.text)}
        title = _TITLE_MARK.search(ln.text)
        if title:
            cuts.add(title.start())
            for rx in _AFTER_TITLE_MARKS:
                cuts.update(m.start() for m in rx.finditer(ln.text, title.end()))
            in_header = False  # the title closes the header
        cuts = sorted(c for c in cuts if c > 0)
        bounds = [0, *cuts, len(ln.text)]
        for a, b in zip(bounds, bounds[1:], strict=False):
            piece = ln.text[a:b].strip(" |" if cuts else " ")  # a split pipe-table row loses its cell bars
            if piece and not _PAGE_DEBRIS.match(piece):
                out.append(Line(ln.no, piece, ln.heading))
        if out and _BODY_START.match(out[-1].text):
            in_header = False
    return out


_RUN_MIN = 1500  # longer than any real paragraph: a document (or a section) that lost its line breaks
_RUN_MARKS = re.compile(
    rf"(?<=[.;:] )(?:[IVX]{{1,4}}\.\s+[{UPPER}]{{2,}}|\d{{1,2}}(?:\.\d{{1,2}}){{0,3}}\.\s+[{UPPER}]|[a-zđ]\)\s|[-–+•]\s+[{UPPER}])"
    rf"|(?<=[{UPPER}]{{2}} )\d{{1,2}}(?:\.\d{{1,2}}){{0,3}}\.\s+[{UPPER}][{LOWER}]"  # "CỤ THỂ 1. Tuyên truyền"
    rf"|(?<=\s)[a-zđ]\)\s+[{UPPER}]"  # "… địa phương a) Xuất bản"
)


def split_runs(lines: list[Line]) -> list[Line]:
    """Break a very long line at its outline markers ("… hội nhập. II. NỘI DUNG 1. Tuyên truyền - Đơn vị …"),
    so a document extracted without line breaks still has an outline. Pieces keep the source line number."""
    out: list[Line] = []
    for ln in lines:
        if len(ln.text) < _RUN_MIN:
            out.append(ln)
            continue
        cuts = [m.start() for m in _RUN_MARKS.finditer(ln.text)]
        bounds = [0, *cuts, len(ln.text)]
        pieces = (ln.text[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False))
        out.extend(Line(ln.no, p, ln.heading) for p in pieces if p)
    return out


@lru_cache(maxsize=1 << 15)  # field lines and boilerplate repeat across plans
def _clean_line(raw: str) -> str:
    s = strip_markup(raw)
    s = deglue(_SPLIT_LETTERS.sub(lambda m: m.group(1) + m.group(2), s) if " " in s else s)
    return fold_variants(s)  # again: un-gluing and re-joining letters can expose "Uỷ", "hoá"


# --- lines wrapped by the page width (a PDF's text layer) ----------------------------------------------------------

_WRAP_MIN_LINES = 20  # fewer lines say nothing about a page width
_WRAP_FULL = 0.95  # a line this near the page width, with the next line's first word, could not have held that word
_ITEM_MARK = re.compile(r"^(?:[IVXLC]+\.\s|\d{1,2}(?:\.\d{1,2})*[.)]\s|\d{1,2}(?:\.\d{1,2})+\s|[a-zđ]\)\s|[-–•+*]\s)")
_DASHED_ON = re.compile(rf"^[-–]\s+[{LOWER}]")  # a compound's dash wrapped to the line start, not a bullet
_SENTENCE_OPENER = re.compile(rf"^(?:{alternation_of('preamble-opener')}|{alternation_of('body-opener')})(?![{LOWER}{UPPER}])")


def _char_width(base: str) -> float:
    """A letter's advance in a proportional font, in ems, roughly (diacritics aside): what decides where a line
    wraps, which a count of characters misjudges for narrow (i, l, t) and wide (m, W, capitals) letters."""
    if base in " ijlIJ.,;:!'|":
        return 0.28
    if base in "frt()[]/-":
        return 0.36
    if base in "mw":
        return 0.8
    if base in "MW":
        return 0.95
    if base.isupper():
        return 0.7
    return 0.55 if base.isdigit() else 0.52


class _Widths(dict):
    """Character → width, each character's computed once (a text's width is summed over every line of it)."""

    def __missing__(self, ch: str) -> float:
        w = self[ch] = sum(_char_width(b) for b in unaccent(ch))
        return w


_WIDTHS = _Widths()


def text_width(s: str) -> float:
    return sum(map(_WIDTHS.__getitem__, s))


def wrap_width(texts: list[str]) -> float | None:
    """The page width (in text_width units) of a text whose lines were wrapped by it, as a PDF's text layer is, or
    None for a text with a line per paragraph (a .txt, a .docx): most lines end near one width (the 90th percentile
    of the widths), next to none are longer, and most of those near it stop mid-sentence (a paragraph's own line
    ends at its full stop or semicolon)."""
    sized = [(text_width(t), t) for t in texts if t]
    if len(sized) < _WRAP_MIN_LINES:
        return None
    widths = sorted(w for w, _ in sized)
    width = widths[int(0.9 * (len(widths) - 1))]
    longer = sum(w > 1.15 * width for w in widths)
    near = [t for w, t in sized if 0.85 * width <= w <= 1.15 * width]
    if longer > 0.03 * len(widths) or len(near) < 0.4 * len(widths):
        return None
    if sum(t[-1] not in ".;:!?" for t in near) < 0.5 * len(near):
        return None
    return width


def _case(s: str) -> str | None:
    """"caps" for a line in capitals (a heading, a title), "mixed" for ordinary text, None without letters."""
    letters = [ch for ch in s if ch.isalpha()]
    if len(letters) < 2:
        return None
    return "caps" if all(ch.isupper() for ch in letters) else "mixed"


def _wrapped(prev: str, s: str, width: float | None) -> bool:
    """`s` continues the sentence of the physical line `prev`, which the page width broke: `prev` ends no sentence
    (it may stop at a ";" between units, a ":" after a field's label, a closing bracket) and is too full to have held
    `s`'s first word, and `s` opens no item (a dash before a lower-case word, after a line ending in a word, is the
    dash of "kinh tế - xã hội" wrapped to the line start), no sentence of its own ("Căn cứ …"), no capitals heading.
    (Lines opening in lower case are joined whatever the width.)"""
    if width is None or not prev or prev[-1] in ".!?…|" or _SENTENCE_OPENER.match(s):
        return False
    if _ITEM_MARK.match(s) and not (_DASHED_ON.match(s) and prev[-1].isalnum()):
        return False
    if None not in (case := (_case(prev), _case(s))) and case[0] != case[1]:
        return False
    first = s.split(maxsplit=1)[0]
    return text_width(prev) + text_width(" " + first) >= _WRAP_FULL * width


def normalize_lines(text: str, skip: frozenset[int] | set[int] = frozenset(),
                    headings: dict[int, int] | None = None) -> list[Line]:
    """Source text → cleaned, re-joined lines with their source line numbers. Lines in `skip` (page furniture,
    tables read as tables) are left out, and a sentence broken around them is re-joined; `headings` maps a line
    number to the reader's heading level, and a heading is never joined to the lines around it."""
    out: list[Line] = []
    joined: set[int] = set()
    headings = headings or {}
    cleaned = [(no, _clean_line(raw)) for no, raw in enumerate(fold_variants(text).split("\n"), start=1)
               if no not in skip]
    cleaned = [(no, s) for no, s in cleaned if s and not _PAGE_DEBRIS.match(s) and not _DECORATION.match(s)]
    width = wrap_width([s for _, s in cleaned])
    last = ""  # the last physical line taken (out[-1] may be several joined)
    for no, s in cleaned:
        level = headings.get(no, 0)
        if level:
            out.append(Line(no, s, level))
            last = s
            continue
        if out and not out[-1].heading and (
                (_starts_lower(s) and not _is_marker_line(s) and _ends_open(out[-1].text))
                or _wrapped(last, s, width)):
            # a sentence broken across lines (often with a blank line or a page break between), or by the page width
            prev = out[-1].text
            # "tuy-" + "ền" (not a lone bullet "-"; "Phát thanh-" + "Truyền hình" keeps its dash)
            joiner = "" if _starts_lower(s) and re.fullmatch(r"[^\W\d_]-", prev[-2:]) else " "
            out[-1].text = (prev[:-1] if joiner == "" else prev) + joiner + s
            joined.add(len(out) - 1)
            last = s
            continue
        out.append(Line(no, s))
        last = s
    for i in joined:  # once per joined line (linear): emphasis ("*Sở\nNgoại vụ*") or a split word may span a break
        out[i].text = _clean_line(out[i].text)
    return split_header_runs(split_runs([ln for ln in out if ln.text]))
