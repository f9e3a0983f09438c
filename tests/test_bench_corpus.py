"""The synthetic corpus generator (bench/corpus.py): deterministic, realistic enough that the real extractor
recovers what the generator put in, on every layout, and that loaded plans cascade Party → … → District."""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # bench/ is a folder of the checkout, not an installed package
    sys.path.insert(0, str(ROOT))

from bench.corpus import DATA, LAYOUTS, _expand, build_world, generate  # noqa: E402
from ttdn_graph import gazetteer  # noqa: E402
from ttdn_graph.extract import extract_text  # noqa: E402
from ttdn_graph.parse.agencies import agency_types, classify, is_group  # noqa: E402

PER_LAYOUT = 10  # one cycle of the mix: 3 province, 6 district, 1 department plans


@pytest.fixture(scope="module")
def by_layout():
    """Ten plans per layout, each with the extractor's record."""
    out = {}
    for lay in LAYOUTS:
        plans = generate(PER_LAYOUT, layouts=(lay,))
        out[lay] = [(p, extract_text(p.text, p.file_name)) for p in plans]
    return out


def test_same_bytes_every_run(tmp_path):
    a = generate(12, tmp_path / "a")
    b = generate(12, tmp_path / "b")
    names = sorted(f.name for f in (tmp_path / "a").iterdir())
    assert names == sorted(p.file_name for p in a) == sorted(f.name for f in (tmp_path / "b").iterdir())
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert [p.expected for p in a] == [p.expected for p in b]
    assert (tmp_path / "a" / a[0].file_name).read_text(encoding="utf-8") == a[0].text


def test_same_corpus_under_another_hash_seed():
    """No set or dict-order dependence on string hashing: a fresh interpreter with another PYTHONHASHSEED agrees."""
    import hashlib
    import os
    import subprocess

    code = ("import hashlib; from bench.corpus import generate; h = hashlib.sha256()\n"
            "for p in generate(8): h.update(p.file_name.encode() + p.text.encode())\nprint(h.hexdigest())")
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    h = hashlib.sha256()
    for p in generate(8):
        h.update(p.file_name.encode() + p.text.encode())
    assert out.stdout.strip() == h.hexdigest()


def test_seed_changes_corpus_and_n_is_a_prefix():
    base = generate(12)
    other = generate(12, seed=7)
    assert [p.text for p in base] != [p.text for p in other]
    assert sum(p.text == q.text for p, q in zip(base, other, strict=True)) == 0
    assert [p.text for p in generate(5)] == [p.text for p in base[:5]]


def test_mix_sizes_and_files():
    plans = generate(30)
    kinds = Counter(p.expected["kind"] for p in plans)
    assert kinds == {"province": 9, "district": 18, "department": 3}
    assert len({p.file_name for p in plans}) == 30
    for p in plans:
        assert p.file_name.endswith(".md" if p.layout == "markdown" else ".txt")
        assert 2018 <= p.year <= 2024
        assert 8 <= p.expected["tasks"] <= 45
        assert 60 <= p.text.count("\n") <= 700
        assert p.text == p.text.strip("\ufeff") and "\r" not in p.text
        assert (p.district is None) == (p.expected["kind"] != "district")


def test_world_jurisdictions():
    w = build_world(2019)
    assert len(w.provinces) == 63
    known = {gazetteer.name_key(n) for u in (*gazetteer.provinces(), *gazetteer.districts()) for n in (u.name, *u.aliases)}
    synthetic = [d for ds in w.districts.values() for d in ds if d.synthetic]
    assert len({gazetteer.name_key(d.name) for d in synthetic}) == len(synthetic)  # unique nationally
    assert not any(gazetteer.name_key(d.name) in known for d in synthetic)  # never a name the gazetteer resolves
    assert all(len(ds) >= 7 for ds in w.districts.values())
    real = [d for ds in w.districts.values() for d in ds if not d.synthetic]
    assert real and all(gazetteer.find_district(d.name, d.province) is not None for d in real)


def test_agency_bank_matches_agency_types():
    """Every agency the generator prints is recognised by the agency-type vocabulary, and matches the pattern of
    the type it declares (classify() returns the first matching type, which may be a broader one)."""
    patterns = {t.id: t.pattern for t in agency_types()}
    bank = json.loads((DATA / "agencies.json").read_text(encoding="utf-8"))
    kw = {"uw": "tỉnh", "p": "Hải Dương", "cu": "Tỉnh ủy", "dw": "huyện", "dc": "Huyện ủy",
          "subunits": "huyện, thị xã, thành phố", "communes": "xã, thị trấn"}
    for level in ("province", "district", "department"):
        for item in bank[level]:
            for name in item["names"]:
                full = _expand(name.format(**kw))
                assert patterns[item["type"]].search(full) and classify(full) is not None, full
        for item in bank[f"{level}_groups"]:
            assert all(is_group(n.format(**kw)) for n in item["names"])


