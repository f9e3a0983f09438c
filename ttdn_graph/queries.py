"""The named research queries: `queries/*.rq` files with a header comment, typed parameters, safe binding.

Header syntax (queries/README.md has the full description):

    # title: Tasks led by an agency type across provinces in a year
    # description: Every task whose lead agency is of the given type, in plans active that year …
    #   (indented comment lines continue the previous field)
    # param: agencyType (iri, ns vocab:agency-type/, default department) The lead agency's type.
    # param: year (integer, min 1945, max 2100, default 2019) Calendar year the task is active in.

Parameter values are checked against their type and turned into RDF terms (pyoxigraph validates IRIs and escapes
literals); the terms are bound by a `VALUES` block inserted at the start of the query's outer WHERE group, so a
value never becomes query syntax. Parameters without a value stay unbound (queries test them with BOUND()).
A query with a unit parameter (an `iri` under `id:unit/`) also takes `map=printed|today` (ttdn_graph.todays_map):
as of today the unit is bound to each unit it stands for on today's map, one VALUES row per unit.
The small SPARQL scanner below (comments, strings, IRIs) also serves the API's safety checks.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from ttdn_graph import paths, todays_map
from ttdn_graph.graph.namespaces import PREFIXES, VOCAB, XSD, data_base
from ttdn_graph.resolve.slug import lookup_key, nfc
from ttdn_graph.sparql_scan import Token, scan, tokens

PARAM_TYPES = ("iri", "string", "key", "integer", "decimal", "date", "boolean")
VIEWS = ("table", "chart", "timeline", "map")  # the `# view:` header's values (web/static/js/resultviews.js)
UNIT_NS = "id:unit/"  # an `iri` parameter in this namespace is a unit: its query gains the `map` parameter
MAX_VALUE_LENGTH = 1000
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_QUERY_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


class QueryError(ValueError):
    """A .rq file whose header or body cannot be used."""


class ParamError(ValueError):
    """A parameter value that does not fit its declared type (the message is safe to show to users)."""


# -- SPARQL scanning (ttdn_graph.sparql_scan) -----------------------------------------------------------------
def where_brace(toks: list[Token]) -> int | None:
    """Index (in `toks`) of the '{' opening the query's outer WHERE group, or None."""
    depth, seen_where, form = 0, False, None
    for k, t in enumerate(toks):
        if t.kind == "word" and depth == 0:
            w = t.text.upper()
            if form is None and w in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE"):
                form = w
            elif w == "WHERE":
                seen_where = True
        if t.kind == "punct" and t.text == "{":
            if depth == 0 and (seen_where or (form is not None and form != "CONSTRUCT")):
                return k
            depth += 1
        elif t.kind == "punct" and t.text == "}":
            depth = max(0, depth - 1)
    return None


# -- parameters ------------------------------------------------------------------------------------------------
def _expand_ns(ns: str) -> str:
    """`vocab:agency-type/` → the full namespace IRI (vocab:, id: and the PREFIXES known to the graph)."""
    prefix, sep, rest = ns.partition(":")
    if sep and not rest.startswith("//"):
        known = {"vocab": VOCAB, "id": data_base(), **PREFIXES}
        if prefix in known:
            return known[prefix] + rest
    return ns


