"""Typed conversation state, the dialogs that wait for a user's next message, and the turn a handler works in.

A `ConversationState` holds the open topic, the history for "terug", the numbered options of the last reply
and at most one running `Dialog`. A dialog declares how it goes on (`proceed`) and whether a question typed at
its step is answered first (`open_to_questions`, then `ask_again`); the core only asks it and sets what it
returns as the next dialog, so the core names no dialog kind. Each kind lives with its feature
(bot/social/registration.py, own_data.py; bot/commitment/celebration.py) and is listed in bot/dialogs.py,
which reads and writes the stored JSON; the JSON has the shape older versions stored, so their rows load.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from bot.messages import Incoming, Reply
    from bot.services import Services
    from bot.social.access import Sender
    from bot.understanding.reading import Reading

HISTORY_LIMIT = 10


class Dialog:
    """A conversation step that waits for the user's next message."""

    kind: ClassVar[str]
    # Whether a clear question typed at this step is a question to ketenbot (answered, then `ask_again`).
    open_to_questions: ClassVar[bool] = False

    def proceed(self, turn: Turn) -> tuple[Reply, Dialog | None]:
        """The reply to the user's next message, and the dialog that waits after it (None: it is over)."""
        raise NotImplementedError

    def ask_again(self, text: str) -> Reply:
        """The step again, after the core answered a question typed there (`text`)."""
        raise NotImplementedError

    def to_data(self) -> dict[str, Any]:
        raise NotImplementedError

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Dialog:
        raise NotImplementedError


@dataclass
class ConversationState:
    topic: str | None = None
    history: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    dialog: Dialog | None = None
    # The last question answered, scrubbed of e-mail addresses and numbers: kept if the answer gets a 👎
    # (bot/understanding/feedback.py).
    asked: str | None = None

    def open(self, entry_id: str, *, remember: bool = True) -> None:
        """Make an entry the open topic; the one before it goes on the history for 'terug'."""
        if remember and self.topic and self.topic != entry_id:
            self.history = [*self.history, self.topic][-HISTORY_LIMIT:]
        self.topic = entry_id

    def forget(self) -> None:
        """Everything about the conversation (after "stop", or when someone deleted themselves)."""
        self.topic, self.history, self.options, self.dialog, self.asked = None, [], [], None, None

    def to_data(self, *, with_dialog: bool = True) -> dict[str, Any]:
        """The state as JSON data, leaving out what is empty (an empty state is removed, not stored)."""
        data: dict[str, Any] = {}
        if self.topic:
            data["topic"] = self.topic
        if self.history:
            data["history"] = list(self.history)
        if self.options:
            data["options"] = list(self.options)
        if self.asked:
            data["asked"] = self.asked
        if with_dialog and self.dialog is not None:
            data["dialog"] = self.dialog.to_data()
        return data


@dataclass
class Turn:
    """One message being handled: what was sent, its reading, who sent it, the conversation, the services."""

    msg: Incoming
    reading: Reading
    sender: Sender
    state: ConversationState
    services: Services
    # Slow work that must not hold up the event loop (reloading the knowledge): done after the turn, off the loop;
    # its reply replaces the turn's last one.
    later: Callable[[], Reply] | None = None

    @property
    def identity(self) -> str:
        return self.msg.qualified_user
