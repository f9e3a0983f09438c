"""ResolvedRecords → RDF: the per-document graph builder (build.py), where each triple lives (layout.py) and the
consolidation of documents' claims (consolidate.py). Identities and IRIs come from the resolve stage
(ttdn_graph.resolve, e.g. resolve.iris.Iris); nothing here reads text."""

from __future__ import annotations

from typing import Any

__all__ = ["SourceMeta", "build_document", "build_quads", "source_graph"]


def __getattr__(name: str) -> Any:  # lazy: ttdn_graph.resolve imports graph.namespaces, so this must not import it
    if name in __all__:
        from ttdn_graph.graph import build

        return getattr(build, name)
    raise AttributeError(name)
