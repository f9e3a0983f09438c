"""Stable IRIs: one rule per kind of thing, so two plans citing one decision meet at one node.

    instrument  …/id/instrument/<typekey>/<year>[/<unit path>]/<slug(number)>   (unit path only for local issuers)
    named       …/id/instrument/<typekey>[/<unit path>]/<slug(name)>
    plan        the instrument IRI when the plan has number and date, else …/id/plan/<unit path>/<years>/<slug(title)>
    agency      …/id/agency/<unit path>/<key>            group   …/id/group/<unit path>/<key>
    unit        …/id/unit/vn | …/id/unit/<province> | …/id/unit/<province>/<district>
    task        <plan IRI>/task/<section path>           source  …/id/source/<slug(file name)>
    tally       …/id/tally/<data set>/<hash of its dimension values>
    graphs      one per document (its source IRI), …/id/graph/inferred, …/id/graph/ontology (ontology + vocabularies),
                …/id/graph/register (the curated instrument register)
Vocabulary concepts live under https://w3id.org/ttdn/vocab/<scheme>/<id>.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from urllib.parse import quote

from ttdn_graph.graph.namespaces import VOCAB, data_base
from ttdn_graph.lexicon.words import words
from ttdn_graph.resolve.slug import nfc, slug

_NAME_STOP = frozenset(words("iri-stop-word"))  # data/lexicon/words.csv


def _long_slug(text: str, limit: int = 120) -> str:
    s = slug(text)
    if len(s) <= limit:
        return s
    h = hashlib.sha1(s.encode()).hexdigest()[:8]
    return f"{slug(text, limit - 9)}-{h}"


def year_of_instrument_iri(iri: str) -> int | None:
    m = re.search(r"/instrument/[^/]+/(\d{4})/", iri)
    return int(m.group(1)) if m else None


class Iris:
    """Mints the IRIs of one data base (default https://w3id.org/ttdn/id/, or $TTDN_BASE)."""

    def __init__(self, base: str | None = None):
        self.base = data_base(base)

    def instrument(self, type_key: str, year: int | None, scope: str | None, number: str) -> str:
        parts = [slug(type_key) or "vb"]
        if year:
            parts.append(str(year))
        if scope and scope != "vn":
            parts.append(scope)
        parts.append(slug(number) or "x")
        return self.base + "instrument/" + "/".join(parts)

    def named_instrument(self, type_key: str, scope: str | None, name: str) -> str:
        """By name, without the small words that citations drop or add ("… chủ quyền (của) Việt Nam …")."""
        parts = [slug(type_key) or "vb"]
        if scope and scope != "vn":
            parts.append(scope)
        words = [w for w in re.split(r"\s+", nfc(name)) if w.casefold() not in _NAME_STOP]
        parts.append(_long_slug(" ".join(words)) or "x")
        return self.base + "instrument/" + "/".join(parts)

    def plan(self, unit_path: str, start: str | None, end: str | None, title: str | None, fallback: str) -> str:
        ys, ye = (start or "")[:4], (end or "")[:4]
        years = ys if (not ye or ye == ys) else f"{ys}-{ye}"
        return f"{self.base}plan/{unit_path}/{years or 'undated'}/{slug(title, 60) or slug(fallback, 60)}"

    def agency(self, unit_path: str, key: str) -> str:
        return f"{self.base}agency/{unit_path}/{key}"

    def group(self, unit_path: str, key: str) -> str:
        return f"{self.base}group/{unit_path}/{_long_slug(key, 100)}"

    def unit(self, path: str) -> str:
        return f"{self.base}unit/{path}"

    def person(self, unit_path: str, name: str) -> str:
        return f"{self.base}person/{unit_path}/{slug(name)}"

    @staticmethod
    def task(plan_iri: str, section: str) -> str:
        return f"{plan_iri}/task/{quote(nfc(section).strip(), safe='._-~') or 'x'}"

    def source(self, file_name: str) -> str:
        return f"{self.base}source/{slug(file_name) or 'unnamed'}"

    def interval(self, start: str | None, end: str | None) -> str:
        return f"{self.base}interval/{start or 'open'}_{end or 'open'}"

    def instant(self, date: str) -> str:
        return f"{self.base}instant/{date}"

    def _pair(self, kind: str, first: str, second: str) -> str:
        """A node qualifying an ordered pair of IRIs: a hash of both, so the same pair always gets the same IRI."""
        return f"{self.base}{kind}/{hashlib.sha1(f'{first} {second}'.encode()).hexdigest()[:20]}"

    def derivation(self, source: str, target: str) -> str:
        return self._pair("derivation", source, target)

    def agency_pair(self, first: str, second: str) -> str:
        return self._pair("agency-pair", first, second)

    def tally(self, dataset: str, key: tuple) -> str:
        """A load-time tally (a Data Cube observation) of `dataset` for one combination of dimension values."""
        text = " ".join("" if k is None else str(k) for k in key)
        return f"{self.base}tally/{dataset}/{hashlib.sha1(text.encode()).hexdigest()[:20]}"

    @property
    def inferred_graph(self) -> str:
        return f"{self.base}graph/inferred"

    @property
    def register_graph(self) -> str:
        """The graph holding the curated instrument register (ttdn_graph.register)."""
        return f"{self.base}graph/register"

    @property
    def ontology_graph(self) -> str:
        """The graph holding the ontology and its SKOS vocabularies (ttdn_graph.ontology)."""
        return f"{self.base}graph/ontology"

    @property
    def country(self) -> str:
        return self.unit("vn")


@cache
def concept(scheme: str, ident: str) -> str:
    """A SKOS concept of one of the ttdn vocabularies: instrument-type, agency-type, recurrence, theme."""
    return f"{VOCAB}{scheme}/{slug(ident)}"


def source_graph(file_name: str, base: str | None = None) -> str:
    """The named graph (and source-document node) of a file: keyed by its name, so a changed file replaces it."""
    return Iris(base).source(file_name)