_LOCAL = re.compile(r"[A-Za-z0-9._~%\-]+(?:/[A-Za-z0-9._~%\-]+)*")
_ABS_IRI = re.compile(r"(?:https?|urn):\S+", re.I)


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str = ""
    default: str | None = None
    optional: bool = False
    ns: str | None = None  # iri: namespace that bare local names are resolved against
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()
    node: str | None = None  # key: the variable an IRI value binds (a number or name binds the key itself)
    synthetic: bool = False  # added by the loader (the `map` choice of a query with a unit parameter): no variable

    @property
    def is_unit(self) -> bool:
        """An administrative unit (`iri` under `id:unit/`): `map=today` reads it on today's map."""
        return self.type == "iri" and self.ns is not None and _expand_ns(self.ns) == _expand_ns(UNIT_NS)

    def variable(self, term: ox.NamedNode | ox.Literal) -> str:
        """The variable a term of this parameter binds: a `key` given as an IRI binds its `node` variable."""
        return self.node if self.type == "key" and self.node and isinstance(term, ox.NamedNode) else self.name

    def term(self, raw: str) -> ox.NamedNode | ox.Literal:
        """The RDF term for a user-supplied value; ParamError when it does not fit the type."""
        v = raw.strip()
        if not v:
            raise ParamError(f"{self.name}: empty value")
        if len(v) > MAX_VALUE_LENGTH:
            raise ParamError(f"{self.name}: value longer than {MAX_VALUE_LENGTH} characters")
        if self.choices and v not in self.choices:
            raise ParamError(f"{self.name}: must be one of {', '.join(self.choices)}")
        if self.type == "iri":
            return self._iri(v)
        if self.type == "string":
            return ox.Literal(nfc(v))
        if self.type == "key":
            prefix = v.partition(":")[0]
            if self.node and (_ABS_IRI.fullmatch(v) or prefix in {"id", "vocab", *PREFIXES}):
                return self._iri(v)
            return ox.Literal(lookup_key(v))
        if self.type == "integer":
            if not re.fullmatch(r"[+-]?\d{1,18}", v):
                raise ParamError(f"{self.name}: not an integer: {v!r}")
            self._range(int(v))
            return ox.Literal(str(int(v)), datatype=ox.NamedNode(XSD + "integer"))
        if self.type == "decimal":
            if not re.fullmatch(r"[+-]?(?:\d{1,18}(?:\.\d{0,18})?|\.\d{1,18})", v):
                raise ParamError(f"{self.name}: not a decimal number: {v!r}")
            self._range(float(v))
            return ox.Literal(v, datatype=ox.NamedNode(XSD + "decimal"))
        if self.type == "date":
            try:
                d = date.fromisoformat(v) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) else None
            except ValueError:
                d = None
            if d is None:
                raise ParamError(f"{self.name}: not a date (YYYY-MM-DD): {v!r}")
            return ox.Literal(d.isoformat(), datatype=ox.NamedNode(XSD + "date"))
        if self.type == "boolean":
            low = v.lower()
            if low not in ("true", "false", "1", "0", "yes", "no"):
                raise ParamError(f"{self.name}: not a boolean (true/false): {v!r}")
            return ox.Literal("true" if low in ("true", "1", "yes") else "false",
                              datatype=ox.NamedNode(XSD + "boolean"))
        raise ParamError(f"{self.name}: unknown type {self.type}")

    def _range(self, x: float) -> None:
        if self.min is not None and x < self.min:
            raise ParamError(f"{self.name}: must be ≥ {self.min:g}")
        if self.max is not None and x > self.max:
            raise ParamError(f"{self.name}: must be ≤ {self.max:g}")

    def _iri(self, v: str) -> ox.NamedNode:
        if not _ABS_IRI.fullmatch(v):
            prefix, sep, rest = v.partition(":")
            if sep and prefix in {"vocab", "id", *PREFIXES} and _LOCAL.fullmatch(rest):
                v = _expand_ns(v)
            elif self.ns and _LOCAL.fullmatch(v):
                v = _expand_ns(self.ns) + v
            else:
                hint = f" or a local name under {self.ns}" if self.ns else ""
                raise ParamError(f"{self.name}: not an absolute http(s) IRI{hint}: {v!r}")
        try:
            return ox.NamedNode(v)
        except ValueError as e:
            raise ParamError(f"{self.name}: invalid IRI: {e}") from None

    def to_dict(self) -> dict:
        d = {"name": self.name, "type": self.type, "description": self.description, "default": self.default,
             "optional": self.optional}
        for k in ("ns", "min", "max", "node"):
            if getattr(self, k) is not None:
                d[k] = _expand_ns(self.ns) if k == "ns" else getattr(self, k)
        if self.choices:
            d["choices"] = list(self.choices)
        if self.is_unit:
            d["unit"] = True
        return d


