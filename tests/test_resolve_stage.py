"""The resolve stage (issue 14 item 2): Record → ResolvedRecord settles every identity and mints every IRI, and
graph/ maps the result to quads without reading text."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest
from graph_fixtures import LOAD_TIME, minimal_record, record_by_place

from ttdn_graph.graph import build_quads
from ttdn_graph.graph.build import build_document
from ttdn_graph.resolve import (
    AgencyRef,
    Candidate,
    ResolvedAgency,
    ResolvedInstrument,
    ResolvedPlan,
    ResolvedRecord,
    ResolvedTask,
    ResolvedUnit,
    SourceMeta,
    resolve,
    task_themes,
)
from ttdn_graph.resolve import model as M

GRAPH = Path(__file__).resolve().parent.parent / "ttdn_graph" / "graph"
# modules that read text; graph/ may import none of them
TEXT_MODULES = ("re", "regex", "unicodedata", "ttdn_graph.parse", "ttdn_graph.lexicon", "ttdn_graph.themes",
                "ttdn_graph.gazetteer", "ttdn_graph.resolve.slug", "ttdn_graph.resolve.agencies",
                "ttdn_graph.resolve.units", "ttdn_graph.resolve.symbols", "ttdn_graph.resolve.tasks",
                "ttdn_graph.resolve.gazetteer", "ttdn_graph.resolve.instruments", "ttdn_graph.resolve.iris",
                "ttdn_graph.resolve.organisations")
TEXT_CALLS = {"slug", "fold", "ascii_fold", "nfc", "lookup_key", "expand", "parse_symbol", "resolve_agency",
              "classify", "assign_themes", "concept", "new_tones", "normalize"}


def _forbidden(module: str) -> bool:
    return any(module == m or module.startswith(m + ".") for m in TEXT_MODULES)


def _graph_modules() -> list[Path]:
    files = sorted(GRAPH.glob("*.py"))
    assert {f.name for f in files} >= {"build.py", "layout.py", "consolidate.py", "organisations.py"}
    return files


@pytest.mark.parametrize("path", _graph_modules(), ids=lambda p: p.name)
def test_graph_no_longer_parses_text(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            bad += [a.name for a in node.names if _forbidden(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.module:
            mods = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            bad += [m for m in mods if _forbidden(m)]
        elif isinstance(node, ast.Call):
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
            if name in TEXT_CALLS:
                bad.append(f"{name}() at line {node.lineno}")
    assert not bad, f"{path.name} does text work: {bad}"


def test_the_resolved_record_is_typed_and_frozen() -> None:
    for cls in (ResolvedRecord, ResolvedPlan, ResolvedInstrument, ResolvedTask, ResolvedAgency, ResolvedUnit,
                M.ResolvedResponsibility, M.Discrepancy, M.OrgNode, M.ResolvedInterval, AgencyRef):
        assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen, cls.__name__


@pytest.fixture(scope="module")
def kon_tum():
    rec = record_by_place("Kon Tum")
    return rec, resolve(rec, source_meta=SourceMeta(rec.source, loaded_at=LOAD_TIME))


def test_every_agency_mention_is_a_reference(kon_tum) -> None:
    rec, r = kon_tum
    mentions = [a for t in r.tasks for a in (*t.lead, *t.support)]
    assert len(mentions) >= sum(len(t.lead) + len(t.support) for t in rec.tasks) > 20
    for a in mentions:
        assert isinstance(a, ResolvedAgency) and isinstance(a.ref, AgencyRef)
        assert isinstance(a.unit, ResolvedUnit) and a.unit.iri and a.unit.unit == a.ref.unit
        assert a.iri.startswith(r.base + ("group/" if a.group else "agency/") + a.ref.unit.path + "/")
        assert a.label == a.canonical
        if not a.group:
            assert a.type_id and a.type_iri and a.type_iri.endswith("/agency-type/" + a.type_id)
            assert a.org is not None and a.org.iri == a.iri and a.org.root
    typed = {a.ref.name: a.type_id for a in mentions if not a.group}
    assert typed["Sở Thông tin và Truyền thông"] == "department"
    (sttt,) = {a for a in mentions if a.ref.name == "Sở Thông tin và Truyền thông"}
    assert [p.label for p in sttt.parents] == ["Ủy ban nhân dân tỉnh Kon Tum"]  # the parent body, as a reference
    for r_ in r.responsibilities:
        assert isinstance(r_.agency, ResolvedAgency) and r_.iri.startswith(r.plan.iri + "/responsibility/")


def test_border_guard_variants_resolve_to_one_reference(kon_tum) -> None:
    _, r = kon_tum
    bp = {a for t in r.tasks for a in (*t.lead, *t.support) if "iên phòng" in a.ref.name}
    assert {a.ref.name for a in bp} == {"Bộ Chỉ huy Biên phòng tỉnh", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh"}
    assert len({(a.iri, a.key, a.label, a.unit.iri) for a in bp}) == 1
    (one,) = {a.label for a in bp}
    assert one == "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Kon Tum"


def test_tasks_carry_their_themes_and_the_instruments_they_mention(kon_tum) -> None:
    rec, r = kon_tum
    assert len(r.tasks) == len(rec.tasks)
    assert [list(t.themes) for t in r.tasks] == task_themes(rec)
    assert sum(1 for t in r.tasks if t.themes) >= len(r.tasks) - 2
    for t in r.tasks:
        assert all(i.endswith("/" + th) for i, th in zip(t.theme_iris, t.themes, strict=True))
    numbered = {i.iri: i.number for i in r.instruments if i.number}
    mentioned = [(t, iri) for t in r.tasks for iri in t.mentions]
    assert mentioned
    for t, iri in mentioned:
        assert iri in {i.iri for i in r.instruments}
        if iri in numbered:  # the number is in the text, spacing and case aside
            assert numbered[iri].casefold() in "".join((t.text or "").split()).casefold()
    # a task's active years fall back on the plan's period
    assert all(t.active_years for t in r.tasks)


def test_themes_computed_ahead_give_the_same_record(kon_tum) -> None:
    rec, r = kon_tum
    assert resolve(rec, source_meta=SourceMeta(rec.source, loaded_at=LOAD_TIME), themes=task_themes(rec)) == r


def test_every_symbol_is_parsed_once_and_instruments_are_minted(kon_tum) -> None:
    _, r = kon_tum
    for i in r.instruments:
        assert i.iri.startswith(r.base + "instrument/")
        assert isinstance(i.unit, ResolvedUnit)
        if i.number:
            assert i.number_key and i.number_key.split("|")[1] in ("vn", i.unit.unit.path)
        assert all(isinstance(a, ResolvedAgency) for a in i.issuers)
    cited = [i for i in r.instruments if i.citation is not None]
    assert len(cited) == len(record_by_place("Kon Tum").instruments)


def test_the_plans_unit_carries_its_validity_and_successor() -> None:
    rec = record_by_place("Hải Dương")
    assert rec.plan.date_issued and rec.plan.date_issued < "2025"
    u = resolve(rec).plan.unit
    assert u.iri.endswith("/unit/hai-duong") and u.cls == "Province"
    assert u.valid_until == "2025-06-30"
    assert u.successor is not None and u.successor.name == "Hải Phòng" and u.successor_date == "2025-07-01"
    assert u.successor.valid_from == "2025-07-01" and u.successor.valid_until is None
    assert u.parent is not None and u.parent.iri.endswith("/unit/vn") and u.parent.cls == "Country"


class _Store:
    """A store Resolver that holds 1117/2013/QĐ-TTg."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def candidates(self, keys, exclude_graph=None):
        self.asked += keys
        iri = "https://w3id.org/ttdn/id/instrument/qd/2013/1117-2013-qd-ttg"
        return {k: [Candidate(iri, "1117/2013/QĐ-TTg")] for k in keys if k.endswith("|1117-qd-ttg")}


def test_instrument_mentions_are_matched_to_what_the_store_holds() -> None:
    rec = minimal_record("x.txt", "Kon Tum", [{"type": "Quyết định", "number": "1117/QĐ-TTg"}])
    store = _Store()
    alone, matched = resolve(rec), resolve(rec, resolver=store)
    assert store.asked == ["qd|vn|1117-qd-ttg"]
    assert alone.instruments[0].unresolved and "/2013/" not in alone.instruments[0].iri
    assert matched.instruments[0].iri.endswith("/qd/2013/1117-2013-qd-ttg")
    assert [n.code for n in matched.notes] == ["year-resolved"]
    assert matched.notes[0].about == matched.instruments[0].iri


def test_graph_build_is_a_mapping_of_the_resolved_record(kon_tum) -> None:
    rec, r = kon_tum
    meta = SourceMeta(rec.source, loaded_at=LOAD_TIME)
    assert build_quads(r) == build_quads(rec, source_meta=meta)
    doc = build_document(r)
    assert doc.graph == r.graph and {str(q.subject).strip("<>") for q in doc.own} >= {t.iri for t in r.tasks}
