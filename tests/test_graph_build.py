"""Record → quads, checked on the quads themselves (no store)."""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox
from graph_fixtures import LOAD_TIME, minimal_record, record_by_place, seed_records

from ttdn_graph.graph import SourceMeta, build_quads, source_graph
from ttdn_graph.record import Warning
from ttdn_graph.resolve.agencies import expand
from ttdn_graph.resolve.tasks import task_themes

T = "https://w3id.org/ttdn/ontology#"
A = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ALT = "http://www.w3.org/2004/02/skos/core#altLabel"


def quads_of(record):
    return build_quads(record, source_meta=SourceMeta(record.source, loaded_at=LOAD_TIME))


def index(quads):
    idx = defaultdict(lambda: defaultdict(set))
    for q in quads:
        idx[q.subject.value][q.predicate.value].add(q.object.value)
    return idx


def subjects(idx, cls):
    return {s for s, po in idx.items() if T + cls in po[A]}


def the_plan(idx):
    (plan,) = [s for s in subjects(idx, "Plan") if idx[s][T + "hasTask"]]
    return plan


def test_output_is_deterministic_sorted_and_free_of_blank_nodes():
    for rec in seed_records():
        a, b = quads_of(rec), quads_of(rec)
        assert a == b
        keys = [(str(q.subject), str(q.predicate), str(q.object)) for q in a]
        assert keys == sorted(set(keys))
        g = source_graph(rec.source)
        in_graph = {q.graph_name.value for q in a}
        assert in_graph == {g, "https://w3id.org/ttdn/id/graph/entities"}  # the document's, and its entities
        for q in a:
            assert not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
        unordered = build_quads(rec, source_meta=SourceMeta(rec.source, loaded_at=LOAD_TIME), ordered=False)
        assert len(unordered) == len(a) and set(unordered) == set(a)  # the loader's form: the same quads
        ahead = build_quads(rec, source_meta=SourceMeta(rec.source, loaded_at=LOAD_TIME), themes=task_themes(rec))
        assert ahead == a  # themes computed ahead (the extraction workers) give the same graph


def test_plan_node_and_provenance():
    rec = record_by_place("Hải Dương")
    idx = index(quads_of(rec))
    plan = the_plan(idx)
    assert plan == "https://w3id.org/ttdn/id/instrument/kh/2018/hai-duong/3693-kh-ubnd"
    po = idx[plan]
    assert {T + "Plan", T + "LegalInstrument"} <= po[A]
    assert po[T + "number"] == {"3693/KH-UBND"} and po[T + "dateIssued"] == {"2018-10-23"}
    assert po[T + "jurisdiction"] == {"https://w3id.org/ttdn/id/unit/hai-duong"}
    (period,) = po[T + "period"]
    begin = idx[period]["http://www.w3.org/2006/time#hasBeginning"]
    assert {next(iter(idx[b]["http://www.w3.org/2006/time#inXSDDate"])) for b in begin} == {"2019-01-01"}
    src = source_graph(rec.source)
    assert po["http://www.w3.org/ns/prov#wasDerivedFrom"] == {src}
    assert idx[src][T + "fileName"] == {rec.source}
    assert T + "SourceDocument" in idx[src][A]


def test_tasks_agencies_and_structure_match_the_record():
    for rec in seed_records():
        idx = index(quads_of(rec))
        plan = the_plan(idx)
        tasks = idx[plan][T + "hasTask"]
        assert len(tasks) == len(rec.tasks)
        ids = {t.id for t in rec.tasks}
        by_path = {next(iter(idx[t][T + "sectionPath"])): t for t in tasks}
        for t in rec.tasks:
            node = by_path[t.id]
            assert idx[node][T + "ofPlan"] == {plan}
            assert bool(idx[node][T + "partOf"]) == (t.parent in ids)
            for role, names in (("leadAgency", t.lead), ("supportAgency", t.support)):
                agencies = idx[node][T + role]
                assert len(agencies) == len(set(names)), (rec.source, t.id, role)
                labels = set().union(*(idx[a][LABEL] | idx[a][ALT] for a in agencies)) if agencies else set()
                assert {expand(n) for n in names} <= labels  # the printed name: the label or, beside the
                # canonical label (organisations), a skos:altLabel
            if t.time and t.time.start:
                (tf,) = idx[node][T + "timeframe"]
                assert "http://www.w3.org/2006/time#ProperInterval" in idx[tf][A]


def test_recurrence_concepts():
    rec = record_by_place("Kon Tum")
    idx = index(quads_of(rec))
    continuous = [s for s, po in idx.items()
                  if "https://w3id.org/ttdn/vocab/recurrence/continuous" in po[T + "recurrence"]]
    expected = [t for t in rec.tasks if t.time and t.time.recurrence == "continuous"]
    assert len(continuous) == len(expected) > 0


