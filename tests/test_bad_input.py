"""Hostile input on every route (issue 13 item 5): a 4xx or a normal answer, never a 500 or reflected markup.

The routes are listed from the app itself, so a new route or parameter is covered without editing this file;
each named query counts as a route of its own with its declared parameters. Every parameter (path and query,
plus one the route does not declare) gets each hostile value twice where it holds a `%`: spliced raw into the
URL (so `%0B` arrives as a control character and `%FF%FE` as invalid UTF-8) and as literal text. /sparql is
covered by its own tests (tests/test_api_safety.py, tests/test_api_sparql.py) and skipped here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pytest
from fastapi.testclient import TestClient
from pages_fixtures import SCRIPT, make_app, oracle

from ttdn_graph.web.pages import page_url

SKIPPED = {"/sparql"}  # another module's tests own it
HOSTILE = {  # id → the value as typed into a URL
    "vt": "http://x/%0Bz", "lf": "http://x/%0Ay", "ff-fe": "%FF%FE", "nul": "%00", "long": "a" * 5000,
    "script": SCRIPT, "js-url": "javascript:alert(1)", "space": "http://x/ y", "quotes": "\"'><", "empty": "",
    "dotdot": "..%2F..%2Fetc%2Fpasswd", "pct": "%", "overlong": "%C0%AF",
}
STRAY = "x"  # a parameter no route declares
# values for the parameters a route needs to get past its first check (routes not listed need none)
PATH_FILL = {"/static/{path:path}": {"path": "css/site.css"}, "/views/lib/{name}": {"name": "vis-network.css"},
             "/queries/{name}": {"name": "most-cited"}, "/id/{path:path}": {"path": "<plan>"},
             "/vocab/{path:path}": {"path": "theme/land-border"}, "/ontology{suffix:path}": {"suffix": ""},
             "/dumps/{name}": {"name": "ttdn-0000000000000000.nq"},
             # the reader's name of the seed data/plans/000_36404a470a50d076.txt (its source node's last segment)
             "/documents/{name}": {"name": "000-36404a470a50d076-txt"},
             "/documents/{name}/original": {"name": "000-36404a470a50d076-txt"}}
QUERY_FILL = {"/resource": {"iri": "<plan>"}, "/views/agencies": {"plan": "<plan>"},
              "/views/cascade": {"instrument": "1486/QĐ-TTg"}}


@dataclass(frozen=True)
class Route:
    label: str  # what a failure names: the route, or /queries/<name> for a named query
    template: str  # the app's path, "{name}" / "{name:path}" for path parameters
    path_params: tuple[str, ...]
    query_params: tuple[str, ...]
    fixed: tuple[tuple[str, str], ...] = ()  # path parameters held constant (a named query's name)


def _flat(routes):
    """Route objects with .path/.methods: fastapi ≥ 0.13x nests included routers inside app.routes."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:
        return list(routes)
    return list(iter_route_contexts(routes))


def _names(route, kind: str) -> tuple[str, ...]:
    dependant = getattr(route, "dependant", None)
    return tuple(p.name for p in getattr(dependant, kind, [])) if dependant is not None else ()


def list_routes(app) -> tuple[list[Route], list[str]]:
    """(GET routes, paths of POST routes) of `app`, /sparql left out; named queries expanded."""
    gets, posts = [], []
    for r in _flat(app.routes):
        path, methods = getattr(r, "path", None), getattr(r, "methods", None) or set()
        if not path or path in SKIPPED:
            continue
        if "POST" in methods:
            posts.append(path)
        if "GET" not in methods:
            continue
        path_params = _names(r, "path_params") or tuple(re.findall(r"{(\w+)(?::\w+)?}", path))
        query = _names(r, "query_params")
        gets.append(Route(path, path, path_params, query))
        if path == "/queries/{name}":
            for q in app.state.named_queries.values():
                gets.append(Route(f"/queries/{q.name}", path, (), ("format", *(p.name for p in q.params)),
                                  (("name", q.name),)))
    return gets, posts


def _listing():
    """The app's routes, read from an app over a placeholder endpoint (nothing is served from it)."""
    from ttdn_graph.web.app import create_app

    app = create_app(endpoint="http://127.0.0.1:9/sparql")
    try:
        return list_routes(app)
    finally:
        app.state.executor.close()


ROUTES, POSTS = _listing()


def _cases():
    for route in ROUTES:
        params = [("path", p) for p in route.path_params] + [("query", p) for p in (*route.query_params, STRAY)]
        for where, name in params:
            for vid, value in HOSTILE.items():
                for how in ("raw", "text") if "%" in value else ("raw",):
                    yield pytest.param(route, where, name, value, how,
                                       id=f"{route.label} {where}:{name}={vid}/{how}")


CASES = list(_cases())


@pytest.fixture(scope="module")
def client(seed_store_path):  # seed_store_path: tests/api_fixtures.py
    app = make_app(seed_store_path)
    with TestClient(app, raise_server_exceptions=False) as c:  # lifespan: named queries need their worker
        yield c


