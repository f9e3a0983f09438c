"""A deterministic synthetic national corpus of TTĐN plan texts, for benchmarks and parser tests.

    from bench.corpus import generate
    plans = generate(1000, Path("/tmp/corpus"))      # writes 1000 .txt/.md files, returns GeneratedPlan list

Why synthetic: five seed plans are a demo, the real corpus is ~10,000 plans from 63 provinces, their districts and
departments. The generator recombines the seeds' layouts (field lines, italic fields, agency-centred sections,
compact, Markdown) with template fragments (bench/corpus_data/phrases.json), real jurisdictions
(data/gazetteer/, plus synthetic districts where the gazetteer has none — flagged in `expected`), agency names per
level (bench/corpus_data/agencies.json, typed by data/vocab/agency_types.csv) and a shared pool of invented central
instruments with implement chains (Party → Government → Ministry), so that cascades run Party → Government →
Ministry → Province → District. Every plan carries `expected`: the facts the generator put in, for checking the
extractor. Output is a pure function of (n, seed): one Random per plan, seeded with a string (no hash randomisation,
no clock), and a prefix property — generate(100) is the first 100 plans of generate(1000).
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from ttdn_graph import gazetteer

DATA = Path(__file__).resolve().parent / "corpus_data"
YEARS = tuple(range(2018, 2025))
LAYOUTS = ("fieldline", "italic", "agency", "compact", "markdown")
_LAYOUT_WEIGHTS = (30, 20, 20, 15, 15)
MESSY_RATE = 0.02  # per citation: spacing inside the symbol, a date contradicting its year, no date
BREAK_RATE = 0.003  # per paragraph: a line broken mid-sentence
_LETTERS = ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n"]
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]


@dataclass
class GeneratedPlan:
    """One generated plan and what the generator put in it.

    `expected` (JSON-ready): kind (province | district | department), theme, number, date_issued, place, issuer,
    jurisdiction {name, level, parent}, synthetic_unit (a district name the gazetteer does not know), title,
    period {start, end}, signer {name, position}, instruments {basis, proposal, body} (numbers as the extractor
    normalises them, whitespace removed, first-seen order; a number cited in the preamble and again later is listed
    under both), implements [[number, number]] (numbered links stated in the text), cites_plan (the province plan a
    district or department plan rests on), tasks (count, SCHEMA.md rules), task_list [{id, parent, heading, lead,
    support, time}], leads {task id: canonical lead agencies} (non-empty only for field lines and "Agency: duty"
    bullets), responsibilities [{section, agencies, duties}], messy (the variants applied: spacing,
    date-contradicts-number, no-date, number-spacing, uy-variant, broken-line).
    """

    file_name: str
    text: str
    province: str
    district: str | None
    year: int
    layout: str
    number: str | None
    expected: dict = field(default_factory=dict)


# ---------------------------------------------------------------- reference data


@cache
def _phrases() -> dict:
    return json.loads((DATA / "phrases.json").read_text(encoding="utf-8"))


@cache
def _agency_bank() -> dict:
    return json.loads((DATA / "agencies.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Unit:
    """A jurisdiction as plans print it."""

    name: str
    level: str  # SCHEMA.md level
    word: str  # the level word printed before the name
    province: str | None = None  # enclosing province (districts)
    synthetic: bool = False

    @property
    def full(self) -> str:
        return f"{self.word} {self.name}"

    @property
    def committee(self) -> str:
        return {"tỉnh": "Tỉnh ủy", "huyện": "Huyện ủy", "thị xã": "Thị ủy", "quận": "Quận ủy"}.get(self.word, "Thành ủy")

    @property
    def subunits(self) -> str:
        if self.province is None:
            return "huyện, thị xã, thành phố" if self.word == "tỉnh" else "quận, huyện, thị xã"
        return {"huyện": "xã, thị trấn", "quận": "phường"}.get(self.word, "xã, phường")


@dataclass(frozen=True)
class Inst:
    """An instrument of the shared pool (central) or of a province."""

    key: str
    type: str
    number: str
    date: date
    issuer: str  # as printed
    subject: str
    implements: tuple[str, ...] = ()
    tier: str = "central"


@dataclass
class Slot:
    """A province-level plan: emitted as a corpus document and/or cited by other plans."""

    province: Unit
    theme: str
    year: int
    end_year: int
    number: str
    date: date
    title: str
    subject: str
    target: Inst | None = None  # the central instrument an "implement" plan carries out


@dataclass
class World:
    provinces: list[Unit]
    districts: dict[str, list[Unit]]
    pool: dict[str, Inst]
    local: dict[str, list[Inst]]  # province → its own instruments (regulation, steering, scheme)
    slots: list[Slot]  # every province plan, in cluster order
    by_province: dict[str, list[Slot]] = field(default_factory=dict)


# ---------------------------------------------------------------- world building


def _ascii(s: str) -> str:
    s = s.replace("đ", "d").replace("Đ", "D")
    s = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


def _provinces() -> list[Unit]:
    out = []
    for p in gazetteer.provinces():
        if p.valid_from is None:  # the 63 pre-2025 units
            word = "tỉnh" if p.level == "tỉnh" else "thành phố"
            out.append(Unit(p.name, p.level, word))
    return out


def _districts(provinces: list[Unit], rng: random.Random) -> dict[str, list[Unit]]:
    """Gazetteer districts where known, else synthetic names from common syllables (unique nationally and never
    a name the gazetteer knows, so the extractor cannot resolve them to another province)."""
    taken = {gazetteer.name_key(n) for u in (*gazetteer.provinces(), *gazetteer.districts()) for n in (u.name, *u.aliases)}
    syl = _phrases()["district_syllables"]
    out: dict[str, list[Unit]] = {}
    for p in provinces:
        real = [
            Unit(d.name, d.level, d.level, p.name)
            for d in gazetteer.districts()
            if d.province == p.name and d.valid_from is None and d.level in ("huyện", "thị xã", "thành phố", "quận")
        ]
        units = list(real)
        want = max(len(real), rng.randint(7, 11))
        central = p.word == "thành phố"
        while len(units) < want:
            name = f"{rng.choice(syl['first'])} {rng.choice(syl['second'])}"
            a, b = name.split()
            if a == b or gazetteer.name_key(name) in taken:
                continue
            taken.add(gazetteer.name_key(name))
            r = rng.random()
            if central:
                word = "quận" if r < 0.5 else "huyện" if r < 0.9 else "thị xã"
            else:
                word = "huyện" if r < 0.75 else "thị xã" if r < 0.9 else "thành phố"
            units.append(Unit(name, word, word, p.name, synthetic=True))
        out[p.name] = units
    return out


def _rand_date(rng: random.Random, lo: date, hi: date) -> date:
    if hi <= lo:
        return lo
    return lo + timedelta(days=rng.randint(0, (hi - lo).days))


_POOL_SPECS = [
    # key, type, count, issuer(s), symbol format, implements (keys' prefixes), year range
    ("CT-TW", "Chỉ thị", 4, ["Ban Bí thư"], "{n}-CT/TW", (), (2008, 2019)),
    ("KL-TW", "Kết luận", 3, ["Bộ Chính trị"], "{n}-KL/TW", (), (2010, 2020)),
    ("NQ-TW", "Nghị quyết", 3, ["Ban Chấp hành Trung ương", "Bộ Chính trị"], "{n}-NQ/TW", (), (2011, 2020)),
    ("ND-CP", "Nghị định", 3, ["Chính phủ"], "{n}/{y}/NĐ-CP", (), (2011, 2019)),
    ("NQ-CP", "Nghị quyết", 2, ["Chính phủ"], "{n}/NQ-CP", ("NQ-TW",), (2012, 2022)),
    ("QD-TTg", "Quyết định", 10, ["Thủ tướng Chính phủ"], "{n}/QĐ-TTg", ("CT-TW", "KL-TW", "NQ-TW"), (2012, 2023)),
    ("CT-TTg", "Chỉ thị", 3, ["Thủ tướng Chính phủ"], "{n}/CT-TTg", ("CT-TW", "KL-TW"), (2012, 2022)),
    ("TT-BTTTT", "Thông tư", 3, ["Bộ Thông tin và Truyền thông"], "{n}/{y}/TT-BTTTT", ("ND-CP",), (2013, 2022)),
    ("QD-BTTTT", "Quyết định", 2, ["Bộ Thông tin và Truyền thông"], "{n}/QĐ-BTTTT", ("QD-TTg",), (2014, 2023)),
    ("CV-BTTTT", "Công văn", 2, ["Bộ Thông tin và Truyền thông"], "{n}/BTTTT-TTCS", ("QD-TTg",), (2015, 2023)),
]
_SERIAL = {"CT-TW": (1, 60), "KL-TW": (1, 120), "NQ-TW": (1, 60), "ND-CP": (5, 180), "NQ-CP": (10, 160),
           "QD-TTg": (100, 2300), "CT-TTg": (1, 45), "TT-BTTTT": (1, 40), "QD-BTTTT": (100, 2500),
           "CV-BTTTT": (1000, 4800), "HD-BTTTT": (2000, 4900)}  # fmt: skip


def _central_pool(rng: random.Random) -> dict[str, Inst]:
    subj = _phrases()["central_subjects"]
    pool: dict[str, Inst] = {}
    used: set[str] = set()
    cap = date(2023, 12, 31)

    def fill(s: str, y: int) -> str:
        a = y + rng.randint(0, 1)
        return s.format(a=a, b=a + rng.randint(2, 7), next=y + 1)

    def number(kind: str, fmt: str, y: int) -> str:
        lo, hi = _SERIAL[kind]
        while True:
            n = rng.randint(lo, hi)
            num = fmt.format(n=f"{n:02d}" if n < 10 and rng.random() < 0.7 else n, y=y)  # "06-NQ/TW", "03/2019/TT-…"
            if num not in used:
                used.add(num)
                return num

    for kind, typ, count, issuers, fmt, impl, (y0, y1) in _POOL_SPECS:
        subjects = rng.sample(subj[kind], min(count, len(subj[kind])))
        for i in range(count):
            parents = [p for p in pool.values() if p.key.split("#")[0] in impl]
            parent = rng.choice(parents) if parents else None
            lo = max(date(y0, 1, 1), parent.date + timedelta(days=60)) if parent else date(y0, 1, 1)
            d = _rand_date(rng, lo, min(cap, max(lo, date(y1, 12, 31))))
            key = f"{kind}#{i}"
            s = fill(subjects[i % len(subjects)], d.year)
            pool[key] = Inst(key, typ, number(kind, fmt, d.year), d, rng.choice(issuers), s,
                             (parent.key,) if parent else ())
    # the ministry's yearly guidance for next year's plans (cited by most annual plans)
    decisions = [p for p in pool.values() if p.key.startswith("QD-TTg")]
    for y in range(2017, 2024):
        d = _rand_date(rng, date(y, 10, 15), date(y, 12, 20))
        parents = [p for p in decisions if p.date < d]
        parent = rng.choice(parents) if parents else None
        s = fill(rng.choice(subj["HD-BTTTT"]), y)
        pool[f"HD-BTTTT#{y}"] = Inst(f"HD-BTTTT#{y}", "Hướng dẫn", number("HD-BTTTT", "{n}/BTTTT-TTĐN", y), d,
                                     "Bộ Thông tin và Truyền thông", s, (parent.key,) if parent else ())
    return pool


class _Numbers:
    """Serial numbers unique per (issuer, year), rising with the day of the year at an issuer-specific rate."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: dict[tuple[str, int], set[int]] = {}
        self.rate: dict[str, float] = {}

    def next(self, issuer: str, d: date, lo_rate: float = 0.3, hi_rate: float = 11.0) -> int:
        rate = self.rate.setdefault(issuer, self.rng.uniform(lo_rate, hi_rate))
        used = self.used.setdefault((issuer, d.year), set())
        n = max(1, int(d.timetuple().tm_yday * rate + self.rng.randint(-3, 12)))
        while n in used:
            n += 1
        used.add(n)
        return n


