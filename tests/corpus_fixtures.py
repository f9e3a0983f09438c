"""A session fixture: a generated corpus, loaded (registered for all tests by tests/conftest.py).

    generated_corpus  (folder, store path) — bench.corpus.generate(70): a few provinces with their districts, whose
                      plans cascade from shared central instruments (hundreds of rows from the most-cited ones),
                      loaded once per session with ttdn_graph.loader.load_paths and closed. Treat it as
                      read-only: copy the store folder to change it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS_PLANS = 70


@pytest.fixture(scope="session")
def generated_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    sys.path.insert(0, str(ROOT))
    from bench.corpus import generate
    from ttdn_graph.loader import load_paths
    from ttdn_graph.store import open_store

    root = tmp_path_factory.mktemp("generated")
    folder = root / "plans"
    generate(CORPUS_PLANS, folder)
    with open_store(str(root / "store")) as st:
        summary = load_paths([folder], st, progress=False, jobs=2)
        assert summary.ok and len(summary.loaded) == CORPUS_PLANS
    return folder, root / "store"
