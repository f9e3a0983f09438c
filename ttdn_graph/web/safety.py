"""What the public endpoint refuses before running anything: updates, SERVICE, LOAD, and datasets naming graphs
that are not ours (FROM / FROM NAMED, default-graph-uri / named-graph-uri).

Two independent looks at the query: the token scan of ttdn_graph.queries (comments, strings and IRIs skipped, so
`sErViCe` or a keyword hidden behind a comment cannot slip through; linear time, run in the server) and rdflib's
SPARQL parser (its parse tree shows SERVICE patterns and the dataset clause; slow, so `deep_check` runs inside the
killable query worker, under the time limit). A query is refused if either finds something; a query rdflib
cannot parse is judged by the scan alone and left to Oxigraph's parser. Oxigraph itself does call out for
SERVICE, so these checks are what keep the server from fetching anything.
"""

from __future__ import annotations

import contextlib
import functools
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice

from ttdn_graph.sparql_scan import Token, line_of, scan

QUERY_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "ADD", "MOVE", "COPY", "WITH"})
MAX_QUERY_LENGTH = 100_000
MAX_NESTING = 64  # ~3,000 nested groups overflow the engine parser's stack
MAX_TOKENS = 25_000  # a 100,000-character query of ordinary SPARQL has about 20,000
_RDFLIB_LOCK = threading.Lock()  # pyparsing keeps global state


class Refused(Exception):
    """A request the endpoint will not run; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class QueryCheck:
    """What the checks learnt about an accepted query."""

    form: str  # SELECT | CONSTRUCT | ASK | DESCRIBE
    from_graphs: list[str] = field(default_factory=list)
    from_named_graphs: list[str] = field(default_factory=list)

    @property
    def is_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")

    @property
    def has_dataset(self) -> bool:
        return bool(self.from_graphs or self.from_named_graphs)


def _unescape(s: str) -> str:
    """SPARQL's \\uXXXX / \\UXXXXXXXX escapes (for IRIs compared with our graph names)."""
    return re.sub(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})", lambda m: chr(int(m.group(1) or m.group(2), 16)), s)


def _prologue(toks: list[Token]) -> tuple[dict[str, str], int]:
    """PREFIX declarations and the index of the first token after the prologue."""
    prefixes: dict[str, str] = {}
    i = 0
    while i < len(toks) and toks[i].kind == "word" and toks[i].text.upper() in ("PREFIX", "BASE"):
        if toks[i].text.upper() == "PREFIX" and i + 2 < len(toks) and toks[i + 1].kind == "pname":
            if toks[i + 2].kind == "iri":
                prefixes[toks[i + 1].text[:-1]] = _unescape(toks[i + 2].text[1:-1])
            i += 3
        else:
            i += 2
    return prefixes, i


def _resolve(tok: Token, prefixes: dict[str, str]) -> str:
    if tok.kind == "iri":
        return _unescape(tok.text[1:-1])
    if tok.kind == "pname":
        p, _, local = tok.text.partition(":")
        return prefixes.get(p, f"{p}:") + re.sub(r"\\(.)", r"\1", local)
    return tok.text


def _glued(text: str, word: str) -> str | None:
    """What follows `word` in a name token that starts with it ASCII-case-insensitively, else None.

    Oxigraph's parser matches keywords by prefix, so `SERVICEex:s`, `SERVICE:x` and `FROMex:g` are the keyword
    followed by a name; a longest-match tokenizer sees one prefixed name.
    """
    return text[len(word):] if text[: len(word)].upper() == word and text[: len(word)].isascii() else None


def _service_at(toks: list[Token], k: int) -> bool:
    """Does token k open a SERVICE pattern as the engine reads it (SERVICE SILENT? VarOrIri '{')?"""
    t = toks[k]
    rest = _glued(t.text, "SERVICE") if t.kind in ("word", "pname") else None
    if rest is None:
        return False
    if t.kind == "word" and rest.upper() in ("", "SILENT"):
        return True  # the bare keyword: refused wherever it stands
    if k > 0 and toks[k - 1].kind == "word" and toks[k - 1].text.upper() == "GRAPH":
        return False  # GRAPH service:g { … } names a graph
    nxt = toks[k + 1: k + 3]
    if nxt and nxt[0].text == "{":
        return True  # SERVICEex:s { / SERVICE:x {
    return len(nxt) == 2 and nxt[0].kind in ("iri", "pname", "var", "word") and nxt[1].text == "{"


