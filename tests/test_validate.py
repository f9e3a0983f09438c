"""SHACL shapes on small hand-made graphs, HermiT consistency (one JVM per session), and the validate command."""

from __future__ import annotations

import shutil

import pytest
import rdflib
import typer
from typer.testing import CliRunner

from ttdn_graph import validate as v

PREFIXES = """\
@prefix ttdn: <https://w3id.org/ttdn/ontology#> .
@prefix id:   <https://w3id.org/ttdn/id/> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix at:   <https://w3id.org/ttdn/vocab/agency-type/> .
"""

# One plan of a province, citing a Prime Minister's decision, with two tasks, a responsibility and its duty, a
# citation, a discrepancy, a derivation node and the source document: every core class once.
SMALL = (
    PREFIXES
    + """
id:vn a ttdn:Country ; rdfs:label "Việt Nam"@vi ; ttdn:level "quốc gia" .
id:hai-duong a ttdn:Province ; rdfs:label "Hải Dương"@vi ; ttdn:level "tỉnh" ; ttdn:withinUnit id:vn ;
    ttdn:adminCode "30" ; ttdn:successor id:hai-phong-2025 ; ttdn:successionDate "2025-07-01"^^xsd:date .
id:hai-phong-2025 a ttdn:Province ; rdfs:label "Hải Phòng"@vi ; ttdn:level "thành phố trực thuộc trung ương" ;
    ttdn:withinUnit id:vn ; ttdn:validFrom "2025-07-01"^^xsd:date .

id:ubnd a ttdn:Agency ; skos:prefLabel "Ủy ban nhân dân tỉnh Hải Dương"@vi ; ttdn:jurisdiction id:hai-duong ;
    ttdn:agencyType at:peoples-committee .
id:ttg a ttdn:Agency ; rdfs:label "Thủ tướng Chính phủ"@vi ; ttdn:jurisdiction id:vn ; ttdn:agencyType at:government .
id:cac-so a ttdn:AgencyGroup ; rdfs:label "các sở, ban, ngành tỉnh"@vi ; ttdn:jurisdiction id:hai-duong .

id:qd-1486 a ttdn:LegalInstrument , ttdn:Decision ; ttdn:number "1486/QĐ-TTg" ;
    ttdn:dateIssued "2018-11-15"^^xsd:date ; ttdn:issuedBy id:ttg ; ttdn:jurisdiction id:vn ;
    ttdn:instrumentType <https://w3id.org/ttdn/vocab/instrument-type/qd> .

id:plan a ttdn:LegalInstrument , ttdn:Plan ; ttdn:number "3693/KH-UBND" ; ttdn:dateIssued "2018-10-23"^^xsd:date ;
    ttdn:title "Hoạt động thông tin đối ngoại tỉnh Hải Dương năm 2019"@vi ; ttdn:issuedBy id:ubnd ;
    ttdn:jurisdiction id:hai-duong ; ttdn:period id:period ;
    ttdn:periodStart "2019-01-01"^^xsd:date ; ttdn:periodEnd "2019-12-31"^^xsd:date ;
    ttdn:signer "Nguyễn Văn A"@vi ; ttdn:signerPosition "Phó Chủ tịch"@vi ;
    ttdn:legalBasis id:qd-1486 ; ttdn:hasTask id:task-ii-1 , id:task-ii-1-1 .
id:period a time:ProperInterval ; time:hasBeginning id:d-2019-01-01 ; time:hasEnd id:d-2019-12-31 .
id:d-2019-01-01 a time:Instant ; time:inXSDDate "2019-01-01"^^xsd:date .
id:d-2019-12-31 a time:Instant ; time:inXSDDate "2019-12-31"^^xsd:date .

id:task-ii-1 a ttdn:Task ; ttdn:ofPlan id:plan ; ttdn:sectionPath "II.1" ; rdfs:label "Tập huấn nghiệp vụ"@vi ;
    ttdn:leadAgency id:ubnd ; ttdn:supportAgency id:cac-so ; ttdn:timeframe id:period ;
    ttdn:recurrence <https://w3id.org/ttdn/vocab/recurrence/annual> ;
    ttdn:theme <https://w3id.org/ttdn/vocab/theme/training> ; ttdn:deadline "2019-06-30"^^xsd:date ;
    ttdn:sourceText "Tập huấn nghiệp vụ thông tin đối ngoại"@vi ; ttdn:lineStart 10 ; ttdn:lineEnd 12 ;
    prov:wasDerivedFrom id:source .
id:task-ii-1-1 a ttdn:Task ; ttdn:ofPlan id:plan ; ttdn:partOf id:task-ii-1 ; ttdn:sectionPath "II.1.1" ;
    rdfs:label "Tập huấn cho phóng viên"@vi .

id:resp-iv-1 a ttdn:Responsibility ; ttdn:agency id:ubnd ; ttdn:plan id:plan ; ttdn:sectionPath "IV.1" ;
    ttdn:dutyCount 2 ; ttdn:hasDuty id:duty-iv-1-1 .
id:duty-iv-1-1 a ttdn:Duty ; ttdn:sourceText "Phối hợp với các sở, ban, ngành tỉnh tổ chức tập huấn."@vi ;
    ttdn:lineStart 40 ; ttdn:lineEnd 41 ; ttdn:supportedBy id:cac-so ; prov:wasDerivedFrom id:source .

id:plan ttdn:derivesFrom id:qd-1486 .
id:derivation-1 a ttdn:Derivation ; ttdn:derivationSource id:plan ; ttdn:derivationTarget id:qd-1486 ;
    ttdn:cascadeDepth 1 .

id:source a ttdn:SourceDocument ; ttdn:fileName "x.txt" ;
    ttdn:sha256 "0000000000000000000000000000000000000000000000000000000000000000" ;
    prov:generatedAtTime "2024-01-01T00:00:00Z"^^xsd:dateTime ; prov:wasGeneratedBy id:run .
id:run a ttdn:Extraction ; ttdn:toolVersion "0.1.0" .
id:citation-1 a ttdn:Citation ; ttdn:citedInstrument id:qd-1486 ; ttdn:citingResource id:plan ;
    ttdn:citedAs "basis" ; ttdn:inDocument id:source ; ttdn:lineStart 5 .
id:discrepancy-1 a ttdn:Discrepancy ; ttdn:discrepancyOf id:qd-1486 ; ttdn:printedValue "15/11/2017" ;
    ttdn:resolvedValue "2018" ; rdfs:comment "the date's year disagrees with the number"@en .
"""
)


