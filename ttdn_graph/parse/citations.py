"""Find legal-instrument citations anywhere in a plan's text (eyecite-style: tokenise → find → resolve).

Symbols are parsed by the general grammar of Vietnamese document numbers — number, optional year, type code,
issuer code(s): "1486/QĐ-TTg", "72/2015/NĐ-CP", Party-style "26-CT/TW", compound "269/KH-STTTT-BCHBĐBP",
letters without a type code "4110/BTTTT-TTĐN" — not by a list of known symbols.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from ttdn_graph.lexicon import (
    alternation_of,
    by_name,
    by_symbol_code,
    expand_abbreviations,
    fold,
    instrument_types,
    words,
)
from ttdn_graph.lexicon.fold import UPPER
from ttdn_graph.parse.dates import DATE_RX, iso
from ttdn_graph.parse.text import cap_first, clean_space, is_upper_text, strip_trailing

# Years inside symbols are only used by these types (a 5-6 digit number ending in a year is a lost slash).
YEARED_CODES = {"NĐ", "TT", "TTLT", "QĐ", "NQ", "CT", "L", "PL"}

_TYPE_ALT = "|".join(sorted((re.escape(t.name) for t in instrument_types()), key=len, reverse=True))
_SEG = r"[A-ZĐ](?:[A-ZĐ0-9&]|[a-zđ](?![a-zđ]))*(?!\w)"
_SEP = r"(?:\s?[/\-–](?=\S)|[/\-–]\s?)"
SYMBOL = (
    rf"(?P<num>\d{{1,6}}[a-zA-Z]?)(?:\s*/\s*(?P<year>(?:19|20)\d\d))?\s*(?P<sep>[/\-–])\s*(?P<codes>{_SEG}(?:{_SEP}{_SEG})*)"
)
_SPACED_NUM = re.compile(r"\b(số\s*:?\s*)(\d{1,3}) (\d{1,3})(?=\s*/)", re.I)
CITE_RX = re.compile(
    rf"(?:(?P<type>{_TYPE_ALT})(?:\s+liên\s+tịch)?\s*(?:số\s*:?\s*|số\s*hiệu\s*)?)?{SYMBOL}",
    re.I,
)
SYMBOL_RX = re.compile(rf"(?<!\d){SYMBOL}", re.I)  # a symbol alone, without its type word
_TYPE_BEFORE = re.compile(rf"(?P<type>{_TYPE_ALT})(?:\s+liên\s+tịch)?\s*(?:số\s*:?\s*|số\s*hiệu\s*)?$", re.I)


def _iter_cites(text: str):
    """CITE_RX matches, found from the symbol backwards (a digit-anchored scan is much cheaper)."""
    for m in SYMBOL_RX.finditer(text):
        window_start = max(0, m.start() - 40)
        tb = _TYPE_BEFORE.search(text, window_start, m.start())
        start = tb.start() if tb else m.start()
        full = CITE_RX.match(text, start)
        if full and full.end() == m.end():
            yield full
        else:
            yield CITE_RX.match(text, m.start()) or m
_AFTER_DATE = re.compile(rf"^\s*,?\s*(?:ban\s+hành\s+|ký\s+)?ngày\s*(?:{DATE_RX.pattern})", re.I)
_ABBR_PAREN = re.compile(r"\s\([A-ZĐ&]{2,8}\)(?=\s)")  # "(UBND)", "(HĐND)", "(TTĐN)", "(BCĐ)", "(MTTQ)" …
# the words are data (data/lexicon/words.csv, by kind); the patterns around them are here
_AFTER_ISSUER = re.compile(rf"^\s*,?\s*(?:{alternation_of('issuer-preposition')})\s+(?P<issuer>.+)", re.I | re.S)
# Case matters: a lower-case verb ends the issuer, a capitalised one is part of a name ("Ban Chỉ đạo", "Ban Tổ chức").
_ISSUER_END = re.compile(
    rf"\s+(?:(?i:{alternation_of('issuer-end-any-case')})|{alternation_of('issuer-end')}|"
    rf"và\s+(?i:các\s+|{_TYPE_ALT}))\b|(?<!Ngoại)\s+giao\b|[,;:(“\"\n]|\.(?:\s|$)",
)
_CARRY_OUT = re.compile(rf"\b(?:{alternation_of('carry-out-verb')})\b", re.I)
_MANNER = re.compile(rf"\s+(?:(?:{alternation_of('carry-out-manner')})\s+)?")  # "thực hiện nghiêm túc Kế hoạch"
_AMEND = re.compile(rf"\b(?:{alternation_of('amend-verb')})\b", re.I)
_APPROVED = re.compile(rf"(?:{alternation_of('approve-verb')})\s*$", re.I)
NAMED_TYPES = words("named-instrument-type")
_NAMED_RX = re.compile(rf"(?P<type>{'|'.join(NAMED_TYPES)})\s+(?P<rest>[^;:\n“”\"]+)", re.I)
_LAW_RX = re.compile(r"\bLuật\s+(?P<rest>[A-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ][^;:,\n(“”\"]+)")
_QUOTED_NAMED = re.compile(rf"[“\"](?P<type>{'|'.join(NAMED_TYPES)})\s+(?P<rest>[^”\"]+)[”\"]")
_NAME_STOP = re.compile(
    rf"\s+(?:ngày\s+\d|{alternation_of('name-stop')})|,\s+(?!{alternation_of('name-goes-on')})|\.(?:\s|$)|\s+\(",
    re.I,
)


@dataclass
class Citation:
    """One occurrence of a citation in the text."""

    type: str | None
    number: str | None
    name: str | None
    date: str | None
    date_text: str | None
    issuer: str | None
    start: int
    end: int
    line: int
    printed: str
    clause: str = ""  # text after the citation, to the end of its clause
    title: str | None = None  # the title printed after the citation ("phê duyệt Đề án …"), as printed
    title_line: int | None = None  # the source line that title starts on
    notes: list[tuple[str, str]] = field(default_factory=list)  # (code, message)

    @property
    def key(self) -> str:
        return norm_number(self.number) if self.number else "NAME|" + clean_space(self.name or "").casefold()


def norm_number(s: str) -> str:
    s = re.sub(r"[–—−]", "-", s or "")
    return re.sub(r"\s+", "", s).upper()


def clean_symbol(num: str, year: str | None, sep: str, codes: str) -> str:
    codes = re.sub(r"\s+", "", codes).replace("–", "-")
    return f"{num}/{year}{'/' if sep != '-' else '-'}{codes}" if year else f"{num}{'-' if sep in '-–' else '/'}{codes}"


def _take_date(text: str, end: int, tail: str, number: str, year: str | None, notes: list):
    """The citation's date when it follows at `end`: (iso or None, printed or None, new end, new tail)."""
    dm = _AFTER_DATE.match(tail)
    if not dm:
        return None, None, end, tail
    d = int(dm.group("d"))
    mo = int(dm.group("m1") or dm.group("m2"))
    y = int(dm.group("y1") or dm.group("y2"))
    date_text = clean_space(dm.group(0)).lstrip(", ")
    date = iso(y, mo, d)
    if date is None:
        notes.append(("bad-date", f"{number}: printed date {date_text!r} is not a calendar date"))
    elif year and abs(int(year) - y) > 1:
        notes.append(("date-contradicts-number", f"{number} printed with {date_text!r}"))
    end += dm.end()
    return date, date_text, end, text[end : end + 400]


