"""Task tables: a table whose header cells mean "what / who leads / who supports / when" gives one task per row.

Plans assign work in tables as often as in prose, in the body or in an annex ("Nhiệm vụ cụ thể tại Phụ lục kèm theo").
A table is recognised by what its header cells mean (data/lexicon/table_columns.csv), never by their position or
exact words. Group rows (a numeral and a title spanning the row) become task groups; row numbers become ids; a
cell's line breaks are spaces in text and boundaries between agencies.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from ttdn_graph.lexicon.table_columns import column_role, column_rules
from ttdn_graph.parse.agencies import split_agencies
from ttdn_graph.parse.normalize import fold_variants, strip_markup
from ttdn_graph.parse.text import clean_space, first_sentence, strip_trailing
from ttdn_graph.parse.timeexpr import parse_time
from ttdn_graph.readers.blocks import TABLE, Block, Row, numbering
from ttdn_graph.record import Period, Task

_AGENCY_ROLES = ("lead", "support")
_FIELD_ROLES = ("product", "budget", "note")
_COLUMN_NUMBERS = re.compile(r"^\(?\s*\d{1,2}\s*\)?$")  # the "(1) | (2) | (3)" row under a header
_ROW_LABEL = re.compile(r"^(?:[IVXLC]{1,6}|\d{1,2}(?:\.\d{1,2}){0,3}|[a-zđA-ZĐ])\s*[.):]?$")
_ROMAN = re.compile(r"^[IVXLC]{1,6}$")


@dataclass(frozen=True)
class TaskTable:
    """A table read as a task table: which grid column plays which role, and where the data rows start."""

    block: Block
    roles: dict[int, str]  # grid column -> role
    labels: dict[int, str]  # grid column -> the header's own words (for fields kept as text)
    first_row: int  # index of the first data row

    @property
    def line(self) -> int:
        return self.block.line


def grid(row: Row) -> list[str]:
    """The row's texts by grid column: a cell spanning n columns fills the first and leaves n - 1 empty."""
    out: list[str] = []
    for cell in row.cells:
        out.append(_clean(cell.text))
        out.extend([""] * (cell.span - 1))
    return out


def _clean(s: str) -> str:
    return clean_space(strip_markup(fold_variants(s)))


def header_texts(block: Block) -> list[str]:
    """The first row's cells, as printed (for a warning about a table not recognised)."""
    return [c for c in grid(block.rows[0]) if c] if block.rows else []


def recognise(block: Block) -> TaskTable | None:
    """A TaskTable when one of the first rows names a content column and a lead, support or time column."""
    if block.kind != TABLE or len(block.rows) < 2:
        return None
    for h in range(min(3, len(block.rows) - 1)):
        cells = grid(block.rows[h])
        roles = {i: r for i, c in enumerate(cells) if c and (r := column_role(c))}
        if len(roles) < 2 or "content" not in roles.values():
            continue
        labels = {i: cells[i] for i in roles}
        first = h + 1
        # a second header row ("Đơn vị thực hiện" over "Chủ trì | Phối hợp"): its roles refine the spanned columns
        if first < len(block.rows):
            sub = _sub_header(block.rows[h], block.rows[first])
            if sub:
                for i, r in sub.items():
                    roles[i] = r
                    labels[i] = r
                first += 1
        found = set(roles.values())
        if not found & {"lead", "support"} and not ("time" in found and "budget" not in found):
            continue  # a budget table ("Nội dung | Thời gian | Kinh phí") says when money is spent, not who acts
        return TaskTable(block, roles, labels, first)
    return None


def continues(table: TaskTable, block: Block, gap: int = 8) -> bool:
    """Is `block` the rest of `table` after a page break (no header of its own, as many columns, right after it)?"""
    if block.kind != TABLE or not block.rows or block.line - table.block.end > gap:
        return False
    own = recognise(block)
    if own is not None:  # the header printed again on the next page
        head = [grid(r) for r in table.block.rows[: table.first_row]]
        return [grid(r) for r in block.rows[: own.first_row]] == head
    width = len(grid(table.block.rows[-1]))
    return all(len(grid(r)) == width for r in block.rows[:3])


