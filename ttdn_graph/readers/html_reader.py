"""Web pages saved from legal-document sites (thuvienphapluat, vbpl, luatvietnam, provincial portals): keep the body.

Steps: decode (BOM, else valid UTF-8, else the <meta> charset, else Vietnamese cp1258); drop scripts, styles, forms and elements
whose tag / id / class / role say navigation, menu, footer, sidebar, share, related links ... unless they hold the
document itself (sites wrap the text in "tab" panes); drop "Xem thêm" / "Văn bản liên quan" link lists; then pick
the content container: the deepest element holding nearly all Vietnamese legal-document markers (national motto,
"Số:", "Căn cứ", upper-case document type, roman-numeral headings, "Nơi nhận"), counted outside links so menus and
related-document titles do not pull it wider. Finally render block elements as lines and table rows with " | ".
"""

from __future__ import annotations

import codecs
import html
import math
import re
import unicodedata

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

from ttdn_graph.lexicon.words import alternation_of

from ._common import FormatError, check_text_like, flatten_row, format_counter
from .blocks import HEADING, ITEM, PARAGRAPH, TABLE, Block, Draft, carry_rowspans, numbering, render, span_of
from .limits import DEFAULT_LIMITS, ReadLimits
from .text_reader import decode_cp1258
from .tree_guard import check_html

# Tags that never hold document text.
_JUNK_TAGS = ["script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "map",
              "button", "select", "input", "textarea", "head", "title", "meta", "link"]
# Landmarks dropped unless they hold document text: ASP.NET sites (vbpl, thuvienphapluat) wrap the whole page in
# <form>, and an HTML5 <article> may put the document title in its <header>.
_LANDMARK_TAGS = {"nav", "header", "footer", "aside", "form"}
# Table parts and inline formatting are never page furniture, whatever their class (a "header" cell of a task table).
_NEVER_FURNITURE = {"td", "th", "tr", "thead", "tbody", "tfoot", "b", "strong", "i", "em", "u", "font",
                    "sup", "sub", "br", "body", "html"}
# id/class words of page furniture (matched as whole words of the id/class, split at -, _, spaces and camelCase).
_FURNITURE_WORDS = {
    "nav", "navbar", "navigation", "menu", "menubar", "submenu", "megamenu", "footer", "header", "topbar",
    "sidebar", "breadcrumb", "breadcrumbs", "banner", "ad", "ads", "advert", "adsense", "advertisement", "quangcao",
    "share", "sharing", "social", "related", "relate", "comment", "comments", "login", "signin", "register",
    "search", "tab", "tabs", "toolbar", "popup", "modal", "cookie", "cookies", "rating", "vote", "subscribe",
    "newsletter", "pager", "pagination", "hotline", "copyright", "widget",
}
_FURNITURE_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "menu", "menubar", "toolbar"}
# Headings that introduce lists of other documents / articles (data/lexicon/words.csv).
_RELATED_HEADING = re.compile(rf"^\s*({alternation_of('related-heading', ' ')})\s*:?\s*$", re.IGNORECASE)
# upper-case document types (data/lexicon/words.csv: the plan's title words and other documents')
_DOCUMENT_HEADINGS = "|".join(
    alternation_of(kind, " ") for kind in ("title-word", "other-title-word", "document-heading")
)
# Markers of a Vietnamese administrative document, counted per text node.
_MARKERS = [re.compile(p) for p in (
    r"CỘNG H(?:ÒA|OÀ) XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    r"Độc lập\s*[-–—]\s*Tự do",
    r"^\s*Số\s*:",
    r"^\s*Căn cứ\b",
    rf"^\s*({_DOCUMENT_HEADINGS})\b",
    r"^\s*[IVXL]{1,6}\s*[.:-](\s|$)",
    r"Nơi nhận",
    r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}",
)]
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "blockquote", "pre", "address", "center", "figure",
               "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "dt", "dd", "hr", "tr",
               "tbody", "thead", "tfoot", "caption", "fieldset", "details", "summary", "body", "html"}
