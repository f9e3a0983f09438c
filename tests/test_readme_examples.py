"""The README's `ttdn query` examples print what the README says they print (run on the seed store)."""

from __future__ import annotations

import re
import shlex

import pytest
from graph_fixtures import ROOT
from typer.testing import CliRunner

from ttdn_graph.cli import app

EXAMPLE = re.compile(r"```sh\n(\.venv/bin/ttdn query .*?)\n```\n```text\n(.*?)```", re.S)


def examples() -> list[tuple[str, str]]:
    return EXAMPLE.findall((ROOT / "README.md").read_text(encoding="utf-8"))


def test_the_readme_has_query_examples():
    assert examples()


@pytest.mark.parametrize("command, printed", examples())
def test_a_readme_query_example_prints_what_the_readme_says(command, printed, seed_store_path):
    args = shlex.split(command.replace("\n", " "))[1:]  # without `.venv/bin/ttdn`
    args[args.index("--store") + 1] = seed_store_path
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.replace("\r\n", "\n").strip() == printed.strip()