def _split_options(inner: str) -> list[str]:
    """Comma-separated options, commas inside double quotes kept."""
    out, cur, quoted = [], [], False
    for ch in inner:
        if ch == '"':
            quoted = not quoted
        if ch == "," and not quoted:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur).strip())
    return [o for o in out if o]


def _unquote(s: str) -> str:
    s = s.strip()
    return s[1:-1] if len(s) >= 2 and s[0] == s[-1] == '"' else s


def parse_param(spec: str) -> Param:
    """`name (type, option, …) description` → Param. Options: default V, optional, ns IRI, min N, max N, values a|b."""
    m = re.match(r"\s*([A-Za-z][A-Za-z0-9_]*)\s*\(", spec)
    if not m:
        raise QueryError(f"param line must read 'name (type, options…) description': {spec!r}")
    i, depth, quoted = m.end(), 1, False
    while i < len(spec) and depth:
        ch = spec[i]
        if ch == '"':
            quoted = not quoted
        elif not quoted:
            depth += {"(": 1, ")": -1}.get(ch, 0)
        i += 1
    if depth:
        raise QueryError(f"unclosed '(' in param line: {spec!r}")
    opts = _split_options(spec[m.end() : i - 1])
    if not opts or opts[0] not in PARAM_TYPES:
        raise QueryError(f"param {m.group(1)}: type must be one of {', '.join(PARAM_TYPES)}")
    kw: dict = {"name": m.group(1), "type": opts[0], "description": spec[i:].strip()}
    for o in opts[1:]:
        key, _, val = o.partition(" ")
        key, val = key.lower(), _unquote(val)
        if key == "default":
            kw["default"] = val
        elif key == "optional":
            kw["optional"] = True
        elif key == "ns":
            kw["ns"] = val
        elif key in ("min", "max"):
            try:
                kw[key] = float(val)
            except ValueError:
                raise QueryError(f"param {m.group(1)}: {key} must be a number") from None
        elif key == "node":
            if not _NAME.fullmatch(val):
                raise QueryError(f"param {m.group(1)}: node must name a variable")
            kw["node"] = val
        elif key == "values":
            kw["choices"] = tuple(v.strip() for v in val.split("|") if v.strip())
        else:
            raise QueryError(f"param {m.group(1)}: unknown option {key!r}")
    p = Param(**kw)
    if p.node and p.type != "key":
        raise QueryError(f"param {p.name}: the node option is for key parameters")
    if p.default is not None:  # a bad default is the query author's error, caught at load time
        try:
            p.term(p.default)
        except ParamError as e:
            raise QueryError(f"bad default: {e}") from None
    return p


# the parameter every query with a unit parameter gains (ttdn_graph.todays_map): how its units are read
MAP_PARAM = Param(todays_map.PARAM, "string", todays_map.DESCRIPTION, default=todays_map.PRINTED,
                  choices=todays_map.MAPS, synthetic=True)


