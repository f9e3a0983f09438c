"""Headless Chromium against a live server: pages render, the vis network draws and links, YASGUI queries /sparql,
no request leaves 127.0.0.1, and markup planted in a document never runs. Screenshots go to var/screenshots/.

Needs Debian's `chromium` and `chromium-driver` (CI: apt-get install -y chromium chromium-driver).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from pages_fixtures import IMG, build_xss_store, make_app, serve

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "var" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
INTERNAL_SCHEMES = {"data", "blob", "about", "chrome", "chrome-untrusted", "devtools"}

if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    pytest.skip("needs /usr/bin/chromium and chromedriver (apt-get install -y chromium chromium-driver)",
                allow_module_level=True)

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402


@pytest.fixture(scope="module")
def driver():
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="ttdn-chromium-")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--disable-default-apps", "--disable-extensions", "--window-size=1400,1000",
                 f"--user-data-dir={profile}",
                 # belt and braces: any other host resolves to nothing (the log check below still sees the attempt)
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    d = webdriver.Chrome(options=opts, service=Service(CHROMEDRIVER))
    d.set_page_load_timeout(30)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield d
    d.quit()
    shutil.rmtree(profile, ignore_errors=True)


def requested_urls(d) -> list[str]:
    out = []
    for entry in d.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            out.append(msg["params"]["request"]["url"])
    return out


def assert_all_local(d) -> list[str]:
    """Every request the pages made went to 127.0.0.1 (browser-internal schemes such as chrome:// aside)."""
    urls = requested_urls(d)
    bad = [u for u in urls if not (
        urllib.parse.urlsplit(u).scheme in INTERNAL_SCHEMES
        or (urllib.parse.urlsplit(u).scheme in ("http", "https", "ws", "wss")
            and urllib.parse.urlsplit(u).hostname in LOCAL_HOSTS))]
    assert bad == [], bad
    return urls


def wait_for(d, script: str, timeout: float = 30) -> object:
    deadline = time.monotonic() + timeout
    while True:
        value = d.execute_script(script)
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for: {script}")
        time.sleep(0.1)


def sparql(base: str, query: str) -> list[dict[str, str]]:
    req = urllib.request.Request(f"{base}/sparql?{urllib.parse.urlencode({'query': query})}",
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=20) as r:
        data = json.load(r)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def no_alert(d) -> bool:
    try:
        _ = d.switch_to.alert.text
    except NoAlertPresentException:
        return True
    return False


def shot(d, name: str) -> None:
    d.save_screenshot(str(SHOTS / f"{name}.png"))


PLAN_Q = ("PREFIX ttdn: <https://w3id.org/ttdn/ontology#> SELECT ?p ?t WHERE { ?p a ttdn:Plan ; ttdn:hasTask ?t . "
          "?t ttdn:sourceText ?x ; ttdn:leadAgency ?a } ORDER BY ?p ?t LIMIT 1")


def click_node(d, wanted: str) -> dict | None:
    """Click the first node for which the JS test `wanted` (about `n`) holds and that is drawn inside the canvas,
    on top; its position and URL, or None when there is none."""
    target = d.execute_script(f"""
        var net = window.network, ids = net.body.data.nodes.getIds();
        var box = net.body.container.getBoundingClientRect();
        for (var i = 0; i < ids.length; i++) {{
          var n = net.body.data.nodes.get(ids[i]);
          if (!({wanted})) continue;
          var p = net.canvasToDOM(net.getPositions([ids[i]])[ids[i]]);
          if (p.x > 20 && p.y > 20 && p.x < box.width - 20 && p.y < box.height - 20 && net.getNodeAt(p) === ids[i])
            return {{x: p.x, y: p.y, w: box.width, h: box.height, url: n.url}};
        }}
        return null;""")
    if target:
        canvas = d.find_element(By.CSS_SELECTOR, "#ttdn-network canvas")
        ActionChains(d).move_to_element_with_offset(canvas, int(target["x"] - target["w"] / 2),
                                                    int(target["y"] - target["h"] / 2)).click().perform()
    return target


def test_index_and_linked_data_pages(driver, live_server):  # live_server: tests/api_fixtures.py
    base = live_server.url
    driver.get(base + "/")
    assert driver.find_element(By.CSS_SELECTOR, "h1").text.startswith("Kế hoạch")
    assert len(driver.find_elements(By.CSS_SELECTOR, "tr[data-class]")) >= 6
    shot(driver, "index")
    row = sparql(base, PLAN_Q)[0]
    driver.get(f"{base}/resource?{urllib.parse.urlencode({'iri': row['p']})}")
    assert driver.find_elements(By.CSS_SELECTOR, "section.tasks tbody tr")
    shot(driver, "plan")
    driver.find_element(By.CSS_SELECTOR, f"section.tasks a[href$='{row['t'].rsplit('/', 1)[-1]}']").click()
    wait_for(driver, "return document.querySelector('blockquote.source-text') !== null")
    assert driver.find_element(By.ID, "line-span").text
    shot(driver, "task")
    assert_all_local(driver)


INSTRUMENT_Q = ("PREFIX ttdn: <https://w3id.org/ttdn/ontology#> SELECT ?p ?i ?t WHERE { ?p a ttdn:Plan ; "
                "ttdn:legalBasis ?i . ?i ttdn:title ?t ; ttdn:number ?n ; ttdn:citingPlanCount ?c } "
                "ORDER BY DESC(?c) ?i ?p LIMIT 1")


def test_an_instrument_page_with_its_title(driver, live_server):
    """From a plan's page to an instrument it rests on: the instrument's heading is its number, and under it the
    title its citing documents print."""
    base = live_server.url
    row = sparql(base, INSTRUMENT_Q)[0]
    driver.get(f"{base}/resource?{urllib.parse.urlencode({'iri': row['p']})}")
    driver.find_element(By.CSS_SELECTOR, f"a[href$='{row['i'].rsplit('/id/', 1)[-1]}']").click()
    wait_for(driver, "return document.getElementById('title') !== null")
    assert driver.find_element(By.ID, "title").text == row["t"]
    assert row["t"] not in driver.find_element(By.ID, "label").text
    shot(driver, "instrument")
    assert_all_local(driver)


def test_agency_view_draws_and_links(driver, live_server):
    base = live_server.url
    expected = json.load(urllib.request.urlopen(f"{base}/views/agencies?format=json", timeout=20))
    driver.get(base + "/views/agencies")
    wait_for(driver, "return window.ttdnNetworkReady === true")
    n = driver.execute_script("return window.network.body.data.nodes.length")
    assert n == len(expected["nodes"]) > 0
    assert driver.execute_script("return window.network.body.data.edges.length") == len(expected["edges"])
    assert driver.execute_script("return window.network.physics.physicsEnabled") is False
    shot(driver, "agencies")
    # clicking a node opens its page
    target = click_node(driver, "n.kind === 'agency'")
    assert target, "no clickable agency node in view"
    wait_for(driver, f"return location.pathname + location.search === {json.dumps(target['url'])}", timeout=15)
    assert driver.find_element(By.ID, "label").text
    assert_all_local(driver)


def test_cascade_summary_draws_its_province_clusters_where_the_builder_put_them(driver, generated_corpus):
    """The summary mode (views.cascade_summary) of the generated corpus' most derived-from instrument: a preset
    layout (no physics), every node where the JSON says, and a click on a province cluster narrows to it."""
    with serve(make_app(generated_corpus[1])) as base:
        root = sparql(base, "PREFIX ttdn: <https://w3id.org/ttdn/ontology#> SELECT ?r (COUNT(*) AS ?n) WHERE { "
                            "?d ttdn:derivationTarget ?r } GROUP BY ?r ORDER BY DESC(?n) ?r LIMIT 1")[0]["r"]
        url = f"{base}/views/cascade?{urllib.parse.urlencode({'instrument': root})}"
        expected = json.load(urllib.request.urlopen(url + "&format=json", timeout=20))
        assert expected["layout"] == "preset"
        driver.get(url)
        wait_for(driver, "return window.ttdnNetworkReady === true")
        assert driver.execute_script("return window.network.physics.physicsEnabled") is False
        pos = driver.execute_script("return window.network.getPositions()")
        assert {k: (round(v["x"]), round(v["y"])) for k, v in pos.items()} == {
            n["id"]: (round(n["x"]), round(n["y"])) for n in expected["nodes"]}
        shot(driver, "cascade-summary")
        target = click_node(driver, "n.kind === 'group' && n.url.indexOf('province=') >= 0")
        assert target, "no clickable province cluster in view"
        wait_for(driver, "return location.search.indexOf('province=') >= 0", timeout=15)
        wait_for(driver, "return window.ttdnNetworkReady === true")
        assert driver.find_element(By.CSS_SELECTOR, "select[name=province] option[selected]").text
        assert_all_local(driver)


def test_cascade_view_draws(driver, live_server):
    base = live_server.url
    plan = sparql(base, PLAN_Q)[0]["p"]
    driver.get(f"{base}/views/cascade?{urllib.parse.urlencode({'plan': plan, 'direction': 'up'})}")
    wait_for(driver, "return window.ttdnNetworkReady === true")
    assert driver.execute_script("return window.network.body.data.nodes.length") > 1
    levels = driver.execute_script("return window.network.body.data.nodes.map(function (n) { return n.level; })")
    assert len(set(levels)) > 1
    shot(driver, "cascade")
    assert_all_local(driver)


def test_editor_queries_local_endpoint(driver, live_server):
    base = live_server.url
    driver.get(base + "/editor")
    wait_for(driver, "return window.yasgui && document.querySelector('.yasqe .CodeMirror') !== null")
    driver.execute_script("window.yasgui.getTab().getYasqe().query()")
    rows = wait_for(driver, "var r = document.querySelectorAll('.yasr tbody tr'); return r.length", timeout=30)
    assert rows > 0
    endpoint = driver.execute_script("return window.yasgui.getTab().getEndpoint()")
    assert endpoint == base + "/sparql"
    shot(driver, "editor")
    urls = assert_all_local(driver)
    assert any(urllib.parse.urlsplit(u).path == "/sparql" for u in urls)


@pytest.fixture(scope="module")
def xss_server(tmp_path_factory):
    with serve(make_app(build_xss_store(tmp_path_factory.mktemp("xss_browser")))) as url:
        yield url


@pytest.mark.parametrize("page", ["/views/agencies", "/", "plan", "task", "/search?q=alert",
                                  "/queries/tasks-by-agency-type?year=2023"])
def test_planted_markup_does_not_run(driver, xss_server, page):
    q = ("PREFIX ttdn: <https://w3id.org/ttdn/ontology#> SELECT ?p ?t WHERE { ?p ttdn:number '99/KH-UBND' ; "
         "ttdn:hasTask ?t }")
    row = sparql(xss_server, q)[0]
    path = {"plan": f"/resource?{urllib.parse.urlencode({'iri': row['p']})}",
            "task": f"/resource?{urllib.parse.urlencode({'iri': row['t']})}"}.get(page, page)
    driver.get(xss_server + path)
    wait_for(driver, "return document.readyState === 'complete'")
    if page == "/views/agencies":
        wait_for(driver, "return window.ttdnNetworkReady === true")
        # show every tooltip once (vis builds them from the escaped titles)
        driver.execute_script("""var net = window.network; net.body.data.nodes.forEach(function (n) {
            var d = document.createElement('div'); d.appendChild(n.title); document.body.appendChild(d); });""")
        assert "<script>alert(1)</script>" in driver.execute_script(
            "return window.network.body.data.nodes.map(function (n) { return n.label; }).join(' ')")
        shot(driver, "xss_agencies")
    if page.startswith("/queries/"):  # the result views draw the planted labels too (axis labels, tooltips)
        wait_for(driver, "return document.querySelector('[data-marks]') !== null")
        driver.find_element(By.CSS_SELECTOR, ".ttdn-view-tabs button[data-view=chart]").click()
        driver.execute_script("var s = document.querySelector('.ttdn-view-control select'); s.value = 'task'; "
                              "s.dispatchEvent(new Event('change'))")
        wait_for(driver, "return document.querySelector('[data-view=chart][data-marks]') !== null")
        driver.execute_script("document.querySelector('[data-marks]').ttdnChart.dispatchAction("
                              "{type: 'showTip', seriesIndex: 0, dataIndex: 0})")
        assert IMG in wait_for(driver, "return document.querySelector('[data-marks]').innerText")  # shown as text
        shot(driver, "xss_views")
    time.sleep(0.3)  # let a broken image's onerror fire, if there were one
    assert no_alert(driver)
    assert driver.execute_script("return typeof window.__xss") == "undefined"
    assert driver.execute_script("return document.querySelectorAll('img').length") == 0
    if page == "task":
        assert "<img src=x onerror=window.__xss=1>" in driver.find_element(By.CSS_SELECTOR, "h1").text
        shot(driver, "xss_task")
    assert_all_local(driver)


# -- result views (static/js/resultviews.js): chart, timeline, map; result IRIs open the local page ----------------
DOCS_SHOTS = ROOT / "docs" / "screenshots"



def named_json(base: str, name: str, **params: str) -> dict:
    """A named query's SPARQL JSON answer, as the page's script gets it."""
    url = f"{base}/queries/{name}?{urllib.parse.urlencode({**params, 'format': 'json'})}"
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.load(r)


def drawn(d, view: str) -> int:
    """Wait for the view to be drawn (as SVG) and return its marks: the series items that have a graphic element."""
    wait_for(d, f"var e = document.querySelector('[data-view={view}][data-marks]'); return e !== null")
    assert d.execute_script(f"return document.querySelector('[data-view={view}] svg') !== null")
    return int(d.execute_script(f"return document.querySelector('[data-view={view}][data-marks]').dataset.marks"))


def docs_shot(d, name: str) -> None:
    """docs/screenshots/<name>.png: the page's views, above the result table."""
    DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
    shot(d, f"views_{name}")
    size = d.get_window_size()
    d.set_window_size(size["width"], 1600)
    try:
        d.find_element(By.CSS_SELECTOR, "#ttdn-views").screenshot(str(DOCS_SHOTS / f"{name}.png"))
    finally:
        d.set_window_size(size["width"], size["height"])


def most_cited(base: str) -> str:
    """The instrument the most loaded plans cite (the first row of the named query most-cited)."""
    return named_json(base, "most-cited")["results"]["bindings"][0]["instrument"]["value"]


@pytest.fixture(scope="module")
def corpus_server(generated_corpus):
    with serve(make_app(generated_corpus[1])) as url:
        yield url


def test_named_query_chart_has_a_point_per_year(driver, corpus_server):
    data = named_json(corpus_server, "unit-tallies")
    years = {b["year"]["value"] for b in data["results"]["bindings"] if "year" in b}
    assert years
    driver.get(corpus_server + "/queries/unit-tallies")
    assert drawn(driver, "chart") == len(years)
    # the y column can be switched: the marks stay one per year
    driver.execute_script("var s = document.querySelectorAll('.ttdn-view-control select')[1]; s.value = 'tasks'; "
                          "s.dispatchEvent(new Event('change'))")
    assert drawn(driver, "chart") == len(years)
    assert driver.execute_script("return document.querySelector('th').textContent") == "Year"
    docs_shot(driver, "chart")
    assert_all_local(driver)


def test_named_query_timeline_has_a_point_per_dated_citer(driver, corpus_server):
    instrument = most_cited(corpus_server)
    data = named_json(corpus_server, "directive-uptake", instrument=instrument)
    dated = [b for b in data["results"]["bindings"] if "citingDate" in b]
    assert dated
    driver.get(f"{corpus_server}/queries/directive-uptake?{urllib.parse.urlencode({'instrument': instrument})}")
    assert drawn(driver, "timeline") == len(dated)  # the query's `# view: timeline` opens it first
    docs_shot(driver, "timeline")
    assert_all_local(driver)


def test_named_query_map_has_a_circle_per_province_with_a_seat(driver, corpus_server):
    from ttdn_graph.graph.namespaces import data_base
    from ttdn_graph.web.resultviews import unit_iri, units

    seated = units(data_base())
    instrument = most_cited(corpus_server)
    data = named_json(corpus_server, "uptake-summary", instrument=instrument)
    provinces = {b["province"]["value"] for b in data["results"]["bindings"] if "province" in b}
    expected = provinces - {unit_iri(data_base(), "vn")}  # central bodies' rows are the country's: not a seat
    assert len(expected) > 1 and expected <= set(seated)  # every province the query answers has a seat
    driver.get(f"{corpus_server}/queries/uptake-summary?{urllib.parse.urlencode({'instrument': instrument})}")
    assert drawn(driver, "map") == len(expected)  # the query's `# view: map` opens it first
    # one circle per unit: the series hold exactly the query's provinces, each at its seat
    placed = driver.execute_script("""var el = document.querySelector('[data-view=map] .ttdn-view-canvas');
        var c = echarts.getInstanceByDom(el), out = []; c.getOption().series.forEach(function (s) {
        s.data.forEach(function (d) { out.push([d.iri, d.value[0], d.value[1]]); }); }); return out;""")
    assert sorted(p[0] for p in placed) == sorted(expected)
    assert all((lon, lat) == (seated[iri]["lon"], seated[iri]["lat"]) for iri, lon, lat in placed)
    docs_shot(driver, "map")
    assert_all_local(driver)


def test_named_query_result_iri_opens_the_local_page(driver, live_server):
    base = live_server.url
    driver.get(base + "/queries/directive-uptake")
    link = driver.find_element(By.CSS_SELECTOR, "table.results td a")
    iri = link.get_attribute("title")
    assert iri.startswith("https://w3id.org/") and link.get_attribute("target") in (None, "", "_self")
    link.click()
    wait_for(driver, "return location.pathname.indexOf('/id/') === 0")
    assert len(driver.window_handles) == 1
    assert driver.current_url == base + "/id/" + iri.split("/id/", 1)[1]
    assert_all_local(driver)


EDITOR_MAP_Q = """PREFIX ttdn: <https://w3id.org/ttdn/ontology#>
SELECT ?province (COUNT(?task) AS ?tasks) WHERE {
  ?plan ttdn:hasTask ?task ; ttdn:jurisdiction ?u .
  OPTIONAL { ?u ttdn:within ?p . ?p a ttdn:Province }
  BIND(COALESCE(?p, ?u) AS ?province) ?province a ttdn:Province .
} GROUP BY ?province"""


def test_editor_draws_a_map_and_its_iris_open_local_pages(driver, live_server):
    base = live_server.url
    expected = {r["province"] for r in sparql(base, EDITOR_MAP_Q)}
    assert expected
    driver.get(base + "/editor")
    wait_for(driver, "return window.yasgui && document.querySelector('.yasqe .CodeMirror') !== null")
    driver.execute_script("var t = window.yasgui.getTab(); t.getYasqe().setValue(arguments[0]); t.getYasqe().query()",
                          EDITOR_MAP_Q)
    wait_for(driver, "return document.querySelectorAll('.yasr tbody tr').length > 0")
    driver.execute_script("window.yasgui.getTab().getYasr().selectPlugin('map')")
    assert drawn(driver, "map") == len(expected)
    shot(driver, "editor_map")
    driver.execute_script("window.yasgui.getTab().getYasr().selectPlugin('table')")
    link = wait_for(driver, "return document.querySelector('.yasr tbody a.iri')")
    href = link.get_attribute("href")
    assert href.startswith(base + "/id/unit/") and link.get_attribute("target") != "_blank"
    link.click()
    wait_for(driver, "return location.pathname.indexOf('/id/unit/') === 0")
    assert len(driver.window_handles) == 1 and driver.current_url == href
def _folded_words(text: str) -> str:
    import re

    from ttdn_graph.lexicon.fold import ascii_fold

    return " ".join(re.findall(r"\w+", ascii_fold(text)))


def test_a_diacritic_free_search_finds_a_task_by_its_text(driver, live_server):
    """Type a task's own words without diacritics into the search box: the task is among the hits, its words
    marked."""
    base = live_server.url
    row = sparql(base, "PREFIX ttdn: <https://w3id.org/ttdn/ontology#> SELECT ?t ?x WHERE { ?t a ttdn:Task ; "
                       "ttdn:sourceText ?x FILTER(CONTAINS(?x, 'biển')) } ORDER BY STRLEN(?x) ?t LIMIT 1")[0]
    words = _folded_words(row["x"]).split()
    assert words != row["x"].lower().split()  # the text has diacritics; the query will not
    query = " ".join(words[:6])
    driver.get(base + "/")
    box = driver.find_element(By.CSS_SELECTOR, "header.site form.search input[name=q]")
    box.send_keys(query)
    box.submit()
    wait_for(driver, "return document.querySelector('#result-count') !== null")
    iris = driver.execute_script("return Array.from(document.querySelectorAll('tr.hit')).map(function (r) { "
                                 "return r.dataset.iri; })")
    assert row["t"] in iris
    row_el = driver.find_element(By.CSS_SELECTOR, f"tr.hit[data-iri='{row['t']}']")
    marked = {_folded_words(m.text) for m in row_el.find_elements(By.CSS_SELECTOR, "mark")}
    assert set(words[:6]) & marked
    shot(driver, "search")
    row_el.find_element(By.CSS_SELECTOR, "a.hit-label").click()
    wait_for(driver, "return document.querySelector('#label') !== null")
    assert driver.find_element(By.CSS_SELECTOR, "blockquote.source-text").text.strip() == row["x"].strip()
    assert_all_local(driver)


def test_a_task_page_links_to_its_highlighted_source_lines(driver, live_server):
    """From a task's page, follow its link to the document: the lines it cites are highlighted, in view, and
    begin with the task's text."""
    base = live_server.url
    row = sparql(base, PLAN_Q)[0]
    task = sparql(base, "PREFIX ttdn: <https://w3id.org/ttdn/ontology#> SELECT ?x ?ls ?le WHERE { "
                        f"<{row['t']}> ttdn:sourceText ?x ; ttdn:lineStart ?ls . "
                        f"OPTIONAL {{ <{row['t']}> ttdn:lineEnd ?le }} }}")[0]
    ls, le = int(task["ls"]), int(task.get("le") or task["ls"])
    driver.get(f"{base}/resource?{urllib.parse.urlencode({'iri': row['t']})}")
    driver.find_element(By.ID, "source-lines").click()
    wait_for(driver, "return document.querySelector('ol.doc-lines') !== null")
    assert driver.execute_script("return location.hash") == f"#L{ls}"
    marked = driver.execute_script("return Array.from(document.querySelectorAll('li.line.hl')).map("
                                   "function (li) { return [li.id, li.querySelector('.lt').textContent]; })")
    assert [m[0] for m in marked] == [f"L{n}" for n in range(ls, le + 1)]
    shown = _folded_words(" ".join(m[1] for m in marked))
    lead = _folded_words(task["x"]).split()[:6]
    assert " ".join(lead) in shown
    # highlighted (a coloured background) and scrolled into view
    first = driver.find_element(By.ID, f"L{ls}")
    assert first.value_of_css_property("background-color") not in ("rgba(0, 0, 0, 0)", "transparent")
    assert driver.execute_script("var r = arguments[0].getBoundingClientRect(); "
                                 "return r.top >= 0 && r.bottom <= window.innerHeight;", first)
    shot(driver, "reader")
    # a range in the fragment alone (#L…-L…) is highlighted by the page's own script
    driver.get(driver.current_url.split("?")[0] + f"#L{ls}-L{ls + 2}")
    wait_for(driver, "return document.querySelectorAll('li.line.hl-hash').length === 3")
    assert_all_local(driver)


# -- browse tables (ttdn_graph/web/tables.py) ------------------------------------------------------------------------
def test_a_plans_table_faceted_to_a_province_and_a_year_and_its_csv(driver, corpus_server):
    """Click a province, then a year, in the plans table's facets: the rows are the JSON answer of that URL, the
    filters show as chips, and the page's CSV link gives the same plans."""
    driver.get(corpus_server + "/plans")
    province = driver.find_element(By.CSS_SELECTOR, ".facet[data-facet=province] li a")
    province_iri = province.get_attribute("data-value")
    province.click()
    wait_for(driver, "return document.querySelectorAll('#active-filters .chip').length === 1")
    year = driver.find_element(By.CSS_SELECTOR, ".facet[data-facet=year] li:not(.selected) a")
    year_value = year.get_attribute("data-value")
    year.click()
    wait_for(driver, "return document.querySelectorAll('#active-filters .chip').length === 2")
    query = urllib.parse.urlencode({"province": province_iri, "year": year_value})
    with urllib.request.urlopen(f"{corpus_server}/plans?{query}&format=json&_size=1000", timeout=30) as r:
        answer = json.load(r)
    assert answer["count"] > 0
    shown = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "#browse-table td[data-column=plan] a")]
    assert len(shown) == min(answer["count"], 50)
    assert driver.find_element(By.ID, "row-count").text.startswith(str(answer["count"]))
    csv_url = driver.find_element(By.ID, "export-csv").get_attribute("href")
    assert f"year={year_value}" in csv_url
    with urllib.request.urlopen(csv_url, timeout=30) as r:
        assert r.headers["content-type"].startswith("text/csv")
        table = list(csv.DictReader(io.StringIO(r.read().decode("utf-8"))))
    assert {t["plan"] for t in table} == {row["plan"] for row in answer["rows"]}
    DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(DOCS_SHOTS / "tables.png"))
    assert_all_local(driver)
