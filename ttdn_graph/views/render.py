"""ViewGraph → HTML fragment through pyvis (Network.generate_html) with our own template.

pyvis' stock template pulls bootstrap, tom-select and vis-network from CDNs even with cdn_resources="local"
(pyvis issues #228, #229); ours (templates/network.html) emits only a container and an inline script, and the page
loads vis-network from the site (`VIS_DIR` holds the copy bundled inside the pyvis package).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyvis
from markupsafe import Markup
from pyvis.network import Network

from ttdn_graph.views.model import ViewGraph

TEMPLATE_DIR = Path(__file__).parent / "templates"
VIS_DIR = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
VIS_FILES = ("vis-network.min.js", "vis-network.css")
STABILIZATION_ITERATIONS = 150


def network_options(hierarchical: bool, preset: bool = False) -> dict[str, Any]:
    """vis-network options: bounded stabilisation (the page turns physics off once it is done); with `preset`, the
    nodes' own x, y and no physics at all (the layout is the builder's)."""
    opts: dict[str, Any] = {
        "autoResize": True,
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True, "keyboard": False},
        "nodes": {"font": {"size": 12, "face": "sans-serif", "color": "#1c2833"}, "borderWidth": 1},
        "edges": {"smooth": False, "selectionWidth": 2},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -45, "centralGravity": 0.01, "springLength": 90,
                                 "springConstant": 0.06, "avoidOverlap": 0.2},
            "stabilization": {"enabled": True, "iterations": STABILIZATION_ITERATIONS, "updateInterval": 25,
                              "fit": True},
            "minVelocity": 1.5,
        },
    }
    if hierarchical:
        opts["layout"] = {"hierarchical": {"enabled": True, "direction": "UD", "sortMethod": "directed",
                                           "levelSeparation": 140, "nodeSpacing": 170, "treeSpacing": 200,
                                           "shakeTowards": "roots"}}
        opts["physics"]["solver"] = "hierarchicalRepulsion"
        opts["physics"]["hierarchicalRepulsion"] = {"nodeDistance": 150, "avoidOverlap": 0.5}
        opts["edges"]["smooth"] = {"enabled": True, "type": "cubicBezier", "forceDirection": "vertical",
                                   "roundness": 0.4}
        opts["nodes"]["font"]["multi"] = False
    if preset:
        opts["physics"] = {"enabled": False}
        opts["edges"]["smooth"] = False
        opts["interaction"]["hideEdgesOnDrag"] = False
    return opts


def build_network(graph: ViewGraph, *, height: str = "72vh") -> Network:
    net = Network(height=height, width="100%", directed=True, notebook=False, cdn_resources="local")
    net.set_template_dir(str(TEMPLATE_DIR), "network.html")
    for n in graph.nodes:
        opts = n.vis()
        net.add_node(n.id, label=opts.pop("label"), shape=opts.pop("shape"), color=opts.pop("color"), **opts)
    for e in graph.edges:
        net.add_edge(e.source, e.target, **e.vis())
    net.options = network_options(graph.hierarchical, preset=graph.layout == "preset")
    return net


def render_network(graph: ViewGraph, *, height: str = "72vh") -> Markup:
    """The network as an HTML fragment (container + inline script) for a page that already loads vis-network."""
    html = build_network(graph, height=height).generate_html(name="network.html", notebook=False)
    return Markup(html)
