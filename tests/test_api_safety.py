"""rdflib's look at a query text is kept per text in the workers; its verdict still refuses."""

from __future__ import annotations

import pytest

from ttdn_graph.web.safety import Refused


def test_deep_check_verdicts_are_kept_and_still_refuse():
    """The second look at a text is answered from the kept verdict — and a kept SERVICE verdict still refuses."""
    from ttdn_graph.web.safety import _parse_tree_findings, deep_check, parse_tree_findings  # noqa: PLC0415

    q = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }  # kept-verdict test"
    before = _parse_tree_findings.cache_info().hits
    for _ in range(2):
        with pytest.raises(Refused):
            deep_check(q)
    assert _parse_tree_findings.cache_info().hits >= before + 1
    first = parse_tree_findings(q)
    first[1].clear()  # a caller altering its copy does not alter the kept verdict
    assert parse_tree_findings(q)[1] == ["http://example.org/sparql"]
