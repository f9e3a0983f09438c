"""Word .docx files: body paragraphs and tables in reading order, one line per paragraph, list labels kept.

We walk the body XML ourselves rather than use python-docx's paragraph/table lists, because those lose the
interleaving of paragraphs and tables, skip tracked insertions and content controls, and drop automatic numbering.
Page headers/footers, footnotes, comments and deleted (tracked) text are left out: they are not the plan's text.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from ._common import FormatError, flatten_row
from .blocks import HEADING, ITEM, PARAGRAPH, TABLE, Block, Draft, numbering, render
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
    return read_blocks(data, limits)[0]


def read_blocks(data: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> tuple[str, tuple[Block, ...]]:
    """The text and its blocks: headings from paragraph styles (Heading N, Title, outline levels), list items from
    Word numbering, tables with their cells and spans."""
    document = _open(data, limits)
    styles = _related_element(document, RT.STYLES)
    walker = _Walker(Numbering(_related_element(document, RT.NUMBERING), styles), _heading_styles(styles))
    return render(walker.drafts(document.element.body))


_HEADING_NAME = re.compile(r"^(?:heading|đề mục|tiêu đề)\s*(\d)$", re.I)


def _heading_styles(styles) -> dict[str, int]:
    """styleId -> heading level, from each style's name ("heading 2"), "Title", or its w:outlineLvl."""
    out: dict[str, int] = {}
    if styles is None:
        return out
    parents: dict[str, str] = {}
    for style in styles.iterchildren(qn("w:style")):
        sid = style.get(qn("w:styleId"))
        if not sid or style.get(qn("w:type")) not in (None, "paragraph"):
            continue
        name_el = style.find(qn("w:name"))
        name = (name_el.get(qn("w:val")) if name_el is not None else "") or ""
        outline = style.find(qn("w:pPr") + "/" + qn("w:outlineLvl"))
        based = style.find(qn("w:basedOn"))
        if based is not None and based.get(qn("w:val")):
            parents[sid] = based.get(qn("w:val"))
        if m := _HEADING_NAME.match(name.strip()):
            out[sid] = int(m.group(1))
        elif name.strip().lower() == "title":
            out[sid] = 1
        elif outline is not None and (v := outline.get(qn("w:val"), "")).isdigit() and int(v) < 9:
            out[sid] = int(v) + 1
    for sid in list(parents):  # a style based on a heading style is a heading of that level
        seen, cur = set(), sid
        while cur in parents and cur not in out and cur not in seen:
            seen.add(cur)
            cur = parents[cur]
        if sid not in out and cur in out:
            out[sid] = out[cur]
    return out


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

    def __init__(self, numbering: Numbering, headings: dict[str, int] | None = None):
        self.numbering = numbering
        self.headings = headings or {}

    def drafts(self, container) -> list[Draft]:
        """Top-level blocks in reading order (wrappers looked through; cells and text boxes stay inside)."""
        out: list[Draft] = []
        for child in container.iterchildren(tag=etree.Element):
            tag = child.tag
            if tag == _P:
                out.extend(self.paragraph_drafts(child))
            elif tag == _TBL:
                out.append(self.table_draft(child))
            elif tag not in _SKIP_BLOCK:
                out.extend(self.drafts(child))
        return out

    def paragraph_drafts(self, p) -> list[Draft]:
        """The paragraph as a heading (style or outline level), a list item (Word numbering) or a paragraph: label +
        text, split at soft breaks; then any text-box paragraphs it anchors."""
        parts: list[str] = []
        boxes: list[str] = []
        self._inline(p, parts, boxes)
        text = "".join(parts)
        label = self.numbering.label(p)
        out: list[Draft] = []
        if text.strip():
            lines = (label + text).split("\n")
            p_pr = p.find(qn("w:pPr"))
            style = p_pr.find(qn("w:pStyle")) if p_pr is not None else None
            level = self.headings.get(style.get(qn("w:val"), "") if style is not None else "", 0)
            own = p_pr.find(qn("w:outlineLvl")) if p_pr is not None else None
            if own is not None and (v := own.get(qn("w:val"), "")).isdigit() and int(v) < 9:
                level = int(v) + 1
            if level:
                out.append(Draft(HEADING, lines, level, numbering(lines[0])[0]))
            elif label:
                ilvl = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:ilvl')}")
                value = ilvl.get(qn("w:val"), "0") if ilvl is not None else "0"
                out.append(Draft(ITEM, lines, 1 + int(value) if value.isdigit() else 1, label.strip().rstrip(".)")))
            else:
                out.append(Draft(PARAGRAPH, lines))
        if boxes:
            out.append(Draft(PARAGRAPH, boxes))
        return out

    def table_draft(self, tbl) -> Draft:
        """Rows with their cells' lines and spans; a cell merged down (w:vMerge) repeats the text of the cell that
        starts the merge, as a lead agency merged over three tasks leads all three. Rendered lines show it once."""
        rows = []
        above: dict[int, list[str]] = {}  # grid column -> lines of the cell that started a vertical merge there
        for row in _children(tbl, _TR):
            tcs = list(_children(row, _TC))
            printed = [self.blocks(tc) for tc in tcs]
            spans = [_span(tc) for tc in tcs]
            cells = []
            col = 0
            for tc, lines, span in zip(tcs, printed, spans, strict=True):
                merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
                if merge is not None and merge.get(qn("w:val"), "continue") != "restart" and col in above:
                    lines = above[col]
                elif merge is not None:
                    above[col] = lines
                else:
                    above.pop(col, None)
                cells.append(lines)
                col += span
            tr_pr = row.find(qn("w:trPr"))
            header = tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
            rows.append((cells, spans, header, flatten_row(printed)))
        return Draft(TABLE, rows=rows)

    def blocks(self, container) -> list[str]:
        """Lines of a block container (a table cell, a text box) in document order: its drafts as printed."""
        return [line for d in self.drafts(container) for line in d.rendered()]

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


def _span(tc) -> int:
    grid = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
    value = grid.get(qn("w:val"), "1") if grid is not None else "1"
    return max(1, int(value)) if value.isdigit() else 1


def _children(el, tag: str):
    """Direct children with `tag`, looking through content-control / custom-XML wrappers (w:sdt around rows)."""
    for child in el.iterchildren(tag=etree.Element):
        if child.tag == tag:
            yield child
        elif child.tag not in _SKIP_BLOCK and child.tag not in (_P, _TBL, _TR, _TC):
            yield from _children(child, tag)
