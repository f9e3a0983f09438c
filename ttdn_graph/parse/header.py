"""The plan's header: number, place and date, issuer, title and period, jurisdiction, signer."""

from __future__ import annotations

import re

from ttdn_graph.lexicon import (
    alternation_of,
    expand_abbreviations,
    match_type,
    party_committees,
    phrase_pattern,
    position_in,
    words,
)
from ttdn_graph.lexicon.fold import UPPER
from ttdn_graph.parse.citations import SYMBOL, SYMBOL_RX, clean_symbol
from ttdn_graph.parse.dates import iso
from ttdn_graph.parse.normalize import Line
from ttdn_graph.parse.places import (
    LEVELS,
    PLACE_NAME,
    SUB_PROVINCIAL,
    UNIT_RX,
    enclosing_province,
    level_of,
    trim_name,
    unit_in_caps,
)
from ttdn_graph.parse.text import cap_first, clean_space, is_upper_text, sentence_case, strip_trailing
from ttdn_graph.record import Jurisdiction, Period, PlanHeader, Record, Signer

# the words are data (data/lexicon/words.csv, by kind); the patterns around them are here
PREAMBLE_START = re.compile(rf"^(?:{alternation_of('preamble-opener')})\b", re.I)
OUTLINE_START = re.compile(r"^(?:[IVX]+\s*[.\-/)]|\d+\.\s|Phần\s+[IVX\d]+)", re.I)
_TITLE_WORD = re.compile(rf"(?<![\wÀ-ỹ])(?:{alternation_of('title-word')})(?![\wÀ-ỹ])")  # upper case only
# other programme documents that carry TTĐN tasks, tried when no "KẾ HOẠCH" heading is found
_OTHER_TITLE_WORD = re.compile(rf"(?<![\wÀ-ỹ])(?:{alternation_of('other-title-word')})(?![\wÀ-ỹ])")
# "Số:", with the typos headers carry ("Sô:", "SỐ :", "So:")
_NUMBER = re.compile(rf"(?<![\w])(?:S[ốôoóổ]|SỐ|SÔ)(?:\s+(?:ký\s+)?hiệu)?\s*[:.]?\s*{SYMBOL}")
_DATE_LINE = re.compile(
    rf"(?<![\w/\-])(?P<place>(?:TP\.?\s*)?{PLACE_NAME})\s*,\s*ng[àa]y\s+(?:(?P<d>\d{{1,2}}|[.…\s]*)\s*tháng\s+"
    r"(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})|(?P<d2>\d{1,2})\s*[/.\-]\s*(?P<m2>\d{1,2})\s*[/.\-]\s*(?P<y2>\d{4}))",
)
_ISSUED_PANEL = re.compile(r"Ngày\s+ban\s+hành\s*:\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})", re.I)
_ISSUER_PREAMBLE = re.compile(
    rf"(?P<body>(?:{alternation_of('people-body', ' ')})\s+(?P<level>{'|'.join(LEVELS)})"
    rf"(?:\s+(?P<name>{PLACE_NAME}))?)(?:\s*\([^)]*\))?\s+(?:{alternation_of('issuing-verb')})",
)
# "<Agency> ban hành Kế hoạch <title> như sau:": the plan's own issuing sentence (the verb, then the plan's word)
_ISSUING = re.compile(
    rf"(?<![\w])(?:{alternation_of('issuing-verb')})\s+"
    rf"(?i:{alternation_of('title-word')}|{alternation_of('other-title-word')})(?![\w])(?!\s*(?:số|\d))"
)
_ISSUING_END = re.compile(rf"\s*,?\s*(?:{alternation_of('issuing-end')})(?![\w])|\s*[:;\n]|\.(?:\s|$)", re.I)
_CLAUSE_START = re.compile(r"[,;:\n]|\.\s")
_CARRY_OUT = re.compile(rf"(?<![\w])(?:{alternation_of('carry-out-verb')})(?![\w])", re.I)
_CARRY_OUT_END = re.compile(rf"(?<![\w])(?:{alternation_of('carry-out-verb')})$", re.I)
_NOT_A_TITLE_START = frozenset(w.casefold() for w in words("not-a-name-start"))
# a body of a unit named in the preamble: "… của Ủy ban nhân dân tỉnh Quảng Trị"
_BODY_UNIT = re.compile(rf"(?:{alternation_of('people-body')})\s+(?P<level>{'|'.join(LEVELS)})\s+(?P<name>{PLACE_NAME})")
_PANEL_TITLE = re.compile(rf"^(?i:{alternation_of('panel-title-label')})\s*:\s*(?P<title>.+)$")
_UNTIL = re.compile(rf"(?i:{alternation_of('until-word')})\s+năm\s+((?:19|20)\d\d)(?!\d)")
_VISION = re.compile(rf"(?i:{alternation_of('vision-word')})\s+{_UNTIL.pattern}")
_MOTTO = re.compile(rf"(?i:{alternation_of('national-motto')})")
_PERSON = re.compile(r"^(?:[A-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ][a-zà-ỹđ]+)(?:\s+[A-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ][a-zà-ỹđ]+){1,4}$")
_UNIT_HEAD = re.compile(rf"^(?:{alternation_of('unit-head', ' ')})\b")


