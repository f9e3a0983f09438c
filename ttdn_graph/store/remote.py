"""Any SPARQL 1.1 endpoint (Oxigraph server, Virtuoso, Fuseki, GraphDB): the SPARQL 1.1 Protocol over httpx.

Writes replace a document's graph in one request, so readers see the old or the new version:
- by default one SPARQL Update request, `DROP SILENT GRAPH <g> ; INSERT DATA {…}` (Oxigraph, Fuseki and GraphDB
  run an update request as one transaction);
- on Virtuoso (recognised by its Server header) INSERT DATA is refused past ~1,000 triples (SP031) and compiled
  slowly, so the new graph is PUT through the Graph Store Protocol (`…/sparql-graph-crud`) into a staging graph
  (urn:uuid:…), then swapped in by one update request, `MOVE SILENT GRAPH <staging> TO <g>`. A failed PUT leaves
  the document's graph untouched (a PUT that fails half-way is not rolled back by Virtuoso, hence the staging
  graph). Large INSERT/DELETE DATA updates (the inferred graph's diff) are split into several requests there: not
  atomic, but that graph is recomputed from the documents, and the next `recompute_inferred` repairs an
  interrupted write.
Reads: results are parsed with pyoxigraph, so rows hold the same term types as the embedded store. The whole-store
views (graphs, counts, quads, export) cover only graphs under the data base IRI: a shared service also holds other
data (Virtuoso keeps system graphs of its own). For user queries to see the named graphs without GRAPH clauses the
engine's default graph must be their union (Oxigraph: `--union-default-graph`, or union_default_graph=True to send
its per-request parameter; Virtuoso: the default; Fuseki: `tdb2:unionDefaultGraph true`; GraphDB: the default).
Credentials: `http://user:password@host/…` in the endpoint URL or $TTDN_ENDPOINT_USER / $TTDN_ENDPOINT_PASSWORD;
Digest for Virtuoso's `…-auth` endpoints, Basic elsewhere.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from ttdn_graph import __version__
from ttdn_graph.store.base import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    GraphStore,
    Row,
    StoreError,
    pick_format,
    rows_from,
)

QUERY_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
READ_GRAPH_FORMATS = GRAPH_FORMATS | {"text/plain": ox.RdfFormat.N_TRIPLES, "application/x-turtle": ox.RdfFormat.TURTLE}
VIRTUOSO_DATA_TRIPLES = 500  # triples per INSERT/DELETE DATA request on Virtuoso (its compiler gives up near 1,000)
# bytes of triples per update request elsewhere: Oxigraph's server refuses bodies past 128 MB (the inferred graph of
# 10,000 plans is ~180 MB as INSERT DATA), and proxies in front of a service often have lower limits
MAX_UPDATE_BYTES = 16 * 1024 * 1024
_DATA_OP = re.compile(r"(INSERT|DELETE) DATA \{ GRAPH <([^<>\"{}|^`\\\s]*)> \{\n(.*)\n\} \}", re.S)
_DROP_OP = re.compile(r"DROP SILENT GRAPH <([^<>\"{}|^`\\\s]*)>")


def default_update_endpoint(endpoint: str) -> str | None:
    """Where updates go by convention: Oxigraph and Fuseki …/query → …/update; Virtuoso's …/sparql (and
    …/sparql-auth) takes them itself. None (read-only) otherwise, e.g. GraphDB's …/repositories/NAME: give the
    update endpoint (…/repositories/NAME/statements) explicitly."""
    e = endpoint.rstrip("/")
    if e.endswith("/query"):
        return e[: -len("query")] + "update"
    if e.endswith(("/sparql", "/sparql-auth")):
        return e
    return None


def virtuoso_graph_store(update_endpoint: str) -> str:
    """Virtuoso's Graph Store Protocol endpoint next to its SPARQL endpoint (the -auth variant for -auth)."""
    parts = urlsplit(update_endpoint)
    path = parts.path.rstrip("/")
    base, _, last = path.rpartition("/")
    name = "sparql-graph-crud-auth" if last.endswith("-auth") else "sparql-graph-crud"
    return urlunsplit(parts._replace(path=f"{base}/{name}", query=""))


