"""Small text helpers shared by the parse stages: spaces, casing, sentences (language data: ttdn_graph.lexicon)."""

from __future__ import annotations

import re


def clean_space(s: str) -> str:
    return " ".join((s or "").split())  # str.split() and re's \s agree on what white space is


def strip_trailing(s: str) -> str:
    return clean_space(s).strip(" .;:,").strip()


def cap_first(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def is_upper_text(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8


def sentence_case(s: str, keep: tuple[str, ...] = ()) -> str:
    """An all-caps title → sentence case, restoring the proper names in `keep` (place names)."""
    if not is_upper_text(s):
        return s
    out = s.lower()
    out = cap_first(out)
    for name in keep:
        if name:
            out = re.sub(re.escape(name.lower()), name, out)
    return out


def first_sentence(s: str) -> str:
    """Up to the first full stop that ends a sentence (not an abbreviation like "TP.")."""
    for m in re.finditer(r"[.!?](?=\s+[A-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ“\"(])", s):
        prev = re.search(r"(\S+)$", s[: m.start()])
        token = prev.group(1) if prev else ""
        if re.fullmatch(r"[A-ZĐa-zđ]{1,3}", token) and token[0].isupper():
            continue  # TP., Tp., TS.
        return s[: m.start()]
    return s