_BODY_OPENER = re.compile(rf"\b(?:{alternation_of('body-opener')})\b")
_PREAMBLE_CLAUSE = re.compile(rf"^(?:{alternation_of('preamble-clause')})\b", re.I)


def find_title(lines: list[Line]) -> tuple[int, str, int] | None:
    """Index of the "KẾ HOẠCH" line (or another programme heading) and the title text that follows it."""
    return _find_title(lines, _TITLE_WORD) or _find_title(lines, _OTHER_TITLE_WORD)


_TITLE_LINES = 4  # a title runs over at most this many lines


def _find_title(lines: list[Line], word: re.Pattern) -> tuple[int, str, int] | None:
    for i, ln in enumerate(lines[:200]):
        if _opens_preamble(ln.text):
            return None  # the title comes before the preamble: a heading further on is not the plan's title
        m = word.search(ln.text)
        if not m or re.match(r"\s*(?:số|\d)", ln.text[m.end() :], re.I) or _ends_heading(ln, m):
            continue
        rest = clean_space(ln.text[m.end() :]).lstrip(":|- ")
        parts: list[str] = []
        if rest:
            cut = _BODY_OPENER.search(rest)
            parts.append((rest[: cut.start()] if cut else rest).split(" | ")[0])
        j = i + 1
        while j < len(lines):
            nxt = lines[j].text
            if parts:
                if len(parts) >= _TITLE_LINES or not _continues_title(nxt, parts):
                    break
            elif OUTLINE_START.match(nxt) or (PREAMBLE_START.match(nxt) and not _title_like(nxt)):
                break
            parts.append(nxt)
            j += 1
        title = clean_space(" ".join(parts)).strip(" |")
        if title:
            return i, title, j
    return None


def _opens_preamble(s: str) -> bool:
    """A preamble clause: "Thực hiện / Căn cứ / Theo … <a cited symbol>", or "Căn cứ / Xét …" closed by ';' or ','."""
    if not PREAMBLE_START.match(s):
        return False
    return bool(SYMBOL_RX.search(s) or (_PREAMBLE_CLAUSE.match(s) and re.search(r"[;,]\s*$", s)))


def _ends_heading(ln: Line, m: re.Match) -> bool:
    """ "TỔ CHỨC THỰC HIỆN KẾ HOẠCH", "III. KINH PHÍ THỰC HIỆN KẾ HOẠCH": the title word as the last word of a
    heading (an outline item, a reader's heading, the object of a carry-out verb) is not the plan's title."""
    before, after = ln.text[: m.start()].strip(), ln.text[m.end() :].strip(" .:")
    if not before or after:
        return False
    return bool(OUTLINE_START.match(ln.text) or ln.heading or _CARRY_OUT_END.search(before))


