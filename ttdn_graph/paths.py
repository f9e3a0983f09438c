"""Where the project's data files live (overridable, so an installed copy can point elsewhere)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    return Path(os.environ.get("TTDN_DATA", ROOT / "data"))


def ontology_dir() -> Path:
    return Path(os.environ.get("TTDN_ONTOLOGY", ROOT / "ontology"))
