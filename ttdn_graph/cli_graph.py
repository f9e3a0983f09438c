"""`ttdn load | query | export | stats`: typer command functions (registered in ttdn_graph/cli.py)."""

import csv
import io
import json
import sys
from pathlib import Path

import typer

from ttdn_graph.cli_extract import TimeLimitOpt
from ttdn_graph.store import StoreError, open_store
from ttdn_graph.store.base import GraphStore
from ttdn_graph.store.stats import store_stats

StoreOpt = typer.Option(None, "--store", help="Embedded store folder (default $TTDN_STORE or ./var/store).")
EndpointOpt = typer.Option(None, "--endpoint", help="Remote SPARQL query endpoint (instead of the embedded store).")
UpdateOpt = typer.Option(None, "--update-endpoint", help="Remote SPARQL update endpoint (default: …/update).")


def _open(store: Path | None, endpoint: str | None, update_endpoint: str | None = None,
          read_only: bool = False) -> GraphStore:
    try:
        return open_store(str(store) if store else None, endpoint=endpoint, update_endpoint=update_endpoint,
                          read_only=read_only)
    except StoreError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from e


def load(
    paths: list[Path] = typer.Argument(..., help="Plan files, extraction-record .json files, or folders."),
    store: Path | None = StoreOpt,
    endpoint: str | None = EndpointOpt,
    update_endpoint: str | None = UpdateOpt,
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Parallel extraction processes."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No per-file progress lines."),
    time_limit: float = TimeLimitOpt,
    source_url: str | None = typer.Option(
        None, "--source-url", help="Where the one file loaded was published (http/https; for many files give each a "
                                   "sidecar <file name>.url holding its URL)."),
) -> None:
    """Load plans into the graph: one named graph per document, replaced on reload; then recompute inferences."""
    from ttdn_graph.loader import load_paths
    from ttdn_graph.sources import SourceUrlError, check_url

    if source_url is not None:
        try:
            source_url = check_url(source_url)
        except SourceUrlError as e:
            typer.echo(f"error: --source-url: {e}", err=True)
            raise typer.Exit(2) from e
    with _open(store, endpoint, update_endpoint) as st:
        if getattr(st, "read_only", False):
            typer.echo(f"error: {st!r} takes no updates; give --update-endpoint", err=True)
            raise typer.Exit(2)
        try:
            summary = load_paths(paths, st, jobs=jobs, progress=not quiet, time_limit=time_limit,
                                 source_url=source_url)
        except SourceUrlError as e:
            typer.echo(f"error: {e}", err=True)
            raise typer.Exit(2) from e
    for line in summary.lines():
        typer.echo(line, err=True)
    if not summary.ok:
        raise typer.Exit(1)


def remove(
    names: list[str] = typer.Argument(..., help="Documents to remove: their file names as loaded."),
    store: Path | None = StoreOpt,
    endpoint: str | None = EndpointOpt,
    update_endpoint: str | None = UpdateOpt,
) -> None:
    """Remove documents: their graphs, and what only they stated about shared entities; then the inferences."""
    from ttdn_graph.loader import remove_documents

    with _open(store, endpoint, update_endpoint) as st:
        if getattr(st, "read_only", False):
            typer.echo(f"error: {st!r} takes no updates; give --update-endpoint", err=True)
            raise typer.Exit(2)
        summary = remove_documents(st, names)
    typer.echo(f"removed {len(summary.loaded)} document(s)", err=True)
    for line in summary.lines()[1:]:
        typer.echo(line, err=True)
    if not summary.ok:
        raise typer.Exit(1)


def index(store: Path | None = StoreOpt) -> None:
    """Rebuild the search index beside an embedded store from what it holds (every load does this itself; this is
    for a store loaded before search indexes existed, or after a load that was killed)."""
    from ttdn_graph.search.build import build_index
    from ttdn_graph.sidecar import search_path
    from ttdn_graph.store.embedded import EmbeddedStore

    with _open(store, None, None, read_only=True) as st:
        if not isinstance(st, EmbeddedStore):
            typer.echo("error: a search index is kept beside an embedded store only", err=True)
            raise typer.Exit(2)
        out = build_index(st, search_path(st.path))
    typer.echo(out.line() if out else "search index: unchanged", err=True)


def _read_query(query: str | None, file: Path | None) -> str:
    if file is not None:
        text = file.read_text(encoding="utf-8")
    elif query == "-" or (query is None and not sys.stdin.isatty()):
        text = sys.stdin.read()
    else:
        text = query or ""
    if not text.strip():
        typer.echo("error: give a query, -f FILE, or a query on stdin", err=True)
        raise typer.Exit(2)
    return text


