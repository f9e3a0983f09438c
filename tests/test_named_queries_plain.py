"""The named queries are plain SPARQL over the default graph, as a researcher writes them (graph.layout states each
fact once, so the union needs no tricks): no property alternated with itself — `(p|p)`, which evaluates as a set
and was used to hide a fact repeated in many graphs — and no `GRAPH ?var` co-location join, except in a query whose
description says it reports provenance (which document says so)."""

from __future__ import annotations

import re

import pytest

from ttdn_graph.queries import load_queries
from ttdn_graph.sparql_scan import tokens

QUERIES = load_queries()


def _body(sparql: str) -> str:
    """The query's tokens, comments dropped and strings emptied: only its syntax is checked."""
    return " ".join('""' if t.kind == "string" else t.text for t in tokens(sparql))


def self_alternations(sparql: str) -> list[str]:
    """`a|a` inside a path, for a prefixed name or an IRI (any spacing, either side of other alternatives)."""
    body = _body(sparql)
    term = r"(?:<[^<>\s]*>|[A-Za-z][\w.-]*:[\w.-]*|\ba\b)"
    found = []
    for path in re.finditer(rf"{term}(?:\s*/\s*{term})*(?:\s*\|\s*{term}(?:\s*/\s*{term})*)+", body):
        alternatives = [re.sub(r"\s+", "", a) for a in path.group(0).split("|")]
        if len(set(alternatives)) < len(alternatives):
            found.append(path.group(0))
    return found


def graph_variables(sparql: str) -> list[str]:
    return re.findall(r"\bGRAPH\s+\?\w+", _body(sparql), re.I)


def test_the_checks_see_what_they_look_for():
    assert self_alternations("SELECT * WHERE { ?s (ttdn:x|ttdn:x) ?o }") == ["ttdn:x | ttdn:x"]
    assert self_alternations("SELECT * WHERE { ?s <http://e/a> | <http://e/a> ?o }")
    assert self_alternations("SELECT * WHERE { ?s (ttdn:j/rdfs:label|ttdn:j/rdfs:label) ?o }")
    assert self_alternations("SELECT * WHERE { ?s ttdn:a|ttdn:b|ttdn:a ?o }")
    assert not self_alternations("SELECT * WHERE { ?s ttdn:leadAgency|ttdn:supportAgency ?o }")
    assert not self_alternations('SELECT * WHERE { ?s ?p "ttdn:x|ttdn:x" } # (ttdn:x|ttdn:x)')
    assert graph_variables("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }") == ["GRAPH ?g"]
    assert graph_variables("SELECT * WHERE { graph  ?inf { ?s ?p ?o } }")
    assert not graph_variables("SELECT * WHERE { GRAPH <http://e/g> { ?s ?p ?o } } # GRAPH ?g")


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_no_property_is_alternated_with_itself(name):
    assert self_alternations(QUERIES[name].sparql) == []


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_no_graph_variable_unless_the_query_reports_provenance(name):
    q = QUERIES[name]
    if "provenance" in q.description.lower():
        return
    assert graph_variables(q.sparql) == []
