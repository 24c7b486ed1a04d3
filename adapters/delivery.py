"""Delivering the outbox: push platforms (Slack, Teams) get each message once; the scheduler ticks.

Just before a platform is called, the message is marked in doubt. Only a definite answer clears that
mark: accepted (sent), or refused (rate limited, unknown channel; not sent). A crash, a timeout or a
5xx leaves the mark, and the next attempt first asks the platform whether the message arrived. Slack
can tell, because every message carries its outbox key as metadata. The Bot Framework cannot. There
the message is sent again with a line saying it may arrive twice, and the director's final count
says how many recipients that concerns. Stopping the server (SIGTERM) lets the messages under way
finish first, so a deploy or restart leaves nothing in doubt.

Each platform runs its own loop with up to IN_FLIGHT messages under way, one at a time per recipient.

Several instances may share one PostgreSQL database: one of them holds the scheduler's lock (`Database.hold`)
and ticks and delivers; the others stand by and try to take over every STANDBY_SECONDS, so when the holder dies
another one carries on within seconds, first queueing again what the dead one left under way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Protocol

from bot.clock import Clock
from bot.commitment import broadcast, outbox_keys, scheduler
from bot.messages import Reply, from_payload, to_payload
from bot.services import Services
from social_map.outbox import Delivery, Outbox

logger = logging.getLogger(__name__)

BATCH = 50
# Messages under way at once per platform. Against the real platforms a call takes about 100 ms, so one at
# a time would reach about 10 messages per second, far below Teams' 50 per second per bot.
IN_FLIGHT = 4
RETRY_AFTER_ERROR = timedelta(minutes=1)
TICK_SECONDS = 30.0
DRAIN_SECONDS = 8.0
SCHEDULER_LOCK = "ketenbot-scheduler"
# How often an instance without the scheduler tries to take it over; also the longest the holder waits before
# looking for messages another instance queued (with a database of its own, it is woken when they are queued).
STANDBY_SECONDS = 5.0
# After this many failed attempts to ask the platform whether an in-doubt message arrived (a missing scope, a
# 4xx, a proxy's 405), it is treated like a platform that cannot tell: sent again with the note, and counted.
LOOKUP_TRIES = 3
DOUBT_NOTE = "(Misschien krijg je dit bericht twee keer: het versturen werd onderbroken. Excuus als dat zo is.)"


class RateLimited(Exception):
    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited for {retry_after}s")
        self.retry_after = retry_after


class DeliveryError(Exception):
    """The platform answered and refused: the message did not arrive; it is tried again later."""


class NotReachableError(DeliveryError):
    """There is no way to reach this recipient on its platform; retrying will not help."""


class NotYetReachable(DeliveryError):
    """The recipient cannot be reached personally yet: there is no 1:1 conversation and none could be
    started. The message waits (it never goes anywhere else) until the platform learns a new way to reach
    them, and the director's count says so."""


class Unavailable(DeliveryError):
    """The platform itself could not be reached (no connection): nothing arrived, and the rest of the
    batch would fail the same way, so it all waits."""


class MaybeDelivered(Exception):
    """The call failed in a way that leaves open whether the platform took the message (5xx, timeout)."""


class Sender(Protocol):
    platforms: tuple[str, ...]

    async def send(self, delivery: Delivery) -> None: ...

    async def was_delivered(self, delivery: Delivery) -> bool | None:
        """Whether an earlier attempt arrived; None when the platform cannot tell."""
        ...


def recover(outbox: Outbox) -> int:
    """After a restart: queue again what a killed process left 'sending' (in-doubt marks are kept)."""
    return outbox.release_unfinished()


def _with_doubt_note(delivery: Delivery) -> Delivery:
    reply = from_payload(delivery.payload)
    return replace(delivery, payload=to_payload(replace(reply, text=f"{reply.text}\n\n{DOUBT_NOTE}")))


