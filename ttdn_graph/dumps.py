"""Citable dumps: files named with the load's version, each with a SHA-256 file, and a manifest listing them.

    ttdn export --out var/dumps --format nquads,trig,turtle

writes into var/dumps (for the version 0123456789abcdef):
    ttdn-0123456789abcdef.nq         ttdn-0123456789abcdef.nq.sha256      (`sha256sum -c` reads it)
    ttdn-0123456789abcdef.trig       ttdn-0123456789abcdef.trig.sha256
    ttdn-0123456789abcdef.ttl        ttdn-0123456789abcdef.ttl.sha256
    ttdn-0123456789abcdef.manifest.json   version, created, dataset IRI, quads, and each file's format, media type,
                                          size and SHA-256
Each file is written under a temporary name and renamed when whole, the manifest last: a manifest names only
finished files, and the server (ttdn_graph/web/dataset.py) offers only files a manifest names, streamed from disk.
N-Quads and TriG hold every graph, the description's included, so loading one reproduces the store; Turtle holds
the union of the graphs as triples. The version is ttdn_graph.store.description.content_version, the one the
dataset's description states.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ttdn_graph.graph.description import dataset_iri, now
from ttdn_graph.store.base import GraphStore
from ttdn_graph.store.description import content_version, stored

# accepted names → export format key (GraphStore.export)
FORMAT_NAMES = {"nquads": "nq", "nq": "nq", "n-quads": "nq", "trig": "trig", "turtle": "ttl", "ttl": "ttl",
                "jsonld": "jsonld", "json-ld": "jsonld"}
SUFFIX = {"nq": "nq", "trig": "trig", "ttl": "ttl", "jsonld": "jsonld"}
MEDIA_TYPE = {"nq": "application/n-quads", "trig": "application/trig", "ttl": "text/turtle",
              "jsonld": "application/ld+json"}
FORMAT_IRI = {"nq": "http://www.w3.org/ns/formats/N-Quads", "trig": "http://www.w3.org/ns/formats/TriG",
              "ttl": "http://www.w3.org/ns/formats/Turtle", "jsonld": "http://www.w3.org/ns/formats/JSON-LD"}
PREFIX = "ttdn-"
MANIFEST_SUFFIX = ".manifest.json"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")  # what a dump's file name may be (no separators, no dot-dot)
CHUNK = 1 << 20


class DumpError(ValueError):
    """A bad format name or dumps folder."""


def formats_of(spec: str) -> list[str]:
    """Format keys of a comma-separated list of names (nquads, trig, turtle, jsonld; nq, ttl too)."""
    keys: list[str] = []
    for part in spec.split(","):
        name = part.strip().lower()
        if not name:
            continue
        if name not in FORMAT_NAMES:
            raise DumpError(f"unknown dump format {name!r}; use {', '.join(sorted(set(FORMAT_NAMES)))}")
        if FORMAT_NAMES[name] not in keys:
            keys.append(FORMAT_NAMES[name])
    if not keys:
        raise DumpError("give at least one dump format")
    return keys


@dataclass(frozen=True)
class DumpEntry:
    name: str
    format: str
    media_type: str
    bytes: int
    sha256: str


@dataclass
class Manifest:
    version: str
    created: str
    dataset: str
    quads: int
    files: list[DumpEntry] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{PREFIX}{self.version}{MANIFEST_SUFFIX}"

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        d = json.loads(text)
        files = [DumpEntry(**f) for f in d["files"]]
        if not all(_NAME.match(f.name) for f in files):
            raise ValueError("a file name in the manifest is not a plain name")
        return cls(str(d["version"]), str(d["created"]), str(d["dataset"]), int(d["quads"]), files)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _replace_with(path: Path, data: str) -> None:
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_text(data, encoding="utf-8")
    os.replace(tmp, path)


def write_dumps(store: GraphStore, out: str | Path, formats: list[str], *, warn=None) -> Manifest:
    """Write the store in each format into `out` (made if missing), each file with its .sha256, then the manifest.

    The version is computed from the store (content_version); `warn` is told when the stored description states
    another one (a load run without its derived data)."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    version = content_version(store)
    said = stored(store).version
    if warn and said != version:
        warn(f"the store's description states version {said}, its content is {version}: `ttdn load` renews it"
             if said else "the store has no dataset description yet (`ttdn load` writes one)")
    manifest = Manifest(version, now(), dataset_iri(store.base), store.count_triples())
    for fmt in formats:
        name = f"{PREFIX}{version}.{SUFFIX[fmt]}"
        target = folder / name
        tmp = folder / f".{name}.part"
        try:
            store.export(fmt, tmp)
            digest = sha256_file(tmp)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        _replace_with(folder / f"{name}.sha256", f"{digest}  {name}\n")
        manifest.files.append(DumpEntry(name, fmt, MEDIA_TYPE[fmt], target.stat().st_size, digest))
    _replace_with(folder / manifest.name, manifest.to_json())
    return manifest


def read_manifests(folder: str | Path | None) -> list[Manifest]:
    """The manifests of a dumps folder whose files are all there, newest first (unreadable ones are skipped)."""
    if folder is None:
        return []
    root = Path(folder)
    out: list[Manifest] = []
    try:
        paths = sorted(root.glob(f"{PREFIX}*{MANIFEST_SUFFIX}"))
    except OSError:
        return []
    for p in paths:
        try:
            m = Manifest.from_json(p.read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if m.name == p.name and all((root / f.name).is_file() for f in m.files):
            out.append(m)
    return sorted(out, key=lambda m: (m.created, m.version), reverse=True)


def offered_files(folder: str | Path | None) -> dict[str, Path]:
    """Every file the server may hand out, by name: the files the manifests name, their .sha256, the manifests."""
    if folder is None:
        return {}
    root = Path(folder)
    out: dict[str, Path] = {}
    for m in read_manifests(root):
        out[m.name] = root / m.name
        for f in m.files:
            out[f.name] = root / f.name
            if (root / f"{f.name}.sha256").is_file():
                out[f"{f.name}.sha256"] = root / f"{f.name}.sha256"
    return out


__all__ = ["FORMAT_IRI", "FORMAT_NAMES", "MEDIA_TYPE", "DumpEntry", "DumpError", "Manifest", "formats_of",
           "offered_files", "read_manifests", "sha256_file", "write_dumps"]
