"""The cascade of one instrument: what derives from it (down) or what a plan derives from (up), layered by tier.

Uses the materialised closure (ttdn:Derivation nodes with ttdn:cascadeDepth; plain ttdn:derivesFrom, then the
property path, when a store lacks them) and draws the direct ttdn:legalBasis / ttdn:implements links among the
nodes found. Tiers: Party → Government → Ministry → Province → District → Commune, from the issuers' agency types
and the instruments' jurisdictions, with the symbol's issuer codes ("CT-TW", "QĐ-TTg", looked up in
data/gazetteer/central_bodies.csv) as a last resort.
"""

from __future__ import annotations

from typing import Any

from ttdn_graph.graph.namespaces import PROV, RDF, TTDN
from ttdn_graph.resolve.tiers import TYPE_TIER, UNIT_TIER, symbol_tier, tier_of  # noqa: F401 - named here as before
from ttdn_graph.views.labels import labels
from ttdn_graph.views.model import LegendItem, Link, ViewEdge, ViewGraph, ViewNode, shorten, tooltip
from ttdn_graph.views.palette import BASIS_COLOR, IMPLEMENTS_COLOR, agency_types
from ttdn_graph.views.sorting import natural_key

MAX_NODES = 600
TIERS = [  # (level, vi, en, colour)
    (0, "Đảng (Trung ương)", "Party (central)", "#c0392b"),
    (1, "Quốc hội, Chính phủ, Thủ tướng", "National Assembly, Government, Prime Minister", "#d68910"),
    (2, "Bộ, ngành trung ương", "Ministries and central bodies", "#7d3c98"),
    (3, "Tỉnh", "Province", "#1e8449"),
    (4, "Huyện", "District", "#2874a6"),
    (5, "Xã", "Commune", "#5d6d7e"),
]
EDGE_KINDS = {f"{TTDN}legalBasis": "legalBasis", f"{TTDN}implements": "implements"}


def _values(var: str, iris: list[str]) -> str:
    return f"VALUES {var} {{ {' '.join(f'<{i}>' for i in sorted(set(iris)))} }}"


def _related(store: Any, iri: str, up: bool) -> dict[str, int | None]:
    """Nodes reachable along the cascade with their depth (None when the store has no Derivation nodes)."""
    me, other = ("derivationSource", "derivationTarget") if up else ("derivationTarget", "derivationSource")
    rows = store.query(f"SELECT ?x (MIN(?d) AS ?depth) WHERE {{ ?n a <{TTDN}Derivation> ; <{TTDN}{me}> <{iri}> ; "
                       f"<{TTDN}{other}> ?x ; <{TTDN}cascadeDepth> ?d }} GROUP BY ?x")
    if rows:
        return {r["x"].value: int(r["depth"].value) for r in rows}
    path = f"<{TTDN}derivesFrom>"
    rows = store.query(f"SELECT DISTINCT ?x WHERE {{ <{iri}> {path} ?x }}" if up
                       else f"SELECT DISTINCT ?x WHERE {{ ?x {path} <{iri}> }}")
    if not rows:
        path = f"(<{TTDN}legalBasis>|<{TTDN}implements>)+"
        rows = store.query(f"SELECT DISTINCT ?x WHERE {{ <{iri}> {path} ?x }}" if up
                           else f"SELECT DISTINCT ?x WHERE {{ ?x {path} <{iri}> }}")
    return {r["x"].value: None for r in rows if r["x"].value != iri}


def _facts(store: Any, iris: list[str], pattern: str, chunk: int = 400) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for k in range(0, len(iris), chunk):
        out += store.query(f"SELECT * WHERE {{ {_values('?x', iris[k:k + chunk])} {pattern} }}")
    return out


