"""An in-memory `DashboardAccess` for the dashboard's tests: the Protocol's rules, without a database.

Like a real store it keeps only hashes of tokens and asks its clock whether a link or a session is still valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from adapters.web.dashboard.access import LINK_VALIDITY, SESSION_LENGTH, DashboardSession, new_token
from adapters.web.tokens import token_hash
from bot.clock import Clock


@dataclass
class _Link:
    director: str
    expires_at: datetime
    used: bool = False


class MemoryDashboardAccess:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.links: dict[str, _Link] = {}
        self.sessions: dict[str, tuple[str, datetime]] = {}

    def issue_link(self, director: str) -> str:
        token = new_token()
        self.links[token_hash(token)] = _Link(director, self.clock.now() + LINK_VALIDITY)
        return token

    def redeem(self, link_token: str) -> DashboardSession | None:
        link = self.links.get(token_hash(link_token))
        if link is None or link.used or self.clock.now() >= link.expires_at:
            return None
        link.used = True
        token = new_token()
        expires_at = self.clock.now() + SESSION_LENGTH
        self.sessions[token_hash(token)] = (link.director, expires_at)
        return DashboardSession(token, link.director, expires_at)

    def session(self, token: str) -> DashboardSession | None:
        found = self.sessions.get(token_hash(token))
        if found is None or self.clock.now() >= found[1]:
            return None
        return DashboardSession(token, *found)

    def revoke(self, token: str) -> None:
        self.sessions.pop(token_hash(token), None)