def _fill(s: str, **kw) -> str:
    return s.format_map(_Default(kw))


class _Default(dict):
    def __missing__(self, k):
        return "{" + k + "}"


def _province_local(p: Unit, rng: random.Random, numbers: _Numbers, pool: dict[str, Inst]) -> list[Inst]:
    pl = _phrases()["province_local"]
    ubnd = f"UBND {p.full}"
    decree = next((i for i in pool.values() if i.key.startswith("ND-CP")), None)
    d1 = _rand_date(rng, date(2014, 1, 1), date(2018, 6, 30))
    reg = Inst(f"REG:{p.name}", "Quyết định", f"{numbers.next(ubnd + '/QĐ', d1, 0.1, 0.3)}/{d1.year}/QĐ-UBND", d1, ubnd,
               _fill(pl["regulation"], pf=p.full), (decree.key,) if decree and decree.date < d1 else (), "province")
    d2 = _rand_date(rng, date(2015, 1, 1), date(2018, 12, 31))
    steer = Inst(f"BCD:{p.name}", "Quyết định", f"{numbers.next(p.committee + p.name, d2, 0.5, 2.5)}-QĐ/TU", d2,
                 f"Ban Thường vụ {p.committee} {p.name}", _fill(pl["steering"], pf=p.full), (), "province")
    d3 = _rand_date(rng, date(2013, 1, 1), date(2017, 12, 31))
    a = d3.year + 1
    scheme = Inst(f"DA:{p.name}", "Quyết định", f"{numbers.next(ubnd + '/QĐ', d3, 0.1, 0.3)}/QĐ-UBND", d3, ubnd,
                  _fill(pl["scheme"], pf=p.full, a=a, b=a + 5 + rng.randint(0, 2)), (), "province")
    return [reg, steer, scheme]


def _theme(tid: str) -> dict:
    return next(t for t in _phrases()["themes"] if t["id"] == tid)


def _slots(p: Unit, rng: random.Random, numbers: _Numbers, pool: dict[str, Inst]) -> list[Slot]:
    ubnd = f"UBND {p.full}"
    out: list[Slot] = []

    def add(theme: str, year: int, end_year: int, d: date, target: Inst | None = None) -> None:
        t = _theme(theme)
        inst = f"{target.type} số {target.number} của {target.issuer}" if target else ""
        kw = {"uf": p.full, "y": year, "a": year, "b": end_year, "inst": inst}
        title = _fill(rng.choice(t["title"]), **kw)
        subject = _fill(t["subject"], **kw)
        if theme == "annual" and rng.random() < 0.5:
            subject = "về " + title[0].lower() + title[1:]
        out.append(Slot(p, theme, year, end_year, f"{numbers.next(ubnd, d)}/KH-UBND", d, title, subject, target))

    others = ["sea", "integration", "image", "border", "rights", "overseas", "digital"]
    for y in YEARS:
        add("annual", y, y, _rand_date(rng, date(y - 1, 10, 1), date(y, 3, 15)))
        for th in others:
            add(th, y, y, _rand_date(rng, date(y, 1, 10), date(y, 11, 30)))
    for a in (2019, 2021):
        b = a + (1 if a == 2019 else 4)
        add("period", a, b, _rand_date(rng, date(a - 1, 9, 1), date(a, 3, 31)))
    for inst in pool.values():
        if inst.type in ("Quyết định", "Chỉ thị") and inst.number.endswith("TTg"):
            d = inst.date + timedelta(days=rng.randint(20, 200))
            if YEARS[0] <= d.year <= YEARS[-1]:
                add("implement", d.year, d.year, d, inst)
    return out