def _title_like(s: str) -> bool:
    """The line right under "KẾ HOẠCH" opening with "Triển khai …"/"Thực hiện …" is the title, not the preamble,
    unless it reads like a preamble clause (Căn cứ / Xét, a closing ';' or ',', "ban hành Kế hoạch")."""
    if _PREAMBLE_CLAUSE.match(s) or len(s) > 300:
        return False
    return not re.search(r"[;,:]\s*$|ban\s+hành\s+(?:kế\s+hoạch|Kế\s+hoạch)|như\s+sau", s)


def _title_start(line: str) -> int:
    m = _TITLE_WORD.search(line) or _OTHER_TITLE_WORD.search(line)
    return m.start() if m else 0


def _continues_title(s: str, parts: list[str]) -> bool:
    if OUTLINE_START.match(s) or "|" in s or len(s) > 160:
        return False
    upper = is_upper_text(s)
    if PREAMBLE_START.match(s) and not (upper and is_upper_text(parts[-1])):
        return False  # "THEO …", "THỰC HIỆN …" in capitals under a title in capitals go on with it
    return upper == is_upper_text(parts[-1]) and not parts[-1].rstrip().endswith(".")


_PARTY_LEVEL = {c.split()[0].capitalize(): lw for c, lw in party_committees().items()}  # "Thị" → "thị xã"
_PARTY_UNIT = re.compile(rf"\b({'|'.join(_PARTY_LEVEL)}) ủy\s+(?P<name>{PLACE_NAME})")


def _unit_from(s: str) -> tuple[str, str] | None:
    m = _PARTY_UNIT.search(s)  # "Tỉnh ủy Bắc Giang": the Party committee of the province
    if m and not UNIT_RX.search(s[: m.start()]):
        return _PARTY_LEVEL[m.group(1)], trim_name(m.group("name"))
    best = None
    for m in UNIT_RX.finditer(s):
        name = trim_name(m.group("name"))
        if name and not name.isupper():
            best = (m.group("level").lower(), name)
            break
    return best


def _titlecase_place(s: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() if w.isupper() else w for w in s.split(" "))


