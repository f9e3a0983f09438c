"""The one CSV loader of the lexicon: a frozen dataclass per row type, every row checked, nothing skipped.

    rows = load("levels.csv", LevelWord)

The dataclass's fields name the columns (a field may say `metadata={"column": "class"}`). A field without a default
is required: its column must be in the header and its cell non-empty. Cells are NFC and stripped, then converted by
the field's type: `str`, `str | None` (empty → None), `bool` (yes/no), `int`, `tuple[str, ...]` (a "|"-separated
list), `re.Pattern[str]` (compiled), `date | None` (ISO). A dataclass's `__post_init__` may raise ValueError for a
value it refuses. Any malformed row — a missing cell, a bad regex, a value refused — raises LexiconError naming the
file and the line; a header without a required column raises it naming the file and line 1.

Where each file lives is said once, in FILES: data/lexicon/ for the language data, data/vocab/ for the three files
the ontology's SKOS schemes are generated from (ontology/build_vocabularies.py reads them there), data/gazetteer/ for
the central bodies (the gazetteer's file). All through ttdn_graph.paths.data_dir().
"""

from __future__ import annotations

import csv
import dataclasses
import re
import types
import typing
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from ttdn_graph.paths import data_dir

T = TypeVar("T")

# file name → folder under data/ (every lexicon file is named here, and only here)
FILES = {
    "abbreviations.csv": "lexicon",
    "levels.csv": "lexicon",
    "fields.csv": "lexicon",
    "table_columns.csv": "lexicon",
    "verbs.csv": "lexicon",
    "sections.csv": "lexicon",
    "signers.csv": "lexicon",
    "issuer_codes.csv": "lexicon",
    "corrections.csv": "lexicon",
    "words.csv": "lexicon",
    "agency_types.csv": "vocab",
    "instrument_types.csv": "vocab",
    "themes.csv": "vocab",
    "instrument_register.csv": "vocab",
    "central_bodies.csv": "gazetteer",
}


class LexiconError(ValueError):
    """A malformed lexicon file or row: the file, the line and what is wrong."""


def path_of(name: str) -> Path:
    """Where a lexicon file lives (under ttdn_graph.paths.data_dir())."""
    try:
        return data_dir() / FILES[name] / name
    except KeyError:
        raise LexiconError(f"{name}: not a lexicon file (known: {', '.join(sorted(FILES))})") from None


def _convert(kind: Any, cell: str) -> Any:
    if kind is str:
        return cell
    if kind is bool:
        low = cell.casefold()
        if low in ("yes", "true", "1"):
            return True
        if low in ("no", "false", "0", ""):
            return False
        raise ValueError(f"{cell!r} is not yes or no")
    if kind is int:
        return int(cell)
    if kind is date:
        return date.fromisoformat(cell)
    if kind is re.Pattern or typing.get_origin(kind) is re.Pattern:
        try:
            return re.compile(cell)
        except re.error as e:
            raise ValueError(f"bad regular expression {cell!r}: {e}") from None
    if typing.get_origin(kind) is tuple:
        return tuple(x.strip() for x in cell.split("|") if x.strip())
    raise TypeError(f"no converter for {kind!r}")


def _optional(kind: Any) -> tuple[Any, bool]:
    """(inner type, whether None is allowed) of `X | None`."""
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(kind) if a is not type(None)]
        return args[0], len(args) < len(typing.get_args(kind))
    return kind, False


def load(name: str, row_type: type[T], path: Path | None = None) -> tuple[T, ...]:
    """Every row of a lexicon file as `row_type`, in file order; LexiconError on the first malformed row."""
    path = path or path_of(name)
    hints = typing.get_type_hints(row_type)
    fields = [f for f in dataclasses.fields(row_type) if f.init]  # type: ignore[arg-type]
    try:
        f = open(path, encoding="utf-8", newline="")  # noqa: SIM115 - closed below
    except OSError as e:
        raise LexiconError(f"{path}: cannot be read ({e.strerror or e})") from e
    with f:
        reader = csv.DictReader(f)
        header = reader.fieldnames or []
        for fd in fields:
            col = fd.metadata.get("column", fd.name)
            required = fd.default is dataclasses.MISSING and fd.default_factory is dataclasses.MISSING
            if required and col not in header:
                raise LexiconError(f"{path}:1: column {col!r} is missing (header: {', '.join(header)})")
        out = []
        for r in reader:
            where = f"{path}:{reader.line_num}"
            if None in r or any(v is None for v in r.values()):
                raise LexiconError(f"{where}: {len(header)} cells expected, the row has another number: {r}")
            kwargs: dict[str, Any] = {}
            for fd in fields:
                col = fd.metadata.get("column", fd.name)
                cell = unicodedata.normalize("NFC", r.get(col) or "").strip()
                kind, nullable = _optional(hints[fd.name])
                required = fd.default is dataclasses.MISSING and fd.default_factory is dataclasses.MISSING
                if not cell:
                    if required and not nullable and kind is not bool and typing.get_origin(kind) is not tuple:
                        raise LexiconError(f"{where}: column {col!r} is empty")
                    if nullable:
                        kwargs[fd.name] = None
                        continue
                    if not required:
                        continue  # the default
                try:
                    kwargs[fd.name] = _convert(kind, cell)
                except ValueError as e:
                    raise LexiconError(f"{where}: column {col!r}: {e}") from None
            try:
                out.append(row_type(**kwargs))
            except ValueError as e:
                raise LexiconError(f"{where}: {e}") from None
        return tuple(out)
