"""Typed conversation state: each dialog kind continues as it declares, and what older versions stored still
loads (or, when it cannot be read, is dropped with a log line while the rest of the state stays)."""

from __future__ import annotations

import json
import logging

import pytest

from bot.commitment.celebration import Celebration
from bot.dialogs import KINDS, load_state
from bot.social.own_data import DeleteConfirmation, FieldChange
from bot.social.registration import Registration
from bot.state import ConversationState
from tests.chat import Conversation

KEY = "console:tester|direct"


def store(runtime, data: dict) -> None:
    runtime.services.conversations.save(KEY, data)


@pytest.mark.parametrize(
    "dialog",
    [
        Registration(step="email", draft={"name": "Anouk", "topics": ["schulden"]}, existing=False, maybe="wat?"),
        FieldChange("phone"),
        DeleteConfirmation(),
        Celebration(milestones=[3, 4]),
        Celebration(milestone=3),
    ],
    ids=lambda dialog: dialog.kind,
)
def test_every_dialog_is_stored_and_read_back_as_it_was(dialog):
    state = ConversationState(topic="knelpunt-3", history=["begrip-ketenregie"], options=["entry:knelpunt-3.oplossing-1"], dialog=dialog)
    assert load_state(json.loads(json.dumps(state.to_data()))) == state
    assert KINDS[dialog.kind] is type(dialog)


async def test_a_registration_stored_by_the_previous_version_goes_on(runtime):
    store(runtime, {
        "topic": "begrip-ketenregie",
        "options": [],
        "dialog": {"kind": "register", "step": "email", "existing": False,
                   "draft": {"name": "Anouk de Vries", "organisation": "Schuldhulp Zeist", "role": "", "topics": ["schulden"], "region": "Zeist"}},
    })
    reply = await Conversation(runtime.services).say("anouk@voorbeeld.nl")
    assert reply.text.startswith("Op welk telefoonnummer ben je bereikbaar?")


async def test_a_celebration_list_stored_by_the_previous_version_goes_on(runtime):
    milestone = runtime.services.milestones.add("Pilot gestart")
    store(runtime, {"dialog": {"kind": "celebrate", "step": "choose", "milestones": [milestone.id]}})
    reply = await Conversation(runtime.services).say("7")
    assert reply.text == "Kies een nummer van 1 tot 1."


@pytest.mark.parametrize(
    "dialog",
    [{"kind": "knelpuntmelding", "step": "1"}, {"kind": "register", "step": "schoenmaat", "draft": {}, "existing": False},
     {"kind": "register"}, {"kind": "field", "step": "wachtwoord"}, "kapot"],
    ids=["unknown kind", "unknown step", "missing fields", "unknown field", "not an object"],
)
async def test_a_dialog_that_cannot_be_read_is_dropped_and_the_topic_kept(runtime, caplog, dialog):
    store(runtime, {"topic": "knelpunt-3", "dialog": dialog})
    caplog.set_level(logging.WARNING, logger="bot.dialogs")
    reply = await Conversation(runtime.services).say("bron")
    assert reply.entry == "knelpunt-3" and reply.text.startswith("Knelpunt 3")
    assert "a dialog that cannot be read is dropped" in caplog.text
    assert "dialog" not in runtime.services.conversations.load(KEY)
