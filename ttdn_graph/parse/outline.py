"""The plan's outline: sections, numbered / lettered / bulleted items, their field lines → tasks and
responsibilities."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ttdn_graph.lexicon import alternation_of, section_kind, section_rules
from ttdn_graph.parse.agencies import _VERB_RX, classify, is_group, split_agencies
from ttdn_graph.parse.fields import agency_colon, split_field
from ttdn_graph.parse.normalize import Line
from ttdn_graph.parse.tables import TaskTable, table_tasks
from ttdn_graph.parse.text import clean_space, first_sentence, is_upper_text, strip_trailing
from ttdn_graph.parse.timeexpr import parse_time
from ttdn_graph.readers._common import to_roman
from ttdn_graph.readers.blocks import Block
from ttdn_graph.record import Period, Record, Responsibility, Task

_ROMAN = re.compile(r"^(?P<label>[IVX]{1,5})\s*[.)/\-–:]\s*(?P<text>.*)$")
_SECTION_LETTER = re.compile(r"^(?P<label>[A-E])\s*[.)]\s*(?P<text>[A-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ][A-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ ,\-–]{3,})$")
_NUM = re.compile(r"^(?P<label>\d{1,2}(?:\.\d{1,2}){1,3})\.?\)?\s+(?P<text>.*)$|^(?P<label1>\d{1,2})\s*[.)]\s*(?P<text1>.*)$")
_LETTER = re.compile(r"^(?P<label>[a-zđ])\s*[).]\s+(?P<text>.*)$")
_BULLET = re.compile(r"^(?P<m1>[-–•+*·])\s*(?:(?P<m2>[-–•+*·])\s*)?(?P<text>.*)$")
# the words are data (data/lexicon/words.csv, by kind); the patterns around them are here
_CLOSING = re.compile(
    rf"^(?:{alternation_of('closing')}|(?:{alternation_of('people-body', ' ')})\s+\S+\s+yêu\s+cầu)", re.I
)
_ASSIGNING = re.compile(rf"^(?:{alternation_of('assigning-verb')})\s+")  # "Đề nghị Sở X …", "Giao …"
_CONTENT_LABEL = re.compile(alternation_of("content-label", " "), re.I)
_ANNEX = re.compile(rf"\b(?:{alternation_of('annex-word', ' ')})\b", re.I)  # "Phụ lục kèm theo"
_ANNEX_HEADING = re.compile(rf"^(?:{alternation_of('annex-word', ' ')})\b", re.I)  # the annex's own title line

@dataclass
class Item:
    kind: str  # section | num | letter | bullet
    label: str
    depth: int  # bullets: marker depth (1 "-", 2 "+" or "- +")
    text: str
    line: int
    level: float = 0
    id: str = ""
    parent: Item | None = None
    children: list[Item] = field(default_factory=list)
    paras: list[str] = field(default_factory=list)
    fields: list[tuple[str, str, str, int]] = field(default_factory=list)  # kind, label, value, line
    last_line: int = 0
    is_task: bool = True
    section_kind: str = ""
    open_field: tuple[str, str, str, int] | None = None
    agency_lead: list[str] = field(default_factory=list)


_PART = re.compile(r"^(?:Phần|PHẦN|Mục|MỤC)\s+(?P<label>[IVX]{1,5}|\d{1,2})\s*[.:\-–]?\s*(?P<text>.*)$")


def _classify_line(text: str):
    if m := _PART.match(text):
        return "section", m.group("label"), 0, m.group("text")
    if m := _ROMAN.match(text):
        return "section", m.group("label"), 0, m.group("text")
    if m := _SECTION_LETTER.match(text):
        return "section", m.group("label"), 0, m.group("text")
    if m := _NUM.match(text):
        label = m.group("label") or m.group("label1")
        return "num", label, 0, (m.group("text") if m.group("label") else m.group("text1")) or ""
    if m := _LETTER.match(text):
        return "letter", m.group("label"), 0, m.group("text")
    if m := _BULLET.match(text):
        depth = 2 if (m.group("m2") or m.group("m1") in "+·") else 1
        return "bullet", m.group("m1"), depth, m.group("text")
    return "para", "", 0, text


def heading_kinds(lines: list[Line]) -> dict[int, str]:
    """What an unnumbered heading of each level is, judged from the numbered headings of the same document (a
    converter's levels are uneven: "## II." beside "## 2."): the kind most numbered headings of that level have;
    a level above every section is a section, any other an item; with no numbered headings, the top level present
    is the sections'."""
    seen: dict[int, list[str]] = {}
    levels = sorted({ln.heading for ln in lines if ln.heading})
    for ln in lines:
        if ln.heading:
            kind = _classify_line(ln.text)[0]
            if kind in ("section", "num"):
                seen.setdefault(ln.heading, []).append(kind)
    if not levels:
        return {}
    out: dict[int, str] = {}
    top_section = min((lv for lv, ks in seen.items() if "section" in ks), default=None)
    for lv in levels:
        kinds = seen.get(lv)
        if kinds:
            out[lv] = max(("section", "num"), key=kinds.count)
        elif top_section is not None:
            out[lv] = "section" if lv <= top_section else "num"
        else:
            out[lv] = "section" if lv == levels[0] or (seen and lv < min(seen)) else "num"
    return out


def _caps_section(text: str) -> bool:
    """An unnumbered upper-case line naming a section ("NỘI DUNG HOẠT ĐỘNG", "TỔ CHỨC THỰC HIỆN")."""
    if len(text) > 120 or text != text.upper() or " " not in text.strip() or not is_upper_text(text):
        return False  # the cheap tests first: this runs on every paragraph line
    return any(r.pattern.search(text) for r in section_rules())


def build_outline(lines: list[Line], start: int, rec: Record) -> list[Item]:
    """Group body lines into a tree of items (sections at the top)."""
    root = Item("root", "", 0, "", 0, level=-1)
    sections: list[Item] = []
    stack: list[Item] = [root]
    cur_section: Item | None = None
    by_level = heading_kinds(lines[start:])
    for ln in lines[start:]:
        if _CLOSING.match(ln.text):
            break
        kind, label, depth, text = _classify_line(ln.text)
        text = clean_space(text)
        if kind in ("para", "bullet") and (ln.heading or _caps_section(text)):
            # a heading without its numeral: its level (or its words) say what it is; the numeral is supplied
            kind = by_level.get(ln.heading, "section") if ln.heading else "section"
            text = clean_space(ln.text)
            if kind == "section":
                label = to_roman(len(sections) + 1).upper()
            else:
                siblings = [c for c in (cur_section.children if cur_section else []) if c.kind == "num"]
                label = str(len(siblings) + 1)
        if kind == "section":
            it = Item("section", label, 0, text, ln.no, level=0, id=label, parent=root)
            it.section_kind = section_kind(text)
            sections.append(it)
            cur_section = it
            stack = [root, it]
            continue
        if cur_section is None:
            continue  # preamble (handled elsewhere)
        if kind == "num":
            lvl = label.count(".") + 1
            while stack[-1].kind not in ("root", "section") and not (stack[-1].kind == "num" and stack[-1].level < lvl):
                stack.pop()
            parent = stack[-1]
            it = Item("num", label, 0, text, ln.no, level=lvl, parent=parent)
            parent.children.append(it)
            stack.append(it)
            continue
        if kind == "letter":
            while stack[-1].kind in ("bullet", "letter"):
                stack.pop()
            parent = stack[-1]
            it = Item("letter", label, 0, text, ln.no, level=parent.level + 0.5, parent=parent)
            parent.children.append(it)
            stack.append(it)
            continue
        # field lines, bullets and paragraphs attach to the innermost open item
        container = next(x for x in reversed(stack) if x.kind != "bullet")
        last_bullet = stack[-1] if stack[-1].kind == "bullet" else None
        # a field line under a bullet (deeper bullet or plain line) belongs to that bullet, else to the item
        deeper = kind == "para" or (kind == "bullet" and last_bullet is not None and depth > last_bullet.depth)
        target = last_bullet if last_bullet is not None and deeper else container
        f = split_field(text) if kind in ("bullet", "para") else None
        if f is None and kind in ("bullet", "para") and target.fields:
            f = _unknown_field(text)  # among an item's field lines, "- Chỉ số đánh giá: …" is one more field
        if f:
            fkind, flabel, fvalue = f
            entry = (fkind, flabel, fvalue, ln.no)
            target.fields.append(entry)
            target.open_field = entry if not fvalue else None
            target.last_line = ln.no
            if target is container and last_bullet is not None:
                stack.pop()
            continue
        if kind == "bullet" and depth == 1 and container.open_field is None:
            while stack[-1].kind == "bullet":
                stack.pop()
            it = Item("bullet", label, depth, text, ln.no, level=container.level + 0.25, parent=container)
            container.children.append(it)
            stack.append(it)
            continue
        # deeper bullets and paragraphs: content of the open field, else continuation text
        holder = last_bullet or container
        if kind == "bullet" and holder.open_field is None and container.open_field is not None:
            holder = container
        if holder.open_field is not None:
            holder.paras.append(text)
        else:
            holder.paras.append(text)
        holder.last_line = ln.no
    return sections


_SHORT_LABEL = re.compile(r"^(?P<label>[^:;,.()]{2,40}?)\s*:\s*(?P<value>.+)$")


def _unknown_field(text: str) -> tuple[str, str, str] | None:
    """A short "Label: value" line that is not "Agency: duty" — a field the vocabulary does not know."""
    m = _SHORT_LABEL.match(text)
    if not m or len(m.group("label").split()) > 6 or agency_colon(text):
        return None
    return "other", m.group("label").strip(), m.group("value").strip()


def _assign_ids(sections: list[Item]) -> None:
    for sec in sections:
        _ids_under(sec, sec.id)


def _ids_under(node: Item, base: str) -> None:
    n_bullet = 0
    for ch in node.children:
        if ch.kind == "num":
            ch.id = f"{node.id.split('.')[0] if node.kind == 'section' else base.split('.')[0]}.{ch.label}"
            # numbering restarts under lettered items rarely; keep the document's own path
            if node.kind == "letter":
                ch.id = f"{node.id}.{ch.label}"
        elif ch.kind == "letter":
            ch.id = f"{node.id}.{ch.label}"
        else:
            n_bullet += 1
            ch.id = f"{node.id}-{n_bullet}"
        _ids_under(ch, ch.id)


def _walk(node: Item):
    for ch in node.children:
        yield ch
        yield from _walk(ch)


def _heading(text: str) -> str:
    return strip_trailing(first_sentence(text))


def _subject_agencies(text: str, allow_groups: bool) -> list[str]:
    """Agencies in the subject of a sentence ('Sở X phối hợp …'), or [] when the subject is not agencies."""
    t = _ASSIGNING.sub("", text)
    for v in _VERB_RX.finditer(t):
        start = t.rfind(";", 0, v.start()) + 1
        subj = t[start : v.start()].strip(" ,")
        if not subj or len(subj.split()) > 30:
            continue
        first = subj.lstrip()
        if not allow_groups and not (first[:1].isupper() and classify(first)):
            return []
        names = split_agencies(subj)
        if names and all(classify(n) or is_group(n) for n in names):
            return names
        if start == 0 and not allow_groups:
            return []
    return []


def _whole_agencies(text: str) -> list[str]:
    t = strip_trailing(_ASSIGNING.sub("", text))
    if _VERB_RX.search(t) or len(t.split()) > 25:
        return []
    names = split_agencies(t)
    return names if names and all(classify(n) or is_group(n) for n in names) else []


def extract_tasks(lines: list[Line], start: int, period: Period, rec: Record,
                  tables: Sequence[TaskTable] = (), others: Sequence[Block] = ()) -> None:
    sections = build_outline(lines, start, rec)
    if not sections and not tables:
        rec.warn(lines[start].no if start < len(lines) else None, "no-sections",
                 "no outline found: no numbered sections (I., Phần I, Mục 1), section headings or task table")
    _assign_ids(sections)
    for sec in sections:
        if sec.section_kind == "activity":
            for it in _walk(sec):
                rec.tasks.append(_task(it, period, rec))
        elif sec.section_kind == "responsibility":
            _responsibilities(sec, rec, lines)
    for t in tables:
        rec.tasks.extend(table_tasks(t, _table_prefix(t, sections, lines, start), period, rec.warn))
    if not rec.tasks:
        _why_no_tasks(lines, start, sections, others, rec)


def _table_prefix(table: TaskTable, sections: list[Item], lines: list[Line], start: int) -> str:
    """The id a task table's rows hang under: the section it is printed in, else (an annex: after the signature
    block or under an annex heading) the activity section that points to it or has no items of its own, else "PL"
    (phụ lục)."""
    body_end = next((ln.no for ln in lines[start:] if _CLOSING.match(ln.text)), None)
    activity = [s for s in sections if s.section_kind == "activity"]
    pointing = [s for s in activity if _ANNEX.search(" ".join([s.text, *s.paras]))]
    empty = [s for s in activity if not s.children]
    inside = [s for s in sections if s.line <= table.line]
    if inside and (body_end is None or table.line < body_end):
        between = [ln for ln in lines if inside[-1].line < ln.no < table.line]
        own = inside[-1]
        # in an activity section, or in another with no activity section pointing elsewhere: printed where it is
        if not any(_ANNEX_HEADING.match(ln.text) for ln in between) and (
                own.section_kind == "activity" or not (pointing or empty)):
            return own.id
    for group in (pointing, empty):
        if group:
            return group[0].id
    return "PL"


def _why_no_tasks(lines: list[Line], start: int, sections: list[Item], others: Sequence[Block],
                  rec: Record) -> None:
    """Say why a document gave no task: an annex that is not in the file, a table whose columns were not
    recognised, or no activity section."""
    from ttdn_graph.parse.tables import header_texts

    annex = next((ln for ln in lines[start:] if _ANNEX.search(ln.text)), None)
    tables = [b for b in others if len(b.rows) >= 2 and len(header_texts(b)) >= 3]
    for b in tables:
        rec.warn(b.line, "table-not-recognised",
                 "a table whose columns were not recognised: " + " | ".join(header_texts(b))[:160])
    if annex is not None and not tables:
        rec.warn(annex.no, "annex-missing", f"tasks referred to an annex that is not in the file: {annex.text[:100]!r}")
    elif sections and not any(s.section_kind == "activity" for s in sections):
        rec.warn(sections[0].line, "no-activity-section",
                 "no section of activities (Nội dung, Nhiệm vụ, Giải pháp …): headings were "
                 + "; ".join(s.text[:40] for s in sections[:6]))


def _task(it: Item, period: Period, rec: Record) -> Task:
    lead: list[str] = []
    support: list[str] = []
    time = None
    extra: dict[str, str] = {}
    heading_text = it.text
    own = split_field(it.text) if it.kind in ("num", "letter") else None
    fields = list(it.fields)
    if own:
        fields.insert(0, (own[0], own[1], own[2], it.line))
    colon = agency_colon(it.text) if not own else None
    if colon:
        lead.extend(colon[0])
    elif it.kind in ("bullet", "letter") and not any(f[0] == "lead" for f in fields):
        lead.extend(_subject_agencies(it.text, allow_groups=False))
    for kind, label, value, line_no in fields:
        if kind in ("lead", "support"):
            names = split_agencies(value)
            (lead if kind == "lead" else support).extend(n for n in names if n not in lead + support)
            if not names and value:
                rec.warn(line_no, "no-agency", f"field {label!r} names no agency I can read: {value[:60]!r}")
        elif kind == "time":
            time = parse_time(value, period, warn=lambda c, m, ln=line_no: rec.warn(ln, c, m))
        else:
            extra[label] = value
            if not _CONTENT_LABEL.search(label):
                rec.warn(line_no, "unknown-field", f"field {label!r} kept as text")
    parent = it.parent.id if it.parent is not None else None
    body = " ".join([it.text, *it.paras])
    return Task(
        id=it.id,
        parent=parent,
        heading=_heading(heading_text),
        lead=lead,
        support=support,
        time=time,
        text=clean_space(body),
        line_start=it.line,
        line_end=max(it.last_line, it.line),
        fields=extra,
        found_by="fields" if any(f[0] in ("lead", "support", "time") for f in fields) else "outline",
    )


def _responsibilities(sec: Item, rec: Record, lines: Sequence[Line] = ()) -> None:
    from ttdn_graph.parse.duties import item_duties, predicate

    for it in sec.children:
        if it.kind not in ("num", "letter"):
            continue
        colon = agency_colon(it.text)  # "Ủy ban nhân dân các huyện: Xây dựng kế hoạch …"
        names = [] if colon else _whole_agencies(it.text)
        if colon:
            names = colon[0]
            duties = (1 if colon[1].strip() else 0) + (len(it.children) or len(it.paras)) or 1
            own = colon[1]
        elif names:
            duties = len(it.children) or len(it.paras) or 1
            own = None
        else:
            names = _subject_agencies(it.text, allow_groups=True)
            duties = 1 + (len(it.children) or len(it.paras))
            own = predicate(it.text)
        if not names:
            rec.warn(it.line, "no-agency", f"responsibility item {sec.id}.{it.label} names no agency I can read")
            continue
        items = item_duties(it, own, lines)  # the duties themselves (parse/duties.py), one list per item
        for n in names:
            rec.responsibilities.append(Responsibility(n, f"{sec.id}.{it.label}", duties, it.line, list(items)))
