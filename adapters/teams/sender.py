"""Proactive Teams messages from the outbox, to the conversation references stored when people wrote.

The Bot Framework cannot be asked afterwards whether a message arrived (its activity create takes no
idempotency key and there is no call to list a conversation's messages). So `was_delivered` answers
None, and a message whose earlier attempt is in doubt (the process was killed during the call, or the
connector answered 5xx or timed out) is sent again with a note; see adapters/delivery.py. Refusals
with a definite answer (429, 4xx, no connection at all) are safe to retry as they are.
"""

from __future__ import annotations

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import ConversationReference

from adapters.delivery import DeliveryError, MaybeDelivered, NotReachableError, RateLimited, Unavailable
from adapters.teams.bot import PLATFORM
from adapters.teams.render import render
from bot.messages import from_payload
from social_map.addresses import AddressBook
from social_map.outbox import Delivery

DEFAULT_RETRY_AFTER = 1.0
# 403: the bot was blocked or removed, or the tenant forbids it; 404: the conversation is gone.
UNREACHABLE = frozenset({403, 404})


def _status_and_retry(error: Exception) -> tuple[int | None, float]:
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    headers = getattr(response, "headers", None) or {}
    try:
        retry_after = float(headers.get("Retry-After", DEFAULT_RETRY_AFTER))
    except (TypeError, ValueError):
        retry_after = DEFAULT_RETRY_AFTER
    return status, retry_after


def _never_connected(error: BaseException) -> bool:
    """True when the connection to the connector was never opened, so nothing can have arrived."""
    seen: set[int] = set()
    stack: list[BaseException | None] = [error]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ConnectionRefusedError) or type(current).__name__ in ("NewConnectionError", "NameResolutionError"):
            return True
        stack.extend([current.__cause__, current.__context__, getattr(current, "inner_exception", None)])
    return False


def classify(error: Exception) -> Exception:
    """Turn a connector failure into what the outbox needs to know: wait, give up, retry, or in doubt."""
    status, retry_after = _status_and_retry(error)
    if status == 429:
        return RateLimited(retry_after)
    if status in UNREACHABLE:
        return NotReachableError(f"HTTP {status}")
    if status is not None and 400 <= status < 500:
        return DeliveryError(f"HTTP {status}")
    if status is None and _never_connected(error):
        return Unavailable("connector not reachable")
    return MaybeDelivered(f"HTTP {status}" if status else type(error).__name__)


class TeamsSender:
    platforms = (PLATFORM,)

    def __init__(self, adapter: CloudAdapter, addresses: AddressBook, *, app_id: str) -> None:
        self.adapter = adapter
        self.addresses = addresses
        self.app_id = app_id

    async def send(self, delivery: Delivery) -> None:
        stored = self.addresses.lookup(delivery.identity)
        if stored is None:
            # Never wrote to ketenbot in Teams: there is no conversation to write in.
            raise NotReachableError("no Teams conversation")
        reference = ConversationReference().deserialize(stored)
        activity = render(from_payload(delivery.payload))

        failures: list[Exception] = []

        async def write(turn_context: TurnContext) -> None:
            # A new activity, not a reply: botbuilder gives the continuation a made-up activity id, which
            # would otherwise become the replyToId (and part of the URL) of a message that does not exist.
            turn_context.activity.id = None
            # Caught here: the adapter's turn-error handler would otherwise swallow it and apologise.
            try:
                await turn_context.send_activity(activity)
            except Exception as error:
                failures.append(error)

        try:
            await self.adapter.continue_conversation(reference, write, self.app_id)
        except Exception as error:
            failures.append(error)
        if failures:
            raise classify(failures[0]) from failures[0]

    async def was_delivered(self, delivery: Delivery) -> bool | None:
        return None  # the Bot Framework cannot tell; see the module docstring
