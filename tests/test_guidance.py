"""Short replies that are not knowledge: thanks, and who am I (the id a director puts in KETENBOT_DIRECTORS)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from adapters.wiring import build_runtime
from bot.guidance import HELP_TEXT
from tests.chat import Conversation


@pytest.mark.parametrize("text", ["bedankt!", "Dank je wel", "dankjewel ketenbot", "top, bedankt voor de uitleg", "ok"])
async def test_bedankt_got_the_whole_help_text(runtime, text):
    reply = await Conversation(runtime.services).say(text)
    assert reply.intent == "thanks"
    assert reply.text.startswith("Graag gedaan")
    assert HELP_TEXT.splitlines()[0] not in reply.text
    assert len(reply.text) < 100


async def test_thanks_keeps_the_open_topic(runtime, knowledge):
    chat = Conversation(runtime.services)
    await chat.say("we vertrouwen elkaar niet")
    await chat.say("bedankt!")
    reply = await chat.say("2")
    assert reply.entry == "knelpunt-3.oplossing-2"


@pytest.mark.parametrize(("platform", "user", "shown"), [("slack", "U0123ABC", "slack:U0123ABC"), ("teams", "29:1abc", "teams:29:1abc"), ("console", "anouk", "console:anouk")])
async def test_wie_ben_ik_got_the_fallback(runtime, platform, user, shown):
    reply = await Conversation(runtime.services, platform=platform, user=user).say("wie ben ik?")
    assert reply.intent == "whoami"
    assert shown in reply.text
    assert "KETENBOT_DIRECTORS" in reply.text


async def test_the_id_wie_ben_ik_shows_makes_a_director_in_ketenbot_directors(settings, clock, matcher):
    with build_runtime(settings, clock=clock, matcher=matcher) as runtime:
        reply = await Conversation(runtime.services, platform="slack", user="U77").say("wie ben ik")
        identity = reply.text.split(": ", 1)[1].splitlines()[0]
        assert "alleen de ketenregisseur" in (await Conversation(runtime.services, platform="slack", user="U77").say("rapport")).text
    with build_runtime(replace(settings, directors=frozenset({identity})), clock=clock, matcher=matcher) as runtime:
        reply = await Conversation(runtime.services, platform="slack", user="U77").say("rapport")
        assert "alleen de ketenregisseur" not in reply.text
        assert reply.intent == "report"


async def test_a_question_about_ones_role_is_no_whoami(runtime):
    reply = await Conversation(runtime.services).say("wie ben ik als ketenregisseur in de keten?")
    assert reply.intent != "whoami"