# -- named queries ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    sparql: str  # the file's text, header included (it is a comment, so the text runs as is)
    path: str | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)
    views: tuple[str, ...] = field(default_factory=tuple)  # result views that suit it, preferred first (VIEWS)

    @property
    def form(self) -> str:
        for t in scan(self.sparql):
            if t.kind == "word" and t.text.upper() in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE"):
                return t.text.upper()
        return "SELECT"

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise ParamError(f"unknown parameter {name!r} for query {self.name}")

    def terms(self, values: Mapping[str, str | None]) -> dict[str, ox.NamedNode | ox.Literal]:
        """Checked terms for every parameter that has a value (given or default); unknown names are errors. The
        `map` choice is checked too but binds no variable (see `map_mode`)."""
        for k in values:
            self.param(k)
        out = {}
        for p in self.params:
            raw = values.get(p.name)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                raw = p.default
            if raw is None:
                if not p.optional:
                    raise ParamError(f"{p.name}: a value is required")
                continue
            t = p.term(raw)
            if not p.synthetic:
                out[p.variable(t)] = t
        return out

    @property
    def unit_params(self) -> tuple[Param, ...]:
        """The administrative-unit parameters (`iri` under `id:unit/`), which `map=today` reads on today's map."""
        return tuple(p for p in self.params if p.is_unit)

    def map_mode(self, values: Mapping[str, str | None]) -> str:
        """`printed` or `today`: how the unit parameters are read (printed for a query without one)."""
        if not self.unit_params:
            return todays_map.PRINTED
        p = self.param(todays_map.PARAM)
        raw = values.get(p.name)
        raw = raw if isinstance(raw, str) and raw.strip() else p.default
        return p.term(raw).value

    def expands(self, values: Mapping[str, str | None]) -> bool:
        """Whether binding these values needs the graph: `map=today` with a unit parameter that has a value."""
        if self.map_mode(values) != todays_map.TODAY:
            return False
        terms = self.terms(values)
        return any(p.name in terms for p in self.unit_params)

    def bind(self, values: Mapping[str, str | None] | None = None,
             units: Callable[[str], Sequence[str]] | None = None) -> str:
        """The query text with the parameters bound by a VALUES block at the start of the outer WHERE group.

        With `map=today`, each unit parameter is bound to the units `units(iri)` gives (ttdn_graph.todays_map's
        expander over the store: the unit as of today), one VALUES row per combination; without `units` that is a
        ParamError, as the successor links are in the graph."""
        values = values or {}
        terms = self.terms(values)
        if not self.expands(values):
            return bind_values(self.sparql, terms)
        if units is None:
            raise ParamError(f"{todays_map.PARAM}=today: the units of today's map come from the graph; "
                             "bind with units=ttdn_graph.todays_map.expander(store)")
        columns: list[list[ox.NamedNode | ox.Literal]] = []
        for name, term in terms.items():
            if any(p.name == name for p in self.unit_params) and isinstance(term, ox.NamedNode):
                try:
                    found = [ox.NamedNode(u) for u in units(term.value)]
                except ValueError as e:
                    raise ParamError(f"{name}: {e}") from None
                columns.append(found or [term])
            else:
                columns.append([term])
        return bind_rows(self.sparql, list(terms), [tuple(row) for row in itertools.product(*columns)])

    def to_dict(self) -> dict:
        return {"name": self.name, "title": self.title, "description": self.description, "form": self.form,
                "tags": list(self.tags), "views": list(self.views), "params": [p.to_dict() for p in self.params]}


