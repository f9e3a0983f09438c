"""What an embedded store keeps beside its folder: the original files (content-addressed) and the search index.

    var/store                  the Oxigraph (RocksDB) folder: only RocksDB's own files
    var/store.files/ab/ab12…   each loaded file's bytes, named by their SHA-256 (ttdn:sha256 of its source node)
    var/store.search.sqlite    the search index (ttdn_graph.search), derived from the store after every load

Why beside and not inside: RocksDB's folder stays RocksDB's (its snapshot signature, web/worker.py, reads every
name in it), and nothing here is the truth — the graph is. An original is written (temporary file, then rename)
before its document's graph, so an interrupted load leaves at most an orphan no graph names; the search index is
rebuilt from the store into a temporary file and renamed over the old one, so a reader sees the old or the new
index whole.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

_SHA256 = re.compile(r"[0-9a-f]{64}")


def files_dir(store_path: str | Path) -> Path:
    p = Path(store_path)
    return p.with_name(p.name + ".files")


def search_path(store_path: str | Path) -> Path:
    p = Path(store_path)
    return p.with_name(p.name + ".search.sqlite")


def original_path(store_path: str | Path, sha256: str) -> Path | None:
    """Where the original with this digest is (or would be) kept; None for what is no SHA-256 (no path from it)."""
    if not _SHA256.fullmatch(sha256 or ""):
        return None
    return files_dir(store_path) / sha256[:2] / sha256


class ChangedFile(Exception):
    """The file's bytes are not the ones that were read (it changed during the load)."""


def keep_original(store_path: str | Path, source: str | Path, sha256: str) -> Path:
    """Copy `source` into the store's originals under its digest (once: the same bytes are kept once); raises
    ChangedFile when its bytes no longer hash to `sha256`, OSError when it cannot be read or written."""
    target = original_path(store_path, sha256)
    if target is None:
        raise ValueError(f"not a SHA-256 digest: {sha256!r}")
    if target.is_file():
        return target
    data = Path(source).read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ChangedFile(f"{Path(source).name} changed while it was loaded (its bytes are not the ones read)")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


__all__ = ["ChangedFile", "files_dir", "keep_original", "original_path", "search_path"]
