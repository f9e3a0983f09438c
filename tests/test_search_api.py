"""/search (HTML and JSON) and the document reader (/documents/…) on the seed store, every expected answer found by
SPARQL on the store itself, never written down."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from pages_fixtures import SCRIPT, app_client, build_xss_store, make_app, oracle

from ttdn_graph.lexicon.fold import ascii_fold, fold
from ttdn_graph.web.pages import page_url

ROOT = Path(__file__).resolve().parent.parent
P = ("PREFIX ttdn: <https://w3id.org/ttdn/ontology#>\nPREFIX prov: <http://www.w3.org/ns/prov#>\n"
     "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n")


@pytest.fixture(scope="module")
def client(seed_store_path):
    with app_client(seed_store_path) as c:
        yield c


@pytest.fixture(scope="module")
def store(seed_store_path):
    st = oracle(seed_store_path)
    yield st
    st.close()


def rows(store, sparql: str) -> list[dict[str, str]]:
    return store.query_values(P + sparql)


def hits(client, q: str, kind: str | None = None) -> list[dict]:
    """Every hit of `q` (of `kind`), all pages, best first."""
    out: list[dict] = []
    page = 1
    while True:
        params = {"q": q, "format": "json", "page": page, **({"kind": kind} if kind else {})}
        r = client.get("/search", params=params)
        assert r.status_code == 200, r.text
        data = r.json()
        out += data["results"]
        if page * data["per_page"] >= data["total"]:
            assert len(out) == data["total"]
            return out
        page += 1


def words(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(text)))


# -- search ---------------------------------------------------------------------------------------------------------
def test_so_thong_tin_finds_the_departments_and_the_tasks_naming_them(client, store):
    agencies = {r["a"] for r in rows(store, "SELECT ?a WHERE { ?a a ttdn:Agency ; skos:altLabel ?l "
                                            "FILTER(STRSTARTS(LCASE(STR(?l)), 'sở thông tin')) }")}
    assert agencies
    found = hits(client, "so thong tin", kind="agency")
    assert agencies <= {h["iri"] for h in found}
    assert {h["iri"] for h in found[:len(agencies)]} == agencies  # printed so: they come first
    tasks = {r["t"] for r in rows(store, "SELECT ?t WHERE { ?t a ttdn:Task ; ttdn:sourceText ?x "
                                         "FILTER(CONTAINS(LCASE(?x), 'sở thông tin')) }")}
    assert tasks and tasks <= {h["iri"] for h in hits(client, "so thong tin", kind="task")}


def test_hai_duong_finds_the_province_its_plans_and_agencies(client, store):
    unit = rows(store, "SELECT ?u WHERE { ?u a ttdn:Province ; rdfs:label ?l FILTER(STR(?l) = 'Hải Dương') }")[0]["u"]
    found = hits(client, "hai duong")
    assert found[0]["iri"] == unit and found[0]["kind"] == "unit"
    plans = {r["p"] for r in rows(store, f"SELECT ?p WHERE {{ ?p a ttdn:Plan ; ttdn:jurisdiction <{unit}> ; "
                                         "prov:wasDerivedFrom ?g . ?g a ttdn:SourceDocument }")}
    agencies = {r["a"] for r in rows(store, f"SELECT ?a WHERE {{ ?a a ttdn:Agency ; ttdn:jurisdiction <{unit}> }}")}
    assert plans and agencies
    assert plans <= {h["iri"] for h in found} and agencies <= {h["iri"] for h in found}


def test_bien_dao_finds_the_tasks_about_sea_and_islands(client, store):
    tasks = {r["t"] for r in rows(store, "SELECT ?t WHERE { ?t a ttdn:Task ; ttdn:sourceText ?x "
                                         "FILTER(CONTAINS(LCASE(?x), 'biển') && CONTAINS(LCASE(?x), 'đảo')) }")}
    assert tasks
    found = hits(client, "bien dao", kind="task")
    assert tasks <= {h["iri"] for h in found}
    for h in found:  # each one says both words, and those words are the ones marked
        marked = {ascii_fold(t) for part in ("label", "text") for t, hit in h["highlight"][part] if hit}
        assert {"bien", "dao"} <= marked, h["iri"]


@pytest.mark.parametrize("q", ["1486/qd-ttg", "QĐ 1486", "1486-QĐ-TTg", "Quyết định 1486", "quyet dinh so 1486"])
def test_any_spelling_of_1486_finds_the_decision_first(client, store, q):
    iri = rows(store, "SELECT ?i WHERE { ?i ttdn:number '1486/QĐ-TTg' }")[0]["i"]
    found = hits(client, q)
    assert found and found[0]["iri"] == iri and found[0]["kind"] == "instrument"
    assert found[0]["url"] == page_url(iri, store.base)


def test_kinds_pages_and_counts_agree(client):
    first = client.get("/search", params={"q": "tuyen truyen", "format": "json"}).json()
    assert first["total"] == sum(first["by_kind"].values()) > first["per_page"]
    everything = hits(client, "tuyen truyen")
    assert len({h["iri"] for h in everything}) == first["total"]
    scores = [h["score"] for h in everything]
    assert scores == sorted(scores, reverse=True)  # best first, across pages
    for kind, n in first["by_kind"].items():
        if n:
            of_kind = hits(client, "tuyen truyen", kind=kind)
            assert len(of_kind) == n and {h["kind"] for h in of_kind} == {kind}


def test_search_page_marks_words_and_links_to_source_lines(client, store):
    s = BeautifulSoup(client.get("/search", params={"q": "bien dao", "kind": "task"}).text, "html.parser")
    assert s.select("tr.hit") and all(tr["data-kind"] == "task" for tr in s.select("tr.hit"))
    assert {ascii_fold(m.get_text()) for m in s.select("tr.hit mark")} >= {"bien", "dao"}
    link = s.select_one("tr.hit a.hit-source")["href"]
    assert urlsplit(link).path.startswith("/documents/") and "lines" in parse_qs(urlsplit(link).query)
    assert s.select_one("#kinds a.current") is not None


def test_bad_search_parameters_are_plain_400s(client):
    for params in ({"q": "x", "kind": "people"}, {"q": "x", "page": "0"}, {"q": "x", "page": "two"},
                   {"q": "x", "format": "xml"}):
        r = client.get("/search", params=params)
        assert r.status_code == 400 and "x" not in r.text.split(":")[0], params


@pytest.fixture(scope="module")
def xss_client(tmp_path_factory):
    app = make_app(build_xss_store(tmp_path_factory.mktemp("xss-search")))
    with TestClient(app) as c:
        yield c
    app.state.executor.close()


def test_highlighted_document_text_is_escaped(xss_client):
    for q in ("alert", "tuyen truyen", "script"):
        r = xss_client.get("/search", params={"q": q})
        assert r.status_code == 200 and SCRIPT not in r.text and "<img" not in r.text, q
        s = BeautifulSoup(r.text, "html.parser")
        assert not s.find("img") and all(not t.string or "alert" not in t.string for t in s.find_all("script"))
        assert s.select("tr.hit mark"), q  # words are marked, inside escaped text
        data = xss_client.get("/search", params={"q": q, "format": "json"}).json()
        assert any(SCRIPT in h["label"] for h in data["results"]), q  # JSON keeps the text as data


# -- the reader -----------------------------------------------------------------------------------------------------
def _reader_lines(client, url: str) -> tuple[BeautifulSoup, dict[int, str], list[int]]:
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code, r.text[:200])
    s = BeautifulSoup(r.text, "html.parser")
    lines = {int(li["id"][1:]): li.select_one(".lt").get_text() for li in s.select("ol.doc-lines li.line")}
    marked = [int(li["id"][1:]) for li in s.select("ol.doc-lines li.line.hl")]
    return s, lines, marked


def begins(text: str, line: str) -> bool:
    """`line` holds the first words of `text` (up to 8, and no more than the line has beside a list marker)."""
    n = max(1, min(8, len(words(line).split()) - 1))
    return " ".join(words(text).split()[:n]) in words(line)


def test_every_fact_page_links_to_its_highlighted_lines(client, store):
    """Tasks, duties, responsibilities and citations: the fact's page links to the reader with the lines it cites
    marked, and the first cited line begins the fact's text (the lines are the ones the facts cite)."""
    facts = rows(store, """SELECT ?x ?k ?ls ?le ?t ?f WHERE {
        VALUES ?k { ttdn:Task ttdn:Duty ttdn:Citation } ?x a ?k ; ttdn:lineStart ?ls ; ttdn:sourceText ?t .
        OPTIONAL { ?x ttdn:lineEnd ?le } GRAPH ?g { ?x ttdn:lineStart ?ls } ?g ttdn:fileName ?f }""")
    assert {f["k"].rsplit("#", 1)[1] for f in facts} == {"Task", "Duty", "Citation"}
    texts: dict[str, dict[int, str]] = {}
    for i, f in enumerate(facts):
        ls, le = int(f["ls"]), int(f.get("le") or f["ls"])
        if i % 4 == 0 or f["k"].endswith("Citation"):  # the page itself, for a sample: its link must be this one
            page = BeautifulSoup(client.get(page_url(f["x"], store.base)).text, "html.parser")
            href = page.select_one("#source-lines")["href"]
            _, lines, marked = _reader_lines(client, href)
            assert marked == list(range(ls, le + 1)), f["x"]
            assert urlsplit(href).fragment == f"L{ls}"
            texts.setdefault(f["f"], lines)
        lines = texts.get(f["f"])
        if lines is None:
            continue
        assert begins(f["t"], lines[ls]), (f["x"], ls)
    assert len(texts) == len({f["f"] for f in facts})


