"""The dedupe key of every proactive message, built and read here only.

Queueing the same key twice queues one message (social_map/outbox.py), so a restart or a second scheduler
tick never sends anything twice. A key names what the message is for:
- `checkin:<cycle>:<partner>`        the first question of a check-in
- `checkin-reminder:<request>`       its one reminder
- `checkin-later:<request>:<day>`    "later": asked again the next day
- `confirm:<partner>:<confirmed>:<n>` the n-th question whether a social-map entry is still correct
- `broadcast:<broadcast>:<identity>` one recipient's copy of a celebration
- `broadcast-done:<broadcast>`       the director's final count of a broadcast
- `knelpunt-answer:<report>`         the director's answer to a knelpunt report, for its reporter
- `approval-request:<partner>:<director>` a director is asked to approve a new entry
- `approval-decided:<partner>`       the registrant hears the decision
"""

from __future__ import annotations

from datetime import date, datetime

CHECKIN, REMINDER, LATER, CONFIRM, BROADCAST, BROADCAST_DONE = (
    "checkin", "checkin-reminder", "checkin-later", "confirm", "broadcast", "broadcast-done",
)
_SEP = ":"
# Any text in a LIKE pattern: the keys of one request's "later" messages, whatever their day.
_ANY = "%"


def _key(kind: str, *parts: object) -> str:
    return _SEP.join([kind, *map(str, parts)])


def checkin(cycle_id: int, partner_id: int) -> str:
    return _key(CHECKIN, cycle_id, partner_id)


def reminder(request_id: int) -> str:
    return _key(REMINDER, request_id)


def approval_request(partner_id: int, director: str) -> str:
    return _key("approval-request", partner_id, director)


def approval_decided(partner_id: int) -> str:
    return _key("approval-decided", partner_id)


def knelpunt_answer(report_id: int) -> str:
    return _key("knelpunt-answer", report_id)


def later(request_id: int, day: date) -> str:
    return _key(LATER, request_id, day.isoformat())


def confirm(partner_id: int, confirmed_at: datetime | None, reminders_sent: int) -> str:
    return _key(CONFIRM, partner_id, confirmed_at.isoformat() if confirmed_at else "-", reminders_sent)


def broadcast(broadcast_id: int, identity: str) -> str:
    return _key(BROADCAST, broadcast_id, identity)


def broadcast_done(broadcast_id: int) -> str:
    return _key(BROADCAST_DONE, broadcast_id)


BROADCAST_DONE_PATTERN = _key(BROADCAST_DONE, _ANY)


def done_broadcast(key: str) -> int | None:
    """The broadcast whose final count this key announces, or None for another key."""
    kind, _, rest = key.partition(_SEP)
    return int(rest) if kind == BROADCAST_DONE and rest.isdigit() else None


def question_keys(cycle_id: int, partner_id: int, request_id: int) -> tuple[tuple[str, ...], str]:
    """The keys of every message that asks one check-in request's question: exact keys, and a LIKE pattern for
    the "later" ones."""
    return (checkin(cycle_id, partner_id), reminder(request_id)), _key(LATER, request_id, _ANY)
