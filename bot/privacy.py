"""Recognises client data that must never be stored: Dutch citizen numbers (BSN) and IBANs.

Both are looked for however they are typed: "111222333", "111-222-333", "bsn: 11 12 22 333",
"NL91ABNA0417164300", "NL91 ABNA 0417 1643 00", "NL91-ABNA-0417-1643-00".
"""

from __future__ import annotations

import re

# Digit groups joined by single separators: "111-222-333", "1112 22 333", "0612345678 111222333".
_DIGIT_RUN = re.compile(r"(?<![\w])\d+(?:[ ./-]\d+)*(?![\w])")
_GROUP_SEPARATOR = re.compile(r"[ ./-]")
# Letter-digit groups joined by spaces or dashes, starting with a country code and two check digits.
_IBAN_RUN = re.compile(r"\b[A-Za-z]{2}[ -]?\d{2}(?:[ \t-]*[A-Za-z0-9]+)+")
_IBAN_GROUP = re.compile(r"[A-Za-z0-9]+")
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


def passes_elfproef(digits: str) -> bool:
    """The BSN eleven test: 9*d1 + 8*d2 + … + 2*d8 - 1*d9 is a multiple of 11 (and not zero)."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))
    return total != 0 and total % 11 == 0


def _valid_iban(compact: str) -> bool:
    if len(compact) != IBAN_LENGTHS.get(compact[:2]) or not compact[2:4].isdigit():
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def contains_bsn(text: str) -> bool:
    """A run of digit groups holds nine consecutive-group digits that pass the eleven test."""
    for run in _DIGIT_RUN.finditer(text):
        groups = _GROUP_SEPARATOR.split(run.group(0))
        for start in range(len(groups)):
            digits = ""
            for group in groups[start:]:
                digits += group
                if len(digits) >= 9:
                    break
            if len(digits) == 9 and passes_elfproef(digits):
                return True
    return False


def contains_iban(text: str) -> bool:
    """An IBAN ends where one of its groups ends: "NL91 ABNA 0417 1643 00 en" is found, "en" left out."""
    for run in _IBAN_RUN.finditer(text):
        compact = ""
        for group in _IBAN_GROUP.findall(run.group(0)):
            compact += group.upper()
            if len(compact) > 34:
                break
            if _valid_iban(compact):
                return True
    return False


def contains_client_data(text: str) -> bool:
    """True when a text holds what looks like a BSN or an IBAN."""
    return contains_bsn(text) or contains_iban(text)
