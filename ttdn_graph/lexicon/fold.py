"""The one normalisation of Vietnamese text for comparison: NFC, one tone placement, case, diacritics.

Vietnamese documents mix two placements of the tone mark on the open syllables "oa", "oe", "uy": the old "hoá",
"Uỷ", "UỶ" and the new "hóa", "Ủy", "ỦY". `nfc()` writes every one the new way (and nothing else: "khuỷu", "quý",
"hoàng" are left alone), so the two spellings are one string. Every key built for comparison starts there:

    nfc("Uỷ ban")      == "Ủy ban"            (case and diacritics kept: text for display and records)
    fold("UỶ  BAN")    == "ủy ban"            (the comparison key: lower case, single spaces, accents kept)
    ascii_fold("Ủy ban Đồng Nai") == "uy ban dong nai"   (no diacritics, đ → d: slugs, accent-blind matching)

No other module keeps its own tone table or NFD stripping (tests/test_lexicon.py checks).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

LOWER = "a-zàáảãạăắằẳẵặâấầẩẫậèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵđ"
UPPER = "A-ZÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴĐ"

_TONED = "áàảãạéèẻẽẹýỳỷỹỵ"
_TONED_ALL = _TONED + _TONED.upper()
_TONE_MOVE = {c: (unicodedata.normalize("NFD", c)[0], unicodedata.normalize("NFD", c)[1]) for c in _TONED_ALL}
# an open syllable (no letter after it) of at most two onset letters, "o"/"u" and a toned vowel: "hoá", "Uỷ", "THUỶ"
_OLD_TONE = re.compile(
    rf"(?<![qQ{LOWER}{UPPER}])([{LOWER}{UPPER}]?[{LOWER}{UPPER}]?)([oOuU])([{_TONED_ALL}])(?![{LOWER}{UPPER}])"
)


def _move_tone(m: re.Match[str]) -> str:
    onset, glide, toned = m.group(1), m.group(2), m.group(3)
    base, mark = _TONE_MOVE[toned]
    pair_ok = (glide in "oO" and base in "aeAE") or (glide in "uU" and base in "yY")
    if not pair_ok or onset.lower().endswith("q") or (onset.lower() == "g" and glide in "uU"):
        return m.group(0)
    return onset + unicodedata.normalize("NFC", glide + mark) + base


_MAYBE_OLD = re.compile(rf"[oOuU][{_TONED_ALL}]")  # a cheap scan first: most lines hold no old placement
# the same syllable found from its glide: the onset is then read backwards (at most two letters, and no letter
# before them), which costs one step per candidate instead of a look-behind at every position of the line
_GLIDE_TONE = re.compile(rf"([oOuU])([{_TONED_ALL}])(?![{LOWER}{UPPER}])")
_LETTER = re.compile(rf"[{LOWER}{UPPER}]")


def new_tones(text: str) -> str:
    """The new tone placement on "oa", "oe", "uy" (text already NFC)."""
    if not _MAYBE_OLD.search(text):
        return text
    out: list[str] = []
    last = 0
    for m in _GLIDE_TONE.finditer(text):
        i = m.start()
        j = i
        while j > 0 and i - j < 3 and _LETTER.match(text, j - 1):
            j -= 1
        if i - j > 2:  # a longer word: not an open syllable of at most two onset letters
            continue
        onset, glide, toned = text[j:i], m.group(1), m.group(2)
        base, mark = _TONE_MOVE[toned]
        pair_ok = (glide in "oO" and base in "aeAE") or (glide in "uU" and base in "yY")
        if not pair_ok or onset.lower().endswith("q") or (onset.lower() == "g" and glide in "uU"):
            continue
        out.append(text[last:i])
        out.append(unicodedata.normalize("NFC", glide + mark) + base)
        last = m.end()
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


@lru_cache(maxsize=1 << 15)  # names and numbers repeat across documents; long texts just pass through
def nfc(text: str | None) -> str:
    """NFC with the old tone placement made new: "Uỷ" → "Ủy", "hoá" → "hóa", "UỶ" → "ỦY"; None → ""."""
    return new_tones(unicodedata.normalize("NFC", text or ""))


@lru_cache(maxsize=1 << 15)
def fold(text: str | None) -> str:
    """The comparison key: `nfc`, case folded, runs of white space made one space, ends stripped."""
    return " ".join(nfc(text).casefold().split())


def unaccent(text: str | None) -> str:
    """Diacritics removed and đ → d, case kept: "Đắk Lắk" → "Dak Lak"."""
    t = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in t if not unicodedata.combining(c)))


def ascii_fold(text: str | None) -> str:
    """Diacritics removed, đ → d, lower case: "Thừa Thiên Huế" → "thua thien hue" (slugs, accent-blind keys)."""
    return unaccent(text).lower()


_OLD_OF_NEW = {}
for _glide, _bases in (("o", "ae"), ("u", "y")):
    for _b in _bases:
        for _mark in ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323"):
            _new = unicodedata.normalize("NFC", _glide + _mark) + _b
            _OLD_OF_NEW[_new] = _glide + unicodedata.normalize("NFC", _b + _mark)


def tone_spellings(text: str) -> set[str]:
    """Lower-case text as given, with every "oa"/"oe"/"uy" toned the new way, and every one toned the old way:
    the spellings a search must try, since stored text keeps the spelling it was printed with."""
    new = old = text
    for n, o in _OLD_OF_NEW.items():
        new, old = new.replace(o, n), old.replace(n, o)
    return {text, new, old}
