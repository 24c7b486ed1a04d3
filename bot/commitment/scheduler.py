"""What the scheduler does on each tick: start due check-in cycles, queue reminders, and ask partners
whether their social-map entry is still correct. All messages go through the outbox, once each."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.commitment import approval, checkin, outbox_keys
from bot.identity import platform_of
from bot.language.dates import following
from bot.messages import Option, Reply, to_payload
from bot.social.partner import Partner

if TYPE_CHECKING:
    from bot.services import Services

logger = logging.getLogger(__name__)

PLATFORM_PREFERENCE = ("teams", "slack", "web", "console")
CONFIRM_INTERVAL = timedelta(days=14)
CONFIRM_REMINDERS = 2
CONFIRM_QUESTION = (
    "Je staat al een tijd op de sociale kaart van ketenbot. Kloppen je gegevens nog? "
    "Zo blijft de kaart betrouwbaar voor je ketenpartners. Zonder antwoord wordt je vermelding na een "
    "tweede herinnering verborgen (niet verwijderd)."
)


@dataclass(frozen=True)
class TickResult:
    cycles: int = 0
    checkins: int = 0
    reminders: int = 0
    confirmations: int = 0
    hidden: int = 0


def preferred_identity(partner: Partner) -> str | None:
    """Where to reach a partner proactively: their chat platform first, then web, then console."""
    for platform in PLATFORM_PREFERENCE:
        for identity in partner.identities:
            if platform_of(identity) == platform:
                return identity
    return None


def recipients(services: Services) -> list[tuple[int, str, str]]:
    """(partner id, identity, organisation) of every reachable, visible partner who is not away (an entry still
    waiting for approval, or rejected, is no partner yet)."""
    away = services.checkins.away()
    result = []
    for partner in services.partners.all(include_hidden=False):
        identity = preferred_identity(partner)
        if identity and identity not in away and partner.id is not None:
            result.append((partner.id, identity, partner.organisation))
    return result


def start_cycle(services: Services, due_at: datetime, *, next_at: datetime | None = None) -> int:
    """One check-in per partner for this due moment, queued once even when called again."""
    cycle_id, requests = services.checkins.start_cycle(due_at, recipients(services), next_at=next_at)
    question = to_payload(checkin.goal_question())
    first = to_payload(checkin.first_goal_question(services.checkin_retention_days))
    newcomers = services.checkins.newcomers(cycle_id)
    queued = services.outbox.enqueue([
        (outbox_keys.checkin(cycle_id, r.partner_id), r.identity, first if r.partner_id in newcomers else question)
        for r in requests
    ])
    logger.info("check-in cycle %s: %s requests, %s newly queued", cycle_id, len(requests), queued)
    return queued


def tick(services: Services, now: datetime) -> TickResult:
    """Everything that has become due by `now`; safe to run again and again, also after a restart."""
    cycles = checkins = reminders = 0
    schedule = services.checkins.schedule()
    if schedule and schedule.next_at <= now:
        following_at = following(schedule.rhythm, schedule.next_at)
        while following_at <= now:  # missed occurrences while down: one cycle now, not a burst
            following_at = following(schedule.rhythm, following_at)
        checkins = start_cycle(services, schedule.next_at, next_at=following_at)
        cycles = 1
    if schedule:
        # The reminder asks the first unanswered question, not the first question again; marked and queued at once.
        reminders = services.checkins.queue_reminders([
            (request.id, (outbox_keys.reminder(request.id), request.identity, to_payload(checkin.reminder(request))))
            for request in services.checkins.due_reminders(schedule.reminder_days)
        ])
    confirmations, hidden = _keep_map_current(services)
    if services.map_approval:
        approval.announce(services)
    services.conversations.purge_expired()
    services.checkins.purge(now - timedelta(days=services.checkin_retention_days))
    return TickResult(cycles, checkins, reminders, confirmations, hidden)


def confirm_question() -> Reply:
    return Reply(
        text=CONFIRM_QUESTION,
        options=(
            Option("Klopt nog", "register:confirm", numbered=False),
            Option("Wijzigen", "register:start", numbered=False),
            Option("Verwijderen", "unregister:start", numbered=False),
        ),
        intent="register",
        score=1.0,
    )


def _keep_map_current(services: Services) -> tuple[int, int]:
    freshness = services.freshness
    due = freshness.due_for_reminder(max_age=services.confirm_after, interval=CONFIRM_INTERVAL, max_reminders=CONFIRM_REMINDERS)
    question = to_payload(confirm_question())
    prompts = [
        (partner, (outbox_keys.confirm(partner.id, partner.confirmed_at, partner.reminders_sent), identity, question))
        for partner in due
        if (identity := preferred_identity(partner)) is not None and partner.id is not None
    ]
    # The counter and the question in one transaction: a crash in between leaves the question due.
    queued = freshness.queue_prompts(prompts)
    hidden = freshness.hide_unanswered(max_reminders=CONFIRM_REMINDERS, grace=CONFIRM_INTERVAL)
    return queued, len(hidden)
