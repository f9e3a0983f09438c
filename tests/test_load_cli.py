"""The loader (folders, bad files, parallel extraction) and the `load/query/export/stats` commands."""

from __future__ import annotations

import json
import shutil

import pytest
import rdflib
import typer
from graph_fixtures import GOLD, gold_dicts
from typer.testing import CliRunner

from ttdn_graph import cli_graph
from ttdn_graph.loader import load_paths
from ttdn_graph.resolve.iris import Iris
from ttdn_graph.store import open_store

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")  # rdflib's own parsers
app = typer.Typer()
for _name in ("load", "query", "export", "stats"):
    app.command(_name)(getattr(cli_graph, _name))
runner = CliRunner()
Q1486 = ('PREFIX ttdn: <https://w3id.org/ttdn/ontology#> SELECT DISTINCT ?plan WHERE '
         '{ ?plan ttdn:hasTask [] ; ttdn:derivesFrom ?i . ?i ttdn:number "1486/QĐ-TTg" } ORDER BY ?plan')


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(GOLD, folder)
    (folder / "broken.json").write_text("{ not json", encoding="utf-8")
    (folder / "other.json").write_text(json.dumps({"hello": 1}), encoding="utf-8")
    (folder / "sub").mkdir()
    both = gold_dicts()[:2]
    for d in both:
        d["source"] = "bundle-" + d["source"]
    (folder / "sub" / "bundle.json").write_text(json.dumps(both, ensure_ascii=False), encoding="utf-8")
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "x.json").write_text("[]", encoding="utf-8")
    return folder


def test_bad_files_are_reported_and_the_batch_goes_on(corpus, tmp_path):
    with open_store(str(tmp_path / "store")) as st:
        summary = load_paths([corpus], st, jobs=2, progress=False)
        assert sorted(summary.loaded) == sorted([d["source"] for d in gold_dicts()]
                                                + ["bundle-" + d["source"] for d in gold_dicts()[:2]])
        failed = {f.rsplit("/", 1)[-1]: reason for f, _, reason in summary.failed}
        assert set(failed) == {"broken.json", "other.json"}
        assert "extraction record" in failed["other.json"]
        assert not summary.ok
        assert summary.inference is not None and summary.inference.derivations > 0
        assert summary.store_delta == st.count_triples() > summary.triples > 0
        assert len(st.graphs()) == 12  # 7 documents + entities + inferred + ontology + dataset description + register
        assert {Iris(st.base).inferred_graph, Iris(st.base).ontology_graph, Iris(st.base).register_graph} \
            <= set(st.graphs())


