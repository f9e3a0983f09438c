"""The extraction pipeline: read → normalise → header → citations → outline/fields → resolve."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from ttdn_graph.errors import ReadError
from ttdn_graph.lexicon import type_code, words
from ttdn_graph.parse.citations import find_citations, norm_number, relations, title_form
from ttdn_graph.parse.header import PREAMBLE_START, parse_header
from ttdn_graph.parse.normalize import Line, normalize_lines
from ttdn_graph.parse.outline import extract_tasks
from ttdn_graph.parse.places import UNIT_RX, trim_name
from ttdn_graph.parse.tables import TaskTable, continues, field_rows, recognise, signature
from ttdn_graph.readers.blocks import FURNITURE, HEADING, TABLE, Block, blocks_from_text
from ttdn_graph.readers.limits import FILE_TIME_LIMIT
from ttdn_graph.record import Instrument, Record
from ttdn_graph.workers import Failed, run_each

_PROPOSAL = words("proposal-opener")  # data/lexicon/words.csv (lower case)


def extract_text(text: str, source: str = "<text>", blocks: Sequence[Block] | None = None) -> Record:
    """The record of one document's text; `blocks` are its reader's (readers/blocks.py), else recognised here."""
    rec = Record(source=source)
    if blocks is None:
        blocks = blocks_from_text(text)
    furniture = {n for b in blocks if b.kind == FURNITURE for n in b.lines()}
    tables, copies, others = task_tables(blocks)
    in_tables = {n for b in [*(t.block for t in tables), *copies] for n in b.lines()}
    headings = {b.line: b.level for b in blocks if b.kind == HEADING}
    as_fields = {b: rows for b in others if (rows := field_rows(b))}
    skip = furniture | {n for b in as_fields for n in b.lines()}
    lines = normalize_lines(text, skip=skip, headings=headings)
    if as_fields:  # a table of one task's fields reads as its field lines, where it is printed
        lines = sorted([*lines, *(Line(no, t) for rows in as_fields.values() for no, t in rows)], key=lambda ln: ln.no)
        others = [b for b in others if b not in as_fields]
    if not lines:
        rec.warn(None, "empty", "the document has no text")
        return rec
    rec.plan, body_start = parse_header(lines, rec)
    preamble_end = _preamble_end(lines, body_start)
    _instruments(lines, body_start, preamble_end, rec, in_tables)
    outline = [ln for ln in lines if ln.no not in in_tables]
    start = next((i for i, ln in enumerate(outline) if ln.no >= lines[preamble_end].no), len(outline)) \
        if preamble_end < len(lines) else len(outline)
    extract_tasks(outline, start, rec.plan.period, rec, tables=tables, others=others)
    return rec


def task_tables(blocks: Sequence[Block]) -> tuple[list[TaskTable], list[Block], list[Block]]:
    """The task tables among the blocks (each table once, however often it is printed), the second printings,
    and the other tables."""
    found: list[TaskTable] = []
    copies: list[Block] = []
    others: list[Block] = []
    seen: set[tuple[str, ...]] = set()
    for b in blocks:
        if b.kind != TABLE:
            continue
        sig = signature(b)
        if sig in seen:
            copies.append(b)
            continue
        if found and continues(found[-1], b):  # the rest of the table after a page break
            last = found[-1]
            found[-1] = TaskTable(Block(TABLE, last.line, b.end, rows=last.block.rows + b.rows),
                                  last.roles, last.labels, last.first_row)
            seen.add(sig)
            continue
        t = recognise(b)
        if t is None:
            others.append(b)
            continue
        seen.add(sig)
        found.append(t)
    return found, copies, others


def _preamble_end(lines, body_start: int) -> int:
    from ttdn_graph.parse.outline import _caps_section, _classify_line

    for i in range(body_start, len(lines)):
        if _classify_line(lines[i].text)[0] == "section" or (
                i > body_start and (lines[i].heading or _caps_section(lines[i].text))
                and not PREAMBLE_START.match(lines[i].text)):
            return i
    for i in range(body_start, len(lines)):
        if _classify_line(lines[i].text)[0] == "num":
            return i
    # no outline at all: the preamble is the run of "Căn cứ / Thực hiện / Xét …" lines after the title
    i = body_start
    while i < len(lines) and PREAMBLE_START.match(lines[i].text):
        i += 1
    return i


def _instruments(lines, body_start: int, preamble_end: int, rec: Record, in_tables: set[int]) -> None:
    body = lines[body_start:]
    cites = [c for c in find_citations(body) if not _is_self(c, rec)]
    pre_lines = {ln.no for ln in lines[body_start:preamble_end]}
    proposal_lines = {ln.no for ln in lines[body_start:preamble_end] if ln.text.lower().startswith(_PROPOSAL)}
    closing = _closing_line(lines)
    by_key: dict[str, Instrument] = {}
    order: list[str] = []
    keys: list[str | None] = []
    for c in cites:
        if closing is not None and c.line >= closing and c.line not in in_tables:  # an annex table still counts
            keys.append(None)
            continue
        role = "proposal" if c.line in proposal_lines else "basis" if c.line in pre_lines else "body"
        k = c.key
        keys.append(k)
        for code, msg in c.notes:
            rec.warn(c.line, code, msg)
        inst = by_key.get(k)
        if inst is None:
            issuer = _complete_issuer(c.issuer, rec)
            inst = Instrument(
                type=c.type or "Văn bản",
                number=c.number,
                name=c.name,
                date=c.date,
                issuer=issuer,
                line=c.line,
                printed=c.printed,
            )
            by_key[k] = inst
            order.append(k)
        else:
            if c.date and inst.date and c.date != inst.date:
                rec.warn(c.line, "date-mismatch", f"{inst.number}: dated {inst.date} and {c.date} in the same text")
            inst.date = inst.date or c.date
            inst.issuer = inst.issuer or _complete_issuer(c.issuer, rec)
        if c.title and inst.title is None and inst.number:  # a named instrument's name is its title already
            inst.title, inst.title_printed = title_form(c.title), c.title
            inst.title_line = c.title_line
        if role not in inst.cited_as:
            inst.cited_as.append(role)
    for i, rel, j in relations(cites):
        if keys[i] is None or keys[j] is None:
            continue
        a, b = by_key[keys[i]], by_key[keys[j]]
        target = f"{type_code(b.type)}|{b.number or b.name}"
        lst = a.implements if rel == "implements" else a.amends
        if target not in lst and a is not b:
            lst.append(target)
    for inst in by_key.values():
        inst.cited_as.sort(key=["basis", "proposal", "body"].index)
    rec.instruments = [by_key[k] for k in order]


def _is_self(c, rec: Record) -> bool:
    """The plan citing its own number ("Kế hoạch này", a self-reference) — unless the citation names another
    unit's issuer: a district's 84/KH-UBND may cite its province's 84/KH-UBND."""
    if not (c.number and rec.plan.number) or norm_number(c.number) != norm_number(rec.plan.number):
        return False
    if not c.issuer:
        return True
    m = UNIT_RX.search(c.issuer)
    return not (m and trim_name(m.group("name")) not in ("", rec.plan.jurisdiction.name))


