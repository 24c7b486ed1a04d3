"""The web chat: GET / serves one small page, POST /api/chat answers it, for people without Slack or Teams.

An adapter like the others: `to_incoming` and `render_replies` translate, `take_turn` hands the message
to the core. The session is a signed token in a cookie (see session.py); message texts are never logged.
A request without a session is answered, but nothing is kept for it (the answer sets a cookie, so the next
message continues the conversation); the web chat never vouches for anyone (see bot/social/access.py).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from aiohttp import web

from adapters.rate_limits import Network, RateLimits, client_address
from adapters.turn import take_turn
from adapters.web.inbox import acknowledge, read_ack
from adapters.web.page import SECURITY_HEADERS, Asset, load_assets
from adapters.web.payload import ChatMessage, PayloadError, read_message
from adapters.web.render import render_inbox, render_replies
from adapters.web.session import PLATFORM, Session, SessionKeeper, conversation_tag, set_session_cookie
from adapters.wiring import Runtime
from bot.guidance import TOO_MANY_MESSAGES
from bot.messages import Incoming, from_payload
from bot.services import Services
from social_map.web_sessions import WebSessions

logger = logging.getLogger(__name__)

CHAT_ROUTE = "/api/chat"
INBOX_ROUTE = "/api/inbox"
ACK_ROUTE = "/api/inbox/ack"
API_HEADERS = {**SECURITY_HEADERS, "Cache-Control": "no-store"}


def to_incoming(message: ChatMessage, session: Session) -> Incoming:
    """One chat message of this session; the conversation carries a digest of the session id, because
    conversation ids are logged."""
    return Incoming(
        platform=PLATFORM,
        user_id=session.session_id,
        conversation_id=conversation_tag(session.session_id),
        text=message.text,
        action=message.action,
    )


class NothingKept:
    """The conversation store of a request without a session: it remembers nothing, and writes no row."""

    def load(self, key: str) -> dict[str, Any]:
        return {}

    def save(self, key: str, state: dict[str, Any]) -> None:
        return None

    def clear(self, key: str) -> None:
        return None

    def purge_expired(self) -> int:
        return 0


class WebChat:
    """The handlers of the web chat, bound to one runtime."""

    def __init__(self, runtime: Runtime, assets: dict[str, Asset], *, limits: RateLimits, trusted_proxies: tuple[Network, ...]) -> None:
        self.runtime = runtime
        self.assets = assets
        self.limits = limits
        self.trusted_proxies = trusted_proxies
        self.sessions = SessionKeeper(WebSessions(runtime.db, clock=runtime.services.clock))
        self._forgetful = replace(runtime.services, conversations=NothingKept())

    def _standing(self, session: Session) -> tuple[bool, bool]:
        """Whether the session owns an entry on the social map, and whether it redeemed an invitation."""
        services = self.runtime.services
        return services.partners.by_identity(session.identity) is not None, services.invitations.accepted(session.identity)

    async def page(self, request: web.Request) -> web.Response:
        response = self.assets["/"].response()
        set_session_cookie(response, request, self.sessions.of(request))
        return response

    async def asset(self, request: web.Request) -> web.Response:
        return self.assets[request.path].response()

    async def no_icon(self, request: web.Request) -> web.Response:
        # Browsers ask for it on every visit; an empty answer keeps their consoles and our logs quiet.
        return web.Response(status=204, headers=SECURITY_HEADERS)

    def _over_limit(self, request: web.Request, session: Session, *, message: bool = False) -> web.Response | None:
        """429 with a Dutch message when the address or the session (or, for a message, the person) sent too
        many requests; None when the request may go on."""
        checks = [(self.limits.address, client_address(request, self.trusted_proxies)), (self.limits.session, session.session_id)]
        if message:
            checks.append((self.limits.person, session.identity))
        for quota, key in checks:
            if not quota.take(key):
                logger.info("web request limited conversation=%s", conversation_tag(session.session_id))
                headers = {**API_HEADERS, "Retry-After": str(quota.retry_after(key))}
                return web.json_response({"error": TOO_MANY_MESSAGES}, status=429, headers=headers)
        return None

    async def chat(self, request: web.Request) -> web.Response:
        session = self.sessions.of(request)
        limited = self._over_limit(request, session, message=True)
        if limited is not None:
            return limited
        try:
            message = await read_message(request)
        except PayloadError as error:
            logger.info("web chat request refused reason=%s", error.reason)
            response = web.json_response({"error": error.message}, status=400, headers=API_HEADERS)
        else:
            session, replies = await self._turn(session, message)
            response = web.json_response(render_replies(replies), headers=API_HEADERS)
        set_session_cookie(response, request, session)
        return response

    async def _turn(self, session: Session, message: ChatMessage) -> tuple[Session, list[Any]]:
        """Answer the message; rotate the token when the session came to own something (an invitation,
        an entry) or when it is of an outdated form."""
        before = self._standing(session)
        services: Services = self._forgetful if session.new else self.runtime.services
        replies = await take_turn(to_incoming(message, session), services)
        after = self._standing(session)
        if session.outdated or any(now and not then for now, then in zip(after, before, strict=True)):
            session = self.sessions.rotate(session)
            logger.info("web session rotated conversation=%s", conversation_tag(session.session_id))
        return session, replies

    async def inbox(self, request: web.Request) -> web.Response:
        """Messages waiting for this session in the outbox (check-ins, celebrations), each with its id.

        Nothing is marked here: a message stays waiting until the page acknowledges it (see `ack`).
        """
        session = self.sessions.of(request)
        limited = self._over_limit(request, session)
        if limited is not None:
            return limited
        deliveries = [] if session.new else self.runtime.outbox.waiting_for(session.identity)
        body = render_inbox((delivery.id, from_payload(delivery.payload)) for delivery in deliveries)
        response = web.json_response(body, headers=API_HEADERS)
        set_session_cookie(response, request, session)
        return response

    async def ack(self, request: web.Request) -> web.Response:
        """The page has shown these messages: mark them sent (only this session's own)."""
        session = self.sessions.of(request)
        limited = self._over_limit(request, session)
        if limited is not None:
            return limited
        try:
            ids = await read_ack(request)
        except PayloadError as error:
            logger.info("web inbox ack refused reason=%s", error.reason)
            response = web.json_response({"error": error.message}, status=400, headers=API_HEADERS)
        else:
            count = 0 if session.new else acknowledge(self.runtime.outbox, session.identity, ids)
            logger.info("web inbox acknowledged conversation=%s count=%s", conversation_tag(session.session_id), count)
            response = web.json_response({"acknowledged": count}, headers=API_HEADERS)
        set_session_cookie(response, request, session)
        return response


def setup_web(app: web.Application, runtime: Runtime, *, limits: RateLimits, trusted_proxies: tuple[Network, ...] = ()) -> None:
    """Mount the web chat: GET / (the page), GET /chat.js and /chat.css, POST /api/chat, GET /api/inbox,
    POST /api/inbox/ack."""
    chat = WebChat(runtime, load_assets(), limits=limits, trusted_proxies=trusted_proxies)
    app.router.add_get("/", chat.page)
    app.router.add_get("/chat.js", chat.asset)
    app.router.add_get("/chat.css", chat.asset)
    app.router.add_get("/favicon.ico", chat.no_icon)
    app.router.add_post(CHAT_ROUTE, chat.chat)
    app.router.add_get(INBOX_ROUTE, chat.inbox)
    app.router.add_post(ACK_ROUTE, chat.ack)
