"""The `DashboardAccess` the server uses: tokens made here, only their hashes handed to the database."""

from __future__ import annotations

from adapters.web.dashboard.access import LINK_VALIDITY, SESSION_LENGTH, DashboardSession, new_token
from adapters.web.tokens import token_hash
from bot.clock import Clock
from social_map.dashboard_access import DashboardLinks


class StoredDashboardAccess:
    def __init__(self, links: DashboardLinks, *, clock: Clock) -> None:
        self.links = links
        self.clock = clock

    def issue_link(self, director: str) -> str:
        token = new_token()
        self.links.add_link(token_hash(token), director, self.clock.now() + LINK_VALIDITY)
        return token

    def redeem(self, link_token: str) -> DashboardSession | None:
        token = new_token()
        expires_at = self.clock.now() + SESSION_LENGTH
        director = self.links.redeem(token_hash(link_token), token_hash(token), expires_at)
        return DashboardSession(token, director, expires_at) if director else None

    def session(self, token: str) -> DashboardSession | None:
        found = self.links.session(token_hash(token))
        return DashboardSession(token, *found) if found else None

    def revoke(self, token: str) -> None:
        self.links.revoke(token_hash(token))