async def _arrived(outbox: Outbox, sender: Sender, delivery: Delivery) -> bool | None:
    """Whether an in-doubt message arrived; None when the platform cannot tell, or could not be asked LOOKUP_TRIES
    times (a pause or an unreachable recipient is not a failed lookup: those go on as for a send)."""
    try:
        return await sender.was_delivered(delivery)
    except (RateLimited, Unavailable, NotReachableError):
        raise
    except Exception as error:
        if outbox.lookup_failed(delivery.id) < LOOKUP_TRIES:
            raise
        logger.warning(
            "delivery %s: could not ask %s whether it arrived (%s), %s times; sending it again with the note",
            delivery.id, delivery.platform, error if isinstance(error, DeliveryError) else type(error).__name__, LOOKUP_TRIES,
        )
        return None


async def _deliver(outbox: Outbox, sender: Sender, delivery: Delivery) -> None:
    maybe_twice = False
    if delivery.in_doubt:
        arrived = await _arrived(outbox, sender, delivery)
        if arrived:
            outbox.sent(delivery.id)
            return
        if arrived is None:
            maybe_twice = True
            delivery = _with_doubt_note(delivery)
    outbox.attempting(delivery.id)
    await sender.send(delivery)
    outbox.sent(delivery.id, maybe_twice=maybe_twice)


async def deliver_due(
    outbox: Outbox, senders: list[Sender], *, batch: int = BATCH, stopping: asyncio.Event | None = None
) -> int:
    """Send what is due on every push platform until nothing is due; returns how many messages were tried.
    Each platform runs its own loop, so a slow or unreachable one does not hold up the others.
    When `stopping` is set, the messages under way are finished and the rest goes back to the queue."""

    async def drain(sender: Sender) -> int:
        total = 0
        while not (stopping is not None and stopping.is_set()):
            tried = await _deliver_batch(outbox, sender, batch, stopping)
            if not tried:
                break
            total += tried
        return total

    return sum(await asyncio.gather(*(drain(sender) for sender in senders)))


@dataclass(frozen=True)
class _Halt:
    """The platform asked to wait (429) or cannot be reached: the rest of the batch waits this long."""

    after: timedelta
    error: str


async def _deliver_batch(outbox: Outbox, sender: Sender, batch: int, stopping: asyncio.Event | None) -> int:
    """Up to IN_FLIGHT messages under way at once; one recipient's messages one after the other, in order."""
    claimed = outbox.claim(sender.platforms, batch)
    recipients: dict[str, list[Delivery]] = {}
    for delivery in claimed:
        recipients.setdefault(delivery.identity, []).append(delivery)
    queue = deque(recipients.values())
    halts: list[_Halt] = []
    untried: list[Delivery] = []
    tried = 0

    def go_on() -> bool:
        return not halts and not (stopping is not None and stopping.is_set())

    async def worker() -> None:
        nonlocal tried
        while queue and go_on():
            messages = queue.popleft()
            for index, delivery in enumerate(messages):
                if not go_on():
                    untried.extend(messages[index:])
                    break
                tried += 1
                halt = await _attempt(outbox, sender, delivery)
                if halt is not None:
                    halts.append(halt)
                    untried.extend(messages[index + 1 :])
                    break

    await asyncio.gather(*(worker() for _ in range(min(IN_FLIGHT, len(queue)))))
    untried.extend(delivery for messages in queue for delivery in messages)
    if halts:
        _pause(outbox, untried, after=halts[0].after, error=halts[0].error)
    else:  # stopping: what was not tried goes back as it was
        for delivery in untried:
            outbox.release(delivery.id)
    return tried if stopping is not None and stopping.is_set() else len(claimed)


