r"""Words and phrases the parser's patterns are built from (data/lexicon/words.csv): each row a `kind` and a word.

The file holds the words; the grammar around them (anchors, look-arounds, capture groups, case flags) stays with
the pattern that uses them, which builds its alternation here:

    words("carry-out-verb")            → ("triển khai theo", "triển khai", "thực hiện", "thi hành")
    alternation_of("carry-out-verb")   → r"triển\s+khai\s+theo|triển\s+khai|thực\s+hiện|thi\s+hành"
    alternation_of("org-head", " ")    → "sở|ban|…|chi cục|…": words joined by one space, as the text is cleaned

Words are escaped; the words of a phrase are joined by `space` (any white space by default); " - " in a phrase
("độc lập - tự do") allows either dash with any spacing. Alternatives come in file order (a regex tries them in
order: a longer phrase is written before its beginning). Case is kept as written: a pattern matched
case-sensitively ("KẾ HOẠCH" in upper case) says so by its own flags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ttdn_graph.lexicon._load import load

# kind → where its words are used
KINDS = {
    "preamble-opener": "parse/header.py PREAMBLE_START: a line opening the preamble",
    "annex-word": "parse/outline.py _ANNEX: a pointer to an annex (the task table it holds, or the warning it is missing)",
    "body-opener": "parse/header.py (title cut), parse/normalize.py: the words that open the body",
    "preamble-clause": "parse/header.py _title_like: a preamble clause, not a title",
    "title-word": "parse/header.py, parse/normalize.py: the plan's title word (upper case)",
    "other-title-word": "parse/header.py: other programme headings (upper case)",
    "national-motto": "parse/normalize.py: the national motto lines of a header",
    "people-body": "parse/header.py, parse/agencies.py, parse/outline.py, resolve/agencies.py: UBND, HĐND",
    "unit-head": "parse/header.py _UNIT_HEAD: head words of a body's line in the header (upper case)",
    "org-head": "parse/header.py _ORG_HEAD: head words of an organisation's name (lower case)",
    "party-body": "parse/header.py: Party committees other than the units' (levels.csv party_committee)",
    "issuing-verb": "parse/header.py _ISSUING: the verb after the issuer in the issuing sentence",
    "issuing-end": "parse/header.py _issuing: where the title in the issuing sentence ends",
    "panel-title-label": "parse/header.py _PANEL_TITLE: a web page's label before the document's title",
    "until-word": "parse/header.py _period: 'đến năm 2025', the year a plan runs until",
    "vision-word": "parse/header.py _period: 'tầm nhìn đến năm 2045', a year looked towards",
    "carry-out-verb": "parse/citations.py _CARRY_OUT",
    "carry-out-manner": "parse/citations.py: an adverb after a carry-out verb",
    "amend-verb": "parse/citations.py _AMEND",
    "approve-verb": "parse/citations.py: a quoted name approved by a numbered decision",
    "title-opener": "parse/citations.py _TITLE_OPEN: the words a cited instrument's title opens with",
    "title-end": "parse/citations.py _TITLE_END: words where a cited instrument's title ends",
    "title-trailing": "parse/citations.py: a connective dropped from a title's end",
    "title-comma-end": "parse/citations.py _TITLE_STOP: after a comma, the words that end a cited instrument's title",
    "title-cite-link": "parse/citations.py: the words before a citation that keep it inside a title",
    "issuer-preposition": "parse/citations.py _AFTER_ISSUER",
    "issuer-end": "parse/citations.py _ISSUER_END (matched case-sensitively)",
    "issuer-end-any-case": "parse/citations.py _ISSUER_END (matched in any case)",
    "named-instrument-type": "parse/citations.py NAMED_TYPES",
    "name-stop": "parse/citations.py _NAME_STOP",
    "name-goes-on": "parse/citations.py _NAME_STOP: after a comma, the name goes on",
    "not-a-name-start": "parse/citations.py _named_name",
    "group-noun": "parse/agencies.py, resolve/agencies.py: after 'các', a group of bodies",
    "distributed-group": "parse/agencies.py _DISTRIBUTE",
    "lower-head": "parse/agencies.py: a head word printed in lower case before a capitalised name",
    "role-noun": "parse/agencies.py _split_segment: a lower-case role noun after a body",
    "assigning-verb": "parse/outline.py: the verb before a task sentence's subject",
    "closing": "parse/outline.py _CLOSING: the closing lines of a plan",
    "content-label": "parse/outline.py: content field labels kept without a warning",
    "support-opener": "parse/duties.py: the words before a duty's partners (\"phối hợp với …\")",
    "support-list-end": "parse/duties.py: the words that end a duty's list of partners",
    "support-list-last": "parse/duties.py: the words a duty's list of partners ends with, unless a body follows",
    "national-word": "resolve/agencies.py _NATIONAL",
    "key-stop-word": "resolve/agencies.py STOP: words an agency's identity key drops",
    "national-office": "resolve/symbols.py is_national_name (with national-word)",
    "not-a-commune-place": "resolve/units.py mentioned_units: after a commune level word, no place",
    "iri-stop-word": "resolve/iris.py: words an instrument IRI's name drops",
    "related-heading": "readers/html_reader.py _RELATED_HEADING",
    "document-heading": "readers/html_reader.py _MARKERS (with title-word, other-title-word; upper case)",
    "proposal-opener": "extract.py: a preamble line citing a proposal",
    "place-name-stop": "parse/places.py trim_name (case as written)",
    "caps-place-name-stop": "parse/places.py unit_in_caps (upper case)",
    "recurrence-continuous": "parse/timeexpr.py RECURRENCE",
    "recurrence-weekly": "parse/timeexpr.py RECURRENCE",
    "recurrence-monthly": "parse/timeexpr.py RECURRENCE",
    "recurrence-quarterly": "parse/timeexpr.py RECURRENCE",
    "recurrence-semiannual": "parse/timeexpr.py RECURRENCE",
    "recurrence-annual": "parse/timeexpr.py RECURRENCE",
    "periodic-word": "parse/timeexpr.py RECURRENCE, parse_time: 'định kỳ' before a number of months or years",
    "onward-phrase": "parse/timeexpr.py _ONWARD",
    "deadline-word": "parse/timeexpr.py _DEADLINE",
}

_DASH = re.compile(r"\s+[-–]\s+")


@dataclass(frozen=True)
class Word:
    kind: str
    word: str  # as matched: case as written, words separated by one space
    note: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind {self.kind!r} is not one of {', '.join(KINDS)}")
        if self.word != " ".join(self.word.split()):
            raise ValueError(f"word {self.word!r}: words are separated by one space")


@cache
def word_rows() -> tuple[Word, ...]:
    return load("words.csv", Word)


@cache
def words(kind: str) -> tuple[str, ...]:
    """The words of a kind, in file order."""
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    return tuple(w.word for w in word_rows() if w.kind == kind)


def phrase_pattern(phrase: str, space: str = r"\s+") -> str:
    """A phrase as a regex: each word escaped, words joined by `space`, " - " as any dash with any spacing."""
    return r"\s*[-–]\s*".join(space.join(re.escape(w) for w in part.split()) for part in _DASH.split(phrase))


@cache
def alternation_of(kind: str, space: str = r"\s+") -> str:
    """The words of a kind as one regex alternation (file order), to be wrapped in a group by the caller."""
    return "|".join(phrase_pattern(w, space) for w in words(kind))