def parse_header(lines: list[Line], rec: Record) -> tuple[PlanHeader, int]:
    """Returns the header and the index of the first line after it (where the preamble starts)."""
    hdr = PlanHeader()
    t = find_title(lines)
    if t is None:
        title_idx, title = -1, None
        body_start = 0
    else:
        title_idx, title, body_start = t
        while body_start < len(lines) and not (
            PREAMBLE_START.match(lines[body_start].text) or OUTLINE_START.match(lines[body_start].text)
        ):
            if lines[body_start].text in (title or "") or body_start > title_idx + 3:
                body_start += 1 if lines[body_start].text in (title or "") else 0
                if body_start > title_idx + 3:
                    break
            else:
                body_start += 1
    if title_idx >= 0:
        zone_lines = lines[: title_idx + 1]
    else:  # no title line: the header is whatever precedes the preamble
        first = next((i for i, ln in enumerate(lines[:80]) if PREAMBLE_START.match(ln.text)), 0)
        zone_lines = lines[:first]
        body_start = first
    zone = "\n".join(ln.text for ln in zone_lines).replace("|", "\n")
    if title_idx >= 0:
        same = lines[title_idx].text
        zone_before_title = zone[: len(zone) - len(same) + (_title_start(same) if same else 0)]
    else:
        zone_before_title = zone

    # number: the last "Số:" before the title (website panels come first)
    nums = list(_NUMBER.finditer(zone_before_title))
    if nums:
        m = nums[-1]
        hdr.number = clean_symbol(m.group("num"), m.group("year"), m.group("sep"), m.group("codes"))

    # place and date
    dates = list(_DATE_LINE.finditer(zone_before_title))
    if dates:
        m = dates[-1]
        hdr.place = re.sub(r"^TP\.?\s*", "", clean_space(m.group("place")))
        d = (m.group("d") or m.group("d2") or "").strip(" .…")
        if d.isdigit():
            hdr.date_issued = iso(int(m.group("y") or m.group("y2")), int(m.group("m") or m.group("m2")), int(d))
            if hdr.date_issued is None:
                rec.warn(_line_no(zone_lines, m.group(0)), "bad-date", f"header date {m.group(0)!r} is not a date")
        else:
            rec.warn(_line_no(zone_lines, m.group(0)), "no-day", f"header date {m.group(0)!r} has no day")
    else:  # a website's metadata panel: "Ngày ban hành: 14/03/2023"
        pm = _ISSUED_PANEL.search(zone_before_title)
        if pm:
            hdr.date_issued = iso(int(pm.group(3)), int(pm.group(2)), int(pm.group(1)))

    # the plan's own issuing sentence ("Sở … ban hành Kế hoạch <title> như sau:"): the issuer, and the title
    # when no title line was found (else a web page's "Trích yếu:")
    subject, said_title = _issuing(lines, body_start)
    if title is None:
        title = said_title or _panel_title(zone_lines)
        if title is None:
            rec.warn(lines[0].no if lines else 1, "no-title", "no 'KẾ HOẠCH' title line, issuing sentence or "
                     "'Trích yếu' found")

    # title, jurisdiction, period
    unit = _unit_from(title or "")
    if unit is None and title and is_upper_text(title):  # "THÔNG TIN ĐỐI NGOẠI TỈNH NAM ĐỊNH NĂM 2021"
        unit = unit_in_caps(title)
    unit_lines = _unit_lines(zone_before_title)
    issuer_unit_text = unit_lines[-1] if unit_lines else None
    full_text = "\n".join(ln.text for ln in lines)
    for line in unit_lines[::-1]:  # the issuer's line, else the parent body above it ("UBND TỈNH X" / "SỞ …")
        if unit is not None:
            break
        unit = _unit_from(sentence_case_unit(line))
    if unit is None and subject:
        unit = _unit_from(subject)
    if unit is None and subject and not unit_lines:  # "Sở Ngoại vụ ban hành …": the unit its preamble names
        unit = _preamble_unit("\n".join(ln.text for ln in lines[body_start : body_start + 40]), subject)
        if unit:
            rec.warn(None, "jurisdiction-guess", f"jurisdiction of {subject!r} taken from the preamble: {unit[1]}")
    if unit is None and hdr.place:
        unit = ("tỉnh", hdr.place)
        rec.warn(None, "jurisdiction-guess", f"jurisdiction taken from the place line: {hdr.place}")
    if unit:
        level_word, name = unit
        years = re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", title or "") or ([hdr.date_issued[:4]] if hdr.date_issued else [])
        level = level_of(level_word, name, int(years[0]) if years else None)
        parent = enclosing_province(name, full_text, level) if level in SUB_PROVINCIAL else None
        hdr.jurisdiction = Jurisdiction(name=name, level=level, parent=parent)
    keep = tuple(x for x in (hdr.jurisdiction.name, hdr.jurisdiction.parent, "Việt Nam") if x)
    hdr.title = sentence_case(title, keep) if title else None
    hdr.period = _period(title or "", hdr.date_issued)

    # issuer
    parent_text = unit_lines[-2] if len(unit_lines) > 1 else None
    hdr.issuer = _issuer(issuer_unit_text, subject, hdr, lines, parent_text)

    # signer
    hdr.signer = _signer(lines)
    return hdr, body_start


def _unit_lines(zone: str) -> list[str]:
    """The body lines of the header block, in order; the last one is the issuer ("UBND TỈNH X" / "SỞ …").

    A body printed over two lines ("ỦY BAN NHÂN DÂN" / "TỈNH BẮC GIANG", "SỞ VĂN HÓA, THỂ THAO" / "VÀ DU LỊCH", the
    motto's cell between them when a two-column header is read row by row) is joined again.
    """
    rows = [clean_space(r) for r in zone.split("\n")]
    rows = [r for r in rows if r and not re.fullmatch(r"[-–_=*. ]+", r)]
    out = []
    for i, r in enumerate(rows):
        if not _UNIT_HEAD.match(r) or "CỘNG HÒA" in r:
            continue
        nxt = rows[i + 1] if i + 1 < len(rows) else ""
        if not UNIT_RX.search(r) and re.match(rf"^(?:{'|'.join(x.upper() for x in LEVELS)})\s+\S", nxt):
            r = f"{r} {nxt}"
        else:
            k = i + 1
            while k < len(rows) and _MOTTO.search(rows[k]):
                k += 1
            cont = rows[k] if k < len(rows) else ""
            if (cont and is_upper_text(cont) and not _UNIT_HEAD.match(cont) and not _NUMBER.search(cont)
                    and (r.endswith((",", "-", "–")) or re.match(r"(?:VÀ|[-–])\s", cont))):
                r = f"{r} {cont}"
        out.append(r)
    return out


