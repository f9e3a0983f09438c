"""Records → RDF: stable identities (identity.py), and the per-document graph builder (build.py)."""

from ttdn_graph.graph.build import SourceMeta, build_quads, source_graph
from ttdn_graph.graph.identity import Iris

__all__ = ["Iris", "SourceMeta", "build_quads", "source_graph"]
