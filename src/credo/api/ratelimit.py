"""Sign-in throttling per client address, in memory (per process), on top of the per-user lockout
kept in the database: it slows password guessing across many user names from one address."""

from __future__ import annotations

import threading
import time
from collections import deque

from fastapi import Request

from credo.api.problems import TooManyRequests

WINDOW_SECONDS = 60


class SlidingWindow:
    def __init__(self, limit: int, window: float):
        self.limit, self.window = limit, window
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, now: float | None = None) -> int:
        """Record an attempt; 0 when allowed, else seconds to wait."""
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return int(hits[0] + self.window - now) + 1
            hits.append(now)
            return 0


def limit_sign_in(request: Request, username: str) -> None:
    window: SlidingWindow = request.app.state.sign_in_window
    address = request.client.host if request.client else "unknown"
    wait = window.hit(address)
    if wait:
        raise TooManyRequests(f"too many sign-in attempts from {address}: wait {wait} s", wait)
