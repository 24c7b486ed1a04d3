"""Regression: the BSN/IBAN guard was bypassed by the way a number was typed, and the number was stored.

Letters glued on, underscores, commas, dots and slashes, non-breaking, zero-width and double spaces, tabs,
en dashes and " - ", an IBAN glued to a word, full-width digits: each got through in registration fields, the
Slack modal, "wijzig mijn …" and check-in needs. Hypothesis generates such spellings of numbers known to be
valid (and of numbers known to be invalid, which must not be caught). The oracle is these lists, not the
production formula.
"""

from __future__ import annotations

import json
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.language.privacy import contains_client_data, contains_iban
from bot.social.partner import FieldError, clean_field
from social_map.transfer import ImportProblems, import_partners
from tests.adapters.test_slack import slack_server  # noqa: F401 - the fixture
from tests.chat import Conversation
from tests.social.test_registration import REGISTRATION

# Valid BSNs (they pass the eleven test) and IBANs (the examples of the banks and the IBAN registry).
VALID_BSNS = ("111222333", "123456782", "999999990", "012345672", "691400507", "781676447", "116263684", "168753236")
VALID_IBANS = (
    "NL91ABNA0417164300",
    "BE68539007547034",
    "DE89370400440532013000",
    "GB82WEST12345698765432",
    "FR1420041010050500013M02606",
)
# One digit off, or a number that fails the eleven test: no client data.
INVALID_BSNS = ("123456789", "111222334", "987654321", "999999999", "012345678")
INVALID_IBANS = ("NL91ABNA0417164301", "BE68539007547035", "DE89370400440532013001")

SEPARATORS = (" ", "  ", "\t", "\u00a0", "\u202f", "\u200b", "\u2060", "\u00ad", "-", "\u2013", " - ", " \u2013 ",
              "_", ",", ".", "/", ", ", "\n")
BEFORE = ("", "bsn", "BSN:", "nr", "rekening", "iban", "cliënt ")
AFTER = ("", "x", "bij", " en verder", ".")
PROSE = ("Mijn cliënt", "Graag terugbellen over", "Het gaat om")


def full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isascii() and ch.isalnum() else ch for ch in text)


@st.composite
def spelled(draw: st.DrawFn, numbers: tuple[str, ...]) -> str:
    """One number as someone might type it: cut into groups anywhere, glued with any separators, maybe
    full-width or in lower case, maybe glued to a word on either side, inside a sentence."""
    number = draw(st.sampled_from(numbers))
    cuts = sorted(draw(st.sets(st.integers(1, len(number) - 1), max_size=len(number) - 1)))
    pieces = [number[a:b] for a, b in zip([0, *cuts], [*cuts, len(number)], strict=True)]
    text = pieces[0]
    for piece in pieces[1:]:
        text += draw(st.sampled_from(SEPARATORS)) + piece
    if draw(st.booleans()):
        text = text.lower()
    if draw(st.booleans()):
        text = full_width(text)
    text = draw(st.sampled_from(BEFORE)) + text + draw(st.sampled_from(AFTER))
    return f"{draw(st.sampled_from(PROSE))} {text}"


@settings(max_examples=400)
@given(spelled(VALID_BSNS + VALID_IBANS))
def test_every_spelling_of_a_valid_number_is_caught(text):
    assert contains_client_data(text), repr(text)


@settings(max_examples=200)
@given(spelled(INVALID_BSNS))
def test_nine_digits_that_are_no_bsn_are_left_alone(text):
    assert not contains_client_data(text), repr(text)


@settings(max_examples=200)
@given(spelled(INVALID_IBANS))
def test_an_account_number_that_is_no_iban_is_not_read_as_one(text):
    # Its digits may still hold nine that pass the eleven test: that is the BSN guard's business.
    assert not contains_iban(text), repr(text)


REPORTED = [
    "bsn111222333",
    "111222333x",
    "111_222_333",
    "111,222,333",
    "111.222.333",
    "111/222/333",
    "111\u00a0222\u00a0333",
    "111\u200b222\u200b333",
    "111  222  333",
    "111\t222\t333",
    "111\u2013222\u2013333",
    "111 - 222 - 333",
    "rekeningNL91ABNA0417164300",
    "NL91ABNA0417164300bij",
    "\uff11\uff11\uff11\uff12\uff12\uff12\uff13\uff13\uff13",
    "ＮＬ９１ＡＢＮＡ０４１７１６４３００",
    "nl91_abna_0417_1643_00",
]


@pytest.mark.parametrize("spelling", REPORTED)
def test_the_reported_spellings_are_refused_in_a_registration_field(spelling):
    with pytest.raises(FieldError, match="burgerservicenummer"):
        clean_field("role", f"casusregie {spelling}")


def dump(settings) -> str:
    return "\n".join(sqlite3.connect(settings.db_path).iterdump())


@pytest.mark.parametrize("spelling", ["bsn111222333", "111\u200b222\u200b333", "rekeningNL91ABNA0417164300"])
async def test_a_disguised_number_typed_in_the_chat_is_never_stored(runtime, settings, spelling):
    chat = Conversation(runtime.services, user="anouk")
    for text in REGISTRATION:
        await chat.say(text)
    changed = await chat.say(f"wijzig mijn notitie in bel over {spelling}")
    assert changed.intent == "privacy"
    dialog = Conversation(runtime.services, user="bram")
    await dialog.say("aanmelden")
    await dialog.say("Bram")
    refused = await dialog.say(f"Wijkteam {spelling}")
    assert refused.intent == "privacy"
    digits = "".join(ch for ch in spelling if ch.isalnum())
    assert digits not in dump(settings) and spelling not in dump(settings)


def test_a_disguised_number_in_an_import_is_refused(runtime, tmp_path, settings):
    path = tmp_path / "p.csv"
    path.write_text("name,organisation,role,topics,region,email,phone\n"
                    "Aylin Demir,Schuldhulp,casus 111_222_333,schulden,Zeist,aylin@example.org,\n", encoding="utf-8")
    with pytest.raises(ImportProblems) as refused:
        import_partners(runtime.services.partners, path)
    assert refused.value.problems[0].startswith("regel 2: role: Hier lijkt een burgerservicenummer (BSN) of IBAN")
    assert "111_222_333" not in dump(settings)


async def test_a_disguised_number_in_the_slack_modal_is_refused(slack_server, slack_api, settings):  # noqa: F811 - the fixture
    from urllib.parse import urlencode

    from tests.adapters.test_slack import FORM, post, signed_headers
    from tests.slack_payloads import submission_payload

    values = {**FORM, "role": "casusregie 111\u00a0222\u00a0333", "topics": "schulden; rekeningNL91ABNA0417164300"}
    body = urlencode({"payload": json.dumps(submission_payload(values, True))})
    status, text = await post(slack_server, body, signed_headers(body, content_type="application/x-www-form-urlencoded"))
    errors = json.loads(text)["errors"]
    assert status == 200 and set(errors) == {"role", "topics"}
    assert all(error.startswith("Hier lijkt een burgerservicenummer (BSN) of IBAN") for error in errors.values())
    assert "222\u00a0333" not in dump(settings) and "NL91ABNA0417164300" not in dump(settings)
