"""CycleSoftware's API limits as the simulator keeps them (docs: _introduction.md "API Limits").

A moving one-minute window and a daily count that resets at the account's local midnight. The
documented example pairs X-RateLimit-Daily-Reset 1678230000 with 2023-03-07, which is midnight
in Europe/Amsterdam, so the daily period follows that zone.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

try:
    ZONE: tzinfo = ZoneInfo("Europe/Amsterdam")
except ZoneInfoNotFoundError:  # no tz database on this machine: Dutch winter time is close enough
    ZONE = timezone(timedelta(hours=1))

DOCUMENTED_PER_MINUTE = 360
DOCUMENTED_PER_DAY = 15_000


@dataclass(frozen=True)
class Verdict:
    """Whether a request may be served, and what the rate-limit headers say after it."""

    allowed: bool
    minute_remaining: int
    day_remaining: int
    day_reset: int
    retry_after: int


class Limits:
    """Thread-safe counters for one account. ``take`` counts a request only when it is allowed."""

    def __init__(self, per_minute: int, per_day: int, clock: Callable[[], float], enforce: bool = True) -> None:
        self.per_minute, self.per_day, self.clock, self.enforce = per_minute, per_day, clock, enforce
        self._window: deque[float] = deque()
        self._day_used = 0
        self._day_end = 0.0
        self._lock = threading.Lock()

    def spend(self, requests: int) -> None:
        """Counts ``requests`` as made just now by someone else on the same account."""
        with self._lock:
            now = self.clock()
            self._window.extend([now] * requests)
            if now >= self._day_end:
                self._day_used, self._day_end = 0, self.day_bounds(now)[1]
            self._day_used += requests

    @staticmethod
    def day_bounds(now: float) -> tuple[float, float]:
        """The local midnight that began today and the one that ends it, as UNIX timestamps."""
        local = datetime.fromtimestamp(now, ZONE)
        start = local.replace(hour=0, minute=0, second=0, microsecond=0)
        # Aware arithmetic in one zone is wall-clock arithmetic: the next midnight also on DST days.
        return start.timestamp(), (start + timedelta(days=1)).timestamp()

    def take(self) -> Verdict:
        with self._lock:
            now = self.clock()
            while self._window and now - self._window[0] >= 60:
                self._window.popleft()
            if now >= self._day_end:
                self._day_used, self._day_end = 0, self.day_bounds(now)[1]
            full = len(self._window) >= self.per_minute or self._day_used >= self.per_day
            allowed = not full or not self.enforce
            if allowed:
                self._window.append(now)
                self._day_used += 1
            if self._day_used >= self.per_day:
                retry = self._day_end - now
            elif len(self._window) >= self.per_minute:
                retry = 60 - (now - self._window[0])
            else:
                retry = 0
            return Verdict(allowed, max(0, self.per_minute - len(self._window)), max(0, self.per_day - self._day_used),
                           int(self._day_end), max(1, int(retry + 0.999)) if retry > 0 else 0)
