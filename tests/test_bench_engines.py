"""bench.engines end to end on a tiny corpus and the Oxigraph server: load, count, every named query timed, the
report written; and a count the server cannot finish is reported without losing the run (no speed checks)."""

from __future__ import annotations

import json

import pytest

from bench import engines
from ttdn_graph.queries import load_queries
from ttdn_graph.store import RemoteStore, StoreError

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_engines_harness_on_the_oxigraph_server(tmp_path, monkeypatch):
    out = tmp_path / "engines.json"
    assert engines.main(["--sizes", "12", "--engines", "oxigraph-server", "--repeat", "1", "--limit", "20",
                         "--corpus-dir", str(tmp_path / "corpus"), "--out", str(out), "--jobs", "1"]) == 0
    r = json.loads(out.read_text(encoding="utf-8"))
    m = r["engines"]["oxigraph-server"]["sizes"]["12"]
    assert m["documents"] == 12 and m["failed"] == 0 and m["triples"] > 12 * 100 and m["count_error"] is None
    assert set(m["queries"]) == set(load_queries())
    ok = [q for q in m["queries"].values() if not q["errors"]]
    assert len(ok) >= len(m["queries"]) - 1 and all(q["p50_ms"] > 0 for q in ok)
    assert "| oxigraph-server |" in out.with_suffix(".md").read_text(encoding="utf-8")

    # the same run's parameters, reused; and the store's count refused by the server (its time limit)
    params = engines.saved_params(out)
    assert params[12] == m["params"]

    def refuse(self, graph=None):
        raise StoreError("http://127.0.0.1/query: the answer broke off")

    monkeypatch.setattr(RemoteStore, "count_triples", refuse)
    again = engines.run_engines(tmp_path / "corpus", [12], ["oxigraph-server"], repeat=1, limit=20, progress=False,
                                queries=False, params=params)
    m2 = again["engines"]["oxigraph-server"]["sizes"]["12"]
    assert m2["documents"] == 12 and m2["triples"] is None and "broke off" in m2["count_error"]
    assert m2["errors"] == 1 and m2["params"] == m["params"]