def _first_code(codes: str) -> str:
    return re.split(r"[/\-–\s]", codes.strip())[0]


class LineIndex:
    """Map character offsets in the joined text back to source line numbers."""

    def __init__(self, lines):
        self.starts, self.nos, pos = [], [], 0
        for ln in lines:
            self.starts.append(pos)
            self.nos.append(ln.no)
            pos += len(ln.text) + 1
        self.text = "\n".join(ln.text for ln in lines)

    def index_of(self, offset: int) -> int:
        return max(0, bisect_right(self.starts, offset) - 1)

    def line_of(self, offset: int) -> int:
        return self.nos[self.index_of(offset)] if self.nos else 1


def canonical_issuer(s: str | None) -> str | None:
    if not s:
        return None
    s = re.sub(r"\s*\([A-ZĐ&]{2,8}\)\s*", " ", s)  # "Ủy ban nhân dân (UBND) tỉnh"
    s = strip_trailing(expand_abbreviations(s))
    s = re.sub(r"\bChính Phủ\b", "Chính phủ", s)
    s = re.sub(r"^Bộ trưởng\s+(?=Bộ\s)", "", s)  # the minister signs for the ministry
    return cap_first(s) if s else None


def _clause_after(text: str, pos: int) -> str:
    m = re.compile(r";|\n|\.\s+(?=[A-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ])|\bCăn cứ\b").search(text, pos)
    return text[pos : m.start() if m else len(text)]