def query_form(sparql: str) -> str | None:
    """SELECT | CONSTRUCT | ASK | DESCRIBE for a query, 'UPDATE' for an update, None when neither shows."""
    from ttdn_graph.queries import scan  # the project's SPARQL scanner (comments, strings, IRIs)

    for t in scan(sparql):
        if t.kind != "word":
            continue
        w = t.text.upper()
        if w in QUERY_FORMS:
            return w
        if w in UPDATE_WORDS:
            return "UPDATE"
    return None


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """`http://user:pw@host/path` → (`http://host/path`, user, pw)."""
    parts = urlsplit(url)
    if parts.username is None:
        return url, None, None
    netloc = parts.hostname or ""
    if ":" in netloc:
        netloc = f"[{netloc}]"
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc)), unquote(parts.username), unquote(parts.password or "")


def _narrow_accept(accept: str, form: str | None) -> str:
    """Keep the media types that suit the query form: Virtuoso answers a CONSTRUCT with SPARQL results JSON
    when that comes first in Accept, and a SELECT refuses graph types."""
    if form not in QUERY_FORMS:
        return accept
    table = READ_GRAPH_FORMATS if form in ("CONSTRUCT", "DESCRIBE") else RESULT_FORMATS
    kept = [p for p in accept.split(",") if p.split(";")[0].strip().lower() in table or "*" in p]
    if kept:
        return ",".join(kept).strip()
    return "application/n-triples, text/turtle;q=0.9" if table is READ_GRAPH_FORMATS \
        else "application/sparql-results+json"


def _nt_lines(quads: Iterable[ox.Quad]) -> list[str]:
    """One N-Triples line per quad (its graph name dropped)."""
    return [f"{q.subject} {q.predicate} {q.object} ." for q in quads]


def _data(op: str, graph: str, lines: list[str]) -> str:
    """`INSERT DATA` / `DELETE DATA` of `lines` in one graph, in the form _data_operations reads back."""
    return f"{op} DATA {{ GRAPH <{graph}> {{\n" + "\n".join(lines) + "\n} }"


def _nt_body(lines: list[str]) -> bytes:
    """`lines` as an N-Triples request body (the Graph Store Protocol's appends)."""
    return ("\n".join(lines) + "\n").encode("utf-8")


def _size(lines: list[str]) -> int:
    """Bytes of `lines` as sent (UTF-8, one newline each)."""
    return sum(len(line.encode("utf-8")) + 1 for line in lines)


def _chunks(lines: list[str], limit: int) -> Iterator[list[str]]:
    """`lines` cut into runs of at most `limit` bytes (UTF-8, with their newlines); a longer line goes alone."""
    run: list[str] = []
    size = 0
    for line in lines:
        n = len(line.encode("utf-8")) + 1
        if run and size + n > limit:
            yield run
            run, size = [], 0
        run.append(line)
        size += n
    if run:
        yield run


def _data_operations(sparql: str) -> list[tuple[str, str, list[str]]] | None:
    """The operations of an update made only of `DROP SILENT GRAPH` and one-graph INSERT/DELETE DATA blocks with one
    triple per line (what this package writes), as (op, graph, lines); None for any other update."""
    ops: list[tuple[str, str, list[str]]] = []
    for part in sparql.split(" ;\n"):
        part = part.strip()
        if m := _DROP_OP.fullmatch(part):
            ops.append(("DROP", m.group(1), []))
        elif m := _DATA_OP.fullmatch(part):
            lines = m.group(3).split("\n")
            if not all(line.endswith(" .") for line in lines):
                return None
            ops.append((m.group(1), m.group(2), lines))
        else:
            return None
    return ops


