"""Recognises client data that must never be stored: Dutch citizen numbers (BSN) and IBANs."""

from __future__ import annotations

import re

_NINE_DIGITS = re.compile(r"(?<!\d)(\d{9}|\d{4}[ .]\d{2}[ .]\d{3}|\d{3}[ .]\d{3}[ .]\d{3}|\d{2}[ .]\d{3}[ .]\d{2}[ .]\d{2})(?!\d)")
_IBAN = re.compile(r"\b([A-Z]{2}\d{2}(?:\s?[A-Z0-9]){11,30})\b", re.IGNORECASE)


def passes_elfproef(digits: str) -> bool:
    """The BSN eleven test: 9*d1 + 8*d2 + … + 2*d8 - 1*d9 is a multiple of 11 (and not zero)."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))
    return total != 0 and total % 11 == 0


def _valid_iban(candidate: str) -> bool:
    compact = re.sub(r"\s", "", candidate).upper()
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


def contains_bsn(text: str) -> bool:
    return any(passes_elfproef(re.sub(r"\D", "", m.group(0))) for m in _NINE_DIGITS.finditer(text))


def contains_iban(text: str) -> bool:
    return any(_valid_iban(m.group(1)) for m in _IBAN.finditer(text))


def contains_client_data(text: str) -> bool:
    """True when a message holds what looks like a BSN or an IBAN."""
    return contains_bsn(text) or contains_iban(text)
