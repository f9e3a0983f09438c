"""Citable dumps (ttdn export --out, ttdn_graph/dumps.py) and their download (/dumps/, ttdn_graph/web/dataset.py).

A dump is named with the version the store's description states, has a checksum file `sha256sum -c` accepts and a
manifest; the N-Quads dump loaded into a fresh store gives the same quads (and the same version); the server streams
only files a manifest names, and its VoID names the current dumps with their size and checksum.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ttdn_graph.cli import app as cli
from ttdn_graph.dumps import Manifest, formats_of
from ttdn_graph.graph.description import SPDX, dataset_iri
from ttdn_graph.store import open_store
from ttdn_graph.store.description import content_version, stored

runner = CliRunner()
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")


@pytest.fixture(scope="module")
def dumps(seed_store_path, tmp_path_factory) -> tuple[Path, Manifest]:
    folder = tmp_path_factory.mktemp("dumps")
    res = runner.invoke(cli, ["export", "--store", seed_store_path, "--out", str(folder),
                              "--format", "nquads,trig,turtle"])
    assert res.exit_code == 0, res.output
    manifests = list(folder.glob("*.manifest.json"))
    assert len(manifests) == 1
    return folder, Manifest.from_json(manifests[0].read_text(encoding="utf-8"))


def canonical(quads) -> ox.Dataset:
    ds = ox.Dataset(quads)
    ds.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)  # the ontology graph's blank nodes get stable names
    return ds


def test_dumps_are_named_with_the_version_and_checksummed(dumps, seed_store_path):
    folder, manifest = dumps
    with open_store(seed_store_path, read_only=True) as st:
        version = stored(st).version
        assert version == manifest.version == content_version(st)
        assert manifest.quads == st.count_triples() and manifest.dataset == dataset_iri(st.base)
    assert [f.format for f in manifest.files] == ["nq", "trig", "ttl"]
    for f in manifest.files:
        path = folder / f.name
        assert version in f.name and path.stat().st_size == f.bytes
        assert hashlib.sha256(path.read_bytes()).hexdigest() == f.sha256
        assert (folder / f"{f.name}.sha256").read_text() == f"{f.sha256}  {f.name}\n"
    check = subprocess.run(["sha256sum", "-c", *(f"{f.name}.sha256" for f in manifest.files)], cwd=folder,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert not list(folder.glob(".*.part"))


def test_the_nquads_dump_round_trips(dumps, seed_store_path, tmp_path):
    folder, manifest = dumps
    nq = folder / next(f.name for f in manifest.files if f.format == "nq")
    fresh = ox.Store()
    fresh.load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    with open_store(seed_store_path, read_only=True) as st:
        original = list(st.quads())
        assert len(fresh) == len(original) == manifest.quads
        assert canonical(fresh) == canonical(original)
    # loaded into a store of the project's: the same version
    path = tmp_path / "again"
    store = ox.Store(str(path))
    store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    with open_store(str(path), read_only=True) as again:
        assert content_version(again) == manifest.version == stored(again).version


def test_trig_and_turtle_dumps_parse(dumps):
    folder, manifest = dumps
    by = {f.format: folder / f.name for f in manifest.files}
    assert len(rdflib.Dataset().parse(by["trig"], format="trig")) >= 0
    trig_quads = sum(1 for _ in rdflib.Dataset().parse(by["trig"], format="trig").quads((None, None, None, None)))
    assert trig_quads == manifest.quads
    assert len(rdflib.Graph().parse(by["ttl"], format="turtle")) > 0


def test_export_refuses_bad_formats(seed_store_path, tmp_path):
    assert formats_of("nquads, turtle,nq") == ["nq", "ttl"]
    for args in (["--format", "xml", "--out", str(tmp_path)], ["--format", "nq,trig"],
                 ["--format", ",", "--out", str(tmp_path)],
                 ["--out", str(tmp_path), "--output", str(tmp_path / "x.nq")]):
        res = runner.invoke(cli, ["export", "--store", seed_store_path, *args])
        assert res.exit_code == 2, args
    assert not list(tmp_path.iterdir())


@pytest.fixture(scope="module")
def client(dumps, seed_store_path):
    from ttdn_graph.web.app import create_app

    app = create_app(seed_store_path, workers=1, dumps_dir=str(dumps[0]))
    try:
        with TestClient(app) as c:
            yield c
    finally:
        app.state.executor.close()


def test_download_streams_the_file_and_its_checksum_matches(client, dumps):
    folder, manifest = dumps
    for f in manifest.files:
        with client.stream("GET", f"/dumps/{f.name}") as r:
            assert r.status_code == 200 and r.headers["content-type"].startswith(f.media_type)
            body = b"".join(r.iter_bytes())
        assert int(r.headers["content-length"]) == f.bytes == len(body)
        assert hashlib.sha256(body).hexdigest() == f.sha256
        r = client.get(f"/dumps/{f.name}.sha256")
        assert r.status_code == 200 and r.text.split()[0] == f.sha256
    assert json.loads(client.get(f"/dumps/{manifest.name}").content)["version"] == manifest.version
    listing = client.get("/dumps/", headers={"Accept": "application/json"}).json()
    assert [d["version"] for d in listing["dumps"]] == [manifest.version]
    assert {f["name"] for f in listing["dumps"][0]["files"]} == {f.name for f in manifest.files}
    html = client.get("/dumps/").text
    assert all(f.name in html for f in manifest.files)


def test_no_path_traversal_and_only_listed_files(client, dumps, seed_store_path):
    folder, manifest = dumps
    (folder / "secret.txt").write_text("not offered")
    (folder / ".ttdn-0000000000000000.nq.part").write_text("half written")
    # a forged manifest naming a file outside the folder is not read at all
    forged = Manifest("0" * 16, "2999-01-01T00:00:00+00:00", "x", 1, [])
    data = json.loads(forged.to_json())
    data["files"] = [{"name": "../store/CURRENT", "format": "nq", "media_type": "application/n-quads",
                      "bytes": 1, "sha256": "0" * 64}]
    (folder / forged.name).write_text(json.dumps(data))
    store_file = next(p.name for p in Path(seed_store_path).iterdir() if p.is_file())
    for name in ("secret.txt", ".ttdn-0000000000000000.nq.part", forged.name, f"..%2Fstore%2F{store_file}",
                 f"%2E%2E%2F{Path(seed_store_path).name}%2F{store_file}", "%2Fetc%2Fpasswd", "%00"):
        r = client.get(f"/dumps/{name}")
        assert r.status_code in (400, 404) and b"not offered" not in r.content, name  # %00: 400 (params.py)
    # dot segments the client or the router resolve lead elsewhere in the site, never to a file outside the list
    secret = (Path(seed_store_path) / store_file).read_bytes()
    for path in (f"/dumps/../{store_file}", f"/dumps/..%2F..%2F{store_file}", "/dumps/..", "/dumps/./secret.txt"):
        r = client.get(path)
        assert r.content not in (secret, b"not offered", b"half written"), path
        assert r.status_code == 404 or "text/html" in r.headers["content-type"], path
    listing = client.get("/dumps/?format=json").json()
    assert [d["version"] for d in listing["dumps"]] == [manifest.version]


def test_void_names_the_current_dumps_with_size_and_checksum(client, dumps):
    folder, manifest = dumps
    g = rdflib.Graph().parse(data=client.get("/.well-known/void").content, format="turtle")
    d = next(g.subjects(rdflib.RDF.type, DCAT.Dataset))
    downloads = {}
    for dist in g.objects(d, DCAT.distribution):
        url = g.value(dist, DCAT.downloadURL)
        if url is not None:
            checksum = g.value(dist, rdflib.URIRef(SPDX + "checksum"))
            downloads[str(url).rsplit("/", 1)[-1]] = (int(g.value(dist, DCAT.byteSize)),
                                                      str(g.value(checksum, rdflib.URIRef(SPDX + "checksumValue"))))
    assert downloads == {f.name: (f.bytes, f.sha256) for f in manifest.files}
    assert {str(u).rsplit("/", 1)[-1] for u in g.objects(d, VOID.dataDump)} == set(downloads)
    assert str(g.value(d, DCAT.version)) == manifest.version


def test_a_dump_of_another_version_is_listed_not_described(seed_store_path, dumps, tmp_path):
    from ttdn_graph.web.app import create_app

    folder, manifest = dumps
    old = tmp_path / "dumps"
    old.mkdir()
    f = manifest.files[0]
    stale_name = f.name.replace(manifest.version, "f" * 16)
    (old / stale_name).write_bytes((folder / f.name).read_bytes())
    stale = Manifest("f" * 16, manifest.created, manifest.dataset, manifest.quads,
                     [type(f)(stale_name, f.format, f.media_type, f.bytes, f.sha256)])
    (old / stale.name).write_text(stale.to_json())
    app = create_app(seed_store_path, workers=1, dumps_dir=str(old))
    try:
        with TestClient(app) as c:
            assert c.get(f"/dumps/{stale_name}").status_code == 200
            g = rdflib.Graph().parse(data=c.get("/.well-known/void").content, format="turtle")
    finally:
        app.state.executor.close()
    assert not list(g.objects(None, DCAT.downloadURL)) and not list(g.objects(None, VOID.dataDump))
    assert list(g.objects(None, VOID.sparqlEndpoint))
