"""`ttdn serve` (the web API under uvicorn) and `ttdn named` (run a named research query from the shell).

Registered in ttdn_graph/cli.py:
    app.command("serve")(ttdn_graph.cli_serve.serve)
    app.command("named")(ttdn_graph.cli_serve.named)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer


def serve(
    store: Path | None = typer.Option(None, "--store", help="Embedded store folder (default $TTDN_STORE or ./var/store)."),
    endpoint: str | None = typer.Option(None, "--endpoint", help="Serve a remote SPARQL endpoint instead."),
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    timeout: float = typer.Option(10.0, "--timeout", min=0.1, help="Query time limit in seconds."),
    result_cap: int = typer.Option(10_000, "--result-cap", min=1, help="Most rows (or triples) in one answer."),
    workers: int = typer.Option(3, "--workers", min=1, help="Query worker processes (embedded store)."),
    page_workers: int = typer.Option(1, "--page-workers", min=0,
                                     help="More worker processes kept for pages, search and views (embedded store)."),
    result_cache_mb: float = typer.Option(64.0, "--result-cache-mb", min=0.0,
                                          help="Answers kept per query, in MB (embedded store; 0: off)."),
    answer_cap_mb: float = typer.Option(16.0, "--answer-cap-mb", min=0.001,
                                        help="Most bytes in one answer, in MB (cut at whole rows, said in headers)."),
    worker_memory_mb: int = typer.Option(384, "--worker-memory-mb", min=64,
                                         help="Memory ceiling of each query worker, in MB (a query over it gets 503)."),
    per_client: int | None = typer.Option(None, "--per-client", min=0,
                                          help="Queries in flight per client address (default workers - 1; 0: off)."),
    max_connections: int = typer.Option(256, "--max-connections", min=1,
                                        help="Open connections before the server answers 503 at once."),
    dumps: Path | None = typer.Option(None, "--dumps", help="Folder of the dumps offered at /dumps/ (written by "
                                      "`ttdn export --out`; default $TTDN_DUMPS or dumps/ beside the store)."),
) -> None:
    """Serve the SPARQL endpoint, named queries and pages. Load first: the embedded store is opened read-only."""
    import uvicorn

    from ttdn_graph.store import StoreError
    from ttdn_graph.web.app import create_app

    try:
        app = create_app(str(store) if store else None, endpoint, query_timeout=timeout, result_cap=result_cap,
                         workers=workers, result_cache_mb=result_cache_mb, answer_cap_mb=answer_cap_mb,
                         worker_memory_mb=worker_memory_mb, per_client=per_client, page_workers=page_workers,
                         dumps_dir=str(dumps) if dumps else None)
    except StoreError as e:
        typer.echo(f"error: {e}\n(load some plans first: ttdn load data/plans)", err=True)
        raise typer.Exit(2) from e
    typer.echo(f"serving on http://{host}:{port}/  (SPARQL: /sparql, named queries: /queries)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info", limit_concurrency=max_connections,
                timeout_graceful_shutdown=5)


def _table(body: bytes) -> str:
    data = json.loads(body)
    if "boolean" in data:
        return "true" if data["boolean"] else "false"
    cols = data["head"]["vars"]
    rows = [[(b.get(c) or {}).get("value", "") for c in cols] for b in data["results"]["bindings"]]
    rows = [[v if len(v) <= 70 else v[:67] + "..." for v in r] for r in rows]
    widths = [max([len(c), *(len(r[i]) for r in rows)]) for i, c in enumerate(cols)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [line.format(*cols), line.format(*("-" * w for w in widths)), *(line.format(*r) for r in rows)]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def named(
    name: str | None = typer.Argument(None, help="Query name (see --list)."),
    param: list[str] = typer.Option([], "--param", "-p", help="A parameter as name=value (repeatable)."),
    format: str = typer.Option("table", "--format", help="table | csv | tsv | json | rq (the bound query text)."),
    list_: bool = typer.Option(False, "--list", "-l", help="List the named queries and their parameters."),
    store: Path | None = typer.Option(None, "--store", help="Embedded store folder (default $TTDN_STORE or ./var/store)."),
    endpoint: str | None = typer.Option(None, "--endpoint", help="Remote SPARQL query endpoint."),
) -> None:
    """Run a named research query (queries/*.rq) with typed parameters."""
    from ttdn_graph import todays_map
    from ttdn_graph.queries import ParamError, QueryError, load_queries
    from ttdn_graph.store import StoreError, open_store

    try:
        queries = load_queries()
    except QueryError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from e
    if list_ or not name:
        for q in queries.values():
            ps = ", ".join(f"{p.name}:{p.type}" + (f"={p.default}" if p.default else "?" if p.optional else "")
                           for p in q.params)
            typer.echo(f"{q.name:<24} {q.title}" + (f"  [{ps}]" if ps else ""))
        return
    if name not in queries:
        typer.echo(f"error: no named query {name!r}; try --list", err=True)
        raise typer.Exit(2)
    values = {}
    for item in param:
        k, sep, v = item.partition("=")
        if not sep:
            typer.echo(f"error: --param wants name=value, not {item!r}", err=True)
            raise typer.Exit(2)
        values[k.strip()] = v
    q = queries[name]
    accept = {"table": "application/sparql-results+json", "json": "application/sparql-results+json",
              "csv": "text/csv", "tsv": "text/tab-separated-values"}
    if format not in (*accept, "rq"):
        typer.echo("error: --format must be table, csv, tsv, json or rq", err=True)
        raise typer.Exit(2)
    try:  # every value is checked before the store is opened
        text = None if q.expands(values) else q.bind(values)  # map=today reads the units' successors in the store
    except (ParamError, QueryError) as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from e
    if format == "rq" and text is not None:
        typer.echo(text)
        return
    try:
        with open_store(str(store) if store else None, endpoint=endpoint, read_only=True) as st:
            if text is None:
                text = q.bind(values, units=todays_map.expander(st))
            if format == "rq":
                typer.echo(text)
                return
            body, _ = st.query_raw(text, accept[format])
    except StoreError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(1) from e
    if format == "table":
        typer.echo(_table(body))
    else:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()


__all__ = ["named", "serve"]
