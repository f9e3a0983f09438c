"""Record → RDF: a document graph (with provenance) and the identity facts of the entities it mentions.

What the document says: the plan, every instrument it cites (the plan's legalBasis/cites links, the instruments'
implements/amends links), its tasks (agencies, timeframes, recurrence, themes, instruments mentioned), its
responsibilities, the units and agencies they name, and every disagreement met on the way as a ttdn:Discrepancy.
graph.layout decides which graph each triple goes to (each fact once in the union default graph); the builder
itself only says what is true. Output is deterministic for the same record and load time: IRIs only, sorted.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from pyoxigraph import Quad

from ttdn_graph import __version__
from ttdn_graph.graph import terms as T
from ttdn_graph.graph.agencies import expand, resolve_agency, with_unit
from ttdn_graph.graph.consolidate import consolidate, statements_in
from ttdn_graph.graph.gazetteer_adapter import GazetteerView
from ttdn_graph.graph.identity import Iris, concept, type_by_key
from ttdn_graph.graph.instruments import InstrumentResolver, Note, ResolvedInstrument, Resolver
from ttdn_graph.graph.layout import DocumentQuads, Router, entities_graph
from ttdn_graph.graph.namespaces import DCTERMS, PROV, SKOS, TIME
from ttdn_graph.graph.organisations import org_quads
from ttdn_graph.graph.slug import lookup_key, nfc, slug
from ttdn_graph.graph.units import VN, Unit, plan_unit
from ttdn_graph.record import Instrument, Record, Task

_UNIT_CLASS = {
    "quốc gia": "Country",
    "tỉnh": "Province",
    "thành phố trực thuộc trung ương": "Province",
    "huyện": "District",
    "thị xã": "District",
    "quận": "District",
    "thành phố": "District",
    "xã": "Commune",
    "phường": "Commune",
    "thị trấn": "Commune",
    "đặc khu": "Commune",
}
P_DER = T.iri(PROV + "wasDerivedFrom")
P_KEY = T.iri(SKOS + "hiddenLabel")  # the look-up form of a number or name (slug.lookup_key)


@dataclass(frozen=True)
class SourceMeta:
    """What the graph says about the file it came from."""

    file_name: str
    sha256: str | None = None
    loaded_at: str | None = None  # xsd:dateTime; None → now (UTC)
    tool_version: str = __version__
    format: str | None = None


def _plan_date(record: Record) -> date | None:
    for d in (record.plan.date_issued, record.plan.period.start):
        try:
            return date.fromisoformat(d) if d else None
        except ValueError:
            continue
    return None


def source_graph(file_name: str, base: str | None = None) -> str:
    """The named graph (and source-document node) of a file: keyed by its name, so a changed file replaces it."""
    return Iris(base).source(file_name)


def _number_norm(s: str | None) -> str:
    return re.sub(r"\s+", "", nfc(s or "")).replace("–", "-").upper()


@dataclass
class _State:
    iris: Iris
    q: Router
    g: str
    plan_unit: Unit
    gaz: GazetteerView
    units_done: set[str] = field(default_factory=set)
    notes: list[Note] = field(default_factory=list)
    themes: Sequence[list[str]] | None = None  # per task, computed ahead (task_themes)


def build_quads(
    record: Record,
    *,
    source_meta: SourceMeta,
    resolver: Resolver | None = None,
    base: str | None = None,
    gazetteer: GazetteerView | None = None,
    ordered: bool = True,
    themes: Sequence[list[str]] | None = None,
) -> list[Quad]:
    """The record alone as a dataset: its document graph, and its entities in the entities graph with the values
    its own claims give them (what a store holding only this document holds, inferences aside). Sorted unless
    `ordered` is False. Arguments as for build_document."""
    doc = build_document(record, source_meta=source_meta, resolver=resolver, base=base, gazetteer=gazetteer,
                         ordered=ordered, themes=themes)
    eg = T.iri(entities_graph(Iris(base).base))
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
    record: Record,
    *,
    source_meta: SourceMeta,
    resolver: Resolver | None = None,
    base: str | None = None,
    gazetteer: GazetteerView | None = None,
    ordered: bool = True,
    themes: Sequence[list[str]] | None = None,
) -> DocumentQuads:
    """The record's document graph and the identity facts of the entities it mentions (graph.layout), sorted
    unless `ordered` is False (for a store, which keeps no order). `resolver` looks year-less citations up in the
    store. `themes`: task_themes(record), when computed ahead (the loader's extraction workers do, so that the
    sequential writer does not)."""
    iris = Iris(base)
    g = iris.source(source_meta.file_name)
    gaz = gazetteer or GazetteerView.at(_plan_date(record))
    pu = plan_unit(record.plan.jurisdiction, record.plan.place, gaz) or Unit(f"unknown {source_meta.file_name}", None)
    st = _State(iris, Router(g), g, pu, gaz)
    if themes is not None and len(themes) == len(record.tasks):
        st.themes = themes
    _source(st, record, source_meta)
    for u in pu.chain():
        _unit(st, u)

    inst_res = InstrumentResolver(iris, pu, resolver, g, st.gaz)
    insts = list(record.instruments)
    extra_keys = _dangling_keys(insts)
    resolved = inst_res.resolve_all([*insts, *(inst_res.from_key(k) for k in extra_keys)])
    by_inst = resolved[: len(insts)]
    by_extra = dict(zip(extra_keys, resolved[len(insts) :], strict=True))

    plan_iri = _plan(st, record, inst_res)
    lookup = _key_index(insts, by_inst)
    for ri in resolved:
        _instrument_node(st, ri)
        st.notes.extend(ri.notes)
    for i, (inst, ri) in enumerate(zip(insts, by_inst, strict=True)):
        _citation(st, plan_iri, inst, ri, i)
        for rel, keys in (("implements", inst.implements), ("amends", inst.amends)):
            for k in keys:
                target = lookup.get(k) or lookup.get(_norm_key(k)) or by_extra.get(k)
                if target is not None and target.iri != ri.iri:
                    st.q.add(ri.iri, T.ttdn(rel), target.iri)
    _tasks(st, record, plan_iri, insts, by_inst)
    _responsibilities(st, record, plan_iri)
    _notes(st, record, plan_iri)
    return st.q.result(ordered)


# -- provenance -------------------------------------------------------------------------------------------------
def _source(st: _State, record: Record, meta: SourceMeta) -> None:
    q, g = st.q, st.g
    when = meta.loaded_at or datetime.now(UTC).replace(microsecond=0).isoformat()
    q.add(g, T.A, T.ttdn("SourceDocument"))
    q.add(g, T.ttdn("fileName"), T.string(meta.file_name))
    q.add(g, T.LABEL, T.string(meta.file_name))
    if meta.sha256 or record.sha256:
        q.add(g, T.ttdn("sha256"), T.string(meta.sha256 or record.sha256 or ""))
    q.add(g, T.iri(PROV + "generatedAtTime"), T.datetime(when))
    fmt = meta.format or record.format
    if fmt:
        q.add(g, T.iri(DCTERMS + "format"), T.string(fmt))
    act = f"{g}/extraction"
    q.add(g, T.iri(PROV + "wasGeneratedBy"), act)
    q.add(act, T.A, T.ttdn("Extraction"))
    q.add(act, T.ttdn("toolVersion"), T.string(meta.tool_version))
    q.add(act, T.iri(PROV + "endedAtTime"), T.datetime(when))


# -- units and agencies -----------------------------------------------------------------------------------------
def _known(u: Unit) -> bool:
    return u.is_country or (u.parent is not None)


def _unit(st: _State, u: Unit) -> str | None:
    if not _known(u):
        return None
    iri = st.iris.unit(u.path)
    if iri in st.units_done:
        return iri
    st.units_done.add(iri)
    q = st.q
    q.add(iri, T.A, T.ttdn("AdministrativeUnit"))
    cls = "Country" if u.is_country else _UNIT_CLASS.get(u.level or "", "Province" if u.is_provincial else "District")
    if u.is_provincial:
        cls = "Province"
    q.add(iri, T.A, T.ttdn(cls))
    q.add(iri, T.LABEL, T.vi(u.name))
    if u.level:
        q.add(iri, T.ttdn("level"), T.string(u.level))
    if u.parent is not None:
        q.add(iri, T.ttdn("withinUnit"), _unit(st, u.parent))
    facts = st.gaz.facts(u)
    if facts.get("code"):
        q.add(iri, T.ttdn("adminCode"), T.string(facts["code"]))
    if facts.get("successor"):
        q.add(iri, T.ttdn("successor"), _unit(st, facts["successor"]))
        if facts.get("successor_date"):
            q.add(iri, T.ttdn("successionDate"), T.date(facts["successor_date"]))
    return iri


def _agency(st: _State, name: str, unit: Unit | None = None) -> str | None:
    """The agency (or group) node for a name in this plan; `unit` forces the unit (issuers of local instruments)."""
    name = expand(name)
    if not name:
        return None
    ref = resolve_agency(name, st.plan_unit, st.gaz)
    if unit is not None and not ref.group and not ref.unit.is_country:
        ref = with_unit(ref, unit)
    if ref.group:
        iri = st.iris.group(ref.unit.path, ref.key)
        st.q.add(iri, T.A, T.ttdn("AgencyGroup"))
    else:
        iri = st.iris.agency(ref.unit.path, ref.key)
        st.q.add(iri, T.A, T.ttdn("Agency"))
        if ref.type_id:
            st.q.add(iri, T.ttdn("agencyType"), concept("agency-type", ref.type_id))
        for s, p, o in org_quads(ref, st.iris):  # ORG: classification, parent body, renames and mergers
            st.q.add(s, p, o)
    st.q.add(iri, T.LABEL, T.vi(ref.canonical or name))  # one label per body; the name as printed beside it
    if ref.canonical and ref.canonical != name:
        st.q.add(iri, T.iri(SKOS + "altLabel"), T.vi(name))
    st.q.add(iri, T.ttdn("jurisdiction"), _unit(st, ref.unit))
    return iri


# -- plan and instruments ---------------------------------------------------------------------------------------
def _interval(st: _State, iri: str, start: str | None, end: str | None, text: str | None = None) -> str | None:
    if not start and not end:
        return None
    q = st.q
    q.add(iri, T.A, T.iri(TIME + "ProperInterval"))
    for prop, d in (("hasBeginning", start), ("hasEnd", end)):
        if d:
            inst = st.iris.instant(d)
            q.add(iri, T.iri(TIME + prop), inst)
            q.add(inst, T.A, T.iri(TIME + "Instant"))
            q.add(inst, T.iri(TIME + "inXSDDate"), T.date(d))
    if text:
        q.add(iri, T.ttdn("sourceText"), T.vi(text))
    return iri


def _plan(st: _State, record: Record, inst_res: InstrumentResolver) -> str:
    p, q = record.plan, st.q
    issuers = [expand(i) for i in ([p.issuer] if p.issuer else [])]
    if p.number and p.date_issued:
        ri = inst_res.resolve_all([Instrument(type="Kế hoạch", number=p.number, date=p.date_issued,
                                              issuer=p.issuer)])[0]
        plan_iri = ri.iri
        if ri.number_key:
            q.add(plan_iri, T.ttdn("numberKey"), T.string(ri.number_key))
        st.notes.extend(ri.notes)
    else:
        plan_iri = st.iris.plan(st.plan_unit.path, p.period.start, p.period.end, p.title, record.source)
    q.mark_plan(plan_iri)
    q.add(plan_iri, T.A, T.ttdn("LegalInstrument"))
    q.add(plan_iri, T.A, T.ttdn("Plan"))
    q.add(plan_iri, T.ttdn("instrumentType"), concept("instrument-type", "KH"))
    if p.number:
        q.add(plan_iri, T.ttdn("number"), T.string(_number_norm(p.number) and re.sub(r"\s+", "", nfc(p.number))))
    if p.date_issued:
        q.add(plan_iri, T.ttdn("dateIssued"), T.date(p.date_issued))
    if p.title:
        q.add(plan_iri, T.ttdn("title"), T.vi(nfc(p.title)))
        q.add(plan_iri, T.iri(DCTERMS + "title"), T.vi(nfc(p.title)))
    if p.number or p.title:
        q.add(plan_iri, P_KEY, T.string(lookup_key(p.number or p.title)))
    label = " ".join(x for x in ("Kế hoạch", p.number or "", nfc(p.title or "")) if x)
    q.add(plan_iri, T.LABEL, T.vi(label))
    for name in issuers:
        q.add(plan_iri, T.ttdn("issuedBy"), _agency(st, name, st.plan_unit))
    q.add(plan_iri, T.ttdn("jurisdiction"), _unit(st, st.plan_unit))
    if p.period.start or p.period.end:
        q.add(plan_iri, T.ttdn("period"), _interval(st, f"{plan_iri}/period", p.period.start, p.period.end))
        if p.period.start:
            q.add(plan_iri, T.ttdn("periodStart"), T.date(p.period.start))
        if p.period.end:
            q.add(plan_iri, T.ttdn("periodEnd"), T.date(p.period.end))
    if p.signer and p.signer.name:
        q.add(plan_iri, T.ttdn("signer"), T.vi(nfc(p.signer.name)))
        if p.signer.position:
            q.add(plan_iri, T.ttdn("signerPosition"), T.vi(nfc(p.signer.position)))
    q.add(plan_iri, P_DER, st.g)
    return plan_iri


def _instrument_node(st: _State, ri: ResolvedInstrument) -> None:
    q, iri = st.q, ri.iri
    q.add(iri, T.A, T.ttdn("LegalInstrument"))
    if ri.cls and ri.cls != "LegalInstrument":
        q.add(iri, T.A, T.ttdn(ri.cls))
    if type_by_key(ri.type_key) is not None:
        q.add(iri, T.ttdn("instrumentType"), concept("instrument-type", ri.type_key))
    if ri.number:
        q.add(iri, T.ttdn("number"), T.string(ri.number))
        q.add(iri, T.LABEL, T.vi(f"{ri.type_name} {ri.number}"))
    if ri.number or ri.name:
        q.add(iri, P_KEY, T.string(lookup_key(ri.number or ri.name)))
    if ri.number_key:
        q.add(iri, T.ttdn("numberKey"), T.string(ri.number_key))
    if ri.name:
        q.add(iri, T.ttdn("title"), T.vi(ri.name))
        if not ri.number:
            q.add(iri, T.LABEL, T.vi(ri.name))
    if ri.date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", ri.date):
        q.add(iri, T.ttdn("dateIssued"), T.date(ri.date))
    for name in ri.issuers:
        q.add(iri, T.ttdn("issuedBy"), _agency(st, name, None if ri.unit.is_country else ri.unit))
    q.add(iri, T.ttdn("jurisdiction"), _unit(st, ri.unit))


def _citation(st: _State, plan_iri: str, inst: Instrument, ri: ResolvedInstrument, i: int) -> None:
    q = st.q
    if ri.iri != plan_iri:
        for role in inst.cited_as or ["body"]:
            if role == "basis":
                q.add(plan_iri, T.ttdn("legalBasis"), ri.iri)
            else:
                q.add(plan_iri, T.ttdn("cites"), ri.iri)
                if role == "proposal":
                    q.add(plan_iri, T.ttdn("proposal"), ri.iri)
    c = f"{st.g}/citation/{i + 1}"
    q.add(c, T.A, T.ttdn("Citation"))
    q.add(c, T.ttdn("citedInstrument"), ri.iri)
    q.add(c, T.ttdn("citingResource"), plan_iri)
    q.add(c, T.ttdn("inDocument"), st.g)
    for role in inst.cited_as or []:
        q.add(c, T.ttdn("citedAs"), T.string(role))
    if inst.line:
        q.add(c, T.ttdn("lineStart"), T.integer(inst.line))
    if inst.printed:
        q.add(c, T.ttdn("sourceText"), T.vi(nfc(inst.printed)))


def _norm_key(key: str) -> str:
    code, _, rest = key.partition("|")
    return f"{code}|{_number_norm(rest) if re.match(r'[0-9]', rest) else nfc(rest).casefold()}"


def _key_index(insts: list[Instrument], resolved: list[ResolvedInstrument]) -> dict[str, ResolvedInstrument]:
    """Keys an implements/amends list may use for an instrument of the same record (exact and normalised)."""
    out: dict[str, ResolvedInstrument] = {}
    for inst, ri in zip(insts, resolved, strict=True):
        k = inst.key  # an unknown type word gives "VB|…" (a lexicon error is raised, not hidden)
        out.setdefault(k, ri)
        out.setdefault(_norm_key(k), ri)
        ident = _number_norm(inst.number) if inst.number else nfc(inst.name or "").casefold()
        for code in {k.split("|", 1)[0], ri.type_key}:
            out.setdefault(f"{code}|{ident}", ri)
    return out


def _dangling_keys(insts: list[Instrument]) -> list[str]:
    known: set[str] = set()
    for inst in insts:
        known.add(_norm_key(f"X|{inst.number or inst.name or ''}").split("|", 1)[1])
    out = []
    for inst in insts:
        for k in [*inst.implements, *inst.amends]:
            if _norm_key(k).split("|", 1)[1] not in known and k not in out:
                out.append(k)
    return sorted(out)


# -- tasks and responsibilities ---------------------------------------------------------------------------------
def _task_text(t: Task) -> str:
    return nfc(t.text) or nfc(t.heading)


def task_themes(record: Record) -> list[list[str]]:
    """The theme ids of each task's text: the one part of building a graph that reads text and needs no store."""
    return [_themes(_task_text(t)) if _task_text(t) else [] for t in record.tasks]


