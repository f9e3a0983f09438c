"""The `ttdn` command line: extract, load, remove, index, query, export, stats, validate, serve."""

from __future__ import annotations

import typer

from ttdn_graph import cli_graph, cli_serve
from ttdn_graph.cli_extract import extract
from ttdn_graph.validate import validate

app = typer.Typer(help="ttdn-graph: extract, load, query and serve Vietnam's TTĐN plans.", no_args_is_help=True)
app.command("extract")(extract)
app.command("load")(cli_graph.load)
app.command("remove")(cli_graph.remove)
app.command("index")(cli_graph.index)
app.command("query")(cli_graph.query)
app.command("export")(cli_graph.export)
app.command("stats")(cli_graph.stats)
app.command("validate")(validate)

app.command("serve")(cli_serve.serve)
app.command("named")(cli_serve.named)


@app.callback()
def main() -> None:
    """ttdn-graph command line."""
