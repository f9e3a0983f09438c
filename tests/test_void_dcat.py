"""The dataset's VoID and DCAT description (ttdn_graph/store/description.py, /.well-known/void).

Every figure is checked against one counted here from the store's quads in Python (not by the description's own
queries), on the seeds and on a generated corpus, and again after a document is replaced and after one is removed.
The served description passes the SHACL shapes of ontology/dataset-shapes.ttl, and a broken one does not.
"""

from __future__ import annotations

import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import rdflib.compare
from fastapi.testclient import TestClient
from pyshacl import validate

from ttdn_graph.graph.description import DCAT, VOID, dataset_iri, description_graph
from ttdn_graph.graph.namespaces import RDF
from ttdn_graph.loader import load_paths, remove_documents
from ttdn_graph.paths import ontology_dir
from ttdn_graph.store import open_store
from ttdn_graph.store.description import content_version, stored, sync_description

TYPE = ox.NamedNode(f"{RDF}type")
SHAPES = ontology_dir() / "dataset-shapes.ttl"
VOID_NS, DCAT_NS = rdflib.Namespace(VOID), rdflib.Namespace(DCAT)


def expected(store) -> dict:
    """The figures, counted from the quads of every graph but the description's."""
    own = ox.NamedNode(description_graph(store.base))
    props: Counter[str] = Counter()
    typed: dict[str, set] = defaultdict(set)
    quads = 0
    for q in store.quads():
        if q.graph_name == own:
            continue
        quads += 1
        props[q.predicate.value] += 1
        if q.predicate == TYPE and isinstance(q.object, ox.NamedNode):
            typed[q.object.value].add(q.subject)
    return {"triples": quads, "properties": dict(props), "classes": {c: len(s) for c, s in typed.items()},
            "entities": len(set().union(*typed.values()))}


def described(store) -> rdflib.Graph:
    """The stored description graph, read with rdflib."""
    rows = store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{description_graph(store.base)}> {{ ?s ?p ?o }} }}")
    text = "\n".join(f"{r['s']} {r['p']} {r['o']} ." for r in rows)
    return rdflib.Graph().parse(data=text, format="nt")


def figures(g: rdflib.Graph, base: str) -> dict:
    d = rdflib.URIRef(dataset_iri(base))

    def one(p):
        values = list(g.objects(d, VOID_NS[p]))
        assert len(values) == 1, p
        return int(values[0])

    classes = {str(g.value(n, VOID_NS["class"])): int(g.value(n, VOID_NS.entities))
               for n in g.objects(d, VOID_NS.classPartition)}
    props = {str(g.value(n, VOID_NS.property)): int(g.value(n, VOID_NS.triples))
             for n in g.objects(d, VOID_NS.propertyPartition)}
    return {"triples": one("triples"), "properties": props, "classes": classes, "entities": one("entities"),
            "counts": (one("classes"), one("properties"))}


def check_counts(store) -> dict:
    want, got = expected(store), figures(described(store), store.base)
    assert got["triples"] == want["triples"] == sum(got["properties"].values())
    assert got["properties"] == want["properties"]
    assert got["classes"] == want["classes"]
    assert got["entities"] == want["entities"]
    assert got["counts"] == (len(want["classes"]), len(want["properties"]))
    return got


def test_seed_description_counts_equal_the_quads(seed_store_path):
    with open_store(seed_store_path, read_only=True) as st:
        got = check_counts(st)
        g = described(st)
        d = rdflib.URIRef(dataset_iri(st.base))
        vocabularies = {str(v) for v in g.objects(d, VOID_NS.vocabulary)}
        # the project ontology (by its IRI), the standard vocabularies it uses and aligns with, the SKOS schemes
        assert {"https://w3id.org/ttdn/ontology", "http://data.europa.eu/eli/ontology#", "http://www.w3.org/ns/org#",
                "http://www.w3.org/2006/time#", "http://www.w3.org/ns/prov#",
                "http://www.w3.org/2004/02/skos/core#", "https://w3id.org/ttdn/vocab/theme"} <= vocabularies
        examples = list(g.objects(d, VOID_NS.exampleResource))
        assert examples and all(st.ask(f"ASK {{ <{e}> a <https://w3id.org/ttdn/ontology#Plan> }}") for e in examples)
        assert got["classes"]["https://w3id.org/ttdn/ontology#Plan"] >= len(examples)


@pytest.fixture
def corpus_copy(generated_corpus, tmp_path) -> tuple[Path, Path]:
    folder, store = generated_corpus
    shutil.copytree(store, tmp_path / "store")
    return folder, tmp_path / "store"


