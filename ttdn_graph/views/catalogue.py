"""What the graph holds (the index page) and the name/number search.

Search is case-insensitive and tolerant of the two Vietnamese tone placements ("Uỷ"/"Ủy", "hoá"/"hóa"): the query
is expanded into both spellings and each is matched with CONTAINS on lower-cased labels and numbers, so the work
stays in the store however large it is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ttdn_graph.graph.namespaces import PROV, RDF, RDFS, SKOS, TTDN
from ttdn_graph.lexicon import tone_spellings
from ttdn_graph.views.labels import labels
from ttdn_graph.views.model import Link

# (heading, class IRI) rows of the index page's count table
# (heading, class IRI, browse table) rows of the index page's count table
COUNTED_CLASSES = [
    ("Plans (loaded documents)", None, "plans"),
    ("Plans (all, incl. cited)", f"{TTDN}Plan", None),
    ("Tasks", f"{TTDN}Task", "tasks"),
    ("Agencies", f"{TTDN}Agency", "agencies"),
    ("Agency groups", f"{TTDN}AgencyGroup", None),
    ("Legal instruments", f"{TTDN}LegalInstrument", "instruments"),
    ("Administrative units", f"{TTDN}AdministrativeUnit", "units"),
    ("Source documents", f"{TTDN}SourceDocument", None),
]
MAX_RESULTS = 200


@dataclass
class CountRow:
    label: str
    cls: str | None
    count: int
    table: str | None = None  # the browse table listing them (/plans, /tasks …)


@dataclass
class JurisdictionRow:
    iri: str
    label: str
    url: str
    plans: int


@dataclass
class Summary:
    counts: list[CountRow]
    jurisdictions: list[JurisdictionRow]
    years: list[tuple[str, int]]
    triples: int | None = None


@dataclass
class Hit:
    iri: str
    label: str
    url: str
    types: list[str] = field(default_factory=list)
    matched: str = ""
    context: str = ""  # the jurisdiction (agencies, instruments) or plan (tasks) it belongs to
    rank: tuple = ()


def loaded_plans_pattern(var: str = "?p") -> str:
    """Plans that were read from a document (not only cited by one)."""
    return f"{var} a <{TTDN}Plan> ; <{PROV}wasDerivedFrom> ?_src . ?_src a <{TTDN}SourceDocument> ."


def count_loaded_plans(store: Any) -> int:
    rows = store.query(f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ {loaded_plans_pattern()} }}")
    return int(rows[0]["n"].value) if rows else 0


def count_class(store: Any, cls: str) -> int:
    rows = store.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{cls}> }}")
    return int(rows[0]["n"].value) if rows else 0


def jurisdiction_counts(store: Any, link: Link) -> list[JurisdictionRow]:
    """Jurisdictions of loaded plans with their plan counts, most plans first."""
    rows = store.query(f"""SELECT ?u (COUNT(DISTINCT ?p) AS ?n) WHERE {{
  {loaded_plans_pattern()} ?p <{TTDN}jurisdiction> ?u .
}} GROUP BY ?u""")
    names = labels(store, [r["u"].value for r in rows])
    return sorted((JurisdictionRow(r["u"].value, names[r["u"].value], link(r["u"].value), int(r["n"].value))
                   for r in rows), key=lambda j: (-j.plans, j.label))


def year_counts(store: Any) -> list[tuple[str, int]]:
    """Loaded plans per year of their period start (or issue date); "?" when neither is known."""
    rows = store.query(f"""SELECT ?y (COUNT(DISTINCT ?p) AS ?n) WHERE {{
  {loaded_plans_pattern()}
  OPTIONAL {{ ?p <{TTDN}periodStart> ?ps }} OPTIONAL {{ ?p <{TTDN}dateIssued> ?di }}
  BIND(COALESCE(STR(YEAR(?ps)), STR(YEAR(?di)), "?") AS ?y)
}} GROUP BY ?y ORDER BY ?y""")
    return [(r["y"].value, int(r["n"].value)) for r in rows]


def summary(store: Any, link: Link) -> Summary:
    counts = [CountRow(label, cls, count_class(store, cls) if cls else count_loaded_plans(store), table)
              for label, cls, table in COUNTED_CLASSES]
    return Summary(counts, jurisdiction_counts(store, link), year_counts(store))


def fold_case(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()  # the stored spelling, whatever its tone placement


def spelling_variants(q: str) -> list[str]:
    """The query in lower case with either tone placement on oa/oe/uy (both spellings are in use)."""
    return sorted(tone_spellings(fold_case(" ".join(q.split()))))


def _literal(s: str) -> str:
    return str(ox.Literal(s))


def search(store: Any, q: str, link: Link, *, limit: int = MAX_RESULTS) -> list[Hit]:
    """Resources whose label, title or number contains `q` (any case, either tone placement)."""
    q = " ".join((q or "").split())
    if len(q) < 2:
        return []
    variants = spelling_variants(q)
    compact = [re.sub(r"\s+", "", v) for v in variants]
    cond = " || ".join(f"CONTAINS(?lc, {_literal(v)})" for v in sorted(set(variants + compact)))
    rows = store.query(f"""SELECT DISTINCT ?s ?v WHERE {{
  VALUES ?p {{ <{RDFS}label> <{SKOS}prefLabel> <{TTDN}number> <{TTDN}title> }}
  ?s ?p ?v . FILTER(isLiteral(?v) && isIRI(?s))
  BIND(LCASE(STR(?v)) AS ?lc) FILTER({cond})
}} LIMIT {limit * 5}""")
    by_iri: dict[str, Hit] = {}
    for r in rows:
        iri, text = r["s"].value, r["v"].value
        low = fold_case(text)
        exact = any(low == v or re.sub(r"\s+", "", low) == c for v, c in zip(variants, compact, strict=True))
        starts = any(low.startswith(v) for v in variants)
        rank = (0 if exact else 1 if starts else 2, len(text), text)
        hit = by_iri.get(iri)
        if hit is None or rank < hit.rank:
            by_iri[iri] = Hit(iri, text, link(iri), matched=text, rank=rank)
    hits = sorted(by_iri.values(), key=lambda h: (h.rank, h.iri))[:limit]
    if not hits:
        return []
    names = labels(store, [h.iri for h in hits])
    values = " ".join(f"<{h.iri}>" for h in hits)
    types: dict[str, list[str]] = {}
    for r in store.query(f"SELECT ?s ?t WHERE {{ VALUES ?s {{ {values} }} ?s <{RDF}type> ?t }}"):
        types.setdefault(r["s"].value, []).append(r["t"].value)
    where: dict[str, str] = {}
    for r in store.query(f"SELECT ?s ?c WHERE {{ VALUES ?s {{ {values} }} "
                         f"?s <{TTDN}jurisdiction>|<{TTDN}ofPlan> ?c }}"):
        where.setdefault(r["s"].value, r["c"].value)
    tnames = labels(store, {t for ts in types.values() for t in ts} | set(where.values()))
    for h in hits:
        h.label = names.get(h.iri, h.label)
        h.types = sorted({tnames[t] for t in types.get(h.iri, [])})
        h.context = tnames.get(where.get(h.iri, ""), "")
    return hits
