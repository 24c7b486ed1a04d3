"""The registration form as an Adaptive Card, and reading what a user submitted with it.

Validation, saving and the texts are the core's (bot/social/forms.py): a submitted card becomes an Incoming
with a FormSubmission, and a reply with a FormView is drawn here, with the core's Dutch error per field.
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
from bot.messages import FormView
from bot.social.forms import CONSENT, CONSENT_LABEL, FORM_FIELDS, FORM_INTRO, FORM_NOT_SAVED, FORM_TITLE
from bot.social.partner import FIELD_LABELS, REQUIRED_FIELDS, REQUIRED_MESSAGES

CONSENT_INPUT = CONSENT
FORM_SUBMIT_LABEL = "Aanmelden"
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


def render_form(view: FormView) -> JsonDict:
    """The card for a form the core asks to show."""
    return form_card(view.consent_text, dict(view.values), dict(view.errors), consent=view.consent)