def test_task_text_is_in_its_lines_on_the_seeds(client, store):
    """Each seed task's text begins on the line it cites, and its words are in the lines it cites — except where
    a printed line runs on past the cited end (tests assert the leading words for those, and count them)."""
    docs = {r["f"]: r["g"] for r in rows(store, "SELECT ?f ?g WHERE { ?g a ttdn:SourceDocument ; ttdn:fileName ?f }")}
    name = {f: g.rsplit("/", 1)[1] for f, g in docs.items()}
    tasks = rows(store, """SELECT ?t ?x ?ls ?le ?f WHERE { ?t a ttdn:Task ; ttdn:sourceText ?x ; ttdn:lineStart ?ls .
        OPTIONAL { ?t ttdn:lineEnd ?le } GRAPH ?g { ?t a ttdn:Task } ?g ttdn:fileName ?f }""")
    assert tasks
    pages = {f: _reader_lines(client, f"/documents/{n}")[1] for f, n in name.items()}
    whole = 0
    for t in tasks:
        lines = pages[t["f"]]
        ls, le = int(t["ls"]), int(t.get("le") or t["ls"])
        span = words(" ".join(lines[n] for n in range(ls, le + 1)))
        assert begins(t["x"], lines[ls]), t["t"]
        whole += words(t["x"]) in span
    assert whole >= len(tasks) * 9 // 10  # the rest: a line break inside an item the parser reads as its end


