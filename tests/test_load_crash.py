"""A load killed mid-way (SIGKILL) leaves each document graph complete or absent, never half-written."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

from graph_fixtures import ROOT, write_synthetic

from ttdn_graph.graph import SourceMeta, source_graph
from ttdn_graph.graph.build import build_document
from ttdn_graph.record import record_from_dict
from ttdn_graph.store import open_store

LOADER = """
import sys
from ttdn_graph.loader import load_paths
from ttdn_graph.store import EmbeddedStore, open_store
EmbeddedStore.WRITE_BATCH = (40_000, 20)  # several batches in 200 documents, so that the kill lands between two
load_paths([sys.argv[2]], open_store(sys.argv[1]), progress=True)
"""


def test_sigkill_mid_load_leaves_whole_graphs_only(tmp_path):
    files = write_synthetic(tmp_path / "records", 200)
    expected, by_seed = {}, {}
    for f in files:  # copies of one seed differ only in their source name: build each seed once
        rec = record_from_dict(json.loads(f.read_text(encoding="utf-8")))
        seed = rec.source.split("_", 2)[2]
        if seed not in by_seed:  # the first copy holds the plan; the later ones only their own nodes (store.copies)
            g = source_graph(rec.source)
            own = build_document(rec, source_meta=SourceMeta(rec.source)).own
            by_seed[seed] = len(own)
            expected[g] = len(own)
            continue
        expected[source_graph(rec.source)] = sum(
            1 for q in build_document(rec, source_meta=SourceMeta(rec.source)).own
            if q.subject.value.startswith(source_graph(rec.source)) or q.object == q.graph_name)
    store_dir = tmp_path / "store"
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-c", LOADER, str(store_dir), str(tmp_path / "records")],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, cwd=ROOT, env=env, text=True)
    done = 0
    try:
        for line in proc.stderr:
            if line.startswith("[") and "triples" in line:
                done += 1
                if done >= 5:
                    break
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the loader finished before it could be killed"
    assert done >= 5

    with open_store(str(store_dir)) as st:
        graphs = st.graphs()
        assert done <= len(graphs) < len(files)
        for g in graphs:
            assert g in expected, g
            assert st.count_triples(g) == expected[g], g
        assert st.count_triples() == sum(expected[g] for g in graphs)
