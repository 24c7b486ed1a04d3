"""Recognises client data that must never be stored: Dutch citizen numbers (BSN) and IBANs.

The text is normalised before it is checked, so no way of typing a number slips through: NFKC (full-width
digits, non-breaking spaces), zero-width characters and soft hyphens removed, any run of characters that
are neither letters nor digits (spaces, tabs, dashes, dots, commas, slashes, underscores) read as one
separator, and numbers looked for inside words too ("bsn111222333", "111222333x", "rekeningNL91ABNA…").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# Characters that show as nothing: typed between digits they must not hide a number.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u034f\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"))
# A run of digits, a run of letters, or a separator (anything else, the underscore included).
_PIECES = re.compile(r"(\d+)|([^\W\d_]+)|[\W_]+")
_ALNUM_RUN = re.compile(r"[^\W_]+")
_DIGIT = re.compile(r"\d")
# An IBAN has at least its two check digits: a text with fewer digits holds none (and most texts hold none).
IBAN_MIN_DIGITS = 2
# Where an IBAN may start: a country code and two check digits, also in the middle of a word.
_IBAN_START = re.compile(r"(?=([A-Z]{2})\d\d)")
BSN_DIGITS = 9
# IBAN length per country (the SWIFT IBAN registry); letters that are no IBAN country start no IBAN,
# so "op 32 december 2027" is not read as one.
IBAN_LENGTHS = dict(
    (code[:2], int(code[2:]))
    for code in (
        "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18 DO28 EE20 EG29 "
        "ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 "
        "LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 "
        "QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20"
    ).split()
)


def normalise(text: str) -> str:
    """The text as it reads: invisible characters removed, compatibility forms (full-width digits,
    non-breaking spaces) replaced by their plain form, digits of any script as 0-9."""
    if text.isascii():
        # Nothing invisible, nothing to compose (most texts: every field of an import is checked).
        return text
    plain = unicodedata.normalize("NFKC", text.translate(_INVISIBLE))
    if plain.isascii():
        return plain
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in plain)


def passes_elfproef(digits: str) -> bool:
    """The BSN eleven test: 9*d1 + 8*d2 + … + 2*d8 - 1*d9 is a multiple of 11 (and not zero)."""
    if len(digits) != BSN_DIGITS or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))
    return total != 0 and total % 11 == 0


# Mod-97 reads each letter as a two-digit number: A = 10 … Z = 35.
_LETTER_NUMBERS = {ord(letter): str(number) for number, letter in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ", start=10)}


def _valid_iban(compact: str) -> bool:
    if len(compact) != IBAN_LENGTHS.get(compact[:2]) or not compact[2:4].isdigit():
        return False
    number = (compact[4:] + compact[:4]).translate(_LETTER_NUMBERS)
    return number.isascii() and number.isdigit() and int(number) % 97 == 1


def _digit_groups(plain: str) -> Iterator[list[str]]:
    """Runs of digit groups joined only by separators; letters end a run, so "111222333x" and
    "bsn111222333" each hold the group "111222333"."""
    groups: list[str] = []
    for piece in _PIECES.finditer(plain):
        if piece.group(1):
            groups.append(piece.group(1))
        elif piece.group(2) and groups:
            yield groups
            groups = []
    if groups:
        yield groups


def _has_bsn(plain: str) -> bool:
    """Consecutive digit groups of nine digits in all that pass the eleven test: "111 222 333", not the
    middle of a longer number such as a phone number."""
    for groups in _digit_groups(plain):
        end = total = 0
        for start, group in enumerate(groups):
            while end < len(groups) and total < BSN_DIGITS:
                total += len(groups[end])
                end += 1
            if total == BSN_DIGITS and passes_elfproef("".join(groups[start:end])):
                return True
            total -= len(group)
    return False


def _has_iban(plain: str) -> bool:
    """An IBAN of the right length for its country, passing mod-97, that ends where a group ends or where
    letters turn into digits (or back): "NL91 ABNA 0417 1643 00 en" and "NL91ABNA0417164300bij" are found."""
    groups = _ALNUM_RUN.findall(plain.upper())
    compact = "".join(groups)
    if not _IBAN_START.search(compact):
        return False
    ends: set[int] = set()
    position = 0
    for group in groups:
        position += len(group)
        ends.add(position)
    for found in _IBAN_START.finditer(compact):
        start = found.start()
        length = IBAN_LENGTHS.get(found.group(1))
        if length is None:
            continue
        end = start + length
        if end > len(compact):
            continue
        at_boundary = end in ends or compact[end - 1].isdigit() != compact[end].isdigit()
        if at_boundary and _valid_iban(compact[start:end]):
            return True
    return False


def contains_bsn(text: str) -> bool:
    return _has_bsn(normalise(text))


def contains_iban(text: str) -> bool:
    return _has_iban(normalise(text))


def contains_client_data(text: str) -> bool:
    """True when a text holds what looks like a BSN or an IBAN, however it is typed."""
    plain = normalise(text)
    digits = len(_DIGIT.findall(plain))
    return (digits >= BSN_DIGITS and _has_bsn(plain)) or (digits >= IBAN_MIN_DIGITS and _has_iban(plain))
