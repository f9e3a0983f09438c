"""Agencies as W3C ORG organisations: classification, parent body and the renames and mergers a body went through.

`org_node(ref, iris)` resolves what ORG says of one body beyond its type, label and jurisdiction (an OrgNode, which
graph.organisations maps to triples): `org:classification` (its agency-type concept), `org:subOrganizationOf` its parent body
(data/lexicon/agency_parents.csv; central bodies: the gazetteer's parent column) and, for each row of
data/lexicon/agency_changes.csv about it, an `org:ChangeEvent` (`org:originalOrganization`,
`org:resultingOrganization`, `dcterms:date`, `dcterms:source`), with the parent and resulting bodies described the
same way. Every subject is an agency node or a change event minted from the body's identity (unit path and key), and
the facts depend on the body only, not on the document that names it.
"""

from __future__ import annotations

from functools import lru_cache

from ttdn_graph.lexicon import central_bodies
from ttdn_graph.lexicon.organisations import (
    AgencyChange,
    ParentRule,
    agency_changes,
    change_labels,
    fill,
    level_applies,
    parent_rules,
    unit_kind,
)
from ttdn_graph.resolve.agencies import AgencyRef, _ref, body_head, canonical_name, identity_key
from ttdn_graph.resolve.iris import Iris, concept
from ttdn_graph.resolve.model import OrgChange, OrgNode
from ttdn_graph.resolve.slug import slug
from ttdn_graph.resolve.units import VN, Unit


def _known(u: Unit) -> bool:
    return u.is_country or u.parent is not None


def body(name: str, unit: Unit, type_id: str | None = None) -> AgencyRef:
    """The body a rule names ("Ủy ban nhân dân", "Sở Khoa học và Công nghệ") in a unit."""
    ref = _ref(name, unit, False)
    if type_id and ref.type_id != type_id:
        ref = AgencyRef(ref.key, unit, ref.name, False, type_id, canonical_name(ref.name, unit, type_id))
    return ref


def _parent_unit(rule_unit: str, unit: Unit) -> Unit:
    return VN if rule_unit == "central" else unit.province if rule_unit == "province" else unit


def parents(ref: AgencyRef) -> list[AgencyRef]:
    """The bodies `ref` is a sub-organisation of (data/lexicon/agency_parents.csv; a central body's gazetteer
    parent)."""
    if ref.group or not _known(ref.unit):
        return []
    if ref.unit.is_country:
        by_slug = {slug(n): b for b in central_bodies() for n in (b.name, *b.aliases)}
        b = by_slug.get(slug(ref.canonical or ref.name))
        if b is None or not b.parent:
            return []
        p = body(b.parent, VN)
        return [] if p.key == ref.key else [p]
    out = []
    head = body_head(ref.name, ref.unit)
    for r in parent_rules():
        if r.agency_type != ref.type_id or not level_applies(r.level, ref.unit):
            continue
        if r.rx is not None and not r.rx.search(head):
            continue
        p = _rule_parent(r, ref.unit)
        if p is not None and (p.key, p.unit) != (ref.key, ref.unit):
            out.append(p)
    return out


def _rule_parent(r: ParentRule, unit: Unit) -> AgencyRef | None:
    name = fill(r.parent, unit)
    if name is None:
        return None
    pu = _parent_unit(r.parent_unit, unit)
    if not _known(pu):
        return None
    return body(name, pu, r.parent_type)


def changes(ref: AgencyRef) -> list[tuple[AgencyChange, AgencyRef]]:
    """(change, resulting body) for every row of data/lexicon/agency_changes.csv about this body; rows restricted to
    the body's province replace the general rows for the same original."""
    if ref.group or not _known(ref.unit):
        return []
    kind = unit_kind(ref.unit)
    province = slug(ref.unit.province.name) if not ref.unit.is_country else None
    found: list[AgencyChange] = []
    for c in agency_changes():
        if c.level != kind or (c.province and slug(c.province) != province):
            continue
        if identity_key(c.original, ref.unit) == ref.key:
            found.append(c)
    specific = {c.original for c in found if c.province}
    found = [c for c in found if c.province or c.original not in specific]
    out = []
    for c in found:
        unit = VN if c.level == "central" else ref.unit
        out.append((c, body(c.result, unit)))
    return out


def org_node(ref: AgencyRef, iris: Iris) -> OrgNode:
    """The ORG description of a body and of the bodies it names (parents, resulting bodies), each described once:
    a body met again on the same walk is only linked (described=False)."""
    return _org_node(ref, iris.base)


@lru_cache(maxsize=16384)
def _org_node(ref: AgencyRef, base: str) -> OrgNode:
    return _describe(ref, Iris(base), set(), root=True)


def _describe(ref: AgencyRef, iris: Iris, seen: set[str], root: bool = False) -> OrgNode:
    iri = iris.agency(ref.unit.path, ref.key)
    label = ref.canonical or ref.name
    type_iri = concept("agency-type", ref.type_id) if ref.type_id else None
    jurisdiction = iris.unit(ref.unit.path)
    if iri in seen:
        return OrgNode(iri, False, root, label, type_iri, jurisdiction)
    seen.add(iri)
    ps = tuple(_describe(p, iris, seen) for p in parents(ref))
    cs = []
    for c, result in changes(ref):
        res = _describe(result, iris, seen)
        verb, prep = change_labels()[c.kind]  # data/lexicon/change_labels.csv
        cs.append(OrgChange(f"{iri}/change/{c.id}", c.id, c.kind,
                            f"{verb} {ref.canonical or ref.name} {prep} {result.canonical or result.name}",
                            c.date.isoformat() if c.date else None, c.source_url, c.source, res))
    return OrgNode(iri, True, root, label, type_iri, jurisdiction, ps, tuple(cs))