def _max_nesting(toks: list[Token]) -> tuple[int, int]:
    """Deepest nesting of { ( [ << and the offset where it is reached."""
    depth = deepest = where = 0
    for t in toks:
        if t.kind != "punct":
            continue
        if t.text in ("{", "(", "[", "<<"):
            depth += 1
            if depth > deepest:
                deepest, where = depth, t.start
        elif t.text in ("}", ")", "]", ">>"):
            depth = max(0, depth - 1)
    return deepest, where


def scan_query(sparql: str, max_nesting: int = MAX_NESTING,
               max_tokens: int = MAX_TOKENS) -> tuple[str | None, list[str], list[str], list[str]]:
    """(query form or None, forbidden keywords seen, FROM graphs, FROM NAMED graphs) by the token scan.

    Refused(400) for what no SPARQL parser accepts, what is nested deeper than `max_nesting` (the engine's
    recursive parser would exhaust its stack) or has more than `max_tokens` tokens (the scan stops there: its cost
    is bounded whatever the text); linear in the length of the text.
    """
    toks = list(islice(scan(sparql), max_tokens + 1))
    if len(toks) > max_tokens:
        raise Refused(400, f"query of more than {max_tokens} tokens")
    for t in toks:
        if t.kind == "bad":
            raise Refused(400, f"SPARQL syntax error: unterminated string at line {line_of(sparql, t.start)}")
    deepest, where = _max_nesting(toks)
    if deepest > max_nesting:
        raise Refused(400, f"query nested deeper than {max_nesting} levels (line {line_of(sparql, where)})")
    prefixes, start = _prologue(toks)
    form = None
    bad: set[str] = set()
    froms: list[str] = []
    named: list[str] = []
    depth = 0
    for k, t in enumerate(toks):
        if t.kind == "punct":
            depth += t.text == "{"
            depth -= t.text == "}" and depth > 0
            continue
        if t.kind == "word":
            w = t.text.upper()
            if form is None and (w in QUERY_FORMS or w in UPDATE_WORDS):
                form = w
            if w in UPDATE_WORDS:
                bad.add(w)
        if _service_at(toks, k):
            bad.add("SERVICE")
        rest = _glued(t.text, "FROM") if depth == 0 and t.kind in ("word", "pname") else None
        if rest is None:
            continue
        is_named = False
        if _glued(rest, "NAMED") is not None:
            is_named, rest = True, rest[5:]
        elif not rest and k + 1 < len(toks) and toks[k + 1].kind == "word" and toks[k + 1].text.upper() == "NAMED":
            is_named, k = True, k + 1
        if rest and ":" not in rest:
            continue  # FROMAGE: not a dataset clause; the engine's parser will object
        if rest:
            target = _resolve(Token("pname", rest, t.start, t.end), prefixes)
        else:
            target = _resolve(toks[k + 1], prefixes) if k + 1 < len(toks) else ""
        (named if is_named else froms).append(target)
    if start < len(toks) and toks[start].kind == "word" and toks[start].text.upper() in UPDATE_WORDS:
        form = toks[start].text.upper()
    return form, sorted(bad), froms, named


def parse_tree_findings(sparql: str) -> tuple[bool, list[str], list[str], list[str]]:
    """(parsed?, SERVICE targets, FROM graphs, FROM NAMED graphs) from rdflib's parse tree.

    The verdict is a function of the text alone, and rdflib's parse costs tens of milliseconds, so the workers keep
    the last verdicts: clients repeat the same queries. Copies are returned so a caller cannot alter a kept verdict.
    """
    parsed, services, froms, named = _parse_tree_findings(sparql)
    return parsed, list(services), list(froms), list(named)


