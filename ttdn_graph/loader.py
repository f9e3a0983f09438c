"""Load plan files (or extraction-record JSON) into a store: one transaction per document, then the inferences.

Extraction runs in worker processes (`jobs`, at least one), each file under a time limit (ttdn_graph.workers); graph
writes stay sequential and in path order, because identity resolution reads what earlier documents wrote. A file
that fails (unreadable, over a reading limit, too slow) is reported (file, line, reason) and skipped: it never
reaches the store, so no graph is half-written.
Identity look-ups go through a LoadIndex: each key is read from the store once per load and then kept current with
the graphs the load writes, so a look-up costs the same at the 10,000th document as at the first.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ttdn_graph.errors import ReadError
from ttdn_graph.graph.build import build_document
from ttdn_graph.graph.layout import ABOUT, DocumentQuads
from ttdn_graph.graph.namespaces import TTDN
from ttdn_graph.ontology import OntologySync, sync_ontology
from ttdn_graph.readers.discover import Found, find_documents
from ttdn_graph.readers.limits import FILE_TIME_LIMIT
from ttdn_graph.record import Record, record_from_dict
from ttdn_graph.register import RegisterSync, sync_register
from ttdn_graph.resolve import Candidate, Resolver, SourceMeta, resolve, source_graph, task_themes
from ttdn_graph.sidecar import ChangedFile, keep_original, search_path
from ttdn_graph.sources import SourceUrlError, check_url, sidecar_url
from ttdn_graph.store.base import GraphStore, StoreError, holds_graph
from ttdn_graph.store.copies import PlanOwners
from ttdn_graph.store.description import DescriptionSync, sync_description
from ttdn_graph.store.embedded import EmbeddedStore
from ttdn_graph.store.entities import EntityLedger, EntitySync, sync_entities
from ttdn_graph.store.inference import InferenceSummary, recompute_inferred
from ttdn_graph.store.resolver import StoreResolver
from ttdn_graph.workers import Failed, run_each

if TYPE_CHECKING:
    from ttdn_graph.search.build import IndexBuild

PLAN_SUFFIXES = {".txt", ".md", ".markdown", ".docx", ".pdf", ".html", ".htm", ".json"}


@dataclass
class LoadSummary:
    loaded: list[str] = field(default_factory=list)  # source file names whose graphs were written
    failed: list[tuple[str, int | None, str]] = field(default_factory=list)
    warnings: int = 0
    triples: int = 0  # quads written (sum over the document graphs)
    store_delta: int | None = 0  # change in the store's quad count, inferences included (None: not counted)
    inference: InferenceSummary | None = None
    entities: EntitySync | None = None  # the entities graph brought in line (store.entities)
    ontology: OntologySync | None = None  # the ontology graph, written when the files changed
    description: DescriptionSync | None = None  # the VoID/DCAT description, after the inferences (store.description)
    search: IndexBuild | None = None  # the search index rebuilt after the load (embedded store)
    register: RegisterSync | None = None  # the instrument register's graph, written when its file changed
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def lines(self) -> list[str]:
        out = [f"loaded {len(self.loaded)} document(s), {self.triples} triples written, "
               f"{self.warnings} warning(s), {len(self.failed)} failed, {self.seconds:.2f}s"]
        if self.entities:
            out.append(self.entities.line())
        if self.ontology:
            out.append(self.ontology.line())
        if self.register:
            out.append(self.register.line())
        if self.inference:
            i = self.inference
            out.append(f"inferred: {i.derivations} derivesFrom pairs, {i.within} within pairs, {i.labels} labels, "
                       f"{i.assigned} assignedAgency links, {i.observations} tallies "
                       f"(+{i.added}/-{i.removed} triples, {i.seconds:.2f}s)")
        if self.description:
            out.append(self.description.line())
        if self.search:
            out.append(self.search.line())
        for f, line, reason in self.failed:
            out.append(f"FAILED {f}{':' + str(line) if line else ''}: {reason}")
        return out


def find_plans(paths: Iterable[str | Path]) -> Found:
    """Files named, and plan-like files under the folders named (sorted, hidden files skipped), with the entries
    that cannot be read (symlink loops, dangling links, FIFOs, missing paths) as ReadErrors."""
    return find_documents(paths, PLAN_SUFFIXES)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """The files of find_plans(), without its problems."""
    return find_plans(paths).files


def is_record_dict(d: object) -> bool:
    return isinstance(d, dict) and "plan" in d and ("source" in d or "tasks" in d)


def read_records(path: Path) -> list[Record]:
    """Records of one file: a .json extraction record (or a list of them) as-is, else the parser's output."""
    return read_records_and_text(path)[0]


