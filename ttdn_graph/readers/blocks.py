"""The document model between reading and parsing: every reader returns the same blocks.

A block is a heading (with its level and its own numbering, if any), a paragraph, a list item (depth and marker), a
table (rows x cells, spans kept, header rows marked) or page furniture (running headers, page numbers), each with the
span of lines it occupies in the document's text (`SourceDocument.text`, line N = text.split("\\n")[N - 1]). The
parser reads headings, tables and furniture from here instead of guessing them again from one layout.

Structured formats (.docx, .html) build blocks from their markup and render the text from them; text formats (.txt,
.md, .pdf) keep their text as read and get blocks recognised from it (`blocks_from_text`): ATX and setext headings,
pipe tables, HTML tables inside Markdown, bullets and numbered items, page furniture.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ._common import normalise_newlines

HEADING, PARAGRAPH, ITEM, TABLE, FURNITURE = "heading", "paragraph", "item", "table", "furniture"
KINDS = (HEADING, PARAGRAPH, ITEM, TABLE, FURNITURE)


@dataclass(frozen=True)
class Cell:
    """One table cell: its own lines (paragraphs / <br>-separated), and the grid columns it spans."""

    lines: tuple[str, ...]
    span: int = 1

    @property
    def text(self) -> str:
        return " ".join(x.strip() for x in self.lines if x.strip())


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    line: int  # the row's first line in the document's text
    header: bool = False  # marked as a header row by the format (<th>, <thead>, Word's tblHeader, a pipe table's head)

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]


@dataclass(frozen=True)
class Block:
    kind: str  # one of KINDS
    line: int  # first line in the document's text (1-based)
    end: int  # last line
    text: str = ""  # heading / paragraph / item / furniture text as printed, numbering included
    level: int = 0  # heading level (1 = top) or list depth (1 = outermost)
    label: str = ""  # the heading's own numbering ("II", "2.1") or the item's marker ("-", "a", "3")
    rows: tuple[Row, ...] = field(default=())  # tables only

    def lines(self) -> range:
        return range(self.line, self.end + 1)


# --- rendering structured formats --------------------------------------------------------------------------------

@dataclass
class Draft:
    """A block before its lines are known: what a structured reader emits, in reading order."""

    kind: str
    texts: list[str] = field(default_factory=list)  # the block's lines as rendered
    level: int = 0
    label: str = ""
    rows: list[tuple[list[list[str]], list[int], bool, list[str]]] = field(default_factory=list)
    # each row: (cells' lines, cells' spans, header?, the row's rendered lines)

    def rendered(self) -> list[str]:
        """The draft's lines as printed: a table's rows flattened, any other block's own lines."""
        if self.kind == TABLE:
            return [line for *_, lines in self.rows for line in lines]
        return list(self.texts)


def render(drafts: Iterable[Draft]) -> tuple[str, tuple[Block, ...]]:
    """Number the drafts' lines in order: the document's text and its blocks."""
    out: list[str] = []
    blocks: list[Block] = []
    for d in drafts:
        start = len(out) + 1
        if d.kind == TABLE:
            rows = []
            for cells, spans, header, rendered in d.rows:
                if not rendered:
                    continue
                rows.append(Row(tuple(Cell(tuple(c), s) for c, s in zip(cells, spans, strict=True)),
                                len(out) + 1, header))
                out.extend(x for t in rendered for x in normalise_newlines(t).split("\n"))
            if rows:
                blocks.append(Block(TABLE, start, len(out), rows=tuple(rows)))
            continue
        texts = [x for t in d.texts for x in normalise_newlines(t).split("\n")]
        if not any(t.strip() for t in texts):
            continue
        out.extend(texts)
        blocks.append(Block(d.kind, start, len(out), " ".join(t.strip() for t in texts if t.strip()),
                            d.level, d.label))
    return "\n".join(out), tuple(blocks)