@pytest.fixture(scope="module")
def plan(seed_store_path) -> str:
    with oracle(seed_store_path) as st:
        rows = st.query_values(
            "SELECT ?p WHERE { ?p a <https://w3id.org/ttdn/ontology#Plan> ; "
            "<https://w3id.org/ttdn/ontology#hasTask> ?t } ORDER BY ?p LIMIT 1")
    return rows[0]["p"]


def _fill(value: str, plan: str, base: str) -> str:
    if value != "<plan>":
        return value
    return plan if not base else page_url(plan, base)[len("/id/"):]


def build_url(route: Route, where: str, name: str, value: str, how: str, plan: str, base: str) -> str:
    """The request URL: `value` in parameter `name`, raw or as percent-encoded text; the rest filled in."""
    sent = value if how == "raw" else quote(value, safe="")
    path = route.template
    fills = {**{k: _fill(v, plan, base) for k, v in PATH_FILL.get(route.template, {}).items()}, **dict(route.fixed)}
    for p in route.path_params:
        got = sent if (where, name) == ("path", p) else fills[p]
        path = path.replace("{" + p + "}", got).replace("{" + p + ":path}", got)
    query = {k: _fill(v, plan, "") for k, v in QUERY_FILL.get(route.template, {}).items()}
    if where == "query":
        query.pop(name, None)
        rest = urlencode(query)
        return f"{path}?{rest + '&' if rest else ''}{quote(name)}={sent}"
    return f"{path}?{urlencode(query)}" if query else path


@pytest.mark.parametrize(("route", "where", "name", "value", "how"), CASES)
def test_hostile_value_is_never_a_500(client, plan, route, where, name, value, how):
    url = build_url(route, where, name, value, how, plan, client.app.state.base)
    r = client.get(url)
    assert r.status_code < 500, (url[:200], r.status_code, r.text[:300])
    assert "Traceback" not in r.text
    if r.headers.get("content-type", "").startswith("text/html"):
        assert SCRIPT not in r.text, url[:200]


@pytest.mark.parametrize("path", POSTS or [pytest.param(None, marks=pytest.mark.skip(reason="no POST route but /sparql"))])
@pytest.mark.parametrize("body", [b"\xff\xfe=%00&iri=%C0%AF", b"a=" + b"x" * 5000, b"%", b"=&&=\x00"],
                         ids=["bad-utf8", "long", "lone-pct", "junk"])
def test_post_routes_take_malformed_forms(client, path, body):
    r = client.post(path, content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code < 500, (path, r.status_code, r.text[:300])


def test_listing_matches_the_served_app(client):
    """The parameters above were read from a placeholder app; the app under test has the same routes."""
    assert list_routes(client.app) == (ROUTES, POSTS)
    assert len(ROUTES) > 10 and {"/resource", "/id/{path:path}", "/views/cascade"} <= {r.label for r in ROUTES}


# -- the reported cases and what a rejection looks like ----------------------------------------------------------
@pytest.mark.parametrize("url", ["/resource?iri=http://x/%0Bz", "/id/%FF%FE", "/views/cascade?instrument=http://x/%0Ay",
                                 "/views/agencies?plan=http://x/%0Ay", "/search?q=%C0%AF", "/resource?iri=",
                                 "/views/agencies?year=abc", "/views/agencies?plan=not-an-iri",
                                 "/views/agencies?agency=http://x/%25", "/views/cascade?instrument=http://x/%20y",
                                 "/views/cascade?instrument=1486/QĐ-TTg&direction=sideways",
                                 "/queries/most-cited?instrumentType=%00", "/static/%00"])
def test_malformed_input_is_a_plain_400(client, url):
    r = client.get(url)
    assert r.status_code == 400, (r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("text/plain") and len(r.text) < 200
    assert r.headers.get("x-content-type-options") == "nosniff"


def test_rejections_do_not_repeat_the_value(client):
    for url in ("/search?q=%3Cscript%3E%0B", "/resource?iri=%3Cscript%3Ealert(1)%3C/script%3E%00",
                "/views/agencies?plan=%3Cscript%3Ealert(1)%3C/script%3E"):
        r = client.get(url)
        assert r.status_code == 400 and "<script>" not in r.text and "alert" not in r.text, (url, r.text)


def test_iris_that_cannot_exist_are_not_found(client):
    """Printable text that is no IRI (space, stray %, '>') simply names nothing: a 404, as before."""
    for iri in ("http://x/ y", "http://x/%", "http://example.org/x> } <y", "javascript:alert(1)"):
        r = client.get("/resource", params={"iri": iri})
        assert r.status_code == 404 and SCRIPT not in r.text, iri
    assert client.get("/id/a%25").status_code == 404
    assert client.get("/static/" + "a" * 300).status_code == 404  # a name too long for the file system
