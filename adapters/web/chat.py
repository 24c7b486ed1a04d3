"""The web chat: GET / serves one small page, POST /api/chat answers it, for people without Slack or Teams.

An adapter like the others: `to_incoming` and `render_replies` translate, `take_turn` hands the message
to the core. The session is a random token in a cookie (see session.py); message texts are never logged.
"""

from __future__ import annotations

import logging

from aiohttp import web

from adapters.turn import take_turn
from adapters.web.inbox import acknowledge, read_ack
from adapters.web.page import SECURITY_HEADERS, Asset, load_assets
from adapters.web.payload import ChatMessage, PayloadError, read_message
from adapters.web.render import render_inbox, render_replies
from adapters.web.session import conversation_tag, session_token, set_session_cookie
from adapters.wiring import Runtime
from bot.messages import Incoming, from_payload

logger = logging.getLogger(__name__)

PLATFORM = "web"
CHAT_ROUTE = "/api/chat"
INBOX_ROUTE = "/api/inbox"
ACK_ROUTE = "/api/inbox/ack"
API_HEADERS = {**SECURITY_HEADERS, "Cache-Control": "no-store"}


def to_incoming(message: ChatMessage, token: str) -> Incoming:
    """One chat message from the session with this token; the conversation carries a digest of the token,
    because conversation ids are logged and the token is a secret."""
    return Incoming(
        platform=PLATFORM,
        user_id=token,
        conversation_id=conversation_tag(token),
        text=message.text,
        action=message.action,
    )


class WebChat:
    """The handlers of the web chat, bound to one runtime."""

    def __init__(self, runtime: Runtime, assets: dict[str, Asset]) -> None:
        self.runtime = runtime
        self.assets = assets

    async def page(self, request: web.Request) -> web.Response:
        response = self.assets["/"].response()
        token, _new = session_token(request)
        set_session_cookie(response, request, token)
        return response

    async def asset(self, request: web.Request) -> web.Response:
        return self.assets[request.path].response()

    async def no_icon(self, request: web.Request) -> web.Response:
        # Browsers ask for it on every visit; an empty answer keeps their consoles and our logs quiet.
        return web.Response(status=204, headers=SECURITY_HEADERS)

    async def chat(self, request: web.Request) -> web.Response:
        token, _new = session_token(request)
        try:
            message = await read_message(request)
        except PayloadError as error:
            logger.info("web chat request refused reason=%s", error.reason)
            response = web.json_response({"error": error.message}, status=400, headers=API_HEADERS)
        else:
            replies = await take_turn(to_incoming(message, token), self.runtime.services)
            response = web.json_response(render_replies(replies), headers=API_HEADERS)
        set_session_cookie(response, request, token)
        return response

    async def inbox(self, request: web.Request) -> web.Response:
        """Messages waiting for this session in the outbox (check-ins, celebrations), each with its id.

        Nothing is marked here: a message stays waiting until the page acknowledges it (see `ack`).
        """
        token, new = session_token(request)
        deliveries = [] if new else self.runtime.outbox.waiting_for(f"{PLATFORM}:{token}")
        body = render_inbox((delivery.id, from_payload(delivery.payload)) for delivery in deliveries)
        response = web.json_response(body, headers=API_HEADERS)
        set_session_cookie(response, request, token)
        return response

    async def ack(self, request: web.Request) -> web.Response:
        """The page has shown these messages: mark them sent (only this session's own)."""
        token, new = session_token(request)
        try:
            ids = await read_ack(request)
        except PayloadError as error:
            logger.info("web inbox ack refused reason=%s", error.reason)
            response = web.json_response({"error": error.message}, status=400, headers=API_HEADERS)
        else:
            count = 0 if new else acknowledge(self.runtime.outbox, f"{PLATFORM}:{token}", ids)
            logger.info("web inbox acknowledged conversation=%s count=%s", conversation_tag(token), count)
            response = web.json_response({"acknowledged": count}, headers=API_HEADERS)
        set_session_cookie(response, request, token)
        return response


def setup_web(app: web.Application, runtime: Runtime) -> None:
    """Mount the web chat: GET / (the page), GET /chat.js and /chat.css, POST /api/chat, GET /api/inbox,
    POST /api/inbox/ack."""
    chat = WebChat(runtime, load_assets())
    app.router.add_get("/", chat.page)
    app.router.add_get("/chat.js", chat.asset)
    app.router.add_get("/chat.css", chat.asset)
    app.router.add_get("/favicon.ico", chat.no_icon)
    app.router.add_post(CHAT_ROUTE, chat.chat)
    app.router.add_get(INBOX_ROUTE, chat.inbox)
    app.router.add_post(ACK_ROUTE, chat.ack)
