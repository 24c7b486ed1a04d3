"""A quota: at most so many uses per key (a person, a session, an address) within a sliding time window.

Kept in memory: it protects one running server; counts start afresh after a restart.
"""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta

from bot.clock import Clock

# Keys whose uses have all expired are forgotten after this many uses of the quota.
SWEEP_EVERY = 1000


class Quota:
    def __init__(self, limit: int, window: timedelta, *, clock: Clock) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._uses: dict[str, deque[datetime]] = {}
        self._since_sweep = 0

    def take(self, key: str) -> bool:
        """Count one use for the key; False (and not counted) when the key has used up its quota."""
        now = self.clock.now()
        uses = self._uses.setdefault(key, deque())
        while uses and uses[0] <= now - self.window:
            uses.popleft()
        self._sweep(now)
        if len(uses) >= self.limit:
            return False
        uses.append(now)
        return True

    def retry_after(self, key: str) -> int:
        """Whole seconds until the key may use the quota again (at least 1)."""
        uses = self._uses.get(key)
        if not uses or len(uses) < self.limit:
            return 1
        return max(1, int((uses[0] + self.window - self.clock.now()).total_seconds()) + 1)

    def _sweep(self, now: datetime) -> None:
        self._since_sweep += 1
        if self._since_sweep < SWEEP_EVERY:
            return
        self._since_sweep = 0
        cutoff = now - self.window
        for key in [key for key, uses in self._uses.items() if not uses or uses[-1] <= cutoff]:
            del self._uses[key]