def read_records_and_text(path: Path) -> tuple[list[Record], str | None]:
    """read_records, with the text the records were extracted from (None for a .json extraction record: its
    text is not at hand)."""
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
        return recs, None
    try:
        from ttdn_graph.extract import extract_document
    except ImportError as e:
        raise ReadError(str(path), f"no extractor available for {path.suffix} files ({e})") from e
    rec, text = extract_document(path)
    rec.source = rec.source or path.name
    return [rec], text


def _extract(path: str) -> tuple[str, list[Record] | None, tuple[int | None, str] | None, list | None, str | None]:
    """Worker: (path, records, error, the themes of each record's tasks, the document's text). The themes
    (task_themes) are text work that needs no store, done here so that the one process writing graphs does not (a
    sixth of its time at 10,000 plans)."""
    try:
        records, text = read_records_and_text(Path(path))
    except ReadError as e:
        return path, None, (e.line, e.reason), None, None
    except Exception as e:  # noqa: BLE001 - a bad file must never stop the batch
        return path, None, (None, f"{type(e).__name__}: {e}"), None, None
    return path, records, None, [task_themes(r) for r in records], text


def _extracted(paths: Sequence[Path], jobs: int, time_limit: float | None = FILE_TIME_LIMIT,
               window: int = 64) -> Iterator[tuple]:
    """Extraction results (path, records, error, themes per record or None, text) in path order, from `jobs` worker
    processes, each file stopped after `time_limit` seconds. At most about `window` files are in flight, so
    records never pile up in memory when the workers run ahead of the graph writes."""
    for path, out in run_each(_extract, [str(p) for p in paths], jobs=jobs, time_limit=time_limit, window=window):
        yield (path, None, (None, out.reason), None, None) if isinstance(out, Failed) else out


_P_KEY, _P_NUMBER = f"{TTDN}statedNumberKey", f"{TTDN}statedNumber"
Entry = tuple[str, str, str | None]  # (numberKey, instrument, number or None) as one graph states it


class LoadIndex:
    """Answers the builder's identity look-ups (ttdn:numberKey → instruments) during one load.

    Same answers as StoreResolver, but a key is read from the store once, and the graphs this load writes are
    indexed from their quads (their statements' claimed keys and numbers) as they are built; per key the index
    keeps how many graphs state each (instrument, number). So a look-up no longer scans the thousands of document graphs that repeat a popular key, and graphs
    still waiting in a write batch count as written. Only the loader writes while it runs (the embedded store is
    locked to it).
    """

    def __init__(self, store: GraphStore):
        self.store = store
        self._fetched: set[str] = set()  # keys read from the store
        self._counts: dict[str, dict[str, Counter[str | None]]] = {}  # key → instrument → number → graphs
        self._entries: dict[str, list[Entry]] = {}  # graph → the entries it adds to _counts
        self._mine: set[str] = set()  # graphs written by this load (their entries come from their quads)

    def _add(self, graph: str, entries: Iterable[Entry]) -> None:
        lst = self._entries.setdefault(graph, [])
        for k, i, n in entries:
            self._counts.setdefault(k, {}).setdefault(i, Counter())[n] += 1
            lst.append((k, i, n))

    def _remove(self, graph: str) -> None:
        for k, i, n in self._entries.pop(graph, ()):
            c = self._counts[k][i]
            c[n] -= 1
            if c[n] <= 0:
                del c[n]
                if not c:
                    del self._counts[k][i]

    def _fetch(self, keys: Sequence[str]) -> None:
        values = " ".join(str(ox.Literal(k)) for k in keys)
        rows = self.store.query(
            f"SELECT DISTINCT ?key ?g ?i ?n WHERE {{ VALUES ?key {{ {values} }} "
            # the key first: Oxigraph joins in the order written, and `?s ttdn:about ?i` alone is every statement
            f"GRAPH ?g {{ ?s <{_P_KEY}> ?key . ?s <{ABOUT}> ?i . OPTIONAL {{ ?s <{_P_NUMBER}> ?n }} }} }}"
        )
        self._fetched.update(keys)
        for r in rows:
            g = r["g"].value
            if g not in self._mine:  # a graph this load wrote is indexed from its quads already
                self._add(g, [(r["key"].value, r["i"].value, r["n"].value if r.get("n") else None)])

    def candidates(self, keys: Sequence[str], exclude_graph: str | None = None) -> dict[str, list[Candidate]]:
        missing = sorted({k for k in keys if k not in self._fetched})
        if missing:
            self._fetch(missing)
        excluded = Counter(self._entries.get(exclude_graph or "", ()))
        out: dict[str, list[Candidate]] = {}
        for k in sorted(set(keys)):
            cands = []
            for i in sorted(self._counts.get(k, {})):
                ns = [n for n, c in self._counts[k][i].items() if c - excluded[(k, i, n)] > 0]
                if ns:  # as StoreResolver: the first number in sort order ('' for none)
                    cands.append(Candidate(i, min(ns, key=lambda n: n or "")))
            if cands:
                out[k] = cands
        return out

    def written(self, graph: str, quads: Sequence[ox.Quad]) -> None:
        """Graph `graph` holds exactly `quads` from now on (or will, once its write batch is committed)."""
        self._remove(graph)
        self._mine.add(graph)
        numbers: dict[str, set[str | None]] = {}
        keyed: list[tuple[str, str]] = []
        about: dict[str, str] = {}
        for q in quads:
            p = q.predicate.value
            if p == _P_NUMBER:
                numbers.setdefault(q.subject.value, set()).add(q.object.value)
            elif p == _P_KEY:
                keyed.append((q.object.value, q.subject.value))
            elif p == ABOUT:
                about[q.subject.value] = q.object.value
        self._add(graph, sorted({(k, about[s], n) for k, s in keyed if s in about for n in numbers.get(s) or {None}},
                                key=lambda e: (e[0], e[1], e[2] or "")))

    def forget(self, graph: str) -> None:
        """Drop a graph this load meant to write but could not (its write failed: the store does not hold it)."""
        self._remove(graph)
        self._mine.discard(graph)


