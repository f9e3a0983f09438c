"""No dead links: every link of the site, followed from the index to depth 3 on the seeds, answers (no 404, no 5xx).

Links are read from every page's `href` and `src` attributes (anchors, stylesheets, scripts, images). Every page to
depth 2 is fetched and read for links. The links found there (depth 3, about 17,000 on the seeds: every facet value,
sort and page of every table, every node) are checked without fetching all of them:
- a node page (`/id/…`, `/vocab/…`, `/resource?iri=…`) exists when the store or the ontology files hold a statement
  about or pointing at its IRI; that is checked for every one of them at once, and a sample is fetched to check that
  the rule is the route's;
- any other URL is fetched once per shape (its path and the names of its parameters: a table with one facet value
  is built by the same code as with another).
"""

from __future__ import annotations

from collections import deque
from urllib.parse import parse_qsl, unquote, urldefrag, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from pages_fixtures import app_client, oracle

from ttdn_graph.views.labels import ontology_store

SITE = "http://testserver"
SAMPLE_EVERY = 40


@pytest.fixture(scope="module")
def client(seed_store_path):
    with app_client(seed_store_path) as c:
        yield c


def local_links(base: str, html: str) -> set[str]:
    soup = BeautifulSoup(html, "html.parser")
    found = set()
    for tag in soup.find_all(True):
        for attr in ("href", "src"):
            v = tag.get(attr)
            if not isinstance(v, str) or not v.strip() or v.startswith(("#", "mailto:", "javascript:", "data:")):
                continue
            absolute = urljoin(base, v.strip())
            parts = urlsplit(absolute)
            if parts.scheme in ("http", "https") and parts.netloc == "testserver":
                found.add(urldefrag(absolute)[0])
    return found


def node_iris(url: str, base: str) -> set[str]:
    """The IRI a node page describes (as the path may spell it: percent-encoded or not), empty when the URL is not a
    node page."""
    parts = urlsplit(url)
    if parts.path == "/resource":
        iri = dict(parse_qsl(parts.query)).get("iri")
        return {iri} if iri else set()
    for prefix, ns in (("/id/", base), ("/vocab/", "https://w3id.org/ttdn/vocab/")):
        if parts.path.startswith(prefix):
            rest = parts.path[len(prefix):]
            for suffix in (".ttl", ".jsonld", ".nt", ".rdf"):
                rest = rest.removesuffix(suffix)
            return {ns + rest, ns + unquote(rest)}
    return set()


def shape(url: str) -> tuple[str, tuple[str, ...]]:
    parts = urlsplit(url)
    return parts.path, tuple(sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)}))


def dead(r) -> bool:
    return r.status_code == 404 or r.status_code >= 500


def test_every_link_from_the_index_to_depth_3_answers(client, seed_store_path):
    depth = {f"{SITE}/": 0}
    queue = deque(depth)
    broken, fetched = [], 0
    while queue:  # depth 0-2: fetched, and read for links
        url = queue.popleft()
        r = client.get(url)
        fetched += 1
        if dead(r):
            broken.append((r.status_code, url))
            continue
        if depth[url] < 2 and "text/html" in r.headers.get("content-type", ""):
            for link in sorted(local_links(url, r.text)):
                if link not in depth:
                    depth[link] = depth[url] + 1
                    queue.append(link)
        elif depth[url] == 2 and "text/html" in r.headers.get("content-type", ""):
            for link in local_links(url, r.text):
                depth.setdefault(link, 3)
    assert fetched > 300 and not broken, f"{len(broken)} dead links of {fetched}, e.g. {broken[:5]}"

    third = sorted(u for u, d in depth.items() if d == 3)
    store = oracle(seed_store_path)
    try:
        nodes = {u: node_iris(u, store.base) for u in third}
        iris = sorted({i for found in nodes.values() for i in found})
        known: set[str] = set()
        for k in range(0, len(iris), 300):
            values = " ".join(f"<{i}>" for i in iris[k:k + 300])
            q = f"SELECT DISTINCT ?x WHERE {{ VALUES ?x {{ {values} }} {{ ?x ?p ?o }} UNION {{ ?s ?p ?x }} }}"
            known |= {r["x"] for r in store.query_values(q)}
            known |= {r["x"].value for r in ontology_store().query(q, use_default_graph_as_union=True)}
    finally:
        store.close()
    missing = [u for u, found in nodes.items() if found and not found & known]
    assert not missing, f"{len(missing)} links to nodes nothing describes, e.g. {missing[:5]}"
    node_urls = [u for u, i in nodes.items() if i]
    others: dict[tuple, str] = {}
    for u in third:
        if not nodes[u]:
            others.setdefault(shape(u), u)
    to_fetch = node_urls[::SAMPLE_EVERY] + sorted(others.values())
    broken = [(r.status_code, u) for u in to_fetch if dead(r := client.get(u))]
    assert len(third) > 1000 and not broken, f"{len(broken)} dead of {len(to_fetch)} depth-3 links, e.g. {broken[:5]}"
