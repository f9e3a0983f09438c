"""Bounds on a .docx archive, checked before python-docx inflates and parses every part it needs into memory.

First the central directory's declared sizes and ratios (free to check; and zipfile never inflates a member past
its declared size: it stops there and fails the CRC). Then every part is really inflated, 1 MiB at a time and
never kept, counting the bytes that come out, so a directory that lies is caught too; the XML parts also go
through the tree census (depth, elements). The 0.5 MB archive declaring 300 MiB of empty paragraphs is refused
in milliseconds; with those checks lifted, the element count stops it after 6 MB of XML, the XML size after
32 MiB (~1.3 s)."""

from __future__ import annotations

import io
import zipfile
import zlib

from lxml import etree

from ._common import FormatError
from .limits import LimitExceeded, MiB, ReadLimits, size, sizes
from .tree_guard import Census

CHUNK = MiB
#: Parts smaller than this (inflated) are not held to the compression ratio: tiny parts compress oddly.
RATIO_FLOOR = MiB
_BROKEN = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)


def check_docx_archive(data: bytes, limits: ReadLimits) -> None:
    """Raise LimitExceeded for an archive over any .docx bound, FormatError for a part that cannot be inflated;
    zipfile errors of the archive as a whole propagate.

    Every part must inflate, even one python-docx would not read: a part we could not count could be one it
    does read (zipfile fails our chunked reads of a part whose compressed size is overstated, yet reads it
    whole in one call), and a part left uncounted is an open door."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        _check_declared(infos, limits)
        census = Census(".docx XML", limits, limits.max_xml_elements, "max_xml_elements")
        totals = {"all": 0, "xml": 0}
        for info in infos:
            try:
                _inflate(archive, info, census, totals, limits)
            except _BROKEN as exc:
                detail = str(exc) or "its compressed data ends early"
                raise FormatError(f"corrupt .docx (part {info.filename} cannot be inflated: {detail})") from exc


def _check_declared(infos: list[zipfile.ZipInfo], limits: ReadLimits) -> None:
    declared = sum(info.file_size for info in infos)
    if declared > limits.max_docx_expanded_bytes:
        raise LimitExceeded("declared inflated size of the parts", *sizes(declared, limits.max_docx_expanded_bytes),
                            "max_docx_expanded_bytes")
    for info in infos:
        _check_ratio(info, info.file_size, "declares", limits)


def _check_ratio(info: zipfile.ZipInfo, inflated: int, verb: str, limits: ReadLimits) -> None:
    if inflated < RATIO_FLOOR:
        return
    ratio = inflated / max(info.compress_size, 1)
    if ratio > limits.max_compression_ratio:
        raise LimitExceeded(f"compression ratio of part {info.filename} (it {verb} {size(inflated)} from "
                            f"{size(info.compress_size)})", f"{ratio:,.0f}:1", f"{limits.max_compression_ratio:g}:1",
                            "max_compression_ratio")


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, census: Census, totals: dict[str, int],
             limits: ReadLimits) -> None:
    parser: etree.XMLParser | None = None
    is_xml = False
    seen = 0
    with archive.open(info) as part:
        while chunk := part.read(CHUNK):
            if seen == 0 and _looks_xml(chunk):
                is_xml, parser = True, census.xml_parser()
            seen += len(chunk)
            totals["all"] += len(chunk)
            if totals["all"] > limits.max_docx_expanded_bytes:
                raise LimitExceeded("inflated size of the parts", f"over {size(totals['all'])} (stopped there)",
                                    size(limits.max_docx_expanded_bytes), "max_docx_expanded_bytes")
            _check_ratio(info, seen, "inflates to at least", limits)
            if is_xml:
                totals["xml"] += len(chunk)
                if totals["xml"] > limits.max_docx_xml_bytes:
                    raise LimitExceeded("inflated size of the XML parts",
                                        f"over {size(totals['xml'])} (stopped there)",
                                        size(limits.max_docx_xml_bytes), "max_docx_xml_bytes")
                parser = _feed(parser, chunk)
    _feed(parser, None)


def _feed(parser: etree.XMLParser | None, chunk: bytes | None) -> etree.XMLParser | None:
    """Feed (or close, for None) the census parser; XML it cannot parse ends its census but not the byte count:
    python-docx refuses any part it needs and cannot parse, and one it does not need costs nothing more."""
    if parser is None:
        return None
    try:
        if chunk is None:
            parser.close()
        else:
            parser.feed(chunk)
    except etree.XMLSyntaxError:
        return None
    return parser


def _looks_xml(chunk: bytes) -> bool:
    return chunk.startswith((b"\xff\xfe", b"\xfe\xff")) or chunk.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