def build_record(store: GraphStore, record: Record, *, file_name: str | None = None, sha256: str | None = None,
                 fmt: str | None = None, loaded_at: str | None = None, resolver: Resolver | None = None,
                 themes: Sequence[list[str]] | None = None, text: str | None = None,
                 source_url: str | None = None) -> tuple[str, DocumentQuads]:
    """The document graph of one record and its entities' identity facts (nothing written). `text`: the
    document's text (kept on its source node, ttdn:documentText); `source_url`: where it was published."""
    name = file_name or record.source or "unnamed"
    meta = SourceMeta(name, sha256=record.sha256 or sha256, loaded_at=loaded_at,
                      format=record.format or fmt, text=text, source_url=source_url)
    resolved = resolve(record, source_meta=meta, resolver=resolver or StoreResolver(store), base=store.base,
                       themes=themes)
    doc = build_document(resolved, ordered=False)
    return source_graph(name, store.base), doc


def load_record(store: GraphStore, record: Record, *, file_name: str | None = None, sha256: str | None = None,
                fmt: str | None = None, loaded_at: str | None = None, resolver: Resolver | None = None) -> int:
    """Build and write one record's graph (replacing any earlier version) and bring its entities in line; returns
    the number of quads written for it (document graph and identity facts).

    `resolver` answers identity look-ups (default: a StoreResolver)."""
    graph, doc = build_record(store, record, file_name=file_name, sha256=sha256, fmt=fmt, loaded_at=loaded_at,
                              resolver=resolver)
    doc = PlanOwners(store).strip(doc, {})
    ledger = EntityLedger()
    if holds_graph(store, graph):
        ledger.replaced(store, graph)
    store.replace_graph(graph, doc.own)
    ledger.add(doc)
    sync_entities(store, ledger)
    if isinstance(resolver, LoadIndex):
        resolver.written(graph, doc.own)
    return len(doc)



@dataclass
class _Done:
    line: str  # progress prefix "[i/n] source"
    path: str
    record: Record
    graph: str
    triples: int


