"""Load plan files (or extraction-record JSON) into a store: one transaction per document, then the inferences.

Extraction runs in worker processes (`jobs`); graph writes stay sequential and in path order, because identity
resolution reads what earlier documents wrote. A file that fails is reported (file, line, reason) and skipped.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ttdn_graph.errors import ReadError
from ttdn_graph.graph.build import SourceMeta, build_quads, source_graph
from ttdn_graph.record import Record, record_from_dict
from ttdn_graph.store.base import GraphStore
from ttdn_graph.store.inference import InferenceSummary, recompute_inferred
from ttdn_graph.store.resolver import StoreResolver

PLAN_SUFFIXES = {".txt", ".md", ".markdown", ".docx", ".pdf", ".html", ".htm", ".json"}


@dataclass
class LoadSummary:
    loaded: list[str] = field(default_factory=list)  # source file names whose graphs were written
    failed: list[tuple[str, int | None, str]] = field(default_factory=list)
    warnings: int = 0
    triples: int = 0  # quads written (sum over the document graphs)
    store_delta: int = 0  # change in the store's quad count, inferences included
    inference: InferenceSummary | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def lines(self) -> list[str]:
        out = [f"loaded {len(self.loaded)} document(s), {self.triples} triples written, "
               f"{self.warnings} warning(s), {len(self.failed)} failed, {self.seconds:.2f}s"]
        if self.inference:
            i = self.inference
            out.append(f"inferred: {i.derivations} derivesFrom pairs, {i.within} within pairs, {i.labels} labels "
                       f"(+{i.added}/-{i.removed} triples, {i.seconds:.2f}s)")
        for f, line, reason in self.failed:
            out.append(f"FAILED {f}{':' + str(line) if line else ''}: {reason}")
        return out


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and plan-like files under the folders named (sorted, hidden files skipped)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in PLAN_SUFFIXES
                              and not any(part.startswith(".") for part in f.relative_to(p).parts)))
        else:
            out.append(p)
    return out


def is_record_dict(d: object) -> bool:
    return isinstance(d, dict) and "plan" in d and ("source" in d or "tasks" in d)


def read_records(path: Path) -> list[Record]:
    """Records of one file: a .json extraction record (or a list of them) as-is, else the parser's output."""
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise ReadError(str(path), f"not a JSON extraction record: {e}") from e
        items = data if isinstance(data, list) else [data]
        if not items or not all(is_record_dict(d) for d in items):
            raise ReadError(str(path), "JSON is not an extraction record (needs 'plan' and 'source')")
        recs = [record_from_dict(d) for d in items]
        for r in recs:
            r.source = r.source or path.name
        return recs
    try:
        from ttdn_graph.extract import extract_file
    except ImportError as e:
        raise ReadError(str(path), f"no extractor available for {path.suffix} files ({e})") from e
    rec = extract_file(path)
    rec.source = rec.source or path.name
    return [rec]


def _extract(path: str) -> tuple[str, list[Record] | None, tuple[int | None, str] | None, str | None]:
    """Worker: (path, records, error, sha256 of the file)."""
    p = Path(path)
    try:
        digest = hashlib.sha256(p.read_bytes()).hexdigest()
    except OSError as e:
        return path, None, (None, f"cannot read: {e.strerror or e}"), None
    try:
        return path, read_records(p), None, digest
    except ReadError as e:
        return path, None, (e.line, e.reason), digest
    except Exception as e:  # noqa: BLE001 - a bad file must never stop the batch
        return path, None, (None, f"{type(e).__name__}: {e}"), digest


def _extracted(paths: Sequence[Path], jobs: int) -> Iterator[tuple]:
    names = [str(p) for p in paths]
    if jobs <= 1 or len(names) <= 1:
        yield from map(_extract, names)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(_extract, names, chunksize=max(1, min(16, len(names) // (jobs * 4) or 1)))


def load_record(store: GraphStore, record: Record, *, file_name: str | None = None, sha256: str | None = None,
                fmt: str | None = None, loaded_at: str | None = None) -> int:
    """Build and write one record's graph (replacing any earlier version); returns the number of quads."""
    name = file_name or record.source or "unnamed"
    meta = SourceMeta(name, sha256=record.sha256 or sha256, loaded_at=loaded_at,
                      format=record.format or fmt)
    quads = build_quads(record, source_meta=meta, resolver=StoreResolver(store), base=store.base)
    store.replace_graph(source_graph(name, store.base), quads)
    return len(quads)


def load_paths(paths: Iterable[str | Path], store: GraphStore, *, jobs: int = 1, progress: bool = True,
               infer: bool = True) -> LoadSummary:
    """Load every file (folders are walked); see LoadSummary. Inferences are recomputed once at the end."""
    t0 = time.perf_counter()
    files = expand_paths(paths)
    summary = LoadSummary()
    before = store.count_triples()
    loaded_at = datetime.now(UTC).replace(microsecond=0).isoformat()
    n = len(files)
    for i, (path, records, error, digest) in enumerate(_extracted(files, jobs), start=1):
        name = Path(path).name
        if error is not None:
            summary.failed.append((path, error[0], error[1]))
            _say(progress, f"[{i}/{n}] {name}: FAILED {error[1]}")
            continue
        for rec in records or []:
            try:
                is_record = path.lower().endswith(".json")  # the source's own hash and format are the record's
                k = load_record(store, rec, sha256=None if is_record else digest,
                                fmt=None if is_record else Path(path).suffix.lstrip(".") or None,
                                loaded_at=loaded_at)
            except Exception as e:  # noqa: BLE001 - report and go on with the batch
                summary.failed.append((path, None, f"{type(e).__name__}: {e}"))
                _say(progress, f"[{i}/{n}] {rec.source}: FAILED {e}")
                continue
            summary.loaded.append(rec.source)
            summary.triples += k
            summary.warnings += len(rec.warnings)
            _say(progress, f"[{i}/{n}] {rec.source}: {k} triples, {len(rec.tasks)} tasks"
                           + (f", {len(rec.warnings)} warnings" if rec.warnings else ""))
    if infer and (summary.loaded or not files):
        summary.inference = recompute_inferred(store)
    flush = getattr(store, "flush", None)
    if flush:
        flush()
    summary.store_delta = store.count_triples() - before
    summary.seconds = time.perf_counter() - t0
    return summary


def _say(on: bool, msg: str) -> None:
    if on:
        print(msg, file=sys.stderr, flush=True)
