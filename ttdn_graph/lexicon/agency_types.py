"""Agency types and the patterns that recognise them (data/vocab/agency_types.csv; the SKOS scheme
ontology/agency-types.ttl is generated from the same file)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ttdn_graph.lexicon._load import load

SCOPES = ("central", "local")


@dataclass(frozen=True)
class AgencyType:
    id: str
    vi: str
    en: str
    pattern: re.Pattern[str]  # searched in a canonical (expanded) name
    scope: str  # "central" | "local"

    def __post_init__(self) -> None:
        if self.scope not in SCOPES:
            raise ValueError(f"scope {self.scope!r} is not one of {', '.join(SCOPES)}")


@cache
def agency_types() -> tuple[AgencyType, ...]:
    """In file order: the first type whose pattern matches a name is its type."""
    return load("agency_types.csv", AgencyType)


def agency_type(type_id: str) -> AgencyType | None:
    return next((t for t in agency_types() if t.id == type_id), None)


def match_type(name: str, skip_central: bool = False) -> AgencyType | None:
    """The first type (file order) whose pattern matches the name; with `skip_central`, central types are not tried."""
    for t in agency_types():
        if skip_central and t.scope == "central":
            continue
        if t.pattern.search(name):
            return t
    return None
