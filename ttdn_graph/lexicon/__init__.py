"""The lexicon: every piece of language data the project reads, each kept as a data file with one typed loader.

    fold.py            nfc / fold / ascii_fold: one tone placement ("Uỷ" = "Ủy", "hoá" = "hóa"), comparison keys
    abbreviations.py   data/lexicon/abbreviations.csv, corrections.csv: UBND, HĐND, MTTQ, TT&TT … written out
    agency_types.py    data/vocab/agency_types.csv: Sở, Ban … ủy, Đài … and the patterns that recognise them
    instrument_types.py data/vocab/instrument_types.csv: Quyết định (QĐ), Nghị định (NĐ) …
    levels.py          data/lexicon/levels.csv: tỉnh, thành phố, thị xã, huyện, quận, xã, phường, thị trấn, đặc khu
    central_bodies.py  data/gazetteer/central_bodies.csv and data/lexicon/issuer_codes.csv: central bodies, codes
    fields.py          data/lexicon/fields.csv: field labels (Đơn vị chủ trì, Cơ quan phối hợp, Thời gian …)
    verbs.py           data/lexicon/verbs.csv: verbs that end an agency mention, role words before a list
    sections.py        data/lexicon/sections.csv: section headings (Tổ chức thực hiện, Trách nhiệm, Nội dung …)
    signers.py         data/lexicon/signers.csv: signer positions (Chủ tịch, Phó Chủ tịch, Giám đốc …)
    themes.py          data/vocab/themes.csv: TTĐN themes and their keywords
    words.py           data/lexicon/words.csv: the words the parser's patterns are built from, by kind (preamble
                       openers, title words, head words, citation verbs, group nouns …)
    _load.py           the one CSV loader: a frozen dataclass per row type; a malformed row raises LexiconError

Files are found through ttdn_graph.paths.data_dir() (FILES in _load.py says which folder holds which file).
"""

from ttdn_graph.lexicon._load import FILES, LexiconError, path_of
from ttdn_graph.lexicon.abbreviations import abbreviations, correct, corrections, expand_abbreviations
from ttdn_graph.lexicon.agency_types import AgencyType, agency_type, agency_types, match_type
from ttdn_graph.lexicon.central_bodies import (
    Body,
    central_bodies,
    central_codes,
    code_scope,
    code_types,
    district_codes,
    norm_code,
)
from ttdn_graph.lexicon.fields import field_rules, label_kind
from ttdn_graph.lexicon.fold import ascii_fold, fold, nfc, tone_spellings, unaccent
from ttdn_graph.lexicon.instrument_types import InstrumentType, by_name, by_symbol_code, instrument_types, type_code
from ttdn_graph.lexicon.levels import (
    all_levels,
    city_endings,
    level_tokens,
    level_words,
    levels_of,
    party_committees,
    short_forms,
    text_levels,
    unit_committees,
    unit_endings,
)
from ttdn_graph.lexicon.sections import section_kind, section_rules
from ttdn_graph.lexicon.signers import position_in, signer_positions
from ttdn_graph.lexicon.themes import ThemeRow, theme_rows
from ttdn_graph.lexicon.verbs import alternation, verbs
from ttdn_graph.lexicon.words import alternation_of, phrase_pattern, words

__all__ = [
    "FILES", "AgencyType", "alternation_of", "phrase_pattern", "words", "Body", "InstrumentType", "LexiconError", "ThemeRow", "abbreviations", "agency_type",
    "agency_types", "all_levels", "alternation", "ascii_fold", "by_name", "by_symbol_code", "central_bodies",
    "central_codes", "city_endings", "code_scope", "code_types", "correct", "corrections", "district_codes", "expand_abbreviations",
    "field_rules", "fold", "instrument_types", "label_kind", "level_tokens", "level_words", "levels_of",
    "match_type", "nfc", "norm_code", "party_committees", "path_of", "position_in", "section_kind", "section_rules",
    "short_forms", "signer_positions", "text_levels", "theme_rows", "tone_spellings", "type_code", "unaccent", "unit_committees", "unit_endings",
    "verbs",
]


def clear_caches() -> None:
    """Forget every loaded file (after TTDN_DATA changes or a file is rewritten)."""
    import functools
    import sys

    for mod in [m for n, m in sys.modules.items() if n.startswith("ttdn_graph.lexicon.")]:
        for obj in vars(mod).values():
            if isinstance(obj, functools._lru_cache_wrapper):  # @cache and @lru_cache
                obj.cache_clear()
