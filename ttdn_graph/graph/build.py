"""ResolvedRecord → RDF: a document graph (with provenance) and the identity facts of the entities it mentions.

What the document says: the plan, every instrument it cites (the plan's legalBasis/cites links, the instruments'
implements/amends links), its tasks (agencies, timeframes, recurrence, themes, instruments mentioned), its
responsibilities with their duties (text, lines, partner agencies), the units and agencies they name, and every disagreement met on the way as a ttdn:Discrepancy.
The builder is a pure mapping: every identity was settled and every IRI minted by the resolve stage
(ttdn_graph.resolve); graph.layout decides which graph each triple goes to (each fact once in the union default
graph); the builder itself only says what is true. Output is deterministic for the same record and load time: IRIs
only, sorted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pyoxigraph import Quad

from ttdn_graph.graph import terms as T
from ttdn_graph.graph.consolidate import consolidate, statements_in
from ttdn_graph.graph.layout import DocumentQuads, Router, entities_graph
from ttdn_graph.graph.namespaces import DCTERMS, PROV, SKOS, TIME
from ttdn_graph.graph.organisations import org_quads
from ttdn_graph.record import Record
from ttdn_graph.resolve import (
    GazetteerView,
    ResolvedAgency,
    ResolvedInstrument,
    ResolvedInterval,
    ResolvedRecord,
    ResolvedUnit,
    Resolver,
    SourceMeta,
    resolve,
    source_graph,
)

P_DER = T.iri(PROV + "wasDerivedFrom")
P_KEY = T.iri(SKOS + "hiddenLabel")  # the look-up form of a number or name (resolve.slug.lookup_key)


@dataclass
class _State:
    q: Router
    g: str
    units_done: set[str] = field(default_factory=set)


def _resolved(record: Record | ResolvedRecord, source_meta: SourceMeta | None, resolver: Resolver | None,
              base: str | None, gazetteer: GazetteerView | None,
              themes: Sequence[list[str]] | None) -> ResolvedRecord:
    if isinstance(record, ResolvedRecord):
        return record
    return resolve(record, source_meta=source_meta, resolver=resolver, base=base, gazetteer=gazetteer, themes=themes)


def build_quads(
    record: Record | ResolvedRecord,
    *,
    source_meta: SourceMeta | None = None,
    resolver: Resolver | None = None,
    base: str | None = None,
    gazetteer: GazetteerView | None = None,
    ordered: bool = True,
    themes: Sequence[list[str]] | None = None,
) -> list[Quad]:
    """The record alone as a dataset: its document graph, and its entities in the entities graph with the values
    its own claims give them (what a store holding only this document holds, inferences aside). Sorted unless
    `ordered` is False. Arguments as for build_document."""
    res = _resolved(record, source_meta, resolver, base, gazetteer, themes)
    doc = build_document(res, ordered=ordered)
    eg = T.iri(entities_graph(res.base))
    out = list(doc.own)
    ent: dict[tuple, None] = {}
    for e, facts in doc.facts.items():
        for p, o in facts:
            ent[(T.iri(e), p, o)] = None
    for e, stmts in statements_in(doc.own).items():
        for t in consolidate(e, stmts):
            ent[t] = None
    out += [Quad(s, p, o, eg) for s, p, o in ent]
    return sorted(out, key=lambda q: (str(q.subject), str(q.predicate), str(q.object))) if ordered else out


def build_document(
    record: Record | ResolvedRecord,
    *,
    source_meta: SourceMeta | None = None,
    resolver: Resolver | None = None,
    base: str | None = None,
    gazetteer: GazetteerView | None = None,
    ordered: bool = True,
    themes: Sequence[list[str]] | None = None,
) -> DocumentQuads:
    """The document graph of a resolved record and the identity facts of the entities it mentions (graph.layout),
    sorted unless `ordered` is False (for a store, which keeps no order). A plain Record is resolved first
    (resolve.resolve, with `source_meta`, `resolver`, `base`, `gazetteer` and `themes`); those arguments are
    ignored for a ResolvedRecord."""
    r = _resolved(record, source_meta, resolver, base, gazetteer, themes)
    st = _State(Router(r.graph), r.graph)
    _source(st, r)
    for u in r.plan.unit.chain():
        _unit(st, u)
    plan_iri = _plan(st, r)
    for ri in r.instruments:
        _instrument_node(st, ri)
    for ri in r.instruments:
        if ri.citation is None:
            continue
        _citation(st, plan_iri, ri)
        for rel, targets in (("implements", ri.implements), ("amends", ri.amends)):
            for target in targets:
                st.q.add(ri.iri, T.ttdn(rel), target)
    _tasks(st, r, plan_iri)
    _responsibilities(st, r, plan_iri)
    _notes(st, r, plan_iri)
    return st.q.result(ordered)


# -- provenance -------------------------------------------------------------------------------------------------
def _source(st: _State, r: ResolvedRecord) -> None:
    q, g, meta = st.q, st.g, r.source
    when = meta.loaded_at or datetime.now(UTC).replace(microsecond=0).isoformat()
    q.add(g, T.A, T.ttdn("SourceDocument"))
    q.add(g, T.ttdn("fileName"), T.string(meta.file_name))
    q.add(g, T.LABEL, T.string(meta.file_name))
    if meta.sha256:
        q.add(g, T.ttdn("sha256"), T.string(meta.sha256))
    q.add(g, T.iri(PROV + "generatedAtTime"), T.datetime(when))
    if meta.format:
        q.add(g, T.iri(DCTERMS + "format"), T.string(meta.format))
    if meta.text:
        q.add(g, T.ttdn("documentText"), T.string(meta.text))
    if meta.source_url:
        q.add(g, T.iri(DCTERMS + "source"), T.iri(meta.source_url))
    act = r.extraction
    q.add(g, T.iri(PROV + "wasGeneratedBy"), act)
    q.add(act, T.A, T.ttdn("Extraction"))
    q.add(act, T.ttdn("toolVersion"), T.string(meta.tool_version))
    q.add(act, T.iri(PROV + "endedAtTime"), T.datetime(when))


# -- units and agencies -----------------------------------------------------------------------------------------
def _unit(st: _State, u: ResolvedUnit | None) -> str | None:
    if u is None or u.iri is None:
        return None
    iri = u.iri
    if iri in st.units_done:
        return iri
    st.units_done.add(iri)
    q = st.q
    q.add(iri, T.A, T.ttdn("AdministrativeUnit"))
    q.add(iri, T.A, T.ttdn(u.cls))
    q.add(iri, T.LABEL, T.vi(u.name))
    if u.level:
        q.add(iri, T.ttdn("level"), T.string(u.level))
    if u.parent is not None:
        q.add(iri, T.ttdn("withinUnit"), _unit(st, u.parent))
    if u.code:
        q.add(iri, T.ttdn("adminCode"), T.string(u.code))
    if u.successor is not None:
        q.add(iri, T.ttdn("successor"), _unit(st, u.successor))
        if u.successor_date:
            q.add(iri, T.ttdn("successionDate"), T.date(u.successor_date))
    return iri


def _agency(st: _State, a: ResolvedAgency) -> str:
    """The agency (or group) node of a resolved mention."""
    q, iri = st.q, a.iri
    if a.group:
        q.add(iri, T.A, T.ttdn("AgencyGroup"))
    else:
        q.add(iri, T.A, T.ttdn("Agency"))
        if a.type_iri:
            q.add(iri, T.ttdn("agencyType"), a.type_iri)
        if a.org is not None:
            for s, p, o in org_quads(a.org):  # ORG: classification, parent body, renames and mergers
                q.add(s, p, o)
    q.add(iri, T.LABEL, T.vi(a.label))  # one label per body; the name as printed beside it
    if a.alt_label:
        q.add(iri, T.iri(SKOS + "altLabel"), T.vi(a.alt_label))
    q.add(iri, T.ttdn("jurisdiction"), _unit(st, a.unit))
    return iri


# -- plan and instruments ---------------------------------------------------------------------------------------
def _interval(st: _State, i: ResolvedInterval | None) -> str | None:
    if i is None:
        return None
    q = st.q
    q.add(i.iri, T.A, T.iri(TIME + "ProperInterval"))
    for prop, end in (("hasBeginning", i.start), ("hasEnd", i.end)):
        if end is not None:
            inst, d = end
            q.add(i.iri, T.iri(TIME + prop), inst)
            q.add(inst, T.A, T.iri(TIME + "Instant"))
            q.add(inst, T.iri(TIME + "inXSDDate"), T.date(d))
    if i.text is not None:
        q.add(i.iri, T.ttdn("sourceText"), T.vi(i.text))
    return i.iri


def _plan(st: _State, r: ResolvedRecord) -> str:
    p, q = r.plan, st.q
    plan_iri = p.iri
    if p.number_key:
        q.add(plan_iri, T.ttdn("numberKey"), T.string(p.number_key))
    q.mark_plan(plan_iri)
    q.add(plan_iri, T.A, T.ttdn("LegalInstrument"))
    q.add(plan_iri, T.A, T.ttdn("Plan"))
    q.add(plan_iri, T.ttdn("instrumentType"), p.type_iri)
    if p.number is not None:
        q.add(plan_iri, T.ttdn("number"), T.string(p.number))
    if p.date_issued:
        q.add(plan_iri, T.ttdn("dateIssued"), T.date(p.date_issued))
    if p.title is not None:
        q.add(plan_iri, T.ttdn("title"), T.vi(p.title))
        q.add(plan_iri, T.iri(DCTERMS + "title"), T.vi(p.title))
    if p.lookup_key is not None:
        q.add(plan_iri, P_KEY, T.string(p.lookup_key))
    q.add(plan_iri, T.LABEL, T.vi(p.label))
    for a in p.issuers:
        q.add(plan_iri, T.ttdn("issuedBy"), _agency(st, a))
    q.add(plan_iri, T.ttdn("jurisdiction"), _unit(st, p.unit))
    if p.period is not None:
        q.add(plan_iri, T.ttdn("period"), _interval(st, p.period))
        if p.period_start:
            q.add(plan_iri, T.ttdn("periodStart"), T.date(p.period_start))
        if p.period_end:
            q.add(plan_iri, T.ttdn("periodEnd"), T.date(p.period_end))
    if p.signer is not None:
        q.add(plan_iri, T.ttdn("signer"), T.vi(p.signer))
        if p.signer_position is not None:
            q.add(plan_iri, T.ttdn("signerPosition"), T.vi(p.signer_position))
    q.add(plan_iri, P_DER, st.g)
    return plan_iri


def _instrument_node(st: _State, ri: ResolvedInstrument) -> None:
    q, iri = st.q, ri.iri
    q.add(iri, T.A, T.ttdn("LegalInstrument"))
    if ri.cls and ri.cls != "LegalInstrument":
        q.add(iri, T.A, T.ttdn(ri.cls))
    if ri.type_iri:
        q.add(iri, T.ttdn("instrumentType"), ri.type_iri)
    if ri.number:
        q.add(iri, T.ttdn("number"), T.string(ri.number))
    if ri.label:
        q.add(iri, T.LABEL, T.vi(ri.label))
    if ri.lookup_key is not None:
        q.add(iri, P_KEY, T.string(ri.lookup_key))
    if ri.number_key:
        q.add(iri, T.ttdn("numberKey"), T.string(ri.number_key))
    if ri.title:
        q.add(iri, T.ttdn("title"), T.vi(ri.title))
    if ri.date:
        q.add(iri, T.ttdn("dateIssued"), T.date(ri.date))
    for a in ri.issuers:
        q.add(iri, T.ttdn("issuedBy"), _agency(st, a))
    q.add(iri, T.ttdn("jurisdiction"), _unit(st, ri.unit))


def _citation(st: _State, plan_iri: str, ri: ResolvedInstrument) -> None:
    q, c = st.q, ri.citation
    assert c is not None
    if ri.iri != plan_iri:
        for role in c.roles or ("body",):
            if role == "basis":
                q.add(plan_iri, T.ttdn("legalBasis"), ri.iri)
            else:
                q.add(plan_iri, T.ttdn("cites"), ri.iri)
                if role == "proposal":
                    q.add(plan_iri, T.ttdn("proposal"), ri.iri)
    q.add(c.iri, T.A, T.ttdn("Citation"))
    q.add(c.iri, T.ttdn("citedInstrument"), ri.iri)
    q.add(c.iri, T.ttdn("citingResource"), plan_iri)
    q.add(c.iri, T.ttdn("inDocument"), st.g)
    for role in c.roles:
        q.add(c.iri, T.ttdn("citedAs"), T.string(role))
    if c.line:
        q.add(c.iri, T.ttdn("lineStart"), T.integer(c.line))
    if c.printed is not None:
        q.add(c.iri, T.ttdn("sourceText"), T.vi(c.printed))
    if c.title:  # the title as this document prints it, and where: the provenance of the instrument's title
        q.add(c.iri, T.ttdn("citedTitle"), T.vi(c.title))
        if c.title_line:
            q.add(c.iri, T.ttdn("titleLine"), T.integer(c.title_line))


# -- tasks and responsibilities ---------------------------------------------------------------------------------
def _tasks(st: _State, r: ResolvedRecord, plan_iri: str) -> None:
    q = st.q
    for t in r.tasks:
        iri = t.iri
        q.add(iri, T.A, T.ttdn("Task"))
        q.add(plan_iri, T.ttdn("hasTask"), iri)
        q.add(iri, T.ttdn("ofPlan"), plan_iri)
        q.add(iri, T.ttdn("partOf"), t.parent)
        q.add(iri, T.ttdn("sectionPath"), T.string(t.section))
        if t.heading:
            q.add(iri, T.LABEL, T.vi(t.heading))
        if t.text:
            q.add(iri, T.ttdn("sourceText"), T.vi(t.text))
        if t.line_start:
            q.add(iri, T.ttdn("lineStart"), T.integer(t.line_start))
        if t.line_end:
            q.add(iri, T.ttdn("lineEnd"), T.integer(t.line_end))
        for role, agencies in (("leadAgency", t.lead), ("supportAgency", t.support)):
            for a in agencies:
                q.add(iri, T.ttdn(role), _agency(st, a))
        q.add(iri, T.ttdn("timeframe"), _interval(st, t.timeframe))
        for rec in t.recurrence:
            q.add(iri, T.ttdn("recurrence"), rec)
        if t.deadline:
            q.add(iri, T.ttdn("deadline"), T.date(t.deadline))
        for prop, d in (("timeframeStart", t.start), ("timeframeEnd", t.end)):
            if d is not None:
                q.add(iri, T.ttdn(prop), T.date(d))
        for year in t.active_years:
            q.add(iri, T.ttdn("activeYear"), T.integer(year))
        for theme in t.theme_iris:
            q.add(iri, T.ttdn("theme"), theme)
        for target in t.mentions:
            q.add(iri, T.ttdn("cites"), target)
        q.add(iri, P_DER, st.g)


def _responsibilities(st: _State, r: ResolvedRecord, plan_iri: str) -> None:
    q = st.q
    for resp in r.responsibilities:
        agency = _agency(st, resp.agency)
        iri = resp.iri
        q.add(iri, T.A, T.ttdn("Responsibility"))
        q.add(iri, T.ttdn("plan"), plan_iri)
        q.add(iri, T.ttdn("agency"), agency)
        q.add(iri, T.ttdn("sectionPath"), T.string(resp.section))
        q.add(iri, T.ttdn("dutyCount"), T.integer(resp.duties))
        if resp.line:
            q.add(iri, T.ttdn("lineStart"), T.integer(resp.line))
        q.add(iri, P_DER, st.g)
        for duty in resp.duty_items:  # one node per duty of the item, shared by the agencies it names
            q.add(iri, T.ttdn("hasDuty"), duty.iri)
            q.add(duty.iri, T.A, T.ttdn("Duty"))
            q.add(duty.iri, T.ttdn("sourceText"), T.vi(duty.text))
            if duty.line_start:
                q.add(duty.iri, T.ttdn("lineStart"), T.integer(duty.line_start))
            if duty.line_end:
                q.add(duty.iri, T.ttdn("lineEnd"), T.integer(duty.line_end))
            for a in duty.support:
                q.add(duty.iri, T.ttdn("supportedBy"), _agency(st, a))
            q.add(duty.iri, P_DER, st.g)


def _notes(st: _State, r: ResolvedRecord, plan_iri: str) -> None:
    q = st.q
    for w in r.warnings:
        q.add(w.iri, T.A, T.ttdn("Discrepancy"))
        q.add(w.iri, T.ttdn("discrepancyOf"), plan_iri)
        q.add(w.iri, T.iri(SKOS + "notation"), T.string(w.code))
        q.add(w.iri, T.COMMENT, T.string(w.message))
        q.add(w.iri, T.ttdn("inDocument"), st.g)
        if w.line:
            q.add(w.iri, T.ttdn("lineStart"), T.integer(w.line))
    for n in r.notes:
        q.add(n.iri, T.A, T.ttdn("Discrepancy"))
        q.add(n.iri, T.ttdn("discrepancyOf"), n.about)
        q.add(n.iri, T.iri(SKOS + "notation"), T.string(n.code))
        q.add(n.iri, T.COMMENT, T.en(n.message))
        q.add(n.iri, T.ttdn("inDocument"), st.g)
        if n.printed:
            q.add(n.iri, T.ttdn("printedValue"), T.string(n.printed))
        if n.resolved:
            q.add(n.iri, T.ttdn("resolvedValue"), T.string(n.resolved))
        if n.line:
            q.add(n.iri, T.ttdn("lineStart"), T.integer(n.line))


__all__ = ["SourceMeta", "build_document", "build_quads", "source_graph"]
