"""Reading the body of POST /api/chat: JSON `{"text": …}` or `{"action": …}`, bounded and type-checked.

Every problem becomes a `PayloadError` with a Dutch message for the user, never an exception that
reaches aiohttp as a 500.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from aiohttp import web

from adapters.web.texts import ERRORS

MAX_TEXT_CHARS = 4000
MAX_ACTION_CHARS = 200
# Room for 4000 characters even when every one is written as a JSON \u escape (or a surrogate pair).
MAX_BODY_BYTES = 64 * 1024


class PayloadError(ValueError):
    """The request cannot be answered; `reason` is for logs, `message` (Dutch) for the user."""

    def __init__(self, reason: str, **values: object) -> None:
        super().__init__(reason)
        self.reason = reason
        message = ERRORS[reason]
        for name, value in values.items():  # not str.format: the Dutch texts may show JSON braces
            message = message.replace("{" + name + "}", str(value))
        self.message = message


@dataclass(frozen=True)
class ChatMessage:
    text: str = ""
    action: str | None = None


async def read_body(request: web.Request) -> bytes:
    """The raw body, refusing anything larger than MAX_BODY_BYTES (with or without Content-Length)."""
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise PayloadError("body_too_large")
    body = bytearray()
    async for chunk in request.content.iter_any():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise PayloadError("body_too_large")
    return bytes(body)


def _checked(value: object, *, limit: int, too_long: str) -> str:
    if not isinstance(value, str):
        raise PayloadError("bad_shape")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate such as "\ud800"
        raise PayloadError("bad_characters") from None
    value = value.strip()
    if not value:
        raise PayloadError("empty")
    if len(value) > limit:
        raise PayloadError(too_long, limit=limit)
    return value


def json_body(body: bytes) -> object:
    """The JSON value of a request body; PayloadError when it is not UTF-8 or not JSON."""
    try:
        return json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise PayloadError("bad_characters") from None
    except (ValueError, RecursionError):
        raise PayloadError("bad_json") from None


def parse_message(body: bytes) -> ChatMessage:
    """The chat message in a request body."""
    data = json_body(body)
    if not isinstance(data, dict) or ("text" in data) == ("action" in data):
        raise PayloadError("bad_shape")
    if "action" in data:
        return ChatMessage(action=_checked(data["action"], limit=MAX_ACTION_CHARS, too_long="bad_action"))
    return ChatMessage(text=_checked(data["text"], limit=MAX_TEXT_CHARS, too_long="text_too_long"))


async def read_message(request: web.Request) -> ChatMessage:
    if request.content_type != "application/json":
        raise PayloadError("not_json")
    return parse_message(await read_body(request))