def carry_rowspans(rows: list[list[tuple[list[str], int, int]]]) -> list[tuple[list[list[str]], list[int]]]:
    """Rows of (cell lines, colspan, rowspan) → rows of (cells' lines, spans) with a cell spanning n rows repeated
    in the n - 1 rows below, where HTML leaves it out: a lead agency merged down three tasks leads all three."""
    pending: dict[int, list] = {}  # grid column -> [rows left, lines, colspan]
    out: list[tuple[list[list[str]], list[int]]] = []
    for row in rows:
        placed: list[tuple[list[str], int]] = []
        col = 0
        queue = list(row)
        while queue or any(k >= col for k in pending):
            if col in pending:  # a cell from a row above covers this column
                left, lines, span = pending[col]
                placed.append((list(lines), span))
                if left <= 1:
                    del pending[col]
                else:
                    pending[col][0] = left - 1
                col += span
            elif queue:
                lines, colspan, rowspan = queue.pop(0)
                placed.append((lines, colspan))
                if rowspan > 1:
                    pending[col] = [rowspan - 1, lines, colspan]
                col += colspan
            else:  # only carried cells further right
                col = min(k for k in pending if k >= col)
        for k in [k for k in pending if k < col and k not in _covered(placed)]:
            del pending[k]  # overlapped by a wider cell of this row: the merge ends here
        out.append(([c for c, _ in placed], [s for _, s in placed]))
    return out


def _covered(placed: list[tuple[list[str], int]]) -> set[int]:
    """The grid columns where a cell of the row starts."""
    starts, col = set(), 0
    for _, span in placed:
        starts.add(col)
        col += span
    return starts


# --- recognising blocks in text ------------------------------------------------------------------------------------

_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-{2,})\s*$")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HTML_TABLE_OPEN = re.compile(r"<table\b", re.I)
_HTML_TABLE_CLOSE = re.compile(r"</table\s*>", re.I)
_MARKUP = re.compile(r"\*\*|__|</?[a-zA-Z][^>]*>")
_NUMBERING = re.compile(
    r"^(?:(?:Phần|PHẦN|Mục|MỤC|Chương|CHƯƠNG)\s+(?P<word>[IVXLC]+|\d{1,2})\b[.:]?"
    r"|(?P<roman>[IVXLC]{1,6})\s*[.)/:\-–]"
    r"|(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})\s*[.)]?(?=\s)"
    r"|(?P<letter>[a-zđA-ZĐ])\s*[.)](?=\s))\s*"
)
_BULLET = re.compile(r"^(\s*)([-–•+*·])\s+\S")
# A line that is bold and nothing else ("**Nhiệm vụ cụ thể**"): converters' way of writing a heading. Its level is
# unknown; BOLD_LEVEL ranks it below every "#" level.
_BOLD_LINE = re.compile(r"^\s{0,3}(?:\*\*|__)([^*_]{2,150})(?:\*\*|__)\s*$")
BOLD_LEVEL = 7
_ORDERED = re.compile(r"^(\s*)(\d{1,2}(?:\.\d{1,2})*|[a-zđ])\s*[.)]\s+\S")


def numbering(text: str) -> tuple[str, str]:
    """(its own numbering, the rest) of a heading's text: "II. NỘI DUNG" -> ("II", "NỘI DUNG"); none -> ("", text)."""
    plain = _MARKUP.sub("", text).strip()
    m = _NUMBERING.match(plain)
    if not m:
        return "", plain
    label = next(g for g in (m.group("word"), m.group("roman"), m.group("num"), m.group("letter")) if g)
    rest = plain[m.end():].strip()
    return (label, rest) if rest or m.group("word") else ("", plain)


