"""The ontology, its SKOS schemes and the shapes: parse, contract terms present, in sync with the CSV data."""

from __future__ import annotations

import csv
import importlib.util
import re
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic

from ttdn_graph.paths import ROOT, data_dir, ontology_dir

TTDN = Namespace("https://w3id.org/ttdn/ontology#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPES = Namespace("https://w3id.org/ttdn/shapes#")
VOCAB = "https://w3id.org/ttdn/vocab/"
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ontology_dir() / "ttdn.ttl")


def _csv(name: str) -> list[dict[str, str]]:
    with open(data_dir() / "vocab" / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _ttdn_terms(g: Graph) -> set[URIRef]:
    return {s for k in KINDS for s in g.subjects(RDF.type, k) if isinstance(s, URIRef) and s.startswith(str(TTDN))}


def test_ontology_parses_and_names_itself(onto: Graph) -> None:
    assert (URIRef("https://w3id.org/ttdn/ontology"), RDF.type, OWL.Ontology) in onto
    assert len(_ttdn_terms(onto)) > 60


# The public contract of DESIGN.md's core vocabulary table: name → OWL kind.
CORE = {
    "LegalInstrument": OWL.Class, "Plan": OWL.Class, "Task": OWL.Class, "Agency": OWL.Class,
    "AgencyGroup": OWL.Class, "AdministrativeUnit": OWL.Class, "number": OWL.DatatypeProperty,
    "dateIssued": OWL.DatatypeProperty, "issuedBy": OWL.ObjectProperty, "jurisdiction": OWL.ObjectProperty,
    "legalBasis": OWL.ObjectProperty, "implements": OWL.ObjectProperty, "amends": OWL.ObjectProperty,
    "cites": OWL.ObjectProperty, "derivesFrom": OWL.ObjectProperty, "hasTask": OWL.ObjectProperty,
    "partOf": OWL.ObjectProperty, "leadAgency": OWL.ObjectProperty, "supportAgency": OWL.ObjectProperty,
    "timeframe": OWL.ObjectProperty, "recurrence": OWL.ObjectProperty, "theme": OWL.ObjectProperty,
    "agencyType": OWL.ObjectProperty, "sectionPath": OWL.DatatypeProperty, "sourceText": OWL.DatatypeProperty,
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CORE))
def test_core_vocabulary_term_declared(onto: Graph, name: str) -> None:
    assert (TTDN[name], RDF.type, CORE[name]) in onto


