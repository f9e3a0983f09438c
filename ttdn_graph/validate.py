"""`ttdn validate`: SHACL shapes (pySHACL) and OWL consistency (owlready2 + HermiT) over the ontology and the data.

SHACL checks the data's shape (one plan per task, dates typed xsd:date …) with RDFS inference from ontology/ttdn.ttl.
HermiT checks that the ontology, the SKOS schemes and (optionally) the data are logically consistent: disjoint
classes not shared, no unsatisfiable class. HermiT runs in a JVM, so it needs `java` on the PATH.
"""

from __future__ import annotations

import shutil
import tempfile
from functools import cache
from pathlib import Path

import rdflib
import typer

from ttdn_graph.ontology import VOCABULARY_FILES as VOCABULARIES
from ttdn_graph.paths import ontology_dir

JAVA_MISSING = "Java is required for HermiT (apt-get install default-jre-headless)"


# ---------------------------------------------------------------- graphs


@cache
def _parsed(name: str) -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_dir() / name, format="turtle")


def ontology_graph(include_vocabularies: bool = False) -> rdflib.Graph:
    """A fresh copy of ontology/ttdn.ttl, plus the SKOS schemes when asked."""
    g = rdflib.Graph()
    for name in ("ttdn.ttl", *(VOCABULARIES if include_vocabularies else ())):
        for t in _parsed(name):
            g.add(t)
    return g


def shapes_graph() -> rdflib.Graph:
    return _parsed("shapes.ttl")


def as_graph(data: rdflib.Graph | rdflib.Dataset) -> rdflib.Graph:
    """One graph holding every triple of a Dataset's graphs (the union), or the graph itself.

    pySHACL would validate a Dataset graph by graph; links between a plan's graph and the inferred graph would
    then look missing, so the union is validated instead.
    """
    if isinstance(data, rdflib.Dataset | rdflib.ConjunctiveGraph):
        g = rdflib.Graph()
        for s, p, o, _ in data.quads((None, None, None, None)):
            g.add((s, p, o))
        return g
    return data


# ---------------------------------------------------------------- SHACL


def validate_shacl(data_graph: rdflib.Graph | rdflib.Dataset) -> tuple[bool, str]:
    """(conforms, report text) of ontology/shapes.ttl on the data, with RDFS inference from ontology/ttdn.ttl.

    Warnings (sh:Warning shapes) are reported but do not make `conforms` False.
    """
    import pyshacl

    conforms, _graph, text = pyshacl.validate(
        as_graph(data_graph),
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="rdfs",
        allow_warnings=True,
        abort_on_first=False,
        meta_shacl=False,
        advanced=False,
    )
    return bool(conforms), str(text)


# ---------------------------------------------------------------- OWL (HermiT)


def check_consistency(extra_data: rdflib.Graph | rdflib.Dataset | None = None,
                      include_vocabularies: bool = True) -> tuple[bool, str]:  # fmt: skip
    """(consistent, message) from HermiT on ontology/ttdn.ttl (+ SKOS schemes) (+ `extra_data`).

    owlready2 reads N-Triples, so the Turtle is converted first. Unsupported datatypes (xsd:date is not in the
    OWL 2 datatype map) are ignored by HermiT; SHACL checks them instead. An unsatisfiable class counts as a failure.
    """
    java = shutil.which("java")
    if not java:
        return False, JAVA_MISSING
    import owlready2

    owlready2.JAVA_EXE = java
    g = ontology_graph(include_vocabularies)
    if extra_data is not None:
        for t in as_graph(extra_data):
            g.add(t)
    world = owlready2.World()
    with tempfile.TemporaryDirectory(prefix="ttdn-owl-") as tmp:
        path = Path(tmp) / "ttdn.nt"
        path.write_bytes(g.serialize(format="nt", encoding="utf-8"))
        try:
            with open(path, "rb") as f:
                world.get_ontology("https://w3id.org/ttdn/check/").load(fileobj=f, format="ntriples")
        except Exception as e:  # noqa: BLE001 - any parse failure is a finding to report, not a crash
            return False, f"owlready2 could not read the ontology: {e}"
        try:
            owlready2.sync_reasoner_hermit(
                world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
            )
        except owlready2.OwlReadyInconsistentOntologyError:
            return False, f"inconsistent: HermiT found no model of the ontology and data ({len(g)} triples)"
        except owlready2.OwlReadyJavaError as e:
            return False, f"HermiT failed: {str(e).strip()[:2000]}"
        bad = sorted(c.iri for c in world.inconsistent_classes())
        if bad:
            return False, "incoherent: unsatisfiable classes: " + ", ".join(bad)
    parts = (
        "ontology" + (" + vocabularies" if include_vocabularies else "") + (" + data" if extra_data is not None else "")
    )
    return True, f"consistent (HermiT): {parts}, {len(g)} triples"