def _issuing(lines: list[Line], start: int) -> tuple[str | None, str | None]:
    """The plan's issuing sentence in the preamble: its subject, if it names a body ("Sở Thông tin và Truyền thông",
    "UBND huyện Lệ Thủy", "Ban Thường vụ Tỉnh ủy"), and the title it gives the plan (None when it gives none:
    "ban hành Kế hoạch thực hiện như sau")."""
    end = start
    while end < min(len(lines), start + 40) and not (
            end > start and (OUTLINE_START.match(lines[end].text) or lines[end].heading)):
        end += 1
    text = "\n".join(ln.text for ln in lines[start:end])
    for m in _ISSUING.finditer(text):
        subject = _subject_before(text, m.start())
        if subject:
            return subject, _title_after(text[m.end() : m.end() + 400])
    m = _ISSUER_PREAMBLE.search(text)  # "Ủy ban nhân dân huyện X triển khai thực hiện …": no plan word after the verb
    return (clean_space(expand_abbreviations(m.group("body"))) if m else None), None


def _subject_before(text: str, pos: int) -> str | None:
    """The body named right before the issuing verb, from the nearest clause start that gives one (a comma may
    be inside the name: "…, Sở Văn hóa, Thể thao và Du lịch ban hành …")."""
    head = text[max(0, pos - 250) : pos]
    starts = [m.end() for m in _CLAUSE_START.finditer(head)][::-1][:3]
    if pos <= 250:
        starts.append(0)
    for start in starts:
        subj = clean_space(re.sub(r"\([^)]*\)", " ", head[start:]))
        subj = re.sub(rf"^[^{UPPER}]+", "", subj)  # "nay Ủy ban nhân dân …": from the first capital
        if not subj or len(subj.split()) > 15:
            continue
        subj = expand_abbreviations(subj)
        if match_type(subj):
            return subj
    return None


def _title_after(rest: str) -> str | None:
    m = _ISSUING_END.search(rest)
    t = strip_trailing(rest[: m.start()] if m else "")
    if not t or t.split()[0].casefold() in _NOT_A_TITLE_START or len(_CARRY_OUT.sub(" ", t).split()) < 2:
        return None
    return cap_first(t)


def _panel_title(zone_lines: list[Line]) -> str | None:
    """A web page's metadata panel: "Trích yếu: Kế hoạch thông tin đối ngoại …" → "Thông tin đối ngoại …"."""
    for ln in zone_lines:
        m = _PANEL_TITLE.match(ln.text)
        if m:
            t = re.sub(rf"^(?i:{alternation_of('title-word')}|{alternation_of('other-title-word')})\s+", "",
                       strip_trailing(m.group("title")))
            return cap_first(t) if len(t.split()) > 1 else None
    return None


def _preamble_unit(text: str, subject: str) -> tuple[str, str] | None:
    """The unit of a body the preamble names with its place ("… của Ủy ban nhân dân tỉnh Quảng Trị"), at the
    level the subject's own level word says (a district's "Phòng …" under "huyện"), else a province's."""
    own = re.search(rf"\b(?:{'|'.join(SUB_PROVINCIAL)})\b", subject)
    for m in _BODY_UNIT.finditer(text):
        level, name = m.group("level").lower(), trim_name(m.group("name"))
        if not name or name.isupper():
            continue
        if (own and level == own.group(0)) or (not own and level not in SUB_PROVINCIAL):
            return level, name
        if not own and level == "thành phố" and level_of(level, name) != level:
            return level, name
    return None


