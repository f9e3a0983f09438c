"""Field lines of a task ("Đơn vị chủ trì: …", "Thời gian thực hiện: …") and their variants."""

from __future__ import annotations

import re

from ttdn_graph.parse.agencies import classify, is_group, names_bodies, split_agencies

_LABEL = re.compile(r"^(?P<label>[^:]{2,90}?)\s*:\s*(?P<value>.*)$")
_CONTENT_WORDS = (
    "nội dung|hình thức|ngôn ngữ|kinh phí|sản phẩm|kết quả|địa điểm|đối tượng|phương thức|yêu cầu|mục tiêu|"
    "quy mô|nhiệm vụ|số lượng|phạm vi|mục đích|ghi chú|dự toán|nguồn|chỉ tiêu|phương án|tiêu chí"
)


def field_kind(label: str) -> str | None:
    """'lead' | 'support' | 'time' | 'other' for a field label; None when the label is not a field."""
    lab = re.sub(r"\([^)]*\)", " ", label).lower()
    lab = re.sub(r"\s+", " ", lab).strip(" -+*")
    if len(lab.split()) > 10 or not lab or re.match(r"^\d", lab):
        return None
    if re.search(r"\b(thời gian|thời hạn|tiến độ|thời điểm)\b", lab):
        return "time"
    if re.search(r"\b(phối hợp|hỗ trợ|tham gia)\b", lab):
        return "support"
    if re.search(r"\bchủ trì\b", lab) or re.search(
        r"\b(cơ quan|đơn vị|bộ phận|trách nhiệm)\b.*\b(thực hiện|tham mưu|triển khai|cung cấp|đầu mối|thường trực|"
        r"chịu trách nhiệm|phụ trách|giao)\b",
        lab,
    ):
        return "lead"
    if re.match(r"^(cơ quan|đơn vị)( thực hiện)?$", lab) or lab.startswith("trách nhiệm"):
        return "lead"
    if re.search(rf"\b({_CONTENT_WORDS})\b", lab) or lab.startswith("về "):
        return "other"
    if re.match(r"^(cơ quan|đơn vị)\b", lab):
        return "other"
    return None


def split_field(text: str) -> tuple[str, str, str] | None:
    """(kind, label, value) when the line is a field line."""
    m = _LABEL.match(text)
    if not m:
        return None
    kind = field_kind(m.group("label"))
    if kind is None:
        return None
    return kind, m.group("label").strip(), m.group("value").strip()


def agency_colon(text: str) -> tuple[list[str], str] | None:
    """'Ban Tuyên giáo Tỉnh ủy: Định hướng …' → (['Ban Tuyên giáo Tỉnh ủy'], duty)."""
    m = _LABEL.match(text)
    if not m or len(m.group("label").split()) > 14:
        return None
    label = m.group("label").strip()
    if not label[:1].isupper():
        return None
    names = split_agencies(label)
    if names and all(classify(n) or is_group(n) for n in names) and names_bodies(label.split(",")[0]):
        return names, m.group("value")
    return None
