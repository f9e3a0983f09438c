"""ttdn_graph.workers: results in order, a late item stopped even inside C code, a dead worker reported, the rest
of the batch (and of the late item's chunk) still done."""

from __future__ import annotations

import os
import re
import signal
import time

from ttdn_graph.workers import Failed, run_each


def _work(item: str) -> str:
    """Test worker: 'slow' spins in C (catastrophic regex backtracking: no signal handler can run), 'crash'
    kills its own process, 'raise' raises, 'unpicklable' returns a lambda; anything else is echoed."""
    if item == "slow":
        re.match(r"(a+)+$", "a" * 64 + "b")
    if item == "crash":
        os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would
    if item == "raise":
        raise ValueError("bad item")
    if item == "unpicklable":
        return lambda: None  # type: ignore[return-value]
    return item.upper()


def test_results_come_back_in_order_with_several_workers():
    items = [f"f{i}" for i in range(40)]
    out = list(run_each(_work, items, jobs=2, chunk=3, window=8))
    assert out == [(item, item.upper()) for item in items]


def test_a_late_item_is_stopped_and_the_rest_of_its_chunk_still_runs():
    items = ["a", "slow", "b", "c", "d"]
    t0 = time.monotonic()
    out = dict(run_each(_work, items, jobs=1, time_limit=0.5, chunk=5))
    assert time.monotonic() - t0 < 5
    assert isinstance(out["slow"], Failed) and "took longer than 0.5 s" in out["slow"].reason
    assert [out[k] for k in "abcd"] == ["A", "B", "C", "D"]


def test_a_dead_worker_a_raising_item_and_an_unsendable_result_are_reported():
    out = dict(run_each(_work, ["x", "crash", "raise", "unpicklable", "y"], jobs=2, chunk=2))
    assert isinstance(out["crash"], Failed) and "SIGKILL" in out["crash"].reason
    assert out["raise"] == Failed("ValueError: bad item")
    assert isinstance(out["unpicklable"], Failed) and "could not be sent back" in out["unpicklable"].reason
    assert (out["x"], out["y"]) == ("X", "Y")


def test_stopping_early_leaves_no_worker_behind():
    import multiprocessing

    gen = run_each(_work, ["a", "slow", "b"], jobs=2, chunk=1)
    assert next(gen) == ("a", "A")
    gen.close()  # the caller gave up (an exception, Ctrl-C): the busy worker is killed
    assert not [p for p in multiprocessing.active_children() if p.name == "ttdn-reader"]


def test_no_items_no_workers():
    assert list(run_each(_work, [], jobs=4)) == []