async def _attempt(outbox: Outbox, sender: Sender, delivery: Delivery) -> _Halt | None:
    """Deliver one message and record the outcome; a rate limit or an unreachable platform halts the batch."""
    try:
        await _deliver(outbox, sender, delivery)
    except RateLimited as limit:
        logger.warning("rate limited on %s, waiting %ss", delivery.platform, limit.retry_after)
        halt = _Halt(timedelta(seconds=limit.retry_after), "rate limited")
        outbox.retry_later(delivery, after=halt.after, error=halt.error, in_doubt=delivery.in_doubt)
        return halt
    except Unavailable as error:
        logger.warning("%s cannot be reached, trying again in %s", delivery.platform, RETRY_AFTER_ERROR)
        outbox.retry_later(delivery, after=RETRY_AFTER_ERROR, error=str(error), in_doubt=delivery.in_doubt)
        return _Halt(RETRY_AFTER_ERROR, str(error))
    except NotYetReachable as error:
        logger.warning("delivery %s: no personal conversation on %s yet, the message waits", delivery.id, delivery.platform)
        outbox.wait(delivery, str(error))
    except NotReachableError as error:
        logger.warning("delivery %s: recipient not reachable on %s", delivery.id, delivery.platform)
        outbox.failed(delivery.id, str(error) or "not reachable")
    except DeliveryError as error:
        logger.warning("delivery %s to %s refused: %s", delivery.id, delivery.platform, error)
        outbox.retry_later(delivery, after=RETRY_AFTER_ERROR, error=str(error), in_doubt=delivery.in_doubt)
    except Exception as error:  # a timeout or 5xx: the platform may have the message after all
        logger.warning("delivery %s to %s uncertain: %s", delivery.id, delivery.platform, type(error).__name__)
        outbox.retry_later(delivery, after=RETRY_AFTER_ERROR, error=type(error).__name__, in_doubt=True)
    return None


def _pause(outbox: Outbox, deliveries: list[Delivery], *, after: timedelta, error: str) -> None:
    """The platform asked to wait, or cannot be reached: the rest of the batch waits as it is."""
    for waiting in deliveries:
        outbox.retry_later(waiting, after=after, error=error, in_doubt=waiting.in_doubt)


def announce_finished(outbox: Outbox, directors_of: dict[int, tuple[str, str]]) -> None:
    """Tell the director the final count of each broadcast that has nothing left to send."""
    for broadcast_id, (subject, director_id) in directors_of.items():
        counts = outbox.progress(broadcast_id)
        if counts["pending"] or counts["sending"]:
            continue
        text = broadcast.final_count(subject, counts, outbox.maybe_twice(broadcast_id))
        outbox.enqueue([(outbox_keys.broadcast_done(broadcast_id), director_id, to_payload(Reply(text=text, intent="celebrate")))])


class Scheduler:
    """The asyncio task inside `ketenbot serve`: tick the durable schedule, deliver the outbox."""

    def __init__(
        self, services: Services, outbox: Outbox, senders: list[Sender], *, clock: Clock, seconds: float = TICK_SECONDS,
        instance: str = "",
    ) -> None:
        self.services = services
        self.outbox = outbox
        self.senders = senders
        self.clock = clock
        self.seconds = seconds
        self.instance = instance
        # Whether this instance holds the scheduler's lock (it alone ticks and delivers).
        self.holds = False
        self._shared = outbox.db.dialect != "sqlite"
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        outbox.listeners.append(self._wake.set)

    async def round(self) -> None:
        scheduler.tick(self.services, self.clock.now())
        while not self._stopping.is_set() and await deliver_due(self.outbox, self.senders, stopping=self._stopping):
            pass
        announce_finished(self.outbox, self.outbox.open_broadcasts())

    def _take_turn(self) -> bool:
        """Whether this instance holds the scheduler now; on taking it over, what a dead holder left under way is
        queued again (its in-doubt marks kept)."""
        held = self.outbox.db.hold(SCHEDULER_LOCK)
        if held and not self.holds:
            logger.info("instance %s holds the scheduler", self.instance)
            recover(self.outbox)
        elif self.holds and not held:
            logger.warning("instance %s lost the scheduler", self.instance)
        self.holds = held
        return held

    async def _run(self) -> None:
        while not self._stopping.is_set():
            wait = STANDBY_SECONDS
            try:
                if self._take_turn():
                    wait = min(self.seconds, STANDBY_SECONDS) if self._shared else self.seconds
                    await self.round()
                    due = self.outbox.next_due()
                    if due is not None:
                        wait = min(wait, max(0.0, (due - self.clock.now()).total_seconds()))
            except Exception:
                logger.exception("scheduler round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)
            self._wake.clear()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """Let the messages under way finish (so nothing is left in doubt), then stop; cancel after DRAIN_SECONDS."""
        if self._task is None:
            return
        self._stopping.set()
        self._wake.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), DRAIN_SECONDS)
        except TimeoutError:
            logger.warning("delivery did not finish within %ss; stopping anyway", DRAIN_SECONDS)
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
