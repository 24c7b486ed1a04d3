"""The platform-neutral message model that crosses the seam between adapters and the core."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.identity import conversation_key, identity


def without_nul(typed: str | None) -> str | None:
    """What was typed without NUL characters: they mean nothing in a message, and PostgreSQL cannot store them in
    text (a kept question or a knelpunt report with one failed on PostgreSQL only)."""
    return typed.replace("\x00", "") if typed and "\x00" in typed else typed


@dataclass(frozen=True)
class FormSubmission:
    """A filled-in form (a Slack modal, a Teams card): which form, its fields as typed, and the consent box."""

    form: str
    values: tuple[tuple[str, str], ...]
    consent: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", tuple((name, without_nul(value)) for name, value in self.values))


@dataclass(frozen=True, kw_only=True)
class Incoming:
    platform: str
    user_id: str
    text: str = ""
    user_name: str | None = None
    conversation_id: str | None = None
    thread_id: str | None = None
    action: str | None = None
    # A form filled in and sent (the typed action of rich surfaces); its fields are checked one by one.
    submission: FormSubmission | None = None
    raw: Any = field(default=None, compare=False, repr=False)
    # The platform vouches that the sender belongs to one of the chain's own organisations (a configured
    # Slack workspace or Teams tenant; the console is the operator's own terminal). The web chat never
    # vouches: a web user is a ketenpartner by invitation or through a linked entry.
    vouched: bool = False

    def __post_init__(self) -> None:
        for name in ("text", "action", "user_name"):
            object.__setattr__(self, name, without_nul(getattr(self, name)))

    @property
    def qualified_user(self) -> str:
        """The user id as written in KETENBOT_DIRECTORS and on the social map: `platform:id`."""
        return identity(self.platform, self.user_id)

    @property
    def conversation_key(self) -> str:
        """Key of the conversation state: one per user per conversation."""
        return conversation_key(self.qualified_user, self.conversation_id)


@dataclass(frozen=True)
class Option:
    """A choice offered to the user: a button on Slack/Teams/web, a number in the console."""

    label: str
    value: str
    numbered: bool = True


@dataclass(frozen=True)
class CardField:
    label: str
    value: str


@dataclass(frozen=True, kw_only=True)
class Card:
    title: str
    body: str = ""
    fields: tuple[CardField, ...] = ()
    footer: str = ""


@dataclass(frozen=True, kw_only=True)
class FormView:
    """A form to show now: the fields as they should appear (client data never sent back), the Dutch error per
    field ("consent" for the consent box), and the consent text."""

    form: str
    consent_text: str
    values: tuple[tuple[str, str], ...] = ()
    errors: tuple[tuple[str, str], ...] = ()
    consent: bool = False


@dataclass(frozen=True, kw_only=True)
class Reply:
    """One answer. `text` is always complete on its own, so every surface can fall back to it."""

    text: str
    options: tuple[Option, ...] = ()
    card: Card | None = None
    intent: str = "fallback"
    entry: str | None = None
    score: float = 0.0
    alternatives: tuple[tuple[str, float], ...] = ()
    results: tuple[dict[str, str], ...] = ()
    # A structured form that rich surfaces may offer instead of the question-by-question dialog.
    form: str | None = None
    # The form itself, to show now (after "open the form", or with the errors of a submission).
    form_view: FormView | None = None


def to_payload(reply: Reply) -> dict[str, Any]:
    """A reply as plain JSON data, to wait in the outbox."""
    return {
        "text": reply.text,
        "intent": reply.intent,
        "options": [[o.label, o.value, o.numbered] for o in reply.options],
    }


def from_payload(payload: dict[str, Any]) -> Reply:
    return Reply(
        text=payload["text"],
        intent=payload.get("intent", "fallback"),
        options=tuple(Option(label, value, numbered) for label, value, numbered in payload.get("options", [])),
    )
