"""Word .docx files: body paragraphs and tables in reading order, one line per paragraph, list labels kept.

We walk the body XML ourselves rather than use python-docx's paragraph/table lists, because those lose the
interleaving of paragraphs and tables, skip tracked insertions and content controls, and drop automatic numbering.
Page headers/footers, footnotes, comments and deleted (tracked) text are left out: they are not the plan's text.
"""

from __future__ import annotations

import io
import zipfile
import zlib

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from ._common import FormatError, flatten_row
from .docx_numbering import Numbering
from .limits import DEFAULT_LIMITS, ReadLimits
from .zip_guard import check_docx_archive

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"

_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_T, _TAB, _PTAB, _BR, _CR = qn("w:t"), qn("w:tab"), qn("w:ptab"), qn("w:br"), qn("w:cr")
_NB_HYPHEN, _TXBX = qn("w:noBreakHyphen"), qn("w:txbxContent")
# Inside a paragraph: properties, deleted / moved-away text, field instructions, and the duplicate fallback copy of
# drawings (mc:Fallback repeats mc:Choice for old readers).
_SKIP_INLINE = {qn(t) for t in ("w:pPr", "w:rPr", "w:del", "w:moveFrom", "w:instrText", "w:delText", "w:fldData")}
_SKIP_INLINE.add(_MC_FALLBACK)
# Block level: section properties, bookmarks and other markers carry no text; altChunk is external content.
_SKIP_BLOCK = {qn(t) for t in ("w:sectPr", "w:tblPr", "w:tblGrid", "w:trPr", "w:tcPr", "w:altChunk", "w:del")}
_SKIP_BLOCK.add(_MC_FALLBACK)


def extract(data: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> str:
    """Text of a .docx: one line per paragraph (soft line breaks split it), tables flattened row by row."""
    document = _open(data, limits)
    numbering = Numbering(_related_element(document, RT.NUMBERING), _related_element(document, RT.STYLES))
    body = document.element.body
    return "\n".join(_Walker(numbering).blocks(body))


def _open(data: bytes, limits: ReadLimits):
    if data.startswith(_OLE_MAGIC):
        raise FormatError("this is a legacy Word .doc (OLE) file, not .docx: save it as .docx first")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise FormatError("not a .docx file (not a ZIP archive)")
    try:
        check_docx_archive(data, limits)  # sizes, ratios, depth and elements, before python-docx inflates it all
        return docx.Document(io.BytesIO(data))
    except FormatError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError) as exc:
        raise FormatError(f"corrupt .docx (broken ZIP archive: {exc})") from exc
    except KeyError as exc:
        raise FormatError(f"corrupt .docx (missing part {exc})") from exc
    except etree.XMLSyntaxError as exc:
        raise FormatError(f"corrupt .docx (malformed XML: {exc})") from exc
    except Exception as exc:  # python-docx: PackageNotFoundError, ValueError for a non-document content type
        raise FormatError(f"not a readable .docx document ({type(exc).__name__}: {exc})") from exc


def _related_element(document, reltype: str):
    """The XML root of the main document's part with relationship `reltype` (numbering, styles), or None."""
    for rel in document.part.rels.values():
        if rel.is_external or rel.reltype != reltype:
            continue
        part = rel.target_part
        element = getattr(part, "element", None)
        if element is not None:
            return element
        try:
            return etree.fromstring(part.blob, parser=etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError:
            return None
    return None


class _Walker:
    """Turns body XML into lines; holds the numbering counters, which run through the whole document."""

    def __init__(self, numbering: Numbering):
        self.numbering = numbering

    def blocks(self, container) -> list[str]:
        """Lines of a block container (body, table cell, text box, content control) in document order."""
        lines: list[str] = []
        for child in container.iterchildren(tag=etree.Element):
            tag = child.tag
            if tag == _P:
                lines.extend(self.paragraph(child))
            elif tag == _TBL:
                lines.extend(self.table(child))
            elif tag not in _SKIP_BLOCK:  # w:sdt / w:sdtContent / w:customXml / w:ins wrappers: look inside
                lines.extend(self.blocks(child))
        return lines

    def paragraph(self, p) -> list[str]:
        """The paragraph's lines: label + text (split at soft breaks), then any text-box paragraphs it anchors."""
        parts: list[str] = []
        boxes: list[str] = []
        self._inline(p, parts, boxes)
        text = "".join(parts)
        label = self.numbering.label(p)
        lines = (label + text).split("\n") if text.strip() else []
        return lines + boxes

    def _inline(self, el, parts: list[str], boxes: list[str]) -> None:
        for child in el.iterchildren(tag=etree.Element):
            tag = child.tag
            if tag == _T:
                parts.append(child.text or "")
            elif tag in (_TAB, _PTAB):
                parts.append("\t")
            elif tag in (_BR, _CR):
                parts.append("\n")
            elif tag == _NB_HYPHEN:
                parts.append("-")
            elif tag == _TXBX:
                boxes.extend(self.blocks(child))
            elif tag not in _SKIP_INLINE:  # runs, hyperlinks, w:ins, smart tags, fields, drawings: look inside
                self._inline(child, parts, boxes)

    def table(self, tbl) -> list[str]:
        lines: list[str] = []
        for row in _children(tbl, _TR):
            cells = [self.blocks(tc) for tc in _children(row, _TC)]
            lines.extend(flatten_row(cells))
        return lines


def _children(el, tag: str):
    """Direct children with `tag`, looking through content-control / custom-XML wrappers (w:sdt around rows)."""
    for child in el.iterchildren(tag=etree.Element):
        if child.tag == tag:
            yield child
        elif child.tag not in _SKIP_BLOCK and child.tag not in (_P, _TBL, _TR, _TC):
            yield from _children(child, tag)
