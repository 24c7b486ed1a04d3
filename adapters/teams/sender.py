"""Proactive Teams messages from the outbox, to the conversation references stored when people wrote.

The Bot Framework offers no way to ask afterwards whether a message arrived, so a message that was in
flight when the process died is sent again (at least once); everything else is sent exactly once.
"""

from __future__ import annotations

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import ConversationReference

from adapters.delivery import DeliveryError, NotReachableError, RateLimited
from adapters.teams.bot import PLATFORM
from adapters.teams.render import render
from bot.messages import from_payload
from social_map.addresses import AddressBook
from social_map.outbox import Delivery

DEFAULT_RETRY_AFTER = 1.0


def _status_and_retry(error: Exception) -> tuple[int | None, float]:
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    headers = getattr(response, "headers", None) or {}
    try:
        retry_after = float(headers.get("Retry-After", DEFAULT_RETRY_AFTER))
    except (TypeError, ValueError):
        retry_after = DEFAULT_RETRY_AFTER
    return status, retry_after


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
            error = failures[0]
            status, retry_after = _status_and_retry(error)
            if status == 429:
                raise RateLimited(retry_after) from error
            raise DeliveryError(type(error).__name__) from error

    async def was_delivered(self, delivery: Delivery) -> bool | None:
        return None
