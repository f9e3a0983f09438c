"""A TCP listener on 127.0.0.1 that records every connection made to it: the target of the egress probes.

Shared by bench.attack and the tests (SERVICE must never reach it). The accept loop is bounded: it stops on
close() or after `lifetime` seconds, and drains what is still queued in the backlog before it closes, so a late
connection is counted rather than lost. With `page`, each connection is answered with an HTTP 500 holding that
text, so a remote body echoed to a client would show.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time


class Listener:
    def __init__(self, page: str | None = None, lifetime: float = 300.0):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.page = page
        self.hits: list[bytes] = []  # the first bytes each connection sent (b"<connected>" when none)
        self._stop = threading.Event()
        self._deadline = time.monotonic() + lifetime
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @property
    def connections(self) -> int:
        return len(self.hits)

    def _accept_one(self) -> bool:
        try:
            conn, _ = self.sock.accept()
        except OSError:  # time-out, or nothing queued once non-blocking
            return False
        with conn:
            conn.settimeout(0.5)
            head = b""
            with contextlib.suppress(OSError):
                head = conn.recv(256)
            self.hits.append(head or b"<connected>")
            if self.page is not None:
                body = self.page.encode()
                with contextlib.suppress(OSError):
                    conn.sendall(b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/html\r\nContent-Length: "
                                 + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
        return True

    def _run(self) -> None:
        while not self._stop.is_set() and time.monotonic() < self._deadline:
            self._accept_one()
        self.sock.setblocking(False)
        while self._accept_one():
            pass
        self.sock.close()

    def close(self) -> list[bytes]:
        """Stop listening; the connections' first bytes."""
        self._stop.set()
        self._thread.join(5)
        return self.hits

    def __enter__(self) -> Listener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["Listener"]