_ORG_HEAD = re.compile(rf"^(?:{alternation_of('org-head', ' ')})\s")
# "tỉnh ủy", "huyện ủy" … (levels.csv party_committee) and "đảng ủy" (words.csv party-body)
_COMMITTEES = (*party_committees(), *words("party-body"))
_PARTY_COMMITTEE = re.compile(rf"\b({'|'.join(phrase_pattern(c) for c in _COMMITTEES)})\b")
_ENDS_COMMITTEE = re.compile(rf"\b(?:{'|'.join(phrase_pattern(c) for c in _COMMITTEES)})$", re.I)
_COMMITTEE_NAMED = re.compile(rf"\b(?:{'|'.join(phrase_pattern(cap_first(c), ' ') for c in _COMMITTEES)})\s+(.+)$")
_LEVEL_WORD = re.compile(rf"\b(?:{'|'.join(LEVELS)})\b(?!\s+(?:ủy|hội)\b)")  # not "tỉnh ủy", not "xã hội"


def sentence_case_unit(s: str) -> str:
    """An all-caps unit line → its name as written in running text.

    'UBND TỈNH HẢI DƯƠNG' → 'Ủy ban nhân dân tỉnh Hải Dương'; 'SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH' → 'Sở Văn hóa, Thể thao
    và Du lịch' (each field of a body's name opens with a capital); 'BAN TUYÊN GIÁO TỈNH ỦY' → 'Ban Tuyên giáo Tỉnh ủy'.
    """
    upper = is_upper_text(clean_space(s))  # judged before expansion: "UBND" expands to lower-case words
    s = expand_abbreviations(clean_space(s))
    if not upper:
        return s
    low = s.lower()
    levels = [m for m in _LEVEL_WORD.finditer(low) if low[m.end() :].strip() or m.start() > 0]
    cut = levels[-1] if levels else None  # the place is the last unit named: "… tỉnh Quảng Nam"
    head, tail = (low[: cut.start()].strip(), low[cut.start() :]) if cut else (low, "")
    if cut:
        rest = low[cut.end() :].strip()
        tail = f"{cut.group(0)} {_titlecase_place(rest.upper())}" if rest else cut.group(0)
    head = _PARTY_COMMITTEE.sub(lambda m: cap_first(" ".join(m.group(1).split())), head)
    committee = _COMMITTEE_NAMED.search(head)
    if committee:  # "Huyện ủy lục ngạn" → "Huyện ủy Lục Ngạn"
        head = head[: committee.start(1)] + _titlecase_place(committee.group(1).upper())
    head = cap_first(head)
    org = _ORG_HEAD.match(head.lower())
    if org:  # capitalise the first syllable of each field of the name: after the head word, "và", ",", "-"
        body = re.sub(r"(^|\s(?:và|-|–)\s|,\s)(\w)", lambda m: m.group(1) + m.group(2).upper(), head[org.end() :])
        head = head[: org.end()] + cap_first(body)
    return clean_space(f"{head} {tail}")


def _issuer(
    unit_text: str | None, subject: str | None, hdr: PlanHeader, lines: list[Line], parent_text: str | None = None
) -> str | None:
    j = hdr.jurisdiction
    suffix = f"{j.level if j.level != 'thành phố trực thuộc trung ương' else 'thành phố'} {j.name}" if j.name else ""
    if unit_text:
        s = sentence_case_unit(unit_text)
        if s in words("people-body") and suffix:
            s = f"{s} {suffix}"
        elif parent_text and not UNIT_RX.search(s) and not _PARTY_UNIT.search(s):
            # "SỞ …" under "UBND TỈNH X" → "Sở … tỉnh X"; "BAN TUYÊN GIÁO" under "TỈNH ỦY X" → "… Tỉnh ủy X"
            parent = sentence_case_unit(parent_text)
            pm = _PARTY_UNIT.search(parent)
            if pm:
                s = f"{s} {parent[pm.start():]}"
            elif suffix:
                s = f"{s} {suffix}"
        return s
    if subject:
        return _with_unit(subject, j, suffix)
    tail = "\n".join(ln.text for ln in lines[-25:])
    m = _SIGNING_BODY.search(tail)
    if m:
        s = sentence_case_unit(m.group(1))
        return f"{s} {suffix}".strip() if s in words("people-body") else s
    if j.name:
        return f"Ủy ban nhân dân {suffix}"
    return None


