"""Time phrases → intervals against the plan period, recurrence, deadlines."""

from __future__ import annotations

import pytest

from ttdn_graph.parse.dates import parse_date
from ttdn_graph.parse.timeexpr import parse_time
from ttdn_graph.record import Period

Y2019 = Period("2019-01-01", "2019-12-31")
Y2019_2020 = Period("2019-01-01", "2020-12-31")


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("Quý I - Quý II năm 2019", "2019-01-01", "2019-06-30"),
        ("Quý III/2019", "2019-07-01", "2019-09-30"),
        ("Quý 3/2019", "2019-07-01", "2019-09-30"),
        ("Quý IV năm 2019", "2019-10-01", "2019-12-31"),
        ("Quý 4", "2019-10-01", "2019-12-31"),
        ("Quý II, III", "2019-04-01", "2019-09-30"),
        ("Quý II đến quý IV năm 2019", "2019-04-01", "2019-12-31"),
        ("quý i", "2019-01-01", "2019-03-31"),
        ("Cả năm 2019", "2019-01-01", "2019-12-31"),
        ("Năm 2019", "2019-01-01", "2019-12-31"),
        ("Trong năm 2019", "2019-01-01", "2019-12-31"),
        ("Giai đoạn 2019 - 2020", "2019-01-01", "2020-12-31"),
        ("Giai đoạn 2019–2020", "2019-01-01", "2020-12-31"),
        ("Năm 2019 và các năm tiếp theo", "2019-01-01", None),
        ("Tháng 9/2019", "2019-09-01", "2019-09-30"),
        ("Tháng 2 năm 2019", "2019-02-01", "2019-02-28"),
        ("Từ tháng 3 đến tháng 5 năm 2019", "2019-03-01", "2019-05-31"),
        ("6 tháng đầu năm 2019", "2019-01-01", "2019-06-30"),
        ("6 tháng cuối năm", "2019-07-01", "2019-12-31"),
        ("Thường xuyên", "2019-01-01", "2019-12-31"),  # no dates of its own: the plan's period
    ],
)
def test_intervals(text, start, end):
    ts = parse_time(text, Y2019)
    assert (ts.start, ts.end) == (start, end)
    assert ts.text == text


@pytest.mark.parametrize(
    "text, recurrence",
    [
        ("Thường xuyên", "continuous"),
        ("Thường xuyên, liên tục", "continuous"),
        ("Hằng năm", "annual"),
        ("Hàng năm", "annual"),
        ("Hằng tháng", "monthly"),
        ("Hàng quý", "quarterly"),
        ("Hằng tuần", "weekly"),
        ("Định kỳ 6 tháng", "semiannual"),
        ("Theo định kỳ 6 tháng, 01 năm", ["semiannual", "annual"]),
        ("Quý II hằng năm", "annual"),
        ("Quý I/2019", None),
        ("Năm 2019", None),
    ],
)
def test_recurrence(text, recurrence):
    assert parse_time(text, Y2019).recurrence == recurrence


def test_recurring_quarter_over_a_multi_year_plan_spans_the_period():
    ts = parse_time("Quý II hằng năm", Y2019_2020)
    assert (ts.start, ts.end, ts.recurrence) == ("2019-04-01", "2020-06-30", "annual")


def test_yearly_recurrence_over_a_multi_year_plan():
    ts = parse_time("Định kỳ hằng tháng trong năm 2019 và 2020", Y2019_2020)
    assert (ts.start, ts.end, ts.recurrence) == ("2019-01-01", "2020-12-31", "monthly")


@pytest.mark.parametrize(
    "text, deadline",
    [
        ("Trước ngày 10/5/2019", "2019-05-10"),
        ("trước ngày 10 tháng 5 năm 2019", "2019-05-10"),
        ("Chậm nhất ngày 30/11/2019", "2019-11-30"),
        ("Báo cáo trước ngày 15/12", "2019-12-15"),  # no year: the plan's
    ],
)
def test_deadlines_end_the_interval(text, deadline):
    ts = parse_time(text, Y2019)
    assert ts.deadline == deadline
    assert (ts.start, ts.end) == ("2019-01-01", deadline)


def test_deadline_inside_a_quarter_keeps_the_quarter():
    ts = parse_time("Quý II/2019, trước ngày 30/6/2019", Y2019)
    assert (ts.start, ts.end, ts.deadline) == ("2019-04-01", "2019-06-30", "2019-06-30")


def test_year_far_from_the_period_is_a_typo_and_warned():
    seen = []
    ts = parse_time("Năm 2091", Y2019, warn=lambda code, msg: seen.append(code))
    assert ts.start == "2019-01-01"
    assert seen == ["year-out-of-range"]


def test_text_is_cleaned_not_rewritten():
    assert parse_time("  Quý I   năm 2019. ", Y2019).text == "Quý I năm 2019"


def test_phrase_without_period_has_open_interval():
    ts = parse_time("Thường xuyên", Period())
    assert (ts.start, ts.end, ts.recurrence) == (None, None, "continuous")


@pytest.mark.parametrize(
    "text, iso",
    [
        ("ngày 10/9/2008", "2008-09-10"),
        ("ngày 07/09/2015", "2015-09-07"),
        ("ngày 17 tháng 01 năm 2022", "2022-01-17"),
        ("ngày 1.2.2019", "2019-02-01"),
        ("ngày 31/02/2019", None),
    ],
)
def test_parse_date(text, iso):
    assert parse_date(text)[0] == iso
