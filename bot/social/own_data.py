"""A partner's own data on the social map (AVG): see it, change one field, confirm it is still correct, delete it.

What a register-intent message asks for (show, change, confirm, or register anew) is decided with the other
intent rules (bot/understanding/intents.py); changing a field and deleting are small dialogs of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.language.dutch import fold, read_yes_no
from bot.messages import Option, Reply
from bot.social.access import not_a_ketenpartner
from bot.social.partner import FIELD_LABELS, EmailTaken, FieldError, Partner, clean_field, dutch_date
from bot.social.registration import (
    EMAIL_TAKEN,
    NEED_CONTACT,
    NOT_REGISTERED,
    STOPPED,
    TRY_AGAIN,
    YES_NO,
    YES_NO_OPTIONS,
    is_skip,
    is_stop,
    partner_draft,
    reply,
    start,
    summary,
)
from bot.state import Dialog
from bot.understanding import intents

if TYPE_CHECKING:
    from bot.state import Turn

OWN_DATA_INTRO = "Dit staat er over jou op de sociale kaart:"
OWN_DATA_META = "Toestemming gegeven op {consent}. Laatst bevestigd op {confirmed}."
CELEBRATIONS_ON = "Felicitaties bij mijlpalen: aan (typ 'geen felicitaties meer' om ze te stoppen; check-ins gaan door)."
CELEBRATIONS_OFF = "Felicitaties bij mijlpalen: uit (typ 'wel felicitaties' om ze weer te krijgen)."
OWN_DATA_HINT = "Typ bijvoorbeeld 'wijzig mijn telefoonnummer', 'mijn gegevens kloppen' of 'verwijder mij'."
ASK_NEW_VALUE = "Wat {becomes} je nieuwe {label}?"
# Fields whose label is a plural: "Wat worden je nieuwe onderwerpen?"
PLURAL_FIELDS = ("topics",)
FIELD_CHANGED = "Je {label} {is_} gewijzigd in: {value}"
CONFIRMED = "Dank je, je gegevens zijn bevestigd als actueel."
DELETE_QUESTION = "Weet je zeker dat je van de sociale kaart af wilt? Je naam, gegevens en gekoppelde accounts worden definitief verwijderd. Typ 'ja' of 'nee'."
DELETED = "Je gegevens zijn definitief verwijderd van de sociale kaart."
NOT_DELETED = "Prima, je blijft op de sociale kaart staan."
NOTHING_TO_DELETE = "Je staat niet op de sociale kaart; er is niets te verwijderen."
FEEDBACK_DELETED = "Je staat niet op de sociale kaart. Wat ik van jouw vragen en feedback bewaarde, is verwijderd."

_FIELD_WORDS = (
    ("phone", r"telefoon\w*|nummer|mobiel\w*"),
    ("email", r"e ?mail\w*|mailadres"),
    ("region", r"regio|werkgebied|gemeente|plaats"),
    ("role", r"functie|rol|baan"),
    ("organisation", r"organisatie|werkgever"),
    ("topics", r"onderwerp\w*|expertise|thema\w*"),
    ("note", r"notitie|opmerking"),
    ("name", r"naam"),
)
# A message that starts a change of its own while one field waits ("wijzig mijn telefoonnummer" typed again).
_CHANGE_COMMAND = re.compile(r"^(?:wijzig\w*|verander\w*|corrigeer\w*)\b")
_VALUE_AFTER = re.compile(r"\b(?:in|naar|wordt|is nu|:)\s+(.+)$", re.IGNORECASE)


def _field_named(words: str) -> str | None:
    """The field the words name first ("wijzig mijn organisatie …" names the organisation, even when the new
    value is "Gemeente Utrecht"); the caller leaves the new value out."""
    named = [(found.start(), name) for name, pattern in _FIELD_WORDS if (found := re.search(rf"\b({pattern})\b", words))]
    return min(named)[1] if named else None


def own_data(turn: Turn) -> Reply:
    """A register-intent message: show, change one field, confirm, or (re)register."""
    text, folded = turn.msg.text, turn.reading.folded
    partner = turn.sender.partner
    action = intents.own_data_action(folded)
    if partner is None:
        if not turn.sender.is_ketenpartner:
            return not_a_ketenpartner("register")
        if action != intents.REGISTER:
            return reply(NOT_REGISTERED, options=(Option("Aanmelden", "register:start", numbered=False),))
        return start(turn)
    if action == intents.CONFIRM:
        return confirm(turn)
    value = _VALUE_AFTER.search(text)
    named = _field_named(fold(text[: value.start()]) if value else folded)
    if action == intents.CHANGE and named:
        if value:
            new_value = value.group(1).strip()
            return _change(turn, named, "" if is_skip(new_value) else new_value)
        turn.state.dialog = FieldChange(named)
        becomes = "worden" if named in PLURAL_FIELDS else "wordt"
        return reply(f"{ASK_NEW_VALUE.format(becomes=becomes, label=FIELD_LABELS[named])} ({partner.value(named) or '-'})")
    if action in (intents.CHANGE, intents.REGISTER):
        return start(turn)
    return show(partner, celebrations=turn.services.preferences.wants_celebrations(partner.id))  # type: ignore[arg-type]


def confirm(turn: Turn) -> Reply:
    """The partner says their entry is still correct."""
    if turn.services.partners.confirm(turn.identity) is None:
        return reply(NOT_REGISTERED)
    return reply(CONFIRMED)


def show(partner: Partner, *, celebrations: bool = True) -> Reply:
    lines = [OWN_DATA_INTRO, summary(partner_draft(partner)), "", CELEBRATIONS_ON if celebrations else CELEBRATIONS_OFF]
    if partner.consent_at and partner.confirmed_at:
        lines += ["", OWN_DATA_META.format(consent=dutch_date(partner.consent_at), confirmed=dutch_date(partner.confirmed_at))]
    lines += ["", OWN_DATA_HINT]
    options = (
        Option("Wijzigen", "register:start", numbered=False),
        Option("Klopt nog", "register:confirm", numbered=False),
        Option("Verwijderen", "unregister:start", numbered=False),
    )
    return reply("\n".join(lines), options=options)


def _change(turn: Turn, name: str, value: str) -> Reply:
    """Change one field; a value that is refused asks again (the field change waits for it)."""
    turn.state.dialog = None
    try:
        cleaned = clean_field(name, value)
    except FieldError as error:
        turn.state.dialog = FieldChange(name)
        return reply(f"{error} {TRY_AGAIN}")
    if name in ("email", "phone") and not cleaned:
        partner = turn.services.partners.by_identity(turn.identity)
        other = "phone" if name == "email" else "email"
        if partner is None or not partner.value(other):
            turn.state.dialog = FieldChange(name)
            return reply(NEED_CONTACT)
    try:
        partner = turn.services.partners.update_field(turn.identity, name, cleaned)
    except EmailTaken:
        return reply(EMAIL_TAKEN)
    if partner is None:
        return reply(NOT_REGISTERED)
    is_ = "zijn" if name in PLURAL_FIELDS else "is"
    return reply(FIELD_CHANGED.format(label=FIELD_LABELS[name], is_=is_, value=partner.value(name) or "-"))


@dataclass
class FieldChange(Dialog):
    """Waiting for the new value of one field ("wijzig mijn telefoonnummer")."""

    kind = "field"
    field: str

    def to_data(self) -> dict[str, Any]:
        return {"kind": self.kind, "step": self.field}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> FieldChange:
        if data["step"] not in FIELD_LABELS:
            raise ValueError(f"no field {data['step']!r}")
        return cls(data["step"])

    def proceed(self, turn: Turn) -> tuple[Reply, Dialog | None]:
        text = (turn.msg.action or turn.msg.text).strip()
        if is_stop(fold(text)):
            return reply(STOPPED), None
        if not turn.msg.action and _CHANGE_COMMAND.match(turn.reading.folded) and _field_named(turn.reading.folded):
            # A new change command, not the new value: "wijzig mijn telefoonnummer" was once saved as the topics.
            turn.state.dialog = None
            return own_data(turn), turn.state.dialog
        answer = _change(turn, self.field, "" if is_skip(text) else text)
        return answer, turn.state.dialog


def ask_delete(turn: Turn) -> Reply:
    if turn.sender.partner is None:
        # Someone who is not on the map may still have questions and feedback kept (the knowledge-gap loop).
        kept = turn.services.gaps.forget(turn.identity)
        return reply(FEEDBACK_DELETED if kept else NOTHING_TO_DELETE, intent="unregister")
    turn.state.dialog = DeleteConfirmation()
    return reply(DELETE_QUESTION, options=YES_NO_OPTIONS, intent="unregister")


@dataclass
class DeleteConfirmation(Dialog):
    """ "verwijder mij": waiting for "ja" before the entry and every trace of it go for good."""

    kind = "delete"

    def to_data(self) -> dict[str, Any]:
        return {"kind": self.kind}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> DeleteConfirmation:
        return cls()

    def proceed(self, turn: Turn) -> tuple[Reply, Dialog | None]:
        folded = fold((turn.msg.action or turn.msg.text).strip())
        if is_stop(folded):
            return reply(STOPPED, intent="unregister"), None
        answer = read_yes_no(folded)
        if answer is False:
            return reply(NOT_DELETED, intent="unregister"), None
        if answer is None:
            return reply(YES_NO, options=YES_NO_OPTIONS, intent="unregister"), self
        turn.services.partners.delete(turn.identity)
        turn.services.gaps.forget(turn.identity)
        turn.state.forget()
        return reply(DELETED, intent="unregister"), None