_NOT_A_NAME_START = frozenset(w.casefold() for w in words("not-a-name-start"))


def _named_name(rest: str, type_word: str) -> tuple[str, int] | None:
    """The instrument's name and how many characters of `rest` it spans."""
    m = _NAME_STOP.search(rest)
    raw = rest[: m.start()] if m else rest
    name = strip_trailing(raw)
    words = name.split()
    if len(words) < 2 or words[0].casefold() in _NOT_A_NAME_START:
        return None
    if re.match(r"\d", name):
        return None
    return cap_first(expand_abbreviations(f"{cap_first(type_word.lower())} {name}")), len(raw.rstrip(" .;:,"))


def find_citations(lines, *, exclude_numbers: set[str] | None = None) -> list[Citation]:
    """All numbered citations and the named instruments the text refers to on their own."""
    idx = LineIndex(lines)
    text = _SPACED_NUM.sub(lambda m: m.group(1) + " " + m.group(2) + m.group(3), idx.text)  # "số 5 0/2016"
    text = _ABBR_PAREN.sub(lambda m: " " * len(m.group(0)), text)  # "Ủy ban nhân dân (UBND) tỉnh", same length
    exclude = {norm_number(n) for n in exclude_numbers or ()}
    out: list[Citation] = []
    for m in _iter_cites(text):
        codes = m.group("codes")
        first = _first_code(codes).upper()
        type_word = m.group("type")
        known_code = by_symbol_code().get(first)
        if not type_word and not known_code:
            continue  # a bare symbol without a recognisable type code is not a citation we can type
        if not type_word and not re.search(r"[/\-–]", codes.strip()):
            continue  # "30/KH" alone: real symbols name their issuer too ("30/KH-UBND", "26-CT/TW")
        num, year = m.group("num"), m.group("year")
        notes: list[tuple[str, str]] = []
        if not year and len(num) >= 5 and re.search(r"(19|20)\d\d$", num) and first in YEARED_CODES:
            fixed_num, fixed_year = num[:-4], num[-4:]
            notes.append(("lost-slash", f"symbol {m.group(0).strip()!r} read as {fixed_num}/{fixed_year}/{codes}"))
            num, year = fixed_num, fixed_year
        number = clean_symbol(num, year, m.group("sep"), codes)
        if norm_number(number) in exclude:
            continue
        tname = None
        if type_word:
            t = by_name().get(fold(type_word))
            tname = t.name if t else cap_first(clean_space(type_word).lower())
            if known_code and t and known_code.key != t.key and first not in {"CV"}:
                notes.append(("type-contradiction", f"{tname} with symbol {number} (code {first} = {known_code.name})"))
        else:
            tname = known_code.name if known_code else None
        tail = text[m.end() : m.end() + 400]
        date = date_text = None
        end = m.end()
        date, date_text, end, tail = _take_date(text, end, tail, number, year, notes)
        issuer = None
        im = _AFTER_ISSUER.match(tail)
        if im:
            raw = im.group("issuer")
            stop = _ISSUER_END.search(raw)
            raw = raw[: stop.start()] if stop else raw[:120]
            if 0 < len(raw.split()) <= 20:  # joint issuers run long ("Sở … và Bộ Chỉ huy …")
                issuer = canonical_issuer(raw)
                end += im.start("issuer") + len(raw)
                if date_text is None:  # "… của UBND tỉnh ngày 12/3/2021": the date after the issuer
                    date, date_text, end, tail = _take_date(text, end, text[end : end + 400], number, year, notes)
        c = Citation(
            type=tname,
            number=number,
            name=None,
            date=date,
            date_text=date_text,
            issuer=issuer,
            start=m.start(),
            end=end,
            line=idx.line_of(m.start()),
            printed=clean_space(text[m.start() : end]),
            notes=notes,
        )
        c.clause = _clause_after(text, end)
        span = title_after(text, end)
        if span is not None:
            c.title, c.title_line = clean_space(idx.text[span[0] : span[1]]), idx.line_of(span[0])
        out.append(c)
    out.extend(_named_citations(text, idx, out))
    out.sort(key=lambda c: c.start)
    return out


