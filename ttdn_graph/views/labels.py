"""Display names for IRIs: the store's labels first, then the ontology and SKOS files, then a prefixed name.

Every load writes the ontology into the store (ttdn_graph.ontology), but a store loaded before that, or a service
loaded by other means, may lack it: then its terms (classes, properties, vocabulary concepts) are labelled from
ontology/*.ttl, parsed once into an in-memory Oxigraph store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

import pyoxigraph as ox

from ttdn_graph.graph.namespaces import PREFIXES, RDFS, SKOS, TIME, TTDN, VOCAB
from ttdn_graph.paths import ontology_dir
from ttdn_graph.views.iri import is_iri, values_pairs

LABEL_PROPS = (f"{SKOS}prefLabel", f"{RDFS}label")
_LANG_RANK = {"vi": 0, "": 1, "en": 2}
DISPLAY_PREFIXES = {**PREFIXES, "vocab": VOCAB}


@cache
def ontology_store() -> ox.Store:
    """ontology/*.ttl (ontology and SKOS schemes, not the SHACL shapes) in memory; a broken file is skipped."""
    st = ox.Store()
    d = ontology_dir()
    for p in sorted(d.glob("*.ttl")) if d.is_dir() else []:
        if p.name.endswith("shapes.ttl"):  # shapes.ttl, dataset-shapes.ttl
            continue
        try:
            st.load(path=str(p), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f"file:///ontology/{p.name}"))
        except (OSError, SyntaxError):
            continue
    return st


def qname(iri: str) -> str:
    """`ttdn:leadAgency` for a known namespace, else the IRI itself."""
    best = ""
    for p, ns in DISPLAY_PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(DISPLAY_PREFIXES.get(best, "")) and re.fullmatch(
                r"[\w.\-/]*", iri[len(ns):]):
            best = p
    return f"{best}:{iri[len(DISPLAY_PREFIXES[best]):]}" if best else iri


def local_name(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/#"))[-1] or iri


def _rank(lit: Any, prop: str) -> tuple[int, int]:
    lang = getattr(lit, "language", None) or ""
    return (LABEL_PROPS.index(prop) if prop in LABEL_PROPS else 9, _LANG_RANK.get(lang, 3))


def _values(iris: list[str]) -> str:
    return " ".join(f"<{i}>" for i in iris)


def _pick(rows: Iterable[dict[str, Any]]) -> dict[str, str]:
    best: dict[str, tuple[tuple[int, int], str]] = {}
    for r in rows:
        x, lab, p = r["x"].value, r["l"], r["p"].value
        k = _rank(lab, p)
        if x not in best or k < best[x][0]:
            best[x] = (k, lab.value)
    return {x: v for x, (_, v) in best.items()}


def labels_in(store: Any, iris: Iterable[str], chunk: int = 300) -> dict[str, str]:
    """Labels the store holds for `iris` (skos:prefLabel over rdfs:label, @vi over untagged over @en)."""
    todo = sorted({i for i in iris if is_iri(i)})
    out: dict[str, str] = {}
    for k in range(0, len(todo), chunk):
        part = todo[k : k + chunk]
        q = f"SELECT ?x ?p ?l WHERE {{ {values_pairs('?x', '?p', part, LABEL_PROPS)} ?x ?p ?l FILTER(isLiteral(?l)) }}"
        out.update(_pick(store.query(q)))
    return out


def ontology_labels(iris: Iterable[str]) -> dict[str, str]:
    st = ontology_store()
    todo = sorted({i for i in iris if is_iri(i)})
    if not todo:
        return {}
    q = f"SELECT ?x ?p ?l WHERE {{ {values_pairs('?x', '?p', todo, LABEL_PROPS)} ?x ?p ?l }}"
    return _pick(st.query(q, use_default_graph_as_union=True))  # type: ignore[arg-type]


def english_labels(iris: Iterable[str]) -> dict[str, str]:
    """@en labels of ontology terms (for bilingual headings of classes and properties)."""
    todo = sorted({i for i in iris if is_iri(i)})
    if not todo:
        return {}
    q = (f"SELECT ?x ?l WHERE {{ VALUES ?x {{ {_values(todo)} }} ?x <{RDFS}label>|<{SKOS}prefLabel> ?l "
         f"FILTER(LANG(?l) = 'en') }}")
    return {r["x"].value: r["l"].value for r in ontology_store().query(q, use_default_graph_as_union=True)}


# Unlabelled nodes (timeframes, citations, instants, source documents) are named by what they hold.
_DESCRIPTIVE = (f"{TTDN}fileName", f"{TTDN}sourceText", f"{TIME}inXSDDate", f"{SKOS}notation")


def descriptive_labels(store: Any, iris: Iterable[str], chunk: int = 300, limit: int = 90) -> dict[str, str]:
    todo = sorted({i for i in iris if is_iri(i)})
    best: dict[str, tuple[int, str]] = {}
    for k in range(0, len(todo), chunk):
        pairs = values_pairs("?x", "?p", todo[k:k + chunk], _DESCRIPTIVE)
        q = f"SELECT ?x ?p ?l WHERE {{ {pairs} ?x ?p ?l FILTER(isLiteral(?l)) }}"
        for r in store.query(q):
            rank, text = _DESCRIPTIVE.index(r["p"].value), " ".join(r["l"].value.split())
            if r["x"].value not in best or rank < best[r["x"].value][0]:
                best[r["x"].value] = (rank, text if len(text) <= limit else text[: limit - 1] + "…")
    return {x: v for x, (_, v) in best.items()}


def described_iris(store: Any, iris: Iterable[str], chunk: int = 300) -> set[str]:
    """The IRIs a page can be made for: the store or the ontology files hold a statement about them or pointing at
    them (a property such as rdfs:label or rdfs:domain is only ever used, so it gets no link rather than a dead one)."""
    todo = sorted({i for i in iris if is_iri(i)})
    found: set[str] = set()
    for k in range(0, len(todo), chunk):
        q = (f"SELECT DISTINCT ?x WHERE {{ VALUES ?x {{ {_values(todo[k:k + chunk])} }} "
             "{ ?x ?p ?o } UNION { ?s ?p ?x } }")
        if store is not None:
            found |= {r["x"].value for r in store.query(q)}
        found |= {r["x"].value for r in ontology_store().query(q, use_default_graph_as_union=True)}
    return found


def with_jurisdiction(store: Any, names: dict[str, str], chunk: int = 300) -> dict[str, str]:
    """`names` with the jurisdiction added to agencies and agency groups whose name does not already say it:
    "Sở Thông tin và Truyền thông (Hải Dương)". Many provinces have a body of that name, and a name alone
    tells them apart nowhere (views, tables, headings). National bodies are left as they are."""
    todo = sorted(i for i in names if is_iri(i))
    out = dict(names)
    for k in range(0, len(todo), chunk):
        q = f"""SELECT DISTINCT ?x ?jl WHERE {{
  VALUES ?x {{ {_values(todo[k:k + chunk])} }}
  ?x a ?c . FILTER(?c IN (<{TTDN}Agency>, <{TTDN}AgencyGroup>))
  ?x <{TTDN}jurisdiction> ?j . FILTER NOT EXISTS {{ ?j a <{TTDN}Country> }}
  ?j <{RDFS}label> ?jl .
}}"""
        places: dict[str, set[str]] = {}
        for r in store.query(q):
            places.setdefault(r["x"].value, set()).add(r["jl"].value)
        for x, found in places.items():
            name = out[x]
            extra = [p for p in sorted(found) if p.casefold() not in name.casefold()]
            if extra and len(extra) == len(found):
                out[x] = f"{name} ({extra[0]})"
    return out


def labels(store: Any, iris: Iterable[str]) -> dict[str, str]:
    """A display name for every IRI: store label, else ontology label, else its prefixed or local name."""
    iris = set(iris)
    out = labels_in(store, iris)
    missing = iris - out.keys()
    if missing:
        out.update(ontology_labels(missing))
    missing = iris - out.keys()
    if missing:
        out.update(descriptive_labels(store, missing))
    for i in iris - out.keys():
        q = qname(i)
        out[i] = q if q != i else i
    return out