def test_new_graphs_go_in_batches_of_the_stores_size(tmp_path, monkeypatch):
    """The loader batches new graphs by the store's WRITE_BATCH (documents or quads, whichever comes first)."""
    with open_store(str(tmp_path / "store")) as st:
        calls: list[int] = []
        real = st.add_new_graphs
        docs = lambda graphs: [g for g in graphs if "/source/" in g]  # noqa: E731 - the document graphs of a batch
        monkeypatch.setattr(st, "add_new_graphs",
                            lambda graphs: (docs(graphs) and calls.append(len(docs(graphs))), real(graphs)))
        monkeypatch.setattr(st, "WRITE_BATCH", (10**9, 2), raising=False)
        summary = load_paths([GOLD], st, progress=False, infer=False)
        n = len(gold_dicts())
        assert len(summary.loaded) == n and calls == [2] * (n // 2) + [n % 2] * (n % 2)
        # the documents, their entities, the ontology, the instrument register
        assert len(st.graphs()) == n + 3 and Iris(st.base).ontology_graph in st.graphs()
        assert Iris(st.base).register_graph in st.graphs()


def test_a_count_the_store_cannot_give_does_not_fail_the_load(tmp_path, monkeypatch, capsys):
    """Counting a national store can run past a server's time limit; the load itself is kept and reported."""
    from ttdn_graph.store import StoreError

    with open_store(str(tmp_path / "store")) as st:
        def refuse():
            raise StoreError("http://x/query: the answer broke off")

        monkeypatch.setattr(st, "count_triples", refuse)
        summary = load_paths([GOLD], st, progress=False)
        assert summary.ok and len(summary.loaded) == len(gold_dicts()) and summary.store_delta is None
        assert summary.inference is not None and summary.inference.derivations > 0
        assert "not counted" in capsys.readouterr().err
        monkeypatch.undo()
        assert st.count_triples() > summary.triples > 0


def test_load_refuses_a_read_only_endpoint(tmp_path):
    res = runner.invoke(app, ["load", str(GOLD), "--endpoint", "http://127.0.0.1:9/repositories/x"])
    assert res.exit_code == 2 and "update-endpoint" in res.output


def test_missing_file_is_a_failure_not_a_crash(tmp_path):
    with open_store(str(tmp_path / "store")) as st:
        summary = load_paths([tmp_path / "nope.txt", GOLD / "000_36404a470a50d076.json"], st, progress=False)
    assert summary.loaded == ["000_36404a470a50d076.txt"]
    assert len(summary.failed) == 1 and "cannot read" in summary.failed[0][2]


def test_cli_load_query_export_stats(corpus, tmp_path):
    store = str(tmp_path / "store")
    res = runner.invoke(app, ["load", str(corpus), "--store", store, "--jobs", "2"])
    assert res.exit_code == 1  # two bad files
    assert "FAILED" in res.output and "loaded 7 document(s)" in res.output

    res = runner.invoke(app, ["load", *map(str, sorted(GOLD.glob("*.json"))), "--store", store, "-q"])
    assert res.exit_code == 0, res.output

    res = runner.invoke(app, ["query", Q1486, "--store", store, "--format", "json"])
    assert res.exit_code == 0
    plans = [b["plan"]["value"] for b in json.loads(res.stdout)["results"]["bindings"]]
    assert len(plans) == 2 and any("kon-tum" in p for p in plans)

    qfile = tmp_path / "q.rq"
    qfile.write_text(Q1486, encoding="utf-8")
    res = runner.invoke(app, ["query", "-f", str(qfile), "--store", store, "--format", "csv"])
    assert res.exit_code == 0 and res.stdout.splitlines()[0] == "plan" and len(res.stdout.splitlines()) == 3
    res = runner.invoke(app, ["query", Q1486, "--store", store])
    assert res.exit_code == 0 and "(2 rows)" in res.stdout
    res = runner.invoke(app, ["query", "SELECT WHERE nonsense", "--store", store])
    assert res.exit_code == 1
    res = runner.invoke(app, ["query", "--store", store], input=Q1486)  # the query on stdin
    assert res.exit_code == 0 and "(2 rows)" in res.stdout
    res = runner.invoke(app, ["query", "--store", store], input="")
    assert res.exit_code == 2

    out = tmp_path / "all.trig"
    res = runner.invoke(app, ["export", "--format", "trig", "-o", str(out), "--store", store])
    assert res.exit_code == 0
    ds = rdflib.Dataset().parse(out, format="trig")
    with open_store(store, read_only=True) as st:
        assert len(list(ds.quads((None, None, None, None)))) == st.count_triples()
    res = runner.invoke(app, ["export", "--format", "xml", "--store", store])
    assert res.exit_code == 2

    res = runner.invoke(app, ["stats", "--store", store, "--format", "json"])
    assert res.exit_code == 0
    stats = json.loads(res.stdout)
    assert stats["documents"] == 7
    # the bundle's two copies carry number and date, so they are the same plan nodes (and tasks) as the seeds
    n_tasks = sum(len(d["tasks"]) for d in gold_dicts())
    assert ("https://w3id.org/ttdn/ontology#Task", n_tasks) in [tuple(c) for c in stats["classes"]]
    assert {(p[0], p[1]) for p in stats["plans"]} >= {("Kon Tum", "2019"), ("Hương Trà", "2022")}
    res = runner.invoke(app, ["stats", "--store", store])
    assert res.exit_code == 0 and "loaded plans by unit and year" in res.stdout