# -- the title printed after a citation ------------------------------------------------------------------------
# The words are data (data/lexicon/words.csv: title-opener, title-end, title-trailing, title-cite-link).
_TITLE_OPEN = re.compile(rf"[ \t]*(?:\n[ \t]*)?(?:{alternation_of('title-opener')})(?=[\s,“\"])", re.I)
_TITLE_STOP = re.compile(
    rf"[;:()\[\]]|\.(?=\s|$)|,\s+(?=[{UPPER}]|(?i:{alternation_of('title-comma-end')})\b)"
    rf"|\s+(?i:{alternation_of('title-end')})\b|\n|[“\"]",
)
_TITLE_TRAILING = re.compile(rf"(?:[\s,]+(?:{alternation_of('title-trailing')}))+[\s,]*$|[\s,.]+$", re.I)
_TITLE_LINK = re.compile(
    rf"(?:{alternation_of('title-cite-link')})(?:\s+(?:{alternation_of('carry-out-manner')}))?\s*$", re.I
)
_LINK_ONLY = re.compile(
    rf"(?:{alternation_of('title-cite-link')})(?:\s+(?:{alternation_of('carry-out-manner')}))?", re.I
)
_LIST_MARKER = re.compile(r"\s*(?:[-+•*–]\s|\d+(?:\.\d+)*[.)]\s|[a-zđ][.)]\s|[IVXLC]+\.\s)")
_PREAMBLE_WORD = re.compile(rf"\s*(?:{alternation_of('preamble-opener')})\b|\s*(?:{alternation_of('title-end')})\b",
                            re.I)
_QUOTE_CLOSE = {"“": "”", '"': '"'}
TITLE_MAX_WORDS = 80  # a "title" running longer is prose the stops missed: none is better than a wrong one


def _line_goes_on(text: str, nl: int) -> bool:
    """Does the line broken at `nl` go on on the next line (a sentence broken mid-way), rather than end there?"""
    before = text[text.rfind("\n", 0, nl) + 1 : nl].rstrip()
    stop = text.find("\n", nl + 1)
    nxt = text[nl + 1 : stop if stop >= 0 else len(text)]
    if not before or before[-1] in ".;:!?)" or not nxt.strip():
        return False
    if _LIST_MARKER.match(nxt) or _PREAMBLE_WORD.match(nxt) or is_upper_text(nxt):
        return False
    return nxt.lstrip()[:1].isalpha()