def _sub_header(head: Row, nxt: Row) -> dict[int, str]:
    """Roles of a second header row, aligned to the spanning cells of the first (HTML leaves out the cells the
    first row's rowspan covers, so position alone does not say where they go)."""
    above, below = grid(head), grid(nxt)
    if len(below) == len(above):  # the first row's cells repeated into the second (rowspan carried down)
        sub = {i: column_role(t) for i, t in enumerate(below) if t and t != above[i]}
        if sub and all(r in (*_AGENCY_ROLES, "time") for r in sub.values()):
            return sub
    texts = [_clean(c.text) for c in nxt.cells]
    roles = [column_role(t) for t in texts]
    if not texts or not all(r in _AGENCY_ROLES + ("time",) for r in roles):
        return {}
    spanned: list[int] = []
    col = 0
    for cell in head.cells:
        if cell.span > 1:
            spanned.extend(range(col, col + cell.span))
        col += cell.span
    if len(spanned) == len(roles):
        return dict(zip(spanned, roles, strict=True))
    if len(nxt.cells) == sum(c.span for c in head.cells):
        return {i: r for i, r in enumerate(roles)}
    return {}


@dataclass
class _Group:
    label: str
    id: str
    rank: int  # 0 roman / upper letter, 1 arabic


def table_tasks(table: TaskTable, prefix: str, period: Period,
                warn: Callable[[int | None, str, str], None]) -> list[Task]:
    """One task per data row; group rows are tasks too, and the parents of the rows under them."""
    tasks: list[Task] = []
    groups: list[_Group] = []
    header = [grid(r) for r in table.block.rows[: table.first_row]]
    count = 0
    for row in table.block.rows[table.first_row:]:
        cells = grid(row)
        if not any(cells) or cells in header or all(_COLUMN_NUMBERS.match(c) for c in cells if c):
            continue
        by_role: dict[str, str] = {}
        raw: dict[str, list[str]] = {}
        for i, role in table.roles.items():
            if i < len(cells) and cells[i]:
                by_role.setdefault(role, cells[i])
                raw.setdefault(role, list(_cell_lines(row, i)))
        label = by_role.get("number", "")
        content = by_role.get("content", "")
        filled = [c for c in cells if c]
        if not content:  # a group row's title spans the row from the number column
            if len(filled) == 1:
                label, content = numbering(filled[0])
            elif label and len(filled) == 2:
                content = next(c for c in filled if c != label)
        if not content:
            continue
        if not label:
            own, rest = numbering(content)
            if own:
                label, content = own, rest
        label = label.strip(" .):")
        if label and not _ROW_LABEL.match(label):
            label = ""
        count += 1
        rank = _rank(label)
        is_group = not any(by_role.get(r) for r in ("lead", "support", "time")) and (
            len(filled) == 1 or rank == 0 or (bool(label) and len(filled) == 2))
        while groups and not _belongs(label, rank, groups[-1]):
            groups.pop()
        if is_group and groups and label and "." not in label and groups[-1].rank >= rank:
            groups.pop()
        parent = groups[-1].id if groups else prefix
        if label and "." in label:
            tid = f"{prefix}.{label}"
        elif label:
            tid = f"{parent}.{label}"
        else:
            tid = f"{parent}.{count}"
        if any(t.id == tid for t in tasks):
            tid = f"{tid}-{count}"
        lead_lines, more_support = _roles_in_cell(raw.get("lead", []))
        lead = _agencies(lead_lines, row.line, warn)
        support = _agencies([*more_support, *raw.get("support", [])], row.line, warn)
        time = None
        if by_role.get("time"):
            time = parse_time(by_role["time"], period, warn=lambda c, m, ln=row.line: warn(ln, c, m))
        fields = {table.labels[i]: cells[i] for i, r in table.roles.items()
                  if r in _FIELD_ROLES and i < len(cells) and cells[i]}
        tasks.append(Task(
            id=tid,
            parent=parent,
            heading=strip_trailing(first_sentence(content)),
            lead=lead,
            support=[a for a in support if a not in lead],
            time=time,
            text=content,
            line_start=row.line,
            line_end=row.line,
            fields=fields,
            found_by="table",
        ))
        if is_group:
            groups.append(_Group(label or str(count), tid, rank))
    return tasks


