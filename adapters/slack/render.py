"""Slack Block Kit rendering: pure functions from a neutral Reply to message blocks and a modal."""

from __future__ import annotations

from typing import Any

from bot.messages import FormView, Reply

SECTION_LIMIT = 3000
BUTTON_TEXT_LIMIT = 75
BUTTONS_PER_BLOCK = 25
OPTION_ACTION = "ketenbot_option"
REGISTER_FORM_ACTION = "ketenbot_register_form"
REGISTER_CALLBACK = "ketenbot_register"
REGISTER_FORM_LABEL = "Formulier openen"


def escape(text: str) -> str:
    """Slack's three control characters, which every text object must escape."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain(text: str) -> dict[str, Any]:
    """A text object that Slack shows as it is: replies carry what partners typed (names, organisations), so
    no *bold*, _italic_, `code`, link or mention in them may be rendered."""
    return {"type": "plain_text", "text": escape(text), "emoji": True}


def _chunks(text: str, size: int) -> list[str]:
    parts: list[str] = []
    while text:
        if len(text) <= size:
            parts.append(text)
            break
        cut = text.rfind("\n", 0, size)
        cut = cut if cut > size // 2 else size
        parts.append(text[:cut])
        text = text[cut:].lstrip("\n")
    return parts


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_blocks(reply: Reply) -> list[dict[str, Any]]:
    """Sections for the text, then buttons for the options (numbered ones first)."""
    blocks: list[dict[str, Any]] = [{"type": "section", "text": plain(chunk)} for chunk in _chunks(reply.text, SECTION_LIMIT)]
    if reply.card and reply.card.footer:
        blocks.append({"type": "context", "elements": [plain(_short(reply.card.footer, SECTION_LIMIT))]})
    buttons = [
        {
            "type": "button",
            "action_id": f"{OPTION_ACTION}_{index}",
            "text": {"type": "plain_text", "text": _short(f"{n}. {o.label}" if o.numbered else o.label, BUTTON_TEXT_LIMIT), "emoji": True},
            "value": o.value,
        }
        for index, (n, o) in enumerate(_numbered(reply))
    ]
    if reply.form == "register":
        buttons.append(
            {
                "type": "button",
                "action_id": REGISTER_FORM_ACTION,
                "text": {"type": "plain_text", "text": REGISTER_FORM_LABEL},
                "value": "form",
                "style": "primary",
            }
        )
    for start in range(0, len(buttons), BUTTONS_PER_BLOCK):
        blocks.append({"type": "actions", "elements": buttons[start : start + BUTTONS_PER_BLOCK]})
    return blocks


def _numbered(reply: Reply) -> list[tuple[int, Any]]:
    result = []
    number = 0
    for option in reply.options:
        if option.numbered:
            number += 1
        result.append((number, option))
    return result


def render_message(reply: Reply) -> dict[str, Any]:
    """Arguments for chat.postMessage: `text` as the notification fallback, `blocks` for the layout."""
    return {"text": escape(_short(reply.text, 3900)), "blocks": render_blocks(reply)}


FORM_FIELDS = (
    ("name", "Naam", "Anouk de Vries", False),
    ("organisation", "Organisatie", "Schuldhulp Zeist", False),
    ("role", "Functie of rol", "schuldhulpverlener", True),
    ("topics", "Onderwerpen (gescheiden door ;)", "schuldhulpverlening; jongeren", False),
    ("region", "Werkgebied", "Zeist", True),
    ("email", "E-mailadres", "naam@organisatie.nl", True),
    ("phone", "Telefoonnummer", "030-1234567", True),
)


def render_register_modal(view: FormView) -> dict[str, Any]:
    """The registration form as a Slack modal, with an explicit consent checkbox."""
    values, consent_text = dict(view.values), view.consent_text
    blocks: list[dict[str, Any]] = []
    for field, label, example, optional in FORM_FIELDS:
        element: dict[str, Any] = {
            "type": "plain_text_input",
            "action_id": "value",
            "placeholder": {"type": "plain_text", "text": example},
        }
        if values.get(field):
            element["initial_value"] = values[field]
        blocks.append({"type": "input", "block_id": field, "optional": optional, "label": {"type": "plain_text", "text": label}, "element": element})
    blocks.append(
        {
            "type": "input",
            "block_id": "consent",
            "label": {"type": "plain_text", "text": "Toestemming"},
            "element": {
                "type": "checkboxes",
                "action_id": "value",
                "options": [{"text": {"type": "mrkdwn", "text": escape(consent_text)}, "value": "ja"}],
            },
        }
    )
    return {
        "type": "modal",
        "callback_id": REGISTER_CALLBACK,
        "title": {"type": "plain_text", "text": "Sociale kaart"},
        "submit": {"type": "plain_text", "text": "Aanmelden"},
        "close": {"type": "plain_text", "text": "Annuleren"},
        "blocks": blocks,
    }
