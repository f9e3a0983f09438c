"""Which files a batch reads: the paths given, with folders walked; every entry that cannot be read is reported.

A symlink loop, a dangling link, a FIFO or a socket named like a plan must neither crash the walk (Path.resolve()
raises on a loop) nor vanish from it (Path.is_file() says False and nothing more): each becomes a ReadError
naming the entry, and the good files beside it are still found. Links to files are followed; links to folders
are not (as os.walk and Path.rglob), so a walk never loops.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ReadError

_SPECIAL = ((stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"),
            (stat.S_ISBLK, "block device"))


@dataclass(frozen=True)
class Found:
    """The files to read, in a stable order, and the entries that cannot be read (each names itself)."""

    files: list[Path] = field(default_factory=list)
    problems: list[ReadError] = field(default_factory=list)


def find_documents(paths: Iterable[str | Path], suffixes: Iterable[str]) -> Found:
    """Expand `paths` into files to read: a file named explicitly is kept whatever its suffix (so its reader can
    say why it is refused); folders are walked recursively for files with one of `suffixes` (lower case), hidden
    entries and Word lock files ("~$x.docx") skipped, sorted by path. Duplicates (the same file reached twice)
    are dropped, first occurrence kept."""
    wanted = frozenset(suffixes)
    found = Found()
    seen: set[str] = set()
    for given in paths:
        path = Path(given)
        try:
            mode = os.stat(path).st_mode
        except OSError as exc:
            found.problems.append(ReadError(str(given), unreadable(path, exc)))
            continue
        if stat.S_ISDIR(mode):
            candidates = _walk(path, wanted, found.problems)
        elif stat.S_ISREG(mode):
            candidates = [path]
        else:
            found.problems.append(ReadError(str(given), not_regular(mode)))
            continue
        for candidate in candidates:
            key = os.path.realpath(candidate)
            if key not in seen:
                seen.add(key)
                found.files.append(candidate)
    return found


def unreadable(path: Path, exc: OSError) -> str:
    """Why `path` cannot be opened, in words: link loop, dangling link (and its target), missing, forbidden."""
    if exc.errno == errno.ELOOP:
        return "cannot read: symbolic link loop"
    if isinstance(exc, FileNotFoundError) and os.path.islink(path):
        return f"cannot read: dangling symbolic link (its target {os.readlink(path)!r} does not exist)"
    if isinstance(exc, FileNotFoundError):
        return "cannot read: no such file or directory"
    if isinstance(exc, PermissionError):
        return "cannot read: permission denied"
    return f"cannot read: {exc.strerror or exc}"


def not_regular(mode: int) -> str:
    kind = next((name for test, name in _SPECIAL if test(mode)), "special file")
    return f"cannot read: not a regular file ({kind})"


def _walk(folder: Path, wanted: frozenset[str], problems: list[ReadError]) -> list[Path]:
    files: list[Path] = []
    bad: list[ReadError] = []
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as scan:
                entries = list(scan)
        except OSError as exc:
            bad.append(ReadError(str(current), unreadable(current, exc) + " (folder)"))
            continue
        for entry in entries:
            if entry.name.startswith((".", "~$")):
                continue
            path = Path(entry.path)
            named_like_plan = path.suffix.lower() in wanted
            try:
                mode = os.stat(path).st_mode  # follows a link: its target's kind
            except OSError as exc:
                if entry.is_symlink() or named_like_plan:  # a broken link may hide a plan or a folder
                    bad.append(ReadError(str(path), unreadable(path, exc)))
                continue
            if stat.S_ISDIR(mode):
                if not entry.is_symlink():
                    stack.append(path)
            elif named_like_plan:
                if stat.S_ISREG(mode):
                    files.append(path)
                else:
                    bad.append(ReadError(str(path), not_regular(mode)))
    files.sort(key=lambda p: p.relative_to(folder).parts)
    bad.sort(key=lambda e: Path(e.path).parts)
    problems.extend(bad)
    return files
