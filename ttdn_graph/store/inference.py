"""Materialised inferences, kept in their own graph (…/id/graph/inferred) and recomputed from the base graphs.

- ttdn:derivesFrom: the transitive closure of ttdn:legalBasis | ttdn:implements, plus a ttdn:Derivation node per
  pair with ttdn:cascadeDepth = the shortest path length. Path queries over millions of triples are slow
  (seconds); look-ups of materialised triples take milliseconds.
- corpus-wide counts (tasks per agency and per pair of agencies, citing plans per instrument): see `tallies`.
- ttdn:assignedAgency: every task's lead and support agencies (the ontology's super-property of ttdn:leadAgency and
  ttdn:supportAgency), so `?task ttdn:assignedAgency ?a` answers without a reasoner (see `tallies`).
- ttdn:within: the transitive closure of ttdn:withinUnit.
- tallies per unit, year, agency, agency type, theme and instrument, and the cascade and uptake summaries of every
  instrument, as Data Cube observations (see `cube`).
- skos:prefLabel of each agency and agency group: its label with a bare trailing level word completed by its unit's
  name ("Đài Phát thanh và Truyền hình tỉnh" → "… tỉnh Kon Tum"); of each administrative unit: its label.
Nothing here restates a fact of the document or entities graphs (graph.layout): each triple is stated once.
The new graph is compared with the stored one and only the difference is written, in one update request.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from dataclasses import dataclass

import pyoxigraph as ox

from ttdn_graph.graph.namespaces import RDF, RDFS, SKOS, TTDN, XSD
from ttdn_graph.lexicon import levels_of, text_levels
from ttdn_graph.resolve.iris import Iris
from ttdn_graph.store.base import GraphStore, write_difference
from ttdn_graph.store.cube import citing, cube_triples, summary_triples
from ttdn_graph.store.facts import read_facts
from ttdn_graph.store.tallies import tally_triples

_LEVEL_ENDINGS = tuple(w for k in ("province", "district") for w in levels_of(k) if w in text_levels())

@dataclass
class InferenceSummary:
    derivations: int
    within: int
    labels: int
    added: int
    removed: int
    seconds: float
    assigned: int = 0  # ttdn:assignedAgency triples (task, agency)
    observations: int = 0  # Data Cube observations: tallies and cascade / uptake summaries (store.cube)


def _closure(edges: dict[str, set[str]]) -> dict[tuple[str, str], int]:
    """Shortest distance for every reachable (source, target) pair, source ≠ target."""
    out: dict[tuple[str, str], int] = {}
    for src in edges:
        seen = {src: 0}
        dq = deque([src])
        while dq:
            n = dq.popleft()
            for m in edges.get(n, ()):
                if m not in seen:
                    seen[m] = seen[n] + 1
                    dq.append(m)
        for t, d in seen.items():
            if t != src:
                out[(src, t)] = d
    return out


def _not_inferred(g: str) -> str:
    return f"FILTER(?g != <{g}>)"


def inferred_triples(store: GraphStore, iris: Iris) -> tuple[set[tuple[str, str, str]], dict[str, int]]:
    """The inferred graph as N-Triples term strings, computed from the base graphs."""
    inf = iris.inferred_graph
    a, ttdn = f"<{RDF}type>", lambda x: f"<{TTDN}{x}>"
    triples: set[tuple[str, str, str]] = set()

    edges: dict[str, set[str]] = defaultdict(set)
    for r in store.query(
        f"SELECT DISTINCT ?s ?o WHERE {{ GRAPH ?g {{ ?s <{TTDN}legalBasis>|<{TTDN}implements> ?o }} "
        f"{_not_inferred(inf)} FILTER(isIRI(?o)) }}"
    ):
        edges[r["s"].value].add(r["o"].value)
    pairs = _closure(edges)
    for (s, t), d in pairs.items():
        triples.add((f"<{s}>", ttdn("derivesFrom"), f"<{t}>"))
        node = f"<{iris.derivation(s, t)}>"
        triples.add((node, a, ttdn("Derivation")))
        triples.add((node, ttdn("derivationSource"), f"<{s}>"))
        triples.add((node, ttdn("derivationTarget"), f"<{t}>"))
        triples.add((node, ttdn("cascadeDepth"), f'"{d}"^^<{XSD}integer>'))

    found: dict = {}
    tallies, tally_counts = tally_triples(store, iris.agency_pair, _not_inferred(inf), found)
    triples |= tallies

    up: dict[str, set[str]] = defaultdict(set)
    for r in store.query(
        f"SELECT DISTINCT ?u ?p WHERE {{ GRAPH ?g {{ ?u <{TTDN}withinUnit> ?p }} {_not_inferred(inf)} }}"
    ):
        up[r["u"].value].add(r["p"].value)
    within = _closure(up)
    within_of: dict[str, set[str]] = defaultdict(set)
    for u, p in within:
        triples.add((f"<{u}>", ttdn("within"), f"<{p}>"))
        within_of[u].add(p)

    # the Data Cube tallies and the cascade and uptake summaries (store.cube), from flat reads joined here
    facts = read_facts(store, within_of, iris.country)
    cube, cube_counts = cube_triples(facts, found["roles"], found["plans_citing"], iris)
    summaries, summary_counts = summary_triples(facts, pairs, citing(facts, facts.citations), iris)
    triples |= cube | summaries

    # three flat look-ups joined here: a SPARQL join across graphs would multiply by the graphs repeating a fact
    names: dict[str, set[str]] = defaultdict(set)
    for r in store.query(f"SELECT DISTINCT ?a ?l WHERE {{ VALUES ?c {{ <{TTDN}Agency> <{TTDN}AgencyGroup> }} "
                         f"GRAPH ?g {{ ?a a ?c ; <{RDFS}label> ?l }} "
                         f"{_not_inferred(inf)} }}"):
        names[r["a"].value].add(r["l"].value)
    # the first unit / label in code-point order, taken here: an ORDER BY in the store costs 5× the query
    unit_of: dict[str, str] = {}
    for r in store.query(f"SELECT DISTINCT ?a ?u WHERE {{ VALUES ?c {{ <{TTDN}Agency> <{TTDN}AgencyGroup> }} "
                         f"GRAPH ?g {{ ?a a ?c ; "
                         f"<{TTDN}jurisdiction> ?u }} {_not_inferred(inf)} }}"):
        a, u = r["a"].value, r["u"].value
        if a not in unit_of or u < unit_of[a]:
            unit_of[a] = u
    unit_label: dict[str, str] = {}
    for r in store.query(f"SELECT DISTINCT ?u ?l WHERE {{ GRAPH ?g {{ ?u a <{TTDN}AdministrativeUnit> ; "
                         f"<{RDFS}label> ?l }} {_not_inferred(inf)} }}"):
        u, lbl = r["u"].value, r["l"].value
        if u not in unit_label or lbl < unit_label[u]:
            unit_label[u] = lbl
    labels: dict[str, tuple[str, str]] = {}
    for agency, variants in names.items():
        unit = unit_label.get(unit_of.get(agency, ""), "")
        for name in variants:
            if unit and name.casefold().endswith(_LEVEL_ENDINGS) and unit.casefold() not in name.casefold():
                name = f"{name} {unit}"
            cur = labels.get(agency)
            if cur is None or (len(name), name) > (len(cur[0]), cur[0]):
                labels[agency] = (name, unit)
    for agency, (name, _) in labels.items():
        triples.add((f"<{agency}>", f"<{SKOS}prefLabel>", str(ox.Literal(name, language="vi"))))
    # a unit's label is repeated in every graph of it or of a unit within it (hundreds); one copy here is what
    # per-row look-ups of a plan's jurisdiction read
    for unit, lbl in unit_label.items():
        triples.add((f"<{unit}>", f"<{SKOS}prefLabel>", str(ox.Literal(lbl, language="vi"))))
    return triples, {"derivations": len(pairs), "within": len(within), "labels": len(labels) + len(unit_label),
                     **tally_counts, "observations": sum(cube_counts.values()) + sum(summary_counts.values())}


def recompute_inferred(store: GraphStore) -> InferenceSummary:
    """Bring the inferred graph in line with the base graphs (one update request; nothing when unchanged)."""
    t0 = time.perf_counter()
    iris = Iris(store.base)
    inf = iris.inferred_graph
    new, counts = inferred_triples(store, iris)
    old = {
        (str(r["s"]), str(r["p"]), str(r["o"]))
        for r in store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{inf}> {{ ?s ?p ?o }} }}")
    }
    # sorted: the same request text for the same change (a graph written new is one bulk write: no text to keep)
    add, remove = (sorted(new - old), sorted(old - new)) if old else (list(new), [])
    write_difference(store, inf, add, remove)
    return InferenceSummary(counts["derivations"], counts["within"], counts["labels"], len(add), len(remove),
                            time.perf_counter() - t0, counts["assigned"], counts["observations"])
