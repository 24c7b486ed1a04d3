"""The chain director's commands: check-in rhythm, a check-in now, the report, milestones, celebrations.

Only directors (KETENBOT_DIRECTORS or `ketenbot admin director add`) may use them; anyone else gets a
polite refusal that says who can.
"""

from __future__ import annotations

import re

from bot import cycle, report
from bot.commitment import Milestone
from bot.dutch import fold, yes_or_no
from bot.messages import Incoming, Option, Reply, to_payload
from bot.schedule import LOCAL, RhythmError, local_date, next_occurrence, parse_rhythm, parse_until
from bot.services import Services

REFUSAL = (
    "Dat kan alleen de ketenregisseur: check-ins starten, rapporten lezen, mijlpalen beheren en berichten aan "
    "alle partners sturen. Wie ketenregisseur is, stelt de beheerder van ketenbot in."
)
SCHEDULE_SET = "Afgesproken: check-in {rhythm} (Nederlandse tijd). De eerste gaat uit op {first}. Wie na {days} dagen niet heeft geantwoord, krijgt één herinnering."
SCHEDULE_NOW = "De check-in is verstuurd naar {count}."
SCHEDULE_NOW_NONE = "Er is niemand om een check-in naar te sturen: er staan nog geen bereikbare ketenpartners op de sociale kaart."
SCHEDULE_INFO = "Het ritme is nu: {rhythm}. De volgende check-in gaat uit op {next}.\nWijzigen: 'check-in elke 2 weken op dinsdag om 10:00'. Meteen een check-in: 'check-in nu'."
SCHEDULE_NONE = "Er is nog geen ritme. Stel er een in, bijvoorbeeld: 'check-in elke 4 weken op maandag om 9:00'. Meteen een check-in: 'check-in nu'."
MILESTONE_ADDED = "Mijlpaal vastgelegd: {title}{date}. Bereikt? Typ 'mijlpaal bereikt: {title}'. Vieren: 'vier {title}'."
MILESTONE_REACHED = "Gefeliciteerd! '{title}' staat als bereikt genoteerd. Typ 'vier {title}' om het met alle partners te delen."
WHICH_MILESTONE = "Welke mijlpaal wil je vieren? Typ 'vier' en de titel, of kies:"
MILESTONE_UNKNOWN = "Ik ken geen mijlpaal die zo heet. Typ 'mijlpalen' voor de lijst."
MILESTONE_LIST_EMPTY = "Er zijn nog geen mijlpalen. Leg er een vast met: 'nieuwe mijlpaal: 100 gezinnen geholpen op 1 maart 2027: toelichting'."
MILESTONE_HOWTO = "Leg een mijlpaal vast met: 'nieuwe mijlpaal: titel op 1 maart 2027: toelichting'."
CELEBRATION = "Mijlpaal bereikt: {title}!\n\n{description}\n\nDank aan alle ketenpartners die hieraan hebben bijgedragen. — de ketenregisseur"
PREVIEW = "Zo ziet het bericht eruit:\n\n{message}\n\nHet gaat naar {count}. Versturen? Typ 'ja' of 'nee'."
NOT_REACHED = "'{title}' is nog niet als bereikt genoteerd. Typ eerst 'mijlpaal bereikt: {title}'."
QUEUED = "Het bericht staat klaar voor {count} en wordt nu verstuurd. Typ 'voortgang' voor de stand."
CANCELLED = "Prima, er is niets verstuurd."
NO_RECIPIENTS = "Er is nog niemand om het bericht naar te sturen."
PROGRESS = "Voortgang van '{subject}': {sent} van {total} bezorgd, {failed} mislukt, {waiting} onderweg."
NO_BROADCAST = "Er is nog geen bericht aan alle partners verstuurd."
DONE = "Klaar met versturen van '{subject}': {sent} bezorgd, {failed} mislukt."
MAYBE_TWICE = (
    " {who} het bericht mogelijk twee keer: het versturen werd onderbroken en Teams kan niet nagaan of"
    " het eerste bericht al was aangekomen."
)

