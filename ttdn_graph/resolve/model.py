"""The resolved record: what graph.build maps to quads, with every identity settled and every IRI minted.

A `Record` carries strings as printed; a `ResolvedRecord` carries references: each agency mention is a
`ResolvedAgency` (its identity `AgencyRef`: key, unit, type, group or body; its IRI, label and parent bodies), each
unit a `ResolvedUnit` (with the gazetteer's code, validity dates and successor), each citation a
`ResolvedInstrument` (symbol parsed once, matched to what the store holds), each task a `ResolvedTask` (its themes,
the instruments it mentions, the years it is active in). Nothing here is RDF; nothing in graph/ reads text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ttdn_graph import __version__
from ttdn_graph.resolve.agencies import AgencyRef
from ttdn_graph.resolve.units import Unit


@dataclass(frozen=True)
class SourceMeta:
    """What the graph says about the file it came from."""

    file_name: str
    sha256: str | None = None
    loaded_at: str | None = None  # xsd:dateTime; None → now (UTC)
    tool_version: str = __version__
    format: str | None = None
    text: str | None = None  # the document's normalised text (SourceDocument.text), whose lines the facts cite
    source_url: str | None = None  # where the file was published, when the loader was told (dcterms:source)


@dataclass(frozen=True)
class ResolvedUnit:
    """An administrative unit: `iri` is None for a unit the graph cannot place (neither the country nor under one),
    which is then not stated."""

    unit: Unit
    iri: str | None
    cls: str  # Country | Province | District | Commune
    name: str
    level: str | None
    parent: ResolvedUnit | None = None
    code: str | None = None  # the gazetteer's administrative code
    valid_from: str | None = None  # ISO dates, when the gazetteer has them
    valid_until: str | None = None
    successor: ResolvedUnit | None = None  # the unit it became (merger, 2025 reorganisation)
    successor_date: str | None = None

    def chain(self) -> list[ResolvedUnit]:
        """This unit and every unit above it, nearest first."""
        out, u = [], self
        while u is not None:
            out.append(u)
            u = u.parent
        return out


@dataclass(frozen=True)
class OrgChange:
    """An org:ChangeEvent (data/lexicon/agency_changes.csv) the body went through."""

    iri: str
    id: str
    kind: str  # merger | rename | split | transfer
    label: str
    date: str | None
    source_url: str
    citation: str
    result: OrgNode


@dataclass(frozen=True)
class OrgNode:
    """A body as an ORG organisation: its classification, parent bodies and changes. `described` is False for a body
    met earlier on the same walk (only linked); `root` is the mentioned body itself (its type, label and
    jurisdiction are stated by its mention)."""

    iri: str
    described: bool
    root: bool
    label: str
    type_iri: str | None
    jurisdiction: str
    parents: tuple[OrgNode, ...] = ()
    changes: tuple[OrgChange, ...] = ()


@dataclass(frozen=True)
class ResolvedAgency:
    """An agency mention as a reference: the body (or group of bodies) it denotes, in which unit, of which type."""

    ref: AgencyRef  # identity: key, unit, expanded name, group flag, type id, canonical name
    iri: str
    unit: ResolvedUnit
    label: str  # the body's one label (canonical name)
    alt_label: str | None  # the name as printed (expanded), when it differs from the canonical name
    type_iri: str | None  # agency-type concept (bodies only)
    org: OrgNode | None  # ORG facts (bodies only)

    @property
    def key(self) -> str:
        return self.ref.key

    @property
    def group(self) -> bool:
        return self.ref.group

    @property
    def type_id(self) -> str | None:
        return self.ref.type_id

    @property
    def canonical(self) -> str:
        return self.ref.canonical or self.ref.name

    @property
    def parents(self) -> tuple[OrgNode, ...]:
        return self.org.parents if self.org is not None else ()


@dataclass(frozen=True)
class ResolvedInterval:
    """A time:ProperInterval: its ends as instants (IRI, ISO date) and the text it was read from."""

    iri: str
    start: tuple[str, str] | None = None  # (instant IRI, date)
    end: tuple[str, str] | None = None
    text: str | None = None


@dataclass(frozen=True)
class Discrepancy:
    """A disagreement settled on the way (symbol vs type word, date vs symbol year, store look-ups)."""

    iri: str
    about: str
    code: str
    message: str
    printed: str | None = None
    resolved: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class ResolvedWarning:
    iri: str
    code: str
    message: str
    line: int | None = None


@dataclass(frozen=True)
class ResolvedCitation:
    """One citation act of the plan's document (the printed form at a line)."""

    iri: str
    roles: tuple[str, ...]  # cited_as as extracted (basis, proposal, body)
    line: int | None
    printed: str | None
    title: str | None = None  # the title printed after the citation, exactly as printed
    title_line: int | None = None  # the line it starts on