def split_pipe_row(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", s)]


def _cell_lines(text: str) -> tuple[str, ...]:
    """A pipe or HTML cell's own lines: <br> and <p> are line breaks inside a cell."""
    parts = re.split(r"<br\s*/?>|</p>\s*<p[^>]*>", text, flags=re.I)
    return tuple(p for p in (_MARKUP.sub("", x).strip() for x in parts) if p)


def blocks_from_text(text: str, markdown: bool = True) -> tuple[Block, ...]:
    """Blocks recognised in plain text or Markdown (also used for the text layer of PDFs)."""
    from .furniture import furniture_lines

    lines = text.split("\n")
    furniture = furniture_lines(lines)
    blocks: list[Block] = []
    i, n = 0, len(lines)
    while i < n:
        no = i + 1
        raw = lines[i]
        s = raw.strip()
        if not s:
            i += 1
            continue
        if no in furniture:
            blocks.append(Block(FURNITURE, no, no, s))
            i += 1
            continue
        first = s[0]
        if "<" in s and _HTML_TABLE_OPEN.search(s):
            j = i
            while j < n and not _HTML_TABLE_CLOSE.search(lines[j]):
                j += 1
            table = _html_table("\n".join(lines[i:j + 1]), no) if j < n else None  # unclosed: not a table
            if table is not None:
                blocks.append(table)
                i = j + 1
                continue
        if s.count("|") >= 2 and i + 1 < n and (_PIPE_RULE.match(lines[i + 1]) or _pipe_run(lines, i) >= 2):
            j = i
            rows: list[Row] = []
            head = bool(i + 1 < n and _PIPE_RULE.match(lines[i + 1]))
            while j < n and lines[j].strip().count("|") >= 1 and lines[j].strip():
                if not _PIPE_RULE.match(lines[j]):
                    cells = tuple(Cell(_cell_lines(c)) for c in split_pipe_row(lines[j]))
                    rows.append(Row(cells, j + 1, header=head and not rows))
                j += 1
            if len(rows) >= 2 or (head and rows):  # a Markdown table may be one row over its rule
                blocks.append(Block(TABLE, no, j, rows=tuple(rows)))
                i = j
                continue
        if markdown and first == "#" and (m := _ATX.match(raw)):
            label, _ = numbering(m.group(2))
            blocks.append(Block(HEADING, no, no, m.group(2).strip(), len(m.group(1)), label))
            i += 1
            continue
        if (markdown and i + 1 < n and lines[i + 1].lstrip()[:1] in ("=", "-") and _SETEXT.match(lines[i + 1])
                and not _BULLET.match(raw) and len(s) < 200):
            label, _ = numbering(s)
            blocks.append(Block(HEADING, no, no + 1, s, 1 if "=" in lines[i + 1] else 2, label))
            i += 2
            continue
        if (markdown and first in "*_" and (m := _BOLD_LINE.match(raw))
                and not m.group(1).rstrip().endswith((".", ";", ","))):
            label, _ = numbering(m.group(1))
            blocks.append(Block(HEADING, no, no, s, BOLD_LEVEL, label))
            i += 1
            continue
        if (m := _BULLET.match(raw)) or (m := _ORDERED.match(raw)):
            blocks.append(Block(ITEM, no, no, s, 1 + len(m.group(1).expandtabs(4)) // 2, m.group(2)))
        else:
            blocks.append(Block(PARAGRAPH, no, no, s))
        i += 1
    return tuple(blocks)


def _pipe_run(lines: Sequence[str], i: int) -> int:
    """How many lines from i on have the same number (>= 2) of cell bars: a table flattened without its rule."""
    bars = lines[i].strip().count("|")
    k = i
    while k < len(lines) and lines[k].strip() and lines[k].strip().count("|") == bars:
        k += 1
    return k - i


def _html_table(markup: str, first_line: int) -> Block | None:
    """An HTML <table> inside Markdown (converters emit them for merged cells), its rows with their lines."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")  # html.parser keeps each tag's source line
    table = soup.find("table")
    if table is None:
        return None
    raw: list[list[tuple[list[str], int, int]]] = []
    meta: list[tuple[int, bool]] = []
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue
        tds = tr.find_all(["td", "th"], recursive=False)
        if not tds:
            continue
        raw.append([(list(_cell_lines(td.decode_contents())), span_of(td, "colspan"), span_of(td, "rowspan"))
                    for td in tds])
        meta.append((first_line + _line_in(markup, tr),
                     tr.find_parent("thead") is not None or all(td.name == "th" for td in tds)))
    rows = [Row(tuple(Cell(tuple(c), sp) for c, sp in zip(cells, spans, strict=True)), line, head)
            for (cells, spans), (line, head) in zip(carry_rowspans(raw), meta, strict=True)]
    if not rows:
        return None
    return Block(TABLE, first_line, first_line + markup.count("\n"), rows=tuple(rows))


def span_of(td, attribute: str) -> int:
    """A cell's colspan / rowspan (1 when absent or unreadable; at most 1,000)."""
    try:
        return min(1000, max(1, int(str(td.get(attribute, 1)).strip() or 1)))
    except (TypeError, ValueError):
        return 1


def _line_in(markup: str, tag) -> int:
    """Lines before `tag` in `markup` (0 when unknown)."""
    line = getattr(tag, "sourceline", None)
    return max(0, (line or 1) - 1)