def _themes(text: str) -> list[str]:
    from ttdn_graph.themes import assign_themes

    found = assign_themes(text) or []  # a malformed themes.csv raises LexiconError rather than dropping themes
    return sorted({getattr(t, "id", t) for t in found if getattr(t, "id", t)})


_CASELESS_HEAD = re.compile(r"[0-9/.\-]*")


def _mention_patterns(insts: list[Instrument],
                      resolved: list[ResolvedInstrument]) -> list[tuple[re.Pattern, str, str]]:
    """(pattern, instrument IRI, needle): a text can match the pattern only if its whitespace-free form contains
    the needle (the number's leading digits and punctuation, which case-insensitive matching leaves as they are),
    so most patterns are skipped with one substring test."""
    pats = []
    for inst, ri in zip(insts, resolved, strict=True):
        if inst.number:
            squeezed = re.sub(r"\s+", "", nfc(inst.number))
            body = r"\s*".join(re.escape(c) for c in squeezed)
            pats.append((re.compile(rf"(?<![\w/]){body}(?![\w/])", re.IGNORECASE), ri.iri,
                         _CASELESS_HEAD.match(squeezed).group(0)))
        elif inst.name and len(inst.name) > 12:
            pats.append((re.compile(re.escape(nfc(inst.name)), re.IGNORECASE), ri.iri, ""))
    return pats


