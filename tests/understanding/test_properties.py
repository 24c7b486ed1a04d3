"""Any text at all gets a reply without an exception: empty, huge, emoji, control characters, SQL, HTML."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.console import to_json
from bot.core import handle
from bot.messages import Incoming
from tests.chat import Conversation

NASTY = st.sampled_from(
    [
        "",
        " ",
        "\x00\x01\x02",
        "🙂🙃" * 50,
        "'; DROP TABLE conversation_state; --",
        "<script>alert(1)</script>",
        "knelpunt 99999999999999999999",
        "oplossing 0",
        "x" * 100_000,
        "wat is " * 20_000,
        "\u202e\u200b\ufeff",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(max_size=500), NASTY, st.builds(lambda a, b: a + b, NASTY, st.text(max_size=50))))
async def test_any_text_gets_a_reply(runtime, text):
    replies = await handle(Incoming(platform="web", user_id="fuzz", text=text), runtime.services)
    assert replies and all(reply.text.strip() for reply in replies)
    assert to_json(text, replies)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(max_size=200))
async def test_any_button_value_gets_a_reply(runtime, value):
    reply = await Conversation(runtime.services, user="fuzz-button").click(value)
    assert reply.text.strip()


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300))
def test_matcher_scores_stay_between_zero_and_one(matcher, text):
    understanding = matcher.understand(text)
    assert 0.0 <= understanding.score <= 1.0
    assert all(0.0 <= c.score <= 1.0 for c in understanding.candidates)


async def test_hundred_thousand_characters_in_bounded_work(runtime, matcher):
    huge = "vertrouwen " * 10_000
    assert len(matcher.index.query_terms(huge)) <= 200
    replies = await handle(Incoming(platform="web", user_id="big", text=huge), runtime.services)
    assert replies[0].intent in {"knowledge", "fallback"}
