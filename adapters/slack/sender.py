"""Proactive Slack messages from the outbox: direct messages to people, posts to configured channels.

Every message carries its outbox key as Slack message metadata, so after a crash, a timeout or a 5xx
ketenbot can look in the conversation whether the message already arrived before sending it again.
The sender has its own client without the SDK's automatic retries: a retried chat.postMessage could
post twice, and a rate limit is better waited out in the outbox than inside one call.
"""

from __future__ import annotations

from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.delivery import DeliveryError, MaybeDelivered, NotReachableError, RateLimited, Unavailable
from adapters.slack.render import render_message
from adapters.slack.translate import PLATFORM
from bot.identity import user_of
from bot.messages import from_payload
from social_map.addresses import AddressBook
from social_map.outbox import Delivery

METADATA_TYPE = "ketenbot_delivery"
HISTORY_LIMIT = 200
# Slack errors that no retry will cure: the person or channel is gone or closed to the bot.
UNREACHABLE = frozenset(
    {"channel_not_found", "user_not_found", "is_archived", "account_inactive", "not_in_channel", "cannot_dm_bot", "user_disabled"}
)


class SlackSender:
    platforms = (PLATFORM,)

    def __init__(self, client: AsyncWebClient, addresses: AddressBook) -> None:
        self.client = client
        self.addresses = addresses

    async def _channel(self, identity: str) -> str:
        target = user_of(identity)
        if target[:1] in ("C", "G", "D"):
            return target
        known = self.addresses.lookup(identity)
        if known and known.get("channel"):
            return str(known["channel"])
        opened = await self._call("conversations_open", users=target)
        channel = opened["channel"]["id"]
        self.addresses.remember(identity, PLATFORM, {"channel": channel})
        return channel

    async def _call(self, method: str, **kwargs: Any) -> Any:
        try:
            return await getattr(self.client, method)(**kwargs)
        except aiohttp.ClientConnectorError as error:  # no connection was made: nothing can have arrived
            raise Unavailable("Slack not reachable") from error
        except SlackApiError as error:
            status = error.response.status_code
            if status == 429:
                raise RateLimited(float(error.response.headers.get("Retry-After", 1))) from error
            if status >= 500:
                raise MaybeDelivered(f"HTTP {status}") from error
            data = error.response.data if isinstance(error.response.data, dict) else {}
            reason = str(data.get("error", f"HTTP {status}"))
            raise (NotReachableError if reason in UNREACHABLE else DeliveryError)(reason) from error

    async def send(self, delivery: Delivery) -> None:
        channel = await self._channel(delivery.identity)
        metadata = {"event_type": METADATA_TYPE, "event_payload": {"key": delivery.dedupe_key}}
        await self._call("chat_postMessage", channel=channel, metadata=metadata, **render_message(from_payload(delivery.payload)))

    async def was_delivered(self, delivery: Delivery) -> bool | None:
        channel = await self._channel(delivery.identity)
        history = await self._call("conversations_history", channel=channel, limit=HISTORY_LIMIT, include_all_metadata=True)
        for message in history.get("messages", []):
            if ((message.get("metadata") or {}).get("event_payload") or {}).get("key") == delivery.dedupe_key:
                return True
        return False
