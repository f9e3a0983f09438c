"""Answers of the embedded store kept per query, so a repeated request skips the store.

The API's query workers read a snapshot of the embedded store (opened read-only when they start), so the answer to a
job — query text, media type, graphs, cap — does not change while they live: an answer can be kept and handed out
again. What keeps it honest:
- the cache is bounded in bytes (least recently used answers go first) and an answer larger than a quarter of the
  budget is not kept;
- answers are valid for one store snapshot: when a load changes the store every worker moves to the new snapshot
  together and `WorkerPool.generation` moves with it, which drops the whole cache (a worker replaced after a time
  limit reopens the same snapshot and keeps it);
- requests for a job already being answered wait for that answer instead of running it again (single flight);
- failures (time limit, syntax error) are never kept.
Every route's reads come through here (ttdn_graph/web/service.py): the public endpoint's and named queries' answers,
and the pages', search's and views' own queries, whatever their lane.
A remote endpoint changes under us whenever its owner loads data, so its answers are not cached (see ttdn_graph/web/app.py).
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from ttdn_graph.web.worker import Job, Output


class ResultCache:
    """An LRU of `Output`s by `Job`, at most `max_bytes` of bodies, valid for one worker generation."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max(0, max_bytes)
        self._items: OrderedDict[Job, Output] = OrderedDict()
        self._bytes = 0
        self._generation = 0
        self._lock = threading.Lock()

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)

    def _sync(self, generation: int) -> None:
        if generation != self._generation:
            self._items.clear()
            self._bytes = 0
            self._generation = generation

    def get(self, job: Job, generation: int) -> Output | None:
        with self._lock:
            self._sync(generation)
            out = self._items.get(job)
            if out is not None:
                self._items.move_to_end(job)
            return out

    def put(self, job: Job, out: Output, generation: int) -> bool:
        """Keep `out` when it was computed in the current generation and fits; True when kept."""
        size = len(out.body)
        with self._lock:
            if generation < self._generation or size > self.max_bytes // 4:
                return False
            self._sync(generation)
            old = self._items.pop(job, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._items[job] = out
            self._bytes += size
            while self._bytes > self.max_bytes and self._items:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped.body)
            return True


class CachedRunner:
    """Single-flight, cached `run(job)` in front of a blocking runner (the worker pool, called in a thread)."""

    def __init__(self, cache: ResultCache, run_blocking: Callable[..., Output], generation: Callable[[], int],
                 to_thread: Callable[[Callable[[], Output]], Awaitable[Output]]):
        self.cache = cache
        self._run = run_blocking
        self._generation = generation
        self._to_thread = to_thread
        self._inflight: dict[Job, asyncio.Task[Output]] = {}

    async def run(self, job: Job, client: str | None = None, *, lane: str | None = None,
                  timeout: float | None = None) -> Output:
        """The kept answer to `job`, else the one being computed, else a new run (in `lane`, within `timeout`)."""
        hit = self.cache.get(job, self._generation())
        if hit is not None:
            return dataclasses.replace(hit, cached=True)
        task = self._inflight.get(job)
        if task is None:
            # a task of its own: the answer is still kept when the request that started it goes away
            kw: dict = {"client": client} if client is not None else {}
            if lane is not None:
                kw["lane"] = lane
            if timeout is not None:
                kw["timeout"] = timeout
            task = asyncio.ensure_future(self._fill(job, kw))
            self._inflight[job] = task
            task.add_done_callback(lambda t, j=job: self._done(j, t))
        return await asyncio.shield(task)

    def _done(self, job: Job, task: asyncio.Task[Output]) -> None:
        if self._inflight.get(job) is task:
            del self._inflight[job]
        if not task.cancelled():
            task.exception()  # retrieved here, so an error nobody waited for is not logged as lost

    async def _fill(self, job: Job, kw: dict) -> Output:
        generation = self._generation()
        # the client that asked first is charged for the work (the worker pool's fair queue), in its lane
        out = await self._to_thread(lambda: self._run(job, **kw))
        self.cache.put(job, out, generation)
        return out
