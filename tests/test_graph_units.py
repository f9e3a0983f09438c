"""Units named in agency names and issuers (ttdn_graph/graph/units.py): dashed province names stay whole, and a plan
of a province never gains a second, phantom unit from a name that begins the province's name ("Bà Rịa")."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from ttdn_graph import cli_graph
from ttdn_graph.graph.gazetteer_adapter import GazetteerView
from ttdn_graph.graph.units import VN, Unit, mentioned_units, place_unit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # bench/ is a folder of the checkout, not an installed package
    sys.path.insert(0, str(ROOT))

from bench.corpus import generate  # noqa: E402

GAZ = GazetteerView.at(None)
BRVT = GAZ.province_unit("Bà Rịa - Vũng Tàu")
TTDN = "PREFIX ttdn: <https://w3id.org/ttdn/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
UNIT = "https://w3id.org/ttdn/id/unit/"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu", [("tỉnh", "Bà Rịa - Vũng Tàu")]),
        ("Sở Ngoại vụ tỉnh Bà Rịa – Vũng Tàu", [("tỉnh", "Bà Rịa - Vũng Tàu")]),
        ("UBND tỉnh Bà Rịa–Vũng Tàu", [("tỉnh", "Bà Rịa - Vũng Tàu")]),
        ("UBND tỉnh Bà Rịa-Vũng Tàu", [("tỉnh", "Bà Rịa - Vũng Tàu")]),
        ("Sở Thông tin và Truyền thông tỉnh Thừa Thiên - Huế", [("tỉnh", "Thừa Thiên - Huế")]),
        ("Ủy ban nhân dân thành phố Bà Rịa", [("thành phố", "Bà Rịa")]),
        ("Huyện ủy Vân Đồn", [("huyện ủy", "Vân Đồn")]),
        ("Ủy ban nhân dân tỉnh - thành phố", []),  # a dash before a lower-case word ends nothing
    ],
)
def test_dashed_names_are_one_mention(name: str, expected: list[tuple[str, str]]) -> None:
    assert mentioned_units(name) == expected


@pytest.mark.parametrize(
    ("level_word", "place", "path"),
    [
        ("tỉnh", "Bà Rịa - Vũng Tàu", "ba-ria-vung-tau"),
        ("tỉnh", "Bà Rịa", "ba-ria-vung-tau"),  # cut short: the plan's province, not a new province "ba-ria"
        ("tỉnh ủy", "Bà Rịa", "ba-ria-vung-tau"),
        ("tỉnh", "Quảng Ninh - Ban Tuyên", "quang-ninh"),  # "Tỉnh ủy Quảng Ninh - Ban Tuyên giáo"
        ("tỉnh", "Đồng Nai", "dong-nai"),  # another province stays another province
        ("thành phố", "Bà Rịa", "ba-ria-vung-tau/ba-ria"),  # the city of Bà Rịa, inside the province
    ],
)
def test_a_province_plan_never_gains_a_phantom_province(level_word: str, place: str, path: str) -> None:
    assert place_unit(level_word, place, BRVT, GAZ).path == path
    assert place_unit(level_word, place, BRVT, None).path == path  # the same without the gazetteer


def test_without_a_gazetteer_the_plan_chain_still_wins() -> None:
    plan = Unit("Bà Rịa - Vũng Tàu", "tỉnh", VN)
    assert place_unit("tỉnh", "Bà Rịa", plan).path == "ba-ria-vung-tau"
    assert place_unit("tỉnh", "Bà Rịa - Vũng Tàu", plan).path == "ba-ria-vung-tau"


# ---------------------------------------------------------------- on a loaded generated corpus


def _enough(n: int) -> bool:
    """generate(n) holds a numbered plan of Bà Rịa - Vũng Tàu (the case that split) and a plan of thành phố Bà Rịa."""
    plans = generate(n)
    return any(p.province == "Bà Rịa - Vũng Tàu" and p.expected["kind"] == "province" and p.number for p in plans) \
        and any(p.expected["jurisdiction"]["name"] == "Bà Rịa" for p in plans)


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory):
    """The plans of Bà Rịa - Vũng Tàu in a generated corpus and the corpus's first 40, loaded with `ttdn load`."""
    from ttdn_graph.store import open_store

    tmp = tmp_path_factory.mktemp("phantom")
    n = next(n for n in range(100, 1001, 100) if _enough(n))
    plans = [p for i, p in enumerate(generate(n, tmp / "corpus")) if i < 40 or p.province == "Bà Rịa - Vũng Tàu"]
    app = typer.Typer()
    app.command("load")(cli_graph.load)
    app.command("stats")(cli_graph.stats)
    files = [str(tmp / "corpus" / p.file_name) for p in plans]
    res = CliRunner().invoke(app, ["load", *files, "--store", str(tmp / "store"), "--quiet"])
    assert res.exit_code == 0, res.output
    store = open_store(str(tmp / "store"), read_only=True)
    yield plans, store
    store.close()


def test_every_loaded_plan_has_exactly_one_jurisdiction(corpus_store) -> None:
    plans, store = corpus_store
    rows = store.query(TTDN + "SELECT ?p (COUNT(DISTINCT ?j) AS ?n) WHERE { ?p a ttdn:Plan ; ttdn:hasTask [] . "
                       "OPTIONAL { ?p ttdn:jurisdiction ?j } } GROUP BY ?p")
    assert len(rows) == len(plans)
    assert Counter(int(r["n"].value) for r in rows) == {1: len(plans)}


def test_no_phantom_ba_ria(corpus_store) -> None:
    """A unit called "Bà Rịa" is the city inside Bà Rịa - Vũng Tàu, and only plans really of it have it."""
    plans, store = corpus_store
    brvt = [p for p in plans if p.province == "Bà Rịa - Vũng Tàu"]
    assert any(p.expected["kind"] == "province" and p.number for p in brvt)  # the case that used to split
    assert any(p.expected["jurisdiction"]["name"] == "Bà Rịa" for p in brvt)  # and a plan really of the city
    units = store.query(TTDN + "SELECT DISTINCT ?u ?within WHERE { ?u a ttdn:AdministrativeUnit ; rdfs:label ?l . "
                        "OPTIONAL { ?u ttdn:withinUnit ?within } FILTER(STR(?l) = 'Bà Rịa') }")
    for r in units:
        assert r["u"].value == UNIT + "ba-ria-vung-tau/ba-ria", r["u"].value
        assert r["within"].value == UNIT + "ba-ria-vung-tau"
    of_ba_ria = store.query(TTDN + "SELECT DISTINCT ?p WHERE { ?p a ttdn:Plan ; ttdn:hasTask [] ; "
                            "ttdn:jurisdiction/rdfs:label ?l . FILTER(STR(?l) = 'Bà Rịa') }")
    expected = [p for p in plans if p.expected["jurisdiction"]["name"] == "Bà Rịa"]
    assert len(of_ba_ria) == len(expected) > 0
    province_plans = store.query(TTDN + f"SELECT DISTINCT ?p WHERE {{ ?p a ttdn:Plan ; ttdn:hasTask [] ; "
                                 f"ttdn:jurisdiction <{UNIT}ba-ria-vung-tau> }}")
    assert len(province_plans) == sum(p.expected["kind"] != "district" for p in brvt)