def test_core_alignments(onto: Graph) -> None:
    assert (TTDN.LegalInstrument, RDFS.subClassOf, ELI.LegalResource) in onto
    assert (TTDN.Plan, RDFS.subClassOf, TTDN.LegalInstrument) in onto
    assert (TTDN.Agency, RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#Organization")) in onto
    assert (TTDN.number, RDFS.subPropertyOf, ELI.id_local) in onto
    assert (TTDN.dateIssued, RDFS.subPropertyOf, ELI.date_document) in onto
    assert (TTDN.issuedBy, RDFS.subPropertyOf, ELI.passed_by) in onto
    assert (TTDN.amends, RDFS.subPropertyOf, ELI.amends) in onto
    assert (TTDN.cites, RDFS.subPropertyOf, ELI.cites) in onto
    assert (TTDN.timeframe, RDFS.range, URIRef("http://www.w3.org/2006/time#ProperInterval")) in onto


def test_every_instrument_class_of_the_csv_exists(onto: Graph) -> None:
    classes = {r["class"] for r in _csv("instrument_types.csv")}
    assert classes  # the CSV is read
    for c in classes:
        assert (TTDN[c], RDF.type, OWL.Class) in onto, c
        assert TTDN.LegalInstrument in set(onto.transitive_objects(TTDN[c], RDFS.subClassOf)), c


def test_derives_from_is_transitive_super_property_of_basis_and_implements(onto: Graph) -> None:
    assert (TTDN.derivesFrom, RDF.type, OWL.TransitiveProperty) in onto
    assert (TTDN.legalBasis, RDFS.subPropertyOf, TTDN.derivesFrom) in onto
    assert (TTDN.legalBasis, RDFS.subPropertyOf, ELI.based_on) in onto
    assert (TTDN.implements, RDFS.subPropertyOf, TTDN.derivesFrom) in onto
    assert (TTDN.implements, RDFS.subPropertyOf, ELI.ensures_implementation_of) in onto
    assert (TTDN.amends, RDFS.subPropertyOf, TTDN.derivesFrom) not in onto
    assert not any(ELI.implements in t for t in onto), "eli:implements is deprecated"
    assert (TTDN.within, RDF.type, OWL.TransitiveProperty) in onto
    assert (TTDN.withinUnit, RDFS.subPropertyOf, TTDN.within) in onto
    assert (TTDN.hasTask, OWL.inverseOf, TTDN.ofPlan) in onto


def test_every_ttdn_term_has_vi_and_en_labels_and_definitions(onto: Graph) -> None:
    missing = []
    for term in sorted(_ttdn_terms(onto)):
        for prop in (RDFS.label, SKOS.definition):
            langs = {o.language for o in onto.objects(term, prop) if isinstance(o, Literal)}
            if not {"vi", "en"} <= langs:
                missing.append(f"{term.split('#')[1]} {prop.split('#')[-1]} {sorted(filter(None, langs))}")
    assert not missing, missing


def test_no_iri_has_two_owl_kinds(onto: Graph) -> None:
    """OWL 2 DL (and owlready2) forbid a property being both object and datatype, or class and property."""
    seen: dict[URIRef, set[URIRef]] = {}
    for k in KINDS:
        for s in onto.subjects(RDF.type, k):
            if isinstance(s, URIRef):
                seen.setdefault(s, set()).add(k)
    assert not {s: k for s, k in seen.items() if len(k) > 1}


_USES = (re.compile(r"""ttdn\(["'](\w+)["']\)"""), re.compile(r"\{TTDN\}(\w+)"), re.compile(r"\bttdn:(\w+)"))


def test_terms_used_by_code_and_queries_are_declared(onto: Graph) -> None:
    """Any ttdn: term written by the library or named queries must exist (undeclared terms break OWL DL checks)."""
    declared = {t.split("#")[1] for t in _ttdn_terms(onto)}
    # the library, its web app (ttdn_graph/web) and the named queries
    files = [*ROOT.joinpath("ttdn_graph").rglob("*.py"), *ROOT.joinpath("queries").rglob("*.rq")]
    assert any(f.parent.name == "web" for f in files)
    used: dict[str, str] = {}
    for f in files:
        for pat in _USES:
            for m in pat.finditer(f.read_text(encoding="utf-8")):
                used.setdefault(m.group(1), f.name)
    unknown = {t: f for t, f in used.items() if t not in declared and not t.startswith("_")}
    assert not unknown, f"undeclared ttdn terms (term: first file): {unknown}"


# ---------------------------------------------------------------- SKOS schemes


def _builder():
    spec = importlib.util.spec_from_file_location("build_vocabularies", ontology_dir() / "build_vocabularies.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("name", ["instrument-types.ttl", "agency-types.ttl", "themes.ttl"])
def test_generated_scheme_matches_its_csv(name: str) -> None:
    fresh = Graph().parse(data=_builder().TARGETS[name](), format="turtle")
    checked_in = Graph().parse(ontology_dir() / name)
    assert isomorphic(fresh, checked_in), f"run: .venv/bin/python ontology/build_vocabularies.py ({name} is stale)"


def test_instrument_type_concepts_cover_every_csv_row(onto: Graph) -> None:
    g = Graph().parse(ontology_dir() / "instrument-types.ttl")
    fold = _builder().ascii_key
    for r in _csv("instrument_types.csv"):
        c = URIRef(f"{VOCAB}instrument-type/{fold(r['key'])}")
        assert (c, RDF.type, SKOS.Concept) in g, r["key"]
        assert (c, SKOS.notation, Literal(r["key"])) in g
        labels = {str(o) for o in g.objects(c, SKOS.prefLabel)} | {str(o) for o in g.objects(c, SKOS.altLabel)}
        assert r["name"] in labels
        cls = g.value(c, TTDN.typeClass)
        assert cls is not None and (cls, RDF.type, OWL.Class) in onto
    assert URIRef(f"{VOCAB}instrument-type/qd") in set(g.subjects(RDF.type, SKOS.Concept))


def test_agency_type_concepts_match_csv() -> None:
    g = Graph().parse(ontology_dir() / "agency-types.ttl")
    rows = _csv("agency_types.csv")
    concepts = set(g.subjects(RDF.type, SKOS.Concept))
    assert concepts == {URIRef(f"{VOCAB}agency-type/{r['id']}") for r in rows}
    for r in rows:
        c = URIRef(f"{VOCAB}agency-type/{r['id']}")
        assert (c, SKOS.prefLabel, Literal(r["vi"], lang="vi")) in g
        assert (c, SKOS.prefLabel, Literal(r["en"], lang="en")) in g
        assert g.value(c, SKOS.scopeNote) is not None


def test_recurrence_scheme_has_the_schema_values() -> None:
    g = Graph().parse(ontology_dir() / "recurrence.ttl")
    ids = {str(c).rsplit("/", 1)[1] for c in g.subjects(RDF.type, SKOS.Concept)}
    assert ids == {"continuous", "weekly", "monthly", "quarterly", "semiannual", "annual"}
    for c in g.subjects(RDF.type, SKOS.Concept):
        assert {o.language for o in g.objects(c, SKOS.prefLabel)} == {"vi", "en"}


def test_theme_concepts_have_vi_and_en_labels() -> None:
    g = Graph().parse(ontology_dir() / "themes.ttl")
    rows = _csv("themes.csv")
    assert len(rows) >= 20
    for r in rows:
        c = URIRef(f"{VOCAB}theme/{r['id']}")
        assert (c, SKOS.prefLabel, Literal(r["vi"], lang="vi")) in g
        assert (c, SKOS.prefLabel, Literal(r["en"], lang="en")) in g


# ---------------------------------------------------------------- shapes


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ontology_dir() / "shapes.ttl")


def test_shapes_instrument_classes_match_csv(shapes: Graph) -> None:
    head = shapes.value(SHAPES.InstrumentTyped, SH["or"])
    listed = {shapes.value(m, SH["class"]) for m in Collection(shapes, head)}
    assert listed == {TTDN[r["class"]] for r in _csv("instrument_types.csv")}


def test_shapes_central_agency_types_match_csv(shapes: Graph) -> None:
    inner = shapes.value(SHAPES.NotCentral, SH["not"])
    prop = shapes.value(inner, SH.property)
    listed = set(Collection(shapes, shapes.value(prop, SH["in"])))
    central = {URIRef(f"{VOCAB}agency-type/{r['id']}") for r in _csv("agency_types.csv") if r["scope"] == "central"}
    assert listed == central and central


def test_shapes_only_use_declared_ttdn_terms(onto: Graph, shapes: Graph) -> None:
    declared = _ttdn_terms(onto)
    used = {t for triple in shapes for t in triple if isinstance(t, URIRef) and t.startswith(str(TTDN))}
    assert used and used <= declared, used - declared


def test_ontology_files_all_parse() -> None:
    for f in sorted(Path(ontology_dir()).glob("*.ttl")):
        assert len(Graph().parse(f)) > 0, f.name