def _table(body: bytes) -> str:
    data = json.loads(body)
    if "boolean" in data:
        return "true" if data["boolean"] else "false"
    cols = data["head"]["vars"]
    rows = [[(b.get(c) or {}).get("value", "") for c in cols] for b in data["results"]["bindings"]]
    widths = [min(80, max([len(c), *(len(r[i]) for r in rows)])) for i, c in enumerate(cols)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines = [fmt.format(*cols), fmt.format(*("-" * w for w in widths))]
    lines += [fmt.format(*(v if len(v) <= 80 else v[:77] + "..." for v in r)) for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def query(
    query: str | None = typer.Argument(None, help="SPARQL query text ('-' reads stdin)."),
    file: Path | None = typer.Option(None, "--file", "-f", exists=True, help="Read the query from a file."),
    format: str = typer.Option("table", "--format", help="table | csv | json (SPARQL 1.1 Query Results JSON)."),
    store: Path | None = StoreOpt,
    endpoint: str | None = EndpointOpt,
) -> None:
    """Run a SPARQL query over all documents (union of the named graphs)."""
    if format not in ("table", "csv", "json"):
        typer.echo("error: --format must be table, csv or json", err=True)
        raise typer.Exit(2)
    text = _read_query(query, file)
    accept = {"csv": "text/csv", "json": "application/sparql-results+json", "table": "application/sparql-results+json"}
    with _open(store, endpoint, read_only=True) as st:
        try:
            body, ctype = st.query_raw(text, accept[format] + ", text/turtle;q=0.5")
        except StoreError as e:
            typer.echo(f"error: {e}", err=True)
            raise typer.Exit(1) from e
    if format == "table" and "json" in ctype:
        typer.echo(_table(body))
    else:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()


def export(
    format: str = typer.Option("nq", "--format", help="nq | trig | jsonld (all graphs) | ttl (their union); with "
                               "--out, a comma-separated list (nquads, trig, turtle, jsonld)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Output file (default stdout)."),
    out: Path | None = typer.Option(None, "--out", help="Dumps folder: files named with the load's version, each "
                                    "with a .sha256, and a manifest (ttdn_graph/dumps.py)."),
    store: Path | None = StoreOpt,
    endpoint: str | None = EndpointOpt,
) -> None:
    """Write the whole graph out: to a file or stdout, or as citable dumps into a folder (--out)."""
    from ttdn_graph.dumps import DumpError, formats_of, write_dumps

    try:
        formats = formats_of(format)
    except DumpError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from e
    if out is not None and output is not None:
        typer.echo("error: give --out (a dumps folder) or --output (one file), not both", err=True)
        raise typer.Exit(2)
    if out is None and len(formats) > 1:
        typer.echo("error: several formats need --out (a dumps folder)", err=True)
        raise typer.Exit(2)
    with _open(store, endpoint, read_only=True) as st:
        if out is not None:
            manifest = write_dumps(st, out, formats, warn=lambda msg: typer.echo(f"warning: {msg}", err=True))
            for f in manifest.files:
                typer.echo(f"{out / f.name}  {f.bytes} bytes  sha256 {f.sha256}", err=True)
            typer.echo(f"version {manifest.version}: {manifest.quads} quads; manifest {out / manifest.name}",
                       err=True)
        elif output is not None:
            st.export(formats[0], output)
        else:
            buf = io.BytesIO()
            st.export(formats[0], buf)
            sys.stdout.buffer.write(buf.getvalue())
            sys.stdout.flush()


def stats(
    store: Path | None = StoreOpt,
    endpoint: str | None = EndpointOpt,
    format: str = typer.Option("table", "--format", help="table | json"),
) -> None:
    """Counts: triples, graphs, resources by class, loaded plans by unit and year."""
    with _open(store, endpoint, read_only=True) as st:
        s = store_stats(st)
    if format == "json":
        typer.echo(json.dumps(s, ensure_ascii=False, indent=2))
        return
    typer.echo(f"triples: {s['triples']}\ngraphs: {s['graphs']} ({s['documents']} documents)\n\nby class:")
    for c, n in s["classes"]:
        typer.echo(f"  {n:>8}  {c}")
    typer.echo("\nloaded plans by unit and year:")
    w = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    for unit, year, n in s["plans"]:
        w.writerow(["", unit, year, n])
