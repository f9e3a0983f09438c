"""Agencies as organisations: the data that makes one node per body and places it among others.

    data/lexicon/agency_variants.csv     rewrite rules from common short forms to a body's official name
                                         ("Bộ Chỉ huy Biên phòng" → "Bộ Chỉ huy Bộ đội Biên phòng"), per unit level
    data/lexicon/organisation_types.csv  per agency type: its form when a central type is named with a local unit
                                         (ministry-department → branch) and whether its canonical name takes the unit
    data/lexicon/agency_parents.csv      which agency types have which parent body (org:subOrganizationOf)
    data/lexicon/agency_changes.csv      renames, mergers and transfers with their dates and sources (org:ChangeEvent)

Every file is read by ttdn_graph.lexicon._load.load: a malformed row raises LexiconError naming the file and line.
`classify_type` is the one rule both the parser and the graph type a name by.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from ttdn_graph.lexicon._load import LexiconError, load
from ttdn_graph.paths import data_dir

# unit kinds a rule may name; "local" = any unit below the country, "any" = every unit
LEVELS = ("any", "central", "local", "province", "district", "commune")
CHANGE_KINDS = ("rename", "merger", "split", "transfer")
PARENT_UNITS = ("same", "province", "central")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_PLACEHOLDERS = {"party_committee"}


def _path(name: str) -> Path:
    return data_dir() / "lexicon" / name


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise ValueError(f"level {level!r} is not one of {', '.join(LEVELS)}")


def _check_placeholders(text: str) -> None:
    bad = set(_PLACEHOLDER.findall(text)) - _PLACEHOLDERS
    if bad:
        raise ValueError(f"unknown placeholder {{{sorted(bad)[0]}}} (known: {', '.join(sorted(_PLACEHOLDERS))})")


@dataclass(frozen=True)
class VariantRule:
    """A rewrite of the expanded name, applied (case-insensitively, in file order) before the identity key."""

    pattern: str
    replacement: str
    level: str
    note: str = ""
    rx: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check_level(self.level)
        _check_placeholders(self.replacement)
        try:
            object.__setattr__(self, "rx", re.compile(self.pattern, re.IGNORECASE))
        except re.error as e:
            raise ValueError(f"bad regular expression {self.pattern!r}: {e}") from None


@dataclass(frozen=True)
class OrganisationType:
    agency_type: str
    local_type: str | None = None  # a central type named with a local unit is this local type
    canonical_form: str | None = None  # "unit": the canonical name is "<body> <level word> <unit name>"
    note: str = ""

    def __post_init__(self) -> None:
        if self.canonical_form not in (None, "unit"):
            raise ValueError(f"canonical_form {self.canonical_form!r} is not 'unit' or empty")


@dataclass(frozen=True)
class ParentRule:
    """Bodies of `agency_type` in units of `level` (whose name without the unit matches `name_pattern`) are
    sub-organisations of `parent` in the same unit, the unit's province or the country."""

    agency_type: str
    level: str
    parent: str
    parent_unit: str
    name_pattern: str | None = None
    parent_type: str | None = None
    note: str = ""
    rx: re.Pattern[str] | None = field(init=False, repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        _check_level(self.level)
        _check_placeholders(self.parent)
        if self.parent_unit not in PARENT_UNITS:
            raise ValueError(f"parent_unit {self.parent_unit!r} is not one of {', '.join(PARENT_UNITS)}")
        if self.name_pattern:
            try:
                object.__setattr__(self, "rx", re.compile(self.name_pattern))
            except re.error as e:
                raise ValueError(f"bad regular expression {self.name_pattern!r}: {e}") from None


@dataclass(frozen=True)
class AgencyChange:
    """The body `original` (compared by identity key, in each unit of `level`, or only in `province`) became or
    passed functions to `result` (same unit; the country for central rows) on `date`, by the instrument `source`."""

    id: str
    original: str
    level: str
    result: str
    kind: str
    source: str
    source_url: str
    date: date | None = None
    province: str | None = None
    note: str = ""

    def __post_init__(self) -> None:
        _check_level(self.level)
        if self.level in ("any", "local"):
            raise ValueError(f"a change names one level (central, province, district or commune), not {self.level!r}")
        if self.kind not in CHANGE_KINDS:
            raise ValueError(f"kind {self.kind!r} is not one of {', '.join(CHANGE_KINDS)}")
        if not re.match(r"https?://\S+$", self.source_url):
            raise ValueError(f"source_url {self.source_url!r} is not an http(s) URL")
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", self.id):
            raise ValueError(f"id {self.id!r} is not a lower-case slug")
        if self.date is None and not self.note:
            raise ValueError("a change without a date must say why in its note")
        if self.province and self.level != "province":
            raise ValueError("a change restricted to a province is a provincial change")


@cache
def variant_rules(path: Path | None = None) -> tuple[VariantRule, ...]:
    return load("agency_variants.csv", VariantRule, path or _path("agency_variants.csv"))


@cache
def organisation_types(path: Path | None = None) -> dict[str, OrganisationType]:
    rows = load("organisation_types.csv", OrganisationType, path or _path("organisation_types.csv"))
    return {r.agency_type: r for r in rows}


@cache
def parent_rules(path: Path | None = None) -> tuple[ParentRule, ...]:
    return load("agency_parents.csv", ParentRule, path or _path("agency_parents.csv"))


@cache
def agency_changes(path: Path | None = None) -> tuple[AgencyChange, ...]:
    rows = load("agency_changes.csv", AgencyChange, path or _path("agency_changes.csv"))
    seen: set[str] = set()
    for r in rows:
        if r.id in seen:
            raise LexiconError(f"{path or _path('agency_changes.csv')}: id {r.id!r} is used twice")
        seen.add(r.id)
    return rows


@dataclass(frozen=True)
class ChangeLabel:
    """How a change of a kind is labelled: "<verb> <original> <preposition> <result>" ("Hợp nhất A vào B")."""

    kind: str
    verb: str
    preposition: str
    note: str = ""

    def __post_init__(self) -> None:
        if self.kind not in CHANGE_KINDS:
            raise ValueError(f"kind {self.kind!r} is not one of {', '.join(CHANGE_KINDS)}")


@cache
def change_labels(path: Path | None = None) -> dict[str, tuple[str, str]]:
    """Change kind → (verb, preposition), from data/lexicon/change_labels.csv; every change kind has one."""
    where = path or _path("change_labels.csv")
    rows = load("change_labels.csv", ChangeLabel, where)
    out = {r.kind: (r.verb, r.preposition) for r in rows}
    missing = [k for k in CHANGE_KINDS if k not in out]
    if missing or len(out) != len(rows):
        raise LexiconError(f"{where}: one label per change kind ({', '.join(CHANGE_KINDS)}); missing {missing}")
    return out


# -- units ------------------------------------------------------------------------------------------------------
def unit_kind(unit) -> str | None:
    """"central", "province", "district" or "commune" for a graph Unit (None: not placed)."""
    if unit is None:
        return None
    if unit.is_country:
        return "central"
    if unit.parent is None:
        return None
    if unit.is_provincial:
        return "province"
    from ttdn_graph.lexicon.levels import levels_of

    return "commune" if unit.level in levels_of("commune") else "district"


def level_applies(level: str, unit) -> bool:
    kind = unit_kind(unit)
    if level == "any":
        return True
    if kind is None:
        return False
    return level == kind or (level == "local" and kind != "central")


def party_committee(unit) -> str | None:
    """ "Tỉnh ủy", "Thị ủy" … for a unit, from data/lexicon/levels.csv (None when its level has none)."""
    from ttdn_graph.lexicon.levels import level_words

    if unit is None or unit.is_country:
        return None
    level = unit.level or ("tỉnh" if unit.is_provincial else None)
    return next((w.party_committee for w in level_words() if w.word == level and w.party_committee), None)


def fill(template: str, unit) -> str | None:
    """A rule's text with its placeholders filled for the unit (None: a placeholder the unit cannot fill)."""
    if "{party_committee}" in template:
        pc = party_committee(unit)
        if pc is None:
            return None
        template = template.replace("{party_committee}", pc)
    return template


def apply_variants(name: str, unit) -> str:
    """The expanded name rewritten by every variant rule that applies in the unit (official forms)."""
    s = name
    for r in variant_rules():
        if not level_applies(r.level, unit) or not r.rx.search(s):
            continue
        rep = fill(r.replacement, unit)
        if rep is None:
            continue
        s = r.rx.sub(rep, s)
    return re.sub(r"\s+", " ", s).strip()


# -- the one classification rule -------------------------------------------------------------------------------
_LOCAL = re.compile(r"(?<!\w)(tỉnh ủy|thành ủy|huyện ủy|thị ủy|quận ủy|thành phố|thị xã|thị trấn|đặc khu|tỉnh|huyện|quận"
                    r"|xã|phường)(?:\s+(\w)|\s*$)", re.IGNORECASE)
_NOT_LOCAL = re.compile(r"\bThông tấn xã\b", re.IGNORECASE)


def names_local_unit(name: str) -> bool:
    """Does the name carry a local unit: a level word before a capitalised name ("… tỉnh Quảng Ninh", "… huyện Vân
    Đồn") or at its end ("… tỉnh")? "Xã hội", "Thông tấn xã Việt Nam" do not."""
    n = _NOT_LOCAL.sub("", name)
    for m in _LOCAL.finditer(n):
        nxt = m.group(2)
        if nxt is None or nxt[:1].isupper() or nxt[:1].isdigit():
            return True
    return False


def classify_type(name: str, types=None):
    """The agency type of a (canonical) name: the first type, in agency_types.csv order, whose pattern matches; a
    central type on a name that carries a local unit becomes its local form (organisation_types.csv local_type:
    "Cục Hải quan tỉnh Quảng Ninh" is a branch) or, without one, is passed over. Parser and graph both call this."""
    if types is None:
        from ttdn_graph.lexicon.agency_types import agency_types

        types = agency_types()
    local = None
    by_id = None
    for t in types:
        if not t.pattern.search(name):
            continue
        if t.scope == "central":
            if local is None:
                local = names_local_unit(name)
            if local:
                form = organisation_types().get(t.id)
                if form is not None and form.local_type:
                    by_id = by_id or {x.id: x for x in types}
                    if form.local_type in by_id:
                        return by_id[form.local_type]
                continue
        return t
    return None