def _nested_cite_start(text: str, pos: int, stop: int) -> int | None:
    """Where the first citation between pos and stop starts that is not part of the title (a citation right after
    "của", "thực hiện", "sửa đổi" … belongs to it: "về triển khai thực hiện Quyết định số …")."""
    for m in SYMBOL_RX.finditer(text, pos, stop):
        tb = _TYPE_BEFORE.search(text, max(pos, m.start() - 40), m.start())
        start = tb.start() if tb else m.start()
        if not tb and not by_symbol_code().get(_first_code(m.group("codes")).upper()):
            continue
        before = text[max(pos, start - 60) : start]
        if not _TITLE_LINK.search(before):
            return start
        comma = before.rfind(",")
        if comma >= 0 and _LINK_ONLY.fullmatch(before[comma + 1 :].strip()):
            return start - len(before) + comma  # "…, triển khai thực hiện Quyết định …": a clause of its own
    return None


def title_after(text: str, pos: int) -> tuple[int, int] | None:
    """The span of the title printed right after a citation that ends at `pos` — it opens with a title word ("về",
    "phê duyệt", "ban hành" …: data) and ends at ";", ":", a bracket, the sentence's end, a comma before a new
    capitalised clause, a word that turns to something else ("để", "nhằm", "Căn cứ" …), the end of a line that does
    not go on, another citation it does not lead to, or right after a quoted name ("phê duyệt Đề án “…”") — or None.
    The span is in `text` as given (no spaces or words dropped), so the caller can take it from its own copy."""
    m = _TITLE_OPEN.match(text, pos)
    if not m or "\n" in text[pos : m.end()] and not _line_goes_on(text, text.index("\n", pos)):
        return None
    start = m.end() - len(m.group(0).lstrip())
    i = m.end()
    limit = min(len(text), start + 1200)
    end = limit
    while i < limit:
        s = _TITLE_STOP.search(text, i, limit)
        if s is None:
            break
        ch = s.group(0)
        if ch in _QUOTE_CLOSE:  # a quoted name: the title ends right after its closing quote
            close = text.find(_QUOTE_CLOSE[ch], s.end(), limit)
            end = close + 1 if close >= 0 and "\n" not in text[s.end() : close] else s.start()
            break
        if ch == "\n" and _line_goes_on(text, s.start()):
            i = s.end()
            continue
        end = s.start()
        break
    nested = _nested_cite_start(text, m.end(), end)
    if nested is not None:
        end = nested
    t = _TITLE_TRAILING.search(text, start, end)
    while t is not None and t.start() < end:
        end = t.start()
        t = _TITLE_TRAILING.search(text, start, end)
    n = len(text[start:end].split())
    if n < 2 or n > TITLE_MAX_WORDS:
        return None
    return start, end


def title_form(printed: str) -> str:
    """A printed title as the instrument's title: abbreviations written out, "(TTĐN)"-style glosses dropped,
    first letter capitalised — so that documents printing it differently agree."""
    s = expand_abbreviations(clean_space(_GLOSS.sub(" ", printed)))
    s = re.sub(rf"(?<!\d){DATE_RX.pattern}", _short_date, s, flags=re.I)  # "21 tháng 09 năm 2018" as "21/9/2018"
    s = re.sub(r"\b((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)\b", r"\1 - \2", s)  # "2013-2020" as "2013 - 2020"
    return cap_first(re.sub(r"\bChính Phủ\b", "Chính phủ", s))


def _short_date(m: re.Match) -> str:
    return f"{int(m.group('d'))}/{int(m.group('m1') or m.group('m2'))}/{m.group('y1') or m.group('y2')}"


_GLOSS = re.compile(r"\s*\([A-ZĐ&]{2,8}\)(?=\s|$|[,;.])")


def _overlaps(start: int, end: int, cites: list[Citation]) -> bool:
    return any(c.start < end and start < c.end for c in cites)


