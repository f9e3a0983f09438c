"""What one plan file may cost to read: every bound on the readers, stated here once.

A hostile or broken file must be refused quickly, not read at any price: a page of 200,000 nested divs, a .docx
that inflates 0.5 MB into 300 MiB of XML, a 50 MB page. Real plans are under 5 MB and far inside every bound
below (a long plan: ~1 MB of HTML or document.xml, 10-100k elements, depth < 50, < 200 pages, < 1 M characters),
so the defaults leave a wide margin while keeping the worst accepted file to seconds and a few hundred MB.
Bounds that cannot be checked before the work (a parser stuck in C code) are left to FILE_TIME_LIMIT, which a
killable worker process enforces (ttdn_graph.workers).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from ._common import FormatError

MiB = 1024 * 1024

#: Seconds one file may take from reading to its extraction record (`--time-limit` on extract and load).
FILE_TIME_LIMIT = 30.0


def _default_max_bytes() -> Mapping[str, int]:
    return MappingProxyType({"text": 8 * MiB, "markdown": 8 * MiB, "html": 10 * MiB, "docx": 32 * MiB,
                             "pdf": 64 * MiB})


@dataclass(frozen=True)
class ReadLimits:
    """Bounds on one document; going over any of them refuses the file (LimitExceeded, naming the bound).

    Costs measured near the bounds (`ttdn extract` of one file, 2 cores): 9.7 MiB of HTML paragraphs 3.6 s and
    205 MB (then refused: 7.8 M characters); 199,000 HTML elements 4.7 s, 145 MB; 31 MiB of .docx XML (470,000
    elements) 1.6 s, 280 MB; 4.9 M characters of text 2.7 s, 95 MB, parse included. Hostile files are refused
    in under 0.5 s and 60 MB.
    """

    #: Size of the file itself, per format (text, markdown, html, docx, pdf).
    max_bytes: Mapping[str, int] = field(default_factory=_default_max_bytes)
    #: Characters of text a reader may hand to the parser (the parse stage costs ~1 s per MB).
    max_text_chars: int = 5_000_000
    #: Element nesting of an HTML page or a .docx XML part. libxml2 itself stops .docx XML at 256 (python-docx
    #: parses without XML_PARSE_HUGE), so a larger value only takes effect for HTML.
    max_depth: int = 256
    #: Elements of an HTML page: BeautifulSoup keeps ~1-2 kB per element and our cleaning walks them several times.
    max_html_elements: int = 200_000
    #: Elements of all XML parts of a .docx together (lxml: ~150 bytes each).
    max_xml_elements: int = 1_000_000
    #: Inflated size of a .docx's XML parts together (document, styles, numbering, headers ...).
    max_docx_xml_bytes: int = 32 * MiB
    #: Inflated size of all parts of a .docx together (XML and media: python-docx holds every part in memory).
    max_docx_expanded_bytes: int = 128 * MiB
    #: Inflated / compressed size of one .docx part of at least 1 MiB inflated: a cheap early refusal before any
    #: inflating (real XML deflates 5-20x, a long run of identical paragraphs ~200x, a bomb of empty ones ~650x).
    max_compression_ratio: float = 200.0
    #: Pages of a PDF (pypdf extracts some 20-100 pages a second of real plans; its own filters stop any one
    #: stream inflating past 75 MB).
    max_pdf_pages: int = 500


DEFAULT_LIMITS = ReadLimits()


class LimitExceeded(FormatError):
    """A document over one of the ReadLimits: the reason names the bound, the figure found and the limit."""

    def __init__(self, what: str, figure: str, limit: str, bound: str):
        super().__init__(f"refused: {what} {figure} exceeds the limit of {limit} (ReadLimits.{bound})")
        self.bound = bound


def size(n: float) -> str:
    """A byte count for people: '52.5 MiB', '812 KiB', '90 bytes'."""
    if n >= MiB:
        return f"{n / MiB:.1f} MiB"
    if n >= 1024:
        return f"{n / 1024:.0f} KiB"
    return f"{int(n)} bytes"


def sizes(figure: int, limit: int) -> tuple[str, str]:
    """Both in people's units, or in bytes when those would read the same ('10.0 MiB exceeds 10.0 MiB')."""
    shown = size(figure), size(limit)
    return shown if shown[0] != shown[1] else (f"{figure:,} bytes", f"{limit:,} bytes")


def check_bytes(length: int, fmt: str, limits: ReadLimits) -> None:
    limit = limits.max_bytes.get(fmt)
    if limit is not None and length > limit:
        raise LimitExceeded(f"{fmt} file size", *sizes(length, limit), f"max_bytes[{fmt!r}]")


def check_text(text: str, limits: ReadLimits) -> None:
    if len(text) > limits.max_text_chars:
        raise LimitExceeded("extracted text", f"{len(text):,} characters", f"{limits.max_text_chars:,}",
                            "max_text_chars")