@dataclass(frozen=True)
class ResolvedInstrument:
    iri: str
    type_key: str  # SCHEMA.md type code (the symbol's when it has one)
    type_name: str
    cls: str  # ontology class (LegalInstrument, Decision …)
    type_iri: str | None  # instrument-type concept, for a type the lexicon knows
    number: str | None  # the symbol as printed, spaces removed
    name: str | None
    label: str | None
    lookup_key: str | None  # skos:hiddenLabel (resolve.slug.lookup_key)
    number_key: str | None  # type|scope|number-without-year: what year-less citations are matched on
    date: str | None  # asserted date (ISO; None when absent, malformed or contradicting the symbol)
    issuers: tuple[ResolvedAgency, ...]
    unit: ResolvedUnit
    unresolved: bool = False
    implements: tuple[str, ...] = ()  # IRIs
    amends: tuple[str, ...] = ()
    citation: ResolvedCitation | None = None  # None for an instrument known only from an implements/amends key
    notes: tuple[Discrepancy, ...] = ()
    title: str | None = None  # this document's title for it (its name, or the title printed after a citation)


@dataclass(frozen=True)
class ResolvedPlan:
    iri: str
    type_iri: str  # the instrument-type concept of a plan (KH)
    unit: ResolvedUnit
    number: str | None  # spaces removed
    number_key: str | None
    date_issued: str | None
    title: str | None
    lookup_key: str | None
    label: str
    issuers: tuple[ResolvedAgency, ...]
    period: ResolvedInterval | None
    period_start: str | None
    period_end: str | None
    signer: str | None
    signer_position: str | None


@dataclass(frozen=True)
class ResolvedTask:
    iri: str
    parent: str | None  # IRI of the enclosing task
    section: str  # section path as printed ("II.1.a")
    heading: str | None
    text: str | None
    line_start: int | None
    line_end: int | None
    lead: tuple[ResolvedAgency, ...]
    support: tuple[ResolvedAgency, ...]
    timeframe: ResolvedInterval | None
    recurrence: tuple[str, ...]  # concept IRIs
    deadline: str | None
    start: str | None  # ISO dates of the task's own timeframe
    end: str | None
    active_years: tuple[int, ...]
    themes: tuple[str, ...]  # theme ids
    theme_iris: tuple[str, ...]
    mentions: tuple[str, ...]  # IRIs of the instruments its text names


@dataclass(frozen=True)
class ResolvedDuty:
    iri: str  # one node per duty of an item, shared by the item's agencies
    text: str
    line_start: int | None
    line_end: int | None
    support: tuple[ResolvedAgency, ...]  # the bodies it is to work with ("phối hợp với …")


@dataclass(frozen=True)
class ResolvedResponsibility:
    iri: str
    agency: ResolvedAgency
    section: str
    duties: int
    line: int | None
    duty_items: tuple[ResolvedDuty, ...] = ()


@dataclass(frozen=True)
class ResolvedRecord:
    source: SourceMeta  # passthrough (sha256 and format completed from the record)
    base: str  # the data base IRIs were minted under
    graph: str  # the document graph (and source-document node)
    extraction: str  # the extraction activity
    plan: ResolvedPlan
    instruments: list[ResolvedInstrument] = field(default_factory=list)  # the record's, then implements/amends-only
    tasks: list[ResolvedTask] = field(default_factory=list)
    responsibilities: list[ResolvedResponsibility] = field(default_factory=list)
    warnings: list[ResolvedWarning] = field(default_factory=list)
    notes: list[Discrepancy] = field(default_factory=list)  # every discrepancy, plan's first
