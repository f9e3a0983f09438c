"""Generators of hostile plan files (issue 13, item 6), written at test time so no big file is committed.

Each builder writes one file under `folder` and returns its path; all of them stream their output, so building
a 300 MiB zip bomb or a 50 MB page costs the test little memory.
"""

from __future__ import annotations

import os
import struct
import zipfile
from pathlib import Path

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)
PLAN_PARAGRAPH = ("Căn cứ Quyết định số 1486/QĐ-TTg ngày 19 tháng 9 năm 2018 của Thủ tướng Chính phủ; Sở Thông tin "
                  "và Truyền thông chủ trì, phối hợp với các sở, ban, ngành triển khai thông tin đối ngoại.")


def deep_html(folder: Path, depth: int = 200_000, name: str = "long_nhau.html") -> Path:
    """A page of `depth` nested divs around one line of text (about 11 bytes a level)."""
    path = folder / name
    with path.open("wb") as out:
        out.write(b"<html><body>")
        out.write(b"<div>" * depth)
        out.write(PLAN_PARAGRAPH.encode())
        out.write(b"</div>" * depth)
        out.write(b"</body></html>")
    return path


def large_html(folder: Path, size: int = 50 * 1024 * 1024, name: str = "rat_lon.html") -> Path:
    """A page of ordinary paragraphs, `size` bytes long."""
    path = folder / name
    para = f"<p>{PLAN_PARAGRAPH}</p>\n".encode()
    block = para * 1000
    with path.open("wb") as out:
        out.write(b"<html><body>\n")
        written = 0
        while written < size:
            out.write(block)
            written += len(block)
        out.write(b"</body></html>\n")
    return path


def docx_bomb(folder: Path, inflated: int = 300 * 1024 * 1024, name: str = "bom_zip.docx",
              one_run: bool = False) -> Path:
    """A valid .docx whose word/document.xml inflates to `inflated` bytes of empty paragraphs (deflate level 9),
    or with `one_run`, of spaces inside a single text run (few elements, all bytes).

    Written with zipfile's streaming writer in 1 MiB chunks, so the test never holds the inflated XML."""
    path = folder / name
    chunk = b" " * (1024 * 1024) if one_run else b"<w:p/>" * (1024 * 1024 // 6)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        with zf.open("word/document.xml", "w", force_zip64=inflated >= 2**31) as part:
            part.write(f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>'.encode())
            part.write(b"<w:p><w:r><w:t>" + PLAN_PARAGRAPH.encode() + (b"" if one_run else b"</w:t></w:r></w:p>"))
            written = 0
            while written < inflated:
                part.write(chunk)
                written += len(chunk)
            part.write((b"</w:t></w:r></w:p>" if one_run else b"") + b"</w:body></w:document>")
    return path


def lie_in_directory(path: Path, member: str, compressed: int | None = None, inflated: int | None = None) -> None:
    """Overwrite the sizes a zip's central directory declares for `member` (no zip64 entries)."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + name_len] == member.encode():
            if compressed is not None:
                struct.pack_into("<I", data, at + 20, compressed)
            if inflated is not None:
                struct.pack_into("<I", data, at + 24, inflated)
            path.write_bytes(bytes(data))
            return
        at = data.find(b"PK\x01\x02", at + 4)
    raise KeyError(member)


def deep_docx(folder: Path, depth: int, name: str = "long_nhau.docx") -> Path:
    """A small .docx whose body nests `depth` content controls (w:sdt/w:sdtContent pairs count two levels)."""
    path = folder / name
    inner = b"<w:p><w:r><w:t>" + PLAN_PARAGRAPH.encode() + b"</w:t></w:r></w:p>"
    body = b"<w:sdt><w:sdtContent>" * depth + inner + b"</w:sdtContent></w:sdt>" * depth
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}">'
                                         f"<w:body>".encode() + body + b"</w:body></w:document>")
    return path


def many_pages_pdf(folder: Path, pages: int, name: str = "nhieu_trang.pdf") -> Path:
    """A text PDF of `pages` short pages (fpdf2, core font: ASCII text only)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.cell(text=f"Trang {number}: ke hoach thong tin doi ngoai, nhiem vu so {number}")
    path = folder / name
    pdf.output(str(path))
    return path


def bad_links(folder: Path) -> dict[str, Path]:
    """A symlink loop (two links naming each other), a link to itself, a dangling link and a FIFO, all named
    like plans."""
    made = {
        "vong_a.txt": folder / "vong_a.txt",
        "vong_b.txt": folder / "vong_b.txt",
        "tu_tro.md": folder / "tu_tro.md",
        "treo.docx": folder / "treo.docx",
        "ong.txt": folder / "ong.txt",
    }
    os.symlink("vong_b.txt", made["vong_a.txt"])
    os.symlink("vong_a.txt", made["vong_b.txt"])
    os.symlink("tu_tro.md", made["tu_tro.md"])
    os.symlink("khong_ton_tai.docx", made["treo.docx"])
    os.mkfifo(made["ong.txt"])
    return made
