"""The registration form as an Adaptive Card, and reading what a user submitted with it.

Validation and saving are the core's (`bot.registration.submit_form`); this module only draws the
form, with the core's Dutch error per field, and turns the submitted card values back into fields.
"""

from __future__ import annotations

from typing import Any

from adapters.teams.render import (
    FORM_KEY,
    OPEN_FORM,
    SUBMIT_FORM,
    JsonDict,
    adaptive_card,
    submit_action,
    text_block,
)
from bot.social.partner import FIELD_LABELS, REQUIRED_FIELDS, REQUIRED_MESSAGES
from bot.social.registration import FORM_FIELDS

CONSENT_INPUT = "consent"

FORM_TITLE = "Aanmelden op de sociale kaart"
FORM_INTRO = (
    "Vul je gegevens in. Naam, organisatie en onderwerpen zijn verplicht, en minstens een e-mailadres "
    "of een telefoonnummer. Er wordt pas iets bewaard als je toestemming geeft en op 'Aanmelden' klikt."
)
FORM_SUBMIT_LABEL = "Aanmelden"
FORM_NOT_SAVED = "Er is nog niets bewaard. Verbeter wat hieronder staat en verstuur het formulier opnieuw:"
CONSENT_LABEL = "Toestemming"
PLACEHOLDERS = {
    "name": "bijvoorbeeld Anouk de Vries",
    "organisation": "bijvoorbeeld Gemeente Zeist",
    "role": "bijvoorbeeld schuldhulpverlener, wijkcoach",
    "topics": "bijvoorbeeld schuldhulpverlening; jongeren; budgetcoaching",
    "region": "bijvoorbeeld Zeist of regio Utrecht",
    "email": "naam@organisatie.nl",
    "phone": "bijvoorbeeld 030-1234567 of 06-12345678",
}
INPUT_STYLES = {"email": "Email", "phone": "Tel"}


def form_request(value: Any) -> str | None:
    """OPEN_FORM or SUBMIT_FORM when a card action of the form was clicked, else None."""
    if isinstance(value, dict) and value.get(FORM_KEY) in (OPEN_FORM, SUBMIT_FORM):
        return value[FORM_KEY]
    return None


def submitted_values(value: dict[str, Any]) -> tuple[dict[str, str], bool]:
    """The form's fields as text, and whether the consent toggle was switched on."""
    values = {field: str(value.get(field) or "") for field in FORM_FIELDS}
    return values, str(value.get(CONSENT_INPUT, "")).lower() == "true"


def _error(text: str) -> JsonDict:
    return text_block(text, color="Attention", size="Small", spacing="None")


def _field_input(field: str, value: str) -> JsonDict:
    element: JsonDict = {
        "type": "Input.Text",
        "id": field,
        "label": FIELD_LABELS[field].capitalize(),
        "placeholder": PLACEHOLDERS[field],
        "value": value,
    }
    if field in INPUT_STYLES:
        element["style"] = INPUT_STYLES[field]
    if field in REQUIRED_FIELDS:
        element |= {"isRequired": True, "errorMessage": REQUIRED_MESSAGES[field]}
    return element


def form_card(
    consent_text: str, values: dict[str, str], errors: dict[str, str] | None = None, *, consent: bool = False
) -> JsonDict:
    """The registration form, filled with `values`; each error is shown under its field."""
    errors = errors or {}
    body = [text_block(FORM_TITLE, weight="Bolder", size="Medium"), text_block(FORM_INTRO)]
    if errors:
        body.append(text_block(FORM_NOT_SAVED, color="Attention", weight="Bolder"))
    for field in FORM_FIELDS:
        body.append(_field_input(field, values.get(field, "")))
        if field in errors:
            body.append(_error(errors[field]))
    body.append(
        {
            "type": "Input.Toggle",
            "id": CONSENT_INPUT,
            "label": CONSENT_LABEL,
            "title": consent_text,
            "wrap": True,
            "value": "true" if consent else "false",
            "valueOn": "true",
            "valueOff": "false",
        }
    )
    if CONSENT_INPUT in errors:
        body.append(_error(errors[CONSENT_INPUT]))
    return adaptive_card(body, [submit_action(FORM_SUBMIT_LABEL, {FORM_KEY: SUBMIT_FORM})])


def form_text(errors: dict[str, str] | None = None) -> str:
    """The message text that goes with the form: the intro, or what must be corrected."""
    if not errors:
        return f"{FORM_TITLE}\n\n{FORM_INTRO}"
    lines = [
        f"- {FIELD_LABELS.get(field, CONSENT_LABEL.lower()).capitalize()}: {error}"
        for field, error in errors.items()
    ]
    return "\n".join([FORM_NOT_SAVED, *lines])