def cascade_graph(store: Any, iri: str, link: Link, *, up: bool = False, limit: int = MAX_NODES) -> ViewGraph:
    limit = max(1, min(int(limit or MAX_NODES), MAX_NODES))
    g = ViewGraph("Cascade " + ("up (what it derives from)" if up else "down (what derives from it)"),
                  limit=limit, hierarchical=True, params={"iri": iri, "direction": "up" if up else "down"})
    if not store.ask(f"ASK {{ <{iri}> ?p ?o }}"):
        g.message = "Unknown instrument."
        return g
    related = _related(store, iri, up)
    g.total_nodes = 1 + len(related)
    g.truncated = bool(getattr(store, "truncated", False))  # an answer cut at the query service's result cap
    order = sorted(related, key=lambda x: (related[x] if related[x] is not None else 99, natural_key(x)))
    if len(order) + 1 > limit:
        order, g.truncated = order[: limit - 1], True
    nodes = [iri, *order]

    numbers = {r["x"].value: r["n"].value for r in _facts(store, nodes, f"?x <{TTDN}number> ?n")}
    dates = {r["x"].value: r["d"].value for r in _facts(store, nodes, f"?x <{TTDN}dateIssued> ?d")}
    unit_cls: dict[str, set[str]] = {}
    for r in _facts(store, nodes, f"?x <{TTDN}jurisdiction> ?u . ?u <{RDF}type> ?c"):
        unit_cls.setdefault(r["x"].value, set()).add(r["c"].value)
    types = agency_types()
    issuer_types: dict[str, set[str]] = {}
    for r in _facts(store, nodes, f"?x <{TTDN}issuedBy> ?a . ?a <{TTDN}agencyType> ?t"):
        at = types.get(r["t"].value)
        if at:
            issuer_types.setdefault(r["x"].value, set()).add(at.id)
    loaded = {r["x"].value for r in _facts(store, nodes, f"?x <{PROV}wasDerivedFrom> ?s . ?s a <{TTDN}SourceDocument>")}
    edges = [(r["x"].value, r["p"].value, r["o"].value) for r in _facts(
        store, nodes, f"{_values('?p', list(EDGE_KINDS))} ?x ?p ?o . {_values('?o', nodes)}")]
    names = labels(store, nodes)

    used_tiers: dict[int, int] = {}
    for x in nodes:
        tier = tier_of(unit_cls.get(x, set()), issuer_types.get(x, set()), numbers.get(x))
        used_tiers[tier] = used_tiers.get(tier, 0) + 1
        _, vi, en, color = TIERS[tier]
        depth = 0 if x == iri else related.get(x)
        tip = tooltip(names.get(x, x), f"Số / number: {numbers[x]}" if x in numbers else None,
                      f"Ngày / issued: {dates[x]}" if x in dates else None, f"Cấp / tier: {vi} / {en}",
                      f"Bậc / cascade depth: {depth}" if depth is not None else None,
                      "Kế hoạch đã nạp / loaded plan" if x in loaded else None)
        g.nodes.append(ViewNode(x, shorten(numbers.get(x) or names.get(x, x), 34), tip,
                                "plan" if x in loaded else "instrument", color, link(x),
                                shape="box" if x in loaded else "dot", level=tier, group=f"tier-{tier}",
                                size=22 if x == iri else 12, font_color="#ffffff" if x in loaded else None))
    for s, p, o in sorted(set(edges)):
        kind = EDGE_KINDS[p]
        basis = kind == "legalBasis"
        g.edges.append(ViewEdge(s, o, kind, BASIS_COLOR if basis else IMPLEMENTS_COLOR, dashes=not basis,
                                width=1.4 if basis else 2.2,
                                title=tooltip("căn cứ / legal basis" if basis else "triển khai / implements")))
    g.legend = [LegendItem(f"{vi} / {en}", color, count=used_tiers[t]) for t, vi, en, color in TIERS
                if t in used_tiers]
    g.legend += [LegendItem("Kế hoạch đã nạp / loaded plan (box)", "#ffffff", shape="box"),
                 LegendItem("căn cứ / legal basis", BASIS_COLOR, kind="edge"),
                 LegendItem("triển khai / implements", IMPLEMENTS_COLOR, kind="edge", dashes=True)]
    if g.truncated:
        g.message = f"Showing {len(g.nodes)} of {g.total_nodes} instruments (limit {limit}), nearest first."
    elif len(nodes) == 1:
        g.message = "Nothing " + ("above" if up else "below") + " this instrument in the cascade."
    return g
