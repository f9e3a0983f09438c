"""PDF files with a text layer (pypdf). Scanned PDFs are refused: OCR is a separate, explicit step.

pypdf's plain extraction keeps Vietnamese syllables intact in ordinary Word/LibreOffice exports; its "layout" mode
pads lines with spaces and sometimes splits words. When plain text has too few syllable-like tokens we also try
layout mode and keep it only when it yields clearly more.

The pages' texts are joined with \n, nothing added: line N of the text is the Nth line pypdf gave. Where each page
starts is kept aside and handed to the page-furniture finder (readers/furniture.py), which then knows the page
breaks even in a PDF without page numbers.
"""

from __future__ import annotations

import io
import logging
import re
from contextlib import contextmanager

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

from ._common import FormatError, looks_vietnamese, normalise_newlines
from .blocks import FURNITURE, HEADING, ITEM, PARAGRAPH, Block, blocks_from_text
from .furniture import furniture_lines
from .limits import DEFAULT_LIMITS, LimitExceeded, ReadLimits

# Fewer letters/digits than this per page on average: the text layer is a page number or a scanner's watermark.
MIN_CHARS_PER_PAGE = 25
# Share of syllable-like tokens above which plain extraction is kept without trying layout mode.
GOOD_WORD_SCORE = 0.9
_TOKEN = re.compile(r"[^\W\d_]+")
_ALNUM = re.compile(r"[^\W_]")


def extract(data: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> str:
    """Text of a PDF's pages, joined with \\n."""
    return "\n".join(extract_pages(data, limits))


def read_blocks(data: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> tuple[str, tuple[Block, ...]]:
    """The text of the pages (as `extract`) and its blocks (as for plain text), the page furniture found knowing
    where each page starts."""
    pages = [normalise_newlines(p) for p in extract_pages(data, limits)]
    text = "\n".join(pages)
    starts, line = [], 1
    for page in pages:
        starts.append(line)
        line += page.count("\n") + 1
    return text, mark_furniture(blocks_from_text(text, markdown=False), furniture_lines(text.split("\n"), starts))


def mark_furniture(blocks: tuple[Block, ...], furniture: set[int]) -> tuple[Block, ...]:
    """One-line paragraphs, items and headings on `furniture` lines turned into furniture blocks."""
    return tuple(Block(FURNITURE, b.line, b.end, b.text)
                 if b.kind in (PARAGRAPH, ITEM, HEADING) and b.line == b.end and b.line in furniture else b
                 for b in blocks)


def extract_pages(data: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> list[str]:
    """The text of each page of a PDF."""
    if b"%PDF" not in data[:1024]:
        raise FormatError("not a PDF file (no %PDF header)")
    with _quiet_pypdf():
        return _extract(data, limits)


def _extract(data: bytes, limits: ReadLimits) -> list[str]:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _decrypt(reader)
        _check_pages(reader, limits.max_pdf_pages)
        pages = list(reader.pages)
    except FormatError:
        raise
    except (DependencyError, FileNotDecryptedError) as exc:
        raise FormatError(f"encrypted PDF that cannot be opened: {exc}") from exc
    except PdfReadError as exc:
        raise FormatError(f"corrupt PDF: {exc}") from exc
    if not pages:
        raise FormatError("PDF has no pages")
    plain = [_page_text(page, number, "plain") for number, page in enumerate(pages, 1)]
    text = "\n".join(plain)
    if len(_ALNUM.findall(text)) < MIN_CHARS_PER_PAGE * len(pages):
        raise FormatError("no text layer (scanned PDF?) — OCR it first")
    if not looks_vietnamese(text, min_share=0.5):
        raise FormatError("the text layer is not readable Unicode (legacy TCVN3/VNI font or fonts without a Unicode "
                          "map?) — convert or OCR it first")
    if _word_score(text) >= GOOD_WORD_SCORE:
        return plain
    try:
        layout = [_page_text(page, number, "layout") for number, page in enumerate(pages, 1)]
    except FormatError:
        return plain
    return layout if _word_score("\n".join(layout)) > _word_score(text) + 0.05 else plain


@contextmanager
def _quiet_pypdf():
    """pypdf logs a warning for every harmless quirk of a damaged file; keep a batch run's output readable."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _check_pages(reader, limit: int) -> None:
    """The page tree's own /Count first (free, and a bomb announces itself), then the pages really found."""
    try:
        declared = reader.trailer["/Root"]["/Pages"]["/Count"]
    except Exception:  # noqa: BLE001 - a damaged catalogue: pypdf's own page walk will judge it
        declared = None
    for figure in (declared, len(reader.pages)):
        if isinstance(figure, int) and figure > limit:
            raise LimitExceeded("page count", f"{figure:,}", f"{limit:,}", "max_pdf_pages")


def _decrypt(reader) -> None:
    """Open PDFs locked only against editing (empty user password); refuse those that need a password."""
    if reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise FormatError("encrypted PDF: a password is needed to open it")


def _page_text(page, number: int, mode: str) -> str:
    try:
        return page.extract_text(extraction_mode=mode) or ""
    except Exception as exc:  # pypdf raises many types on damaged content streams
        raise FormatError(f"cannot extract text of page {number}: {type(exc).__name__}: {exc}") from exc


def _word_score(text: str) -> float:
    """Share of letter runs that look like one Vietnamese syllable (2-7 letters); split or glued words lower it."""
    tokens = _TOKEN.findall(text)
    if not tokens:
        return 0.0
    return sum(2 <= len(token) <= 7 for token in tokens) / len(tokens)
