"""The Teams bot: translates activities to Incoming, hands them to the core, renders the replies.

Personal chats and @mentions in channels alike; the bot's own mention is taken out of the text.
Every message, and every member added, updates that person's address (adapters/teams/address.py), so
the bot can write to them personally later; messages waiting for that address are then due again.
The sender's tenant decides whether Teams vouches for them as one of the chain's own organisations.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Any

from botbuilder.core import ActivityHandler, TurnContext
from botbuilder.schema import Activity, ChannelAccount

from adapters.teams.address import channel_address, is_personal, merged, person_address
from adapters.teams.form import form_request, render_form, submitted_values
from adapters.teams.render import OPEN_FORM, message, render
from adapters.teams.schema import tenant_of
from adapters.turn import take_turn
from adapters.wiring import Runtime
from bot.guidance import help_reply
from bot.identity import identity as qualified
from bot.messages import FormSubmission, Incoming, Reply
from bot.quota import Quota
from bot.social import forms
from bot.social.registration import REGISTER_FORM

logger = logging.getLogger(__name__)

PLATFORM = "teams"
_SPACES = re.compile(r"[ \t]{2,}")


def strip_own_mention(activity: Activity) -> str:
    """The text without the bot's own `<at>…</at>` mention(s), whitespace trimmed."""
    text = activity.text or ""
    bot_id = activity.recipient.id if activity.recipient else None
    for mention in TurnContext.get_mentions(activity):
        props: dict[str, Any] = mention.additional_properties or {}
        mentioned = props.get("mentioned")
        if not isinstance(mentioned, dict):
            continue
        if bot_id and mentioned.get("id") == bot_id:
            shown = props.get("text") if isinstance(props.get("text"), str) else ""
            text = text.replace(shown or f"<at>{mentioned.get('name', '')}</at>", " ")
    return _SPACES.sub(" ", text).strip()


def clicked_value(value: Any) -> str | None:
    """The option value of a clicked Action.Submit (`{"value": …}`), else None."""
    if isinstance(value, dict) and isinstance(value.get("value"), str):
        return value["value"]
    return None


def to_incoming(activity: Activity, tenants: frozenset[str] = frozenset()) -> Incoming:
    """A Teams message activity as the core's Incoming; vouched when it comes from one of `tenants`."""
    sender = activity.from_property
    tenant = tenant_of(activity)
    return Incoming(
        platform=PLATFORM,
        user_id=(sender.id if sender else None) or "",
        user_name=sender.name if sender else None,
        conversation_id=activity.conversation.id if activity.conversation else None,
        text=strip_own_mention(activity),
        action=clicked_value(activity.value),
        raw=activity,
        vouched=tenant is not None and tenant in tenants,
    )


class KetenBot(ActivityHandler):
    """Only translation: activity in, Incoming to the core, replies rendered back as activities."""

    def __init__(self, runtime: Runtime, *, tenants: frozenset[str] = frozenset(), per_person: Quota | None = None) -> None:
        self.runtime = runtime
        self.tenants = tenants
        # Messages per person per minute, shared with Slack and the web chat (adapters/rate_limits.py).
        self.per_person = per_person

    def _remember(self, activity: Activity, person: ChannelAccount) -> None:
        """Update this person's address from an activity of their own or one that names them."""
        identity = qualified(PLATFORM, person.id)
        address = merged(self.runtime.addresses.lookup(identity), person_address(activity, person))
        self.runtime.addresses.remember(identity, PLATFORM, address)
        self.runtime.outbox.resume(identity)

    def _remember_channel(self, activity: Activity) -> None:
        found = channel_address(activity)
        if found is not None:
            channel_id, address = found
            self.runtime.addresses.remember(qualified(PLATFORM, channel_id), PLATFORM, address)

    async def on_members_added_activity(self, members_added: list[ChannelAccount], turn_context: TurnContext) -> None:
        """Ketenbot installed, or people added: remember the addresses of those named (and of whoever
        installed ketenbot), and greet where ketenbot was installed or in a personal chat. Someone added to
        a team by someone else is not greeted in the team's channel."""
        activity = turn_context.activity
        recipient = activity.recipient.id if activity.recipient else None
        newcomers = [m for m in members_added if m.id and m.id != recipient]
        bot_added = any(m.id == recipient for m in members_added)
        for member in newcomers:
            self._remember(activity, member)
        if bot_added and activity.from_property:
            self._remember(activity, activity.from_property)
        self._remember_channel(activity)
        personal = is_personal(activity.conversation.serialize() if activity.conversation else None)
        if bot_added or (newcomers and personal):
            await turn_context.send_activity(render(help_reply()))

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        msg = to_incoming(activity, self.tenants)
        if not msg.user_id:
            logger.warning("teams message without sender ignored conversation=%s", msg.conversation_id)
            return
        self._remember(activity, activity.from_property)
        self._remember_channel(activity)
        request = form_request(activity.value)
        if request == OPEN_FORM:
            msg = replace(msg, action=forms.OPEN_FORM)
        elif request:
            values, consent = submitted_values(activity.value)
            msg = replace(msg, submission=FormSubmission(REGISTER_FORM, tuple(values.items()), consent))
        replies = await take_turn(msg, self.runtime.services, per_person=self.per_person)
        await turn_context.send_activities([_rendered(reply) for reply in replies])


def _rendered(reply: Reply) -> Activity:
    """A reply as an activity; a form the core asks to show (to fill in, or with its errors) as its card."""
    return message(reply.text, render_form(reply.form_view)) if reply.form_view else render(reply)
