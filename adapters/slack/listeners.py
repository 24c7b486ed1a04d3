"""Slack listeners, registered per kind as in Slack's starter template: events, commands, actions, views.

Each listener acknowledges first (Slack wants an answer within three seconds) and then hands the
message to the core through take_turn; replies are rendered as Block Kit.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp

from adapters.slack.membership import vouches
from adapters.slack.render import (
    OPTION_ACTION,
    REGISTER_CALLBACK,
    REGISTER_FORM_ACTION,
    render_message,
    render_register_modal,
)
from adapters.slack.translate import (
    PLATFORM,
    from_action,
    from_command,
    from_event,
    from_submission,
)
from adapters.turn import take_turn
from adapters.wiring import Runtime
from bot.config import Settings
from bot.messages import Incoming, Reply
from bot.quota import Quota
from bot.social import forms

logger = logging.getLogger(__name__)


async def _post(client: Any, msg: Incoming, replies: list[Reply]) -> None:
    for reply in replies:
        await client.chat_postMessage(channel=msg.conversation_id, thread_ts=msg.thread_id, **render_message(reply))


def _remember(runtime: Runtime, msg: Incoming, team: str | None) -> None:
    if msg.conversation_id and msg.conversation_id.startswith("D"):
        runtime.addresses.remember(msg.qualified_user, PLATFORM, {"channel": msg.conversation_id, "team": team})


def register_events(app: AsyncApp, runtime: Runtime, settings: Settings, per_person: Quota | None) -> None:
    async def answer(event: dict[str, Any], client: Any, body: dict[str, Any], context: Any) -> None:
        if event.get("bot_id") or event.get("subtype"):
            return
        msg = from_event(event, vouched=vouches(body, context, settings))
        _remember(runtime, msg, body.get("team_id"))
        await _post(client, msg, await take_turn(msg, runtime.services, per_person=per_person))

    @app.event("app_mention")
    async def on_mention(event: dict[str, Any], client: Any, body: dict[str, Any], context: Any) -> None:
        await answer(event, client, body, context)

    @app.event("message")
    async def on_message(event: dict[str, Any], client: Any, body: dict[str, Any], context: Any) -> None:
        if event.get("channel_type") == "im":
            await answer(event, client, body, context)


def register_commands(app: AsyncApp, runtime: Runtime, settings: Settings, per_person: Quota | None) -> None:
    @app.command("/keten")
    async def on_keten(ack: Any, command: dict[str, Any], respond: Any, context: Any) -> None:
        await ack()
        msg = from_command(command, vouched=vouches(command, context, settings))
        for reply in await take_turn(msg, runtime.services, per_person=per_person):
            await respond(**render_message(reply))


def register_actions(app: AsyncApp, runtime: Runtime, settings: Settings, per_person: Quota | None) -> None:
    @app.action(re.compile(rf"^{OPTION_ACTION}_\d+$"))
    async def on_option(ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any, context: Any) -> None:
        await ack()
        msg = from_action(body, action.get("value", ""), vouched=vouches(body, context, settings))
        await _post(client, msg, await take_turn(msg, runtime.services, per_person=per_person))

    @app.action(REGISTER_FORM_ACTION)
    async def on_form(ack: Any, body: dict[str, Any], client: Any, context: Any) -> None:
        await ack()
        msg = from_action(body, forms.OPEN_FORM, vouched=vouches(body, context, settings))
        replies = await take_turn(msg, runtime.services, per_person=per_person)
        view = replies[-1].form_view
        if view is None:  # not for this person: the core says why
            await _post(client, msg, replies)
            return
        modal = render_register_modal(view)
        modal["private_metadata"] = msg.conversation_id or ""
        await client.views_open(trigger_id=body["trigger_id"], view=modal)


def register_views(app: AsyncApp, runtime: Runtime, settings: Settings) -> None:
    @app.view(REGISTER_CALLBACK)
    async def on_register(ack: Any, body: dict[str, Any], view: dict[str, Any], client: Any, context: Any) -> None:
        channel = view.get("private_metadata") or None
        msg = from_submission(body, channel, view, vouched=vouches(body, context, settings))
        replies = await take_turn(msg, runtime.services)
        shown = replies[-1].form_view
        if shown is not None and shown.errors:
            await ack(response_action="errors", errors=dict(shown.errors))
            return
        await ack()
        if channel:
            await _post(client, msg, replies)


def register(app: AsyncApp, runtime: Runtime, settings: Settings, *, per_person: Quota | None = None) -> None:
    register_events(app, runtime, settings, per_person)
    register_commands(app, runtime, settings, per_person)
    register_actions(app, runtime, settings, per_person)
    register_views(app, runtime, settings)
