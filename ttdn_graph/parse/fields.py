"""Field lines of a task ("Đơn vị chủ trì: …", "Thời gian thực hiện: …") and their variants."""

from __future__ import annotations

import re
from functools import lru_cache

from ttdn_graph.lexicon import label_kind
from ttdn_graph.parse.agencies import classify, is_group, names_bodies, split_agencies

_LABEL = re.compile(r"^(?P<label>[^:]{2,90}?)\s*:\s*(?P<value>.*)$")


@lru_cache(maxsize=1 << 14)  # labels repeat in every task
def field_kind(label: str) -> str | None:
    """'lead' | 'support' | 'time' | 'other' for a field label; None when the label is not a field. The rules are
    data (data/lexicon/fields.csv), tried in file order on the label in lower case without its parentheses."""
    lab = re.sub(r"\([^)]*\)", " ", label).lower()
    lab = re.sub(r"\s+", " ", lab).strip(" -+*")
    if len(lab.split()) > 10 or not lab or re.match(r"^\d", lab):
        return None
    return label_kind(lab)


def split_field(text: str) -> tuple[str, str, str] | None:
    """(kind, label, value) when the line is a field line."""
    m = _LABEL.match(text)
    if not m:
        return None
    kind = field_kind(m.group("label"))
    if kind is None:
        return None
    return kind, m.group("label").strip(), m.group("value").strip()


def agency_colon(text: str) -> tuple[list[str], str] | None:
    """'Ban Tuyên giáo Tỉnh ủy: Định hướng …' → (['Ban Tuyên giáo Tỉnh ủy'], duty)."""
    m = _LABEL.match(text)
    if not m or len(m.group("label").split()) > 14:
        return None
    label = m.group("label").strip()
    if not label[:1].isupper():
        return None
    names = split_agencies(label)
    if names and all(classify(n) or is_group(n) for n in names) and names_bodies(label.split(",")[0]):
        return names, m.group("value")
    return None
