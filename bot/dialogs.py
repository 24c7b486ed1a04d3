"""The dialogs ketenbot knows, and the conversation state as stored JSON.

`Dialog` is the union of every kind; a later issue adds its own (a knelpunt report, feedback) here and
nowhere else. Stored state is JSON in the shape older versions wrote, so their rows load as they are. A dialog
that cannot be read (a kind this version does not know, a row that lost a field) is dropped with a log line
and the rest of the state is kept: the user is asked nothing they cannot answer, and loses only that step.
"""

from __future__ import annotations

import logging
from typing import Any, get_args

from bot.commitment.celebration import Celebration
from bot.social.knelpunt_report import KnelpuntReport
from bot.social.own_data import DeleteConfirmation, FieldChange
from bot.social.registration import Registration
from bot.state import ConversationState

logger = logging.getLogger(__name__)

Dialog = Registration | FieldChange | DeleteConfirmation | Celebration | KnelpuntReport
KINDS: dict[str, type[Dialog]] = {kind.kind: kind for kind in get_args(Dialog)}


def load_state(data: dict[str, Any]) -> ConversationState:
    """The stored JSON as typed state."""
    state = ConversationState(
        topic=data.get("topic") if isinstance(data.get("topic"), str) else None,
        history=[entry for entry in data.get("history") or [] if isinstance(entry, str)],
        options=[value for value in data.get("options") or [] if isinstance(value, str)],
        asked=data.get("asked") if isinstance(data.get("asked"), str) else None,
    )
    stored = data.get("dialog")
    if stored:
        try:
            state.dialog = KINDS[stored["kind"]].from_data(stored)
        except (KeyError, TypeError, ValueError) as error:
            logger.warning("conversation state: a dialog that cannot be read is dropped (%s)", type(error).__name__)
    return state
