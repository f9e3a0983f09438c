"""The `ttdn` command line."""

from __future__ import annotations

import typer

from ttdn_graph.cli_extract import extract

app = typer.Typer(help="ttdn-graph: extract, load, query and serve Vietnam's TTĐN plans.", no_args_is_help=True)
app.command("extract")(extract)


@app.callback()
def main() -> None:
    """ttdn-graph command line."""