def test_reader_serves_text_original_and_ranges(client, store):
    doc = rows(store, "SELECT ?g ?f ?h ?t WHERE { ?g a ttdn:SourceDocument ; ttdn:fileName ?f ; ttdn:sha256 ?h ; "
                      "ttdn:documentText ?t } ORDER BY ?f LIMIT 1")[0]
    name = doc["g"].rsplit("/", 1)[1]
    s, lines, marked = _reader_lines(client, f"/documents/{name}?lines=3-5")
    assert marked == [3, 4, 5] and "\n".join(lines[n] for n in sorted(lines)) == doc["t"]
    assert s.select_one("#L3 a.ln")["href"] == "#L3"
    assert s.select_one("#source-node")["href"] == page_url(doc["g"], store.base)
    assert _reader_lines(client, f"/documents/{name}?lines=L7")[2] == [7]
    txt = client.get(f"/documents/{name}", params={"format": "txt"})
    assert txt.status_code == 200 and txt.text == doc["t"]
    orig = client.get(s.select_one("#download")["href"])
    assert orig.status_code == 200 and "attachment" in orig.headers["content-disposition"]
    assert hashlib.sha256(orig.content).hexdigest() == doc["h"]
    assert orig.content == (ROOT / "data" / "plans" / doc["f"]).read_bytes()
    # the source node's page leads to the reader
    node = BeautifulSoup(client.get(page_url(doc["g"], store.base)).text, "html.parser")
    assert any(a["href"] == f"/documents/{name}" for a in node.select("nav.onward a"))
    assert "documentText" not in node.select_one("section.props").get_text()