_WS = re.compile(r"[ \t\r\n\f]+")
_LEFTOVER_ENTITY = re.compile(r"&(nbsp|amp|lt|gt|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_WHATWG_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin_1": "cp1252", "us-ascii": "cp1252",
                   "ascii": "cp1252", "iso8859-1": "cp1252", "x-user-defined": "cp1252"}
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_OL_TYPES = {"a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman", "1": "decimal"}


def extract(data: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> str:
    """The document text of a saved web page, one line per block element."""
    return read_blocks(data, limits)[0]


def read_blocks(data: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> tuple[str, tuple[Block, ...]]:
    """The page's text and its blocks: <h1>-<h6> headings, list items, tables with their cells."""
    markup = decode(data)
    check_text_like(markup)
    check_html(markup, limits)  # depth and element count, in one linear pass before BeautifulSoup
    soup = BeautifulSoup(markup, "lxml")
    root = soup.body or soup
    _strip_furniture(root)
    container = _content_container(root)
    drafts = _render_drafts(container)
    for annex in _annexes_after(container, root):  # an annex printed outside the document's own container
        drafts.extend(_render_drafts(annex))
    if not drafts:
        raise FormatError("no text found in the HTML page")
    return render(drafts)


def decode(data: bytes) -> str:
    """BOM; else strict UTF-8 (valid multi-byte UTF-8 is never really a legacy code page, whatever the <meta> says:
    old sites often declare iso-8859-1 and serve UTF-8); else the <meta> charset; else Vietnamese cp1258; else UTF-8
    with replacement characters."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared_codec(data)
    if declared and declared != "utf-8":
        text = data.decode(declared, errors="replace")
        return unicodedata.normalize("NFC", text) if declared == "cp1258" else text
    legacy = decode_cp1258(data)
    return legacy if legacy is not None else data.decode("utf-8", errors="replace")


def _declared_codec(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:8192])
    if not match:
        return None
    label = match.group(1).decode("ascii", "ignore").lower()
    label = _WHATWG_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name.replace("_", "-")
    except LookupError:
        return None
    # A <meta> we could read in ASCII means the bytes are not UTF-16/32, whatever it says (as browsers do).
    return None if name.startswith(("utf-16", "utf-32")) else name


# --- cleaning -----------------------------------------------------------------------------------------------------

def _strip_furniture(root: Tag) -> None:
    for node in root.find_all(string=lambda s: isinstance(s, Comment | Declaration | Doctype | ProcessingInstruction)):
        node.extract()
    for tag in root.find_all(_JUNK_TAGS):
        if not tag.decomposed:
            tag.decompose()
    for tag in root.find_all(True):
        if not tag.decomposed and tag is not root and _is_furniture(tag) and not _has_marker(tag):
            tag.decompose()
    for node in root.find_all(string=_RELATED_HEADING):
        if isinstance(node.parent, Tag) and not node.parent.decomposed:
            _drop_related_list(node.parent)


def _words(value) -> set[str]:
    text = " ".join(value) if isinstance(value, list) else str(value or "")
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text)
    return {w for w in re.split(r"[^A-Za-z]+", text.lower()) if w}


def _is_furniture(tag: Tag) -> bool:
    """Landmark tag, hidden, or an id/class/role naming page furniture (table cells and inline tags excepted)."""
    if tag.name in _LANDMARK_TAGS:
        return True
    if tag.name in _NEVER_FURNITURE:
        return False
    style = (tag.get("style") or "").replace(" ", "").lower()
    if tag.has_attr("hidden") or "display:none" in style or "visibility:hidden" in style:
        return True
    if (tag.get("role") or "").lower() in _FURNITURE_ROLES:
        return True
    return bool((_words(tag.get("id")) | _words(tag.get("class"))) & _FURNITURE_WORDS)


def _drop_related_list(heading: Tag) -> None:
    """Remove a "Xem thêm" heading and the link lists right after it (after its wrapper, if it is wrapped alone).

    A "Xem thêm" that is itself a link is a "read more" button: it goes, the text after it stays.
    """
    label = heading.get_text(strip=True)
    while (heading.parent is not None and heading.parent.name not in ("body", "html", "[document]")
           and heading.parent.get_text(strip=True) == label):
        heading = heading.parent
    if heading.name == "a" or heading.find_parent("a") is not None:
        heading.decompose()
        return
    sibling = heading.find_next_sibling()
    while sibling is not None and (_link_share(sibling) >= 0.5 or not sibling.get_text(strip=True)):
        following = sibling.find_next_sibling()
        sibling.decompose()
        sibling = following
    heading.decompose()


def _link_share(tag: Tag) -> float:
    text = len(tag.get_text(strip=True))
    if not text:
        return 0.0
    return sum(len(a.get_text(strip=True)) for a in tag.find_all("a")) / text


# --- choosing the content container -------------------------------------------------------------------------------

def _marker_hits(node: NavigableString) -> int:
    """Markers in one text node, unless it is link text (menus, related-document titles)."""
    if type(node) is not NavigableString or node.find_parent("a") is not None:
        return 0
    text = unicodedata.normalize("NFC", str(node))
    return sum(1 for line in text.split("\n") for pattern in _MARKERS if pattern.search(line))


def _has_marker(tag: Tag) -> bool:
    return any(_marker_hits(node) for node in tag.find_all(string=True))


def _content_container(root: Tag) -> Tag:
    """Deepest element holding >= 90 % of the markers found in text outside links; the root when there are few."""
    counts: dict[int, int] = {}
    elements: dict[int, Tag] = {}
    total = 0
    for node in root.find_all(string=True):
        hits = _marker_hits(node)
        if not hits:
            continue
        total += hits
        for parent in node.parents:
            counts[id(parent)] = counts.get(id(parent), 0) + hits
            elements[id(parent)] = parent
            if parent is root:
                break
    if total < 2:
        return root
    needed = math.ceil(0.9 * total)
    candidates = [elements[key] for key, count in counts.items() if count >= needed]
    best = max(candidates, key=lambda tag: sum(1 for _ in tag.parents), default=root)
    if best.name in ("tr", "tbody", "thead", "tfoot"):  # render whole tables, so rows get their " | " layout
        best = best.find_parent("table") or best
    return best


def _annexes_after(container: Tag, root: Tag) -> list[Tag]:
    """Elements after the content container that hold the plan's annex: sites print "PHỤ LỤC" and its table in a
    block of their own, beside the text. Taken: a following sibling of the container (or of one of its ancestors)
    that opens with an annex title or holds a table of three rows or more."""
    if container is root:
        return []
    out: list[Tag] = []
    node: Tag | None = container
    while node is not None and node is not root:
        for sib in node.find_next_siblings():
            if not isinstance(sib, Tag) or sib.decomposed:
                continue
            text = sib.get_text(" ", strip=True)
            if _ANNEX_TITLE.match(text) or any(len(t.find_all("tr")) >= 3 for t in sib.find_all("table")) or (
                    sib.name == "table" and len(sib.find_all("tr")) >= 3):
                out.append(sib)
        node = node.parent if isinstance(node.parent, Tag) else None
    return out


_ANNEX_TITLE = re.compile(rf"^\s*(?:{alternation_of('annex-word', ' ')})\b", re.IGNORECASE)


# --- rendering ----------------------------------------------------------------------------------------------------

# Markers the renderer leaves in its output for the block it is in; never in a page's text (controls are refused).
_MARK = re.compile(r"\x01(?P<kind>[HLT])(?P<n>\d+)\x02")


def _render_drafts(container: Tag) -> list[Draft]:
    parts: list[str] = []
    tables: list[list[tuple[list[list[str]], list[int], bool, list[str]]]] = []
    if container.name == "table":
        tables.append(_table_rows(container))
        parts.append("\n\x01T0\x02\n")
    else:
        _render(container, parts, preformatted=container.name == "pre", tables=tables)
    text = "".join(parts).replace("\xa0", " ")
    text = _LEFTOVER_ENTITY.sub(lambda m: html.unescape(m.group()), text)  # double-escaped pages
    drafts: list[Draft] = []
    for raw in text.split("\n"):
        marks = list(_MARK.finditer(raw))
        line = _MARK.sub("", raw).strip()
        kinds = {m.group("kind"): int(m.group("n")) for m in marks}
        if "T" in kinds:
            drafts.append(Draft(TABLE, rows=tables[kinds["T"]]))
        elif not line:
            continue
        elif "H" in kinds:
            drafts.append(Draft(HEADING, [line], kinds["H"], numbering(line)[0]))
        elif "L" in kinds:
            label, _ = numbering(line)
            drafts.append(Draft(ITEM, [line], kinds["L"], label or line[:1]))
        else:
            drafts.append(Draft(PARAGRAPH, [line]))
    return drafts


def _render(el: Tag, parts: list[str], preformatted: bool = False, tables: list | None = None,
            depth: int = 0) -> None:
    """Render `el`'s content as text lines; with `tables`, top-level blocks leave markers (headings, list items,
    a placeholder per table) for _render_drafts. Inside table cells `tables` is None: plain lines only."""
    for child in el.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:  # not a comment / CDATA / doctype
                parts.append(str(child) if preformatted else _WS.sub(" ", str(child)))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name == "br":
            parts.append("\n")
        elif name == "table":
            if tables is not None:
                parts.append(f"\n\x01T{len(tables)}\x02\n")
                tables.append(_table_rows(child))
            else:
                parts.append("\n")
                parts.extend(line + "\n" for line in _table_lines(child))
        elif name == "li":
            parts.append("\n" + (f"\x01L{depth + 1}\x02" if tables is not None else "") + _list_label(child))
            _render(child, parts, preformatted, tables, depth + 1)
            parts.append("\n")
        elif name in _HEADINGS and tables is not None:
            parts.append(f"\n\x01H{name[1]}\x02")
            _render(child, parts, preformatted, None)
            parts.append("\n")
        elif name in _BLOCK_TAGS or name == "td" or name == "th":
            parts.append("\n")
            _render(child, parts, preformatted or name == "pre", tables, depth)
            parts.append("\n")
        else:
            _render(child, parts, preformatted, tables, depth)


_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def _table_rows(table: Tag) -> list[tuple[list[list[str]], list[int], bool, list[str]]]:
    """Each row: its cells' lines (a cell spanning rows repeated below it), their colspans, whether it is a header
    row, and its rendered lines (the cells as printed, each once)."""
    raw: list[list[tuple[list[str], int, int]]] = []
    meta: list[tuple[bool, list[str]]] = []
    for row in table.find_all("tr"):
        if row.find_parent("table") is not table:
            continue  # a nested table's row: rendered inside its cell
        printed: list[list[str]] = []
        cells: list[tuple[list[str], int, int]] = []
        tds = row.find_all(["td", "th"], recursive=False)
        for cell in tds:
            parts: list[str] = []
            _render(cell, parts)
            text = "".join(parts).replace("\xa0", " ")
            lines = [line.strip() for line in text.split("\n") if line.strip()]
            printed.append(lines)
            cells.append((lines, span_of(cell, "colspan"), span_of(cell, "rowspan")))
        header = bool(tds) and (row.find_parent("thead") is not None or all(td.name == "th" for td in tds))
        raw.append(cells)
        meta.append((header, flatten_row(printed)))
    return [(cells, spans, header, rendered)
            for (cells, spans), (header, rendered) in zip(carry_rowspans(raw), meta, strict=True)]


def _table_lines(table: Tag) -> list[str]:
    return [line for *_, rendered in _table_rows(table) for line in rendered]


def _list_label(li: Tag) -> str:
    parent = li.parent
    if parent is None or parent.name != "ol":
        return "- " if parent is not None and parent.name == "ul" else ""
    items = [item for item in parent.find_all("li", recursive=False)]
    try:
        start = int(parent.get("start", 1))
    except (TypeError, ValueError):
        start = 1
    index = next((i for i, item in enumerate(items) if item is li), 0)
    fmt = _OL_TYPES.get(str(parent.get("type", "1")), "decimal")
    return f"{format_counter(start + index, fmt)}. "

