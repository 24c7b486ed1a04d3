"""Parsers meet any input with a result or their own Dutch error, never another exception."""

from __future__ import annotations

from datetime import UTC

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.language.dates import RhythmError, parse_rhythm, parse_until
from bot.language.privacy import contains_client_data, contains_iban, passes_elfproef
from bot.social.partner import FIELD_LABELS, FieldError, clean_field, normalise_phone
from social_map.transfer import ImportProblems, read_partners


@given(st.text(max_size=60))
def test_phone_numbers(text):
    try:
        phone = normalise_phone(text)
    except FieldError as error:
        assert str(error)
    else:
        assert phone.startswith("0") and phone.replace("-", "").isdigit()


@given(st.sampled_from(sorted(FIELD_LABELS)), st.text(max_size=600))
def test_every_field(field, text):
    try:
        clean_field(field, text)
    except FieldError as error:
        assert str(error)


@given(st.text(max_size=200))
def test_rhythms(text):
    try:
        rhythm = parse_rhythm(text)
    except RhythmError as error:
        assert str(error)
    else:
        assert 1 <= rhythm.every_weeks <= 26 and 0 <= rhythm.hour <= 23


@given(st.text(max_size=200), st.datetimes(timezones=st.just(UTC)))
def test_dates(text, today):
    until = parse_until(text, today)
    assert until is None or until.tzinfo is not None


# The oracle is a list of numbers known to be valid (published test numbers and the banks' examples), not the
# production formula: the eleven test and mod-97 both catch every single mistyped digit.
KNOWN_BSNS = ("111222333", "123456782", "999999990", "012345672", "691400507", "781676447", "116263684", "168753236")
KNOWN_IBANS = ("NL91ABNA0417164300", "BE68539007547034", "DE89370400440532013000", "GB82WEST12345698765432")
NO_DIGITS = st.text(alphabet=st.characters(blacklist_categories=("Nd", "No", "Nl")), max_size=200)


def _mistyped(number: str, position: int, shift: int) -> str:
    """The number with the digit at (or after) `position` changed by `shift` (1 to 9)."""
    digits = [i for i, ch in enumerate(number) if ch.isdigit()]
    at = digits[position % len(digits)]
    return number[:at] + str((int(number[at]) + shift) % 10) + number[at + 1 :]


@given(st.sampled_from(KNOWN_BSNS), st.integers(0, 8), st.integers(1, 9))
def test_elfproef_passes_known_bsns_and_catches_one_mistyped_digit(bsn, position, shift):
    assert passes_elfproef(bsn)
    assert not passes_elfproef(_mistyped(bsn, position, shift))


@given(st.sampled_from(KNOWN_IBANS), st.integers(0, 40), st.integers(1, 9))
def test_mod_97_passes_known_ibans_and_catches_one_mistyped_digit(iban, position, shift):
    assert contains_iban(iban)
    assert not contains_iban(_mistyped(iban, position, shift))


@given(NO_DIGITS, NO_DIGITS, st.sampled_from(KNOWN_BSNS + KNOWN_IBANS))
def test_client_data_is_found_in_any_text_and_only_where_it_is(before, after, number):
    assert not contains_client_data(before + after)
    assert contains_client_data(f"{before} {number} {after}")


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_import_files(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("import") / "partners.csv"
    path.write_text("name,organisation,role,topics,region,email,phone\n" + text, encoding="utf-8")
    try:
        partners = read_partners(path)
    except ImportProblems as problems:
        assert problems.problems and all(isinstance(line, str) for line in problems.problems)
    else:
        assert all(p.name and p.organisation and p.topics for p in partners)