@cache
def build_world(seed: int = 2019) -> World:
    """Provinces, districts, the central pool, province instruments and province plans — a pure function of seed."""
    rng = random.Random(f"world:{seed}")
    provinces = _provinces()
    districts = _districts(provinces, rng)
    pool = _central_pool(rng)
    numbers = _Numbers(rng)
    local = {p.name: _province_local(p, rng, numbers, pool) for p in provinces}
    slots = [s for p in provinces for s in _slots(p, rng, numbers, pool)]
    by_province: dict[str, list[Slot]] = {}
    for s in slots:
        by_province.setdefault(s.province.name, []).append(s)
    random.Random(f"order:{seed}").shuffle(slots)
    return World(provinces, districts, pool, local, slots, by_province)


# ---------------------------------------------------------------- text helpers


def _d_short(d: date, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.03:
        return f"{d.day:02d}-{d.month:02d}-{d.year}"
    if r < 0.45:
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if r < 0.75:
        return f"{d.day}/{d.month}/{d.year}"
    return f"{d.day:02d} tháng {d.month:02d} năm {d.year}"


def _norm_number(s: str) -> str:
    return re.sub(r"\s+", "", s)


@dataclass(frozen=True)
class Ag:
    canon: str
    printed: str


_CARRY = re.compile(r"triển khai|thực hiện|thi hành")
_ABBR = [("UBND", "Ủy ban nhân dân"), ("HĐND", "Hội đồng nhân dân"), ("TT&TT", "Thông tin và Truyền thông"),
         ("PT-TH", "Phát thanh và Truyền hình"), ("TTĐT", "thông tin điện tử"), ("MTTQ", "Mặt trận Tổ quốc")]


def _expand(printed: str) -> str:
    """The canonical name of a printed agency (SCHEMA.md: abbreviations expanded, 'các …' groups lower-case)."""
    s = printed
    for a, full in _ABBR:
        s = s.replace(a, full)
    return "c" + s[1:] if s.startswith("Các ") else s


def _person(rng: random.Random) -> str:
    n = _phrases()["names"]
    return f"{rng.choice(n['family'])} {rng.choice(n['middle'])} {rng.choice(n['given'])}"


# ---------------------------------------------------------------- one plan


@dataclass
class Task:
    heading: str
    paras: list[str] = field(default_factory=list)
    lead: list[Ag] = field(default_factory=list)
    support: list[Ag] = field(default_factory=list)
    time: str | None = None
    kids: list[Task] = field(default_factory=list)
    kind: str = "num"  # num | letter | bullet
    colon: bool = False  # "- Agency: duty" bullet


@dataclass(frozen=True)
class Style:
    """How one plan is printed."""

    layout: str  # one of LAYOUTS
    header: str  # plain ("Số:" and date lines) | block (+ issuer and national motto) | table (Markdown) | none
    preamble: str  # can-cu (one "Căn cứ …;" line each) | thuc-hien / one (a single "Thực hiện / Căn cứ …" sentence)
    no_day: bool = False  # "ngày    tháng 10 năm 2018": an undated draft


@dataclass(frozen=True)
class PlanSpec:
    """What one plan is: who issues it, for which period, and the province plan it rests on (if any)."""

    kind: str  # province | district | department
    unit: Unit
    province: Unit
    year: int
    end_year: int
    issued: date
    number: str | None  # as printed in the header (None when the header has none)
    title: str
    slot: Slot | None  # the province plan this document is (province plans)
    parent: Slot | None  # the province plan this document cites (district and department plans)


class PlanWriter:
    """Composes one plan: header, preamble, sections, closing, signature; records what it wrote."""

    def __init__(self, world: World, rng: random.Random, spec: PlanSpec, style: Style):
        self.w, self.rng, self.style = world, rng, style
        self.kind, self.unit, self.province = spec.kind, spec.unit, spec.province
        self.year, self.end_year, self.issued, self.layout = spec.year, spec.end_year, spec.issued, style.layout
        self.slot, self.parent_slot, self.number, self.title = spec.slot, spec.parent, spec.number, spec.title
        self.header_style, self.preamble_style, self.no_day = style.header, style.preamble, style.no_day
        self.place: str | None = None
        self.signer: dict | None = None
        layout = style.layout
        self.ph = _phrases()
        self.lines: list[str] = []
        self.cited: dict[str, list[str]] = {"basis": [], "proposal": [], "body": []}
        self.implements: list[list[str]] = []
        self.messy: list[str] = []
        self.tasks: list[dict] = []
        self.resp: list[dict] = []
        self.role = "basis"
        self.md = layout == "markdown"
        self.seen: set[str] = set()
        self.said: set[str] = set()
        self.roman_sep = "." if rng.random() < 0.93 else self.pick(["-", "/", " -"])
        # list markers as Word exports print them, and other per-plan habits
        self.bul = self.pick(["*", "-", "-"]) if self.md else ("-" if rng.random() < 0.84 else self.pick(["•", "–"]))
        self.num_close = ")" if rng.random() < 0.05 else "."
        self.bare_fields = layout == "fieldline" and rng.random() < 0.2
        self.kw = self._kw()
        self._central: list[Inst] | None = None
        self._olds: list[Slot] | None = None
        self.anchor: Inst | None = None
        self._banks: dict[tuple[str, str], tuple[list[list[Ag]], list[float]]] = {}
        # blank lines: after every paragraph, only around headings and paragraphs (not list items), or none
        self.blank = "" if layout == "compact" else ("all" if rng.random() < 0.4 else "sparse")
        self.uy = "Uỷ" if rng.random() < 0.08 else "Ủy"
        if self.uy == "Uỷ":
            self.messy.append("uy-variant")

    # -- small pieces
    @property
    def uf(self) -> str:
        return self.unit.full

    def _kw(self) -> dict:
        u, p = self.unit, self.province
        return {"uf": u.full, "uw": u.word if self.kind != "department" else p.word, "pf": p.full, "y": self.year,
                "p": p.name, "cu": p.committee, "subunits": p.subunits, "dw": u.word, "dc": u.committee,
                "communes": u.subunits}

    def f(self, s: str) -> str:
        return s.format_map(self.kw) if "{" in s else s

    def _bank(self, level: str, weight: str) -> tuple[list[list[Ag]], list[float]]:
        """This plan's agencies of one level (placeholders filled once): spelling variants and cumulative weights."""
        key = (level, weight)
        if key not in self._banks:
            items = _agency_bank()[level]
            variants = [[Ag(_expand(self.f(n)), self.f(n)) for n in it["names"]] for it in items]
            acc, cum = 0.0, []
            for it in items:
                acc += max(0, it.get(weight, 1))
                cum.append(acc)
            self._banks[key] = (variants, cum)
        return self._banks[key]

    def compose(self, bank: str) -> str:
        """A sentence from a bank of (openers × objects) clusters plus a tail: '<Tăng cường> <công tác …><, …>'."""
        for _ in range(4):  # prefer an object this plan has not said yet
            c = self.pick(self.ph[bank])
            obj = self.pick(c["object"])
            if obj not in self.said:
                break
        self.said.add(obj)
        return self.f(f"{self.pick(c['open'])} {obj}{self.pick(self.ph[bank + '_tail'])}")

    def pick(self, seq):
        """random.choice, cheaper (the generator makes ~200k draws per 1000 plans)."""
        return seq[int(self.rng.random() * len(seq))]

    def distinct(self, make, k: int) -> list[str]:
        out: list[str] = []
        for _ in range(k * 4):
            x = make()
            if x not in out and x not in self.seen:
                out.append(x)
                if len(out) == k:
                    break
        if not out:
            out.append(make())
        self.seen.update(out)
        return out

    def emit(self, s: str = "") -> None:
        self.lines.append(s)

    def para(self, s: str) -> None:
        if self.rng.random() < BREAK_RATE and len(s) > 80:
            s = self._break_line(s)
        self.emit(s)
        if self.blank == "all" or (self.blank == "sparse" and not s.startswith(("-", "+", "•", "–", "* "))):
            self.emit()

    def _break_line(self, s: str) -> str:
        """A paragraph broken mid-sentence, as PDF and Word exports do (before a lower-case word)."""
        spots = [m.start() for m in re.finditer(r" (?=\w)", s) if 30 < m.start() < len(s) - 20 and s[m.end()].islower()]
        if not spots:
            return s
        k = self.pick(spots)
        self.messy.append("broken-line")
        return s[:k] + ("\n\n" if self.rng.random() < 0.6 else "\n") + s[k + 1 :]

    # -- agencies
    def agencies(self, n: int, *, lead: bool, groups: float = 0.3) -> list[Ag]:
        r = self.rng
        variants, cum = self._bank(self.kind, "lead" if lead else "w")
        out: list[Ag] = []
        canons: list[str] = []
        for _ in range(30):
            if len(out) >= n:
                break
            a = self.pick(r.choices(variants, cum_weights=cum)[0])
            if a.canon not in canons:
                out.append(a)
                canons.append(a.canon)
        if r.random() < groups:
            gvariants, _ = self._bank(f"{self.kind}_groups", "w")
            g = self.pick(self.pick(gvariants))
            if g.canon not in canons:
                out.append(g)
        return out

    def agency_list(self, ags: list[Ag]) -> str:
        printed = [a.printed for a in ags]
        sep = "; " if any("," in p for p in printed) or self.rng.random() < 0.3 else ", "
        if len(printed) > 1 and printed[-1].lower().startswith("các") and self.rng.random() < 0.5:
            return sep.join(printed[:-1]) + " và " + printed[-1]
        return sep.join(printed)

    # -- citations
    def cite(self, inst: Inst, *, chain: int = 1, with_subject: bool = True) -> str:
        """'Quyết định số 1486/QĐ-TTg ngày 06/11/2018 của Thủ tướng Chính phủ về … triển khai thực hiện …'."""
        r = self.rng
        num = inst.number
        d = inst.date
        shown_date: date | None = d
        if r.random() < MESSY_RATE:
            variant = self.pick(["spacing", "date-contradicts", "no-date"])
            if variant == "spacing" and re.search(r"/[A-ZĐ]+-", num):
                num = re.sub(r"-(?=[A-Z][A-Za-z]*$)", " -", num, count=1)
                self.messy.append("spacing")
            elif variant == "date-contradicts" and re.search(r"/\d{4}/", num):
                shown_date = d.replace(year=d.year + self.pick([-2, 2]), day=min(d.day, 28))
                self.messy.append("date-contradicts-number")
            elif variant == "no-date":
                shown_date = None
                self.messy.append("no-date")
        issuer = inst.issuer.replace("Ủy", self.uy)
        if inst.tier == "province" and issuer.startswith("UBND") and r.random() < 0.3:
            issuer = f"{self.uy} ban nhân dân {self.province.full}"
        s = f"{inst.type} số {num}"
        if shown_date:
            s += f" ngày {_d_short(shown_date, r)}"
        s += f" của {issuer}"
        self._record(inst.number)
        parent = self.w.pool[inst.implements[0]] if chain > 0 and inst.implements else None
        if parent is None:
            return f"{s} {inst.subject}" if with_subject else s
        # the implement link is stated right before the parent: "… về việc triển khai thực hiện <parent>"
        self.implements.append([_norm_number(inst.number), _norm_number(parent.number)])
        if _CARRY.search(inst.subject) or r.random() < 0.5:
            s += self.pick([" về việc triển khai thực hiện", " về triển khai thực hiện", " triển khai thực hiện",
                           " về thực hiện", " hướng dẫn thực hiện"])
        else:
            s += f" {inst.subject}" + self.pick([", triển khai thực hiện", " để triển khai thực hiện", " nhằm thực hiện",
                                                 " nhằm triển khai thực hiện có hiệu quả"])
        return f"{s} {self.cite(parent, chain=chain - 1, with_subject=r.random() < 0.8)}"

    def cite_slot(self, slot: Slot, *, chain: int = 1) -> str:
        r = self.rng
        issuer = self.pick([f"UBND {slot.province.full}", f"{self.uy} ban nhân dân {slot.province.full}",
                            f"UBND {slot.province.word}" if self.role == "body" else f"UBND {slot.province.full}"])
        s = f"Kế hoạch số {slot.number} ngày {_d_short(slot.date, r)} của {issuer}"
        self._record(slot.number)
        if slot.target is not None and chain > 0:
            self.implements.append([slot.number, _norm_number(slot.target.number)])
            s += f" về {self.pick(['', 'việc '])}triển khai thực hiện {self.cite(slot.target, chain=chain - 1)}"
        else:
            s += f" {slot.subject}"
        return s

    def _record(self, number: str) -> None:
        n = _norm_number(number)
        if any(n in v for v in self.cited.values()):
            if self.role == "body" and n not in self.cited["body"]:
                self.cited["body"].append(n)
            return
        self.cited[self.role].append(n)

    def central(self, k: int) -> list[Inst]:
        """k central instruments issued before this plan, most authoritative first (Party, Government, ministry)."""
        if self._central is None:
            cut = self.issued - timedelta(days=10)
            self._central = [i for i in self.w.pool.values() if i.date < cut and not i.key.startswith("HD-BTTTT")]
        cands = self._central
        if k == 1:
            return [self.pick(cands)] if cands else []
        return sorted(self.rng.sample(cands, min(k, len(cands))), key=_authority)

    def party_anchor(self) -> Inst | None:
        """A Government or ministry instrument, issued before this plan, whose implement chain reaches the Party."""
        self.central(0)
        cands = [i for i in self._central if i.implements and _reaches_party(i, self.w.pool)]
        return self.pick(cands) if cands else None

    # -- the document
    def render(self) -> None:
        self.header()
        self.preamble()
        self.role = "body"
        self.sections()
        self.closing()

    def header(self) -> None:
        r, u, p = self.rng, self.unit, self.province
        style = self.header_style
        if style == "none":
            self.emit("**KẾ HOẠCH**  " if self.md else (" KẾ HOẠCH" if self.layout == "compact" else "KẾ HOẠCH"))
            if self.layout == "agency" and r.random() < 0.5:
                self.emit()
            t = _upper(self.title) if self.layout == "compact" else self.title
            self.emit(f"**{t}**" if self.md else t)
            if self.blank:
                self.emit()
            return
        place = u.name if self.kind == "district" else p.name
        capital = next((d for d in self.w.districts[p.name] if d.word == "thành phố"), None)
        if self.kind != "district" and p.word == "tỉnh" and capital is not None and r.random() < 0.2:
            place = capital.name  # provinces often date their documents from the capital ("Hạ Long, ngày …")
        self.place = place
        day = "   " if self.no_day else f"{self.issued.day:02d}"
        dateline = f"{place}, ngày {day} tháng {self.issued.month:02d} năm {self.issued.year}"
        if style == "table":  # a Word header table converted to Markdown
            left = (f"UBND {p.full.upper()}<br>SỞ THÔNG TIN VÀ TRUYỀN THÔNG" if self.kind == "department"
                    else f"{self.uy.upper()} BAN NHÂN DÂN<br>{u.full.upper()}")
            self.emit(f"| {left}<br>-------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc<br>"
                      "--------------- |")
            self.emit("|---|---|")
            self.emit(f"| Số: {self.number} | *{dateline}* |")
            self.emit()
            self.emit("**KẾ HOẠCH**")
            self.emit(f"**{self.title}**")
            self.emit()
            return
        self.emit()
        if style == "block":
            if self.kind == "department":
                self.emit(f"{self.uy.upper()} BAN NHÂN DÂN {p.full.upper()}" if r.random() < 0.5 else f"UBND {p.full.upper()}")
                self.emit("SỞ THÔNG TIN VÀ TRUYỀN THÔNG")
            else:
                self.emit(f"{self.uy.upper()} BAN NHÂN DÂN")
                self.emit(u.full.upper())
            self.emit("-------")
            self.emit()
            self.emit("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
            self.emit("Độc lập - Tự do - Hạnh phúc")
            self.emit("---------------")
        self.emit()
        if self.number:
            shown = self.number
            if r.random() < 0.01:
                shown = shown.replace("/", " /", 1)
                self.messy.append("number-spacing")
            self.emit(f"Số: {shown}")
            self.emit()
        self.emit(dateline)
        self.emit()
        self.emit("**KẾ HOẠCH**" if self.md else "KẾ HOẠCH")
        self.title_lines()
        self.emit()

    def title_lines(self) -> None:
        """The title as printed: one line, upper case, or broken before its year ("… huyện X" / "năm 2020")."""
        r, t = self.rng, self.title
        if self.md:
            self.emit(f"**{t}**")
        elif r.random() < 0.15:
            self.emit(_upper(t))
        elif r.random() < 0.15 and re.search(r" (?=(?:năm|giai đoạn) \d{4})", t):
            k = re.search(r" (?=(?:năm|giai đoạn) \d{4})", t).start()
            self.emit(t[:k])
            self.emit(t[k + 1 :])
        else:
            self.emit(t)

    def issuer_phrase(self) -> str:
        if self.kind == "department":
            return "Sở Thông tin và Truyền thông"
        return self.pick([f"UBND {self.uf}", f"{self.uy} ban nhân dân {self.uf}"])

    def preamble(self) -> None:
        r = self.rng
        items: list[str] = []
        if self.parent_slot is not None:
            items.append(self.cite_slot(self.parent_slot))
        # districts and departments mostly rest on their province's plan; provinces cite the central chain
        k = {"province": r.randint(2, 6), "district": self.pick([0, 0, 1, 1, 2]), "department": r.randint(1, 2)}[self.kind]
        target = self.slot.target if self.slot is not None else None
        if target is not None:
            items.insert(0, self.cite(target, chain=self.pick([1, 2])))
        guide = self.w.pool.get(f"HD-BTTTT#{self.year - 1}")
        picks = self.central(k)
        if guide and guide.date < self.issued and guide not in picks and r.random() < 0.6:
            picks.append(guide)
        anchor = self.anchor = self.party_anchor() if self.kind == "province" else None
        root = None
        if anchor is not None:
            # The anchor (a Government or ministry instrument) is cited alone here and its implement chain is stated
            # in the body, so its Party root is reached only through it: District → Province → … → Party, depth ≥ 3.
            root = _party_root(anchor, self.w.pool)
            picks = sorted([*(i for i in picks if i is not root and i is not anchor), anchor], key=_authority)
        for inst in picks:
            if target is not None and inst.key == target.key:
                continue
            chain = 2 if self.kind == "province" and r.random() < 0.7 else int(r.random() < 0.2)
            if inst is anchor or (root is not None and _party_root(inst, self.w.pool) is root):
                chain = 0
            items.append(self.cite(inst, chain=chain))
        if self.kind == "province" and r.random() < 0.5:
            items.append(self.cite(self.w.local[self.province.name][0], chain=0))
        title_lc = self.title[0].lower() + self.title[1:]
        closing = (f"{self.issuer_phrase()} {self.pick(['ban hành', 'xây dựng'])} Kế hoạch {title_lc} "
                   f"{self.pick(['như sau:', 'với các nội dung sau:', 'với một số nội dung chủ yếu sau:'])}")
        style = self.preamble_style
        if style == "can-cu":
            if self.kind != "department" and r.random() < 0.5:  # named laws, without numbers, open many preambles
                self.para(self.pick(["Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
                                     "Căn cứ Luật Tổ chức chính quyền địa phương năm 2015; Luật sửa đổi, bổ sung một "
                                     "số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương năm 2019;",
                                     "Căn cứ Luật Báo chí ngày 05 tháng 4 năm 2016;"]))
            for it in items:
                self.para(f"Căn cứ {it};")
            if self.kind == "province" and r.random() < 0.4:
                d = self.issued - timedelta(days=r.randint(5, 25))
                n = f"{r.randint(100, 1500)}/TTr-STTTT"
                self.role = "proposal"
                self._record(n)
                self.role = "basis"
                self.para(f"Xét đề nghị của Sở Thông tin và Truyền thông tại Tờ trình số {n} ngày {_d_short(d, r)},")
            self.para(closing)
        else:
            head = "Thực hiện" if style == "thuc-hien" else "Căn cứ"
            self.para(f"{head} {'; '.join(items)}; {closing}" if items else closing)

    # sections
    def sections(self) -> None:
        self.sec_i = 0
        self.section_purpose()
        if self.layout == "compact" and self.rng.random() < 0.6:
            self.section_orientation()
        self.section_tasks()
        if self.rng.random() < 0.85:
            self.section_funding()
        self.section_resp()

    def sec(self, title: str, level: int = 2) -> str:
        label = _ROMAN[self.sec_i]
        self.sec_i += 1
        line = f"{label}{self.roman_sep} {title}"
        if self.md:
            line = f"{'#' * level} **{line}**" if self.rng.random() < 0.6 else f"**{line}**"
        self.para(line)
        return label

    def sub(self, s: str, level: int = 3) -> None:
        if self.md:
            s = f"{'#' * level} **{s}**" if self.rng.random() < 0.5 else f"**{s}**"
        self.para(s)

    def section_purpose(self) -> None:
        r = self.rng
        self.sec(self.pick(["MỤC ĐÍCH, YÊU CẦU", "MỤC ĐÍCH, YÊU CẦU", "MỤC TIÊU, YÊU CẦU"]))
        split = r.random() < 0.75
        lettered = self.md and r.random() < 0.7
        purposes = self.distinct(lambda: self.compose("purpose") + ".", r.randint(3, 6))
        reqs = [self.f(x) + "." for x in r.sample(self.ph["requirement"], r.randint(3, 5))]
        if split:
            self.sub("1. Mục đích")
            self.items(purposes, lettered)
            self.sub("2. Yêu cầu")
            self.items(reqs, lettered)
        else:
            self.items(purposes + reqs, False)

    def items(self, texts: list[str], lettered: bool) -> None:
        for i, t in enumerate(texts):
            self.para(f"{_LETTERS[i]}) {t}" if lettered else f"{self.bul} {t}")

    def section_orientation(self) -> None:
        self.sec("PHƯƠNG HƯỚNG")
        for t in self.rng.sample(self.ph["orientation"], self.rng.randint(2, 4)):
            self.para(f"- {t}.")

    def section_funding(self) -> None:
        self.sec(self.pick(["KINH PHÍ", "KINH PHÍ THỰC HIỆN"]))
        self.para(self.f(self.pick(self.ph["funding"])))

    # -- tasks
    def heading(self, *, groups: bool = True) -> str:
        """A task heading; with `groups`, sometimes a short group title ("Tập huấn, bồi dưỡng nghiệp vụ")."""
        return self.distinct(lambda: self.compose("task") if not groups or self.rng.random() < 0.92 else
                             self.f(self.pick(self.ph["group"])), 1)[0]

    def duty(self) -> str:
        s = self.compose("duty")
        if self.rng.random() < 0.4:
            s += self.detail_tail()
        return s + "."

    def detail_tail(self) -> str:
        t = self.compose("detail")
        return "; " + t[0].lower() + t[1:]

    def detail(self) -> str:
        s = self.compose("detail")
        if self.rng.random() < 0.6:
            t = self.compose("detail")
            s += "; " + t[0].lower() + t[1:]
        return s + "."

    def time_text(self) -> str:
        r, y = self.rng, self.year
        if self.end_year != y:
            return self.pick([f"Giai đoạn {y} - {self.end_year}", "Thường xuyên hằng năm", f"Năm {y}",
                             "Quý II hằng năm", "Thường xuyên"])
        q = ["I", "II", "III", "IV"]
        a = r.randint(0, 2)
        return self.pick([f"Cả năm {y}", f"Năm {y}", f"Trong năm {y}", "Thường xuyên", f"Quý {q[a]} năm {y}",
                         f"Quý {q[a + 1]}/{y}", f"Quý {q[a]} - Quý {q[a + 1]} năm {y}", "Theo định kỳ 6 tháng, 01 năm",
                         f"Năm {y} và các năm tiếp theo", f"Tháng {r.randint(3, 11)}/{y}", "Hằng quý",
                         f"Thường xuyên trong năm {y}", f"Trước ngày {r.randint(1, 28)}/{r.randint(3, 11)}/{y}"])

    def leaf(self, *, fields: bool = True, kind: str = "num") -> Task:
        r = self.rng
        t = Task(self.heading(), kind=kind)
        if r.random() < 0.65:
            t.paras = [self.detail() for _ in range(r.randint(1, 3))]
        if r.random() < 0.12:
            t.paras.append(self.body_citation())
        if fields:
            t.lead = self.agencies(1 if r.random() < 0.75 else r.randint(2, 3), lead=True, groups=0.05)
            t.support = self.agencies(r.randint(0, 3), lead=False, groups=0.8)
            t.support = [a for a in t.support if a.canon not in [x.canon for x in t.lead]]
            t.time = self.time_text() if r.random() < 0.93 else None
        return t

    def body_citation(self) -> str:
        r = self.rng
        if self._olds is None:
            cut = self.issued - timedelta(days=15)
            self._olds = [s for s in self.w.by_province.get(self.province.name, []) if s.date < cut and s.target]
        olds = self._olds
        if olds and r.random() < 0.6:
            s = self.pick(olds)
            return f"{self.pick(['Tiếp tục thực hiện', 'Triển khai', 'Tiếp tục triển khai có hiệu quả'])} {self.cite_slot(s)}."
        insts = self.central(1)
        if not insts:
            return self.detail()
        return f"Thực hiện các nhiệm vụ theo {self.cite(insts[0], chain=1)}."

    def build_tasks(self) -> list[Task]:
        r, lay = self.rng, self.layout
        want = r.randint(8, 22 if self.blank == "all" else 35)  # keeps plans within ~80-350 lines
        tasks: list[Task] = []
        count = 0
        while count < want:
            if lay in ("fieldline", "compact"):
                if r.random() < 0.25:
                    g = Task(self.f(self.pick(self.ph["group"])) if r.random() < 0.5 else self.heading())
                    kind = "letter" if r.random() < 0.3 else "num"
                    g.kids = [self.leaf(kind=kind) for _ in range(r.randint(2, 5))]
                    if lay == "compact" and r.random() < 0.3:
                        g.kids[-1].kids = [self.colon_bullet() for _ in range(r.randint(2, 3))]
                        g.kids[-1].lead, g.kids[-1].support, g.kids[-1].time = [], [], g.kids[-1].time
                    tasks.append(g)
                else:
                    tasks.append(self.leaf(fields=r.random() < 0.92))
            elif lay == "italic":
                if r.random() < 0.45:
                    g = Task(self.f(self.pick(self.ph["group"])))
                    g.kids = [self.leaf() for _ in range(r.randint(2, 5))]
                    if r.random() < 0.3:
                        sub = g.kids[-1]
                        sub.lead, sub.support, sub.time = [], [], None
                        sub.kids = [self.leaf(kind="bullet") for _ in range(r.randint(2, 3))]
                    tasks.append(g)
                else:
                    tasks.append(self.leaf())
            elif lay == "agency":
                g = Task(self.f(self.pick(self.ph["group"])) if r.random() < 0.6 else self.heading())
                g.kids = [Task(self.heading(groups=False) + (self.detail_tail() if r.random() < 0.8 else ""), kind="bullet",
                               paras=[self.detail()] if r.random() < 0.3 else [])
                          for _ in range(r.randint(2, 5))]
                tasks.append(g)
            else:  # markdown
                if r.random() < 0.45:
                    g = Task(self.heading())
                    g.kids = [Task(self.heading(groups=False) + (self.detail_tail() if r.random() < 0.7 else "") + ".",
                                   kind="letter")
                              for _ in range(r.randint(2, 6))]
                    tasks.append(g)
                elif r.random() < 0.3:
                    tasks.append(self.leaf())
                else:
                    t = Task(self.heading())
                    if r.random() < 0.7:
                        t.paras = [self.detail() for _ in range(r.randint(1, 2))]
                    tasks.append(t)
            count += _count(tasks[-1:])
        return tasks

    def colon_bullet(self) -> Task:
        a = self.agencies(1, lead=True, groups=0)[0]
        return Task(self.compose("duty"), lead=[a], kind="bullet", colon=True)

    def anchor_paragraph(self, tasks: list[Task]) -> None:
        """The province plan's body states what its anchor instrument carries out (see preamble())."""
        if self.anchor is None or not tasks:
            return
        t = next((x for x in tasks if not x.kids), tasks[0])
        lead_in = self.pick(["Triển khai các nhiệm vụ được giao tại", "Tiếp tục thực hiện", "Cụ thể hóa các nội dung của"])
        t.paras.insert(0, f"{lead_in} {self.cite(self.anchor, chain=2)}.")

    def section_tasks(self) -> None:
        titles = {"fieldline": [f"NỘI DUNG HOẠT ĐỘNG THÔNG TIN ĐỐI NGOẠI NĂM {self.year}", "NỘI DUNG HOẠT ĐỘNG",
                                "NHIỆM VỤ CỤ THỂ", "NỘI DUNG, NHIỆM VỤ"],
                  "italic": ["NỘI DUNG", "NỘI DUNG TRỌNG TÂM", "NHIỆM VỤ VÀ GIẢI PHÁP"],
                  "agency": ["TRIỂN KHAI CÁC HOẠT ĐỘNG THÔNG TIN ĐỐI NGOẠI", "NỘI DUNG HOẠT ĐỘNG",
                             "CÁC HOẠT ĐỘNG TRỌNG TÂM"],
                  "compact": ["NHIỆM VỤ CỤ THỂ", "NỘI DUNG HOẠT ĐỘNG", "NHIỆM VỤ TRỌNG TÂM"],
                  "markdown": ["CÁC NHIỆM VỤ TRỌNG TÂM", "NHIỆM VỤ TRỌNG TÂM", "NỘI DUNG HOẠT ĐỘNG"]}
        label = self.sec(self.pick(titles[self.layout]))
        tasks = self.build_tasks()
        self.anchor_paragraph(tasks)
        for i, t in enumerate(tasks, start=1):
            self.write_task(t, str(i), f"{label}.{i}", label, depth=1)

    def record_task(self, t: Task, tid: str, parent: str) -> None:
        self.tasks.append({"id": tid, "parent": parent, "heading": _first_sentence(t.heading),
                           "lead": [a.canon for a in t.lead], "support": [a.canon for a in t.support],
                           "time": t.time})

    def write_task(self, t: Task, label: str, tid: str, parent: str, depth: int) -> None:
        r = self.rng
        self.record_task(t, tid, parent)
        line = f"{label}. {t.heading}" if t.kind == "num" else t.heading
        if t.kind == "letter":
            line = f"{label}) {t.heading}"
        elif t.kind == "bullet":
            line = f"{self.bul} {t.heading}"
        elif depth == 1 and self.num_close == ")":
            line = f"{label}) {t.heading}"
        if self.md and t.kind == "num" and depth == 1 and (t.kids or r.random() < 0.5):
            line = f"{'#' * self.pick([3, 4])} **{line}**" if r.random() < 0.6 else f"**{line}**"
        if not t.heading.endswith(".") and (t.kind == "bullet" or t.paras and r.random() < 0.3):
            line += "."
        self.para(line)
        for p in t.paras:
            self.para(p)
        self.fields(t, depth)
        nb = 0
        for j, k in enumerate(t.kids, start=1):
            if k.kind == "num":
                self.write_task(k, f"{label}.{j}", f"{tid.split('.')[0]}.{label}.{j}", tid, depth + 1)
            elif k.kind == "letter":
                self.write_task(k, _LETTERS[j - 1], f"{tid}.{_LETTERS[j - 1]}", tid, depth + 1)
            else:
                nb += 1
                if k.colon:
                    self.record_task(k, f"{tid}-{nb}", tid)
                    self.para(f"{self.bul} {k.lead[0].printed}: {k.heading}.")
                else:
                    self.write_task(k, "", f"{tid}-{nb}", tid, depth + 1)

    def fields(self, t: Task, depth: int) -> None:
        r, lay = self.rng, self.layout
        if not (t.lead or t.support or t.time):
            return
        rows: list[tuple[str, str]] = []
        if lay == "italic":
            labels = (self.pick(["Cơ quan chủ trì", "Cơ quan chủ trì", "Đơn vị chủ trì"]),
                      self.pick(["Cơ quan phối hợp", "Cơ quan, đơn vị phối hợp"]), "Thời gian thực hiện")
        elif lay == "compact":
            labels = ("Đơn vị chủ trì", self.pick(["Đơn vị phối hợp", "Đơn vị phối hợp thực hiện"]),
                      self.pick(["Thời gian thực hiện", "Thời gian tổ chức"]))
        else:
            labels = (self.pick(["Đơn vị chủ trì thực hiện", "Đơn vị chủ trì", "Cơ quan chủ trì", "Đơn vị thực hiện",
                                 "Chủ trì", "Cơ quan chủ trì tham mưu"]),
                      self.pick(["Đơn vị phối hợp thực hiện", "Đơn vị phối hợp", "Cơ quan phối hợp", "Phối hợp"]),
                      self.pick(["Thời gian", "Thời gian thực hiện", "Thời gian hoàn thành", "Thời hạn", "Tiến độ"]))
        if t.lead:
            lab = labels[0] + (" (theo chức năng, nhiệm vụ)" if r.random() < 0.04 else "")
            rows.append((lab, self.agency_list(t.lead) + "."))
        if t.support:
            rows.append((labels[1], self.agency_list(t.support) + "."))
        if lay == "compact" and r.random() < 0.5:
            rows.append(("Nội dung", self.detail()))
        if t.time:
            rows.append((labels[2], t.time + "."))
        if lay == "fieldline" and t.time and r.random() < 0.5:
            rows.insert(0, rows.pop())  # "- Thời gian: …" first, as many plans print it
        deeper = t.kind == "bullet"
        for lab, val in rows:
            if lay == "italic":
                mark = "- + " if deeper or r.random() < 0.3 else "- "
                self.para(f"{mark}*{lab}:* {val}" if r.random() < 0.5 else f"{mark}*{lab}*: {val}")
            elif self.md:
                self.para(f"{self.bul} **{lab}:** {val}")
            elif self.bare_fields and not deeper:
                self.para(f"{lab}: {val}")
            else:
                self.para(f"{'+ ' if deeper else self.bul + ' '}{lab}: {val}")

    # -- responsibilities
    def section_resp(self) -> None:
        r = self.rng
        title = self.pick(["TỔ CHỨC THỰC HIỆN", "TỔ CHỨC THỰC HIỆN", "PHÂN CÔNG NHIỆM VỤ"]) if self.layout == "agency" \
            else "TỔ CHỨC THỰC HIỆN"
        label = self.sec(title)
        ags = self.agencies(r.randint(6, 10) if self.layout in ("agency", "markdown") else r.randint(3, 8), lead=False,
                            groups=0)
        style = {"agency": "bullets", "markdown": "letters"}.get(self.layout, self.pick(["sentence", "sentence", "bullets"]))
        for i, a in enumerate(ags, start=1):
            n_duties = r.randint(2, 6) if self.layout in ("agency", "markdown") else r.randint(1, 5)
            duties = self.distinct(lambda: self.duty(), n_duties)
            if style == "sentence":
                lead_in = self.pick(["", "Giao ", "Đề nghị "]) if not a.printed.startswith("Ban Tuyên giáo") else "Đề nghị "
                d0 = duties[0][0].lower() + duties[0][1:]
                self.para(f"{i}. {lead_in}{a.printed} {d0}")
                n = 1
            else:
                head = f"{i}. {a.printed}"
                if self.md:
                    head = f"#### **{head}**" if r.random() < 0.6 else f"**{head}**"
                self.para(head)
                for j, d in enumerate(duties):
                    self.para(f"{_LETTERS[j]}) {d}" if style == "letters" else f"{self.bul} {d}")
                n = len(duties)
            self.resp.append({"section": f"{label}.{i}", "agencies": [a.canon], "duties": n})
        if r.random() < 0.5:
            g = "UBND các " + self.province.subunits if self.kind != "district" else "UBND các " + self.unit.subunits
            canon = g.replace("UBND", "Ủy ban nhân dân")
            i = len(ags) + 1
            duty = self.compose("duty")
            self.para(f"{i}. {g} {duty[0].lower()}{duty[1:]}.")
            self.resp.append({"section": f"{label}.{i}", "agencies": [canon], "duties": 1})

    def closing(self) -> None:
        r = self.rng
        reporter = "Sở Thông tin và Truyền thông" if self.kind != "district" else "Phòng Văn hóa và Thông tin"
        title_lc = self.title[0].lower() + self.title[1:]
        deadline = f"{r.randint(1, 28):02d}/{self.pick([11, 12])}/{self.end_year}"
        self.para(_fill(self.pick(self.ph["closing"]), title_lc=title_lc, reporter=reporter, deadline=deadline))
        self.emit("Nơi nhận:")
        if self.blank:
            self.emit()
        rec = self.ph["recipients"][self.kind]
        for x in rec:
            self.emit(f"- {self.f(x)};" if not x.startswith("Lưu") else f"- {self.f(x)}.")
        self.emit()
        if self.kind == "department":
            pos = self.pick([("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"), ("GIÁM ĐỐC",)])
        else:
            pos = self.pick([("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
                            ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")])
        block = "\n".join(pos)
        self.emit(f"**{block}**" if self.md and r.random() < 0.5 else block)
        self.emit()
        if r.random() < 0.3:
            self.emit("(Đã ký)")
        self.emit()
        self.signer = {"name": _person(r), "position": _position(pos[-1])}
        self.emit(self.signer["name"])


_TYPE_ORDER = ["Chỉ thị", "Kết luận", "Nghị quyết", "Nghị định", "Quyết định", "Thông tư", "Hướng dẫn", "Công văn"]
_TIER = {"TW": 0, "CP": 1, "TTg": 2}


def _authority(i: Inst) -> tuple:
    """Preamble order: Party, Government, Prime Minister, ministries; then by type and date."""
    return _TIER.get(i.number.split("-")[-1].split("/")[-1], 3), _TYPE_ORDER.index(i.type), i.date


def _party_root(i: Inst, pool: dict[str, Inst]) -> Inst:
    """The end of an instrument's implement chain."""
    for _ in range(5):
        if not i.implements:
            break
        i = pool[i.implements[0]]
    return i


def _reaches_party(i: Inst, pool: dict[str, Inst]) -> bool:
    return _party_root(i, pool).number.endswith("/TW")


def _upper(title: str) -> str:
    """An upper-case title, as many plans print it; instrument symbols keep their case ("1486/QĐ-TTg")."""
    parts = re.split(r"(\S*\d\S*)", title)
    return "".join(x if i % 2 else x.upper() for i, x in enumerate(parts))


def _position(s: str) -> str:
    return {"PHÓ CHỦ TỊCH": "Phó Chủ tịch", "CHỦ TỊCH": "Chủ tịch", "PHÓ GIÁM ĐỐC": "Phó Giám đốc",
            "GIÁM ĐỐC": "Giám đốc"}[s]


def _first_sentence(s: str) -> str:
    return s.split(". ")[0].rstrip(".")


def _count(tasks: list[Task]) -> int:
    return sum(1 + _count(t.kids) for t in tasks)


# ---------------------------------------------------------------- corpus plan (which plans, in which order)


@dataclass(frozen=True)
class _Spec:
    index: int
    kind: str  # province | district | department
    slot: Slot


def _specs(world: World, n: int) -> list[_Spec]:
    """Clusters of a province plan, two district plans citing it and, every third cluster, a department plan:
    30% / 60% / 10%, in a fixed order (so any n is a prefix of a larger n). The world holds ~4,300 province plans,
    so up to ~14,000 documents no province plan repeats; beyond that the clusters cycle."""
    out: list[_Spec] = []
    c = 0
    while len(out) < n:
        slot = world.slots[c % len(world.slots)]
        kinds = ["province", "district", "district"] + (["department"] if c % 3 == 2 else [])
        for k in kinds:
            if len(out) < n:
                out.append(_Spec(len(out), k, slot))
        c += 1
    return out


def _plan(world: World, spec: _Spec, seed: int, district_numbers: dict,
          layouts: tuple[str, ...] = LAYOUTS) -> GeneratedPlan:
    rng = random.Random(f"plan:{seed}:{spec.index}")
    slot = spec.slot
    p = slot.province
    layout = rng.choices(layouts, weights=[_LAYOUT_WEIGHTS[LAYOUTS.index(x)] for x in layouts])[0]
    if spec.kind == "province":
        unit, issued, number, title, parent = p, slot.date, slot.number, slot.title, None
        year, end_year, own_slot = slot.year, slot.end_year, slot
    else:
        parent, own_slot = slot, None
        year, end_year = slot.year, slot.end_year
        issued = slot.date + timedelta(days=rng.randint(6, 60))
        if spec.kind == "district":
            unit = rng.choice(world.districts[p.name])
            key = (f"{p.name}/{unit.name}", issued.year)
            code = "KH-UBND"
        else:
            unit = p
            key = (f"{p.name}/STTTT", issued.year)
            code = "KH-STTTT"
        used = district_numbers.setdefault(key, set())
        n = max(1, int(issued.timetuple().tm_yday * rng.uniform(0.2, 1.5)) + rng.randint(1, 9))
        while n in used:
            n += 1
        used.add(n)
        number = f"{n}/{code}"
        theme = _theme(slot.theme)
        if spec.kind == "department":
            tpl = rng.choice(_phrases()["department_titles"])
            if end_year != year:
                tpl = tpl.replace("năm {y}", "giai đoạn {a} - {b}")
        elif slot.theme == "implement":
            tpl = "Thông tin đối ngoại trên địa bàn {uf} năm {y}"
        else:
            tpl = rng.choice(theme["title"])
        title = _fill(tpl, uf=unit.full, pf=p.full, y=year, a=year, b=end_year, inst="")
    header_style = rng.choices(["plain", "block", "none"], weights=[45, 35, 20])[0]
    if layout == "markdown" and header_style != "none" and rng.random() < 0.5:
        header_style = "table"
    if spec.kind == "province" and header_style == "none" and rng.random() < 0.6:
        header_style = "plain"
    if header_style == "none":
        number_shown, issued_shown = None, None
    else:
        number_shown, issued_shown = number, issued
    preamble = {"fieldline": "can-cu", "italic": rng.choice(["can-cu", "thuc-hien"]), "agency": "one",
                "compact": "thuc-hien", "markdown": "thuc-hien"}[layout]
    if rng.random() < 0.2:
        preamble = rng.choice(["can-cu", "thuc-hien", "one"])
    style = Style(layout, header_style, preamble, no_day=header_style != "none" and rng.random() < 0.01)
    plan_spec = PlanSpec(spec.kind, unit, p, year, end_year, issued, number_shown, title, own_slot, parent)
    pw = PlanWriter(world, rng, plan_spec, style)
    pw.render()
    text = "\n".join(pw.lines) + "\n"
    if pw.uy == "Uỷ":
        text = text.replace("Ủy ban", "Uỷ ban")
    district = unit.name if spec.kind == "district" else None
    ext = ".md" if layout == "markdown" else ".txt"
    fname = f"{spec.index:05d}_{_ascii(p.name)}{'_' + _ascii(unit.full) if district else ''}_{spec.kind}_{year}{ext}"
    issuer = "Sở Thông tin và Truyền thông" if spec.kind == "department" else f"Ủy ban nhân dân {unit.full}"
    expected = {
        "source": fname,
        "kind": spec.kind,
        "theme": slot.theme,
        "number": number_shown,
        "date_issued": None if (issued_shown is None or pw.no_day) else issued_shown.isoformat(),
        "place": pw.place,
        "issuer": issuer,
        "jurisdiction": {"name": unit.name, "level": unit.level,
                         "parent": p.name if spec.kind == "district" else None},
        "synthetic_unit": unit.synthetic,
        "title": title,
        "period": {"start": f"{year}-01-01", "end": f"{end_year}-12-31"},
        "signer": pw.signer,
        "instruments": pw.cited,
        "implements": pw.implements,
        "cites_plan": parent.number if parent else None,
        "tasks": len(pw.tasks),
        "task_list": pw.tasks,
        "leads": {t["id"]: t["lead"] for t in pw.tasks},
        "responsibilities": pw.resp,
        "messy": pw.messy,
    }
    return GeneratedPlan(fname, text, p.name, district, year, layout, number_shown, expected)


def generate(n: int, out_dir: Path | None = None, *, seed: int = 2019,
             layouts: tuple[str, ...] | None = None) -> list[GeneratedPlan]:
    """n plans (deterministic for (n, seed)); with out_dir, each is written there as UTF-8 as it is made.

    `layouts` restricts the layouts drawn (tests use it to cover each layout with few plans)."""
    if layouts is not None and (not layouts or set(layouts) - set(LAYOUTS)):
        raise ValueError(f"layouts must be a non-empty subset of {LAYOUTS}")
    world = build_world(seed)
    if out_dir is not None:
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
    numbers: dict = {}
    out = []
    for spec in _specs(world, n):
        plan = _plan(world, spec, seed, numbers, tuple(layouts or LAYOUTS))
        if out_dir is not None:
            (out_dir / plan.file_name).write_bytes(plan.text.encode("utf-8"))
        out.append(plan)
    return out


def main(argv: list[str] | None = None) -> int:
    """`python -m bench.corpus N DIR [--seed S] [--layouts a,b]`: write N generated plans into DIR."""
    import argparse
    import time

    ap = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="number of plans")
    ap.add_argument("out", type=Path, help="folder to write them into (created if missing)")
    ap.add_argument("--seed", type=int, default=2019, help="random seed (same N and seed: same corpus)")
    ap.add_argument("--layouts", help=f"comma-separated subset of {', '.join(LAYOUTS)}")
    a = ap.parse_args(argv)
    if a.n < 1:
        ap.error("N must be at least 1")
    layouts = tuple(x.strip() for x in a.layouts.split(",")) if a.layouts else None
    t0 = time.perf_counter()
    try:
        plans = generate(a.n, a.out, seed=a.seed, layouts=layouts)
    except ValueError as e:
        ap.error(str(e))
    size = sum(len(p.text.encode("utf-8")) for p in plans)
    print(f"{len(plans)} plans ({size / 1e6:.1f} MB) written to {a.out} in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
