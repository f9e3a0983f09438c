"""Run one function per file in worker processes that can be stopped, so one file never blocks a batch.

Parsing that is stuck in C code (libxml2, zlib, pypdf) cannot be interrupted from inside the process, and
ProcessPoolExecutor cannot cancel a running task; so each worker here is a plain process with a pipe, and a worker
past its file's deadline is killed (SIGKILL) and replaced. That file, or one whose worker died (segfault, out of
memory), is reported as Failed and the batch goes on. Results come back in input order. With jobs=1 there is still
one worker: it reads the next file while the caller handles the last (the loader writes graphs meanwhile).
"""

from __future__ import annotations

import multiprocessing as mp
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Failed:
    """The outcome of an item that gave no result: over the time limit, its worker died, or it raised."""

    reason: str


def run_each(func: Callable[[T], Any], items: Iterable[T], *, jobs: int = 1, time_limit: float | None = None,
             chunk: int | None = None, window: int = 64) -> Iterator[tuple[T, Any]]:
    """(item, func(item) or Failed) for each item, in order, computed in `jobs` worker processes.

    `time_limit` (seconds, None or 0 for none) bounds each item, counted from when its worker is free to start
    it, so no item ever gets less. Items go to a worker `chunk` at a time (default: up to 8 when there are many;
    one message per item costs the caller ~2 ms); at most about `window` items are handed out beyond the next one
    to return, so results never pile up ahead of the caller. `func` must be a module-level function and should
    not raise (what it raises becomes Failed).
    """
    todo = list(items)
    jobs = max(1, jobs)
    chunk = chunk or max(1, min(8, len(todo) // (jobs * 8)))
    return _Pool(func, todo, jobs, time_limit or None, chunk, max(1, window)).results()


class _Worker:
    def __init__(self, ctx, func: Callable, siblings: list[Connection]):
        self.conn, child = ctx.Pipe()
        # the child closes every parent-side end it inherits, so each worker sees EOF when the parent closes its
        # pipe or dies, and the parent sees EOF when a worker dies
        self.proc = ctx.Process(target=_serve, args=(func, child, [self.conn, *siblings]), name="ttdn-reader",
                                daemon=True)
        self.proc.start()
        child.close()
        self.todo: deque[int] = deque()  # indexes handed to this worker, not yet answered, in order
        self.deadline: float | None = None

    def give(self, indexes: list[int], items: list, time_limit: float | None) -> None:
        self.conn.send([items[i] for i in indexes])
        self.todo.extend(indexes)
        self.deadline = time.monotonic() + time_limit if time_limit else None

    def stop(self, kill: bool) -> None:
        if kill:
            self.proc.kill()
        self.conn.close()  # an idle worker reads EOF and returns
        self.proc.join(1.0)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()

    def death(self) -> str:
        self.proc.join(1.0)
        code = self.proc.exitcode
        if code is not None and code < 0:
            return f"its worker process died ({signal.Signals(-code).name})"
        return f"its worker process died (exit code {code})"


class _Pool:
    def __init__(self, func: Callable, items: list, jobs: int, time_limit: float | None, chunk: int, window: int):
        self.func, self.items, self.jobs, self.time_limit, self.window = func, items, jobs, time_limit, window
        self.queue: deque[list[int]] = deque(list(range(k, min(k + chunk, len(items))))
                                             for k in range(0, len(items), chunk))
        self.done: dict[int, Any] = {}
        self.workers: list[_Worker] = []
        self.ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()

    def results(self) -> Iterator[tuple[Any, Any]]:
        following = 0
        try:
            while following < len(self.items):
                self._hand_out(following)
                if following in self.done:
                    yield self.items[following], self.done.pop(following)
                    following += 1
                else:
                    self._collect()
        finally:
            for w in self.workers:
                w.stop(kill=bool(w.todo))
            self.workers.clear()

    def _hand_out(self, following: int) -> None:
        while self.queue and self.queue[0][0] - following < self.window:
            worker = next((w for w in self.workers if not w.todo), None)
            if worker is None:
                if len(self.workers) >= self.jobs:
                    return
                worker = _Worker(self.ctx, self.func, [w.conn for w in self.workers])
                self.workers.append(worker)
            worker.give(self.queue.popleft(), self.items, self.time_limit)

    def _collect(self) -> None:
        """Wait for the next answer or the first deadline; take every answer ready, stop every worker late."""
        busy = [w for w in self.workers if w.todo]
        if not busy:  # cannot happen: the next item is either handed out or done
            raise RuntimeError("run_each: nothing to wait for")
        deadlines = [w.deadline for w in busy if w.deadline is not None]
        timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        ready = set(wait([w.conn for w in busy], timeout))
        now = time.monotonic()
        for w in busy:
            if w.conn in ready:
                try:
                    answer = w.conn.recv()
                except (EOFError, OSError):
                    self._lose(w, w.death())
                    continue
                self.done[w.todo.popleft()] = answer
                w.deadline = now + self.time_limit if w.todo and self.time_limit else None
            elif w.deadline is not None and now >= w.deadline:
                self._lose(w, f"took longer than {self.time_limit:g} s (the time limit); stopped")

    def _lose(self, worker: _Worker, reason: str) -> None:
        """The worker's current item fails with `reason`; the rest of its chunk goes back first in the queue."""
        self.done[worker.todo.popleft()] = Failed(reason)
        if worker.todo:
            self.queue.appendleft(list(worker.todo))
            worker.todo.clear()
        worker.stop(kill=True)
        self.workers.remove(worker)


def _serve(func: Callable, conn: Connection, parent_ends: list[Connection]) -> None:
    """Worker loop: a list of items in, one answer out per item as soon as it is ready; EOF ends it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops the workers
    for end in parent_ends:
        end.close()
    while True:
        try:
            batch = conn.recv()
        except (EOFError, OSError):
            return
        for item in batch:
            try:
                answer = func(item)
            except Exception as exc:  # noqa: BLE001 - the item fails, the worker goes on
                answer = Failed(f"{type(exc).__name__}: {exc}")
            if not _send(conn, answer):
                return


def _send(conn: Connection, answer: Any) -> bool:
    """Send one answer; False when the parent is gone. An answer that cannot be pickled is sent as Failed
    (pickling happens before anything is written, so the pipe stays in step)."""
    try:
        conn.send(answer)
    except OSError:
        return False
    except Exception as exc:  # noqa: BLE001 - PicklingError, TypeError, RecursionError ...
        return _send(conn, Failed(f"its result could not be sent back ({type(exc).__name__}: {exc})"))
    return True
