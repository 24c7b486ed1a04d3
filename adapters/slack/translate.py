"""From Slack payloads to the neutral Incoming message."""

from __future__ import annotations

import re
from typing import Any

from bot.messages import FormSubmission, Incoming
from bot.social.registration import REGISTER_FORM

PLATFORM = "slack"
_MENTION = re.compile(r"<@[A-Z0-9]+(\|[^>]*)?>")


def strip_mentions(text: str) -> str:
    return _MENTION.sub("", text or "").strip()


def from_event(event: dict[str, Any], *, vouched: bool = False) -> Incoming:
    """A direct message or an @mention; a mention is answered in its thread."""
    return Incoming(
        vouched=vouched,
        platform=PLATFORM,
        user_id=event.get("user", ""),
        conversation_id=event.get("channel"),
        thread_id=event.get("thread_ts") or (event.get("ts") if event.get("type") == "app_mention" else None),
        text=strip_mentions(event.get("text", "")),
        raw=event,
    )


def from_command(command: dict[str, Any], *, vouched: bool = False) -> Incoming:
    return Incoming(
        vouched=vouched,
        platform=PLATFORM,
        user_id=command.get("user_id", ""),
        user_name=command.get("user_name"),
        conversation_id=command.get("channel_id"),
        text=(command.get("text") or "").strip() or "help",
        raw=command,
    )


def from_action(body: dict[str, Any], value: str, *, vouched: bool = False) -> Incoming:
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    return Incoming(
        vouched=vouched,
        platform=PLATFORM,
        user_id=(body.get("user") or {}).get("id", ""),
        user_name=(body.get("user") or {}).get("name"),
        conversation_id=channel,
        thread_id=container.get("thread_ts"),
        action=value,
        raw=body,
    )


def from_submission(body: dict[str, Any], channel: str | None, view: dict[str, Any], *, vouched: bool = False) -> Incoming:
    """The registration modal as submitted, by the person who submitted it, in the conversation it was opened from."""
    user = body.get("user") or {}
    values, consent = form_values(view)
    return Incoming(platform=PLATFORM, user_id=user.get("id", ""), user_name=user.get("name"), conversation_id=channel,
                    submission=FormSubmission(REGISTER_FORM, tuple(values.items()), consent), vouched=vouched, raw=body)


def form_values(view: dict[str, Any]) -> tuple[dict[str, str], bool]:
    """The registration modal's values and whether the consent box is ticked."""
    state = (view.get("state") or {}).get("values") or {}
    values = {block: (fields.get("value") or {}).get("value") or "" for block, fields in state.items() if block != "consent"}
    consent = bool(((state.get("consent") or {}).get("value") or {}).get("selected_options"))
    return values, consent
