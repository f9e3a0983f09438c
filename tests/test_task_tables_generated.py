"""Task tables on a generated corpus (bench/corpus.py): each plan's task section moved into an annex table, with
header words, row layouts and agency separators drawn at random, gives back the plan's tasks in order, with their
lead and support agencies."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpus import generate  # noqa: E402
from tests.score_gold import agency_set  # noqa: E402
from ttdn_graph.extract import extract_text  # noqa: E402

HEADS = [("STT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian"),
         ("TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện"),
         ("Số TT", "Nội dung công việc", "Chủ trì", "Phối hợp", "Tiến độ"),
         ("STT", "Nhiệm vụ cụ thể", "Cơ quan, đơn vị chủ trì", "Cơ quan, đơn vị phối hợp", "Thời gian hoàn thành")]
_ROMAN = re.compile(r"^\W*([IVX]+)\.\s")


def as_annex(plan, rng: random.Random) -> str | None:
    """The plan with its task section replaced by a pointer, and the tasks in an annex table (pipe or HTML)."""
    tasks = plan.expected["task_list"]
    if not tasks:
        return None
    sec = tasks[0]["id"].split(".")[0]
    lines = plan.text.split("\n")
    start = next((i for i, x in enumerate(lines) if (m := _ROMAN.match(x)) and m.group(1) == sec), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if _ROMAN.match(lines[i])), len(lines))
    head = rng.choice(HEADS)
    sep = rng.choice(["<br>", "; ", ", "])
    rows = [(str(k), t["heading"], sep.join(t["lead"]), sep.join(t["support"]), t.get("time") or "")
            for k, t in enumerate(tasks, 1)]
    if rng.random() < 0.5:
        table = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        table += ["| " + " | ".join(r) + " |" for r in rows]
    else:
        table = ["<table>", "<tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>"]
        table += ["<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows] + ["</table>"]
    return "\n".join([*lines[: start + 1], "Nhiệm vụ cụ thể tại Phụ lục kèm theo Kế hoạch này.", "", *lines[end:],
                      "", "PHỤ LỤC", "", *table])


def test_annex_tables_of_generated_plans_give_back_their_tasks():
    rng = random.Random(15)
    rows = lead_ok = support_ok = plans = 0
    wrong = []
    for plan in generate(50, seed=15):
        text = as_annex(plan, rng)
        if text is None:
            continue
        plans += 1
        want = plan.expected["task_list"]
        rec = extract_text(text, plan.file_name)
        got = [t for t in rec.tasks if t.found_by == "table"]
        assert [t.heading for t in got] == [t["heading"].rstrip(". ") for t in want], plan.file_name
        place = (plan.expected.get("jurisdiction") or {}).get("name")
        for w, g in zip(want, got, strict=True):
            rows += 1
            ok = agency_set(w["lead"], place) == agency_set(g.lead, place)
            lead_ok += ok
            support_ok += agency_set(w["support"], place) == agency_set(g.support, place)
            if not ok:
                wrong.append((plan.file_name, w["lead"], g.lead))
    assert plans >= 40 and rows >= 800
    assert lead_ok / rows >= 0.99, wrong[:5]
    assert support_ok / rows >= 0.99