def test_cascade_chains_in_pool():
    """Implement chains run Ministry → Government → Party in the shared pool."""
    pool = build_world(2019).pool
    party = [i for i in pool.values() if i.number.endswith("/TW")]
    assert party and all(not i.implements for i in party)
    for i in pool.values():
        for k in i.implements:
            assert pool[k].date < i.date
    ministry_to_party = [i for i in pool.values() if "BTTTT" in i.number and i.implements
                         and pool[i.implements[0]].implements]
    assert ministry_to_party


def test_district_plans_cite_their_province_plan():
    """Plans come in clusters: a province plan, then the district (and department) plans that cite it."""
    plans = generate(30)
    last_province = None
    for p in plans:
        if p.expected["kind"] == "province":
            assert p.expected["cites_plan"] is None
            last_province = p
            continue
        n = p.expected["cites_plan"]
        assert n in p.expected["instruments"]["basis"]
        assert re.search(rf"Kế hoạch số {re.escape(n)} ngày", p.text)
        assert last_province is not None and last_province.province == p.province and last_province.year == p.year
        if last_province.number is not None:
            assert last_province.number == n


# ---------------------------------------------------------------- the extractor recovers what was generated


def _numbered(rec) -> set[str]:
    return {i.number for i in rec.instruments if i.number}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_extractor_recovers_header_and_citations(by_layout, layout):
    pairs = by_layout[layout]
    assert Counter(p.expected["kind"] for p, _ in pairs) == {"province": 3, "district": 6, "department": 1}
    hit = exp_n = got_n = spurious = basis_hit = basis_n = 0
    for p, rec in pairs:
        e = p.expected
        j = rec.plan.jurisdiction
        assert (j.name, j.level, j.parent) == tuple(e["jurisdiction"].values()), p.file_name
        assert rec.plan.number == e["number"], p.file_name
        assert rec.plan.date_issued == e["date_issued"], p.file_name
        assert rec.plan.place == e["place"], p.file_name
        assert rec.plan.signer is not None and rec.plan.signer.name == e["signer"]["name"]
        exp = {x for v in e["instruments"].values() for x in v}
        got = _numbered(rec)
        hit, exp_n, got_n, spurious = hit + len(exp & got), exp_n + len(exp), got_n + len(got), spurious + len(got - exp)
        basis = {i.number for i in rec.instruments if i.number and "basis" in i.cited_as}
        basis_hit, basis_n = basis_hit + len(set(e["instruments"]["basis"]) & basis), basis_n + len(e["instruments"]["basis"])
    assert hit / exp_n >= 0.95 and spurious / got_n <= 0.05
    assert basis_hit / basis_n >= 0.95


@pytest.mark.parametrize("layout", LAYOUTS)
def test_extractor_recovers_implements_tasks_and_leads(by_layout, layout):
    impl_hit = impl_n = lead_ok = lead_n = 0
    for p, rec in by_layout[layout]:
        e = p.expected
        assert len(rec.tasks) == e["tasks"], p.file_name
        assert [t.id for t in rec.tasks] == [t["id"] for t in e["task_list"]], p.file_name
        got = {(i.number, k.split("|", 1)[1]) for i in rec.instruments if i.number for k in i.implements}
        exp = {tuple(x) for x in e["implements"]}
        impl_hit, impl_n = impl_hit + len(exp & got), impl_n + len(exp)
        leads = {t.id: t.lead for t in rec.tasks}
        for tid, lead in e["leads"].items():
            if lead:
                lead_n += 1
                lead_ok += leads.get(tid) == lead
    assert impl_n == 0 or impl_hit / impl_n >= 0.95
    if layout in ("fieldline", "italic", "compact"):
        assert lead_n > 0
    assert lead_n == 0 or lead_ok / lead_n >= 0.95


def test_extractor_recovers_period_overall(by_layout):
    pairs = [x for v in by_layout.values() for x in v]
    ok = sum((rec.plan.period.start, rec.plan.period.end) == tuple(p.expected["period"].values()) for p, rec in pairs)
    assert ok / len(pairs) >= 0.95


# ---------------------------------------------------------------- parser gaps the generator found (now fixed)


def test_generator_found_title_opening_with_carry_out_verb():
    text = ("KẾ HOẠCH\nTriển khai thực hiện Quyết định số 1486/QĐ-TTg của Thủ tướng Chính phủ trên địa bàn "
            "tỉnh Gia Lai năm 2019\n\nCăn cứ Quyết định số 1486/QĐ-TTg ngày 06/11/2018 của Thủ tướng Chính phủ;\n"
            "I. MỤC ĐÍCH, YÊU CẦU\n- Nâng cao nhận thức.\n")
    rec = extract_text(text, "x.txt")
    assert rec.plan.title and rec.plan.period.start == "2019-01-01"


def test_generator_found_group_with_co_lien_quan():
    text = ("KẾ HOẠCH\nThông tin đối ngoại tỉnh Gia Lai năm 2019\n\nI. NỘI DUNG HOẠT ĐỘNG\n1. Tập huấn nghiệp vụ\n"
            "- Đơn vị chủ trì: Sở Tư pháp, các cơ quan, đơn vị có liên quan.\n")
    rec = extract_text(text, "x.txt")
    assert rec.tasks[0].lead == ["Sở Tư pháp", "các cơ quan, đơn vị có liên quan"]


