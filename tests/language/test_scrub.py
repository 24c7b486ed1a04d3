"""Scrubbing a question before the knowledge-gap loop keeps it: no e-mail, web address, long number or name."""

from __future__ import annotations

import pytest

from bot.language.scrub import SCRUB_CHARS, name_words, scrub


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


def test_a_huge_message_is_scrubbed_by_its_start_only():
    # Was 64 s for 100 000 letters on the event loop (the e-mail pattern tried from every position).
    huge = "x" * 100_000
    assert scrub(huge) == ""
    words = ("bel 06-12345678 of mail a.b@c.nl " * 5_000).strip()
    scrubbed = scrub(words)
    assert len(scrubbed) <= SCRUB_CHARS
    assert "12345678" not in scrubbed and "@" not in scrubbed and "[nummer]" in scrubbed


def test_the_word_cut_at_the_end_of_the_start_is_dropped_not_kept_in_half():
    text = "a " * ((SCRUB_CHARS - 6) // 2) + "jan.jansen@voorbeeld.nl"
    assert "jan" not in scrub(text) and "@" not in scrub(text)