_RHYTHM = re.compile(r"\b(elke|iedere|om de)\b")
_NOW = re.compile(r"\b(nu|start|starten|stuur|versturen|begin|meteen)\b")
_ADD = re.compile(
    r"^(?:nieuwe mijlpaal|mijlpaal toevoegen|mijlpaal vastleggen)\s*:?\s*(.+)$|^mijlpaal\s*:\s*(.+)$", re.IGNORECASE
)
_REACHED = re.compile(r"^mijlpa+l bereikt\s*:?\s*(.+)$|^(.+?)\s+is bereikt$", re.IGNORECASE)
_CELEBRATE = re.compile(r"^(?:laten we )?vier(?:en)?\s+(?:de |het |onze )?(?:mijlpaal\s*:?\s*)?(.+)$", re.IGNORECASE)
_DATE_PART = re.compile(r"\s+(?:op|per|voor)\s+(\d{1,2}\s+\w+(?:\s+\d{4})?)\s*", re.IGNORECASE)


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _reply(text: str, intent: str, options: tuple[Option, ...] = ()) -> Reply:
    return Reply(text=text, intent=intent, score=1.0, options=options)


def refuse(intent: str) -> Reply:
    return _reply(REFUSAL, intent)


def checkin_command(msg: Incoming, services: Services) -> Reply:
    folded = fold(msg.text)
    if _RHYTHM.search(folded):
        try:
            rhythm = parse_rhythm(msg.text)
        except RhythmError as error:
            return _reply(str(error), "checkin")
        first = next_occurrence(rhythm, services.clock.now())
        days = _reminder_days(services)
        services.checkins.set_schedule(rhythm, first, reminder_days=days, by=msg.qualified_user)
        return _reply(SCHEDULE_SET.format(rhythm=rhythm.describe(), first=local_date(first), days=days), "checkin")
    if _NOW.search(folded):
        count = cycle.start_cycle(services, services.clock.now())
        return _reply(SCHEDULE_NOW.format(count=_count(count, "ketenpartner", "ketenpartners")) if count else SCHEDULE_NOW_NONE, "checkin")
    schedule = services.checkins.schedule()
    if schedule is None:
        return _reply(SCHEDULE_NONE, "checkin")
    return _reply(SCHEDULE_INFO.format(rhythm=schedule.rhythm.describe(), next=local_date(schedule.next_at)), "checkin")


def _reminder_days(services: Services) -> int:
    schedule = services.checkins.schedule()
    return schedule.reminder_days if schedule else services.reminder_days


def report_command(services: Services) -> Reply:
    built = report.build_report(services.checkins.cycles())
    return _reply(report.render_text(built, services.knowledge), "report")


def milestone_command(msg: Incoming, services: Services) -> Reply:
    text = msg.text.strip()
    reached = _REACHED.match(text)
    if reached:
        milestone = services.milestones.find(reached.group(1) or reached.group(2))
        if milestone is None:
            return _reply(MILESTONE_UNKNOWN, "milestone")
        services.milestones.mark_reached(milestone.id)
        return _reply(MILESTONE_REACHED.format(title=milestone.title), "milestone")
    added = _ADD.match(text)
    if added and (added.group(1) or added.group(2)).strip():
        return _add(added.group(1) or added.group(2), services)
    milestones = services.milestones.all()
    if not milestones:
        return _reply(MILESTONE_LIST_EMPTY, "milestone")
    lines = ["Mijlpalen:"] + [_line(m) for m in milestones] + ["", MILESTONE_HOWTO]
    return _reply("\n".join(lines), "milestone")


def _line(milestone: Milestone) -> str:
    state = "gevierd" if milestone.celebrated_at else "bereikt" if milestone.reached_at else "nog niet bereikt"
    date = f" ({milestone.due_on})" if milestone.due_on else ""
    return f"- {milestone.title}{date}: {state}"


