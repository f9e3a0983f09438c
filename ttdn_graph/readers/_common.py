"""Helpers shared by the format readers: the internal error type, line-break and junk checks, table flattening.

Format readers work on bytes and know nothing of paths; they raise FormatError, which the dispatcher in
`ttdn_graph.readers` turns into a ReadError naming the file.
"""

from __future__ import annotations

import re
import unicodedata


class FormatError(Exception):
    """A format reader's complaint about its input; `line` is 1-based when known."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line


# Everything str.splitlines() treats as a line boundary, so that text.split("\n") and text.splitlines() agree.
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
# Control characters no text document should contain (tab and the line breaks above are allowed).
_JUNK_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x7f\x80-\x84\x86-\x9f]")
_JUNK_CATEGORIES = {"Cn", "Cs"}  # unassigned, lone surrogates (private use is left alone: PDF-era bullets)
_BEYOND_LATIN = re.compile(r"[^\x00-\u02ff]")  # only these need a category look-up


def normalise_newlines(text: str) -> str:
    """Turn every line boundary (\\r\\n, \\r, form feed, U+2028 ...) into a single \\n."""
    return _LINE_BREAKS.sub("\n", text)


def count_line_breaks(text: str) -> int:
    return len(_LINE_BREAKS.findall(text))


def line_of_offset(text: str, offset: int) -> int:
    """1-based line number of character `offset` in `text`."""
    return count_line_breaks(text[:offset]) + 1


def check_text_like(text: str) -> None:
    """Reject decoded text that is really binary data: any NUL, or more than a trace of controls / unassigned chars."""
    nul = text.find("\x00")
    if nul >= 0:
        raise FormatError("binary data (NUL bytes), not a text document", line_of_offset(text, nul))
    bad = [m.start() for m in _JUNK_CONTROLS.finditer(text)]
    bad += [m.start() for m in _BEYOND_LATIN.finditer(text) if unicodedata.category(m.group()) in _JUNK_CATEGORIES]
    if len(bad) > max(2, len(text) // 200):
        raise FormatError("binary data (control or unassigned characters), not a text document",
                          line_of_offset(text, min(bad)))


# --- Vietnamese text plausibility -------------------------------------------------------------------------------

_VOWELS = "aăâeêioôơuưy"
_TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
VIETNAMESE_LETTERS = frozenset(
    {unicodedata.normalize("NFC", v + t) for v in _VOWELS for t in _TONES}
    | {unicodedata.normalize("NFC", v + t).upper() for v in _VOWELS for t in _TONES}
    | set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZđĐ")
)
# Non-ASCII characters that turn up in Vietnamese office documents but say nothing about the language.
_NEUTRAL = frozenset("\u00a0“”‘’–—…•·«»°§±×÷²³¹¼½¾€©®™\u200b\ufeff")


def looks_vietnamese(text: str, min_share: float = 0.8) -> bool:
    """Is `text` plausibly (Vietnamese or plain Latin) prose rather than mis-decoded bytes?

    Used to accept a guessed legacy encoding: mostly letters, and the non-ASCII characters are nearly all
    (`min_share`) Vietnamese letters; a wrong code page or a legacy font encoding (TCVN3 "Uû ban nh©n d©n") yields
    symbols, stray combining marks and foreign letters. Private-use characters (symbol-font bullets) are ignored.
    """
    nonspace = [ch for ch in unicodedata.normalize("NFC", text) if not ch.isspace()]
    if not nonspace:
        return False
    letters = sum(ch.isalpha() for ch in nonspace)
    if letters / len(nonspace) < 0.5:
        return False
    foreign = [ch for ch in nonspace if ord(ch) > 127 and ch not in _NEUTRAL and not 0xE000 <= ord(ch) <= 0xF8FF]
    if not foreign:
        return True
    viet = sum(ch in VIETNAMESE_LETTERS for ch in foreign)
    return viet / len(foreign) >= min_share


# --- list labels ------------------------------------------------------------------------------------------------

_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def to_roman(n: int) -> str:
    out = []
    for value, digits in _ROMAN:
        count, n = divmod(n, value)
        out.append(digits * count)
    return "".join(out)


def to_letters(n: int) -> str:
    """Word's letter numbering: a..z, then aa, bb ... (the letter repeats, it does not carry like a base)."""
    if n <= 0:
        return str(n)
    q, r = divmod(n - 1, 26)
    return chr(ord("a") + r) * (q + 1)


def format_counter(n: int, fmt: str) -> str:
    """Render counter `n` in a Word numFmt ("decimal", "lowerLetter", "upperRoman" ...); unknown formats -> decimal."""
    if fmt == "lowerLetter":
        return to_letters(n)
    if fmt == "upperLetter":
        return to_letters(n).upper()
    if fmt == "lowerRoman" and n > 0:
        return to_roman(n)
    if fmt == "upperRoman" and n > 0:
        return to_roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


# --- tables -----------------------------------------------------------------------------------------------------

CELL_SEPARATOR = " | "


def flatten_row(cells: list[list[str]]) -> list[str]:
    """Lay out one table row as text lines; `cells` holds each cell's own lines (paragraphs), in column order.

    Rule (shared by the docx and html readers):
    - every cell has at most one line -> one line, cells joined with " | " (empty cells kept, so columns stay
      aligned): "Số: 12/KH-UBND | Hà Nội, ngày 5 tháng 3 năm 2024";
    - some cell has several lines and at most two cells have text -> a layout table (the "ỦY BAN NHÂN DÂN ... /
      CỘNG HÒA ..." header or the "Nơi nhận / TM. ỦY BAN NHÂN DÂN" signature block): one line per cell line,
      left cell first;
    - otherwise (a data table: STT | nội dung | chủ trì | phối hợp | thời gian) -> one line, each cell's lines
      joined with a space, so a task stays on one line with its agencies and deadline.
    """
    cells = [[line.strip() for line in cell if line.strip()] for cell in cells]
    filled = [cell for cell in cells if cell]
    if not filled:
        return []
    if all(len(cell) <= 1 for cell in cells):
        return [CELL_SEPARATOR.join(cell[0] if cell else "" for cell in cells)]
    if len(filled) <= 2:
        return [line for cell in filled for line in cell]
    return [CELL_SEPARATOR.join(" ".join(cell) for cell in cells)]
