"""Corpus-wide counts, computed once per load and kept in the inferred graph, with ttdn:assignedAgency.

A count over every role or citation edge (tasks an agency leads, plans citing an instrument, tasks two agencies
share) is a scan of hundreds of thousands of quads: seconds per query at 10,000 plans, on every request. Counted
here from two flat reads per load, it is one look-up per row. Alongside the counts: `task ttdn:assignedAgency
agency` for every lead or support link (the super-property, read from the same edges).

Counts are of distinct tasks / loaded plans / units; `tally_triples` gives N-Triples term strings, merged into the
inferred graph by `recompute_inferred`.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ttdn_graph.graph.namespaces import PROV, RDF, TTDN, XSD
from ttdn_graph.store.base import GraphStore

Triple = tuple[str, str, str]


@dataclass
class Roles:
    """Who is named on which task: agency → tasks it leads / supports, task → its agencies."""

    leads: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    supports: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    agencies_of: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    lead_of: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # task → its lead agencies
    support_of: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # task → its support agencies

    def add(self, task: str, agency: str, lead: bool) -> None:
        (self.leads if lead else self.supports)[agency].add(task)
        (self.lead_of if lead else self.support_of)[task].add(agency)
        self.agencies_of[task].add(agency)

    def pairs(self) -> Counter[tuple[str, str]]:
        """Tasks shared by each pair of agencies (first < second in code-point order)."""
        shared: Counter[tuple[str, str]] = Counter()
        for agencies in self.agencies_of.values():
            shared.update(itertools.combinations(sorted(agencies), 2))
        return shared


def _int(n: int) -> str:
    return f'"{n}"^^<{XSD}integer>'


def tally_triples(store: GraphStore, pair_iri: Callable[[str, str], str],
                  not_inferred: str, found: dict | None = None) -> tuple[set[Triple], dict[str, int]]:
    """Counts and assignedAgency links as N-Triples term strings. `not_inferred` is the FILTER that skips the inferred
    graph; `found`, when given, receives what was read ("roles", "plans_citing") for the cube tallies."""
    ttdn = lambda x: f"<{TTDN}{x}>"  # noqa: E731 - a short spelling of ttdn: terms
    triples: set[Triple] = set()

    roles = Roles()
    for prop, lead in (("leadAgency", True), ("supportAgency", False)):
        for r in store.query(f"SELECT DISTINCT ?t ?a WHERE {{ GRAPH ?g {{ ?t <{TTDN}{prop}> ?a }} {not_inferred} "
                             "FILTER(isIRI(?a)) }"):
            roles.add(r["t"].value, r["a"].value, lead)
    named = set(roles.leads) | set(roles.supports)
    # ttdn:assignedAgency, the super-property of leadAgency and supportAgency in the ontology, materialised: a task's
    # agencies in whatever role, one triple per (task, agency) however many documents or roles name the pair
    assigned = 0
    for task, agencies in roles.agencies_of.items():
        t = f"<{task}>"
        for agency in agencies:
            triples.add((t, ttdn("assignedAgency"), f"<{agency}>"))
        assigned += len(agencies)
    for agency in named:
        a = f"<{agency}>"
        triples.add((a, ttdn("leadTaskCount"), _int(len(roles.leads.get(agency, ())))))
        triples.add((a, ttdn("supportTaskCount"), _int(len(roles.supports.get(agency, ())))))
    shared = roles.pairs()
    # the national ranking (most shared tasks first, then the agencies' IRIs in code-point order, as SPARQL orders
    # IRIs): a query for the top pairs reads the first ranks instead of ordering every pair
    ranked = sorted(shared.items(), key=lambda kv: (-kv[1], kv[0][0], kv[0][1]))
    for rank, ((a, b), n) in enumerate(ranked, start=1):
        node = f"<{pair_iri(a, b)}>"
        triples.update({(node, f"<{RDF}type>", ttdn("AgencyPair")), (node, ttdn("firstAgency"), f"<{a}>"),
                        (node, ttdn("secondAgency"), f"<{b}>"), (node, ttdn("sharedTaskCount"), _int(n)),
                        (node, ttdn("sharedTaskRank"), _int(rank))})

    # citations of loaded plans (a loaded plan is derived from its own document graph), as most-cited counts them
    plans_citing: dict[str, set[str]] = defaultdict(set)
    for r in store.query(f"SELECT DISTINCT ?p ?i WHERE {{ GRAPH ?g {{ ?p <{PROV}wasDerivedFrom> ?g ; "
                         f"<{TTDN}legalBasis>|<{TTDN}cites> ?i }} ?p a <{TTDN}Plan> FILTER(isIRI(?i)) }}"):
        plans_citing[r["i"].value].add(r["p"].value)
    units_of: dict[str, set[str]] = defaultdict(set)
    for r in store.query(f"SELECT DISTINCT ?p ?j WHERE {{ GRAPH ?g {{ ?p <{PROV}wasDerivedFrom> ?g }} "
                         f"?p a <{TTDN}Plan> ; <{TTDN}jurisdiction> ?j }}"):
        units_of[r["p"].value].add(r["j"].value)
    for instrument, plans in plans_citing.items():
        i = f"<{instrument}>"
        units = set().union(*(units_of.get(p, set()) for p in plans))
        triples.add((i, ttdn("citingPlanCount"), _int(len(plans))))
        triples.add((i, ttdn("citingUnitCount"), _int(len(units))))
    if found is not None:
        found.update(roles=roles, plans_citing=plans_citing)
    return triples, {"agencies": len(named), "pairs": len(shared), "cited": len(plans_citing), "assigned": assigned}

