"""Scrubbing a question before the knowledge-gap loop keeps it: no e-mail, web address, long number or name."""

from __future__ import annotations

import pytest

from bot.language.scrub import name_words, scrub


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("mail me op a.de-vries+keten@gemeente.example.nl graag", "mail me op [e-mail] graag"),
        ("bel 06-12345678", "bel [nummer]"),
        ("bel 06 1234 5678 of +31 (0)30 123 45 67", "bel [nummer] of [nummer]"),
        ("bel 030.123.45.67!", "bel [nummer]!"),
        ("zie https://example.nl/pad?x=1 en www.voorbeeld.nl", "zie [link] en [link]"),
        ("bsn 111222333 of NL91ABNA0417164300", "bsn [nummer] of NL91ABNA[nummer]"),
        # Dates, years and small numbers say what a question is about and stay.
        ("wat gebeurt er op 3 januari 2026 in week 12?", "wat gebeurt er op 3 januari 2026 in week 12?"),
    ],
)
def test_contact_details_and_numbers_are_replaced(typed, kept):
    assert scrub(typed) == kept


def test_every_word_of_a_name_on_the_map_is_replaced_but_not_its_particles():
    names = name_words(["Jan de Vries", "Anouk van den Berg-Smit"])
    assert scrub("heeft Jan of mevrouw Berg-Smit iets gezegd over de Vries-regeling?", names) == (
        "heeft [naam] of mevrouw [naam] iets gezegd over de Vries-regeling?"
    )
    assert scrub("kan Vries van de berg komen?", names) == "kan [naam] van de [naam] komen?"
