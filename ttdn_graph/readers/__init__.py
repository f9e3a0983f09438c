"""Stage 1 of the pipeline: a plan file (.txt/.md/.docx/.pdf/.html) -> its text with a stable line numbering.

Line N of a document is `doc.text.split("\\n")[N - 1]`; every later stage cites lines by that number. The text is
decoded and flattened but not otherwise normalised (NFC, markup removal, re-joining broken lines are the
normaliser's job), except that every line boundary (\\r\\n, \\r, form feed, U+2028 ...) becomes one \\n.
Every failure on bad input is a ReadError naming the file (and the line when known), never another exception.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from ..errors import ReadError
from . import docx_reader, html_reader, pdf_reader, text_reader
from ._common import FormatError, normalise_newlines

__all__ = ["SUPPORTED_SUFFIXES", "SourceDocument", "iter_documents", "read_document"]

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

_EXTRACTORS: dict[str, Callable[[bytes], str]] = {
    "text": text_reader.extract,
    "markdown": text_reader.extract,
    "docx": docx_reader.extract,
    "pdf": pdf_reader.extract,
    "html": html_reader.extract,
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


def read_document(path: str | Path) -> SourceDocument:
    """Read one plan file; raises ReadError (naming the file) for anything that is not a readable document."""
    shown = str(path)
    file = Path(path)
    suffix = file.suffix.lower()
    fmt = SUPPORTED_SUFFIXES.get(suffix)
    if fmt is None:
        supported = ", ".join(SUPPORTED_SUFFIXES)
        raise ReadError(shown, f"unsupported format {suffix or '(no suffix)'}{_HINTS.get(suffix, '')}; "
                               f"supported: {supported}")
    data = _read_bytes(file, shown)
    try:
        text = _EXTRACTORS[fmt](data)
    except FormatError as exc:
        raise ReadError(shown, exc.reason, exc.line) from exc
    except Exception as exc:  # a library choked on malformed input: still the file's fault, not a crash
        raise ReadError(shown, f"cannot read {fmt} file: {type(exc).__name__}: {exc}") from exc
    text = normalise_newlines(text)
    if not text.strip():
        raise ReadError(shown, "empty document")
    return SourceDocument(name=file.name, path=shown, format=fmt, text=text,
                          sha256=hashlib.sha256(data).hexdigest())


def iter_documents(paths: Iterable[str | Path]) -> list[Path]:
    """Expand the given paths into the files to read, in a stable order.

    Folders are walked recursively (hidden entries and Word lock files "~$x.docx" skipped) and yield only files
    with a supported suffix, sorted by path. A file named explicitly is kept whatever its suffix, so the user gets
    an "unsupported format" ReadError instead of silence. A path that does not exist raises ReadError.
    Duplicates are dropped (first occurrence wins).
    """
    found: list[Path] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            candidates = _walk(path)
        elif path.exists():
            candidates = [path]
        else:
            raise ReadError(str(given), "no such file or directory")
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found


def _walk(folder: Path) -> list[Path]:
    files: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith((".", "~$")) or Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            files.append(Path(dirpath) / name)
    return sorted(files, key=lambda p: p.relative_to(folder).parts)


def _read_bytes(file: Path, shown: str) -> bytes:
    try:
        return file.read_bytes()
    except FileNotFoundError:
        raise ReadError(shown, "no such file") from None
    except IsADirectoryError:
        raise ReadError(shown, "is a directory, not a document") from None
    except PermissionError:
        raise ReadError(shown, "permission denied") from None
    except OSError as exc:
        raise ReadError(shown, f"cannot read file: {exc.strerror or exc}") from None
