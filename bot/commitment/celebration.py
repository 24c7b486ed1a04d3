"""Celebrating a reached milestone with every partner: which one ("vier …", or chosen from a list), a preview,
and only a clear "ja" queues the messages. The `Celebration` dialog waits for the choice and for the "ja".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.commitment import scheduler
from bot.commitment.director import counted, reply
from bot.commitment.milestones import milestone_command, numbered, shown
from bot.commitment.model import Milestone
from bot.language.dates import local_date
from bot.language.dutch import fold, read_yes_no, yes_or_no
from bot.messages import Option, Reply, to_payload
from bot.state import Dialog
from bot.understanding import intents

if TYPE_CHECKING:
    from bot.services import Services
    from bot.state import Turn

WHICH_MILESTONE = "Welke mijlpaal wil je vieren? Typ het nummer, of 'vier' en de titel:"
MILESTONE_UNKNOWN = "Ik ken geen mijlpaal die zo heet. Typ 'mijlpalen' voor de lijst."
NO_SUCH_MILESTONE = "Ik ken geen mijlpaal '{words}'."
READY_TO_CELEBRATE = "Deze mijlpalen zijn bereikt en nog niet gevierd. Typ het nummer, of 'vier' en de titel:"
NOTHING_TO_CELEBRATE = "Er is geen bereikte mijlpaal die nog gevierd kan worden. Typ 'mijlpalen' voor de lijst."
NO_SUCH_NUMBER = "Kies een nummer van 1 tot {count}."
NOTHING_CHOSEN = "Je hebt geen mijlpaal gekozen, dus ik heb niets gedaan. Typ 'mijlpalen' voor de lijst."
CELEBRATION = "Mijlpaal bereikt: {title}!\n\n{description}\n\nDank aan alle ketenpartners die hieraan hebben bijgedragen. — de ketenregisseur"
PREVIEW = "Zo ziet het bericht eruit:\n\n{message}\n\nHet gaat naar {count}. Versturen? Typ 'ja' of 'nee'."
NOT_REACHED = "'{title}' is nog niet als bereikt genoteerd. Typ eerst 'mijlpaal bereikt: {title}'."
# What was queued, not what arrived: "voortgang" and the final count say what arrived.
ALREADY_CELEBRATED = (
    "'{title}' is al gevierd: het bericht is op {when} klaargezet voor alle partners. Ik stuur het niet nog een"
    " keer. Typ 'voortgang' om te zien hoeveel berichten zijn bezorgd."
)
CELEBRATED_BY_OTHER = (
    "Een andere ketenregisseur heeft '{title}' intussen al klaargezet voor alle partners ({when}). Ik heb het bericht"
    " niet nog een keer verstuurd. Typ 'voortgang' om te zien hoeveel berichten zijn bezorgd."
)
NOT_A_CLEAR_YES = (
    "Dat is geen duidelijk ja, dus ik heb nog niets verstuurd. De tekst kan hier niet worden aangepast: typ 'ja'"
    " om het bericht zo te versturen, of 'nee' om niets te versturen."
)
QUEUED = "Het bericht staat klaar voor {count} en wordt nu verstuurd. Typ 'voortgang' voor de stand."
CANCELLED = "Prima, er is niets verstuurd."
NO_RECIPIENTS = "Er is nog niemand om het bericht naar te sturen."
_NUMBER = re.compile(r"^\d{1,3}$")
# "vier de mijlpaal", "vier dit": no title given, so ask which one.
_NO_TITLE = ("", "mijlpaal", "de mijlpaal", "deze mijlpaal", "die mijlpaal", "dit", "dat", "het", "deze", "die", "succes", "dit succes")
CONFIRM_OPTIONS = (Option("Ja, versturen", "ja", numbered=False), Option("Nee", "nee", numbered=False))


def celebrate_command(turn: Turn) -> Reply:
    words = intents.celebrated_words(turn.msg.text.strip())
    if fold(words) in _NO_TITLE:
        return _ask_which(WHICH_MILESTONE, turn)
    milestone = turn.services.milestones.find_exact(words)
    if milestone is None:
        return _ask_which(NO_SUCH_MILESTONE.format(words=shown(words)), turn)
    return _preview(milestone, turn)


def _ask_which(intro: str, turn: Turn) -> Reply:
    """The reached, not yet celebrated milestones, to be chosen by number (or by title)."""
    ready = [m for m in turn.services.milestones.all() if m.reached_at and not m.celebrated_at]
    if not ready:
        text = NOTHING_TO_CELEBRATE if intro == WHICH_MILESTONE else f"{intro} {NOTHING_TO_CELEBRATE}"
        return reply(text, "celebrate")
    if intro != WHICH_MILESTONE:
        intro = f"{intro} {READY_TO_CELEBRATE}"
    turn.state.dialog = Celebration(milestones=[m.id for m in ready])
    options = tuple(Option(m.title, str(n)) for n, m in enumerate(ready, start=1))
    return reply("\n".join([intro, *numbered(ready)]), "celebrate", options)


def _preview(milestone: Milestone, turn: Turn) -> Reply:
    if milestone.celebrated_at is not None:
        return reply(ALREADY_CELEBRATED.format(title=milestone.title, when=local_date(milestone.celebrated_at)), "celebrate")
    if milestone.reached_at is None:
        return reply(NOT_REACHED.format(title=milestone.title), "celebrate")
    audience = _audience(turn.services)
    if not audience:
        return reply(NO_RECIPIENTS, "celebrate")
    turn.state.dialog = Celebration(milestone=milestone.id)
    preview = PREVIEW.format(message=_celebration(milestone), count=counted(len(audience), "ontvanger", "ontvangers"))
    return reply(preview, "celebrate", CONFIRM_OPTIONS)


def _celebration(milestone: Milestone) -> str:
    text = CELEBRATION.format(title=milestone.title, description=milestone.description)
    return text if milestone.description else text.replace("\n\n\n\n", "\n\n")


def _audience(services: Services) -> list[str]:
    # Partners who said "geen felicitaties meer" are left out; check-ins still reach them.
    declined = services.preferences.without_celebrations()
    partners = [identity for partner_id, identity, _ in scheduler.recipients(services) if partner_id not in declined]
    return list(dict.fromkeys([*partners, *services.broadcast_channels]))


def _by_id(services: Services, milestone_id: int) -> Milestone | None:
    return next((m for m in services.milestones.all() if m.id == milestone_id), None)


@dataclass
class Celebration(Dialog):
    """The director's next message after a list of milestones (`milestones` to choose from) or a preview (the
    `milestone` chosen, waiting for "ja")."""

    kind = "celebrate"
    milestones: list[int] = field(default_factory=list)
    milestone: int | None = None

    def to_data(self) -> dict[str, Any]:
        if self.milestone is None:
            return {"kind": self.kind, "step": "choose", "milestones": list(self.milestones)}
        return {"kind": self.kind, "step": "confirm", "milestone": self.milestone}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Celebration:
        if data.get("step") == "choose":
            return cls(milestones=[int(m) for m in data["milestones"]])
        return cls(milestone=int(data["milestone"]))

    def proceed(self, turn: Turn) -> tuple[Reply, Dialog | None]:
        """After the director's message the dialog is over, unless the answer asks for it again (a number out
        of range, a yes that is not clear) or names another milestone (a new preview or list)."""
        if self.milestone is None:
            return self._choose(turn)
        folded = fold(turn.msg.action or turn.msg.text)
        answer = read_yes_no(folded)
        if answer is None and yes_or_no(folded):
            return reply(NOT_A_CLEAR_YES, "celebrate", CONFIRM_OPTIONS), self
        if not answer:
            return reply(CANCELLED, "celebrate"), None
        return self._celebrate(turn), None

    def _celebrate(self, turn: Turn) -> Reply:
        services = turn.services
        milestone = _by_id(services, self.milestone)  # type: ignore[arg-type]
        if milestone is None:
            return reply(MILESTONE_UNKNOWN, "celebrate")
        audience = _audience(services)
        if not audience:
            return reply(NO_RECIPIENTS, "celebrate")
        message = to_payload(Reply(text=_celebration(milestone), intent="celebrate"))
        broadcast = services.milestones.celebrate(
            milestone.id, created_by=turn.identity, messages=[(identity, message) for identity in audience]
        )
        if broadcast is None:
            celebrated = _by_id(services, milestone.id)
            when = local_date(celebrated.celebrated_at) if celebrated and celebrated.celebrated_at else ""
            return reply(CELEBRATED_BY_OTHER.format(title=milestone.title, when=when), "celebrate")
        return reply(QUEUED.format(count=counted(len(audience), "ontvanger", "ontvangers")), "celebrate")

    def _choose(self, turn: Turn) -> tuple[Reply, Dialog | None]:
        """A number or title from the list; another "vier …" or milestone command is answered as such (and
        whatever dialog it starts goes on)."""
        text = (turn.msg.action or turn.msg.text).strip()
        folded = fold(text)
        ids = self.milestones
        if _NUMBER.match(folded):
            number = int(folded)
            if not 1 <= number <= len(ids):
                return reply(NO_SUCH_NUMBER.format(count=len(ids)), "celebrate"), self
            chosen = _by_id(turn.services, ids[number - 1])
        else:
            chosen = next((m for m in turn.services.milestones.all() if m.id in ids and fold(m.title) == folded), None)
            if chosen is None and intents.celebrates(text):
                return celebrate_command(turn), turn.state.dialog
            if chosen is None and intents.milestone_action(text)[0] != intents.LIST:
                return milestone_command(turn), turn.state.dialog
        if chosen is None:
            return reply(NOTHING_CHOSEN, "celebrate"), None
        return _preview(chosen, turn), turn.state.dialog
