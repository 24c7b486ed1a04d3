"""Who may open the dashboard: one-time links for a director, redeemed once for a session of a few hours.

The handlers (app.py) know only this Protocol; the store behind it keeps only hashes of tokens (never a
token in clear) and decides validity by its own clock. A link's token travels in the fragment of
`/dashboard#toegang=TOKEN`, so it never reaches a server log; a session's token lives in an HttpOnly,
SameSite=Strict cookie.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.commitment.dashboard_link import LINK_VALIDITY, SESSION_LENGTH  # noqa: F401 - kept in one place (the chat names them too)

TOKEN_BYTES = 32
LINK_FRAGMENT = "toegang="
MAX_TOKEN_CHARS = 100


@dataclass(frozen=True)
class DashboardSession:
    """An open session: its token (the cookie's value, a secret), the director it belongs to, and its end."""

    token: str
    director: str
    expires_at: datetime


class DashboardAccess(Protocol):
    def issue_link(self, director: str) -> str:
        """A new one-time link token for this director (an identity such as slack:U123), valid LINK_VALIDITY."""
        ...

    def redeem(self, link_token: str) -> DashboardSession | None:
        """Use a link token, once: a new session of SESSION_LENGTH; None when the token is unknown, used or expired."""
        ...

    def session(self, token: str) -> DashboardSession | None:
        """The open session of this token; None when unknown, revoked or expired."""
        ...

    def revoke(self, token: str) -> None:
        """End this session now (signing out, or its director is no director any more)."""
        ...


def new_token() -> str:
    """A fresh random token, safe in a URL fragment and a cookie (43 characters)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def link_url(base_url: str, link_token: str) -> str:
    """The link a director opens: the server's public address, /dashboard, and the token in the fragment."""
    return f"{base_url.rstrip('/')}/dashboard#{LINK_FRAGMENT}{link_token}"


def plausible_token(value: str) -> bool:
    """Shaped like a token this module makes, so nothing longer or stranger is ever hashed or looked up."""
    return 0 < len(value) <= MAX_TOKEN_CHARS and all(
        c.isascii() and (c.isalnum() or c in "-_") for c in value
    )
