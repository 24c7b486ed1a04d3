"""Client data (BSN, IBAN) pasted into the chat is refused, never stored and never logged."""

from __future__ import annotations

import logging
import sqlite3

import pytest

from bot.language.privacy import contains_bsn, contains_client_data, contains_iban, passes_elfproef
from tests.chat import Conversation

VALID_BSN = "111222333"
VALID_IBAN = "NL91 ABNA 0417 1643 00"


@pytest.mark.parametrize("digits", ["111222333", "123456782", "999999990"])
def test_elfproef_accepts_valid_numbers(digits):
    assert passes_elfproef(digits)


@pytest.mark.parametrize("digits", ["123456789", "111222334", "000000000", "12345678"])
def test_elfproef_rejects_others(digits):
    assert not passes_elfproef(digits)


@pytest.mark.parametrize(
    "text",
    [f"cliënt met bsn {VALID_BSN} heeft schulden", "bsn: 1112.22.333", f"iban {VALID_IBAN}", "NL91ABNA0417164300",
     "bsn client 111-222-333", "111/222/333", "bsn: 11 12 22 333", "tel 0612345678 111222333",
     "NL91-ABNA-0417-1643-00", "NL 91 ABNA 0417 1643 00", "rekening NL91ABNA0417164300 en verder", "nl91abna0417164300",
     "BE68 5390 0754 7034", "DE89 3704 0044 0532 0130 00"],
)
def test_recognises_client_data(text):
    assert contains_client_data(text)


@pytest.mark.parametrize(
    "text", ["bel 030-5550101", "ordernummer 123456789", "NL91 ABNA 0417 1643 01", "knelpunt 3", "030 692 1234", "2024-05-01", "op 32 december 2027"]
)
def test_leaves_other_numbers_alone(text):
    assert not contains_bsn(text) and not contains_iban(text)


async def test_bsn_is_warned_about_and_neither_stored_nor_logged(runtime, settings, caplog):
    caplog.set_level(logging.DEBUG)
    chat = Conversation(runtime.services)
    await chat.say("we vertrouwen elkaar niet")
    reply = await chat.say(f"mijn cliënt met BSN {VALID_BSN} wil geen hulp")
    assert "burgerservicenummer (BSN) of een IBAN" in reply.text
    assert "niet bewaard" in reply.text
    assert VALID_BSN not in caplog.text
    dump = "\n".join(sqlite3.connect(settings.db_path).iterdump())
    assert VALID_BSN not in dump
    follow = await chat.say("1")
    assert follow.entry == "knelpunt-3.oplossing-1"


async def test_iban_in_a_button_value_is_refused_too(runtime):
    reply = await Conversation(runtime.services).click(f"entry:{VALID_IBAN}")
    assert reply.intent == "privacy"
