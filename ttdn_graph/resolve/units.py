"""Administrative units (country, province, district…) as the graph names them.

A unit is identified by its slug path: "vn", "thua-thien-hue", "thua-thien-hue/huong-tra". Names in records are
relative to the plan's own unit, so the helpers here place a unit mentioned in an agency name ("tỉnh Thừa Thiên Huế",
"huyện Vân Đồn") against the plan's unit, conservatively: when in doubt the plan's own unit is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ttdn_graph.lexicon import (
    all_levels,
    ascii_fold,
    city_endings,
    levels_of,
    party_committees,
    short_forms,
    text_levels,
)
from ttdn_graph.lexicon.words import words
from ttdn_graph.record import Jurisdiction
from ttdn_graph.resolve.slug import nfc, slug

PROVINCE_LEVELS = levels_of("province")  # data/lexicon/levels.csv
COMMUNE_LEVELS = levels_of("commune")
# Level words that may precede a unit name, longest first so "thành phố" wins over "thành"; then short forms ("tp.").
LEVEL_PREFIXES = all_levels() + tuple(sorted((f for f in short_forms() if len(f) > 1), key=len, reverse=True))


@dataclass(frozen=True)
class Unit:
    name: str
    level: str | None
    parent: Unit | None = None
    key: str | None = None  # the gazetteer's id ("hai-phong-2025", "quang-ninh-van-don"), when known
    qualify: bool = False  # its name alone is not unique in its province (huyện and thị xã Kỳ Anh): path with level

    @property
    def path(self) -> str:
        """ "hai-phong-2025" (a province: the gazetteer's id), "quang-ninh/van-don" (a district), and with the level
        word for a commune-level unit, "quang-ninh/dac-khu-van-don" (huyện Vân Đồn and đặc khu Vân Đồn, from 2025,
        are two units of one province), or for a district whose province has two of that name,
        "ha-tinh/thi-xa-ky-anh"."""
        if self.parent is None:
            return "vn" if self.level == "quốc gia" else slug(self.name) or "unknown"
        if self.parent.parent is None:  # province: its parent is the country
            return self.key or slug(self.name)
        if (self.level in COMMUNE_LEVELS or self.qualify) and self.level and not _numbered(self.name):
            return f"{self.parent.path}/{slug(f'{self.level} {self.name}')}"
        return f"{self.parent.path}/{slug(self.name)}"

    @property
    def is_country(self) -> bool:
        return self.parent is None and self.level == "quốc gia"

    @property
    def province(self) -> Unit:
        u = self
        while u.parent is not None and not u.parent.is_country:
            u = u.parent
        return u

    @property
    def is_provincial(self) -> bool:
        return self.parent is not None and self.parent.is_country

    def chain(self) -> list[Unit]:
        """This unit and every unit above it, nearest first."""
        out, u = [], self
        while u is not None:
            out.append(u)
            u = u.parent
        return out


VN = Unit("Việt Nam", "quốc gia")


def _numbered(name: str) -> bool:
    return bool(re.fullmatch(r"(?:quận|phường|q|p)?\.?\s*\d{1,3}", nfc(name).strip(), re.IGNORECASE))


def unit_name(name: str, level: str | None) -> str:
    """The name a unit is labelled with: its name, or for a numbered one the level word too ("7", quận → "Quận 7")."""
    n = strip_level(name) if level and nfc(name).casefold().startswith(level) else name
    if level and re.fullmatch(r"\d{1,3}", n.strip()):
        return f"{level[:1].upper()}{level[1:]} {n.strip()}"
    return name


def strip_level(name: str) -> str:
    """ "tỉnh Hải Dương" → "Hải Dương"; "Thành phố Hồ Chí Minh" → "Hồ Chí Minh"."""
    n = nfc(name).strip()
    low = n.casefold()
    for p in LEVEL_PREFIXES:
        if low.startswith(p + " "):
            return n[len(p) + 1 :].strip()
    return n


def province(name: str, gazetteer=None) -> Unit:
    """A province-level unit by name: the gazetteer's canonical unit when it knows the name."""
    if gazetteer is not None:
        hit = gazetteer.province_unit(name)
        if hit is not None:
            return hit
    return Unit(strip_level(name), "tỉnh", VN)


def same_name(a: str | None, b: str | None) -> bool:
    return bool(a and b) and slug(strip_level(a)) == slug(strip_level(b))


def plan_unit(j: Jurisdiction | None, place: str | None = None, gazetteer=None) -> Unit | None:
    """The unit a plan belongs to, from the record's jurisdiction (or its place line when that is all there is)."""
    name = (j.name if j else None) or place
    if not name:
        return None
    level = (j.level if j else None) or "tỉnh"
    if j and j.parent:
        prov = province(j.parent, gazetteer)
        found = None
        if gazetteer is not None:
            lookup = gazetteer.commune_unit if level in COMMUNE_LEVELS else gazetteer.district_unit
            found = lookup(name, prov, level)
        return found or Unit(unit_name(strip_level(name), level), level, prov)
    if gazetteer is not None:
        hit = gazetteer.province_unit(name, level)
        if hit is not None:
            return hit
    # a province, or a sub-provincial unit whose province the record does not give (kept under the country)
    return Unit(strip_level(name), level, VN)


# "tỉnh Thừa Thiên Huế", "huyện Vân Đồn", "Tỉnh ủy Quảng Ninh", "tỉnh Bà Rịa - Vũng Tàu": a level word followed by
# capitalised words, which a hyphen or dash may join ("Bà Rịa - Vũng Tàu", "Bà Rịa–Vũng Tàu", "Thừa Thiên - Huế").
_WORD = r"[^\W\d_][\w'’]*"
_JOIN = r"(?:\s*[-–—]\s*|\s+)"
_MENTION = re.compile(
    rf"(?<!\w)({'|'.join(sorted({*text_levels(), *party_committees(), *COMMUNE_LEVELS}, key=lambda w: (-len(w), w)))})\s+"
    rf"({_WORD}(?:{_JOIN}{_WORD})*)",
    re.IGNORECASE,
)
_DASH = re.compile(r"\s*[-–—]\s*")
_PROVINCE_WORDS = {w for w in (*text_levels(), *party_committees()) if party_committees().get(w, w) in PROVINCE_LEVELS}
_COMMUNE_WORDS = set(COMMUNE_LEVELS)
_NOT_PLACES = words("not-a-commune-place")  # data/lexicon/words.csv: "xã hội", "… xã hội chủ nghĩa Việt Nam"
_CITY_WORDS = set(city_endings())  # data/lexicon/levels.csv: "thành phố", "thành ủy"


def _capitalised_run(text: str) -> str:
    """The capitalised words at the start of `text`; a dash between two of them is kept, spelled " - "."""
    parts = re.split(r"(\s*[-–—]\s*|\s+)", text.strip())
    out: list[str] = []
    for i in range(0, len(parts), 2):
        w = parts[i]
        if not w[:1].isupper():
            break
        if out:
            out.append(" - " if _DASH.fullmatch(parts[i - 1]) else " ")
        out.append(w)
    return "".join(out)


def mentioned_units(name: str) -> list[tuple[str, str]]:
    """(level word, place name) pairs named explicitly in an agency name, in order ("Bà Rịa - Vũng Tàu" whole)."""
    out = []
    for m in _MENTION.finditer(nfc(name)):
        place = _capitalised_run(m.group(2))
        word = m.group(1).casefold()
        if place and not (word in _COMMUNE_WORDS and place.casefold().startswith(_NOT_PLACES)):
            out.append((word, place))
    return out


def _word_prefix(short: str, long: str) -> bool:
    """ "Bà Rịa" is a word-prefix of "Bà Rịa - Vũng Tàu" (and "Thừa Thiên" of "Thừa Thiên Huế"); equal names are not."""
    a, b = slug(strip_level(short)).split("-"), slug(strip_level(long)).split("-")
    return 0 < len(a) < len(b) and b[: len(a)] == a


def _known_place(level_word: str, place: str, plan: Unit, gazetteer=None) -> Unit | None:
    """The unit `place` names relative to the plan's unit, when the plan's chain or the gazetteer knows it."""
    if same_name(place, plan.name):
        return plan
    prov = plan.province
    if same_name(place, prov.name):
        return prov
    if gazetteer is not None and (level_word in _PROVINCE_WORDS or level_word in _CITY_WORDS):
        hit = gazetteer.province_unit(place)
        if hit is not None:
            return hit
    if level_word in _PROVINCE_WORDS and not prov.is_country and _word_prefix(place, prov.name):
        return prov  # "tỉnh Bà Rịa" in a plan of Bà Rịa - Vũng Tàu: the province, cut short, never a new one
    if gazetteer is not None and not prov.is_country:
        if level_word in _COMMUNE_WORDS:  # a commune of 1 July 2025 or later; earlier ones are not listed
            return gazetteer.commune_unit(place, prov, level_word)
        return gazetteer.district_unit(place, prov, None)
    return None


def place_unit(level_word: str, place: str, plan: Unit, gazetteer=None) -> Unit:
    """Place an explicitly named unit relative to the plan's unit (conservatively).

    A dashed name is tried whole ("Bà Rịa - Vũng Tàu"), then up to its first dash ("Quảng Ninh - Ban Tuyên giáo" is
    Quảng Ninh); a name nobody knows keeps the part before the dash. A province-level word before a name that begins
    the plan's province name gives that province, so a plan of a province never gains a second, phantom province.
    """
    cands = [place]
    head = _DASH.split(place, maxsplit=1)[0].strip()
    if head and head != place:
        cands.append(head)
    for cand in cands:
        hit = _known_place(level_word, cand, plan, gazetteer)
        if hit is not None:
            return hit
    prov = plan.province
    if level_word in _PROVINCE_WORDS:
        return province(head, gazetteer)
    if level_word in _COMMUNE_WORDS and not plan.is_provincial and not plan.is_country and plan.level not in \
            COMMUNE_LEVELS and plan.parent is not None:  # fmt: skip
        return Unit(unit_name(head, level_word), level_word, plan)  # a commune of the district whose plan names it
    level = party_committees().get(level_word, level_word)
    return Unit(unit_name(head, level), level, prov if not prov.is_country else VN)


def folded_tokens(text: str) -> list[str]:
    return [t for t in re.split(r"[^a-z0-9]+", ascii_fold(nfc(text))) if t]
