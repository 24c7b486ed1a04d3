"""Teams over the Bot Framework: POST /api/messages with botbuilder's CloudAdapter.

Three modes (`teams_mode`):
- authenticated (MICROSOFT_APP_ID set): every request must carry a valid Bot Framework token. The
  decision is made here, before the bot runs, and fails closed: a missing, malformed or unverifiable
  token (also when Microsoft's signing keys cannot be fetched) is answered 401, never 500.
- emulator (no app id, KETENBOT_TEAMS_EMULATOR=1): no authentication, for the Bot Framework Emulator and
  the tests. The server then listens on 127.0.0.1 only (adapters/server.py), and this endpoint refuses
  any peer that is not this machine, whatever the body says; replies go only to a local serviceUrl.
- off (neither): /api/messages answers 404 with an explanation, and nothing is sent to Teams.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from botbuilder.core import TurnContext, serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from botframework.connector.auth import AuthenticateRequestResult

from adapters.teams import schema, signing_keys
from adapters.teams.bot import KetenBot
from adapters.teams.render import render
from adapters.teams.sender import TeamsSender
from adapters.teams.token import looks_like_bearer_jwt
from adapters.wiring import Runtime
from bot.config import Settings, SettingsError
from bot.guidance import apology_reply
from bot.quota import Quota

logger = logging.getLogger(__name__)

ROUTE = "/api/messages"
LOOPBACK = "127.0.0.1"
AUTHENTICATED, EMULATOR, OFF = "authenticated", "emulator", "off"
TEAMS_OFF = {
    "error": "Teams staat uit: MICROSOFT_APP_ID is niet ingesteld. Voor de Bot Framework Emulator op deze machine:"
    " zet KETENBOT_TEAMS_EMULATOR=1.",
    "error_en": "Teams is off: MICROSOFT_APP_ID is not set. For the Bot Framework Emulator on this machine,"
    " set KETENBOT_TEAMS_EMULATOR=1.",
}
NOT_LOCAL_PEER = {"error": "zonder MICROSOFT_APP_ID worden alleen verzoeken van deze machine beantwoord"}
NOT_LOCAL_SERVICE_URL = {"error": "zonder MICROSOFT_APP_ID alleen een serviceUrl op deze machine"}
APP_TYPES = {
    "multitenant": "MultiTenant",
    "singletenant": "SingleTenant",
    "userassignedmsi": "UserAssignedMSI",
}


@dataclass(frozen=True)
class BotFrameworkConfig:
    """The attribute names botbuilder's ConfigurationBotFrameworkAuthentication reads."""

    APP_ID: str
    APP_PASSWORD: str
    APP_TYPE: str
    APP_TENANTID: str


def bot_framework_config(settings: Settings) -> BotFrameworkConfig:
    """Settings as botbuilder's configuration object; a missing companion variable stops start-up."""
    app_type = APP_TYPES.get((settings.microsoft_app_type or "MultiTenant").lower())
    if app_type is None:
        raise SettingsError(f"MICROSOFT_APP_TYPE moet een van deze zijn: {', '.join(APP_TYPES.values())}")
    if settings.microsoft_app_id and app_type != "MultiTenant" and not settings.microsoft_app_tenant_id:
        raise SettingsError(f"MICROSOFT_APP_TENANT_ID is verplicht als MICROSOFT_APP_TYPE {app_type} is")
    if settings.microsoft_app_id and app_type == "SingleTenant" and not settings.microsoft_app_password:
        raise SettingsError("MICROSOFT_APP_PASSWORD is verplicht als MICROSOFT_APP_TYPE SingleTenant is")
    return BotFrameworkConfig(
        APP_ID=settings.microsoft_app_id or "",
        APP_PASSWORD=settings.microsoft_app_password or "",
        APP_TYPE=app_type,
        APP_TENANTID=settings.microsoft_app_tenant_id or "",
    )


def teams_mode(settings: Settings) -> str:
    """AUTHENTICATED with an app id; EMULATOR without one when KETENBOT_TEAMS_EMULATOR=1; else OFF."""
    if settings.microsoft_app_id:
        return AUTHENTICATED
    return EMULATOR if settings.teams_emulator else OFF


def vouched_tenants(settings: Settings, config: BotFrameworkConfig) -> frozenset[str]:
    """The tenants whose users are ketenpartners: KETENBOT_TEAMS_TENANTS, and a single-tenant app's own."""
    own = {config.APP_TENANTID} if config.APP_TYPE != "MultiTenant" and config.APP_TENANTID else set()
    return settings.teams_tenants | own