def _rank(label: str) -> int:
    """Outline rank of a row number: I / A = 0, 1 = 1, 1.2 = 2 …, a = 5; no number = 9."""
    if not label:
        return 9
    if _ROMAN.match(label) or (len(label) == 1 and label.isupper()):
        return 0
    if label[:1].isdigit():
        return 1 + label.count(".")
    return 5


def _belongs(label: str, rank: int, group: _Group) -> bool:
    """Does a row numbered `label` sit under the open group? "4.1" under "4", "1" under "I", "a" under "2"."""
    if not label:
        return True
    if "." in label:
        return label.startswith(group.label + ".")
    return rank > group.rank


def _cell_lines(row: Row, column: int) -> Iterable[str]:
    col = 0
    for cell in row.cells:
        if col == column:
            return [c for c in map(_clean, cell.lines) if c]
        col += cell.span
    return []


def _agencies(lines: list[str], line: int, warn) -> list[str]:
    """A cell's agencies: its lines are boundaries, except a line that only continues the one before it (a name
    wrapped by the page: "Sở Văn hóa, Thể thao" / "và Du lịch")."""
    merged: list[str] = []
    for x in lines:
        if merged and x[:1].islower() and not re.match(r"^(?:các|những)\s", x) and not merged[-1].endswith((";", ",")):
            merged[-1] = f"{merged[-1]} {x}"
        else:
            merged.append(x)
    out: list[str] = []
    for x in merged:
        for name in split_agencies(x):
            if name not in out:
                out.append(name)
    if merged and not out:
        warn(line, "no-agency", f"table cell names no agency I can read: {' '.join(merged)[:60]!r}")
    return out


def _roles_in_cell(lines: list[str]) -> tuple[list[str], list[str]]:
    """One "Đơn vị thực hiện" cell naming both roles: "Chủ trì: A" / "Phối hợp: B" lines, or "A chủ trì, phối hợp
    với B" → (lead lines, support lines). The role words are the column labels' (table_columns.csv)."""
    lead: list[str] = []
    support: list[str] = []
    for x in lines:
        m = _LABELLED.match(x)
        if m and column_role(m.group(1)) in _AGENCY_ROLES:
            (lead if column_role(m.group(1)) == "lead" else support).append(m.group(2))
            continue
        cut = _support_word().search(x)
        before = x[: cut.start()].rstrip() if cut else ""
        # "A chủ trì, phối hợp với B" / "A, phối hợp với B": not a name that holds the word ("Quỹ hỗ trợ …")
        if cut and before and (before.endswith((",", ";")) or _lead_word().search(before)):
            lead.append(x[: cut.start()])
            support.append(re.sub(r"^\s*(?:với|cùng)\s+", "", x[cut.end():]))
        else:
            lead.append(x)
    return [x for x in lead if x.strip(" ,;.")], [x for x in support if x.strip(" ,;.")]


_LABELLED = re.compile(r"^[-+•*]?\s*([^:]{2,40}):\s*(.+)$")


@cache
def _support_word() -> re.Pattern[str]:
    return next(r.pattern for r in column_rules() if r.role == "support")


@cache
def _lead_word() -> re.Pattern[str]:
    return next(r.pattern for r in column_rules() if r.role == "lead")


def field_rows(block: Block) -> list[tuple[int, str]] | None:
    """A table of a task's fields ("Đơn vị chủ trì | Sở X", "Thời gian | Quý I": converters make one of a run of
    field lines) as field lines [(line, "Đơn vị chủ trì: Sở X")], or None when it is not one."""
    from ttdn_graph.parse.fields import field_kind

    rows = [[c for c in grid(r) if c] for r in block.rows]
    pairs = [r for r in rows if len(r) == 2]
    if not pairs or len(pairs) < len(rows) - 1 or max((len(r) for r in rows), default=0) > 2:
        return None
    known = [r for r in pairs if field_kind(r[0]) in ("lead", "support", "time")]
    if not known or len(known) * 2 < len(pairs):
        return None
    return [(row.line, f"{r[0].rstrip(' :')}: {r[1]}") for row, r in zip(block.rows, rows, strict=True)
            if len(r) == 2]


def signature(table: Block) -> tuple[str, ...]:
    """What a table says, whatever its markup: the same table printed twice (HTML and flattened) is read once."""
    return tuple(re.sub(r"\W+", "", " ".join(grid(r)).lower()) for r in table.rows)
