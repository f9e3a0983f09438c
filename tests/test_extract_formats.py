"""The same plan saved as .docx or as a web page yields the same record as its text."""

from __future__ import annotations

import html
from pathlib import Path

import docx
import pytest

from ttdn_graph.extract import extract_file

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "data" / "plans").glob("*.txt"))


def core(rec) -> dict:
    d = rec.to_dict()
    return {
        "plan": {k: v for k, v in d["plan"].items()},
        "instruments": sorted((i["number"] or i["name"], i["date"], tuple(i["cited_as"])) for i in d["instruments"]),
        "tasks": [(t["id"], t["heading"], t["lead"], t["support"], (t["time"] or {}).get("start")) for t in d["tasks"]],
        "responsibilities": [(r["agency"], r["section"]) for r in d["responsibilities"]],
    }


@pytest.mark.parametrize("seed", SEEDS[:3], ids=lambda p: p.stem[:3])
def test_docx_copy_gives_the_same_record(seed: Path, tmp_path: Path):
    document = docx.Document()
    for line in seed.read_text(encoding="utf-8").split("\n"):
        document.add_paragraph(line.replace("**", ""))
    out = tmp_path / (seed.stem + ".docx")
    document.save(out)
    assert core(extract_file(out)) == core(extract_file(seed))


@pytest.mark.parametrize("seed", SEEDS[:3], ids=lambda p: p.stem[:3])
def test_saved_web_page_gives_the_same_record(seed: Path, tmp_path: Path):
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in seed.read_text(encoding="utf-8").split("\n"))
    page = (
        "<html><head><meta charset='utf-8'><title>Văn bản</title><script>var x=1;</script></head><body>"
        "<nav class='menu'><a href='/'>Trang chủ</a> | <a href='/vb'>Văn bản pháp luật</a></nav>"
        "<div class='sidebar'><h3>Xem thêm</h3><ul><li><a href='/a'>Kế hoạch 99/KH-UBND năm 2020 của tỉnh khác</a></li>"
        "<li><a href='/b'>Quyết định 1/QĐ-TTg năm 2000</a></li></ul></div>"
        f"<div id='content' class='noidung'>{body}</div>"
        "<footer>Bản quyền © cổng thông tin</footer></body></html>"
    )
    out = tmp_path / (seed.stem + ".html")
    out.write_text(page, encoding="utf-8")
    got = core(extract_file(out))
    assert got == core(extract_file(seed))
    assert "99/KH-UBND" not in {i[0] for i in got["instruments"]}
