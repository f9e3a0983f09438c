"""Plain text and Markdown files: find the encoding, decode, normalise line endings.

Vietnamese plans arrive in UTF-8 (usually), UTF-16 (Windows "Unicode" save, with or without BOM) or the legacy
Windows code page 1258, which writes tone marks as separate combining characters; we recompose those with NFC.
"""

from __future__ import annotations

import codecs
import unicodedata

from ._common import FormatError, check_text_like, count_line_breaks, looks_vietnamese, normalise_newlines
from .limits import DEFAULT_LIMITS, ReadLimits

# Longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def extract(data: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> str:
    """Decoded text of a .txt/.md file, lines separated by \\n (its bounds are the dispatcher's: size, text)."""
    text = decode(data)
    check_text_like(text)
    return normalise_newlines(text)


def decode(data: bytes) -> str:
    """Bytes -> str: BOM, else strict UTF-8, else BOM-less UTF-16 (by its NUL pattern), else Vietnamese cp1258."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom):], codec)
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    legacy = decode_cp1258(data)
    if legacy is not None:
        return legacy
    line = _line_of_byte(data, utf8_error.start, "utf-8")
    byte = data[utf8_error.start]
    raise FormatError(f"cannot decode text: byte 0x{byte:02x} is not valid UTF-8, and the file is not UTF-16 or "
                      "Vietnamese Windows-1258 text either (re-save it as UTF-8)", line)


def decode_cp1258(data: bytes) -> str | None:
    """The text if `data` decodes as cp1258 into something that looks Vietnamese, else None."""
    try:
        text = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        return None
    return text if looks_vietnamese(text) else None


def _strict(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise FormatError(f"cannot decode text as {codec} (its byte-order mark says so): {exc.reason} "
                          f"at byte {exc.start}", _line_of_byte(data, exc.start, codec)) from None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without BOM shows as NULs in every other byte (the high byte of ASCII / Latin letters)."""
    if len(data) < 4 or len(data) % 2 or b"\x00" not in data:
        return None
    half = len(data) // 2
    even_nuls, odd_nuls = data[0::2].count(0), data[1::2].count(0)
    if odd_nuls >= 0.3 * half and even_nuls <= 0.05 * half:
        codec = "utf-16-le"
    elif even_nuls >= 0.3 * half and odd_nuls <= 0.05 * half:
        codec = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    return text if looks_vietnamese(text) else None


def _line_of_byte(data: bytes, offset: int, codec: str) -> int:
    """1-based line of byte `offset`, counting line breaks in the (leniently decoded) bytes before it."""
    return count_line_breaks(data[:offset].decode(codec, errors="replace")) + 1
