"""Agency identity: which body a name in a record denotes, in which unit, of which type.

Names in records are relative to the plan's unit ("Sở Thông tin và Truyền thông", "Đài Phát thanh và Truyền hình
tỉnh"). The identity key follows shared/eval/score.py `agency_norm`: abbreviations expanded, the unit's own name and
trailing level words dropped, so the variants of one body meet. The unit is told from the name only when it says so
("Ủy ban nhân dân huyện Vân Đồn", "… tỉnh" in a district plan), else the plan's unit is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from ttdn_graph.lexicon import (
    AgencyType,
    alternation_of,
    central_bodies,
    expand_abbreviations,
    level_tokens,
    unit_committees,
    unit_endings,
    words,
)
from ttdn_graph.lexicon import ascii_fold as fold
from ttdn_graph.resolve.slug import nfc, slug
from ttdn_graph.resolve.units import VN, Unit, mentioned_units, place_unit, same_name

LEVEL_WORDS = level_tokens()  # data/lexicon/levels.csv
STOP = frozenset(words("key-stop-word"))  # data/lexicon/words.csv
# Words after "các" that make a mention collective ("Ủy ban nhân dân các huyện", "các sở, ban, ngành"):
# data/lexicon/words.csv, kind "group-noun".
_GROUP = re.compile(rf"(^các\s)|(\scác\s+({alternation_of('group-noun', ' ')}))", re.IGNORECASE)
# Bodies that exist only at province level: in a district plan they are the province's (agency type ids).
PROVINCE_ONLY_TYPES = {"department"}
# names ending so, or naming its Party committee, are of a province's body (data/lexicon/levels.csv)
_PROVINCE_ENDINGS = unit_endings("province")  # "tỉnh", "tỉnh ủy"
_PROVINCE_COMMITTEES = tuple(c.lower() for c in unit_committees("province"))


@lru_cache(maxsize=8192)
def expand(name: str) -> str:
    """The name in full (abbreviations expanded, NFC, one space)."""
    s = expand_abbreviations(nfc(name))
    s = re.sub(r"\s+", " ", s).strip(" .;:,")
    return s[:1].upper() + s[1:] if s and not s.startswith("các") else s


def is_group(name: str) -> bool:
    return bool(_GROUP.search(nfc(name)))


@lru_cache(maxsize=8192)
def classify(name: str) -> AgencyType | None:
    """The agency type of a name by the one rule the parser uses too (lexicon.organisations.classify_type): the
    first type (file order) whose pattern matches; a central type named with a local unit takes its local form
    ("Cục Thống kê tỉnh" is a branch) or is passed over."""
    return agency_type(name)


_NATIONAL = re.compile(rf"\b({alternation_of('national-word', ' ')})\b", re.IGNORECASE)


@cache
def _central_names() -> frozenset[str]:
    """Slugs of the central bodies' names and aliases (data/gazetteer/central_bodies.csv)."""
    return frozenset(slug(n) for b in central_bodies() for n in (b.name, *b.aliases))


@lru_cache(maxsize=8192)
def is_central(name: str) -> bool:
    """A central body: its type says so, or the gazetteer names it (unless the name is a generic local one,
    like "Ban Chỉ đạo công tác thông tin đối ngoại", which plans use for their own)."""
    n = expand(name)
    t = classify(n)
    if (t and t.scope == "central") or fold(n).endswith(" trung uong"):
        return True
    if slug(n) in _central_names():
        return t is None or t.scope == "central" or bool(_NATIONAL.search(n))
    return False


def _tokens(text: str) -> list[str]:
    return [t for t in re.split(r"[^\w]+", nfc(text).casefold()) if t]


def identity_key(name: str, unit: Unit | None, group: bool = False) -> str:
    """score.py's agency_norm as an ASCII slug: the unit's own name dropped and, for a single local body,
    stop words and trailing level words too ("Đài Phát thanh và Truyền hình tỉnh" = "… tỉnh Hải Dương"). A single
    body's name is first rewritten by the variant rules (data/lexicon/agency_variants.csv: official forms)."""
    toks = _tokens(expand(name) if group else variant_form(name, unit))
    if unit is not None and not unit.is_country:
        for u in unit.chain():
            if u.is_country:
                break
            ptoks = _tokens(u.name)
            n = len(ptoks)
            for i in range(len(toks) - n, -1, -1):
                if n and toks[i : i + n] == ptoks and len(toks) - n > 1:  # "Báo Hải Dương" keeps its name
                    del toks[i : i + n]
                    break
    if not group:
        toks = [t for t in toks if t not in STOP]
        if unit is None or not unit.is_country:
            while toks and toks[-1] in LEVEL_WORDS:
                toks.pop()
    return slug(" ".join(toks)) or slug(name)


def agency_unit(name: str, plan: Unit, gazetteer=None) -> Unit:
    """The unit an agency named in a plan of `plan` belongs to."""
    n = expand(name)
    if is_central(n):
        return VN
    mentions = [(lw, p) for lw, p in mentioned_units(n) if not p.casefold().startswith("các")]
    if mentions:
        lw, place = mentions[-1]
        return place_unit(lw, place, plan, gazetteer)
    low = n.casefold()
    if low.endswith(_PROVINCE_ENDINGS) or any(c in low for c in _PROVINCE_COMMITTEES):
        return plan.province
    t = classify(n)
    if t is not None and t.id in PROVINCE_ONLY_TYPES:
        return plan.province
    if t is not None and t.id in _LOCAL_GOVERNMENT_TYPES and gazetteer is not None and not plan.province.is_country:
        m = _BARE_PLACE.search(n)  # "Ủy ban nhân dân Bình Liêu": a district the gazetteer knows, named bare
        if m and not same_name(m.group(1), plan.name):
            found = gazetteer.district_unit(m.group(1), plan.province, None)
            if found is not None:
                return found
    return plan


