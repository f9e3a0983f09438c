"""The shape every view builds before rendering: plain nodes, edges and a legend, JSON-ready.

Builders (agency_graph, cascade) know the store, not the page; the renderer knows pyvis, not the store.
`link` turns an IRI into the URL of its page; the API passes its own route rule.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

Link = Callable[[str], str]


def tooltip(*lines: str | None) -> str:
    """The node/edge tooltip as HTML: every line escaped (document text never reaches the DOM as markup)."""
    return "<br>".join(html.escape(x, quote=True) for x in lines if x)


def shorten(text: str, limit: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class ViewNode:
    id: str  # the IRI
    label: str  # plain text (vis draws it on the canvas, never as HTML)
    title: str  # HTML with every document-derived part escaped (see tooltip())
    kind: str  # task | agency | group | instrument | plan
    color: str
    url: str  # the node's page, a site-relative path
    shape: str = "dot"
    level: int | None = None  # hierarchical layouts only
    group: str | None = None  # agency type id, cascade tier …
    size: int | None = None
    border_dashes: bool = False
    font_color: str | None = None
    font_size: int | None = None
    width: int | None = None  # a box's widest, in pixels: longer labels wrap
    x: float | None = None  # a fixed position (ViewGraph.layout "preset")
    y: float | None = None

    def vis(self) -> dict[str, Any]:
        """Options for pyvis add_node (vis-network node fields)."""
        d: dict[str, Any] = {"label": self.label, "title": self.title, "color": self.color, "shape": self.shape,
                             "url": self.url, "kind": self.kind, "iri": self.id}
        if self.level is not None:
            d["level"] = self.level
        if self.size is not None:
            d["size"] = self.size
        if self.font_color or self.font_size:
            d["font"] = {k: v for k, v in (("color", self.font_color), ("size", self.font_size)) if v}
        if self.border_dashes:
            d["shapeProperties"] = {"borderDashes": [4, 3]}
        if self.width:
            d["widthConstraint"] = {"maximum": self.width}
        if self.x is not None and self.y is not None:
            d["x"], d["y"] = round(self.x, 1), round(self.y, 1)
        return d


@dataclass
class ViewEdge:
    source: str
    target: str
    kind: str  # lead | support | legalBasis | implements
    color: str
    dashes: bool = False
    width: float = 1.0
    title: str = ""
    arrows: str = "to"  # "" for none

    def vis(self) -> dict[str, Any]:
        return {"color": self.color, "dashes": self.dashes, "width": self.width, "title": self.title,
                "kind": self.kind, "arrows": {"to": {"enabled": bool(self.arrows), "scaleFactor": 0.6}}}


@dataclass
class LegendItem:
    label: str
    color: str
    kind: str = "node"  # node | edge
    dashes: bool = False
    shape: str = "dot"
    count: int | None = None


@dataclass
class ViewGraph:
    title: str
    nodes: list[ViewNode] = field(default_factory=list)
    edges: list[ViewEdge] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)
    total_nodes: int = 0  # before the cap
    limit: int = 0
    truncated: bool = False
    message: str | None = None
    hierarchical: bool = False
    params: dict[str, Any] = field(default_factory=dict)
    layout: str = "auto"  # auto: physics lays the nodes out; preset: nodes carry x, y and physics is off
    facets: dict[str, Any] = field(default_factory=dict)  # values a view can be filtered by (provinces, years)

    CSV_HEADER = ("source", "source_label", "source_kind", "relation", "target", "target_label", "target_kind")

    def csv_rows(self) -> list[tuple[str, ...]]:
        """The view as a table: one row per edge (IRIs, labels, kinds), then a row per node no edge touches."""
        nodes = {n.id: n for n in self.nodes}
        rows, touched = [], set()
        for e in self.edges:
            a, b = nodes.get(e.source), nodes.get(e.target)
            rows.append((e.source, a.label if a else "", a.kind if a else "", e.kind,
                         e.target, b.label if b else "", b.kind if b else ""))
            touched |= {e.source, e.target}
        rows += [(n.id, n.label, n.kind, "", "", "", "") for n in self.nodes if n.id not in touched]
        return rows

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "nodes": [asdict(n) for n in self.nodes],
            "edges": [asdict(e) for e in self.edges],
            "legend": [asdict(i) for i in self.legend],
            "total_nodes": self.total_nodes,
            "shown_nodes": len(self.nodes),
            "limit": self.limit,
            "truncated": self.truncated,
            "message": self.message,
            "params": self.params,
            "layout": self.layout,
            "facets": self.facets,
        }
