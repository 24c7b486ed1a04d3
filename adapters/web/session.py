"""The web chat's session: a random token in an HttpOnly, SameSite=Lax cookie is the user's identity.

The token is a bearer secret (it opens "mijn gegevens"), so it is never logged: logs see only
`conversation_tag`, a short one-way digest of it.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from aiohttp import web

COOKIE_NAME = "ketenbot_session"
TOKEN_BYTES = 32
# One year: the token is also the identity on the social map ("mijn gegevens", "verwijder mij").
# Renewed on every answer to the session, so only a year without a visit ends it.
COOKIE_MAX_AGE = 365 * 24 * 60 * 60
_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,64}")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def session_token(request: web.Request) -> tuple[str, bool]:
    """The request's session token, and whether it is new (no valid cookie came with the request)."""
    token = request.cookies.get(COOKIE_NAME, "")
    if _TOKEN_PATTERN.fullmatch(token):
        return token, False
    return new_token(), True


def conversation_tag(token: str) -> str:
    """A stable, non-reversible name for the conversation, safe to appear in logs."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()[:16]


def set_session_cookie(response: web.StreamResponse, request: web.Request, token: str) -> None:
    """Set the cookie, or renew it: the same token with a fresh Max-Age."""
    secure = request.secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https"
    response.set_cookie(
        COOKIE_NAME,
        token,
        max_age=COOKIE_MAX_AGE,
        path="/",
        httponly=True,
        samesite="Lax",
        secure=secure,
    )
