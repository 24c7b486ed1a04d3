"""The chain director's commands: check-in rhythm, a check-in now, the report, milestones, celebrations.

Only directors (KETENBOT_DIRECTORS or `ketenbot admin director add`) may use them; anyone else gets a
polite refusal that says who can.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.commitment import report, scheduler
from bot.commitment.model import Milestone
from bot.language.dates import (
    LOCAL,
    MONTHS,
    RhythmError,
    local_date,
    mentions_rhythm,
    next_occurrence,
    parse_rhythm,
    parse_until,
)
from bot.language.dutch import fold, read_yes_no, yes_or_no
from bot.messages import Incoming, Option, Reply, to_payload

if TYPE_CHECKING:
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
WHICH_MILESTONE = "Welke mijlpaal wil je vieren? Typ het nummer, of 'vier' en de titel:"
MILESTONE_UNKNOWN = "Ik ken geen mijlpaal die zo heet. Typ 'mijlpalen' voor de lijst."
NO_SUCH_MILESTONE = "Ik ken geen mijlpaal '{words}'."
READY_TO_CELEBRATE = "Deze mijlpalen zijn bereikt en nog niet gevierd. Typ het nummer, of 'vier' en de titel:"
NOTHING_TO_CELEBRATE = "Er is geen bereikte mijlpaal die nog gevierd kan worden. Typ 'mijlpalen' voor de lijst."
WHICH_MEANT = "Ik weet niet zeker welke mijlpaal je bedoelt met '{words}', dus ik heb nog niets gedaan. Deze mijlpalen zijn er:"
NO_SUCH_NUMBER = "Kies een nummer van 1 tot {count}."
REACHED_HOWTO = "Welke bedoel je? Typ 'mijlpaal bereikt:' en de titel precies zoals hierboven."
NOTHING_CHOSEN = "Je hebt geen mijlpaal gekozen, dus ik heb niets gedaan. Typ 'mijlpalen' voor de lijst."
TITLE_MISSING = "Een mijlpaal heeft een titel nodig. Bijvoorbeeld: 'nieuwe mijlpaal: 100 gezinnen geholpen op 1 maart 2027'."
DATE_IMPOSSIBLE = "De datum '{date}' bestaat niet, dus ik heb de mijlpaal niet vastgelegd. Controleer de datum en probeer het opnieuw."
DATE_IN_PAST = " Let op: {date} ligt in het verleden."
MILESTONE_EXISTS = "Er is al een mijlpaal '{title}'. Typ 'mijlpalen' voor de lijst."
MILESTONE_LIST_EMPTY = "Er zijn nog geen mijlpalen. Leg er een vast met: 'nieuwe mijlpaal: 100 gezinnen geholpen op 1 maart 2027: toelichting'."
MILESTONE_HOWTO = "Leg een mijlpaal vast met: 'nieuwe mijlpaal: titel op 1 maart 2027: toelichting'."
CELEBRATION = "Mijlpaal bereikt: {title}!\n\n{description}\n\nDank aan alle ketenpartners die hieraan hebben bijgedragen. — de ketenregisseur"
PREVIEW = "Zo ziet het bericht eruit:\n\n{message}\n\nHet gaat naar {count}. Versturen? Typ 'ja' of 'nee'."
NOT_REACHED = "'{title}' is nog niet als bereikt genoteerd. Typ eerst 'mijlpaal bereikt: {title}'."
ALREADY_CELEBRATED = "'{title}' is al gevierd: het bericht ging op {when} naar alle partners. Ik stuur het niet nog een keer."
CELEBRATED_BY_OTHER = (
    "Een andere ketenregisseur heeft '{title}' intussen al met alle partners gedeeld ({when}). Ik heb het bericht"
    " niet nog een keer verstuurd."
)
NOT_A_CLEAR_YES = (
    "Dat is geen duidelijk ja, dus ik heb nog niets verstuurd. De tekst kan hier niet worden aangepast: typ 'ja'"
    " om het bericht zo te versturen, of 'nee' om niets te versturen."
)
QUEUED = "Het bericht staat klaar voor {count} en wordt nu verstuurd. Typ 'voortgang' voor de stand."
CANCELLED = "Prima, er is niets verstuurd."
NO_RECIPIENTS = "Er is nog niemand om het bericht naar te sturen."
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

_NOW = re.compile(r"\b(nu|start|starten|stuur|versturen|begin|meteen)\b")
_ADD = re.compile(
    r"^(?:nieuwe mijlpaal|mijlpaal toevoegen|mijlpaal vastleggen)\s*:?\s*(.+)$|^mijlpaal\s*:\s*(.+)$", re.IGNORECASE
)
_REACHED = re.compile(r"^mijlpa+l bereikt\s*:?\s*(.+)$|^(.+?)\s+is bereikt$", re.IGNORECASE)
_CELEBRATE = re.compile(r"^(?:laten we )?vier(?:en)?\s+(?:de |het |onze )?(?:mijlpaal\s*:?\s*)?(.+)$", re.IGNORECASE)
_DATE_PART = re.compile(r"\s+(?:op|per|voor)\s+(\d{1,2}\s+\w+(?:\s+\d{4})?)\s*", re.IGNORECASE)
_NUMBER = re.compile(r"^\d{1,3}$")
# "vier de mijlpaal", "vier dit": no title given, so ask which one.
_NO_TITLE = ("", "mijlpaal", "de mijlpaal", "deze mijlpaal", "die mijlpaal", "dit", "dat", "het", "deze", "die", "succes", "dit succes")
CONFIRM_OPTIONS = (Option("Ja, versturen", "ja", numbered=False), Option("Nee", "nee", numbered=False))


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _reply(text: str, intent: str, options: tuple[Option, ...] = ()) -> Reply:
    return Reply(text=text, intent=intent, score=1.0, options=options)


def refuse(intent: str) -> Reply:
    return _reply(REFUSAL, intent)


def checkin_command(msg: Incoming, services: Services) -> Reply:
    folded = fold(msg.text)
    if mentions_rhythm(msg.text):
        try:
            rhythm = parse_rhythm(msg.text)
        except RhythmError as error:
            return _reply(str(error), "checkin")
        first = next_occurrence(rhythm, services.clock.now())
        days = services.reminder_days
        services.checkins.set_schedule(rhythm, first, reminder_days=days, by=msg.qualified_user)
        return _reply(SCHEDULE_SET.format(rhythm=rhythm.describe(), first=local_date(first), days=days), "checkin")
    if _NOW.search(folded):
        count = scheduler.start_cycle(services, services.clock.now())
        return _reply(SCHEDULE_NOW.format(count=_count(count, "ketenpartner", "ketenpartners")) if count else SCHEDULE_NOW_NONE, "checkin")
    schedule = services.checkins.schedule()
    if schedule is None:
        return _reply(SCHEDULE_NONE, "checkin")
    return _reply(SCHEDULE_INFO.format(rhythm=schedule.rhythm.describe(), next=local_date(schedule.next_at)), "checkin")


def report_command(services: Services) -> Reply:
    built = report.build_report(services.checkins.cycles())
    return _reply(report.render_text(built, services.knowledge), "report")


def milestone_command(msg: Incoming, services: Services) -> Reply:
    text = msg.text.strip()
    reached = _REACHED.match(text)
    if reached:
        return _mark_reached((reached.group(1) or reached.group(2)).strip(), services)
    added = _ADD.match(text)
    if added:
        return _add(added.group(1) or added.group(2), services)
    milestones = services.milestones.all()
    if not milestones:
        return _reply(MILESTONE_LIST_EMPTY, "milestone")
    lines = ["Mijlpalen:"] + [_line(m) for m in milestones] + ["", MILESTONE_HOWTO]
    return _reply("\n".join(lines), "milestone")


def _mark_reached(words: str, services: Services) -> Reply:
    milestone = services.milestones.find_exact(words)
    if milestone is None:
        milestones = services.milestones.all()
        if not milestones:
            return _reply(MILESTONE_LIST_EMPTY, "milestone")
        lines = [WHICH_MEANT.format(words=_shown(words)), *_numbered(milestones), "", REACHED_HOWTO]
        return _reply("\n".join(lines), "milestone")
    services.milestones.mark_reached(milestone.id)
    return _reply(MILESTONE_REACHED.format(title=milestone.title), "milestone")


def _shown(words: str) -> str:
    """What the user typed, short enough to repeat back."""
    return words if len(words) <= 80 else words[:79] + "…"


def _numbered(milestones: list[Milestone]) -> list[str]:
    return [f"{n}. {m.title}" for n, m in enumerate(milestones, start=1)]


def _line(milestone: Milestone) -> str:
    state = "gevierd" if milestone.celebrated_at else "bereikt" if milestone.reached_at else "nog niet bereikt"
    date = f" ({milestone.due_on})" if milestone.due_on else ""
    return f"- {milestone.title}{date}: {state}"


def _add(rest: str, services: Services) -> Reply:
    title, _, description = rest.partition(": ")
    due_on, past = "", ""
    date = _DATE_PART.search(title)
    if date and _names_a_month(date.group(1)):
        moment = parse_until(date.group(1), services.clock.now())
        if moment is None:
            return _reply(DATE_IMPOSSIBLE.format(date=date.group(1)), "milestone")
        due = moment.astimezone(LOCAL).date()
        due_on = due.isoformat()
        title = title[: date.start()]
        if due < services.clock.now().astimezone(LOCAL).date():
            past = DATE_IN_PAST.format(date=date.group(1))
    title = title.strip(" :")
    if not fold(title):
        return _reply(TITLE_MISSING, "milestone")
    existing = services.milestones.find_exact(title)
    if existing is not None:
        return _reply(MILESTONE_EXISTS.format(title=existing.title), "milestone")
    milestone = services.milestones.add(title, due_on=due_on, description=description.strip())
    shown = f" (gepland {milestone.due_on})" if milestone.due_on else ""
    return _reply(MILESTONE_ADDED.format(title=milestone.title, date=shown) + past, "milestone")


def _names_a_month(words: str) -> bool:
    """ "1 maart 2027" is meant as a date, "12 partners" is not."""
    parts = fold(words).split()
    return len(parts) > 1 and parts[1] in MONTHS


def celebrate_command(msg: Incoming, state: dict, services: Services) -> Reply:
    found = _CELEBRATE.match(msg.text.strip())
    words = found.group(1).strip() if found else ""
    if fold(words) in _NO_TITLE:
        return _ask_which(WHICH_MILESTONE, state, services)
    milestone = services.milestones.find_exact(words)
    if milestone is None:
        return _ask_which(NO_SUCH_MILESTONE.format(words=_shown(words)), state, services)
    return _preview(milestone, state, services)


def _ask_which(intro: str, state: dict, services: Services) -> Reply:
    """The reached, not yet celebrated milestones, to be chosen by number (or by title)."""
    ready = [m for m in services.milestones.all() if m.reached_at and not m.celebrated_at]
    if not ready:
        text = NOTHING_TO_CELEBRATE if intro == WHICH_MILESTONE else f"{intro} {NOTHING_TO_CELEBRATE}"
        return _reply(text, "celebrate")
    if intro != WHICH_MILESTONE:
        intro = f"{intro} {READY_TO_CELEBRATE}"
    state["dialog"] = {"kind": "celebrate", "step": "choose", "milestones": [m.id for m in ready]}
    options = tuple(Option(m.title, str(n)) for n, m in enumerate(ready, start=1))
    return _reply("\n".join([intro, *_numbered(ready)]), "celebrate", options)


def _preview(milestone: Milestone, state: dict, services: Services) -> Reply:
    if milestone.celebrated_at is not None:
        return _reply(ALREADY_CELEBRATED.format(title=milestone.title, when=local_date(milestone.celebrated_at)), "celebrate")
    if milestone.reached_at is None:
        return _reply(NOT_REACHED.format(title=milestone.title), "celebrate")
    audience = _audience(services)
    if not audience:
        return _reply(NO_RECIPIENTS, "celebrate")
    state["dialog"] = {"kind": "celebrate", "step": "confirm", "milestone": milestone.id}
    preview = PREVIEW.format(message=_celebration(milestone), count=_count(len(audience), "ontvanger", "ontvangers"))
    return _reply(preview, "celebrate", CONFIRM_OPTIONS)


def _celebration(milestone: Milestone) -> str:
    text = CELEBRATION.format(title=milestone.title, description=milestone.description)
    return text if milestone.description else text.replace("\n\n\n\n", "\n\n")


def _audience(services: Services) -> list[str]:
    partners = [identity for _, identity, _ in scheduler.recipients(services)]
    return list(dict.fromkeys([*partners, *services.broadcast_channels]))


def continue_celebrate(msg: Incoming, state: dict, services: Services) -> Reply:
    """The director's next message after a list of milestones or a preview."""
    dialog = state.pop("dialog")
    if dialog.get("step") == "choose":
        return _choose(msg, dialog, state, services)
    folded = fold(msg.action or msg.text)
    answer = read_yes_no(folded)
    if answer is None and yes_or_no(folded):
        state["dialog"] = dialog
        return _reply(NOT_A_CLEAR_YES, "celebrate", CONFIRM_OPTIONS)
    if not answer:
        return _reply(CANCELLED, "celebrate")
    milestone = _by_id(services, dialog["milestone"])
    if milestone is None:
        return _reply(MILESTONE_UNKNOWN, "celebrate")
    audience = _audience(services)
    if not audience:
        return _reply(NO_RECIPIENTS, "celebrate")
    message = to_payload(Reply(text=_celebration(milestone), intent="celebrate"))
    broadcast = services.milestones.celebrate(
        milestone.id, created_by=msg.qualified_user, messages=[(identity, message) for identity in audience]
    )
    if broadcast is None:
        celebrated = _by_id(services, milestone.id)
        when = local_date(celebrated.celebrated_at) if celebrated and celebrated.celebrated_at else ""
        return _reply(CELEBRATED_BY_OTHER.format(title=milestone.title, when=when), "celebrate")
    return _reply(QUEUED.format(count=_count(len(audience), "ontvanger", "ontvangers")), "celebrate")