def _named_citations(text: str, idx: LineIndex, numbered: list[Citation]) -> list[Citation]:
    """Named instruments referred to on their own: carried out, quoted, or laws by name."""
    found: list[Citation] = []
    cands: list[tuple[int, str, str]] = []
    clauses = [(c.end, c.end + len(c.clause)) for c in numbered]
    for v in _CARRY_OUT.finditer(text):
        after = text[v.end() : v.end() + 300]
        m = _MANNER.match(after)
        pos = v.end() + (m.end() if m else 0)
        nm = _NAMED_RX.match(text, pos)
        if not nm or CITE_RX.match(text, pos):
            continue
        if "\n" in text[v.start() : nm.end()]:
            continue  # "… THỰC HIỆN KẾ HOẠCH" ending a heading, the next line's words are no name
        # a lower-case "kế hoạch …" is prose unless it is what a cited instrument carries out
        if nm.group("type")[0].islower() and not any(a <= pos < b for a, b in clauses):
            continue
        cands.append((nm.start(), nm.group("type"), nm.group("rest")))
    for nm in _QUOTED_NAMED.finditer(text):
        if _APPROVED.search(text[max(0, nm.start() - 20) : nm.start()]):
            continue  # what a numbered decision approves is not cited on its own
        cands.append((nm.start("type"), nm.group("type"), nm.group("rest")))
    for nm in _LAW_RX.finditer(text):
        cands.append((nm.start(), "Luật", nm.group("rest")))
    for start, type_word, rest in cands:
        if re.match(r"\s*(?:số\s*)?\d", rest):
            continue
        named = _named_name(rest, type_word)
        if not named:
            continue
        name, span = named
        end = start + len(type_word) + 1 + span
        if _overlaps(start, end, numbered) or _overlaps(start, end, found):
            continue
        tname = by_name()[fold(type_word)].name
        found.append(Citation(tname, None, name, None, None, None, start, end, idx.line_of(start), text[start:end]))
    return found


def relations(cites: list[Citation]) -> list[tuple[int, str, int]]:
    """(i, "implements"|"amends", j) between citations, from the verbs in i's clause that lead to j: only where the
    text says i carries out j, a verb of i's own description right before j (precision before recall)."""
    rels = []
    for i, a in enumerate(cites):
        if not a.clause:
            continue
        clause_end = a.end + len(a.clause)
        for j in range(i + 1, len(cites)):
            b = cites[j]
            if b.start >= clause_end:
                break
            between = _between_text(a, b, cites)
            if between is None:
                continue
            if _AMEND.search(between[-80:]) and len(between.split()) <= 40:
                v = list(_AMEND.finditer(between))[-1]
                if len(between[v.end() :].split()) <= 7:
                    rels.append((i, "amends", j))
                    break
            v_all = list(_CARRY_OUT.finditer(between))
            if v_all:
                gap = between[v_all[-1].end() :]
                lead = between[: v_all[-1].start()]
                if len(gap.split()) <= 3 and not re.search(r"[;.]", gap) and not _new_subject(lead):
                    rels.append((i, "implements", j))
                    break
    return rels


_SUBJECT_AFTER_COMMA = re.compile(rf",\s*[{UPPER}][^,]*$")


def _new_subject(lead: str) -> bool:
    """Does the text before the verb open a clause of its own: a colon, or a comma and then a capitalised subject
    ("…, Sở Ngoại vụ ban hành Kế hoạch triển khai …")? The verb is then not what the citation does; a clause that
    goes on in lower case ("…, triển khai thực hiện …") still describes it."""
    return ":" in lead or bool(_SUBJECT_AFTER_COMMA.search(lead))


def _between_text(a: Citation, b: Citation, cites: list[Citation]) -> str | None:
    """Text from the end of a to the start of b, or None when another numbered citation intervenes."""
    for c in cites:
        if a.end <= c.start < b.start and c.number and c is not b:
            return None
    return a.clause[: max(0, b.start - a.end)]
