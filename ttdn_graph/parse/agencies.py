"""Agency mentions → canonical single bodies and collective groups.

Recognition is driven by data/vocab/agency_types.csv (agency-type patterns such as ^Sở, ^Ban … ủy, ^Đài), so
a body is found by what kind of body it is, never by a list of names the seeds happen to use.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ttdn_graph.lexicon import (
    AgencyType,
    agency_types,
    alternation,
    alternation_of,
    correct,
    expand_abbreviations,
)
from ttdn_graph.lexicon.fold import UPPER
from ttdn_graph.lexicon.organisations import classify_type
from ttdn_graph.parse.normalize import fold_variants
from ttdn_graph.parse.text import cap_first, clean_space

__all__ = ["AgencyType", "agency_types", "classify", "is_group", "names_bodies", "split_agencies"]

# Lower-case verbs that end an agency mention ("Sở X phối hợp …", "các cơ quan liên quan thực hiện …"):
# data/lexicon/verbs.csv, use "ends-mention".
VERBS = alternation("ends-mention")
# "các tổ chức", "những đơn vị được …": after a plural marker the word is a noun, not the verb
_VERB_RX = re.compile(rf"(?<!\bcác)(?<!\bnhững)\s(?:{VERBS})(?=[\s,.;:]|$)")
_ROLE_PREFIX = re.compile(rf"^(?:{alternation('role-prefix')})\s+", re.I)
# "các sở, ban, ngành", "các huyện": data/lexicon/words.csv, kind "group-noun"
_BODY_GROUP_RX = re.compile(rf"\bcác\s+(?:{alternation_of('group-noun')})\b", re.I)
_GROUP_RX = re.compile(rf"^các\s|{_BODY_GROUP_RX.pattern}", re.I)
_DISTRIBUTE = re.compile(rf"^(?P<head>.+?)\s+các\s+(?:{alternation_of('distributed-group')})\s*:\s*(?P<list>.+)$")
# a head word printed in lower case before the capitalised name ("phòng Văn hóa …", "công an tỉnh")
_LOWER_HEAD = re.compile(rf"^(?:{alternation_of('lower-head', ' ')})\s+[{UPPER}]")
_ROLE_NOUN = re.compile(rf"^(?:{alternation_of('role-noun', ' ')})\b")
_OFFICE_OF = re.compile(rf"^Văn phòng (?:{alternation_of('people-body', ' ')}|Đoàn đại biểu Quốc hội)")
_PEOPLE_BODY = re.compile(rf"^(?:{alternation_of('people-body', ' ')})")
@lru_cache(maxsize=1 << 15)  # the same names are classified over and over
def classify(name: str) -> str | None:
    """The agency-type id of a canonical name, or None (data/vocab/agency_types.csv, first match in file order; a
    central type named with a local unit takes its local form: the graph's rule, lexicon.organisations)."""
    t = classify_type(name)
    return t.id if t else None


def is_group(name: str) -> bool:
    return bool(_GROUP_RX.search(name))


def names_bodies(s: str) -> bool:
    """Does this phrase open with a body ("Sở …", "UBND tỉnh") or a group of bodies ("Các sở, ban, ngành")?"""
    s = expand_abbreviations(clean_space(s))
    return bool(classify(s) or _BODY_GROUP_RX.match(s))


def _head(part: str) -> bool:
    """Does this comma-part open a new body (an agency-type head word, capitalised)?"""
    p = cap_first(part) if _LOWER_HEAD.match(part) else part
    return bool(p[:1].isupper()) and classify(p) is not None


def _clean(part: str) -> str:
    part = clean_space(part).strip(" .;:,-–+")
    part = _ROLE_PREFIX.sub("", part)
    part = re.sub(r"\s+(?:liên quan\s+)?(?:phối hợp|cùng phối hợp|thực hiện)$", lambda m: "", part)
    part = correct(part)  # data/lexicon/corrections.csv
    if _LOWER_HEAD.match(part):
        part = cap_first(part)
    if re.match(r"^Các\s", part):
        part = "c" + part[1:]
    return part.strip(" .;:,")


def split_agencies(text: str) -> list[str]:
    """'Sở A, Sở B và các cơ quan liên quan' → ['Sở A', 'Sở B', 'các cơ quan liên quan']."""
    return list(_split_agencies(text))


@lru_cache(maxsize=1 << 15)  # agency lists repeat across plans ("các cơ quan, đơn vị liên quan")
def _split_agencies(text: str) -> tuple[str, ...]:
    s = expand_abbreviations(clean_space(fold_variants(text)))  # callers may pass raw text: "Uỷ" → "Ủy"
    s = correct(s)
    s = re.sub(r"\([^)]*\)", "", s)  # "(Ban Tôn giáo tỉnh)", "(theo chức năng …)"
    s = re.sub(r"\b([Cc]ác)\s*,\s*", r"\1 ", s)  # "các, sở, ban": a comma straight after "các" is a typo
    out: list[str] = []
    for seg in re.split(r"[;\n]|\s\+\s", s):
        seg = _ROLE_PREFIX.sub("", clean_space(seg).strip(" .,:-–+"))
        seg = _ROLE_PREFIX.sub("", seg)
        if not seg:
            continue
        v = _VERB_RX.search(seg)
        if v:
            seg = seg[: v.start()]
        d = _DISTRIBUTE.match(seg)
        if d:
            head = d.group("head")
            out.extend(_clean(f"{head} {p}") for p in re.split(r",|\svà\s", d.group("list")) if p.strip())
            continue
        out.extend(_split_segment(seg))
    # "Cục X, Bộ Y": the ministry names the department's parent, not a second body
    result: list[str] = []
    for a in out:
        if result and re.match(r"^Bộ\s", a) and re.match(r"^(?:Cục|Vụ|Tổng cục)\s", result[-1]):
            continue
        if a and a not in result:
            result.append(a)
    return tuple(result)


def _split_segment(seg: str) -> list[str]:
    parts = [p for p in re.split(r"(,\s*|\s+và\s+)", seg)]
    entries: list[str] = []
    joiners: list[str] = []
    cur = ""
    i = 0
    while i < len(parts):
        part = parts[i].strip()
        joiner = parts[i - 1] if i > 0 else ""
        i += 2 if i > 0 else 1
        if i == 1 and len(parts) > 1:
            i = 2
        if not part:
            continue
        starts_group = bool(re.match(r"^các\s", part, re.I))
        if not cur:
            cur = part
            continue
        serves = _OFFICE_OF.match(cur)
        if serves and _PEOPLE_BODY.match(part) and not is_group(part):
            cur = f"{cur}{', ' if ',' in joiner else ' và '}{part}"  # "Văn phòng HĐND và UBND": one office
            continue
        nxt_joiner = parts[i - 1] if i - 1 < len(parts) and i > 1 else ""
        if part[:1].isupper() and not _head(part) and not is_group(cur) and "," in joiner and " và " not in nxt_joiner:
            entries.append(cur)  # "…, Bizlive": a capitalised name of its own, not "Văn hóa, Thể thao và Du lịch"
            joiners.append(joiner)
            cur = part
            continue
        if starts_group or _head(part):
            entries.append(cur)
            joiners.append(joiner)
            cur = part
        elif part[:1].islower() and not is_group(cur) and " và " not in joiner and classify(cap_first(part)) is None:
            # a lower-case tail after a single body ("Sở X, phòng Y" excluded): a role word; drop it
            if _ROLE_NOUN.match(part):
                entries.append(cur)
                cur = part
            continue
        else:
            cur = f"{cur}{', ' if ',' in joiner else ' và '}{part}"
    if cur:
        entries.append(cur)
    return [c for c in (_clean(e) for e in entries) if c and len(c) > 2]
