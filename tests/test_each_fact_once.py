"""Each fact is stated once (graph.layout): a researcher's naive SPARQL over the default graph gives true counts.

Checked on the seeds and on a generated corpus: COUNT(*) over the default graph equals the number of distinct
triples; tasks per jurisdiction are the same with and without DISTINCT; a plan's task count is its record's;
replacing or removing a document removes only what nothing else supports; two documents that disagree on a date
give one value and a ttdn:Discrepancy.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import pytest
from graph_fixtures import DATASET, DATASET_VOLATILE, ROOT, VOLATILE, gold_dicts

from ttdn_graph.loader import load_paths, remove_documents
from ttdn_graph.store import open_store

sys.path.insert(0, str(ROOT))
from bench.corpus import generate  # noqa: E402

P = "PREFIX ttdn: <https://w3id.org/ttdn/ontology#>\nPREFIX prov: <http://www.w3.org/ns/prov#>\n"
ENTITIES = "https://w3id.org/ttdn/id/graph/entities"
PLANS = ROOT / "data" / "plans"


def _n(st, q: str) -> int:
    return int(st.query(P + q)[0]["n"].value)


def assert_each_fact_once(st) -> None:
    total = _n(st, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    distinct = _n(st, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    assert total == distinct > 0
    per_j = "SELECT ?j (COUNT({d}?t) AS ?n) WHERE {{ ?p ttdn:hasTask ?t ; ttdn:jurisdiction ?j }} GROUP BY ?j"
    plain = {r["j"].value: int(r["n"].value) for r in st.query(P + per_j.format(d=""))}
    dist = {r["j"].value: int(r["n"].value) for r in st.query(P + per_j.format(d="DISTINCT "))}
    assert plain == dist and plain
    # the SPARQL editor's example: plans with their number of tasks, as a newcomer writes it
    rows = st.query(P + "SELECT ?plan ?number (COUNT(?t) AS ?n) WHERE { ?plan ttdn:hasTask ?t . "
                        "OPTIONAL { ?plan ttdn:number ?number } } GROUP BY ?plan ?number")
    tasks = {r["plan"].value: int(r["n"].value) for r in rows}
    assert len(tasks) == len(rows)  # one number per plan
    for plan, n in tasks.items():
        assert n == _n(st, f"SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE {{ <{plan}> ttdn:hasTask ?t }}")
    # single-valued facts have one value per entity
    for prop in ("number", "dateIssued", "jurisdiction", "agencyType", "instrumentType"):
        assert not st.query(P + f"SELECT ?s WHERE {{ ?s ttdn:{prop} ?a, ?b FILTER(?a != ?b) }} LIMIT 1"), prop
    assert not st.query(P + "SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?a, ?b "
                            "FILTER(?a != ?b) ?s a ?c FILTER(?c IN (ttdn:Agency, ttdn:LegalInstrument, "
                            "ttdn:AdministrativeUnit)) } LIMIT 1")


def _triples(st) -> set[tuple[str, str, str]]:
    return {t for q in st.quads() if q.predicate.value not in VOLATILE
            if not ((t := (str(q.subject), str(q.predicate), str(q.object)))[0] == DATASET
                    and t[1] in DATASET_VOLATILE)}


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    path = tmp_path_factory.mktemp("seeds") / "store"
    with open_store(str(path)) as st:
        assert load_paths([PLANS], st, progress=False).ok
    return path


def test_seeds_state_each_fact_once(seeds):
    with open_store(str(seeds), read_only=True) as st:
        assert_each_fact_once(st)
        # one instrument, one row (four copies before)
        assert len(st.query(P + 'SELECT ?i WHERE { ?i ttdn:number "72/2015/NĐ-CP" }')) == 1
        # and which documents say so stays answerable, with the line of each citation
        rows = st.query(P + 'SELECT ?g ?line WHERE { ?i ttdn:number "72/2015/NĐ-CP" . '
                            "GRAPH ?g { ?c ttdn:citedInstrument ?i ; ttdn:lineStart ?line } }")
        assert len({r["g"].value for r in rows}) >= 2 and all(int(r["line"].value) > 0 for r in rows)


def test_a_generated_corpus_states_each_fact_once(tmp_path):
    corpus = tmp_path / "corpus"
    generate(60, corpus)
    with open_store(str(tmp_path / "store")) as st:
        summary = load_paths([corpus], st, progress=False, jobs=2)
        assert summary.ok and len(summary.loaded) == 60
        assert_each_fact_once(st)
        shared = _n(st, "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i a ttdn:LegalInstrument . "
                        "?s1 ttdn:about ?i . ?s2 ttdn:about ?i . FILTER(?s1 != ?s2) }")
        assert shared > 10  # the corpus does share instruments across documents: the test has teeth


def test_replacing_and_removing_a_document_removes_only_what_nothing_else_supports(tmp_path, seeds):
    folder = tmp_path / "plans"
    folder.mkdir()
    for f in sorted(PLANS.glob("*.txt")):
        (folder / f.name).write_bytes(f.read_bytes())
    extra = folder / "zz_extra.txt"
    kon_tum = sorted(PLANS.glob("001_*.txt"))[0].read_text(encoding="utf-8")
    with open_store(str(seeds), read_only=True) as st:
        before = _triples(st)
    with open_store(str(tmp_path / "store")) as st:
        assert load_paths([folder], st, progress=False).ok
        assert _triples(st) == before
        # a second document citing a new decision: the decision and its issuer come in
        extra.write_text(kon_tum.replace("Căn cứ Nghị định", "Căn cứ Quyết định số 999/QĐ-TTg ngày 01/02/2019 "
                                         "của Thủ tướng Chính phủ;\nCăn cứ Nghị định", 1), encoding="utf-8")
        assert load_paths([extra], st, progress=False).ok
        assert_each_fact_once(st)
        assert len(st.query(P + 'SELECT ?i WHERE { ?i ttdn:number "999/QĐ-TTg" }')) == 1
        # replaced by a version without it: the decision goes, what the seeds state stays
        extra.write_text(kon_tum.replace("Kon Tum", "Kon Tum ", 1), encoding="utf-8")
        assert load_paths([extra], st, progress=False).ok
        assert not st.query(P + 'SELECT ?i WHERE { ?i ttdn:number "999/QĐ-TTg" }')
        assert_each_fact_once(st)
        # removed: the store is the seeds' again, triple for triple
        assert remove_documents(st, [extra.name]).ok
        assert _triples(st) == before
        assert not remove_documents(st, ["no-such-file.txt"]).ok


def test_two_documents_that_disagree_on_a_date_give_one_value_and_a_discrepancy(tmp_path):
    gold = {d["source"]: d for d in gold_dicts()}
    kon_tum = next(d for s, d in gold.items() if s.startswith("001_"))
    other = copy.deepcopy(kon_tum)
    other["source"] = "zz_other.json"
    other["plan"]["number"] = "77/KH-UBND"
    inst = next(i for i in other["instruments"] if i["number"] == "72/2015/NĐ-CP")
    inst["date"] = "2015-09-17"  # the seed says 2015-09-07
    folder = tmp_path / "records"
    folder.mkdir()
    for d in (kon_tum, other):
        (folder / Path(d["source"]).with_suffix(".json").name).write_text(json.dumps(d, ensure_ascii=False))
    with open_store(str(tmp_path / "store")) as st:
        assert load_paths([folder], st, progress=False).ok
        assert_each_fact_once(st)
        rows = st.query(P + 'SELECT ?d WHERE { ?i ttdn:number "72/2015/NĐ-CP" ; ttdn:dateIssued ?d }')
        assert len(rows) == 1
        disc = st.query(P + 'SELECT ?kept ?other ?doc WHERE { ?i ttdn:number "72/2015/NĐ-CP" . '
                            "?x a ttdn:Discrepancy ; ttdn:discrepancyOf ?i ; ttdn:resolvedValue ?kept ; "
                            "ttdn:printedValue ?other ; ttdn:inDocument ?doc }")
        assert len(disc) == 1
        assert {disc[0]["kept"].value, disc[0]["other"].value} == {"2015-09-07", "2015-09-17"}
        assert disc[0]["kept"].value == rows[0]["d"].value
        # the discrepancy lives with the entity and goes when the disagreement does
        assert remove_documents(st, ["zz_other.json"]).ok
        assert not st.query(P + "SELECT ?x WHERE { ?x a ttdn:Discrepancy ; ttdn:resolvedValue ?v }")
        assert_each_fact_once(st)
