"""Where the graph lives: embedded Oxigraph on disk (default) or a remote SPARQL 1.1 endpoint.

    with open_store() as store:                      # $TTDN_STORE or ./var/store
        store.query("SELECT ...")
    open_store(endpoint="http://127.0.0.1:7878/query")  # update endpoint defaults to …/update
"""

from __future__ import annotations

import os

from ttdn_graph.store.base import EXPORT_FORMATS, GraphStore, StoreError
from ttdn_graph.store.embedded import EmbeddedStore
from ttdn_graph.store.inference import recompute_inferred
from ttdn_graph.store.remote import RemoteStore
from ttdn_graph.store.resolver import StoreResolver


def open_store(
    path: str | None = None,
    *,
    endpoint: str | None = None,
    update_endpoint: str | None = None,
    read_only: bool = False,
    base: str | None = None,
    union_default_graph: bool = False,
) -> GraphStore:
    """The embedded store at `path` ($TTDN_STORE, ./var/store), or the endpoint (also $TTDN_ENDPOINT)."""
    endpoint = endpoint or (None if path else os.environ.get("TTDN_ENDPOINT"))
    if endpoint:
        return RemoteStore(endpoint, update_endpoint or os.environ.get("TTDN_UPDATE_ENDPOINT"),
                           read_only=read_only, base=base, union_default_graph=union_default_graph)
    return EmbeddedStore(path, read_only=read_only, base=base)


__all__ = [
    "EXPORT_FORMATS",
    "EmbeddedStore",
    "GraphStore",
    "RemoteStore",
    "StoreError",
    "StoreResolver",
    "open_store",
    "recompute_inferred",
]
