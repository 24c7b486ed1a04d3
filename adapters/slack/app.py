"""Slack over HTTP (Events API, interactivity, /keten) at /slack/events, or Socket Mode with an app token.

Signatures are checked by bolt (a bad, stale or missing signature gets 401). In Socket Mode events
arrive over the websocket; /slack/events then takes signed requests only if a signing secret is
set as well, and answers 401 otherwise. The socket connects in the background, so a Slack outage
at start-up does not keep Teams, the web chat or the health check from serving. A retried delivery
(X-Slack-Retry-Num) of an event id seen before is acknowledged without being answered again. Rate
limits (429) are waited out as Retry-After says.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.listeners import register
from adapters.slack.sender import SlackSender
from adapters.wiring import Runtime
from bot.config import Settings
from bot.quota import Quota

logger = logging.getLogger(__name__)

RATE_LIMIT_RETRIES = 5
# Seconds since 1970 in ASCII digits. str.isdigit() also passes "²" and 5 000 zeros, which made bolt raise (500).
TIMESTAMP = re.compile(r"[0-9]{1,12}")
BOLT_LOGGER = "slack_bolt.ketenbot"


def build_client(settings: Settings, *, retries: bool = True) -> AsyncWebClient:
    """The Web API client; `retries=False` for the outbox, which handles rate limits and doubt itself."""
    client = AsyncWebClient(token=settings.slack_bot_token, retry_handlers=[])
    if settings.slack_api_url:
        client.base_url = settings.slack_api_url.rstrip("/") + "/"
    if retries:
        client.retry_handlers.extend(
            [AsyncConnectionErrorRetryHandler(), AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)]
        )
    return client


def build_bolt(runtime: Runtime, settings: Settings, *, per_person: Quota | None = None) -> AsyncApp:
    bolt = AsyncApp(
        # Under the "slack_bolt" logger name, where adapters/log_privacy.py keeps payloads out of the log.
        name=BOLT_LOGGER,
        logger=logging.getLogger(BOLT_LOGGER),
        signing_secret=settings.slack_signing_secret,
        client=build_client(settings),
        # Bolt skips this check for Socket Mode envelopes only; over HTTP every request must be signed.
        request_verification_enabled=True,
    )

    @bolt.middleware
    async def answer_once(body: dict[str, Any], next: Any, request: Any) -> BoltResponse | None:  # noqa: A002
        # A retry carries the event id of the original: answered if the original never arrived, else not.
        event_id = body.get("event_id")
        if event_id and not runtime.addresses.first_time(f"slack:{event_id}"):
            logger.info("slack event already handled, retry=%s", request.headers.get("x-slack-retry-num", ["0"])[0])
            return BoltResponse(status=200, body="")
        return await next()

    register(bolt, runtime, settings, per_person=per_person)
    return bolt


def setup_slack(app: web.Application, runtime: Runtime, settings: Settings, *, per_person: Quota | None = None) -> SlackSender | None:
    """Mount Slack on the server when it is configured (Socket Mode when SLACK_APP_TOKEN is set);
    returns the sender for proactive messages. `per_person` limits the messages each person may send."""
    if not settings.slack_bot_token:
        return None
    bolt = build_bolt(runtime, settings, per_person=per_person)

    async def events(request: web.Request) -> web.Response:
        if not settings.slack_signing_secret:
            # Socket Mode without a signing secret: nothing over HTTP can be verified.
            return web.Response(status=401, text="Slack-verzoeken komen via Socket Mode binnen.")
        if not TIMESTAMP.fullmatch(request.headers.get("X-Slack-Request-Timestamp", "")):
            return web.Response(status=401, text="Ontbrekende of ongeldige Slack-handtekening.")
        try:
            return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))
        except Exception as error:  # noqa: BLE001 - bolt raises on bodies it cannot parse; listeners' errors it handles itself
            logger.warning("slack request could not be read (%s)", type(error).__name__)
            return web.Response(status=400, text="Dit Slack-verzoek kon niet worden gelezen.")

    app.router.add_post("/slack/events", events)
    if settings.slack_app_token:
        app[SOCKET] = SocketMode(bolt, settings.slack_app_token)
        app.on_startup.append(lambda app: app[SOCKET].start())
        app.on_cleanup.append(lambda app: app[SOCKET].stop())
    return SlackSender(build_client(settings, retries=False), runtime.addresses)


class SocketMode:
    """The Socket Mode connection, opened in the background and kept open by the SDK."""

    def __init__(self, bolt: AsyncApp, app_token: str) -> None:
        self.handler = AsyncSocketModeHandler(bolt, app_token)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self.handler.connect_async())

    async def connected(self) -> bool:
        return await self.handler.client.is_connected()

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self.handler.close_async()


SOCKET = web.AppKey("slack_socket", SocketMode)
