"""Errors that name the file (and line) they concern, so a batch can report and go on."""

from __future__ import annotations


class TtdnError(Exception):
    """Base class for errors the CLI reports without a traceback."""


class ReadError(TtdnError):
    """A document could not be read as text (undecodable, scanned PDF, corrupt archive...)."""

    def __init__(self, path: str, reason: str, line: int | None = None):
        self.path = path
        self.reason = reason
        self.line = line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {reason}")
