"""The director's check-in commands: setting the rhythm, a check-in now, and the rhythm as it is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commitment import scheduler
from bot.commitment.director import counted, reply
from bot.language.dates import RhythmError, local_date, next_occurrence, parse_rhythm
from bot.messages import Reply
from bot.understanding import intents

if TYPE_CHECKING:
    from bot.state import Turn

SCHEDULE_SET = "Afgesproken: check-in {rhythm} (Nederlandse tijd). De eerste gaat uit op {first}. Wie na {days} dagen niet heeft geantwoord, krijgt één herinnering."
SCHEDULE_NOW = "De check-in is verstuurd naar {count}."
SCHEDULE_NOW_NONE = "Er is niemand om een check-in naar te sturen: er staan nog geen bereikbare ketenpartners op de sociale kaart."
SCHEDULE_INFO = "Het ritme is nu: {rhythm}. De volgende check-in gaat uit op {next}.\nWijzigen: 'check-in elke 2 weken op dinsdag om 10:00'. Meteen een check-in: 'check-in nu'."
SCHEDULE_NONE = "Er is nog geen ritme. Stel er een in, bijvoorbeeld: 'check-in elke 4 weken op maandag om 9:00'. Meteen een check-in: 'check-in nu'."


def checkin_command(turn: Turn) -> Reply:
    services, text = turn.services, turn.msg.text
    action = intents.checkin_action(text, turn.reading.folded)
    if action == intents.RHYTHM:
        try:
            rhythm = parse_rhythm(text)
        except RhythmError as error:
            return reply(str(error), "checkin")
        first = next_occurrence(rhythm, services.clock.now())
        days = services.reminder_days
        services.checkins.set_schedule(rhythm, first, reminder_days=days, by=turn.identity)
        return reply(SCHEDULE_SET.format(rhythm=rhythm.describe(), first=local_date(first), days=days), "checkin")
    if action == intents.NOW:
        sent = scheduler.start_cycle(services, services.clock.now())
        return reply(SCHEDULE_NOW.format(count=counted(sent, "ketenpartner", "ketenpartners")) if sent else SCHEDULE_NOW_NONE, "checkin")
    schedule = services.checkins.schedule()
    if schedule is None:
        return reply(SCHEDULE_NONE, "checkin")
    return reply(SCHEDULE_INFO.format(rhythm=schedule.rhythm.describe(), next=local_date(schedule.next_at)), "checkin")