# ---------------------------------------------------------------- CLI


class StoreUnavailable(RuntimeError):
    """The store named on the command line could not be read."""


def _load_dataset(store: str | None, endpoint: str | None) -> tuple[rdflib.Dataset | None, str]:
    try:
        from ttdn_graph.store import open_store
    except ImportError as e:
        return None, f"no store module ({e}); checking the ontology alone"
    where = endpoint or store or "the default store"
    try:
        try:
            st = open_store(store, endpoint=endpoint, read_only=True)
        except TypeError:  # an open_store without read_only
            st = open_store(store, endpoint=endpoint)
        try:
            ds = st.dataset()
            # the store's copy of the ontology and vocabularies (ttdn_graph.ontology): the checks read the files
            # themselves, so the data is what the documents and the inferences state
            from ttdn_graph.ontology import ontology_graph_iri

            onto = ds.graph(rdflib.URIRef(ontology_graph_iri(st.base)))
            if len(onto):
                ds.remove_graph(onto)
        finally:
            close = getattr(st, "close", None)
            if close:
                close()
    except Exception as e:  # noqa: BLE001 - report any store failure as a message, the CLI exits non-zero
        raise StoreUnavailable(f"cannot read {where}: {e}") from e
    return ds, f"{sum(1 for _ in ds.quads((None, None, None, None)))} quads from {where}"


def validate(
    store: str | None = typer.Option(None, "--store", help="Embedded store folder ($TTDN_STORE, ./var/store)."),
    endpoint: str | None = typer.Option(None, "--endpoint", help="SPARQL endpoint to validate instead."),
    shacl: bool = typer.Option(True, "--shacl/--no-shacl", help="Check ontology/shapes.ttl with pySHACL."),
    owl: bool = typer.Option(True, "--owl/--no-owl", help="Check consistency with HermiT (needs java)."),
    owl_data: bool = typer.Option(True, "--owl-data/--owl-ontology-only", help="Give HermiT the data too."),
    max_lines: int = typer.Option(60, "--max-lines", help="Lines of the SHACL report to print (0: all)."),
) -> None:
    """Validate the store: SHACL shapes on the data, OWL consistency (HermiT) of ontology + data."""
    try:
        ds, note = _load_dataset(store, endpoint)
    except StoreUnavailable as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from e
    typer.echo(f"data: {note}")
    ok = True
    if shacl and ds is not None:
        conforms, text = validate_shacl(ds)
        ok &= conforms
        lines = text.splitlines()
        shown = lines if max_lines <= 0 else lines[:max_lines]
        typer.echo(f"SHACL: {'conforms' if conforms else 'does NOT conform'}")
        typer.echo("\n".join(shown))
        if len(shown) < len(lines):
            typer.echo(f"… {len(lines) - len(shown)} more lines (--max-lines 0 for all)")
    if owl:
        consistent, message = check_consistency(ds if owl_data else None)
        ok &= consistent
        typer.echo(f"OWL: {message}")
    raise typer.Exit(0 if ok else 1)
