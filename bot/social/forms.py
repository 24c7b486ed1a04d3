"""The registration form of rich surfaces (a Slack modal, a Teams card): opening it filled in, and what a
filled-in form becomes. The form comes in as an `Incoming` with a `FormSubmission`, through `handle()` like
every message; the reply carries a `FormView` (values, the Dutch error per field, consent) for the adapter to
draw, and its text says the same for surfaces that show only text. A value that holds client data is never
sent back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.language.privacy import contains_client_data
from bot.messages import FormView, Reply
from bot.social.access import NOT_A_KETENPARTNER, not_a_ketenpartner
from bot.social.partner import FIELD_LABELS, EmailTaken, FieldError, Partner, clean_field
from bot.social.registration import (
    CONSENT_TEXT,
    EMAIL_TAKEN,
    NEED_CONTACT,
    REGISTER_FORM,
    SAVED_UPDATE,
    email_taken,
    saved_new,
)

if TYPE_CHECKING:
    from bot.state import Turn

FORM_FIELDS = ("name", "organisation", "role", "topics", "region", "email", "phone")
# The action (a button's value) that opens the form.
OPEN_FORM = "register:form"
CONSENT = "consent"
CONSENT_REQUIRED = "Zonder toestemming kan ik je niet op de sociale kaart zetten."
FORM_TITLE = "Aanmelden op de sociale kaart"
FORM_INTRO = (
    "Vul je gegevens in. Naam, organisatie en onderwerpen zijn verplicht, en minstens een e-mailadres "
    "of een telefoonnummer. Er wordt pas iets bewaard als je toestemming geeft en op 'Aanmelden' klikt."
)
FORM_NOT_SAVED = "Er is nog niets bewaard. Verbeter wat hieronder staat en verstuur het formulier opnieuw:"
CONSENT_LABEL = "Toestemming"


def form_text(errors: dict[str, str] | None = None) -> str:
    """The text that goes with the form: the intro, or what must be corrected."""
    if not errors:
        return f"{FORM_TITLE}\n\n{FORM_INTRO}"
    lines = [f"- {FIELD_LABELS.get(name, CONSENT_LABEL.lower()).capitalize()}: {error}" for name, error in errors.items()]
    return "\n".join([FORM_NOT_SAVED, *lines])


def _reply(text: str, view: FormView | None = None) -> Reply:
    return Reply(text=text, intent="register", score=1.0, form_view=view)


def open_form(turn: Turn) -> Reply:
    """The form, filled in with the entry as it is (or the chat name of someone not on the map yet)."""
    if not turn.sender.is_ketenpartner:
        return not_a_ketenpartner("register")
    partner = turn.sender.partner
    values = {name: partner.value(name) for name in FORM_FIELDS} if partner else {"name": turn.msg.user_name or ""}
    return _reply(form_text(), FormView(form=REGISTER_FORM, consent_text=CONSENT_TEXT, values=tuple(values.items())))


def _checked(turn: Turn, values: dict[str, str], consent: bool) -> tuple[dict[str, Any], dict[str, str]]:
    """Every field cleaned, or the Dutch error per field ("consent" for missing consent)."""
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for name in FORM_FIELDS:
        try:
            cleaned[name] = clean_field(name, values.get(name) or "")
        except FieldError as error:
            errors[name] = str(error)
    if not errors and not cleaned.get("email") and not cleaned.get("phone"):
        errors["email"] = NEED_CONTACT
    if not errors and email_taken(turn.identity, cleaned.get("email") or "", turn.services):
        errors["email"] = EMAIL_TAKEN
    if not consent:
        errors[CONSENT] = CONSENT_REQUIRED
    return cleaned, errors


def submit(turn: Turn) -> Reply:
    """Save a filled-in form: every field validated, consent required, all or nothing. Saving ends a running
    registration dialog, in the same transaction."""
    submission = turn.msg.submission
    assert submission is not None
    values = dict(submission.values)
    cleaned, errors = _checked(turn, values, submission.consent)
    if not turn.sender.is_ketenpartner:
        errors = {CONSENT: NOT_A_KETENPARTNER}
    existing = turn.sender.partner is not None
    if not errors:
        turn.state.dialog = None
        try:
            turn.services.partners.save(
                Partner(**cleaned, identities=(turn.identity,)),
                consent_text=CONSENT_TEXT,
                conversation=(turn.msg.conversation_key, turn.state.to_data()),
                waiting=turn.services.map_approval,
            )
        except EmailTaken:
            errors = {"email": EMAIL_TAKEN}
        else:
            return _reply(SAVED_UPDATE if existing else saved_new(turn.services))
    # A BSN or IBAN typed into a field is not sent back in the form either.
    kept = tuple((name, "" if contains_client_data(text) else text) for name, text in values.items())
    view = FormView(form=REGISTER_FORM, consent_text=CONSENT_TEXT, values=kept, errors=tuple(errors.items()),
                    consent=submission.consent)
    return _reply(form_text(errors), view)