def _add(rest: str, services: Services) -> Reply:
    title, _, description = rest.partition(": ")
    due_on = ""
    date = _DATE_PART.search(title)
    if date:
        moment = parse_until(date.group(1), services.clock.now())
        if moment:
            due_on = moment.astimezone(LOCAL).date().isoformat()
            title = title[: date.start()]
    milestone = services.milestones.add(title.strip(" :"), due_on=due_on, description=description.strip())
    shown = f" (gepland {milestone.due_on})" if milestone.due_on else ""
    return _reply(MILESTONE_ADDED.format(title=milestone.title, date=shown), "milestone")


def celebrate_command(msg: Incoming, state: dict, services: Services) -> Reply:
    found = _CELEBRATE.match(msg.text.strip())
    milestone = services.milestones.find(found.group(1)) if found else None
    if milestone is None:
        ready = [m for m in services.milestones.all() if m.reached_at and not m.celebrated_at]
        if not ready:
            return _reply(MILESTONE_UNKNOWN, "celebrate")
        options = tuple(Option(m.title, f"vier {m.title}") for m in ready)
        lines = [WHICH_MILESTONE, *[f"{n}. {m.title}" for n, m in enumerate(ready, start=1)]]
        return _reply("\n".join(lines), "celebrate", options)
    if milestone.reached_at is None:
        return _reply(NOT_REACHED.format(title=milestone.title), "celebrate")
    audience = _audience(services)
    if not audience:
        return _reply(NO_RECIPIENTS, "celebrate")
    state["dialog"] = {"kind": "celebrate", "milestone": milestone.id}
    preview = PREVIEW.format(message=_celebration(milestone), count=_count(len(audience), "ontvanger", "ontvangers"))
    options = (Option("Ja, versturen", "ja", numbered=False), Option("Nee", "nee", numbered=False))
    return _reply(preview, "celebrate", options)


def _celebration(milestone: Milestone) -> str:
    text = CELEBRATION.format(title=milestone.title, description=milestone.description)
    return text if milestone.description else text.replace("\n\n\n\n", "\n\n")


def _audience(services: Services) -> list[str]:
    partners = [identity for _, identity, _ in cycle.recipients(services)]
    return list(dict.fromkeys([*partners, *services.broadcast_channels]))


def continue_celebrate(msg: Incoming, state: dict, services: Services) -> Reply:
    dialog = state.pop("dialog")
    answer = fold(msg.action or msg.text)
    if not yes_or_no(answer):
        return _reply(CANCELLED, "celebrate")
    milestone = next((m for m in services.milestones.all() if m.id == dialog["milestone"]), None)
    if milestone is None:
        return _reply(MILESTONE_UNKNOWN, "celebrate")
    audience = _audience(services)
    broadcast = services.outbox.new_broadcast(milestone.title, msg.qualified_user)
    message = to_payload(Reply(text=_celebration(milestone), intent="celebrate"))
    services.outbox.enqueue([(f"broadcast:{broadcast}:{identity}", identity, message) for identity in audience], broadcast_id=broadcast)
    services.milestones.mark_celebrated(milestone.id)
    return _reply(QUEUED.format(count=_count(len(audience), "ontvanger", "ontvangers")), "celebrate")


def _maybe_twice(count: int) -> str:
    if not count:
        return ""
    return MAYBE_TWICE.format(who="1 ontvanger krijgt" if count == 1 else f"{count} ontvangers krijgen")


def final_count(subject: str, counts: dict[str, int], maybe_twice: int) -> str:
    """The director's last word on a broadcast, once nothing is left to send."""
    return DONE.format(subject=subject, sent=counts["sent"], failed=counts["failed"]) + _maybe_twice(maybe_twice)


def progress_command(services: Services) -> Reply:
    latest = services.outbox.latest_broadcast()
    if latest is None:
        return _reply(NO_BROADCAST, "celebrate")
    broadcast, subject = latest
    counts = services.outbox.progress(broadcast)
    total = sum(counts.values())
    return _reply(
        PROGRESS.format(subject=subject, sent=counts["sent"], total=total, failed=counts["failed"],
                        waiting=counts["pending"] + counts["sending"])
        + _maybe_twice(services.outbox.maybe_twice(broadcast)),
        "celebrate",
    )
