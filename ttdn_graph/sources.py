"""Where a loaded document was published: `ttdn load --source-url URL` (one file) or a sidecar file.

A sidecar is `<file name>.url` beside the document (`plan.docx` → `plan.docx.url`), holding the URL on its first
non-blank line; the name keeps the document's own suffix, so a sidecar is never itself taken for a plan file. The
URL becomes the source node's dcterms:source. Only absolute http(s) URLs are taken, so a page can link to them.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

SIDECAR_SUFFIX = ".url"
MAX_URL = 2000
_NOT_IN_URL = set('<>"\\`{}|^')  # not allowed in a URL unescaped (RFC 3986), nor in an IRI term


class SourceUrlError(ValueError):
    """A source URL that cannot be recorded (not an absolute http(s) URL, unreadable sidecar, one URL for many)."""


def check_url(url: str) -> str:
    """`url` when it is an absolute http(s) URL with a host, no white space and none of the characters a URL must
    escape; else SourceUrlError."""
    u = url.strip()
    try:
        parts = urlsplit(u)
    except ValueError as e:
        raise SourceUrlError(f"not a URL: {url!r} ({e})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or len(u) > MAX_URL or any(
            c.isspace() or ord(c) < 32 or c in _NOT_IN_URL for c in u):
        raise SourceUrlError(f"not an absolute http(s) URL: {url[:200]!r}")
    return u


def sidecar_of(document: Path) -> Path:
    return document.with_name(document.name + SIDECAR_SUFFIX)


def sidecar_url(document: Path) -> str | None:
    """The URL of `document`'s sidecar, None when it has none; SourceUrlError when the sidecar says no URL."""
    side = sidecar_of(document)
    if not side.is_file():
        return None
    try:
        text = side.read_text(encoding="utf-8")[: MAX_URL * 4]
    except (OSError, UnicodeDecodeError) as e:
        raise SourceUrlError(f"{side.name}: cannot be read ({e})") from None
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if not lines:
        raise SourceUrlError(f"{side.name}: holds no URL")
    try:
        return check_url(lines[0])
    except SourceUrlError as e:
        raise SourceUrlError(f"{side.name}: {e}") from None


__all__ = ["SIDECAR_SUFFIX", "SourceUrlError", "check_url", "sidecar_of", "sidecar_url"]