def _by_id(services: Services, milestone_id: int) -> Milestone | None:
    return next((m for m in services.milestones.all() if m.id == milestone_id), None)


def _choose(msg: Incoming, dialog: dict, state: dict, services: Services) -> Reply:
    text = (msg.action or msg.text).strip()
    folded = fold(text)
    ids: list[int] = dialog["milestones"]
    if _NUMBER.match(folded):
        number = int(folded)
        if not 1 <= number <= len(ids):
            state["dialog"] = dialog
            return _reply(NO_SUCH_NUMBER.format(count=len(ids)), "celebrate")
        chosen = _by_id(services, ids[number - 1])
    else:
        chosen = next((m for m in services.milestones.all() if m.id in ids and fold(m.title) == folded), None)
        if chosen is None and _CELEBRATE.match(text):
            return celebrate_command(msg, state, services)
        if chosen is None and (_REACHED.match(text) or _ADD.match(text)):
            return milestone_command(msg, services)
    if chosen is None:
        return _reply(NOTHING_CHOSEN, "celebrate")
    return _preview(chosen, state, services)


def _maybe_twice(count: int) -> str:
    if not count:
        return ""
    return MAYBE_TWICE.format(who="1 ontvanger krijgt" if count == 1 else f"{count} ontvangers krijgen")


def _not_yet(count: int, one: str = "ontvanger", many: str = "ontvangers") -> str:
    return NOT_YET_REACHABLE.format(count=_count(count, one, many)) if count else ""


def final_count(subject: str, counts: dict[str, int], maybe_twice: int) -> str:
    """The director's last word on a broadcast, once nothing is left to send (messages still waiting for a
    way to reach their recipient included)."""
    done = DONE.format(subject=subject, sent=counts["sent"], failed=counts["failed"])
    return done + _maybe_twice(maybe_twice) + _not_yet(counts.get("waiting", 0))


def progress_command(services: Services) -> Reply:
    """The latest broadcast's count, and the personal messages that wait for a way to reach someone."""
    lines = []
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
    return _reply("\n\n".join(lines) or NO_BROADCAST, "celebrate")
