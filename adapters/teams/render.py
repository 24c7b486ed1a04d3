"""Replies as Teams activities: pure functions, Adaptive Cards 1.4 for options and forms.

The activity's text is always the complete reply, so a client that shows no cards still reads it all.
"""

from __future__ import annotations

import re
from typing import Any

from botbuilder.schema import Activity, ActivityTypes, Attachment

from bot.messages import Option, Reply
from bot.social.registration import REGISTER_FORM

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_VERSION = "1.4"
OPEN_FORM = "register-form"
SUBMIT_FORM = "register-submit"
FORM_KEY = "ketenbot"

OPEN_FORM_LABEL = "Formulier invullen"

JsonDict = dict[str, Any]


def text_block(text: str, **style: Any) -> JsonDict:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def submit_action(title: str, data: JsonDict) -> JsonDict:
    return {"type": "Action.Submit", "title": title, "data": data}


def adaptive_card(
    body: list[JsonDict], actions: list[JsonDict] | None = None, *, fallback_text: str = ""
) -> JsonDict:
    card: JsonDict = {"type": "AdaptiveCard", "$schema": CARD_SCHEMA, "version": CARD_VERSION, "body": body}
    if actions:
        card["actions"] = actions
    if fallback_text:
        card["fallbackText"] = fallback_text
    return card


def option_actions(options: tuple[Option, ...]) -> list[JsonDict]:
    return [submit_action(option.label, {"value": option.value}) for option in options]


def reply_card(reply: Reply) -> JsonDict | None:
    """The Adaptive Card for a reply with options or a form: the buttons, plus the source line when the text
    lacks it. The message text above it already holds the whole reply, so the card does not repeat it."""
    if not (reply.options or reply.form):
        return None
    footer = reply.card.footer if reply.card and reply.card.footer and reply.card.footer not in reply.text else ""
    body = [text_block(footer, isSubtle=True, size="Small")] if footer else []
    actions = option_actions(reply.options)
    if reply.form == REGISTER_FORM:
        actions.append(submit_action(OPEN_FORM_LABEL, {FORM_KEY: OPEN_FORM}))
    return adaptive_card(body, actions)


def card_attachment(card: JsonDict) -> Attachment:
    return Attachment(content_type=CARD_CONTENT_TYPE, content=card)


# Markdown that Teams would render from what partners typed: emphasis, code, links, images, tags, headings.
_MARKDOWN = re.compile(r"([\\`*_\[\]<>~#|])")


# A web address that Teams links by itself (the dashboard and invitation links). Escaped, "\#" and "\_" would end
# up in the address; left whole, it can hold no markdown that makes a link or an image: no brackets, parentheses,
# angle brackets, asterisks, backticks or pipes.
_ADDRESS = re.compile(r"(?<!\S)https?://[A-Za-z0-9.:/?#=&%_~+-]+")


def escape_markdown(text: str) -> str:
    """The text as Teams shows it literally: every character markdown acts on is backslash-escaped, except inside
    a plain web address, which Teams links as it is."""
    parts, start = [], 0
    for address in _ADDRESS.finditer(text):
        parts += [_MARKDOWN.sub(r"\\\1", text[start : address.start()]), address.group()]
        start = address.end()
    return "".join([*parts, _MARKDOWN.sub(r"\\\1", text[start:])])


def message(text: str, card: JsonDict | None = None) -> Activity:
    """A message activity with this text (shown literally, not as markdown) and, when given, one Adaptive Card."""
    return Activity(
        type=ActivityTypes.message,
        text=escape_markdown(text),
        text_format="markdown",
        attachments=[card_attachment(card)] if card else None,
    )


def render(reply: Reply) -> Activity:
    """One reply as a Teams message: its text, plus an Adaptive Card when it has options or a card."""
    return message(reply.text, reply_card(reply))