_ENDS_LEVEL = re.compile(rf"\b(?:{'|'.join(LEVELS)})$", re.I)


def _with_unit(body: str, j: Jurisdiction, suffix: str) -> str:
    """A body named in running text without its unit, completed with the plan's: "Ủy ban nhân dân tỉnh" → "… tỉnh
    Lai Châu", "Ban Thường vụ Huyện ủy" → "… Huyện ủy Lục Ngạn", "Sở Ngoại vụ" → "Sở Ngoại vụ tỉnh Bình Định"."""
    if not j.name or _unit_from(body) or _PARTY_UNIT.search(body):
        return body
    if _ENDS_LEVEL.search(body) or _ENDS_COMMITTEE.search(body):
        return f"{body} {j.name}"
    t = match_type(body)
    return body if t is not None and t.scope == "central" else f"{body} {suffix}"


# "TM. ỦY BAN NHÂN DÂN", "TM. BAN …": the body a plan is signed for (upper case)
_SIGNING_BODY = re.compile(
    rf"\bTM\.?\s+({'|'.join(phrase_pattern(w.upper(), ' ') for w in words('people-body'))}|BAN [{UPPER} ]+)"
)


def _period(title: str, date_issued: str | None) -> Period:
    title = SYMBOL_RX.sub(" ", title)  # "Nghị định số 72/2015/NĐ-CP": a cited symbol's year is not the plan's
    m = re.search(r"((?:19|20)\d\d)\s*[-–—]\s*((?:19|20)\d\d)", title)
    if m:
        return Period(f"{m.group(1)}-01-01", f"{m.group(2)}-12-31")
    title = _VISION.sub(" ", title)  # "tầm nhìn đến năm 2045" is no year of the plan's
    until = _UNTIL.search(title)  # "(năm 2021) đến năm 2025": to the end of that year
    rest = _UNTIL.sub(" ", title)
    years = re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", rest)
    if until:
        end = until.group(1)
        start = years[0] if years else date_issued[:4] if date_issued else None  # else from the year of issue
        start = start if start and start <= end else None
        return Period(f"{start}-01-01" if start else None, f"{end}-12-31")
    if years:
        y = years[-1] if re.search(r"năm\s+" + years[-1], rest) else years[0]
        return Period(f"{y}-01-01", f"{y}-12-31")
    if date_issued:
        y = date_issued[:4]
        return Period(f"{y}-01-01", f"{y}-12-31")
    return Period()


def _signer(lines: list[Line]) -> Signer | None:
    """The name under the position lines at the end (KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / name)."""
    tail = lines[-30:]
    pos_idx, position = None, None
    for i, ln in enumerate(tail):
        txt = ln.text.upper() if ln.text.isupper() or re.match(r"^(?:KT|TM|TL|Q)\.", ln.text) else ""
        if not txt:
            continue
        label = position_in(txt)  # data/lexicon/signers.csv
        if label is not None:
            pos_idx, position = i, label
    if pos_idx is None:
        return None
    for ln in tail[pos_idx + 1 :]:
        s = re.sub(r"\(?\s*[Đđ]ã\s+ký\s*\)?", "", ln.text).strip(" |")
        if not s:
            continue
        if _PERSON.match(s):
            return Signer(name=s, position=position)
    return None


def _line_no(zone_lines: list[Line], fragment: str) -> int | None:
    for ln in zone_lines:
        if fragment[:20] in ln.text:
            return ln.no
    return zone_lines[0].no if zone_lines else None
