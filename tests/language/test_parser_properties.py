"""Parsers meet any input with a result or their own Dutch error, never another exception."""

from __future__ import annotations

from datetime import UTC

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.language.dates import RhythmError, parse_rhythm, parse_until
from bot.language.privacy import contains_client_data, passes_elfproef
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


@given(st.text(max_size=300))
def test_client_data_detection(text):
    assert contains_client_data(text) in (True, False)


@given(st.integers(min_value=0, max_value=999_999_999))
def test_elfproef_matches_its_definition(number):
    digits = f"{number:09d}"
    total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))
    assert passes_elfproef(digits) == (total % 11 == 0 and total != 0)


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
