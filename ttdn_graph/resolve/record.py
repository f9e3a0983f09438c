"""Record → ResolvedRecord: the one place where a record's strings become identities.

Every agency mention is resolved to its body (resolve.agencies), every symbol is parsed once (resolve.symbols), every
unit is placed in the gazetteer with its validity dates and successor (resolve.units, resolve.gazetteer), every
citation is matched to what the store already holds (resolve.instruments with the store's Resolver), every task gets
its themes, the instruments its text names and its active years (resolve.tasks), and every IRI is minted
(resolve.iris). graph.build then maps the result to quads without reading any text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from ttdn_graph.record import Duty, Instrument, Record
from ttdn_graph.resolve.agencies import expand, resolve_agency, with_unit
from ttdn_graph.resolve.gazetteer import GazetteerView
from ttdn_graph.resolve.instruments import (
    InstrumentIdentity,
    InstrumentResolver,
    Note,
    Resolver,
    dangling_keys,
    key_index,
)
from ttdn_graph.resolve.iris import Iris, concept
from ttdn_graph.resolve.model import (
    Discrepancy,
    ResolvedAgency,
    ResolvedCitation,
    ResolvedDuty,
    ResolvedInstrument,
    ResolvedInterval,
    ResolvedPlan,
    ResolvedRecord,
    ResolvedResponsibility,
    ResolvedTask,
    ResolvedUnit,
    ResolvedWarning,
    SourceMeta,
)
from ttdn_graph.resolve.organisations import org_node
from ttdn_graph.resolve.slug import lookup_key, nfc, slug
from ttdn_graph.resolve.symbols import is_iso_date, norm_key, number_norm, squeezed, type_by_key
from ttdn_graph.resolve.tasks import Mentions, active_years, task_text, themes_of
from ttdn_graph.resolve.units import Unit, plan_unit

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


def plan_date(record: Record) -> date | None:
    """The date a plan speaks from (issued, else its period's start): the gazetteer is read as of then."""
    for d in (record.plan.date_issued, record.plan.period.start):
        try:
            return date.fromisoformat(d) if d else None
        except ValueError:
            continue
    return None


def resolve(
    record: Record,
    *,
    source_meta: SourceMeta | None = None,
    resolver: Resolver | None = None,
    base: str | None = None,
    gazetteer: GazetteerView | None = None,
    themes: Sequence[list[str]] | None = None,
) -> ResolvedRecord:
    """The record with every identity settled. `source_meta` defaults to the record's own source name; `resolver`
    looks year-less citations up in the store; `gazetteer` defaults to the view as of the plan's date; `themes` are
    task_themes(record) when computed ahead (the loader's extraction workers do)."""
    return _Resolution(record, source_meta or SourceMeta(record.source), resolver, base, gazetteer, themes).run()


class _Resolution:
    def __init__(self, record: Record, meta: SourceMeta, resolver: Resolver | None, base: str | None,
                 gazetteer: GazetteerView | None, themes: Sequence[list[str]] | None):
        self.record = record
        self.meta = meta
        self.resolver = resolver
        self.iris = Iris(base)
        self.g = self.iris.source(meta.file_name)
        self.gaz = gazetteer or GazetteerView.at(plan_date(record))
        self.plan_unit = plan_unit(record.plan.jurisdiction, record.plan.place, self.gaz) or Unit(
            f"unknown {meta.file_name}", None)
        self.themes = themes if themes is not None and len(themes) == len(record.tasks) else None
        self._units: dict[Unit, ResolvedUnit] = {}
        self._agencies: dict[tuple[str, Unit | None], ResolvedAgency | None] = {}

    def run(self) -> ResolvedRecord:
        record, meta = self.record, self.meta
        source = replace(meta, sha256=meta.sha256 or record.sha256, format=meta.format or record.format)
        inst_res = InstrumentResolver(self.iris, self.plan_unit, self.resolver, self.g, self.gaz)
        insts = list(record.instruments)
        extra_keys = dangling_keys(insts)
        ids = inst_res.resolve_all([*insts, *(inst_res.from_key(k) for k in extra_keys)])
        by_inst = ids[: len(insts)]
        by_extra = dict(zip(extra_keys, ids[len(insts) :], strict=True))

        notes: list[Note] = []
        plan = self._plan(inst_res, notes)
        lookup = key_index(insts, by_inst)
        instruments = []
        for i, ri in enumerate(ids):
            notes.extend(ri.notes)
            if i < len(insts):
                inst = insts[i]
                links = {
                    rel: tuple(t.iri for k in keys
                               if (t := lookup.get(k) or lookup.get(norm_key(k)) or by_extra.get(k)) is not None
                               and t.iri != ri.iri)
                    for rel, keys in (("implements", inst.implements), ("amends", inst.amends))
                }
                cit = ResolvedCitation(f"{self.g}/citation/{i + 1}", tuple(inst.cited_as or ()), inst.line,
                                       nfc(inst.printed) if inst.printed else None,
                                       nfc(inst.title_printed) if inst.title_printed else None, inst.title_line)
                instruments.append(self._instrument(ri, links["implements"], links["amends"], cit, plan.iri,
                                                    nfc(inst.title) if inst.title else None))
            else:
                instruments.append(self._instrument(ri, (), (), None, plan.iri))
        discrepancies = [self._discrepancy(n, plan.iri) for n in notes]
        return ResolvedRecord(
            source=source,
            base=self.iris.base,
            graph=self.g,
            extraction=f"{self.g}/extraction",
            plan=plan,
            instruments=instruments,
            tasks=self._tasks(plan, insts, by_inst),
            responsibilities=self._responsibilities(plan.iri),
            warnings=[ResolvedWarning(f"{self.g}/warning/{i + 1}", w.code, w.message, w.line)
                      for i, w in enumerate(record.warnings)],
            notes=discrepancies,
        )

    # -- units and agencies
    def unit(self, u: Unit) -> ResolvedUnit:
        hit = self._units.get(u)
        if hit is not None:
            return hit
        if not (u.is_country or u.parent is not None):  # a unit nobody can place is not stated
            out = ResolvedUnit(u, None, "", u.name, u.level)
        else:
            cls = "Country" if u.is_country else _UNIT_CLASS.get(u.level or "",
                                                                 "Province" if u.is_provincial else "District")
            if u.is_provincial:
                cls = "Province"
            facts = self.gaz.facts(u)
            succ = facts.get("successor")
            since, until = self.gaz.validity(u)
            out = ResolvedUnit(
                u, self.iris.unit(u.path), cls, u.name, u.level,
                parent=self.unit(u.parent) if u.parent is not None else None,
                code=facts.get("code") or None,
                valid_from=since,
                valid_until=until,
                successor=self.unit(succ) if succ else None,
                successor_date=facts.get("successor_date") if succ else None,
            )
        self._units[u] = out
        return out

    def agency(self, name: str, unit: Unit | None = None) -> ResolvedAgency | None:
        """The body (or group) a name in this plan denotes; `unit` forces the unit (issuers of local instruments)."""
        k = (name, unit)
        if k in self._agencies:
            return self._agencies[k]
        self._agencies[k] = out = self._agency(name, unit)
        return out

    def _agency(self, name: str, unit: Unit | None) -> ResolvedAgency | None:
        name = expand(name)
        if not name:
            return None
        ref = resolve_agency(name, self.plan_unit, self.gaz)
        if unit is not None and not ref.group and not ref.unit.is_country:
            ref = with_unit(ref, unit)
        if ref.group:
            iri, type_iri, org = self.iris.group(ref.unit.path, ref.key), None, None
        else:
            iri = self.iris.agency(ref.unit.path, ref.key)
            type_iri = concept("agency-type", ref.type_id) if ref.type_id else None
            org = org_node(ref, self.iris)  # ORG: classification, parent body, renames and mergers
        # one label per body; the name as printed beside it
        alt = name if ref.canonical and ref.canonical != name else None
        return ResolvedAgency(ref, iri, self.unit(ref.unit), ref.canonical or name, alt, type_iri, org)

    # -- plan and instruments
    def _interval(self, iri: str, start: str | None, end: str | None, text: str | None = None) -> ResolvedInterval:
        return ResolvedInterval(iri, (self.iris.instant(start), start) if start else None,
                                (self.iris.instant(end), end) if end else None, text)

    def _plan(self, inst_res: InstrumentResolver, notes: list[Note]) -> ResolvedPlan:
        record = self.record
        p = record.plan
        number_key = None
        if p.number and p.date_issued:
            ri = inst_res.resolve_all([Instrument(type="Kế hoạch", number=p.number, date=p.date_issued,
                                                  issuer=p.issuer)])[0]
            plan_iri = ri.iri
            number_key = ri.number_key
            notes.extend(ri.notes)
        else:
            plan_iri = self.iris.plan(self.plan_unit.path, p.period.start, p.period.end, p.title, record.source)
        issuers = [expand(i) for i in ([p.issuer] if p.issuer else [])]
        return ResolvedPlan(
            iri=plan_iri,
            type_iri=concept("instrument-type", "KH"),
            unit=self.unit(self.plan_unit),
            number=(number_norm(p.number) and squeezed(p.number)) if p.number else None,
            number_key=number_key,
            date_issued=p.date_issued or None,
            title=nfc(p.title) if p.title else None,
            lookup_key=lookup_key(p.number or p.title) if (p.number or p.title) else None,
            label=" ".join(x for x in ("Kế hoạch", p.number or "", nfc(p.title or "")) if x),
            issuers=tuple(a for n in issuers if (a := self.agency(n, self.plan_unit)) is not None),
            period=self._interval(f"{plan_iri}/period", p.period.start, p.period.end)
            if (p.period.start or p.period.end) else None,
            period_start=p.period.start or None,
            period_end=p.period.end or None,
            signer=nfc(p.signer.name) if p.signer and p.signer.name else None,
            signer_position=nfc(p.signer.position) if p.signer and p.signer.name and p.signer.position else None,
        )

    def _instrument(self, ri: InstrumentIdentity, implements: tuple[str, ...], amends: tuple[str, ...],
                    citation: ResolvedCitation | None, plan_iri: str, title: str | None = None) -> ResolvedInstrument:
        forced = None if ri.unit.is_country else ri.unit
        return ResolvedInstrument(
            iri=ri.iri,
            type_key=ri.type_key,
            type_name=ri.type_name,
            cls=ri.cls,
            type_iri=concept("instrument-type", ri.type_key) if type_by_key(ri.type_key) is not None else None,
            number=ri.number,
            name=ri.name,
            label=f"{ri.type_name} {ri.number}" if ri.number else (ri.name or None),
            lookup_key=lookup_key(ri.number or ri.name) if (ri.number or ri.name) else None,
            number_key=ri.number_key,
            date=ri.date if is_iso_date(ri.date) else None,
            issuers=tuple(a for n in ri.issuers if (a := self.agency(n, forced)) is not None),
            unit=self.unit(ri.unit),
            unresolved=ri.unresolved,
            implements=implements,
            amends=amends,
            citation=citation,
            notes=tuple(self._discrepancy(n, plan_iri) for n in ri.notes),
            title=ri.name or title,
        )

    def _discrepancy(self, n: Note, plan_iri: str) -> Discrepancy:
        h = hashlib.sha1(f"{n.code}|{n.about}|{n.printed}|{n.resolved}".encode()).hexdigest()[:12]
        return Discrepancy(f"{self.g}/discrepancy/{h}", n.about or plan_iri, n.code, n.message, n.printed,
                           n.resolved, n.line)

    # -- tasks and responsibilities
    def _tasks(self, plan: ResolvedPlan, insts: list[Instrument],
               ids: list[InstrumentIdentity]) -> list[ResolvedTask]:
        record = self.record
        mentions = Mentions([(inst.number, inst.name, ri.iri) for inst, ri in zip(insts, ids, strict=True)])
        iris: dict[str, str] = {}
        for t in record.tasks:
            tid = t.id if t.id not in iris else f"{t.id}~{sum(1 for k in iris if k.split('~')[0] == t.id) + 1}"
            iris[tid] = Iris.task(plan.iri, tid)
        out = []
        for k, (tid, t) in enumerate(zip(iris, record.tasks, strict=True)):
            iri = iris[tid]
            text = task_text(t)
            tf, recurrence, deadline = None, (), None
            if t.time is not None:
                if t.time.start or t.time.end:
                    tf = self._interval(f"{iri}/timeframe", t.time.start, t.time.end, nfc(t.time.text) or None)
                elif t.time.text:
                    tf = ResolvedInterval(f"{iri}/timeframe", text=nfc(t.time.text))
                rec = t.time.recurrence
                recurrence = tuple(concept("recurrence", r) for r in ([rec] if isinstance(rec, str) else (rec or [])))
                deadline = t.time.deadline or None
            tstart, tend = (t.time.start, t.time.end) if t.time is not None else (None, None)
            themes = self.themes[k] if self.themes is not None else themes_of(text)
            out.append(ResolvedTask(
                iri=iri,
                parent=iris[t.parent] if t.parent and t.parent in iris else None,
                section=t.id,
                heading=nfc(t.heading) or None,
                text=text or None,
                line_start=t.line_start,
                line_end=t.line_end,
                lead=tuple(a for n in t.lead if (a := self.agency(n)) is not None),
                support=tuple(a for n in t.support if (a := self.agency(n)) is not None),
                timeframe=tf,
                recurrence=recurrence,
                deadline=deadline,
                start=tstart if is_iso_date(tstart) else None,
                end=tend if is_iso_date(tend) else None,
                active_years=tuple(active_years(tstart, tend, record.plan.period.start, record.plan.period.end)),
                themes=tuple(themes),
                theme_iris=tuple(concept("theme", th) for th in themes),
                mentions=tuple(mentions(text)),
            ))
        return out

    def _responsibilities(self, plan_iri: str) -> list[ResolvedResponsibility]:
        out = []
        minted: dict[str, list[tuple[tuple, tuple[ResolvedDuty, ...]]]] = {}  # item → its duty lists, as minted
        for r in self.record.responsibilities:
            a = self.agency(r.agency)
            if a is None:
                continue
            iri = f"{plan_iri}/responsibility/{slug(r.section) or 'x'}/{a.iri.rsplit('/', 1)[-1]}"
            out.append(ResolvedResponsibility(iri, a, r.section, int(r.duties), r.line,
                                              self._duties(plan_iri, r.section, r.duty_items, minted)))
        return out

    def _duties(self, plan_iri: str, section: str, items: Sequence[Duty],
                minted: dict[str, list[tuple[tuple, tuple[ResolvedDuty, ...]]]]) -> tuple[ResolvedDuty, ...]:
        """The duties of one item, one node each, shared by every agency the item names (the same list under the same
        section path is the same item; another list under a path already used gets a ~2 path)."""
        if not items:
            return ()
        key = tuple((nfc(d.text), d.line_start, d.line_end, tuple(d.support)) for d in items)
        lists = minted.setdefault(section, [])
        for k, done in lists:
            if k == key:
                return done
        base = f"{plan_iri}/duty/{slug(section) or 'x'}" + (f"~{len(lists) + 1}" if lists else "")
        done = tuple(
            ResolvedDuty(f"{base}/{n}", text, d.line_start, d.line_end,
                         tuple(ag for s in d.support if (ag := self.agency(s)) is not None))
            for n, (d, (text, *_)) in enumerate(zip(items, key, strict=True), 1) if text
        )
        lists.append((key, done))
        return done
