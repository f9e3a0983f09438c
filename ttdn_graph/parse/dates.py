"""Dates as printed in plans ("10/9/2008", "17 tháng 01 năm 2022") → ISO, tolerating typos."""

from __future__ import annotations

import datetime as dt
import re

DATE_RX = re.compile(
    r"(?P<d>\d{1,2})\s*(?:[/.\-]\s*(?P<m1>\d{1,2})\s*[/.\-]\s*(?P<y1>\d{4})"
    r"|\s+tháng\s+(?P<m2>\d{1,2})\s*(?:năm|,)\s*(?P<y2>\d{4}))",
    re.I,
)


def iso(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def parse_date(s: str) -> tuple[str | None, str | None]:
    """Return (iso date or None, the printed text or None) for the first date in s."""
    m = DATE_RX.search(s)
    if not m:
        return None, None
    d = int(m.group("d"))
    mo = int(m.group("m1") or m.group("m2"))
    y = int(m.group("y1") or m.group("y2"))
    return iso(y, mo, d), m.group(0)