def _complete_issuer(issuer: str | None, rec: Record) -> str | None:
    """'Ủy ban nhân dân tỉnh' in a plan → that plan's province ('… tỉnh Hải Dương')."""
    if not issuer:
        return None
    j = rec.plan.jurisdiction
    if issuer in ("Ủy ban nhân dân tỉnh", "Hội đồng nhân dân tỉnh", "Tỉnh ủy"):
        prov = j.parent if j.parent else (j.name if j.level == "tỉnh" else None)
        if prov:
            return f"{issuer} {prov}"
    return issuer


def _closing_line(lines) -> int | None:
    for ln in lines:
        if ln.text.startswith(("Nơi nhận", "Nơi nhận:")):
            return ln.no
    return None


def extract_file(path: str | Path) -> Record:
    """Read any supported document and extract its record (ReadError for unreadable input)."""
    return extract_document(path)[0]


def extract_document(path: str | Path) -> tuple[Record, str]:
    """The record of a document and the text it was extracted from (`SourceDocument.text`: the lines its facts
    cite), for the loader, which keeps that text beside the facts."""
    from ttdn_graph.readers import read_document

    doc = read_document(path)
    rec = extract_text(doc.text, doc.name, doc.blocks)
    rec.sha256 = doc.sha256
    rec.format = doc.format
    return rec, doc.text


def extract_files(files: Sequence[Path], *, jobs: int = 1,
                  time_limit: float | None = FILE_TIME_LIMIT) -> Iterator[tuple[Path, Record | ReadError]]:
    """Each file's record, or the ReadError saying why there is none, in order. Every file is read in a worker
    process (ttdn_graph.workers) that is stopped after `time_limit` seconds, so one file never blocks the rest."""
    for path, out in run_each(_extract_one, [str(f) for f in files], jobs=jobs, time_limit=time_limit):
        if isinstance(out, Record):
            yield Path(path), out
        elif isinstance(out, Failed):
            yield Path(path), ReadError(path, out.reason)
        else:
            yield Path(path), ReadError(path, out[1], out[0])


def _extract_one(path: str) -> Record | tuple[int | None, str]:
    """Worker: the record, or (line, reason) — plain data, as a ReadError does not survive pickling."""
    try:
        return extract_file(path)
    except ReadError as e:
        return e.line, e.reason
    except Exception as e:  # noqa: BLE001 - one bad document must not stop the batch
        return None, f"could not extract ({type(e).__name__}: {e})"
