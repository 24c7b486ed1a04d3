"""Delivering the outbox: push platforms (Slack, Teams) get each message once; the scheduler ticks.

A sender marks a message sent only after the platform accepted it. After a crash, messages left
'sending' are checked with the platform where it can tell (Slack finds its own message by metadata) and
otherwise sent again. Rate limits put a message back with the wait the platform asked for.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta
from typing import Protocol

from bot import cycle
from bot.clock import Clock
from bot.messages import Reply, to_payload
from bot.services import Services
from social_map.outbox import Delivery, Outbox

logger = logging.getLogger(__name__)

BATCH = 50
RETRY_AFTER_ERROR = timedelta(minutes=1)
TICK_SECONDS = 30.0
DONE_MESSAGE = "Klaar met versturen van '{subject}': {sent} bezorgd, {failed} mislukt."


class RateLimited(Exception):
    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited for {retry_after}s")
        self.retry_after = retry_after


class DeliveryError(Exception):
    """The platform refused or could not be reached; the message is retried later."""


class NotReachableError(DeliveryError):
    """There is no way to reach this recipient on its platform; retrying will not help."""


class Sender(Protocol):
    platforms: tuple[str, ...]

    async def send(self, delivery: Delivery) -> None: ...

    async def was_delivered(self, delivery: Delivery) -> bool | None: ...


async def recover(outbox: Outbox, senders: list[Sender]) -> int:
    """Settle messages a killed process left 'sending': mark the delivered ones, queue the others again."""
    settled = 0
    for sender in senders:
        for delivery in outbox.unfinished(sender.platforms):
            try:
                delivered = await sender.was_delivered(delivery)
            except Exception:
                logger.exception("could not check delivery %s", delivery.id)
                delivered = None
            if delivered:
                outbox.sent(delivery.id)
            else:
                outbox.release(delivery.id)
            settled += 1
    return settled


async def deliver_due(outbox: Outbox, senders: list[Sender], *, batch: int = BATCH) -> int:
    """Send what is due on every push platform; returns how many messages were tried (0: nothing due)."""
    tried = 0
    for sender in senders:
        claimed = outbox.claim(sender.platforms, batch)
        tried += len(claimed)
        for index, delivery in enumerate(claimed):
            try:
                await sender.send(delivery)
            except RateLimited as limit:
                logger.warning("rate limited on %s, waiting %ss", delivery.platform, limit.retry_after)
                for waiting in claimed[index:]:
                    outbox.retry_later(waiting, after=timedelta(seconds=limit.retry_after), error="rate limited")
                break
            except NotReachableError as error:
                logger.warning("delivery %s: recipient not reachable on %s", delivery.id, delivery.platform)
                outbox.failed(delivery.id, str(error) or "not reachable")
                continue
            except Exception as error:  # a platform error must not stop the other messages
                logger.warning("delivery %s to %s failed: %s", delivery.id, delivery.platform, type(error).__name__)
                outbox.retry_later(delivery, after=RETRY_AFTER_ERROR, error=type(error).__name__)
                continue
            outbox.sent(delivery.id)
    return tried


def announce_finished(outbox: Outbox, directors_of: dict[int, tuple[str, str]]) -> None:
    """Tell the director the final count of each broadcast that has nothing left to send."""
    for broadcast, (subject, director) in directors_of.items():
        counts = outbox.progress(broadcast)
        if counts["pending"] or counts["sending"]:
            continue
        text = DONE_MESSAGE.format(subject=subject, sent=counts["sent"], failed=counts["failed"])
        outbox.enqueue([(f"broadcast-done:{broadcast}", director, to_payload(Reply(text=text, intent="celebrate")))])


class Scheduler:
    """The asyncio task inside `ketenbot serve`: tick the durable schedule, deliver the outbox."""

    def __init__(self, services: Services, outbox: Outbox, senders: list[Sender], *, clock: Clock, seconds: float = TICK_SECONDS) -> None:
        self.services = services
        self.outbox = outbox
        self.senders = senders
        self.clock = clock
        self.seconds = seconds
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        outbox.listeners.append(self._wake.set)

    async def round(self) -> None:
        cycle.tick(self.services, self.clock.now())
        while await deliver_due(self.outbox, self.senders):
            pass
        announce_finished(self.outbox, self.outbox.open_broadcasts())

    async def _run(self) -> None:
        await recover(self.outbox, self.senders)
        while True:
            try:
                await self.round()
            except Exception:
                logger.exception("scheduler round failed")
            wait = self.seconds
            due = self.outbox.next_due()
            if due is not None:
                wait = min(wait, max(0.0, (due - self.clock.now()).total_seconds()))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)
            self._wake.clear()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
