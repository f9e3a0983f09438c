"""Where the project's data files live: data/, ontology/ and queries/ (each overridable by an environment variable).

The top-level folders of the checkout are the source of truth, and a checkout (or an editable install of it) reads
them in place. A built wheel carries copies of them inside the package (pyproject.toml maps the packages
ttdn_graph.resources.{vocab,lexicon,gazetteer,ontology,queries} onto data/vocab, data/lexicon, data/gazetteer, ontology
and queries), so a non-editable install finds them there: ttdn_graph/resources/ stands for data/ (its vocab/, lexicon/
and gazetteer/), and holds
ontology/ and queries/. The seed plans (data/plans) are not shipped: `make run` loads them from the checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent  # the checkout when running from one; site-packages (or the like) when installed
BUNDLED = PACKAGE / "resources"  # the wheel's copies


def in_checkout() -> bool:
    """Whether this copy of the package runs from the project's source tree (not from an installed wheel)."""
    return (ROOT / "pyproject.toml").is_file() and (ROOT / "ontology").is_dir()


def _folder(name: str, env: str) -> Path:
    if os.environ.get(env):
        return Path(os.environ[env])
    if in_checkout():
        return ROOT / name
    return BUNDLED if name == "data" else BUNDLED / name


def data_dir() -> Path:
    """Vocabularies (data/vocab), the lexicon (data/lexicon) and gazetteers (data/gazetteer): $TTDN_DATA, else the checkout's or the wheel's."""
    return _folder("data", "TTDN_DATA")


def ontology_dir() -> Path:
    """The ontology, SKOS schemes and shapes (Turtle): $TTDN_ONTOLOGY, else the checkout's or the wheel's."""
    return _folder("ontology", "TTDN_ONTOLOGY")


def queries_dir() -> Path:
    """The named queries (*.rq): $TTDN_QUERIES, else the checkout's or the wheel's."""
    return _folder("queries", "TTDN_QUERIES")
