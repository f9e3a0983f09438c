"""End to end with the parser: the seed plan files themselves, loaded in parallel, answer the research questions."""

from __future__ import annotations

import pytest
from graph_fixtures import DATASET_VOLATILE, ROOT, TTDN

from ttdn_graph.loader import load_paths
from ttdn_graph.store import open_store

pytest.importorskip("ttdn_graph.extract", reason="the parser (ttdn_graph.extract) is not there yet")
PLANS = ROOT / "data" / "plans"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    st = open_store(str(tmp_path_factory.mktemp("parsed") / "store"))
    summary = load_paths([PLANS], st, jobs=2, progress=False)
    assert summary.ok, summary.failed
    assert len(summary.loaded) == len(list(PLANS.glob("*.txt")))
    yield st
    st.close()


def units(store, where):
    rows = store.query_values(TTDN + f"SELECT DISTINCT ?unit WHERE {{ {where} ?plan ttdn:jurisdiction ?u . "
                                     f"?u rdfs:label ?unit }}")
    return {r["unit"] for r in rows}


def test_sources_carry_their_hash_and_format(store):
    rows = store.query_values(TTDN + "SELECT ?f ?h ?fmt WHERE { ?s a ttdn:SourceDocument ; ttdn:fileName ?f ; "
                                     "ttdn:sha256 ?h ; <http://purl.org/dc/terms/format> ?fmt }")
    assert len(rows) == 5 and all(len(r["h"]) == 64 for r in rows)


def test_research_questions_on_parsed_plans(store):
    assert units(store, '?plan ttdn:hasTask [] ; ttdn:derivesFrom ?i . ?i ttdn:number "1486/QĐ-TTg" .') == {
        "Kon Tum", "Quảng Ninh"}
    assert units(store, '?plan ttdn:hasTask [] ; ttdn:legalBasis|ttdn:cites ?i . '
                        '?i ttdn:number "72/2015/NĐ-CP" .') == {"Hải Dương", "Kon Tum", "Hưng Yên"}
    rows = store.query_values(TTDN + """SELECT DISTINCT ?i WHERE { ?plan ttdn:hasTask [] ; ttdn:legalBasis ?i ;
        ttdn:jurisdiction/rdfs:label "Hương Trà"@vi . ?i ttdn:number "12/KH-UBND" }""")
    assert [r["i"] for r in rows] == ["https://w3id.org/ttdn/id/instrument/kh/2022/thua-thien-hue/12-kh-ubnd"]


def test_parallel_and_serial_loads_write_the_same_graphs(store, tmp_path):
    """With --jobs 2 the workers compute the tasks' themes ahead; the graphs are those of a one-process load."""
    with open_store(str(tmp_path / "serial")) as serial:
        assert load_paths([PLANS], serial, jobs=1, progress=False).ok
        when = ("http://www.w3.org/ns/prov#generatedAtTime", "http://www.w3.org/ns/prov#endedAtTime")

        def quads(st):  # all but when each load ran (and the dataset's dates and version, which hash those times)
            return {(str(q.subject), str(q.predicate), str(q.object), str(q.graph_name)) for q in st.quads()
                    if q.predicate.value not in when and str(q.predicate) not in DATASET_VOLATILE}

        theirs, ours = quads(serial), quads(store)
        assert ours == theirs
        assert sum(1 for q in ours if q[1] == "<https://w3id.org/ttdn/ontology#theme>") > 100
