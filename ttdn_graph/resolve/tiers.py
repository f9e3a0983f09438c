"""Where an instrument sits in the cascade of authority: its tier (Party → Government → Ministry → Province →
District → Commune) and its layer (central → ministry → province → department/commune).

The tier is read from the instrument's jurisdiction (a local unit's class), else its issuers' agency types, else
the symbol's issuer codes ("CT-TW", "QĐ-TTg", looked up in data/gazetteer/central_bodies.csv). The layer is what
the cascade view splits a province by (ttdn:layer): the tiers folded into four, with a province's departments, boards
and other bodies (a plan a Sở issues) put with its districts and communes below the province's own plans.
"""

from __future__ import annotations

import re

from ttdn_graph.graph.namespaces import TTDN
from ttdn_graph.lexicon import code_types
from ttdn_graph.resolve.slug import nfc
from ttdn_graph.resolve.symbols import parse_symbol

# Agency types of central issuers → tier (local issuers take their jurisdiction's tier).
TYPE_TIER = {"party-central": 0, "central-party-board": 0, "government": 1, "national-assembly": 1,
             "ministry": 2, "ministry-department": 2, "national-press": 2}
UNIT_TIER = {f"{TTDN}Province": 3, f"{TTDN}District": 4, f"{TTDN}Commune": 5}

# The layers, top down: (code, vi, en). The code is the value of ttdn:layer.
LAYERS = (
    ("central", "Trung ương (Đảng, Quốc hội, Chính phủ)", "Central (Party, National Assembly, Government)"),
    ("ministry", "Bộ, ngành trung ương", "Ministries and central bodies"),
    ("province", "Tỉnh", "Province"),
    ("local", "Sở, ngành, huyện, xã", "Departments, districts and communes"),
)
LAYER_CODES = tuple(code for code, _, _ in LAYERS)
# The province's own issuers: a plan of the UBND, HĐND, Tỉnh ủy, its office or steering committee is the province's
# (an issuer of another type at province level, a Sở or a board, is a layer below); an unknown issuer counts as own.
PROVINCE_OWN_TYPES = frozenset({"peoples-committee", "peoples-council", "party-committee", "office",
                                "steering-committee"})


def symbol_tier(number: str | None) -> int | None:
    """Tier from a central symbol's issuer codes (TW → Party, TTg/CP/QH → Government, BTTTT → Ministry …)."""
    sym = parse_symbol(number)
    if sym is None or sym.scope != "central":
        return None
    tiers = []
    for code in (nfc(c).upper() for c in sym.issuer_codes):
        t = code_types().get(code) or code_types().get(re.sub(r"\d+$", "", code))
        if t in TYPE_TIER:
            tiers.append(TYPE_TIER[t])
        elif code.endswith("TW"):
            tiers.append(0)
        elif code.startswith("B"):
            tiers.append(2)
    return min(tiers) if tiers else 1


def tier_of(unit_classes: set[str], issuer_types: set[str], number: str | None) -> int:
    """0 Party, 1 National Assembly / Government, 2 Ministry, 3 Province, 4 District, 5 Commune."""
    local = [UNIT_TIER[c] for c in unit_classes if c in UNIT_TIER]
    if local:
        return max(local)
    central = [TYPE_TIER[t] for t in issuer_types if t in TYPE_TIER]
    if central:
        return min(central)
    st = symbol_tier(number)
    return st if st is not None else 1  # a national instrument of unknown issuer: government level


def layer_of(tier: int, issuer_types: set[str]) -> str:
    """The layer code of a tier: central (0, 1), ministry (2), province (3, the province's own issuers), local."""
    if tier <= 1:
        return "central"
    if tier == 2:
        return "ministry"
    if tier == 3 and (not issuer_types or issuer_types & PROVINCE_OWN_TYPES):
        return "province"
    return "local"
