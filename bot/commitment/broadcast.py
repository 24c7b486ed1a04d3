"""Broadcasts to all partners: how far one is, the director's final count, and the personal messages that wait
for a way to reach someone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commitment.director import counted, reply
from bot.messages import Reply

if TYPE_CHECKING:
    from bot.state import Turn

PROGRESS = "Voortgang van '{subject}': {sent} van {total} bezorgd, {failed} mislukt, {under_way} onderweg."
NO_BROADCAST = "Er is nog geen bericht aan alle partners verstuurd."
DONE = "Klaar met versturen van '{subject}': {sent} bezorgd, {failed} mislukt."
MAYBE_TWICE = (
    " {who} het bericht mogelijk twee keer: het versturen werd onderbroken en Teams kan niet nagaan of"
    " het eerste bericht al was aangekomen."
)
NOT_YET_REACHABLE = (
    " Bij {count} wacht het bericht nog: ketenbot kan daar (nog) geen persoonlijk gesprek beginnen. Het gaat"
    " alsnog uit zodra dat kan, bijvoorbeeld wanneer die persoon ketenbot zelf een bericht stuurt."
)
PERSONAL_WAITING = (
    "Persoonlijke berichten (check-ins, herinneringen en de vraag of iemands gegevens nog kloppen):"
    "{not_yet} Ketenbot stuurt ze nooit in een kanaal."
)


def _maybe_twice(count: int) -> str:
    if not count:
        return ""
    return MAYBE_TWICE.format(who="1 ontvanger krijgt" if count == 1 else f"{count} ontvangers krijgen")


def _not_yet(count: int, one: str = "ontvanger", many: str = "ontvangers") -> str:
    return NOT_YET_REACHABLE.format(count=counted(count, one, many)) if count else ""


def final_count(subject: str, counts: dict[str, int], maybe_twice: int) -> str:
    """The director's last word on a broadcast, once nothing is left to send (messages still waiting for a
    way to reach their recipient included)."""
    done = DONE.format(subject=subject, sent=counts["sent"], failed=counts["failed"])
    return done + _maybe_twice(maybe_twice) + _not_yet(counts.get("waiting", 0))


def progress_command(turn: Turn) -> Reply:
    """The latest broadcast's count, and the personal messages that wait for a way to reach someone."""
    lines = []
    services = turn.services
    latest = services.outbox.latest_broadcast()
    if latest is not None:
        broadcast, subject = latest
        counts = services.outbox.progress(broadcast)
        total = sum(counts.values())
        lines.append(
            PROGRESS.format(subject=subject, sent=counts["sent"], total=total, failed=counts["failed"],
                            under_way=counts["pending"] + counts["sending"])
            + _maybe_twice(services.outbox.maybe_twice(broadcast)) + _not_yet(counts["waiting"])
        )
    waiting = services.outbox.waiting_personal()
    if waiting:
        lines.append(PERSONAL_WAITING.format(not_yet=_not_yet(waiting, "ketenpartner", "ketenpartners")))
    return reply("\n\n".join(lines) or NO_BROADCAST, "celebrate")