MAX_ACTIVE_SPAN = 30  # years; a longer span is a typo in a date, not a plan


def _year(d: str | None) -> int | None:
    return int(d[:4]) if d and re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) else None


def active_years(start: str | None, end: str | None, period_start: str | None, period_end: str | None) -> range:
    """The years a task is active in, with the fallbacks the year filters of the named queries used to compute per
    task (start: own start, plan start, own end, plan end; end: own end, plan end, own start, plan start).
    Empty when no date is known or the span is negative or longer than MAX_ACTIVE_SPAN."""
    ys, ye, ps, pe = _year(start), _year(end), _year(period_start), _year(period_end)
    first = next((y for y in (ys, ps, ye, pe) if y is not None), None)
    last = next((y for y in (ye, pe, ys, ps) if y is not None), None)
    if first is None or last is None or not 0 <= last - first <= MAX_ACTIVE_SPAN:
        return range(0)
    return range(first, last + 1)


def _tasks(st: _State, record: Record, plan_iri: str, insts: list[Instrument],
           resolved: list[ResolvedInstrument]) -> None:
    q = st.q
    pats = _mention_patterns(insts, resolved)
    ids: dict[str, str] = {}
    for t in record.tasks:
        tid = t.id if t.id not in ids else f"{t.id}~{sum(1 for k in ids if k.split('~')[0] == t.id) + 1}"
        ids[tid] = Iris.task(plan_iri, tid)
    for k, (tid, t) in enumerate(zip(ids, record.tasks, strict=True)):
        iri = ids[tid]
        q.add(iri, T.A, T.ttdn("Task"))
        q.add(plan_iri, T.ttdn("hasTask"), iri)
        q.add(iri, T.ttdn("ofPlan"), plan_iri)
        if t.parent and t.parent in ids:
            q.add(iri, T.ttdn("partOf"), ids[t.parent])
        q.add(iri, T.ttdn("sectionPath"), T.string(t.id))
        heading = nfc(t.heading)
        if heading:
            q.add(iri, T.LABEL, T.vi(heading))
        text = _task_text(t)
        if text:
            q.add(iri, T.ttdn("sourceText"), T.vi(text))
        if t.line_start:
            q.add(iri, T.ttdn("lineStart"), T.integer(t.line_start))
        if t.line_end:
            q.add(iri, T.ttdn("lineEnd"), T.integer(t.line_end))
        for role, names in (("leadAgency", t.lead), ("supportAgency", t.support)):
            for name in names:
                q.add(iri, T.ttdn(role), _agency(st, name))
        if t.time is not None:
            tf = _interval(st, f"{iri}/timeframe", t.time.start, t.time.end, nfc(t.time.text) or None)
            if tf is None and t.time.text:
                tf = f"{iri}/timeframe"
                q.add(tf, T.A, T.iri(TIME + "ProperInterval"))
                q.add(tf, T.ttdn("sourceText"), T.vi(nfc(t.time.text)))
            q.add(iri, T.ttdn("timeframe"), tf)
            rec = t.time.recurrence
            for r in [rec] if isinstance(rec, str) else (rec or []):
                q.add(iri, T.ttdn("recurrence"), concept("recurrence", r))
            if t.time.deadline:
                q.add(iri, T.ttdn("deadline"), T.date(t.time.deadline))
        tstart, tend = (t.time.start, t.time.end) if t.time is not None else (None, None)
        for prop, d in (("timeframeStart", tstart), ("timeframeEnd", tend)):
            if _year(d) is not None:
                q.add(iri, T.ttdn(prop), T.date(d))
        for year in active_years(tstart, tend, record.plan.period.start, record.plan.period.end):
            q.add(iri, T.ttdn("activeYear"), T.integer(year))
        for theme in st.themes[k] if st.themes is not None else _themes(text):
            q.add(iri, T.ttdn("theme"), concept("theme", theme))
        squeezed = "".join(text.split())
        for pat, target, needle in pats:
            if needle in squeezed and pat.search(text):
                q.add(iri, T.ttdn("cites"), target)
        q.add(iri, P_DER, st.g)