class _Writer:
    """Writes document graphs in path order. Where the store offers a bulk write of new graphs, consecutive new
    graphs are written in batches of about `batch_quads` (default: the store's WRITE_BATCH), each batch at once
    (atomic: every graph in it whole, or none); a graph the store already holds is replaced on its own. Progress
    is reported, and LoadSummary filled, only once a document's graph is in the store."""

    def __init__(self, store: GraphStore, index: LoadIndex, summary: LoadSummary, progress: bool,
                 batch_quads: int | None = None, batch_docs: int | None = None):
        self.store, self.index, self.summary, self.progress = store, index, summary, progress
        self.bulk = getattr(store, "add_new_graphs", None)
        self.has_graph = getattr(store, "has_graph", None)
        # the store's own batch size where it has one (see EmbeddedStore.WRITE_BATCH)
        default_quads, default_docs = getattr(store, "WRITE_BATCH", (40_000, 100))
        self.batch_quads, self.batch_docs = batch_quads or default_quads, batch_docs or default_docs
        self.pending: dict[str, DocumentQuads] = {}
        self.done: list[_Done] = []
        self.size = 0
        self.ledger = EntityLedger()  # the entities the written documents mention, synced after the documents
        self.owners = PlanOwners(store)  # a second document of one plan keeps only what the first does not say

    def write(self, d: _Done, doc: DocumentQuads) -> None:
        doc = self.owners.strip(doc, self.pending)
        if self.bulk and self.has_graph and d.graph not in self.pending and not self.has_graph(d.graph):
            self.pending[d.graph] = doc
            self.index.written(d.graph, doc.own)
            self.done.append(d)
            self.size += len(doc.own)
            if self.size >= self.batch_quads or len(self.done) >= self.batch_docs:
                self.commit()
            return
        self.commit()  # earlier documents first
        try:
            self.ledger.replaced(self.store, d.graph)
            self.store.replace_graph(d.graph, doc.own)
        except Exception as e:  # noqa: BLE001 - report and go on with the batch
            self._failed(d, e)
            return
        self.index.written(d.graph, doc.own)
        self.ledger.add(doc)
        self._loaded(d)

    def commit(self) -> None:
        if not self.pending:
            return
        done, pending = self.done, self.pending
        self.done, self.pending, self.size = [], {}, 0
        try:
            self.bulk({g: doc.own for g, doc in pending.items()})  # type: ignore[misc]
        except Exception as e:  # noqa: BLE001 - the whole batch is absent: report each document
            for d in done:
                self.index.forget(d.graph)
                self._failed(d, e)
            return
        for doc in pending.values():
            self.ledger.add(doc)
        for d in done:
            self._loaded(d)

    def _loaded(self, d: _Done) -> None:
        s, rec = self.summary, d.record
        s.loaded.append(rec.source)
        s.triples += d.triples
        s.warnings += len(rec.warnings)
        _say(self.progress, f"{d.line}: {d.triples} triples, {len(rec.tasks)} tasks"
                            + (f", {len(rec.warnings)} warnings" if rec.warnings else ""))

    def _failed(self, d: _Done, e: Exception) -> None:
        self.summary.failed.append((d.path, None, f"{type(e).__name__}: {e}"))
        _say(self.progress, f"{d.line}: FAILED {e}")


def load_paths(paths: Iterable[str | Path], store: GraphStore, *, jobs: int = 1, progress: bool = True,
               infer: bool = True, time_limit: float | None = FILE_TIME_LIMIT,
               source_url: str | None = None) -> LoadSummary:
    """Load every file (folders are walked); see LoadSummary. After the documents, the ontology graph is brought in
    line with ontology/ (ttdn_graph.ontology.sync_ontology) and the register graph with
    data/vocab/instrument_register.csv (ttdn_graph.register.sync_register), then the inferences and the dataset's
    description (ttdn_graph.store.description; both only with `infer`) are recomputed, once each; then the search
    index beside an embedded store is rebuilt (ttdn_graph.search), even when the load stops half-way.
    `time_limit`: seconds each file may take to extract (None or 0: no limit). `source_url`: where the one file
    loaded was published (a file's sidecar `<file name>.url` says it for that file; see ttdn_graph.sources).
    Each document's text is kept on its source node, and its original bytes beside an embedded store
    (ttdn_graph/sidecar.py), written before its graph."""
    t0 = time.perf_counter()
    found = find_plans(paths)
    files = found.files
    summary = LoadSummary()
    if source_url is not None:
        check_url(source_url)
        if len(files) != 1:
            raise SourceUrlError(f"--source-url names the source of one file, and {len(files)} were given "
                                 "(give each file a sidecar <file name>.url instead)")
    try:
        _load_files(files, found, store, summary, jobs=jobs, progress=progress, infer=infer,
                    time_limit=time_limit, source_url=source_url)
    finally:
        _reindex(store, summary, progress)
    summary.seconds = time.perf_counter() - t0
    return summary