def test_generated_corpus_counts_hold_after_a_replace_and_a_removal(corpus_copy, tmp_path):
    folder, path = corpus_copy
    plans = sorted(p for p in folder.iterdir() if p.is_file())
    with open_store(str(path)) as st:
        check_counts(st)
        first = stored(st)
        # replace one document: the same file name, a shorter text
        changed = tmp_path / "changed" / plans[3].name
        changed.parent.mkdir()
        lines = plans[3].read_text(encoding="utf-8").splitlines()
        changed.write_text("\n".join(lines[: len(lines) * 3 // 5]) + "\n", encoding="utf-8")
        summary = load_paths([changed], st, progress=False)
        assert summary.ok and summary.description is not None and summary.description.changed
        check_counts(st)
        second = stored(st)
        assert second.version != first.version and second.issued == first.issued
        assert second.modified >= first.modified
        # remove another
        summary = remove_documents(st, [plans[5].name])
        assert summary.ok and summary.description is not None and summary.description.changed
        check_counts(st)
        assert stored(st).version not in (first.version, second.version)


def test_version_moves_with_the_content_only(corpus_copy):
    _, path = corpus_copy
    with open_store(str(path)) as st:
        before, version = stored(st), content_version(st)
        assert before.version == version
        again = sync_description(st)  # nothing changed: nothing written
        assert (again.version, again.added, again.removed, again.changed) == (version, 0, 0, False)
        summary = load_paths([], st, progress=False)  # a load of nothing: derived data recomputed, the same
        assert summary.description is not None and not summary.description.changed
        assert stored(st) == before
        # a derived graph is identified by its size (a document graph by its source's hash and load time)
        st.update(f"INSERT DATA {{ GRAPH <{st.base}graph/inferred> {{ <urn:x:a> <urn:x:b> <urn:x:c> }} }}")
        assert content_version(st) != version


def served(seed_store_path, dumps: Path | None = None, accept: str = "text/turtle") -> tuple[int, str, bytes]:
    from ttdn_graph.web.app import create_app

    app = create_app(seed_store_path, workers=1, dumps_dir=str(dumps) if dumps else None)
    try:
        with TestClient(app) as c:
            r = c.get("/.well-known/void", headers={"Accept": accept})
            return r.status_code, r.headers.get("content-type", ""), r.content
    finally:
        app.state.executor.close()


def conforms(data: rdflib.Graph) -> tuple[bool, str]:
    ok, _, text = validate(data, shacl_graph=rdflib.Graph().parse(SHAPES), inference="none")
    return ok, text


@pytest.fixture(scope="module")
def seed_dumps(seed_store_path, tmp_path_factory) -> Path:
    from ttdn_graph.dumps import write_dumps

    folder = tmp_path_factory.mktemp("seed-dumps")
    with open_store(seed_store_path, read_only=True) as st:
        write_dumps(st, folder, ["nq"])
    return folder


def test_served_description_passes_the_shapes_in_every_format(seed_store_path, seed_dumps):
    status, ctype, body = served(seed_store_path, seed_dumps)
    assert status == 200 and ctype.startswith("text/turtle")
    g = rdflib.Graph().parse(data=body, format="turtle")
    ok, report = conforms(g)
    assert ok, report
    with open_store(seed_store_path, read_only=True) as st:
        base = st.base
        assert figures(g, base)["triples"] == expected(st)["triples"]
    d = rdflib.URIRef(dataset_iri(base))
    assert str(g.value(d, VOID_NS.sparqlEndpoint)).endswith("/sparql")
    assert (d, rdflib.RDF.type, DCAT_NS.Dataset) in g and g.value(d, DCAT_NS.version) is not None
    for accept, fmt in (("application/ld+json", "json-ld"), ("application/n-triples", "nt"),
                        ("application/rdf+xml", "xml"), ("text/n3", "n3"),
                        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "turtle")):
        status, ctype, other = served(seed_store_path, seed_dumps, accept)
        assert status == 200 and ctype.startswith(accept if fmt != "turtle" else "text/turtle"), (accept, ctype)
        assert rdflib.compare.isomorphic(rdflib.Graph().parse(data=other, format=fmt), g), accept
    assert served(seed_store_path, seed_dumps, "image/png")[0] == 406


def test_the_shapes_catch_a_broken_description(seed_store_path, seed_dumps):
    _, _, body = served(seed_store_path, seed_dumps)
    g = rdflib.Graph().parse(data=body, format="turtle")
    with open_store(seed_store_path, read_only=True) as st:
        d = rdflib.URIRef(dataset_iri(st.base))
    for drop in (VOID_NS.triples, rdflib.URIRef("http://purl.org/dc/terms/license"), DCAT_NS.version):
        broken = rdflib.Graph()
        for t in g:
            if not (t[0] == d and t[1] == drop):
                broken.add(t)
        assert not conforms(broken)[0], drop
    # a dump distribution without its checksum
    broken = rdflib.Graph()
    for t in g:
        if t[1] != rdflib.URIRef("http://spdx.org/rdf/terms#checksum"):
            broken.add(t)
    assert not conforms(broken)[0]


def test_index_links_the_description(seed_store_path):
    from ttdn_graph.web.app import create_app

    app = create_app(seed_store_path, workers=1)
    try:
        with TestClient(app) as c:
            html = c.get("/").text
    finally:
        app.state.executor.close()
    assert 'href="/.well-known/void"' in html and 'href="/dumps/"' in html