def test_reader_bad_input(client, store):
    name = rows(store, "SELECT ?g WHERE { ?g a ttdn:SourceDocument } LIMIT 1")[0]["g"].rsplit("/", 1)[1]
    assert client.get("/documents/no-such-document-txt").status_code == 404
    assert client.get("/documents/no-such-document-txt/original").status_code == 404
    for bad in ("5-3", "x", "0", "1-2-3"):
        assert client.get(f"/documents/{name}", params={"lines": bad}).status_code == 400, bad
    assert client.get(f"/documents/{name}", params={"format": "pdf"}).status_code == 400
    assert client.get("/documents/%2E%2E").status_code in (400, 404)


def test_reader_without_kept_text_or_original(xss_client):
    """A document loaded from an extraction record (.json) has no text to show and no original: said, not 500."""
    s = BeautifulSoup(xss_client.get("/documents/xss-plan-txt").text, "html.parser")
    assert s.select_one("#no-text") is not None
    assert xss_client.get("/documents/xss-plan-txt/original").status_code == 404
    assert xss_client.get("/documents/xss-plan-txt", params={"format": "txt"}).status_code == 404


def test_reader_shows_the_recorded_source_url(tmp_path):
    import shutil

    from ttdn_graph.loader import load_paths
    from ttdn_graph.store import open_store

    seed = sorted((ROOT / "data" / "plans").glob("*.txt"))[0]
    doc = tmp_path / seed.name
    shutil.copy(seed, doc)
    url = "https://example.org/van-ban/ke-hoach.pdf?a=1&b=<2>"
    with open_store(str(tmp_path / "bad")) as st, pytest.raises(ValueError):  # angle brackets are not taken
        load_paths([doc], st, progress=False, source_url=url)
    url = "https://example.org/van-ban/ke-hoach.pdf?a=1&b=2"
    (tmp_path / (doc.name + ".url")).write_text(url + "\n", encoding="utf-8")
    with open_store(str(tmp_path / "store")) as st:
        assert load_paths([doc], st, progress=False).ok
        g = st.query_values(P + "SELECT ?g WHERE { ?g a ttdn:SourceDocument }")[0]["g"]
    app = make_app(tmp_path / "store")
    try:
        with TestClient(app) as c:
            s = BeautifulSoup(c.get(f"/documents/{g.rsplit('/', 1)[1]}").text, "html.parser")
    finally:
        app.state.executor.close()
    link = s.select_one("#source-url")
    assert link is not None and link["href"] == url and "noopener" in link["rel"]


def test_responsibility_pages_link_to_their_line(client, store):
    """A responsibility says only where it is ("Dòng 187"): its page now leads to that line, marked."""
    resps = rows(store, "SELECT ?r ?ls WHERE { ?r a ttdn:Responsibility ; ttdn:lineStart ?ls } ORDER BY ?r")
    assert resps
    for r in resps[::7]:
        page = BeautifulSoup(client.get(page_url(r["r"], store.base)).text, "html.parser")
        href = page.select_one("#source-lines")["href"]
        _, lines, marked = _reader_lines(client, href)
        assert marked == [int(r["ls"])] and urlsplit(href).fragment == f"L{r['ls']}"
        for tr in page.select("section.duties tr.duty"):  # and each duty's lines lead to those lines
            duty = tr.select_one(".duty-text a")["href"]
            span = rows(store, "SELECT ?ls ?le WHERE { ?d ttdn:lineStart ?ls . OPTIONAL { ?d ttdn:lineEnd ?le } "
                               f"FILTER(?d = <{store.base}{duty[len('/id/'):]}>) }}")[0]
            a, b = int(span["ls"]), int(span.get("le") or span["ls"])
            assert _reader_lines(client, tr.select_one(".duty-lines a")["href"])[2] == list(range(a, b + 1))


def test_without_an_index_search_falls_back_to_labels(seed_store_path, tmp_path, store):
    """A store loaded before search indexes existed (or an index removed): the label search over SPARQL answers,
    and says so."""
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(seed_store_path, copy)
    assert not (tmp_path / "store.search.sqlite").exists()
    iri = rows(store, "SELECT ?i WHERE { ?i ttdn:number '1486/QĐ-TTg' }")[0]["i"]
    app = make_app(copy)
    try:
        with TestClient(app) as c:
            data = c.get("/search", params={"q": "1486/QĐ-TTg", "format": "json"}).json()
            page = c.get("/search", params={"q": "1486/QĐ-TTg"}).text
    finally:
        app.state.executor.close()
    assert data["indexed"] is False and iri in {h["iri"] for h in data["results"]}
    assert "no search index here" in page
