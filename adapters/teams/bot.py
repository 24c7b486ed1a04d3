"""The Teams bot: translates activities to Incoming, hands them to the core, renders the replies.

Personal chats and @mentions in channels alike; the bot's own mention is taken out of the text.
Every message stores the conversation reference, so the bot can write to this person later.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from botbuilder.core import ActivityHandler, TurnContext
from botbuilder.schema import Activity, ChannelAccount

from adapters.teams.form import form_card, form_request, form_text, submitted_values
from adapters.teams.render import OPEN_FORM, message, render
from adapters.turn import take_turn
from adapters.wiring import Runtime
from bot.guidance import help_reply
from bot.messages import Incoming
from bot.privacy import contains_client_data
from bot.registration import CONSENT_TEXT, SAVED_NEW, SAVED_UPDATE, form_values, submit_form

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


def to_incoming(activity: Activity) -> Incoming:
    """A Teams message activity as the core's Incoming."""
    sender = activity.from_property
    return Incoming(
        platform=PLATFORM,
        user_id=(sender.id if sender else None) or "",
        user_name=sender.name if sender else None,
        conversation_id=activity.conversation.id if activity.conversation else None,
        text=strip_own_mention(activity),
        action=clicked_value(activity.value),
        raw=activity,
        # Until the tenant rule (KETENBOT_TEAMS_TENANTS, issue 12) decides this, Teams vouches for its users.
        vouched=True,
    )


def conversation_reference(activity: Activity) -> dict[str, Any]:
    """Where this person can be reached later, as a plain JSON object."""
    return TurnContext.get_conversation_reference(activity).serialize()


class KetenBot(ActivityHandler):
    """Only translation: activity in, Incoming to the core, replies rendered back as activities."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    async def on_members_added_activity(self, members_added: list[ChannelAccount], turn_context: TurnContext) -> None:
        """Someone installed ketenbot or added it to a team: say what it can do, once, and remember the address."""
        recipient = turn_context.activity.recipient.id if turn_context.activity.recipient else None
        newcomers = [m for m in members_added if m.id != recipient]
        bot_added = any(m.id == recipient for m in members_added)
        for member in newcomers:
            self.runtime.addresses.remember(f"{PLATFORM}:{member.id}", PLATFORM, conversation_reference(turn_context.activity))
        if bot_added or newcomers:
            await turn_context.send_activity(render(help_reply()))

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        msg = to_incoming(activity)
        if not msg.user_id:
            logger.warning("teams message without sender ignored conversation=%s", msg.conversation_id)
            return
        self.runtime.addresses.remember(msg.qualified_user, PLATFORM, conversation_reference(activity))
        request = form_request(activity.value)
        if request == OPEN_FORM:
            values = form_values(msg.qualified_user, self.runtime.services) or {"name": msg.user_name or ""}
            await turn_context.send_activity(message(form_text(), form_card(CONSENT_TEXT, values)))
        elif request:
            await self._submit_form(turn_context, msg, activity.value)
        else:
            replies = await take_turn(msg, self.runtime.services)
            await turn_context.send_activities([render(reply) for reply in replies])

    async def _submit_form(self, turn_context: TurnContext, msg: Incoming, value: dict[str, Any]) -> None:
        values, consent = submitted_values(value)
        existing = self.runtime.services.partners.by_identity(msg.qualified_user) is not None
        partner, errors = submit_form(msg, values, consent=consent, services=self.runtime.services)
        if errors:
            logger.info(
                "teams registration form refused conversation=%s fields=%s",
                msg.conversation_id,
                sorted(errors),
            )
            # A BSN or IBAN typed into a field is not sent back in the card either.
            kept = {field: ("" if contains_client_data(text) else text) for field, text in values.items()}
            card = form_card(CONSENT_TEXT, kept, errors, consent=consent)
            await turn_context.send_activity(message(form_text(errors), card))
            return
        logger.info(
            "teams registration saved conversation=%s partner=%s",
            msg.conversation_id,
            partner.id if partner else None,
        )
        await turn_context.send_activity(message(SAVED_UPDATE if existing else SAVED_NEW))
