""" "ik wil een knelpunt melden": a short dialog (what is stuck, between which organisations, since when), stored
for the chain director. Every answer passed the door's privacy check like any message, so no BSN or IBAN is
ever stored; the director answers with "antwoord N: …" (bot/commitment/meldingen.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.language.dutch import fold
from bot.messages import Reply
from bot.social.access import not_a_ketenpartner
from bot.social.registration import is_stop
from bot.state import Dialog

if TYPE_CHECKING:
    from bot.state import Turn

INTENT = "knelpunt_report"
MAX_CHARS = 500
STEPS = ("stuck", "between", "since")
QUESTIONS = {
    "stuck": "Wat loopt er vast? Beschrijf het in een paar zinnen, zonder namen of gegevens van cliënten.",
    "between": "Tussen welke organisaties speelt het? Bijvoorbeeld: gemeente en schuldhulp.",
    "since": "Sinds wanneer speelt het? Bijvoorbeeld: sinds de zomer, of sinds 1 oktober.",
}
INTRO = "Goed dat je het meldt. De ketenregisseur leest je melding en kan je hier antwoorden. Typ 'stop' om te stoppen."
TOO_LONG = "Dat is meer dan {limit} tekens. Kun je het korter zeggen?"
EMPTY = "Ik heb nog geen antwoord gelezen."
STOPPED = "Prima, er is niets gemeld."
THANKS = (
    "Dank je, je melding is doorgegeven aan de ketenregisseur:\n- Wat vastloopt: {stuck}\n- Tussen: {between}\n"
    "- Sinds: {since}\n\nHet antwoord krijg je hier."
)


def start(turn: Turn) -> Reply:
    if not turn.sender.is_ketenpartner:
        return not_a_ketenpartner(INTENT)
    turn.state.dialog = KnelpuntReport()
    return _reply(f"{INTRO}\n\n{QUESTIONS['stuck']}")


def _reply(text: str) -> Reply:
    return Reply(text=text, intent=INTENT, score=1.0)


@dataclass
class KnelpuntReport(Dialog):
    """Waiting for the answer to the step's question; the earlier answers are kept here until the last one."""

    kind = "knelpunt-report"
    step: str = "stuck"
    stuck: str = ""
    between: str = ""

    def to_data(self) -> dict[str, Any]:
        return {"kind": self.kind, "step": self.step, "stuck": self.stuck, "between": self.between}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> KnelpuntReport:
        if data["step"] not in STEPS:
            raise ValueError(f"no step {data['step']!r}")
        return cls(data["step"], str(data.get("stuck", "")), str(data.get("between", "")))

    def ask_again(self, text: str) -> Reply:
        return _reply(QUESTIONS[self.step])

    def proceed(self, turn: Turn) -> tuple[Reply, Dialog | None]:
        text = " ".join((turn.msg.text or "").split())
        if is_stop(fold(text)):
            return _reply(STOPPED), None
        if not text:
            return _reply(f"{EMPTY} {QUESTIONS[self.step]}"), self
        if len(text) > MAX_CHARS:
            return _reply(TOO_LONG.format(limit=MAX_CHARS)), self
        if self.step == "stuck":
            return _reply(QUESTIONS["between"]), KnelpuntReport("between", text)
        if self.step == "between":
            return _reply(QUESTIONS["since"]), KnelpuntReport("since", self.stuck, text)
        partner = turn.services.partners.by_identity(turn.identity)
        turn.services.knelpunt_reports.add(
            turn.identity, partner.organisation if partner else "", stuck=self.stuck, between=self.between, since=text
        )
        return _reply(THANKS.format(stuck=self.stuck, between=self.between, since=text)), None