def test_generator_found_upper_case_title_unit_mid_sentence():
    text = "KẾ HOẠCH\nXÂY DỰNG VÀ QUẢNG BÁ HÌNH ẢNH TỈNH NINH THUẬN RA NƯỚC NGOÀI NĂM 2023\n\nI. MỤC ĐÍCH\n- Nâng cao.\n"
    assert extract_text(text, "x.txt").plan.jurisdiction.name == "Ninh Thuận"


def test_generator_found_cited_plan_with_the_plans_own_number():
    text = ("Số: 84/KH-UBND\n\nMỹ Thái, ngày 20 tháng 02 năm 2019\n\nKẾ HOẠCH\nThông tin đối ngoại trên địa bàn huyện "
            "Mỹ Thái năm 2019\n\nCăn cứ Kế hoạch số 84/KH-UBND ngày 04/02/2019 của UBND tỉnh Bà Rịa - Vũng Tàu về thông "
            "tin đối ngoại năm 2019;\n\nI. MỤC ĐÍCH\n- Nâng cao.\n")
    assert [i.number for i in extract_text(text, "x.txt").instruments] == ["84/KH-UBND"]


def test_generator_found_office_of_council_and_committee_followed_by_a_group():
    text = ("KẾ HOẠCH\nThông tin đối ngoại huyện Mỹ Thái năm 2019\n\nI. NỘI DUNG HOẠT ĐỘNG\n1. Tập huấn nghiệp vụ\n"
            "- Đơn vị chủ trì: Văn phòng HĐND và UBND huyện, Ủy ban nhân dân các xã, thị trấn.\n")
    assert extract_text(text, "x.txt").tasks[0].lead == [
        "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện", "Ủy ban nhân dân các xã, thị trấn"]


def test_generator_found_city_of_hue_before_2025():
    text = ("KẾ HOẠCH\nThông tin đối ngoại trên địa bàn thành phố Huế năm 2022\n\nCăn cứ Kế hoạch số 12/KH-UBND ngày "
            "17/01/2022 của UBND tỉnh Thừa Thiên Huế về thông tin đối ngoại năm 2022;\nI. MỤC ĐÍCH\n- Nâng cao.\n")
    j = extract_text(text, "x.txt").plan.jurisdiction
    assert (j.name, j.level, j.parent) == ("Huế", "thành phố", "Thừa Thiên Huế")


# ---------------------------------------------------------------- cascades in a loaded store


def test_loaded_corpus_cascades_from_district_to_party(tmp_path):
    from ttdn_graph.loader import load_paths
    from ttdn_graph.store import open_store

    plans = generate(30, tmp_path / "corpus")
    store = open_store(str(tmp_path / "store"))
    summary = load_paths([tmp_path / "corpus"], store, progress=False)
    assert summary.ok and len(summary.loaded) == 30
    rows = store.query(
        "PREFIX ttdn: <https://w3id.org/ttdn/ontology#> "
        "SELECT ?s ?num (MAX(?d) AS ?depth) WHERE { ?n a ttdn:Derivation ; ttdn:derivationSource ?s ; "
        "ttdn:derivationTarget ?t ; ttdn:cascadeDepth ?d . ?t ttdn:number ?tn . ?s ttdn:number ?num . "
        "FILTER(STRENDS(?tn, '/TW')) } GROUP BY ?s ?num"
    )
    depth = {(r["s"].value, r["num"].value): int(r["depth"].value) for r in rows}
    # district plans whose province plan is in the corpus with a number and a date (their IRIs can meet)
    provincial = {(p.province, p.year) for p in plans if p.expected["kind"] == "province" and p.expected["date_issued"]}
    districts = [p for p in plans if p.expected["kind"] == "district" and p.number and p.expected["date_issued"]
                 and (p.province, p.year) in provincial]
    assert districts
    reached = 0
    for p in districts:
        unit = gazetteer_slug(p.district)
        hits = [d for (iri, num), d in depth.items() if num == p.number and f"/{unit}/" in iri]
        reached += bool(hits) and max(hits) >= 3
    assert reached / len(districts) >= 0.75, f"{reached} of {len(districts)} district plans reach the Party at depth ≥ 3"
    store.close()


def gazetteer_slug(name: str) -> str:
    from ttdn_graph.resolve.slug import slug

    return slug(name)


def test_command_line_writes_the_corpus(tmp_path):
    import subprocess

    out = tmp_path / "corpus"
    res = subprocess.run([sys.executable, "-m", "bench.corpus", "7", str(out), "--seed", "5"],
                         capture_output=True, text=True, check=False, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    files = sorted(out.iterdir())
    assert len(files) == 7 and "7 plans" in res.stdout
    assert [f.read_bytes() for f in files] == [p.text.encode() for p in generate(7, seed=5)]
    bad = subprocess.run([sys.executable, "-m", "bench.corpus", "0", str(out)], capture_output=True, text=True,
                         check=False, cwd=ROOT)
    assert bad.returncode == 2 and "at least 1" in bad.stderr