@functools.lru_cache(maxsize=512)
def _parse_tree_findings(sparql: str) -> tuple[bool, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    try:
        from pyparsing import ParseResults
        from rdflib.plugins.sparql.algebra import translateQuery
        from rdflib.plugins.sparql.parser import parseQuery
        from rdflib.plugins.sparql.parserutils import CompValue
    except ImportError:  # pragma: no cover - rdflib is a dependency
        return False, (), (), ()
    try:
        with _RDFLIB_LOCK:
            tree: object = parseQuery(sparql)
            # the algebra has prefixed names resolved to IRIs; failing that, the raw tree (names never ours)
            with contextlib.suppress(Exception):
                tree = translateQuery(tree).algebra
    except Exception:  # noqa: BLE001 - rdflib's grammar is older than Oxigraph's; the scan still applies
        return False, (), (), ()
    services: list[str] = []
    froms: list[str] = []
    named: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                services.append(str(node.get("term")))
            if node.name == "DatasetClause":  # CompValue.get(k) answers k itself when k is missing
                if "default" in node:
                    froms.append(str(node["default"]))
                if "named" in node:
                    named.append(str(node["named"]))
            for v in node.values():
                walk(v)
        elif isinstance(node, list | tuple | ParseResults):
            for v in node:
                walk(v)

    walk(tree)
    return True, tuple(services), tuple(froms), tuple(named)


def deep_check(sparql: str, local_graphs: Callable[[], Iterable[str]] | Iterable[str] | None = None) -> None:
    """Refused(403) when rdflib's parse tree shows SERVICE or a dataset naming graphs that are not ours."""
    parsed, services, froms, named = parse_tree_findings(sparql)
    if services:
        raise Refused(403, "SERVICE (federated query) is not allowed on this endpoint")
    if froms or named:
        check_graphs(froms + named, local_graphs)


def check_query(sparql: str, local_graphs: Callable[[], Iterable[str]] | Iterable[str] | None = None,
                max_length: int = MAX_QUERY_LENGTH, deep: bool = True) -> QueryCheck:
    """Refused (403 for what is not allowed, 400 for what is not a query) or the accepted query's QueryCheck.

    `local_graphs` (a collection or a callable giving one) are the graph names FROM may use; it is only
    consulted when the query has a dataset clause. `deep=False` leaves rdflib's look to the caller (deep_check).
    """
    if not sparql or not sparql.strip():
        raise Refused(400, "empty query")
    if len(sparql) > max_length:
        raise Refused(400, f"query longer than {max_length} characters")
    form, bad, froms, named = scan_query(sparql)
    if form in UPDATE_WORDS:
        raise Refused(403, "this endpoint is read-only: SPARQL Update requests are refused")
    if "SERVICE" in bad:
        raise Refused(403, "SERVICE (federated query) is not allowed on this endpoint")
    if bad:
        raise Refused(403, f"this endpoint is read-only: {', '.join(bad)} is not allowed")
    if froms or named:
        check_graphs(froms + named, local_graphs)
    if deep:
        deep_check(sparql, local_graphs)
    return QueryCheck(form or "SELECT", froms, named)  # no form: Oxigraph's parser will say what is wrong


DATASET_REFUSED = (
    "refused by policy (403): this endpoint fetches nothing, so a dataset (FROM, FROM NAMED, default-graph-uri, "
    "named-graph-uri) may only name graphs it holds; they are listed in its service description (GET /sparql with "
    "Accept: text/turtle). Not held here: ")


def check_graphs(graphs: Iterable[str], local_graphs: Callable[[], Iterable[str]] | Iterable[str] | None) -> None:
    """Refused(403) unless every graph is one of ours (datasets never fetch anything from elsewhere).

    The SPARQL 1.1 Protocol (2.1.4) lets a service that takes no client datasets at all answer 400; this one takes
    them, over its own graphs, and refuses only the graphs it would have to fetch: a refusal by policy, which HTTP
    answers 403 and the Protocol's failure responses (2.1.7: "other 4XX ... as per HTTP") allow."""
    graphs = list(graphs)
    if not graphs:
        return
    known = set(local_graphs() if callable(local_graphs) else (local_graphs or ()))
    foreign = [g for g in graphs if g not in known]
    if foreign:
        raise Refused(403, DATASET_REFUSED + ", ".join(foreign[:5]))


__all__ = ["DATASET_REFUSED", "MAX_QUERY_LENGTH", "QueryCheck", "Refused", "check_graphs", "check_query", "deep_check",
           "parse_tree_findings", "scan_query"]
