"""Per-client admission: no client holds more than its share of the query workers.

The worker pool bounds the queue and the long-running lane (ttdn_graph/web/worker.py), which keeps the server answering; this
keeps it answering *everyone*: a client (by its address) with `limit` queries in flight gets 429 and Retry-After
for the next one at once, before its text is even scanned, so a flood from one place leaves workers free for the
others. Behind a reverse proxy every request comes from the proxy's address: set the proxy's own per-client limits
there (or run with --forwarded-allow-ips so uvicorn puts the client's address in the request).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ttdn_graph.web.safety import Refused


class ClientSlots:
    """At most `limit` requests in flight per client key; 0 turns the limit off."""

    def __init__(self, limit: int, retry_after: int = 2):
        self.limit = max(0, limit)
        self.retry_after = retry_after
        self._busy: dict[str, int] = {}
        self._lock = threading.Lock()
        self.refused = 0

    def in_flight(self, client: str) -> int:
        with self._lock:
            return self._busy.get(client, 0)

    @contextmanager
    def hold(self, client: str | None) -> Iterator[None]:
        """A slot for `client` for the duration of the block; Refused(429) when it has none free."""
        if not self.limit or client is None:
            yield
            return
        with self._lock:
            n = self._busy.get(client, 0)
            if n >= self.limit:
                self.refused += 1
                raise TooMany(self.limit, self.retry_after)
            self._busy[client] = n + 1
        try:
            yield
        finally:
            with self._lock:
                n = self._busy.get(client, 1) - 1
                if n > 0:
                    self._busy[client] = n
                else:
                    self._busy.pop(client, None)


class TooMany(Refused):
    """429: this client already has its share of queries running."""

    def __init__(self, limit: int, retry_after: int):
        super().__init__(429, f"too many queries at once from your address (at most {limit} in flight); "
                              "wait for an answer, then try again")
        self.retry_after = retry_after


def client_key(request) -> str | None:
    """The client's address as the server sees it (uvicorn applies --forwarded-allow-ips)."""
    client = getattr(request, "client", None)
    return client.host if client is not None else None


__all__ = ["ClientSlots", "TooMany", "client_key"]
