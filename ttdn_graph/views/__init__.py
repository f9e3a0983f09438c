"""Views of the graph for the web pages: linked-data descriptions, the index and search, pyvis networks.

No web framework here: builders take a store and a `link(iri) -> url` function and return typed, JSON-ready data;
`render_network` turns a ViewGraph into an HTML fragment with pyvis.
"""

from ttdn_graph.views.agency_graph import MAX_NODES, AgencySelection, agency_task_graph
from ttdn_graph.views.cascade import cascade_graph
from ttdn_graph.views.catalogue import search, summary
from ttdn_graph.views.model import LegendItem, ViewEdge, ViewGraph, ViewNode
from ttdn_graph.views.render import VIS_DIR, VIS_FILES, render_network
from ttdn_graph.views.resource import ResourceView, describe, subgraph

__all__ = [
    "MAX_NODES",
    "VIS_DIR",
    "VIS_FILES",
    "AgencySelection",
    "LegendItem",
    "ResourceView",
    "ViewEdge",
    "ViewGraph",
    "ViewNode",
    "agency_task_graph",
    "cascade_graph",
    "describe",
    "render_network",
    "search",
    "subgraph",
    "summary",
]