def test_the_number_wins_over_the_type_word_and_the_clash_is_recorded():
    idx = index(quads_of(record_by_place("Quảng Ninh")))
    (node,) = [s for s, po in idx.items() if po[T + "number"] == {"37/KH-UBND"}]
    assert node == "https://w3id.org/ttdn/id/instrument/kh/2017/quang-ninh/37-kh-ubnd"
    assert T + "Plan" in idx[node][A] and T + "Decision" not in idx[node][A]
    notes = [s for s in subjects(idx, "Discrepancy") if idx[s][T + "discrepancyOf"] == {node}]
    assert len(notes) == 1 and idx[notes[0]][T + "printedValue"] == {"Quyết định"}


def test_implements_links_between_cited_instruments():
    idx = index(quads_of(record_by_place("Kon Tum")))
    (kh,) = [s for s, po in idx.items() if po[T + "number"] == {"3525/KH-UBND"}]
    (ct,) = [s for s, po in idx.items() if po[T + "number"] == {"26/CT-TTg"}]
    assert idx[kh][T + "implements"] == {ct}
    assert ct == "https://w3id.org/ttdn/id/instrument/ct/2018/26-ct-ttg"


def test_date_contradicting_the_symbol_year_is_recorded_not_asserted():
    rec = minimal_record("x.txt", "Kon Tum", [
        {"type": "Nghị định", "number": "72/2015/NĐ-CP", "date": "2016-09-07", "issuer": "Chính phủ"}])
    idx = index(quads_of(rec))
    node = "https://w3id.org/ttdn/id/instrument/nd/2015/72-2015-nd-cp"
    assert node in idx[the_plan_any(idx)][T + "legalBasis"]
    assert not idx[node][T + "dateIssued"]
    (note,) = [s for s in subjects(idx, "Discrepancy") if idx[s][T + "discrepancyOf"] == {node}]
    assert idx[note][T + "printedValue"] == {"2016-09-07"} and idx[note][T + "resolvedValue"] == {"2015"}


def the_plan_any(idx):
    (plan,) = [s for s in subjects(idx, "Plan") if idx[s][T + "hasTask"]]
    return plan


def test_task_cites_instruments_named_in_its_text_and_warnings_become_discrepancies():
    rec = minimal_record("y.txt", "Kon Tum", [
        {"type": "Quyết định", "number": "1486/QĐ-TTg", "date": "2018-11-06", "issuer": "Thủ tướng Chính phủ"},
        {"type": "Quyết định", "number": "11486/QĐ-TTg", "date": "2018-11-06", "issuer": "Thủ tướng Chính phủ"}])
    rec.tasks[0].text = "Triển khai Quyết định số 1486/QĐ- TTg ngày 06/11/2018 của Thủ tướng Chính phủ."
    rec.tasks[0].line_start, rec.tasks[0].line_end = 40, 42
    rec.warnings.append(Warning(12, "no-number", "the plan has no number"))
    idx = index(quads_of(rec))
    (task,) = subjects(idx, "Task")
    assert idx[task][T + "cites"] == {"https://w3id.org/ttdn/id/instrument/qd/2018/1486-qd-ttg"}
    assert idx[task][T + "lineStart"] == {"40"} and idx[task][T + "lineEnd"] == {"42"}
    warned = [s for s in subjects(idx, "Discrepancy") if idx[s]["http://www.w3.org/2004/02/skos/core#notation"]
              == {"no-number"}]
    assert len(warned) == 1 and idx[warned[0]][T + "lineStart"] == {"12"}


def test_units_chain_up_to_the_country():
    idx = index(quads_of(record_by_place("Hương Trà")))
    ht = "https://w3id.org/ttdn/id/unit/thua-thien-hue/huong-tra"
    tth = "https://w3id.org/ttdn/id/unit/thua-thien-hue"
    assert idx[ht][T + "withinUnit"] == {tth}
    assert idx[tth][T + "withinUnit"] == {"https://w3id.org/ttdn/id/unit/vn"}
    assert T + "District" in idx[ht][A] and T + "Province" in idx[tth][A]
    assert idx[ht][T + "level"] == {"thị xã"}


def test_a_named_instrument_is_labelled_by_its_name_and_keyed_by_it():
    rec = minimal_record("named.txt", "Kon Tum", [{"type": "Luật", "number": None, "name": "Luật Báo chí"},
                                                  {"type": "Quyết định", "number": "1486/QĐ-TTg",
                                                   "date": "2018-11-06"}])
    idx = index(quads_of(rec))
    law = next(s for s in subjects(idx, "LegalInstrument") if "Luật Báo chí" in idx[s][T + "title"])
    assert idx[law][LABEL] == {"Luật Báo chí"}
    assert idx[law]["http://www.w3.org/2004/02/skos/core#hiddenLabel"] == {"luật báo chí"}
    decision = next(s for s in subjects(idx, "LegalInstrument") if "1486/QĐ-TTg" in idx[s][T + "number"])
    assert idx[decision][LABEL] == {"Quyết định 1486/QĐ-TTg"}
    assert idx[decision]["http://www.w3.org/2004/02/skos/core#hiddenLabel"] == {"1486/qđ-ttg"}
