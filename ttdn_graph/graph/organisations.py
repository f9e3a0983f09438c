"""Agencies as W3C ORG organisations: a body's resolved ORG description (resolve.organisations) as triples.

`org_quads(node)` gives the (subject, predicate, object) facts of one body beyond its type, label and jurisdiction:
`org:classification` (its agency-type concept), `org:subOrganizationOf` its parent bodies and, for each change it
went through, an `org:ChangeEvent` (`org:originalOrganization`, `org:resultingOrganization`, `dcterms:date`,
`dcterms:source`), with the parent and resulting bodies described the same way. The facts depend on the body only,
not on the document that names it.
"""

from __future__ import annotations

from functools import lru_cache

from ttdn_graph.graph import terms as T
from ttdn_graph.graph.namespaces import DCTERMS, ORG
from ttdn_graph.resolve.model import OrgNode

CLASSIFICATION = T.iri(ORG + "classification")
SUB_ORGANIZATION_OF = T.iri(ORG + "subOrganizationOf")
CHANGE_EVENT = T.iri(ORG + "ChangeEvent")
ORIGINAL = T.iri(ORG + "originalOrganization")
RESULTING = T.iri(ORG + "resultingOrganization")
CHANGED_BY = T.iri(ORG + "changedBy")
RESULTED_FROM = T.iri(ORG + "resultedFrom")
DATE = T.iri(DCTERMS + "date")
SOURCE = T.iri(DCTERMS + "source")
CITATION = T.iri(DCTERMS + "bibliographicCitation")


@lru_cache(maxsize=16384)
def org_quads(node: OrgNode) -> tuple[tuple, ...]:
    """The ORG facts of a body and of the bodies they name (parents, resulting bodies), each described once."""
    out: list[tuple] = []
    _describe(node, out)
    return tuple(out)


def _describe(node: OrgNode, out: list[tuple]) -> str:
    iri = node.iri
    if not node.described:
        return iri
    if not node.root:  # the mention (graph.build) states the mentioned body's own type, label and jurisdiction
        out.append((iri, T.A, T.ttdn("Agency")))
        if node.type_iri:
            out.append((iri, T.ttdn("agencyType"), node.type_iri))
        out.append((iri, T.LABEL, T.vi(node.label)))
        out.append((iri, T.ttdn("jurisdiction"), node.jurisdiction))
    if node.type_iri:
        out.append((iri, CLASSIFICATION, node.type_iri))
    for p in node.parents:
        out.append((iri, SUB_ORGANIZATION_OF, _describe(p, out)))
    for c in node.changes:
        res = _describe(c.result, out)
        ev = c.iri
        out.append((ev, T.A, CHANGE_EVENT))
        out.append((ev, T.LABEL, T.vi(c.label)))
        out.append((ev, ORIGINAL, iri))
        out.append((ev, RESULTING, res))
        out.append((ev, T.ttdn("changeKind"), T.string(c.kind)))
        if c.date:
            out.append((ev, DATE, T.date(c.date)))
        out.append((ev, SOURCE, T.iri(c.source_url)))
        out.append((ev, CITATION, T.vi(c.citation)))
        out.append((iri, CHANGED_BY, ev))
        out.append((res, RESULTED_FROM, ev))
        if c.kind in ("merger", "rename"):
            out.append((iri, T.ttdn("successor"), res))
            if c.date:
                out.append((iri, T.ttdn("successionDate"), T.date(c.date)))
    return iri