def small(extra: str = "") -> rdflib.Graph:
    return rdflib.Graph().parse(data=SMALL + extra, format="turtle")


def test_small_graph_conforms() -> None:
    conforms, text = v.validate_shacl(small())
    assert conforms, text
    assert "Conforms: True" in text


def test_dataset_is_validated_as_the_union_of_its_graphs() -> None:
    """A task in one named graph and its plan in another still conform (pySHACL alone would split them)."""
    g = small()
    ds = rdflib.Dataset()
    plan_g = ds.graph(rdflib.URIRef("https://w3id.org/ttdn/id/graph/a"))
    task_g = ds.graph(rdflib.URIRef("https://w3id.org/ttdn/id/graph/b"))
    tasks = set(g.subjects(rdflib.RDF.type, rdflib.URIRef("https://w3id.org/ttdn/ontology#Task")))
    for s, p, o in g:
        (task_g if s in tasks else plan_g).add((s, p, o))
    conforms, text = v.validate_shacl(ds)
    assert conforms, text


def _fails(extra: str, *needles: str) -> str:
    conforms, text = v.validate_shacl(small(extra))
    assert not conforms, text
    for n in needles:
        assert n in text, f"{n!r} not in report:\n{text}"
    return text


def test_task_with_two_section_paths_and_no_plan_fails() -> None:
    text = _fails(
        'id:orphan a ttdn:Task ; ttdn:sectionPath "II.9" , "II.10" ; rdfs:label "Nhiệm vụ lạc"@vi .',
        "exactly one ttdn:sectionPath",
        "exactly one plan",
    )
    assert "id:orphan" in text or "https://w3id.org/ttdn/id/orphan" in text


def test_task_needs_a_label() -> None:
    _fails('id:bare a ttdn:Task ; ttdn:ofPlan id:plan ; ttdn:sectionPath "II.5" .', "rdfs:label")


def test_task_in_two_plans_fails() -> None:
    _fails(
        'id:plan2 a ttdn:Plan ; ttdn:jurisdiction id:hai-duong ; ttdn:periodStart "2019-01-01"^^xsd:date .\n'
        "id:task-ii-1 ttdn:ofPlan id:plan2 .",
        "exactly one plan",
    )


def test_numbered_instrument_needs_an_instrument_subclass() -> None:
    _fails('id:ct-12 a ttdn:LegalInstrument ; ttdn:number "12/CT-TTg" .', "instrument subclasses")


def test_number_must_be_a_string() -> None:
    _fails("id:qd-1486 ttdn:number 1486 .", "plain xsd:string")


def test_dates_must_be_xsd_date() -> None:
    _fails('id:qd-1486 ttdn:deadline "2019" . id:task-ii-1-1 ttdn:deadline "30/6/2019" .', "xsd:date")


def test_central_agency_needs_the_country_as_jurisdiction() -> None:
    _fails(
        'id:bng a ttdn:Agency ; rdfs:label "Bộ Ngoại giao"@vi ; ttdn:agencyType at:ministry ; '
        "ttdn:jurisdiction id:hai-duong .",
        "central type",
    )


