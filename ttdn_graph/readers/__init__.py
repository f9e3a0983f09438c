"""Stage 1 of the pipeline: a plan file (.txt/.md/.docx/.pdf/.html) -> its text with a stable line numbering.

Line N of a document is `doc.text.split("\\n")[N - 1]`; every later stage cites lines by that number. The text is
decoded and flattened but not otherwise normalised (NFC, markup removal, re-joining broken lines are the
normaliser's job), except that every line boundary (\\r\\n, \\r, form feed, U+2028 ...) becomes one \\n.
Every failure on bad input is a ReadError naming the file (and the line when known), never another exception.
What a file may cost to read is bounded by ReadLimits (readers/limits.py); a file over a bound is refused.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from types import MappingProxyType

from ..errors import ReadError
from ._common import FormatError, normalise_newlines
from .blocks import Block, blocks_from_text
from .discover import Found, find_documents, not_regular, unreadable
from .limits import DEFAULT_LIMITS, FILE_TIME_LIMIT, LimitExceeded, ReadLimits, check_bytes, check_text

__all__ = ["DEFAULT_LIMITS", "FILE_TIME_LIMIT", "SUPPORTED_SUFFIXES", "Found", "ReadLimits", "SourceDocument",
           "find_documents", "iter_documents", "read_document"]

#: Lower-case file suffix -> format name.
SUPPORTED_SUFFIXES = MappingProxyType({
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".docx": "docx",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
})



Reader = Callable[[bytes, ReadLimits], tuple[str, tuple[Block, ...]]]


def _lazy(module: str, structured: bool = False, markdown: bool = True) -> Reader:
    """A format reader, imported on first use: bs4, python-docx and pypdf take ~0.25 s to import, which
    `ttdn query` (or anything importing the limits) should not pay. Structured formats (.docx, .html) build their
    blocks from markup, and .pdf from its text knowing where its pages start; text formats get them recognised from
    the text as read."""

    def read(data: bytes, limits: ReadLimits) -> tuple[str, tuple[Block, ...]]:
        reader = import_module(f"{__name__}.{module}")
        if structured:
            return reader.read_blocks(data, limits)
        text = normalise_newlines(reader.extract(data, limits))
        return text, blocks_from_text(text, markdown=markdown)

    return read


_EXTRACTORS: dict[str, Reader] = {
    "text": _lazy("text_reader"),
    "markdown": _lazy("text_reader"),
    "docx": _lazy("docx_reader", structured=True),
    "pdf": _lazy("pdf_reader", structured=True),  # text blocks, with page furniture found knowing the page starts
    "html": _lazy("html_reader", structured=True),
}
_HINTS = {".doc": " (save it as .docx)", ".rtf": " (save it as .docx)", ".odt": " (save it as .docx)"}


@dataclass(frozen=True)
class SourceDocument:
    """A document's text as read, with what is needed to cite it: file name, format and a digest of its bytes."""

    name: str  # file name only, e.g. "000_x.txt"
    path: str  # as given
    format: str  # "text" | "markdown" | "docx" | "pdf" | "html"
    text: str  # lines separated by "\n"; line N = text.split("\n")[N - 1]
    sha256: str  # hex digest of the raw bytes
    blocks: tuple[Block, ...] = field(default=(), compare=False)  # derived from text and format: headings, paragraphs, items, tables, furniture (readers/blocks.py)


def read_document(path: str | Path, limits: ReadLimits = DEFAULT_LIMITS) -> SourceDocument:
    """Read one plan file; raises ReadError (naming the file) for anything that is not a readable document or is
    over one of `limits`."""
    shown = str(path)
    file = Path(path)
    suffix = file.suffix.lower()
    fmt = SUPPORTED_SUFFIXES.get(suffix)
    if fmt is None:
        supported = ", ".join(SUPPORTED_SUFFIXES)
        raise ReadError(shown, f"unsupported format {suffix or '(no suffix)'}{_HINTS.get(suffix, '')}; "
                               f"supported: {supported}")
    data = _read_bytes(file, shown, fmt, limits)
    try:
        text, blocks = _EXTRACTORS[fmt](data, limits)
        check_text(text, limits)
    except FormatError as exc:
        raise ReadError(shown, exc.reason, exc.line) from exc
    except Exception as exc:  # a library choked on malformed input: still the file's fault, not a crash
        raise ReadError(shown, f"cannot read {fmt} file: {type(exc).__name__}: {exc}") from exc
    text = normalise_newlines(text)
    if not text.strip():
        raise ReadError(shown, "empty document")
    return SourceDocument(name=file.name, path=shown, format=fmt, text=text,
                          sha256=hashlib.sha256(data).hexdigest(), blocks=blocks)


def iter_documents(paths: Iterable[str | Path]) -> list[Path]:
    """The files find_documents() finds for the supported suffixes; the first entry that cannot be read (a path
    that does not exist, a symlink loop, a FIFO named like a plan ...) raises its ReadError instead."""
    found = find_documents(paths, SUPPORTED_SUFFIXES)
    if found.problems:
        raise found.problems[0]
    return found.files


def _read_bytes(file: Path, shown: str, fmt: str, limits: ReadLimits) -> bytes:
    """The file's bytes, refused before reading when it is not a regular file or is over its size limit.

    Opened non-blocking, so a FIFO named like a plan is refused instead of waiting for a writer forever, and at
    most the limit plus one byte is read, in case the file grows while we read it."""
    try:
        fd = os.open(file, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise ReadError(shown, unreadable(file, exc)) from None
    try:
        mode, length = (st := os.fstat(fd)).st_mode, st.st_size
        if stat.S_ISDIR(mode):
            raise ReadError(shown, "is a directory, not a document")
        if not stat.S_ISREG(mode):
            raise ReadError(shown, not_regular(mode))
        limit = limits.max_bytes.get(fmt)
        check_bytes(length, fmt, limits)
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read() if limit is None else handle.read(limit + 1)
        check_bytes(len(data), fmt, limits)
    except LimitExceeded as exc:
        raise ReadError(shown, exc.reason) from None
    except OSError as exc:
        raise ReadError(shown, f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    return data
