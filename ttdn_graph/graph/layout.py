"""Where each triple of a document lives, so that the union default graph states every fact once.

- The **document graph** (…/id/source/<file>) holds what only this document can say: its source node, its plan's
  own statements (tasks, basis and citations, period, signer, derivation), its tasks, citation acts (printed form,
  line), responsibilities and warnings — and one **statement** node per shared entity it mentions
  (…/source/<file>/about/<hash>, `ttdn:about` the entity) carrying what the document *claims* about it
  (`ttdn:statedNumber`, `ttdn:statedDate`, `ttdn:statedTitle`, `ttdn:statedIssuer` …).
- The **entities graph** (…/id/graph/entities) holds every shared entity (unit, agency, group, instrument, cited or
  loaded plan, instant) once: its identity facts (types, jurisdiction, type concept …), computed from its identity,
  and the one value consolidated from all documents' claims (graph.consolidate). An entity no document mentions any
  more is removed with its facts.
A naive `?s ?p ?o` over the default graph then meets each triple once, and "which document says so, at which line"
stays a `GRAPH ?g` or `ttdn:about` away.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Quad

from ttdn_graph.graph import terms as T
from ttdn_graph.graph.namespaces import DCTERMS, PROV, RDFS, SKOS, TTDN

Obj = NamedNode | Literal

# an entity property whose value documents may state differently → the statement property that records the claim
CLAIM_OF: dict[str, str] = {
    RDFS + "label": TTDN + "statedLabel",
    TTDN + "number": TTDN + "statedNumber",
    TTDN + "title": TTDN + "statedTitle",
    TTDN + "dateIssued": TTDN + "statedDate",
    TTDN + "numberKey": TTDN + "statedNumberKey",
    SKOS + "hiddenLabel": TTDN + "statedLookupKey",
    SKOS + "altLabel": TTDN + "statedAltLabel",
    TTDN + "issuedBy": TTDN + "statedIssuer",
    TTDN + "implements": TTDN + "statedImplements",
    TTDN + "amends": TTDN + "statedAmends",
}
PROPERTY_OF: dict[str, str] = {v: k for k, v in CLAIM_OF.items()}
# one value per entity (chosen by consolidate); the others are unions of what the documents say
SINGLE = frozenset({RDFS + "label", TTDN + "number", TTDN + "title", TTDN + "dateIssued"})
# properties that are stated alongside another and so are not claimed on their own (dcterms:title = ttdn:title)
DERIVED = frozenset({DCTERMS + "title"})
# statements about a document's own plan that belong to the document (only it can say them)
PLAN_OWN = frozenset(TTDN + p for p in (
    "hasTask", "legalBasis", "cites", "proposal", "period", "periodStart", "periodEnd", "signer", "signerPosition",
)) | {PROV + "wasDerivedFrom"}

_OWN, _PLAN, _ENTITY = 0, 1, 2  # what a subject is to one document (Router)
ABOUT = TTDN + "about"
AUTHORITATIVE = TTDN + "authoritative"
STATEMENT = TTDN + "Statement"


def statement_iri(graph: str, entity: str) -> str:
    """The node of one document's claims about one entity: stable for the pair, inside the document's namespace."""
    return f"{graph}/about/{hashlib.sha1(entity.encode()).hexdigest()[:16]}"


def entities_graph(base: str) -> str:
    return f"{base}graph/entities"


@dataclass
class DocumentQuads:
    """One document's contribution: its own graph's quads and the identity facts of the entities it mentions."""

    graph: str
    own: list[Quad]
    facts: dict[str, list[tuple[NamedNode, Obj]]]  # entity → identity facts (entities graph)
    authoritative: frozenset[str] = frozenset()  # entities this document is the source of (its plan)

    def __len__(self) -> int:
        return len(self.own) + sum(len(v) for v in self.facts.values())


@dataclass
class Router:
    """Takes the builder's (s, p, o) and sends each to the document graph, a statement node or the entity's facts."""

    graph: str
    plan_iri: str | None = None
    own: T.Quads = field(init=False)
    facts: dict[str, dict[tuple[NamedNode, Obj], None]] = field(default_factory=dict)
    _statements: dict[str, str] = field(default_factory=dict)  # entity → its statement node in this document
    _kinds: dict[str, int] = field(default_factory=dict)  # subject → _OWN | _PLAN | _ENTITY (a build asks millions)

    def __post_init__(self) -> None:
        self.own = T.Quads(self.graph)
        self._prefix = self.graph + "/"

    def _kind(self, s: str) -> int:
        pi = self.plan_iri
        if s == self.graph or s.startswith(self._prefix) or (pi is not None and s.startswith(pi + "/")):
            kind = _OWN
        else:
            kind = _PLAN if s == pi else _ENTITY
        self._kinds[s] = kind
        return kind

    def add(self, s: str | NamedNode, p: NamedNode, o: Obj | str | None) -> None:
        if o is None:
            return
        if o.__class__ is str:
            if not o:
                return
            o = T.iri(o)  # type: ignore[arg-type]
        s_val = s if s.__class__ is str else s.value  # type: ignore[union-attr]
        kind = self._kinds.get(s_val)
        if kind is None:
            kind = self._kind(s_val)
        pv = p.value
        if kind == _OWN or (kind == _PLAN and pv in PLAN_OWN):
            self.own.add(s_val, p, o)
            return
        if pv in DERIVED:
            return
        stmt = self._statements.get(s_val) or self._statement(s_val)
        claim = CLAIM_OF.get(pv)
        if claim is not None:
            self.own.add(stmt, T.iri(claim), o)
        else:
            self.facts.setdefault(s_val, {})[(p, o)] = None  # type: ignore[index]

    def _statement(self, entity: str) -> str:
        stmt = self._statements[entity] = statement_iri(self.graph, entity)
        self.own.add(stmt, T.A, T.iri(STATEMENT))
        self.own.add(stmt, T.iri(ABOUT), T.iri(entity))
        if entity == self.plan_iri:
            self.own.add(stmt, T.iri(AUTHORITATIVE), T.boolean(True))
        return stmt

    def mark_plan(self, plan_iri: str) -> None:
        """From now on, `plan_iri` is this document's own plan (its statement is authoritative)."""
        self.plan_iri = plan_iri
        self._kinds.clear()  # the plan's own nodes and statements are told apart from now on
        if plan_iri in self._statements:
            self.own.add(statement_iri(self.graph, plan_iri), T.iri(AUTHORITATIVE), T.boolean(True))

    def result(self, ordered: bool) -> DocumentQuads:
        own = self.own.sorted() if ordered else self.own.quads()
        facts = {e: list(f) for e, f in (sorted(self.facts.items()) if ordered else self.facts.items())}
        if ordered:
            facts = {e: sorted(f, key=lambda po: (str(po[0]), str(po[1]))) for e, f in facts.items()}
        auth = frozenset({self.plan_iri}) if self.plan_iri and self.plan_iri in self._statements else frozenset()
        return DocumentQuads(self.graph, own, facts, auth)
