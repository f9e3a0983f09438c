"""ttdn_graph.queries: .rq headers, typed parameters, and binding that never turns a value into query syntax."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ttdn_graph.graph.namespaces import VOCAB, XSD
from ttdn_graph.queries import (
    ParamError,
    QueryError,
    bind_values,
    load_queries,
    parse_param,
    parse_rq,
    tokens,
    where_brace,
)

INJECTION = '"> } ; DROP ALL #'
HEADER = """# title: Tasks of a type
# description: First line of the description
#   continues here.
# param: kind (iri, ns vocab:agency-type/, default department) The agency type.
# param: year (integer, min 1945, max 2100, default 2019) The year.
# param: label (string, optional, default "a, b (c)") A label, with a comma.
# tags: tasks, time
PREFIX ttdn: <https://w3id.org/ttdn/ontology#>
SELECT ?t ?y WHERE {
  ?t ttdn:agencyType ?kind .
  { SELECT ?t WHERE { ?t ?p ?o } }
  BIND(?year AS ?y)
  FILTER(!BOUND(?label) || STR(?t) != ?label)
}
"""


def test_header_fields_and_params():
    q = parse_rq(HEADER, "tasks-of-type")
    assert q.name == "tasks-of-type" and q.title == "Tasks of a type"
    assert q.description == "First line of the description continues here."
    assert q.tags == ("tasks", "time")
    assert [p.name for p in q.params] == ["kind", "year", "label"]
    kind, year, label = q.params
    assert kind.type == "iri" and kind.default == "department" and kind.description == "The agency type."
    assert (year.min, year.max) == (1945, 2100)
    assert label.optional and label.default == "a, b (c)"
    assert q.form == "SELECT"
    assert q.to_dict()["params"][0]["ns"] == VOCAB + "agency-type/"


@pytest.mark.parametrize("bad, message", [
    ("# description: no title\nSELECT * WHERE { ?s ?p ?o }", "title"),
    ("# title: t\n# param: x (colour) nope\nSELECT * WHERE { ?x ?p ?o }", "type must be one of"),
    ("# title: t\n# param: x (integer, default ten)\nSELECT * WHERE { ?x ?p ?o }", "not an integer"),
    ("# title: t\n# param: x (integer, frobnicate 3)\nSELECT * WHERE { ?x ?p ?o }", "unknown option"),
    ("# title: t\n# param: unused (integer)\nSELECT * WHERE { ?s ?p ?o }", "not used"),
    ("# title: t\n# param: x (string)\n# param: x (string)\nSELECT * WHERE { ?x ?p ?o }", "twice"),
    ("# title: t\n# param: x string\nSELECT * WHERE { ?x ?p ?o }", r"name \(type"),
])
def test_header_errors(bad, message):
    with pytest.raises(QueryError, match=message):
        parse_rq(bad, "bad")


def test_typed_values():
    iri = parse_param("a (iri, ns vocab:theme/)")
    assert iri.term("land-border") == ox.NamedNode(VOCAB + "theme/land-border")
    assert iri.term("vocab:theme/sea-islands") == ox.NamedNode(VOCAB + "theme/sea-islands")
    assert iri.term("https://example.org/x") == ox.NamedNode("https://example.org/x")
    integer = parse_param("n (integer, min 1, max 4)")
    assert integer.term(" 3 ") == ox.Literal("3", datatype=ox.NamedNode(XSD + "integer"))
    d = parse_param("d (date)")
    assert d.term("2019-07-01") == ox.Literal("2019-07-01", datatype=ox.NamedNode(XSD + "date"))
    b = parse_param("b (boolean)")
    assert b.term("yes") == ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))
    s = parse_param("s (string)")
    assert s.term("Uỷ ban nhân dân") == ox.Literal("Ủy ban nhân dân")  # old tone placement folded like the data
    choice = parse_param("c (string, values lead|support)")
    assert choice.term("lead") == ox.Literal("lead")


@pytest.mark.parametrize("spec, value", [
    ("a (iri, ns vocab:theme/)", INJECTION),
    ("a (iri, ns vocab:theme/)", "land border"),
    ("a (iri)", "javascript:alert(1)"),
    ("a (iri)", "http://x/> } DROP ALL { <y"),
    ("n (integer, min 1, max 4)", "5"),
    ("n (integer)", "2019) } #"),
    ("n (integer)", INJECTION),
    ("d (date)", "2019-02-30"),
    ("d (date)", '2019-01-01"^^<x> } #'),
    ("b (boolean)", "maybe"),
    ("c (string, values lead|support)", "other"),
    ("s (string)", "x" * 5000),
])
def test_type_check_refuses(spec, value):
    with pytest.raises(ParamError):
        parse_param(spec).term(value)


def test_string_injection_stays_a_literal():
    q = parse_rq(HEADER, "t")
    text = q.bind({"label": INJECTION})
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/t"), ox.NamedNode("https://w3id.org/ttdn/ontology#agencyType"),
                      ox.NamedNode(VOCAB + "agency-type/department"), ox.NamedNode("http://e/g")))
    rows = list(store.query(text, use_default_graph_as_union=True))
    assert len(rows) == 1  # the query ran as written; the value was only compared with
    assert len(store) == 1  # and "DROP ALL" did nothing
    values_line = next(line for line in text.splitlines() if line.strip().startswith("VALUES"))
    assert '"\\"> } ; DROP ALL #"' in values_line


def test_unknown_and_missing_parameters():
    q = parse_rq(HEADER, "t")
    with pytest.raises(ParamError, match="unknown parameter"):
        q.bind({"colour": "red"})
    required = parse_rq("# title: t\n# param: x (integer)\nSELECT * WHERE { ?s ?p ?x }", "t")
    with pytest.raises(ParamError, match="required"):
        required.bind({})
    assert "VALUES" not in parse_rq(HEADER.replace(', default "a, b (c)"', ""), "t").bind({}).split("VALUES", 1)[1]


@pytest.mark.parametrize("query, expected_before", [
    ("SELECT * WHERE { ?s ?p ?o }", "?s ?p ?o"),
    ("SELECT * { ?s ?p ?o }", "?s ?p ?o"),
    ("ASK { ?s ?p ?o }", "?s ?p ?o"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(?o != '}') }", "?s ?p ?o FILTER"),
    ("# WHERE { in a comment\nSELECT ?x WHERE { { SELECT ?x WHERE { ?x ?p ?o } } }", "{ SELECT ?x"),
    ('SELECT ?x WHERE { ?x <http://e/p> "WHERE {" }', "?x <http://e/p>"),
])
def test_values_go_first_in_the_outer_where(query, expected_before):
    text = bind_values(query, {"v": ox.Literal("x")})
    after = text.split('VALUES (?v) { ("x") }', 1)
    assert len(after) == 2 and after[1].lstrip().startswith(expected_before)
    ox.Store().query(text)  # and it still parses


def test_scanner_skips_comments_strings_and_iris():
    toks = tokens('SELECT ?a # SERVICE <x>\nWHERE { ?a <http://e/#x> "SERVICE \\" } #" ; ex:p \'\'\'a\nb\'\'\' }')
    kinds = [(t.kind, t.text) for t in toks]
    assert ("word", "SERVICE") not in kinds
    assert ("iri", "<http://e/#x>") in kinds and ("pname", "ex:p") in kinds
    assert [t.text for t in toks if t.kind == "string"] == ['"SERVICE \\" } #"', "'''a\nb'''"]
    assert where_brace(toks) == 3


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=60).filter(lambda s: s.strip()))
def test_any_string_value_is_data(value):
    """Whatever the text, binding it yields a query that finds exactly that literal (NFC-folded like the data)."""
    q = parse_rq("# title: t\n# param: v (string)\nSELECT ?s WHERE { ?s <http://e/p> ?v }", "t")
    term = q.param("v").term(value)
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/hit"), ox.NamedNode("http://e/p"), term, ox.DefaultGraph()))
    store.add(ox.Quad(ox.NamedNode("http://e/miss"), ox.NamedNode("http://e/p"), ox.Literal(term.value + "#"),
                      ox.DefaultGraph()))
    rows = [r["s"].value for r in store.query(q.bind({"v": value}))]
    assert rows == ["http://e/hit"]


def test_repository_queries_load_and_parse():
    queries = load_queries()
    assert len(queries) >= 12
    store = ox.Store()
    for q in queries.values():
        assert q.title and q.description, q.name
        for p in q.params:
            assert p.description, f"{q.name}.{p.name} has no description"
        list(store.query(q.bind({}), use_default_graph_as_union=True))  # Oxigraph parses the bound text


KEYED = """# title: t
# param: instrument (key, node root) A number or an IRI.
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?root WHERE { ?root skos:hiddenLabel ?instrument }
"""


def test_a_key_binds_its_lookup_form_and_an_iri_binds_the_node():
    q = parse_rq(KEYED, "t")
    assert q.terms({"instrument": " 1486 / QĐ – TTg "}) == {"instrument": ox.Literal("1486/qđ-ttg")}
    assert q.terms({"instrument": "Quyết định của Uỷ  ban"}) == {"instrument": ox.Literal("quyết định của ủy ban")}
    iri = "https://w3id.org/ttdn/id/instrument/qd/2018/1486-qd-ttg"
    assert q.terms({"instrument": iri}) == {"root": ox.NamedNode(iri)}
    assert q.terms({"instrument": INJECTION}) == {"instrument": ox.Literal(INJECTION.casefold())}
    store = ox.Store()
    g = ox.NamedNode("http://e/g")
    store.add(ox.Quad(ox.NamedNode(iri), ox.NamedNode("http://www.w3.org/2004/02/skos/core#hiddenLabel"),
                      ox.Literal("1486/qđ-ttg"), g))
    for value in ("1486/QĐ-TTg", "1486/qđ-ttg", iri):
        rows = list(store.query(q.bind({"instrument": value}), use_default_graph_as_union=True))
        assert [r["root"].value for r in rows] == [iri], value
    assert list(store.query(q.bind({"instrument": "1486/QĐ-TT"}), use_default_graph_as_union=True)) == []


def test_the_node_option_is_checked():
    with pytest.raises(QueryError, match="key parameters"):
        parse_param("x (string, node y) d")
    with pytest.raises(QueryError, match="not used"):
        parse_rq(KEYED.replace("?root", "?other"), "t")
