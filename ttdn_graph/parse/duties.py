"""What a responsibility item says its agency must do: each duty as printed, with its line span, and the bodies it
names as partners ("phối hợp với Sở X, Sở Y …").

An item of "Tổ chức thực hiện" / "Phân công nhiệm vụ" gives its duties in one of three shapes (parse/outline.py
`_responsibilities` tells which): "Agency: duty …" (the text after the colon is a duty), a heading naming the agency
alone ("2. Phòng Văn hóa và Thông tin", its duties below), or a sentence whose subject is the agency ("Sở X phối hợp
với Sở Y cập nhật …": the predicate is a duty). In each shape every child item (bullet, lettered or numbered) is
one more duty, its own sub-items and continuation lines included; an item without children has one duty per
paragraph under it — as many duties as `_responsibilities` counts. The words around partners are data
(data/lexicon/words.csv kinds support-opener, support-list-end and support-list-last); the partners themselves are
read by parse/agencies.split_agencies, as task agencies are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from ttdn_graph.lexicon import alternation_of
from ttdn_graph.lexicon.fold import UPPER
from ttdn_graph.parse.agencies import _VERB_RX, classify, is_group, names_bodies, split_agencies
from ttdn_graph.parse.normalize import Line
from ttdn_graph.parse.text import cap_first, clean_space
from ttdn_graph.record import Duty

if TYPE_CHECKING:
    from ttdn_graph.parse.outline import Item

_OPENER = re.compile(rf"(?<!\w)(?:{alternation_of('support-opener')})\s+", re.I)
_LIST_END = re.compile(rf"\s(?:{alternation_of('support-list-end')})(?=[\s,.;:]|$)", re.I)
_LIST_LAST = re.compile(rf"(?<!\w)(?:{alternation_of('support-list-last')})(?!\w)", re.I)
_JOINER = re.compile(r"^\s*(?:,\s*|\s+và\s+)")  # the list goes on: ", Sở Y", " và các cơ quan …"
# a head word printed in lower case before the capitalised name ("sở Thông tin và Truyền thông")
_LOWER_HEAD = re.compile(rf"^(?:{alternation_of('lower-head', ' ')})\s+[{UPPER}]")
_ASSIGNING = re.compile(rf"^(?:{alternation_of('assigning-verb')})\s+")  # "Đề nghị Sở X …"
_CLAUSE_END = re.compile(r"[;.]\s|[;.]$|\(")


def _bodies(names: list[str]) -> bool:
    return bool(names) and all(classify(n) or is_group(n) for n in names)


def _opens_body(s: str) -> bool:
    s = s.lstrip()
    return names_bodies(cap_first(s) if _LOWER_HEAD.match(s) else s)


def supporting(text: str) -> list[str]:
    """The bodies a duty names as partners: each list after "phối hợp với" (and the like) up to the verb, clause end
    or linking word that closes it ("Phối hợp với Sở A và các cơ quan liên quan triển khai …" → Sở A, các cơ quan
    liên quan). A phrase after the opener that does not open with a body ("phối hợp phản bác …") names none."""
    out: list[str] = []
    for m in _OPENER.finditer(text):
        rest = text[m.end():]
        if not _opens_body(rest):
            continue
        if end := _CLAUSE_END.search(rest):
            rest = rest[: end.start()]
        if end := _LIST_END.search(rest):
            rest = rest[: end.start()]
        for last in _LIST_LAST.finditer(rest):
            after = rest[last.end():]
            joined = _JOINER.match(after)
            if after.strip() and not (joined and _opens_body(after[joined.end():])):
                rest = rest[: last.end()]
                break
        names = [n for n in split_agencies(rest) if classify(n) or is_group(n)]
        out.extend(n for n in names if n not in out)
    return out


def predicate(text: str) -> str:
    """What a sentence says its subject agencies do: "Sở X phối hợp với Sở Y cập nhật …" → "phối hợp với Sở Y cập
    nhật …" (the subject as parse/outline.py `_subject_agencies` finds it); the whole text when no agency subject
    opens it."""
    t = _ASSIGNING.sub("", text)
    for v in _VERB_RX.finditer(t):
        start = t.rfind(";", 0, v.start()) + 1
        subj = t[start : v.start()].strip(" ,")
        if start == 0 and subj and len(subj.split()) <= 30 and _bodies(split_agencies(subj)):
            return t[v.start():].strip()
        if start > 0:
            break
    return text


def _walk(it: Item) -> Iterator[Item]:
    for ch in it.children:
        yield ch
        yield from _walk(ch)


def last_line(it: Item) -> int:
    """The last line of an item with everything under it."""
    return max([it.line, it.last_line, *(max(ch.line, ch.last_line) for ch in _walk(it))])


def _duty(text: str, start: int | None, end: int | None) -> Duty | None:
    text = clean_space(text)
    return Duty(text, start, end if end is not None else start, supporting(text)) if text else None


def _child_duty(ch: Item) -> Duty | None:
    parts = [ch.text, *ch.paras]
    for sub in _walk(ch):
        parts += [sub.text, *sub.paras]
    return _duty(" ".join(parts), ch.line, last_line(ch))


def para_lines(it: Item, lines: Sequence[Line]) -> list[int | None]:
    """The line each of the item's own paragraphs starts on: the lines of its span that are not its field lines or
    its children's, matched to the paragraphs in order by their text (None where no line matches, or without
    `lines`)."""
    taken = {f[3] for f in it.fields}
    for ch in it.children:
        taken.update(range(ch.line, last_line(ch) + 1))
    end = last_line(it)
    free = [ln for ln in lines if it.line < ln.no <= end and ln.no not in taken]
    out: list[int | None] = []
    k = 0
    for para in it.paras:
        j = next((i for i in range(k, len(free)) if clean_space(free[i].text).endswith(para)), None)
        out.append(free[j].no if j is not None else None)
        k = j + 1 if j is not None else k
    return out


def item_duties(it: Item, own: str | None, lines: Sequence[Line] = ()) -> list[Duty]:
    """The duties of a responsibility item: `own` (the text after "Agency:", or the predicate of an agency
    sentence; None for a heading naming the agency alone) from the item's line, then one per child item, else one
    per paragraph; a heading with nothing under it gives its own text. Paragraphs before the first child go on with
    `own`; under a bare heading they are neither counted nor kept."""
    out: list[Duty] = []
    if own and it.children:  # the paragraphs before the first child go on with the item's own duty
        lines_of = [n for n in para_lines(it, lines) if n is not None]
        if d := _duty(" ".join([own, *it.paras]), it.line, max([it.line, *lines_of])):
            out.append(d)
    elif own and (d := _duty(own, it.line, it.line)):
        out.append(d)
    if it.children:
        out += [d for ch in it.children if (d := _child_duty(ch)) is not None]
    else:
        for para, no in zip(it.paras, para_lines(it, lines), strict=True):
            if d := _duty(para, no, no):
                out.append(d)
    if not out and (d := _duty(it.text, it.line, last_line(it))):
        out.append(d)
    return out