_LOCAL_GOVERNMENT_TYPES = {"peoples-committee", "peoples-council", "party-committee"}
# "Ủy ban nhân dân Bình Liêu", "Huyện ủy Bình Liêu": a local government body named with a bare district name
_BARE_PLACE = re.compile(rf"^(?:{alternation_of('people-body', ' ')}|{'|'.join(unit_committees('district'))})\s+"
                         r"((?:[A-ZÀ-ỸĐ][\w]*\s*){1,4})$")


@dataclass(frozen=True)
class AgencyRef:
    """A resolved mention: the body's key and unit, the name as printed (expanded) and the body's canonical name
    (official form with the unit's name where the rules know it, else the name rewritten by the variant rules)."""

    key: str
    unit: Unit
    name: str
    group: bool
    type_id: str | None
    canonical: str = ""


@lru_cache(maxsize=16384)
def resolve_agency(name: str, plan: Unit, gazetteer=None) -> AgencyRef:
    n = expand(name)
    group = is_group(n)
    unit = plan if group else agency_unit(n, plan, gazetteer)
    return _ref(n, unit, group)


def _ref(n: str, unit: Unit, group: bool) -> AgencyRef:
    if group:
        return AgencyRef(identity_key(n, unit, True), unit, n, True, None, n)
    v = variant_form(n, unit)
    t = agency_type(v) or agency_type(n)
    type_id = t.id if t else None
    return AgencyRef(identity_key(n, unit), unit, n, False, type_id, canonical_name(n, unit, type_id))


def with_unit(ref: AgencyRef, unit: Unit) -> AgencyRef:
    """The same mention placed in another unit (the issuer of a local instrument): key and canonical name again."""
    return ref if ref.group or unit == ref.unit else _ref(ref.name, unit, False)


@lru_cache(maxsize=16384)
def agency_type(name: str) -> AgencyType | None:
    """The type of a name by the one rule the parser uses too (ttdn_graph.lexicon.organisations.classify_type)."""
    from ttdn_graph.lexicon.organisations import classify_type

    return classify_type(expand(name))


@lru_cache(maxsize=16384)
def variant_form(name: str, unit: Unit | None) -> str:
    """The expanded name in its official form (data/lexicon/agency_variants.csv rules that apply in the unit)."""
    from ttdn_graph.lexicon.organisations import apply_variants

    return apply_variants(expand(name), unit)


def body_head(name: str, unit: Unit | None) -> str:
    """The official form without the unit: "Bộ Chỉ huy Biên phòng tỉnh Kon Tum" → "Bộ Chỉ huy Bộ đội Biên phòng"."""
    words = variant_form(name, unit).split()
    if unit is not None and not unit.is_country:
        for u in unit.chain():
            if u.is_country:
                break
            ut = _tokens(u.name)
            low = [w.casefold().strip(",.;:") for w in words]
            if ut and len(words) > len(ut) + 1 and low[-len(ut):] == ut:
                del words[-len(ut):]
                break
    while len(words) > 1 and words[-1].casefold() in LEVEL_WORDS:
        words.pop()
    return " ".join(words)


@cache
def _central_by_slug() -> dict[str, str]:
    return {slug(n): b.name for b in central_bodies() for n in (b.name, *b.aliases)}


@lru_cache(maxsize=16384)
def canonical_name(name: str, unit: Unit | None, type_id: str | None) -> str:
    """One label for every mention of a body: a central body's gazetteer name; for the types whose names take
    their unit (data/lexicon/organisation_types.csv canonical_form=unit), "<official form> <level> <unit name>"
    ("Bộ Chỉ huy Bộ đội Biên phòng tỉnh Kon Tum", "Tỉnh ủy Quảng Ninh"); else the official form as printed."""
    from ttdn_graph.lexicon.organisations import organisation_types

    v = variant_form(name, unit)
    if unit is None:
        return v
    if unit.is_country:
        return _central_by_slug().get(slug(v), v)
    form = organisation_types().get(type_id or "")
    if form is None or form.canonical_form != "unit" or unit.parent is None:
        return v
    head = body_head(name, unit)
    if head.casefold().endswith(" ủy") or head.casefold().endswith("ủy"):
        return f"{head} {unit.name}"
    level = "thành phố" if (unit.level or "").startswith("thành phố") else (unit.level or "")
    if not level or nfc(unit.name).casefold().startswith(level):
        return f"{head} {unit.name}"
    return f"{head} {level} {unit.name}"


def split_joint(name: str) -> list[str]:
    """ "Sở Thông tin và Truyền thông và Bộ Chỉ huy Bộ đội Biên phòng tỉnh" → the two bodies (split only where the
    right-hand part starts like an agency)."""
    n = expand(name)
    parts = n.split(" và ")
    if len(parts) < 2 or n.startswith("Văn phòng"):
        return [n]
    out, cur = [], parts[0]
    for p in parts[1:]:
        if classify(p) is not None and classify(cur) is not None and p[:1].isupper():
            out.append(cur)
            cur = p
        else:
            cur = f"{cur} và {p}"
    out.append(cur)
    return out
