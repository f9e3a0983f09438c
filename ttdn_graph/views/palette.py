"""Colours and names of agency types (data/vocab/agency_types.csv, through ttdn_graph.lexicon) and of cascade tiers, stable per id."""

from __future__ import annotations

import colorsys
from dataclasses import dataclass
from functools import cache

from ttdn_graph.lexicon import agency_types as lexicon_agency_types
from ttdn_graph.resolve.iris import concept

NO_TYPE_COLOR = "#b0b7bf"
TASK_COLOR = "#8d99a6"
GROUP_COLOR = "#e0c36a"
LEAD_COLOR = "#b03a2e"
SUPPORT_COLOR = "#2e86c1"
BASIS_COLOR = "#1f4e79"
IMPLEMENTS_COLOR = "#d35400"

# A qualitative palette first (readable, colour-blind friendlier), then golden-angle hues for the rest.
_PALETTE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#1f78b4",
            "#b15928", "#6a3d9a", "#33a02c", "#fb9a99", "#cab2d6", "#ff7f00", "#17becf", "#8c564b"]


@dataclass(frozen=True)
class AgencyType:
    id: str
    vi: str
    en: str
    scope: str
    color: str

    @property
    def iri(self) -> str:
        return concept("agency-type", self.id)


def _color(i: int) -> str:
    if i < len(_PALETTE):
        return _PALETTE[i]
    r, g, b = colorsys.hls_to_rgb((i * 0.6180339887) % 1.0, 0.5, 0.55)
    return f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"


@cache
def agency_types() -> dict[str, AgencyType]:
    """Agency types by concept IRI, in the CSV's order (colour i for row i)."""
    out: dict[str, AgencyType] = {}
    for i, t in enumerate(lexicon_agency_types()):  # data/vocab/agency_types.csv
        at = AgencyType(t.id, t.vi, t.en, t.scope, _color(i))
        out[at.iri] = at
    return out


def agency_type_by_id(value: str) -> AgencyType | None:
    """An agency type from its id ("department") or concept IRI."""
    types = agency_types()
    if value in types:
        return types[value]
    return next((t for t in types.values() if t.id == value.strip().lower()), None)