def test_agency_needs_label_and_jurisdiction() -> None:
    _fails("id:so a ttdn:Agency ; ttdn:agencyType at:department .", "exactly one ttdn:jurisdiction", "rdfs:label")


def test_lead_agency_must_be_an_agency_or_group() -> None:
    _fails("id:task-ii-1-1 ttdn:leadAgency id:hai-duong .", "ttdn:leadAgency values")


def test_duty_needs_text_a_responsibility_and_agency_partners() -> None:
    _fails("id:lost a ttdn:Duty ; ttdn:supportedBy id:hai-duong .", "exactly one ttdn:sourceText",
           "at least one responsibility", "ttdn:supportedBy values")


def test_administrative_unit_needs_a_level() -> None:
    _fails('id:x a ttdn:District ; rdfs:label "Hương Trà"@vi .', "ttdn:level")


def test_loaded_plan_needs_jurisdiction_and_period() -> None:
    _fails(
        'id:plan3 a ttdn:Plan ; ttdn:hasTask id:t3 . id:t3 a ttdn:Task ; ttdn:sectionPath "I" ; rdfs:label "x"@vi .',
        "ttdn:period",
        "ttdn:jurisdiction",
    )


def test_cited_plan_without_tasks_needs_no_period() -> None:
    conforms, text = v.validate_shacl(small('id:kh-12 a ttdn:Plan ; ttdn:number "12/KH-UBND" .'))
    assert conforms, text


def test_instant_must_carry_an_xsd_date() -> None:
    _fails('id:d-2019-12-31 time:inXSDDate "2019-12-31T00:00:00"^^xsd:dateTime .', "time:inXSDDate")


def test_timeframe_known_only_by_words_is_a_warning_not_a_violation() -> None:
    conforms, text = v.validate_shacl(small(
        'id:task-ii-1-1 ttdn:timeframe id:tf . id:tf a time:ProperInterval ; ttdn:sourceText "Thường xuyên"@vi .'
    ))  # fmt: skip
    assert conforms, text
    assert "sh:Warning" in text and "hasBeginning" in text


def test_unknown_recurrence_fails() -> None:
    _fails("id:task-ii-1-1 ttdn:recurrence <https://w3id.org/ttdn/vocab/recurrence/hourly> .", "recurrence")


def test_derivation_depth_is_a_positive_integer() -> None:
    _fails("id:derivation-1 ttdn:cascadeDepth 0 .", "cascadeDepth")


# ---------------------------------------------------------------- HermiT


@pytest.fixture(scope="module")
def hermit() -> tuple[bool, str]:
    """The one HermiT run of the session: ontology + SKOS schemes + the small graph."""
    if shutil.which("java") is None:
        pytest.skip("java not on PATH: HermiT needs a JRE (apt-get install default-jre-headless)")
    return v.check_consistency(small())


def test_hermit_finds_ontology_and_small_data_consistent(hermit: tuple[bool, str]) -> None:
    consistent, message = hermit
    assert consistent, message
    assert message.startswith("consistent") and "+ data" in message


def test_missing_java_gives_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(v.shutil, "which", lambda _name: None)
    consistent, message = v.check_consistency()
    assert not consistent
    assert message == "Java is required for HermiT (apt-get install default-jre-headless)"


# ---------------------------------------------------------------- command


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("validate")(v.validate)
    app.command("noop")(lambda: None)  # two commands, so "validate" is addressed by name as in the real CLI
    return app


def test_validate_command_on_an_embedded_store(tmp_path) -> None:
    store_mod = pytest.importorskip("ttdn_graph.store")
    st = store_mod.open_store(str(tmp_path / "store"))
    nt = small().serialize(format="nt")
    st.update("INSERT DATA { GRAPH <https://w3id.org/ttdn/id/graph/test> {\n" + nt + "\n} }")
    st.close()
    ok = CliRunner().invoke(_app(), ["validate", "--store", str(tmp_path / "store"), "--no-owl"])
    assert ok.exit_code == 0, ok.output
    assert "SHACL: conforms" in ok.output and "quads from" in ok.output

    st = store_mod.open_store(str(tmp_path / "store"))
    st.update(
        "INSERT DATA { GRAPH <https://w3id.org/ttdn/id/graph/test> { "
        '<https://w3id.org/ttdn/id/task-ii-1> <https://w3id.org/ttdn/ontology#sectionPath> "II.99" } }'
    )
    st.close()
    bad = CliRunner().invoke(_app(), ["validate", "--store", str(tmp_path / "store"), "--no-owl"])
    assert bad.exit_code == 1, bad.output
    assert "does NOT conform" in bad.output


def test_validate_command_reports_an_unreadable_store(tmp_path) -> None:
    pytest.importorskip("ttdn_graph.store")
    res = CliRunner().invoke(_app(), ["validate", "--store", str(tmp_path / "missing"), "--no-owl"])
    assert res.exit_code == 2