def _load_files(files: list[Path], found: Found, store: GraphStore, summary: LoadSummary, *, jobs: int,
                progress: bool, infer: bool, time_limit: float | None, source_url: str | None) -> None:
    for problem in found.problems:
        summary.failed.append((problem.path, None, problem.reason))
        _say(progress, f"{Path(problem.path).name}: FAILED {problem.reason}")
    before = _count(store)
    loaded_at = datetime.now(UTC).replace(microsecond=0).isoformat()
    n = len(files)
    index = LoadIndex(store)
    writer = _Writer(store, index, summary, progress)
    kept = getattr(store, "path", None) if isinstance(store, EmbeddedStore) else None
    for i, (path, records, error, themes, text) in enumerate(_extracted(files, jobs, time_limit), start=1):
        name = Path(path).name
        url = source_url
        if error is None:
            try:
                url = url or sidecar_url(Path(path))
                if kept and text is not None:  # a .json record's bytes are not the document's
                    keep_original(kept, path, records[0].sha256 if records else "")
            except (SourceUrlError, ChangedFile, OSError, ValueError) as e:
                error = (None, str(e))
        if error is not None:
            writer.commit()  # keep the report in path order
            summary.failed.append((path, error[0], error[1]))
            _say(progress, f"[{i}/{n}] {name}: FAILED {error[1]}")
            continue
        for k, rec in enumerate(records or []):
            d = _Done(f"[{i}/{n}] {rec.source}", path, rec, "", 0)
            try:
                # a record's hash is its source's (set by the reader); a .json record's format is its own
                fmt = None if path.lower().endswith(".json") else Path(path).suffix.lstrip(".") or None
                d.graph, doc = build_record(store, rec, fmt=fmt, loaded_at=loaded_at, resolver=index,
                                            themes=themes[k] if themes else None, text=text, source_url=url)
            except Exception as e:  # noqa: BLE001 - report and go on with the batch
                writer.commit()
                writer._failed(d, e)
                continue
            d.triples = len(doc)
            writer.write(d, doc)
    writer.commit()
    # the shared entities the documents mention, each stated once (store.entities)
    if writer.ledger:
        summary.entities = sync_entities(store, writer.ledger)
    # the ontology and vocabularies, in their own graph (one transaction, only when the files changed)
    summary.ontology = sync_ontology(store)
    summary.register = sync_register(store)  # the curated instrument register (data/vocab), likewise
    if infer and (summary.loaded or not files):
        summary.inference = recompute_inferred(store)
        summary.description = sync_description(store)  # counts the inferences too: last
    flush = getattr(store, "flush", None)
    if flush:
        flush()
    after = _count(store) if before is not None else None
    summary.store_delta = after - before if after is not None and before is not None else None


def remove_documents(store: GraphStore, names: Iterable[str], *, infer: bool = True) -> LoadSummary:
    """Remove the graphs of the documents named (file names as loaded), then bring the entities they alone
    mentioned, and the inferences, in line. A name the store does not hold is reported as failed."""
    t0 = time.perf_counter()
    summary = LoadSummary()
    ledger = EntityLedger()
    held = set(store.graphs())
    for name in names:
        graph = source_graph(Path(name).name, store.base)
        if graph not in held:
            summary.failed.append((name, None, "no such document in the store"))
            continue
        ledger.replaced(store, graph)
        store.drop_graph(graph)
        summary.loaded.append(Path(name).name)
    if ledger:
        summary.entities = sync_entities(store, ledger)
    if infer and summary.loaded:
        summary.inference = recompute_inferred(store)
        summary.description = sync_description(store)
    flush = getattr(store, "flush", None)
    if flush:
        flush()
    _reindex(store, summary, progress=False)
    summary.seconds = time.perf_counter() - t0
    return summary


def _reindex(store: GraphStore, summary: LoadSummary, progress: bool) -> None:
    """Rebuild the search index beside an embedded store from what the store now holds (ttdn_graph.search). A
    failure is reported, never raised: the store is the truth and the next load rebuilds the index."""
    if not isinstance(store, EmbeddedStore) or store.read_only:
        return
    from ttdn_graph.search.build import build_index

    try:  # skipped when the index was built from these very documents (a load that wrote nothing, say)
        summary.search = build_index(store, search_path(store.path), force=False)
    except Exception as e:  # noqa: BLE001 - an index is derived data: say so and keep the load
        _say(True, f"search index not rebuilt: {type(e).__name__}: {e}")
        return
    _say(progress, summary.search.line() if summary.search else "search index: unchanged (same documents)")


def _count(store: GraphStore) -> int | None:
    """The store's quad count, or None when it cannot be had: a count is a report, and a national store behind a
    server's time limit may not finish one; that must not turn a finished load into a failed one."""
    try:
        return store.count_triples()
    except StoreError as e:
        _say(True, f"not counted: {e}")
        return None


def _say(on: bool, msg: str) -> None:
    if on:
        print(msg, file=sys.stderr, flush=True)