class RemoteStore(GraphStore):
    def __init__(
        self,
        endpoint: str,
        update_endpoint: str | None = None,
        *,
        read_only: bool = False,
        union_default_graph: bool = False,
        timeout: float = 120.0,
        base: str | None = None,
        graph_store: str | None = None,
        engine: str | None = None,
        user: str | None = None,
        password: str | None = None,
    ):
        super().__init__(base)
        endpoint, url_user, url_password = split_credentials(endpoint)
        if update_endpoint:
            update_endpoint, u2, p2 = split_credentials(update_endpoint)
            url_user, url_password = url_user or u2, url_password or p2
        self.endpoint = endpoint
        self.update_endpoint = None if read_only else (update_endpoint or default_update_endpoint(endpoint))
        self.read_only = read_only or self.update_endpoint is None
        self.union_default_graph = union_default_graph
        self.timeout = timeout
        self.graph_store = graph_store
        self.max_update_bytes = MAX_UPDATE_BYTES
        self._engine = engine.lower() if engine else None
        user = user or url_user or os.environ.get("TTDN_ENDPOINT_USER")
        password = password or url_password or os.environ.get("TTDN_ENDPOINT_PASSWORD") or ""
        auth: httpx.Auth | None = None
        if user:
            digest = any(u and urlsplit(u).path.rstrip("/").endswith("-auth") for u in (endpoint, update_endpoint))
            auth = httpx.DigestAuth(user, password) if digest else httpx.BasicAuth(user, password)
        self._client = httpx.Client(timeout=timeout, auth=auth, follow_redirects=False,
                                    headers={"User-Agent": f"ttdn-graph/{__version__}"})

    def __repr__(self) -> str:
        return f"RemoteStore({self.endpoint!r}, update_endpoint={self.update_endpoint!r})"

    # -- transport
    def _request(self, method: str, url: str, **kw: Any) -> httpx.Response:
        try:
            resp = self._client.request(method, url, **kw)
        except httpx.TimeoutException as e:
            raise StoreError(f"{url}: no answer within {self.timeout:g} s") from e
        except httpx.HTTPError as e:
            raise StoreError(f"{url}: {e}") from e
        if self._engine is None:
            self._engine = _engine_from(resp.headers.get("server", ""))
        if resp.status_code in (401, 403) and not resp.text.strip():
            raise StoreError(f"{url}: HTTP {resp.status_code}: not authorised (credentials: user:password@ in the URL, "
                             f"or $TTDN_ENDPOINT_USER and $TTDN_ENDPOINT_PASSWORD)")
        if resp.status_code >= 400:
            raise StoreError(f"{url}: HTTP {resp.status_code}: {resp.text.strip()[:1500]}")
        return resp

    @property
    def engine(self) -> str:
        """virtuoso | oxigraph | fuseki | graphdb | other, from the server's Server header (asked once)."""
        if self._engine is None:
            with contextlib.suppress(StoreError):
                self._request("POST", self.endpoint, data={"query": "ASK {}"},
                              headers={"Accept": "application/sparql-results+json"})
            self._engine = self._engine or "other"
        return self._engine

    # -- reading
    def _query(self, sparql: str, accept: str | None) -> httpx.Response:
        form = query_form(sparql)
        if form == "UPDATE":
            raise StoreError("updates are not queries; use update()")
        accept = _narrow_accept(accept or "application/sparql-results+json, text/turtle;q=0.9", form)
        data = {"query": sparql}
        if self.union_default_graph:
            data["union-default-graph"] = ""
        return self._request("POST", self.endpoint, data=data, headers={"Accept": accept})

    def query_raw(self, sparql: str, accept: str | None = None) -> tuple[bytes, str]:
        resp = self._query(sparql, accept)
        return resp.content, _media_type(resp)

    def _execute(self, sparql: str) -> Any:
        return self._answer(sparql)[0]

    def query(self, sparql: str) -> list[Row]:
        """As GraphStore.query; an answer that breaks off is a StoreError. Oxigraph's server, when a query runs out
        of its time limit, has already sent status 200 and part of the rows: it ends the body with a message
        instead of the rest, and only reading the rows finds that out."""
        result, body = self._answer(sparql)
        try:
            return rows_from(result)
        except (SyntaxError, ValueError) as e:
            tail = body[-200:].decode("utf-8", "replace").rsplit("}", 1)[-1].strip()
            said = f"; the answer ends with: {tail!r}" if tail else ""
            raise StoreError(f"{self.endpoint}: the answer broke off ({e}){said}. Was the server's query time "
                             f"limit reached?") from e

    def _answer(self, sparql: str) -> tuple[Any, bytes]:
        """The parsed answer (rows read lazily) and the body it is read from."""
        form = query_form(sparql)
        accept = ("application/n-triples, text/turtle;q=0.9" if form in ("CONSTRUCT", "DESCRIBE")
                  else "application/sparql-results+json")
        resp = self._query(sparql, accept)
        if resp.headers.get("x-sql-state") == "S1TAT":  # Virtuoso's "anytime" answer: cut by its time limit
            raise StoreError(f"{self.endpoint}: incomplete answer, the server's query time limit was reached "
                             f"({resp.headers.get('x-sql-message', '')})")
        if cap := resp.headers.get("x-sparql-maxrows"):  # Virtuoso cut the answer at its ResultSetMaxRows
            raise StoreError(f"{self.endpoint}: the server cut the answer at {cap} rows (Virtuoso: raise "
                             f"ResultSetMaxRows in [SPARQL] of virtuoso.ini)")
        body, ctype = resp.content, _media_type(resp)
        try:
            if RESULT_FORMATS.get(ctype) == ox.QueryResultsFormat.JSON:
                body = valid_bnodes(body)
            if ctype in RESULT_FORMATS:
                return ox.parse_query_results(body, RESULT_FORMATS[ctype]), body
            if ctype in READ_GRAPH_FORMATS:
                return [t for t in ox.parse(body, READ_GRAPH_FORMATS[ctype])], body
            _, fmt = pick_format(ctype, RESULT_FORMATS, "application/sparql-results+json")
            return ox.parse_query_results(body, fmt), body
        except (SyntaxError, ValueError) as e:
            raise StoreError(f"{self.endpoint}: unreadable answer ({ctype or 'no content type'}): {e}") from e

    # -- writing
    def _writable(self) -> str:
        if self.read_only or not self.update_endpoint:
            raise StoreError(f"{self.endpoint}: no update endpoint (read-only)")
        return self.update_endpoint

    def _post_update(self, sparql: str) -> None:
        self._request("POST", self._writable(), content=sparql.encode("utf-8"),
                      headers={"Content-Type": "application/sparql-update; charset=utf-8"})

    def update(self, sparql: str) -> None:
        self._writable()
        if query_form(sparql) in QUERY_FORMS:
            raise StoreError("not a SPARQL update")
        if self.engine == "virtuoso":
            ops = _data_operations(sparql)
            if ops and sum(len(lines) for _, _, lines in ops) > VIRTUOSO_DATA_TRIPLES:
                self._virtuoso_data_update(ops)
                return
        elif len(sparql) > self.max_update_bytes // 4 and len(sparql.encode("utf-8")) > self.max_update_bytes:
            ops = _data_operations(sparql)
            if ops:  # not atomic: only the inferred graph's diff gets this big, and the next recompute repairs it
                self._chunked_data_update(ops)
                return
        self._post_update(sparql)

    def _chunked_data_update(self, ops: list[tuple[str, str, list[str]]]) -> None:
        for op, graph, lines in ops:
            if op == "DROP":
                self._post_update(f"DROP SILENT GRAPH <{graph}>")
                continue
            for chunk in _chunks(lines, self.max_update_bytes):
                self._post_update(_data(op, graph, chunk))

    def _virtuoso_data_update(self, ops: list[tuple[str, str, list[str]]]) -> None:
        """DATA operations too large for one Virtuoso request: INSERTs appended through the Graph Store Protocol,
        DELETEs and DROPs as update requests of bounded size, in order."""
        for op, graph, lines in ops:
            if op == "DROP":
                self._post_update(f"DROP SILENT GRAPH <{graph}>")
            elif op == "INSERT":
                self._gsp("POST", graph, _nt_body(lines))
            else:
                for i in range(0, len(lines), VIRTUOSO_DATA_TRIPLES):
                    self._post_update(_data("DELETE", graph, lines[i : i + VIRTUOSO_DATA_TRIPLES]))

    def _gsp(self, method: str, graph: str, body: bytes) -> None:
        url = self.graph_store or virtuoso_graph_store(self._writable())
        self._request(method, url, params={"graph-uri" if self.engine == "virtuoso" else "graph": graph},
                      content=body, headers={"Content-Type": "application/n-triples; charset=utf-8"})

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad]) -> None:
        self._writable()
        if self.engine != "virtuoso" and not self.graph_store:
            lines = _nt_lines(quads)
            if _size(lines) <= self.max_update_bytes:
                body = f" ;\n{_data('INSERT', graph, lines)}" if lines else ""
                self._post_update(f"DROP SILENT GRAPH <{graph}>{body}")  # one request: one transaction
                return
            # too big for one request: written in parts into a fresh staging graph, then swapped in by one MOVE
            # (one transaction), so readers still see the old or the new graph, never a part
            staging = f"urn:uuid:{uuid.uuid4()}"
            try:
                for chunk in _chunks(lines, self.max_update_bytes):
                    self._post_update(_data("INSERT", staging, chunk))
                self._post_update(f"MOVE SILENT GRAPH <{staging}> TO <{graph}>")
            except StoreError:
                with contextlib.suppress(StoreError):
                    self._post_update(f"DROP SILENT GRAPH <{staging}>")
                raise
            return
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        if not triples:
            self.drop_graph(graph)
            return
        staging = f"urn:uuid:{uuid.uuid4()}"  # a fresh graph, outside the data base
        try:
            self._gsp("PUT", staging, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
            self._post_update(f"MOVE SILENT GRAPH <{staging}> TO <{graph}>")
        except StoreError:
            with contextlib.suppress(StoreError):
                self._post_update(f"DROP SILENT GRAPH <{staging}>")
            raise

    def has_graph(self, graph: str) -> bool:
        """Whether the store holds any triple in `graph` (the loader's test before a batched write)."""
        return self.ask(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")

    def add_new_graphs(self, graphs: Mapping[str, Sequence[ox.Quad]]) -> None:
        """Write several graphs the store does not hold yet: one INSERT DATA request for the whole batch (one
        transaction on Oxigraph, Fuseki and GraphDB, so each graph is whole or absent), where a request per graph
        costs a round trip and a transaction each. On Virtuoso, whose INSERT DATA is limited, each graph goes
        through replace_graph (staging graph, then MOVE). A graph too big for one request (the inferred graph of a
        national corpus: ~1 M triples) is appended in parts: a MOVE of that much timed out on both Oxigraph's
        server and Virtuoso at 10,000 plans; on a failure the partial graph is dropped again."""
        self._writable()
        lines_of = {g: _nt_lines(quads) for g, quads in graphs.items()}
        big = {g for g, lines in lines_of.items() if _size(lines) > self.max_update_bytes}
        for graph in big:
            self._append_in_parts(graph, lines_of[graph])
        rest = {g: lines for g, lines in lines_of.items() if g not in big and lines}
        if self.engine == "virtuoso" or self.graph_store:
            for graph in rest:
                self.replace_graph(graph, graphs[graph])
            return
        blocks = [f"GRAPH <{g}> {{\n" + "\n".join(lines) + "\n}" for g, lines in rest.items()]
        text = "INSERT DATA {\n" + "\n".join(blocks) + "\n}"
        if len(text.encode("utf-8")) > self.max_update_bytes:  # each graph fits, the batch does not
            for g, lines in rest.items():
                self._post_update(_data("INSERT", g, lines))
        elif blocks:
            self._post_update(text)

    def _append_in_parts(self, graph: str, lines: list[str]) -> None:
        try:
            for chunk in _chunks(lines, self.max_update_bytes):
                if self.engine == "virtuoso" or self.graph_store:
                    self._gsp("POST", graph, _nt_body(chunk))
                else:
                    self._post_update(_data("INSERT", graph, chunk))
        except StoreError:
            with contextlib.suppress(StoreError):
                self._post_update(f"DROP SILENT GRAPH <{graph}>")
            raise

    # -- whole-store views, limited to this data base's graphs
    def _ours(self, var: str = "?g") -> str:
        return f"FILTER(STRSTARTS(STR({var}), {ox.Literal(self.base)}))"

    def graphs(self) -> list[str]:
        if self.engine == "virtuoso":
            return sorted(self._virtuoso_graph_sizes())
        return sorted(r["g"].value for r in self.query(self._our_graphs()))

    def _our_graphs(self) -> str:
        """SELECT ?g of the non-empty graphs of this data base. `GRAPH ?g {}` lists the graphs without reading
        their quads (a graph emptied by DELETE stays listed on Oxigraph: hence the EXISTS)."""
        return (f"SELECT ?g WHERE {{ GRAPH ?g {{ }} {self._ours()} "
                f"FILTER EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} }} }}")

    def _virtuoso_graph_sizes(self) -> dict[str, int]:
        """Quads per graph of this data base, on Virtuoso. Its grouped count by graph reads an index (0.1 s at 1 M
        quads); the same with a filter on the graph's name takes 30x that and grows with the store (past its time
        limit at 10,000 plans), and a `DISTINCT ?g` ran for minutes. So the names are filtered here."""
        rows = self.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {r["g"].value: int(r["n"].value) for r in rows
                if isinstance(r.get("g"), ox.NamedNode) and r["g"].value.startswith(self.base)}

    def count_triples(self, graph: str | None = None) -> int:
        if graph:
            return super().count_triples(graph)
        if self.engine == "virtuoso":
            return sum(self._virtuoso_graph_sizes().values())
        # the graphs first: a filter on every quad's graph name costs 3.5x the count (Oxigraph, 8 M quads: 21 s / 6 s)
        rows = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ {self._our_graphs()} }} GRAPH ?g {{ ?s ?p ?o }} }}")
        return int(rows[0]["n"].value) if rows else 0

    def quads(self) -> Iterator[ox.Quad]:
        """Graph by graph: each answer stays under the server's result cap (Virtuoso: ResultSetMaxRows)."""
        for g in self.graphs():
            gn = ox.NamedNode(g)
            for r in self.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}"):
                yield ox.Quad(r["s"], r["p"], r["o"], gn)

    def export(self, fmt: str, out: Any) -> None:
        if fmt == "ttl":  # the union as triples, from the quads (a CONSTRUCT over everything may hit a result cap)
            from ttdn_graph.graph.namespaces import PREFIXES

            seen = dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in self.quads())
            data = ox.serialize(seen, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES | {"id": self.base})
            if isinstance(out, str | os.PathLike):
                with open(out, "wb") as f:
                    f.write(data)
            else:
                out.write(data)
            return
        super().export(fmt, out)

    def close(self) -> None:
        self._client.close()


_BNODE_LABEL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


def valid_bnodes(body: bytes) -> bytes:
    """SPARQL JSON results whose blank nodes pyoxigraph can read. Virtuoso names them `nodeID://b10001`, which is no
    blank node label (pyoxigraph refuses the answer): each character outside a label's own becomes `_`, so one node
    keeps one name within the answer. Any other answer is returned as it is."""
    if b'"bnode"' not in body:
        return body
    data = json.loads(body)
    changed = False
    for row in data.get("results", {}).get("bindings", []):
        for v in row.values():
            if v.get("type") == "bnode" and not _BNODE_LABEL.fullmatch(v.get("value", "")):
                v["value"] = "b_" + re.sub(r"[^A-Za-z0-9_]", "_", v.get("value", ""))
                changed = True
    return json.dumps(data).encode("utf-8") if changed else body


def _media_type(resp: httpx.Response) -> str:
    return (resp.headers.get("content-type") or "").split(";")[0].strip().lower()


def _engine_from(server: str) -> str:
    s = server.lower()
    for name in ("virtuoso", "oxigraph", "fuseki", "graphdb"):
        if name in s:
            return name
    return "other"
