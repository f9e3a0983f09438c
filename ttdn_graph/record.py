"""The extraction record: the typed seam between a plan's text and the graph.

Mirrors shared/gold/SCHEMA.md; `to_dict()` gives exactly that JSON shape (plus the extra keys `warnings`,
`lines` spans, `deadline`, the responsibilities' `duty_items` and the instruments' `title`, `title_printed` and
`title_line`, which the scorer ignores). Nothing here knows
about RDF.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

CITED_AS = ("basis", "proposal", "body")


@dataclass
class Jurisdiction:
    name: str | None = None
    level: str | None = None
    parent: str | None = None


@dataclass
class Period:
    start: str | None = None
    end: str | None = None


@dataclass
class Signer:
    name: str | None = None
    position: str | None = None


@dataclass
class PlanHeader:
    number: str | None = None
    date_issued: str | None = None
    place: str | None = None
    issuer: str | None = None
    jurisdiction: Jurisdiction = field(default_factory=Jurisdiction)
    title: str | None = None
    period: Period = field(default_factory=Period)
    signer: Signer | None = None


@dataclass
class Instrument:
    type: str
    number: str | None = None
    name: str | None = None
    date: str | None = None
    issuer: str | None = None
    cited_as: list[str] = field(default_factory=list)
    implements: list[str] = field(default_factory=list)
    amends: list[str] = field(default_factory=list)
    line: int | None = None  # first line where it is cited
    printed: str | None = None  # the citation as printed, first occurrence
    title: str | None = None  # the title the text prints after a citation of it (parse.citations.title_form)
    title_printed: str | None = None  # that title exactly as printed (its first occurrence)
    title_line: int | None = None  # the line that title starts on

    @property
    def key(self) -> str:
        from ttdn_graph.lexicon import type_code

        return f"{type_code(self.type)}|{self.number or self.name}"


@dataclass
class TimeSpan:
    text: str
    start: str | None = None
    end: str | None = None
    recurrence: str | list[str] | None = None
    deadline: str | None = None


@dataclass
class Task:
    id: str
    parent: str | None
    heading: str
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    time: TimeSpan | None = None
    text: str = ""  # the item's whole text as printed (markup removed)
    line_start: int | None = None
    line_end: int | None = None
    fields: dict[str, str] = field(default_factory=dict)  # other field lines: Nội dung, Hình thức ...
    found_by: str = "outline"  # "fields" (an item with field lines) | "outline" (an item without) | "table" (a row)


@dataclass
class Duty:
    """One thing a responsibility item says its agency must do: the text as printed (markup and list marker
    removed), where it is, and the bodies it is to work with ("phối hợp với …")."""

    text: str
    line_start: int | None = None
    line_end: int | None = None
    support: list[str] = field(default_factory=list)


@dataclass
class Responsibility:
    agency: str
    section: str
    duties: int = 1  # how many separate duties the item lists (the scorer's count)
    line: int | None = None
    duty_items: list[Duty] = field(default_factory=list)  # the duties themselves


@dataclass
class Warning:
    line: int | None
    code: str
    message: str


@dataclass
class Record:
    source: str
    plan: PlanHeader = field(default_factory=PlanHeader)
    instruments: list[Instrument] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    responsibilities: list[Responsibility] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    sha256: str | None = None
    format: str | None = None

    def warn(self, line: int | None, code: str, message: str) -> None:
        self.warnings.append(Warning(line, code, message))

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for t in d["tasks"]:
            if t["time"] is None:
                continue
            if t["time"].get("deadline") is None:
                t["time"].pop("deadline")
        return d


def record_from_dict(d: dict[str, Any]) -> Record:
    """Rebuild a Record from its JSON form (gold files, `ttdn extract` output)."""
    p = d.get("plan") or {}
    plan = PlanHeader(
        number=p.get("number"),
        date_issued=p.get("date_issued"),
        place=p.get("place"),
        issuer=p.get("issuer"),
        jurisdiction=Jurisdiction(**(p.get("jurisdiction") or {})),
        title=p.get("title"),
        period=Period(**(p.get("period") or {})),
        signer=Signer(**p["signer"]) if p.get("signer") else None,
    )
    inst_keys = {f for f in Instrument.__dataclass_fields__}
    task_keys = {f for f in Task.__dataclass_fields__}
    tasks = []
    for t in d.get("tasks") or []:
        t = {k: v for k, v in t.items() if k in task_keys}
        if t.get("time"):
            t["time"] = TimeSpan(**{k: v for k, v in t["time"].items() if k in TimeSpan.__dataclass_fields__})
        tasks.append(Task(**t))
    return Record(
        source=d.get("source", ""),
        plan=plan,
        instruments=[Instrument(**{k: v for k, v in i.items() if k in inst_keys}) for i in d.get("instruments") or []],
        tasks=tasks,
        responsibilities=[_responsibility(r) for r in d.get("responsibilities") or []],
        warnings=[Warning(**w) for w in d.get("warnings") or []],
        sha256=d.get("sha256"),
        format=d.get("format"),
    )


def _responsibility(r: dict[str, Any]) -> Responsibility:
    kept = {k: v for k, v in r.items() if k in Responsibility.__dataclass_fields__}
    kept["duty_items"] = [Duty(**{k: v for k, v in du.items() if k in Duty.__dataclass_fields__})
                          for du in kept.get("duty_items") or []]
    return Responsibility(**kept)
