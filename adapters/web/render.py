"""Pure renderers: the core's replies as the JSON that POST /api/chat and GET /api/inbox answer with."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.messages import Card, Option, Reply


def render_option(option: Option) -> dict[str, Any]:
    return {"label": option.label, "value": option.value, "numbered": option.numbered}


def render_card(card: Card | None) -> dict[str, Any] | None:
    if card is None:
        return None
    return {
        "title": card.title,
        "body": card.body,
        "fields": [{"label": field.label, "value": field.value} for field in card.fields],
        "footer": card.footer,
    }


def render_reply(reply: Reply) -> dict[str, Any]:
    """One reply as a JSON object; `text` is complete on its own, the rest helps a richer client."""
    return {
        "text": reply.text,
        "options": [render_option(option) for option in reply.options],
        "card": render_card(reply.card),
        "intent": reply.intent,
    }


def render_replies(replies: Iterable[Reply]) -> dict[str, Any]:
    """The body of a successful POST /api/chat."""
    return {"replies": [render_reply(reply) for reply in replies]}


def render_inbox(messages: Iterable[tuple[int, Reply]]) -> dict[str, Any]:
    """The body of GET /api/inbox: each waiting message with the id the page acknowledges it by."""
    return {"replies": [{**render_reply(reply), "id": message_id} for message_id, reply in messages]}
