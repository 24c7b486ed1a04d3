"""The web chat's session: a token in an HttpOnly, SameSite=Lax cookie that only this server can have issued.

A token carries a random session id and a random nonce, signed with the server's key (HMAC-SHA256): a
made-up cookie, however well shaped, is replaced by a new session, never renewed. A session that owns
nothing (someone asking questions) is kept nowhere. Once it owns something (it redeemed an invitation, it is
linked to an entry on the social map) its token is rotated, and from then on the database holds the hash of
its one valid token: an older token of that session, or one that leaked before the invitation, is refused.

The session id is the user's identity (`web:<session id>`), so it survives rotation; the token is a secret
and is never logged or stored in clear. Behind HTTPS the cookie is `__Host-`prefixed (Secure, Path=/, no
Domain), so no subdomain can plant one.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from aiohttp import web

from adapters.web.tokens import token_hash
from bot.identity import identity
from social_map.web_sessions import WebSessions

PLATFORM = "web"
HOST_PREFIX = "__Host-"
COOKIE_NAME = "ketenbot_session"
SECURE_COOKIE_NAME = HOST_PREFIX + COOKIE_NAME
ID_BYTES = NONCE_BYTES = MAC_BYTES = 16
TOKEN_BYTES = ID_BYTES + NONCE_BYTES + MAC_BYTES
# One year: the session is also the identity on the social map ("mijn gegevens", "verwijder mij").
# Renewed on every answer to the session, so only a year without a visit ends it.
COOKIE_MAX_AGE = 365 * 24 * 60 * 60
MAX_COOKIE_CHARS = 200


@dataclass(frozen=True)
class Session:
    token: str
    session_id: str
    # No valid cookie came with the request: a new session, which keeps nothing for this request.
    new: bool = False
    # The token is not of the current form (issued before tokens were signed): rotate it at once.
    outdated: bool = False

    @property
    def identity(self) -> str:
        return identity(PLATFORM, self.session_id)


def session_id_of(token: str) -> str | None:
    """The session id inside a token of the current form (not checked: see `SessionKeeper.identify`)."""
    raw = _decode(token)
    return raw[:ID_BYTES].hex() if raw else None


def _decode(token: str) -> bytes | None:
    try:
        raw = base64.urlsafe_b64decode(token.encode("ascii"))
    except (UnicodeEncodeError, binascii.Error, ValueError):
        return None
    return raw if len(raw) == TOKEN_BYTES else None


def conversation_tag(session_id: str) -> str:
    """A stable, non-reversible name for the conversation, safe to appear in logs."""
    return hashlib.sha256(f"ketenbot-conversation:{session_id}".encode()).hexdigest()[:16]


class SessionKeeper:
    """Issues, checks and rotates tokens, with the server's signing key and the stored sessions."""

    def __init__(self, sessions: WebSessions) -> None:
        self.sessions = sessions
        self._key = sessions.signing_key()

    def _mac(self, body: bytes) -> bytes:
        return hmac.new(self._key, body, hashlib.sha256).digest()[:MAC_BYTES]

    def _token(self, session_id: bytes) -> str:
        body = session_id + secrets.token_bytes(NONCE_BYTES)
        return base64.urlsafe_b64encode(body + self._mac(body)).decode("ascii")

    def new(self) -> Session:
        """A new session: issued, signed, stored nowhere."""
        session_id = secrets.token_bytes(ID_BYTES)
        return Session(self._token(session_id), session_id.hex(), new=True)

    def identify(self, token: str) -> Session | None:
        """The session of a token this server issued and still accepts, else None."""
        if not token or len(token) > MAX_COOKIE_CHARS:
            return None
        stored = self.sessions.by_token_hash(token_hash(token))
        raw = _decode(token)
        if stored is not None:
            return Session(token, stored, outdated=raw is None)
        if raw is None or not hmac.compare_digest(raw[ID_BYTES + NONCE_BYTES :], self._mac(raw[: ID_BYTES + NONCE_BYTES])):
            return None
        session_id = raw[:ID_BYTES].hex()
        # A session that carries state accepts only its newest token (the one whose hash is stored).
        return None if self.sessions.is_stored(session_id) else Session(token, session_id)

    def of(self, request: web.Request) -> Session:
        """The request's session, or a new one when no acceptable cookie came with it."""
        for token in host_cookies(request, COOKIE_NAME):
            session = self.identify(token)
            if session is not None:
                return session
        return self.new()

    def rotate(self, session: Session) -> Session:
        """A fresh token for the same session; only its hash is kept, and older tokens stop working."""
        token = self._token(bytes.fromhex(session.session_id))
        self.sessions.store(session.session_id, token_hash(token))
        return Session(token, session.session_id)


def is_secure(request: web.Request) -> bool:
    """Served over HTTPS, directly or (X-Forwarded-Proto) behind a proxy. Trusting the header can only make
    the cookie stricter, never looser, so it is honoured from anyone."""
    return request.secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https"


def host_cookies(request: web.Request, name: str) -> list[str]:
    """The values of this cookie that came with the request: the `__Host-`prefixed one first."""
    return [request.cookies[key] for key in (HOST_PREFIX + name, name) if key in request.cookies]


def set_host_cookie(response: web.StreamResponse, request: web.Request, name: str, value: str, *, max_age: int, samesite: str) -> None:
    """An HttpOnly cookie for the whole site; behind HTTPS `__Host-`prefixed (Secure, Path=/, no Domain)."""
    secure = is_secure(request)
    response.set_cookie(
        HOST_PREFIX + name if secure else name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite=samesite,
        secure=secure,
    )


def set_session_cookie(response: web.StreamResponse, request: web.Request, session: Session) -> None:
    """Set the cookie, or renew it: the same token with a fresh Max-Age."""
    set_host_cookie(response, request, COOKIE_NAME, session.token, max_age=COOKIE_MAX_AGE, samesite="Lax")