def is_loopback(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def on_loopback(url: str | None) -> bool:
    try:
        return is_loopback(urlsplit(url or "").hostname)
    except ValueError:  # "http://[::1" and other malformed addresses
        return False


def from_this_machine(request: web.Request) -> bool:
    """Whether the TCP peer itself is loopback. Not `request.remote`, which a proxy-aware middleware may
    rewrite from X-Forwarded-For: in emulator mode no header may vouch for a request."""
    peer = request.transport.get_extra_info("peername") if request.transport else None
    return bool(peer) and is_loopback(peer[0])


async def read_activity(request: web.Request) -> Activity | None:
    """The posted activity, or None when the body is not a JSON activity."""
    if request.content_type != "application/json":
        return None
    try:
        body = await request.json()
        activity = Activity().deserialize(body) if isinstance(body, dict) else None
    except Exception:  # noqa: BLE001 - JSON and msrest raise several kinds; any of them means a bad body
        logger.warning("teams request with an unreadable body")
        return None
    return activity if activity is not None and activity.type else None


def missing_parts(activity: Activity) -> list[str]:
    """What an activity lacks that every activity from a channel has and a reply needs."""
    missing = []
    if not (activity.conversation and activity.conversation.id):
        missing.append("conversation")
    if not (activity.from_property and activity.from_property.id):
        missing.append("from")
    if not activity.service_url:
        missing.append("serviceUrl")
    return missing


def response_body(body: Any) -> Any:
    """An invoke's or expectReplies' answer as JSON data. The SDK hands over plain data for expectReplies
    (`{"activities": […]}`, already serialised) and for most invokes, a model for some."""
    if body is None or isinstance(body, (dict, list)):
        return body
    try:
        return serializer_helper(body)
    except Exception:  # noqa: BLE001 - the SDK's own 400 for a bad invoke carries an exception object
        return {"error": "ongeldige invoke"}


class MessagesEndpoint:
    """The aiohttp handler: authenticate, then let the CloudAdapter run the bot."""

    def __init__(self, adapter: CloudAdapter, bot: KetenBot, *, authenticated: bool) -> None:
        self.adapter = adapter
        self.bot = bot
        self.authenticated = authenticated

    async def authenticate(
        self, activity: Activity | None, authorization: str
    ) -> AuthenticateRequestResult | None:
        """The SDK's verdict on the token, or None (logged, without the token) when it is not valid."""
        try:
            return await self.adapter.bot_framework_authentication.authenticate_request(
                activity or Activity(), authorization
            )
        except Exception as error:  # noqa: BLE001 - fail closed: whatever the SDK raises, the token is not accepted
            logger.warning("teams request refused: token not validated (%s)", type(error).__name__)
            return None

    async def handle(self, request: web.Request) -> web.Response:
        if not self.authenticated and not from_this_machine(request):
            logger.warning("teams emulator mode refused a request from another machine")
            return web.json_response(NOT_LOCAL_PEER, status=403)
        authorization = request.headers.get("Authorization", "")
        if self.authenticated and not looks_like_bearer_jwt(authorization):
            # Refused before the body is even read.
            logger.warning("teams request refused: %s", "malformed token" if authorization else "no token")
            return web.json_response({"error": "niet geautoriseerd"}, status=401)
        activity = await read_activity(request)
        result = await self.authenticate(activity, authorization)
        if result is None:
            return web.json_response({"error": "niet geautoriseerd"}, status=401)
        if activity is None:
            return web.json_response({"error": "verwacht een activity in JSON"}, status=400)
        missing = missing_parts(activity)
        if missing:
            logger.warning("teams activity refused: no %s", ", ".join(missing))
            return web.json_response({"error": f"de activity mist: {', '.join(missing)}"}, status=400)
        if not self.authenticated and not on_loopback(activity.service_url):
            # Emulator mode answers at the serviceUrl without authentication: only a local emulator may ask,
            # or anyone could make the server post to any address.
            logger.warning("teams emulator mode refused a serviceUrl that is not on this machine")
            return web.json_response(NOT_LOCAL_SERVICE_URL, status=403)
        invoke_response = await self.adapter.process_activity(result, activity, self.bot.on_turn)
        if invoke_response:
            body = response_body(invoke_response.body)
            if body is None:
                return web.Response(status=invoke_response.status)
            return web.json_response(data=body, status=invoke_response.status)
        return web.Response(status=201)


async def on_turn_error(context: TurnContext, error: Exception) -> None:
    """Log the failed turn (no texts) and send the Dutch apology; never raise."""
    conversation = context.activity.conversation.id if context.activity.conversation else None
    logger.exception("teams turn failed conversation=%s", conversation, exc_info=error)
    try:
        await context.send_activity(render(apology_reply()))
    except Exception:
        logger.exception("teams apology could not be sent conversation=%s", conversation)


async def teams_off(_request: web.Request) -> web.Response:
    return web.json_response(TEAMS_OFF, status=404)


def setup_teams(app: web.Application, runtime: Runtime, settings: Settings, *, per_person: Quota | None = None) -> TeamsSender | None:
    """Register POST /api/messages and return the sender for proactive messages; with Teams off, the
    route only explains that (404) and there is no sender. Over `per_person` a person hears to slow down."""
    config = bot_framework_config(settings)
    mode = teams_mode(settings)
    if mode == OFF:
        logger.info("teams is off: MICROSOFT_APP_ID is not set (KETENBOT_TEAMS_EMULATOR=1 for a local emulator)")
        app.router.add_post(ROUTE, teams_off)
        return None
    signing_keys.install()
    schema.install()
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(config))
    adapter.on_turn_error = on_turn_error
    if mode == EMULATOR:
        logger.warning("teams runs in emulator mode: requests are not authenticated and only accepted from this machine")
    bot = KetenBot(runtime, tenants=vouched_tenants(settings, config), per_person=per_person)
    endpoint = MessagesEndpoint(adapter, bot, authenticated=mode == AUTHENTICATED)
    app.router.add_post(ROUTE, endpoint.handle)
    return TeamsSender(adapter, runtime.addresses, app_id=settings.microsoft_app_id or "")
