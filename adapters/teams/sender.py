"""Proactive Teams messages from the outbox: to a person only in their personal (1:1) conversation, to a
configured channel in that channel.

A person's address (adapters/teams/address.py) may lack a personal conversation, for someone added to a
team by a colleague or who only mentioned ketenbot in a channel. Then a personal conversation is started
first (POST /v3/conversations with the member and the tenant). If that is refused (the app is not
installed for them) or too little is known, the message waits in the outbox (NotYetReachable) until
Teams tells ketenbot more about that person; it never goes to a channel instead. Starting the
conversation happens while the message counts as under way, so a hard kill just then also leads to the
resend with a note (see below), although nothing was posted yet.

The Bot Framework cannot be asked afterwards whether a message arrived (its activity create takes no
idempotency key and there is no call to list a conversation's messages). So `was_delivered` answers
None, and a message whose earlier attempt is in doubt (the process was killed during the call, or the
connector answered 5xx or timed out) is sent again with a note; see adapters/delivery.py. Refusals
with a definite answer (429, 4xx, no connection at all) are safe to retry as they are.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import ChannelAccount, ConversationParameters, ConversationReference

from adapters.delivery import (
    DeliveryError,
    MaybeDelivered,
    NotReachableError,
    NotYetReachable,
    RateLimited,
    Unavailable,
)
from adapters.teams.address import is_conversation_id, is_personal, with_conversation
from adapters.teams.bot import PLATFORM
from adapters.teams.render import render
from adapters.teams.schema import TENANT_KEY
from bot.identity import user_of
from bot.messages import from_payload
from social_map.addresses import AddressBook
from social_map.outbox import Delivery

logger = logging.getLogger(__name__)

DEFAULT_RETRY_AFTER = 1.0
# 403: the bot was blocked or removed, or the tenant forbids it; 404: the conversation is gone.
UNREACHABLE = frozenset({403, 404})
# Starting a personal conversation refused: the app is not installed for the member, or not allowed there.
CANNOT_START = frozenset({400, 403, 404})


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


def classify_start(error: Exception) -> Exception:
    """A failure to start a personal conversation. Nothing was posted, so it is never in doubt; a refusal
    (the bot is not installed for this person, or the tenant forbids it) makes the message wait."""
    status, retry_after = _status_and_retry(error)
    if status == 429:
        return RateLimited(retry_after)
    if status in CANNOT_START:
        return NotYetReachable(f"no personal conversation: HTTP {status}")
    if status is None and _never_connected(error):
        return Unavailable("connector not reachable")
    return DeliveryError(f"starting a personal conversation failed: {f'HTTP {status}' if status else type(error).__name__}")


Turn = Callable[[TurnContext], Awaitable[None]]


async def through_adapter(start: Callable[[Turn], Awaitable[None]], work: Turn) -> None:
    """Run `work` in the turn that `start` opens; whatever fails, in the SDK or in `work`, is raised here
    (the adapter's turn-error handler would otherwise swallow it and apologise)."""
    failures: list[Exception] = []

    async def guarded(turn_context: TurnContext) -> None:
        try:
            await work(turn_context)
        except Exception as error:
            failures.append(error)

    try:
        await start(guarded)
    except Exception as error:
        failures.append(error)
    if failures:
        raise failures[0]


class TeamsSender:
    platforms = (PLATFORM,)

    def __init__(self, adapter: CloudAdapter, addresses: AddressBook, *, app_id: str) -> None:
        self.adapter = adapter
        self.addresses = addresses
        self.app_id = app_id

    async def send(self, delivery: Delivery) -> None:
        reference = ConversationReference().deserialize(await self._address(delivery.identity))
        activity = render(from_payload(delivery.payload))

        async def write(turn_context: TurnContext) -> None:
            # A new activity, not a reply: botbuilder gives the continuation a made-up activity id, which
            # would otherwise become the replyToId (and part of the URL) of a message that does not exist.
            turn_context.activity.id = None
            await turn_context.send_activity(activity)

        try:
            await through_adapter(lambda turn: self.adapter.continue_conversation(reference, turn, self.app_id), write)
        except Exception as error:
            raise classify(error) from error

    async def _address(self, identity: str) -> dict[str, Any]:
        """Where to post: a configured channel as it is; a person only in their personal conversation."""
        stored = self.addresses.lookup(identity)
        if is_conversation_id(user_of(identity)):
            if stored is None:
                raise NotReachableError("ketenbot has not been in this Teams channel")
            return stored
        if stored is None:
            raise NotYetReachable("no Teams address: never wrote to ketenbot nor was added to a team with it")
        if is_personal(stored.get("conversation")):
            return stored
        return await self._start_personal(identity, stored)

    async def _start_personal(self, identity: str, stored: dict[str, Any]) -> dict[str, Any]:
        """POST /v3/conversations with the member and the tenant, as Microsoft documents for a bot's first
        personal message; the new conversation is kept in the person's address."""
        tenant, user, bot = stored.get(TENANT_KEY), stored.get("user") or {}, stored.get("bot")
        if not (tenant and user.get("id") and bot and stored.get("serviceUrl")):
            raise NotYetReachable("no personal conversation, and too little known to start one")
        parameters = ConversationParameters(
            is_group=False,
            bot=ChannelAccount().deserialize(bot),
            members=[ChannelAccount().deserialize(user)],
            tenant_id=tenant,
            channel_data={"tenant": {"id": tenant}},
        )
        started: list[str] = []

        async def keep(turn_context: TurnContext) -> None:
            started.append(turn_context.activity.conversation.id)

        def start(turn: Turn) -> Awaitable[None]:
            return self.adapter.create_conversation(
                self.app_id, turn, parameters, stored.get("channelId"), stored["serviceUrl"]
            )

        try:
            await through_adapter(start, keep)
        except Exception as error:
            raise classify_start(error) from error
        address = with_conversation(stored, started[0])
        self.addresses.remember(identity, PLATFORM, address)
        logger.info("teams personal conversation started for %s conversation=%s", identity, started[0])
        return address

    async def was_delivered(self, delivery: Delivery) -> bool | None:
        return None  # the Bot Framework cannot tell; see the module docstring