def bind_values(sparql: str, terms: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """Insert `VALUES (?a ?b) { (t1 t2) }` right after the outer WHERE's '{'; terms are pyoxigraph-serialised."""
    return bind_rows(sparql, list(terms), [tuple(terms.values())])


def bind_rows(sparql: str, names: Sequence[str], rows: Sequence[Sequence[ox.NamedNode | ox.Literal]]) -> str:
    """Insert `VALUES (?a ?b) { (a1 b1) (a2 b2) … }` right after the outer WHERE's '{' (one row: bind_values)."""
    if not names:
        return sparql
    for k in names:
        if not _NAME.fullmatch(k):
            raise ParamError(f"cannot bind {k!r}")
    for row in rows:
        if len(row) != len(names) or not all(isinstance(t, ox.NamedNode | ox.Literal) for t in row):
            raise ParamError(f"cannot bind {', '.join(names)}: a row of {len(row)} terms")
    k = where_brace(tokens(sparql))
    if k is None:
        raise QueryError("the query has no WHERE group to bind parameters in")
    at = tokens(sparql)[k].end
    head = " ".join(f"?{n}" for n in names)
    body = " ".join("(" + " ".join(str(t) for t in row) + ")" for row in rows)
    return f"{sparql[:at]}\n  VALUES ({head}) {{ {body} }}{sparql[at:]}"


def parse_rq(text: str, name: str, path: str | None = None) -> NamedQuery:
    """A NamedQuery from the text of a .rq file (its leading comment block is the header)."""
    fields: dict[str, list[str]] = {}
    params: list[str] = []
    last: list[str] | None = None
    for line in text.splitlines():
        s = line.strip()
        if not s:
            continue
        if not s.startswith("#"):
            break
        body = s[1:]
        m = re.match(r"\s?([a-z]+):\s*(.*)$", body)
        if m and m.group(1) in ("title", "description", "param", "name", "tags", "view"):
            key, val = m.group(1), m.group(2).strip()
            if key == "param":
                params.append(val)
                last = params
            else:
                fields.setdefault(key, []).append(val)
                last = fields[key]
        elif body.startswith(("  ", "\t")) and last is not None and body.strip():
            last[-1] = f"{last[-1]} {body.strip()}".strip()
        else:
            last = None
    title = " ".join(fields.get("title", [])).strip()
    if not title:
        raise QueryError(f"{name}: the header needs a '# title:' line")
    qname = (fields.get("name") or [name])[0].strip()
    if not _QUERY_NAME.fullmatch(qname):
        raise QueryError(f"{qname!r}: query names are lower-case letters, digits and '-'")
    ps = tuple(parse_param(p) for p in params)
    if len({p.name for p in ps}) != len(ps):
        raise QueryError(f"{qname}: a parameter is declared twice")
    if any(p.name == todays_map.PARAM for p in ps):
        raise QueryError(f"{qname}: the parameter name {todays_map.PARAM!r} is reserved (today's map, given to every "
                         "query with a unit parameter)")
    if any(p.is_unit for p in ps):
        ps = (*ps, MAP_PARAM)
    views = tuple(v.strip() for v in ",".join(fields.get("view", [])).split(",") if v.strip())
    if any(v not in VIEWS for v in views):
        raise QueryError(f"{qname}: view must be one or more of {', '.join(VIEWS)} (not {', '.join(views)})")
    q = NamedQuery(qname, title, " ".join(fields.get("description", [])).strip(), ps, text, path,
                   tuple(t.strip() for t in ",".join(fields.get("tags", [])).split(",") if t.strip()), views)
    if ps:
        toks = tokens(text)
        if where_brace(toks) is None:
            raise QueryError(f"{qname}: parameters need a WHERE group to be bound in")
        used = {t.text[1:] for t in toks if t.kind == "var"}
        missing = [v for p in ps if not p.synthetic for v in (p.name, p.node) if v and v not in used]
        if missing:
            raise QueryError(f"{qname}: declared parameters not used in the query: {', '.join(missing)}")
    return q


def queries_dir() -> Path:
    """The folder of named queries: $TTDN_QUERIES, else the checkout's queries/ or the installed wheel's copy."""
    return paths.queries_dir()


def load_queries(folder: str | Path | None = None) -> dict[str, NamedQuery]:
    """Every `*.rq` file of the folder, by name (sorted). A broken file raises QueryError naming it."""
    out: dict[str, NamedQuery] = {}
    for p in sorted(Path(folder or queries_dir()).glob("*.rq")):
        q = parse_rq(p.read_text(encoding="utf-8"), p.stem, str(p))
        if q.name in out:
            raise QueryError(f"{p}: query name {q.name!r} is used twice")
        out[q.name] = q
    return out


def run_named(store, name: str, values: Mapping[str, str] | None = None,
              folder: str | Path | None = None) -> list[dict]:
    """Rows of a named SELECT query on a GraphStore (for the CLI and scripts; the API adds limits)."""
    queries = load_queries(folder)
    if name not in queries:
        raise ParamError(f"no named query {name!r}; known: {', '.join(queries)}")
    return store.query(queries[name].bind(values or {}, units=todays_map.expander(store)))


__all__ = [
    "MAP_PARAM",
    "MAX_VALUE_LENGTH",
    "PARAM_TYPES",
    "VIEWS",
    "NamedQuery",
    "Param",
    "ParamError",
    "QueryError",
    "UNIT_NS",
    "Token",
    "bind_rows",
    "bind_values",
    "load_queries",
    "parse_param",
    "parse_rq",
    "queries_dir",
    "run_named",
    "scan",
    "tokens",
    "where_brace",
]
