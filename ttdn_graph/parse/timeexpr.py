"""Time phrases of plans ("Quý I - Quý II năm 2019", "Thường xuyên", "Giai đoạn 2019 - 2020") → intervals."""

from __future__ import annotations

import calendar
import re

from ttdn_graph.lexicon import alternation_of
from ttdn_graph.parse.dates import DATE_RX, iso
from ttdn_graph.record import Period, TimeSpan

ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_Q = r"(?:IV|I{1,3}|[1-4])(?![IVXivx\d])"
_QUARTER = re.compile(rf"\bquý\s+({_Q})(?:\s*(?:[-–—,]|đến|và)\s*(?:quý\s+)?({_Q}))?(?:\s*(?:/|năm)\s*((?:19|20)\d\d))?", re.I)
_MONTH = re.compile(
    r"\btháng\s+(\d{1,2})(?:\s*(?:[-–—,]|đến|và)\s*(?:tháng\s+)?(\d{1,2}))?(?:\s*(?:/|năm)\s*((?:19|20)\d\d))?", re.I
)
_HALF = re.compile(r"\b6\s+tháng\s+(đầu|cuối)\s+năm(?:\s+((?:19|20)\d\d))?", re.I)
_YEAR_RANGE = re.compile(r"((?:19|20)\d\d)\s*(?:[-–—]|đến|và)\s*(?:năm\s+)?((?:19|20)\d\d)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
# the phrases are data/lexicon/words.csv's (onward-phrase, deadline-word, periodic-word, recurrence-*); the number
# grammar around them ("định kỳ 06 tháng", ", 1 năm") stays here
_ONWARD = re.compile(rf"(?:{alternation_of('onward-phrase')})", re.I)
_DEADLINE = re.compile(rf"\b(?:{alternation_of('deadline-word')})\s+(?:ngày\s+)?", re.I)
_PERIODIC = alternation_of("periodic-word")
RECURRENCE = [
    ("continuous", re.compile(alternation_of("recurrence-continuous"), re.I)),
    ("weekly", re.compile(alternation_of("recurrence-weekly"), re.I)),
    ("monthly", re.compile(alternation_of("recurrence-monthly"), re.I)),
    ("quarterly", re.compile(alternation_of("recurrence-quarterly"), re.I)),
    ("semiannual", re.compile(rf"(?:{_PERIODIC}|,)\s*(?:0?6)\s+tháng|{alternation_of('recurrence-semiannual')}", re.I)),
    ("annual", re.compile(rf"\b(?:{alternation_of('recurrence-annual')})|(?:{_PERIODIC}|,)\s*(?:0?1|một)\s+năm", re.I)),
]


def _q(s: str) -> int:
    return ROMAN.get(s.upper()) or int(s)


def _end_of_month(y: int, m: int) -> str:
    return iso(y, m, calendar.monthrange(y, m)[1]) or f"{y}-12-31"


def recurrence_of(text: str) -> str | list[str] | None:
    found = [name for name, rx in RECURRENCE if rx.search(text)]
    if "continuous" in found:
        return "continuous"
    # order as printed
    found.sort(key=lambda n: dict(RECURRENCE)[n].search(text).start())
    if not found:
        return None
    return found[0] if len(found) == 1 else found


def parse_time(text: str, period: Period, warn=None) -> TimeSpan:
    """Interpret a time phrase against the plan's period (phrases without dates take the period)."""
    t = re.sub(r"\s+", " ", text).strip(" .;:")
    ts = TimeSpan(text=t, recurrence=recurrence_of(t))
    p_start = int(period.start[:4]) if period.start else None
    p_end = int(period.end[:4]) if period.end else p_start

    def year_ok(y: int) -> int:
        if p_start and not (p_start - 6 <= y <= (p_end or p_start) + 6):
            if warn:
                warn("year-out-of-range", f"year {y} in {t!r} is far from the plan period; read as {p_start}")
            return p_start
        return y

    rest = t  # the phrase without its deadline date, so "trước ngày 10/5/2019" is not read as "năm 2019"
    dl = _DEADLINE.search(t)
    if dl:
        dm = DATE_RX.search(t, dl.end())
        if dm and dm.start() - dl.end() < 3:
            y = int(dm.group("y1") or dm.group("y2"))
            ts.deadline = iso(year_ok(y), int(dm.group("m1") or dm.group("m2")), int(dm.group("d")))
            rest = t[: dl.start()] + " " + t[dm.end() :]
        else:
            dd = re.match(r"(\d{1,2})\s*/\s*(\d{1,2})(?!\s*/)", t[dl.end() :])
            if dd and p_start:
                ts.deadline = iso(p_start, int(dd.group(2)), int(dd.group(1)))
                rest = t[: dl.start()] + " " + t[dl.end() + dd.end() :]
    years_in = [year_ok(int(y)) for y in _YEAR.findall(rest)]
    qm = _QUARTER.search(rest)
    hm = _HALF.search(rest)
    mm = _MONTH.search(rest)
    yr = _YEAR_RANGE.search(rest)
    if qm:
        q1, q2 = _q(qm.group(1)), _q(qm.group(2)) if qm.group(2) else _q(qm.group(1))
        y = year_ok(int(qm.group(3))) if qm.group(3) else (years_in[0] if years_in else p_start)
        y_end = y
        if not qm.group(3) and not years_in and p_end:
            y_end = p_end  # "Quý II hằng năm" over a multi-year plan
        if y:
            ts.start = iso(y, 3 * q1 - 2, 1)
            ts.end = _end_of_month(y_end, 3 * q2)
    elif hm:
        y = year_ok(int(hm.group(2))) if hm.group(2) else (years_in[0] if years_in else p_start)
        if y:
            ts.start, ts.end = (iso(y, 1, 1), iso(y, 6, 30)) if hm.group(1).lower() == "đầu" else (
                iso(y, 7, 1),
                iso(y, 12, 31),
            )
    elif mm and not re.search(rf"{_PERIODIC}|6\s+tháng|h[ằà]ng\s+tháng", rest, re.I):
        m1 = int(mm.group(1))
        m2 = int(mm.group(2)) if mm.group(2) else m1
        y = year_ok(int(mm.group(3))) if mm.group(3) else (years_in[0] if years_in else p_start)
        if y and 1 <= m1 <= 12 and 1 <= m2 <= 12:
            ts.start, ts.end = iso(y, m1, 1), _end_of_month(y, m2)
    elif yr:
        ts.start, ts.end = f"{year_ok(int(yr.group(1)))}-01-01", f"{year_ok(int(yr.group(2)))}-12-31"
    elif years_in:
        ts.start = f"{years_in[0]}-01-01"
        ts.end = None if _ONWARD.search(rest) else f"{years_in[-1]}-12-31"
    elif ts.deadline:
        ts.start, ts.end = period.start, ts.deadline
    else:
        ts.start, ts.end = period.start, period.end
    return ts