def _responsibilities(st: _State, record: Record, plan_iri: str) -> None:
    q = st.q
    for r in record.responsibilities:
        agency = _agency(st, r.agency)
        if agency is None:
            continue
        iri = f"{plan_iri}/responsibility/{slug(r.section) or 'x'}/{agency.rsplit('/', 1)[-1]}"
        q.add(iri, T.A, T.ttdn("Responsibility"))
        q.add(iri, T.ttdn("plan"), plan_iri)
        q.add(iri, T.ttdn("agency"), agency)
        q.add(iri, T.ttdn("sectionPath"), T.string(r.section))
        q.add(iri, T.ttdn("dutyCount"), T.integer(r.duties))
        if r.line:
            q.add(iri, T.ttdn("lineStart"), T.integer(r.line))
        q.add(iri, P_DER, st.g)


def _notes(st: _State, record: Record, plan_iri: str) -> None:
    q = st.q
    for i, w in enumerate(record.warnings):
        iri = f"{st.g}/warning/{i + 1}"
        q.add(iri, T.A, T.ttdn("Discrepancy"))
        q.add(iri, T.ttdn("discrepancyOf"), plan_iri)
        q.add(iri, T.iri(SKOS + "notation"), T.string(w.code))
        q.add(iri, T.COMMENT, T.string(w.message))
        q.add(iri, T.ttdn("inDocument"), st.g)
        if w.line:
            q.add(iri, T.ttdn("lineStart"), T.integer(w.line))
    for n in st.notes:
        h = hashlib.sha1(f"{n.code}|{n.about}|{n.printed}|{n.resolved}".encode()).hexdigest()[:12]
        iri = f"{st.g}/discrepancy/{h}"
        q.add(iri, T.A, T.ttdn("Discrepancy"))
        q.add(iri, T.ttdn("discrepancyOf"), n.about or plan_iri)
        q.add(iri, T.iri(SKOS + "notation"), T.string(n.code))
        q.add(iri, T.COMMENT, T.en(n.message))
        q.add(iri, T.ttdn("inDocument"), st.g)
        if n.printed:
            q.add(iri, T.ttdn("printedValue"), T.string(n.printed))
        if n.resolved:
            q.add(iri, T.ttdn("resolvedValue"), T.string(n.resolved))
        if n.line:
            q.add(iri, T.ttdn("lineStart"), T.integer(n.line))


__all__ = ["SourceMeta", "build_quads", "source_graph", "VN"]
