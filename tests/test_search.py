"""The forgiving search (ttdn_graph.search): folding and symbol cutting, the FTS5 index and its life with the store
(built after a load, rebuilt after a removal or an interrupted load, replaced whole), and the reader's text kept
with the facts (ttdn:documentText, originals beside the store, source URLs)."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from ttdn_graph.lexicon.fold import ascii_fold
from ttdn_graph.search.build import Item, build_index, collect, documents_digest, write_index
from ttdn_graph.search.query import SearchUnavailable, open_index, search
from ttdn_graph.search.terms import folded, highlight, parse_query, symbol_terms, words
from ttdn_graph.sidecar import ChangedFile, keep_original, original_path, search_path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "data" / "plans").glob("*.txt"))
P = ("PREFIX ttdn: <https://w3id.org/ttdn/ontology#>\nPREFIX prov: <http://www.w3.org/ns/prov#>\n"
     "PREFIX dcterms: <http://purl.org/dc/terms/>\n")


# -- folding and symbols -----------------------------------------------------------------------------------------
def test_words_fold_case_diacritics_d_and_tone_placement():
    assert words("Sở THÔNG TIN") == words("so thong tin") == ["so", "thong", "tin"]
    assert words("Đắk Lắk") == ["dak", "lak"]
    assert folded("Uỷ ban") == folded("Ủy ban") == "uy ban"
    assert words("biển, đảo") == words("biển đảo") == ["bien", "dao"]


@pytest.mark.parametrize("spelling", ["1486/QĐ-TTg", "1486/qd-ttg", "1486-QĐ-TTg", "1486 / qđ - TTG",
                                      "QĐ 1486", "qd 1486", "Quyết định 1486", "quyet dinh so 1486",
                                      "Quyết định 1486/QĐ-TTg"])
def test_every_spelling_of_a_symbol_matches_the_indexed_number(spelling, tmp_path):
    items = [Item("urn:x:1486", "instrument", "Quyết định 1486/QĐ-TTg", names=["1486/QĐ-TTg"],
                  symbol=symbol_terms("1486/QĐ-TTg", "Quyết định")),
             Item("urn:x:1487", "instrument", "Quyết định 1487/QĐ-TTg", names=["1487/QĐ-TTg"],
                  symbol=symbol_terms("1487/QĐ-TTg", "Quyết định")),
             Item("urn:x:ct1486", "instrument", "Chỉ thị 1486/CT-TTg", names=["1486/CT-TTg"],
                  symbol=symbol_terms("1486/CT-TTg", "Chỉ thị"))]
    path = tmp_path / "ix.sqlite"
    write_index(items, path)
    assert [h.iri for h in search(path, spelling).hits] == ["urn:x:1486"]


def test_symbol_terms_use_the_symbol_grammar():
    # serial, the codes, then the year (so "NĐ 72" is a phrase of it) and the type word
    assert symbol_terms("72/2015/NĐ-CP", "Nghị định").split() == ["72", "nd", "cp", "2015", "nghi", "dinh"]
    assert symbol_terms(None, None) == ""


def test_queries_are_quoted_terms_never_fts_syntax():
    q = parse_query('"a" OR b* NEAR(c) -d title:e')
    assert q.expression is not None
    # every term is a quoted string joined by AND: nothing the user typed is read as FTS5 syntax
    for part in q.expression.split(" AND "):
        assert part.startswith('"') and part.endswith('"'), part
    assert parse_query("  ").expression is None
    assert parse_query("!!! ???").expression is None


def test_highlight_marks_folded_matches_and_keeps_the_text():
    text = "Tuyên truyền về chủ quyền BIỂN, ĐẢO <b>và</b> biên giới"
    segs = highlight(text, parse_query("bien dao").terms)
    assert "".join(s.text for s in segs) == text  # plain text, cut into pieces: nothing added, nothing escaped here
    assert [s.text for s in segs if s.hit] == ["BIỂN", "ĐẢO", "biên"]
    long = "mở đầu " * 200 + "biển đảo" + " kết thúc" * 200
    cut = highlight(long, parse_query("biển").terms, width=120)
    assert cut[0].text == "…" and cut[-1].text == "…" and any(s.hit for s in cut)
    assert sum(len(s.text) for s in cut) < 200


# -- the index -----------------------------------------------------------------------------------------------------
def test_index_ranks_pages_filters_and_is_replaced_whole(tmp_path):
    path = tmp_path / "ix.sqlite"
    items = [Item(f"urn:t:{i}", "task", f"Nhiệm vụ {i}", f"Tuyên truyền biển đảo lần {i}") for i in range(30)]
    items.append(Item("urn:a:1", "agency", "Biển Đảo", names=["Ban Biển đảo"]))
    write_index(items, path)
    r = search(path, "bien dao", per_page=10)
    assert r.total == 31 and r.by_kind["task"] == 30 and r.by_kind["agency"] == 1
    assert r.hits[0].iri == "urn:a:1"  # a name match outranks the same words in text
    pages = [search(path, "bien dao", page=p, per_page=10).hits for p in (1, 2, 3, 4)]
    seen = [h.iri for page in pages for h in page]
    assert len(seen) == len(set(seen)) == 31
    only = search(path, "bien dao", kind="agency")
    assert [h.iri for h in only.hits] == ["urn:a:1"] and only.total == 1
    with pytest.raises(ValueError):
        search(path, "bien", kind="nothing")
    # a connection opened on the old index reads it to the end while a new index replaces it
    old = open_index(path)
    write_index([Item("urn:u:1", "unit", "Hải Dương")], path)
    assert old.execute("SELECT count(*) FROM item").fetchone()[0] == 31
    old.close()
    assert [h.iri for h in search(path, "hai duong").hits] == ["urn:u:1"]
    assert search(path, "bien dao").total == 0
    assert not list(tmp_path.glob(".*tmp*"))  # no temporary file left behind


def test_index_file_is_opened_read_only(tmp_path):
    path = tmp_path / "ix.sqlite"
    write_index([Item("urn:u:1", "unit", "Hải Dương")], path)
    con = open_index(path)
    with pytest.raises(sqlite3.OperationalError):
        con.execute("DELETE FROM item")
    con.close()
    with pytest.raises(SearchUnavailable):
        search(tmp_path / "none.sqlite", "x")


def test_a_failed_build_leaves_the_old_index(tmp_path):
    path = tmp_path / "ix.sqlite"
    write_index([Item("urn:u:1", "unit", "Hải Dương")], path)

    def broken():
        yield Item("urn:u:2", "unit", "Hưng Yên")
        raise RuntimeError("store went away")

    with pytest.raises(RuntimeError):
        write_index(broken(), path)
    assert [h.iri for h in search(path, "hai duong").hits] == ["urn:u:1"]
    assert search(path, "hung yen").total == 0
    assert not list(tmp_path.glob(".*tmp*"))


# -- the index and the store ---------------------------------------------------------------------------------------
def _load(folder: Path, files: list[Path], **kw):
    from ttdn_graph.loader import load_paths
    from ttdn_graph.store import open_store

    store_path = folder / "store"
    with open_store(str(store_path)) as st:
        summary = load_paths(files, st, progress=False, **kw)
    return store_path, summary


def _oracle(store_path: Path):
    from ttdn_graph.store import open_store

    return open_store(str(store_path), read_only=True)


def test_index_holds_what_the_store_holds(seed_store_path):
    path = search_path(seed_store_path)
    with _oracle(Path(seed_store_path)) as st:
        counts = {k: int(st.query_values(P + f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {w} }}")[0]["n"])
                  for k, w in (("task", "?s a ttdn:Task"), ("duty", "?s a ttdn:Duty ; ttdn:sourceText ?t"),
                               ("plan", "?s a ttdn:Plan"), ("unit", "?s a ttdn:AdministrativeUnit"))}
        digest = documents_digest(st)
    con = open_index(path)
    got = dict(con.execute("SELECT kind, count(*) FROM item GROUP BY kind").fetchall())
    meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    con.close()
    assert {k: got.get(k, 0) for k in counts} == counts
    assert meta["documents"] == digest


def test_removal_and_reload_update_the_index(tmp_path):
    from ttdn_graph.loader import remove_documents
    from ttdn_graph.store import open_store

    files = [tmp_path / f.name for f in SEEDS[:2]]
    for src, dst in zip(SEEDS[:2], files, strict=True):
        shutil.copy(src, dst)
    store_path, summary = _load(tmp_path, files)
    assert summary.ok and summary.search is not None and summary.search.items > 0
    with _oracle(store_path) as st:
        row = st.query_values(P + "SELECT ?t ?x ?f WHERE { ?t a ttdn:Task ; ttdn:sourceText ?x ; "
                                  "prov:wasDerivedFrom ?g . ?g ttdn:fileName ?f } ORDER BY DESC(STRLEN(?x)) LIMIT 1")[0]
    q = " ".join(ascii_fold(row["x"]).split()[:6])  # the task's own words, without diacritics
    idx = search_path(store_path)
    assert row["t"] in {h.iri for h in search(idx, q, kind="task", per_page=100).hits}
    with open_store(str(store_path)) as st:
        assert remove_documents(st, [row["f"]]).ok
    assert row["t"] not in {h.iri for h in search(idx, q, kind="task", per_page=100).hits}
    with _oracle(store_path) as st:
        digest = documents_digest(st)
    con = open_index(idx)
    assert dict(con.execute("SELECT key, value FROM meta").fetchall())["documents"] == digest
    con.close()


def test_an_interrupted_load_leaves_store_and_index_agreeing(tmp_path, monkeypatch):
    import ttdn_graph.loader as loader

    files = [tmp_path / f.name for f in SEEDS[:3]]
    for src, dst in zip(SEEDS[:3], files, strict=True):
        shutil.copy(src, dst)
    real = loader.build_record

    def stop_at_third(store, rec, **kw):
        if rec.source == files[2].name:
            raise KeyboardInterrupt  # as a Ctrl-C half-way through the batch
        return real(store, rec, **kw)

    monkeypatch.setattr(loader, "build_record", stop_at_third)
    with pytest.raises(KeyboardInterrupt):
        _load(tmp_path, files)
    store_path = tmp_path / "store"
    with _oracle(store_path) as st:
        digest = documents_digest(st)
        loaded = {r["f"] for r in st.query_values(P + "SELECT ?f WHERE { ?g a ttdn:SourceDocument ; ttdn:fileName ?f }")}
        items = list(collect(st))
    con = open_index(search_path(store_path))
    assert dict(con.execute("SELECT key, value FROM meta").fetchall())["documents"] == digest
    assert {r[0] for r in con.execute("SELECT iri FROM item")} == {it.iri for it in items}
    con.close()
    assert files[2].name not in loaded
    # originals: only files whose graphs may be written are kept; anything more is an orphan no graph names
    with _oracle(store_path) as st:
        named = {r["h"] for r in st.query_values(P + "SELECT ?h WHERE { ?g ttdn:sha256 ?h }")}
    kept = {p.name for p in (store_path.parent / "store.files").rglob("*") if p.is_file()}
    assert named <= kept


def test_build_index_from_a_store_reports_size_and_time(seed_store_path, tmp_path):
    with _oracle(Path(seed_store_path)) as st:
        out = build_index(st, tmp_path / "again.sqlite")
        assert out is not None
        assert out.items == sum(out.by_kind.values()) > 0 and out.bytes == (tmp_path / "again.sqlite").stat().st_size
        assert "search index:" in out.line()
        inode = (tmp_path / "again.sqlite").stat().st_ino
        assert build_index(st, tmp_path / "again.sqlite", force=False) is None  # same documents: kept as is
        assert (tmp_path / "again.sqlite").stat().st_ino == inode
        assert build_index(st, tmp_path / "again.sqlite") is not None  # forced: written anew
        assert (tmp_path / "again.sqlite").stat().st_ino != inode


def test_a_load_that_writes_nothing_keeps_the_index(tmp_path):
    doc = tmp_path / SEEDS[0].name
    shutil.copy(SEEDS[0], doc)
    store_path, summary = _load(tmp_path, [doc])
    assert summary.search is not None
    inode = search_path(store_path).stat().st_ino
    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    store_path, summary = _load(tmp_path, [bad])
    assert not summary.ok and summary.search is None
    assert search_path(store_path).stat().st_ino == inode


# -- text, originals and source URLs kept with the load -------------------------------------------------------------
def test_text_and_original_are_kept_with_the_document(seed_store_path):
    from ttdn_graph.readers import read_document

    with _oracle(Path(seed_store_path)) as st:
        rows = st.query_values(P + "SELECT ?f ?h ?t WHERE { ?g a ttdn:SourceDocument ; ttdn:fileName ?f ; "
                                   "ttdn:sha256 ?h ; ttdn:documentText ?t }")
    assert {r["f"] for r in rows} == {f.name for f in SEEDS}
    for r in rows:
        doc = read_document(ROOT / "data" / "plans" / r["f"])
        assert r["t"] == doc.text and r["h"] == doc.sha256
        kept = original_path(seed_store_path, r["h"])
        assert kept is not None and hashlib.sha256(kept.read_bytes()).hexdigest() == r["h"]


def test_keep_original_refuses_changed_bytes(tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes(b"one")
    with pytest.raises(ChangedFile):
        keep_original(tmp_path / "store", f, hashlib.sha256(b"two").hexdigest())
    assert not (tmp_path / "store.files").exists() or not any((tmp_path / "store.files").rglob("*"))
    assert original_path(tmp_path / "store", "../../etc/passwd") is None


def test_source_url_by_option_and_by_sidecar(tmp_path):
    from ttdn_graph.sources import SourceUrlError

    one, two = tmp_path / SEEDS[0].name, tmp_path / SEEDS[1].name
    shutil.copy(SEEDS[0], one)
    shutil.copy(SEEDS[1], two)
    (tmp_path / (two.name + ".url")).write_text("\nhttps://example.org/van-ban/2.pdf\n", encoding="utf-8")
    with pytest.raises(SourceUrlError):  # one URL cannot name the source of two files
        _load(tmp_path / "a", [one, two], source_url="https://example.org/1")
    store_path, summary = _load(tmp_path / "a", [one], source_url="https://example.org/van-ban/1.pdf")
    assert summary.ok
    store_path, summary = _load(tmp_path / "a", [two])
    assert summary.ok
    with _oracle(store_path) as st:
        got = {r["f"]: r["u"] for r in st.query_values(
            P + "SELECT ?f ?u WHERE { ?g ttdn:fileName ?f ; dcterms:source ?u }")}
    assert got == {one.name: "https://example.org/van-ban/1.pdf", two.name: "https://example.org/van-ban/2.pdf"}


def test_a_bad_sidecar_fails_its_document_clearly_and_writes_nothing(tmp_path):
    doc = tmp_path / SEEDS[0].name
    shutil.copy(SEEDS[0], doc)
    (tmp_path / (doc.name + ".url")).write_text("javascript:alert(1)", encoding="utf-8")
    store_path, summary = _load(tmp_path / "s", [doc])
    assert not summary.ok and summary.failed[0][0] == str(doc) and ".url" in summary.failed[0][2]
    with _oracle(store_path) as st:
        assert not st.query_values(P + "SELECT ?g WHERE { ?g a ttdn:SourceDocument }")


def test_cli_load_takes_a_source_url_and_index_rebuilds(tmp_path):
    from typer.testing import CliRunner

    from ttdn_graph.cli import app

    runner = CliRunner()
    doc = tmp_path / SEEDS[0].name
    shutil.copy(SEEDS[0], doc)
    store = str(tmp_path / "store")
    res = runner.invoke(app, ["load", str(doc), "--store", store, "-q", "--source-url", "ftp://example.org/x"])
    assert res.exit_code == 2 and "--source-url" in res.output
    res = runner.invoke(app, ["load", str(doc), "--store", store, "-q", "--source-url", "https://example.org/x.txt"])
    assert res.exit_code == 0, res.output
    assert "search index:" in res.output
    with _oracle(Path(store)) as st:
        assert st.query_values(P + "SELECT ?u WHERE { ?g a ttdn:SourceDocument ; dcterms:source ?u }")[0]["u"] == "https://example.org/x.txt"
    idx = search_path(store)
    before = search(idx, "thong tin").total
    idx.unlink()
    res = runner.invoke(app, ["index", "--store", store])
    assert res.exit_code == 0 and "search index:" in res.output, res.output
    assert search(idx, "thong tin").total == before > 0
