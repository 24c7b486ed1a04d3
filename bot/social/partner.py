"""A partner on the social map, and the rules every partner field must meet (dialog and import alike)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from bot.language.privacy import contains_client_data

FIELD_LABELS = {
    "name": "naam",
    "organisation": "organisatie",
    "role": "functie of rol",
    "topics": "onderwerpen",
    "region": "werkgebied",
    "email": "e-mailadres",
    "phone": "telefoonnummer",
    "note": "notitie",
}
REQUIRED_FIELDS = ("name", "organisation", "topics")
REQUIRED_MESSAGES = {
    "name": "Een naam is verplicht.",
    "organisation": "Een organisatie is verplicht.",
    "topics": "Noem minstens één onderwerp, bijvoorbeeld: schuldhulpverlening; jongeren.",
}
MAX_LENGTH = {"name": 100, "organisation": 150, "role": 100, "topics": 400, "region": 100, "email": 254, "phone": 30, "note": 500}
TOPIC_SEPARATORS = re.compile(r"[;,\n]|\s+en\s+")

_EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


MONTHS = "januari februari maart april mei juni juli augustus september oktober november december".split()


def dutch_date(moment: datetime) -> str:
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


@dataclass(frozen=True, kw_only=True)
class Partner:
    id: int | None = None
    name: str
    organisation: str
    role: str = ""
    topics: tuple[str, ...] = ()
    region: str = ""
    email: str = ""
    phone: str = ""
    note: str = ""
    identities: tuple[str, ...] = ()
    consent_at: datetime | None = None
    consent_text: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    confirmed_at: datetime | None = None
    reminders_sent: int = 0
    hidden: bool = False

    def value(self, field: str) -> str:
        """A field as text, topics joined, the way it is shown to the user."""
        raw = getattr(self, field)
        return "; ".join(raw) if field == "topics" else str(raw or "")


@dataclass(frozen=True)
class Hit:
    """A partner found for a who-to-contact question."""

    partner: Partner
    in_region: bool
    stale: bool
    # The folded words of the partner's name (the search knows them), to tell whether the question named them.
    name_words: frozenset[str] = frozenset()


class FieldError(ValueError):
    """A value a user or an import file gave is not acceptable; the message is Dutch."""


class EmailTaken(Exception):
    """The e-mail address belongs to another entry on the social map; nothing was written."""


def split_topics(text: str) -> tuple[str, ...]:
    topics = [t.strip(" .") for t in TOPIC_SEPARATORS.split(text)]
    return tuple(dict.fromkeys(t for t in topics if t))


PHONE_NOT_DIGITS = "Een telefoonnummer bestaat uit cijfers, bijvoorbeeld 030-1234567, 06-12345678 of +32 470 12 34 56."
PHONE_NOT_DUTCH = "Dat is geen Nederlands telefoonnummer. Gebruik 10 cijfers, zoals 030-1234567 of 06-12345678."
PHONE_NOT_INTERNATIONAL = (
    "Dat is geen geldig buitenlands telefoonnummer. Schrijf het met + en het landnummer, 8 tot 15 cijfers, "
    "bijvoorbeeld +32 470 12 34 56."
)
# "+31 (0)30 …", "0032 (0)9 …": the trunk zero in brackets after a country code is not dialled from abroad.
_TRUNK_ZERO = re.compile(r"^(\+|00)(\d{1,3})\(0\)")
# ITU country codes of one and two digits; every other country code has three (E.164).
_SHORT_COUNTRY_CODES = frozenset(
    "1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66"
    " 81 82 84 86 90 91 92 93 94 95 98".split()
)


def normalise_phone(text: str) -> str:
    """A phone number in one readable form, or FieldError.

    Dutch: 10 digits starting with 0 (06…, 030…), +31 or 0031 followed by 9 digits (also "+31 (0)30 …"),
    and 0800/0900 numbers. Foreign: + or 00, the country code and 8 to 15 digits in all, kept as
    "+32 470123456".
    """
    compact = _TRUNK_ZERO.sub(r"+\2", re.sub(r"[\s.-]", "", text))
    compact = re.sub(r"[()]", "", compact)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith("+31"):
        compact = "0" + compact[3:]
    elif compact.startswith("+"):
        return _international(compact[1:])
    if not compact.isdigit():
        raise FieldError(PHONE_NOT_DIGITS)
    if compact.startswith(("0800", "0900", "0906", "0909")) and 8 <= len(compact) <= 11:
        return f"{compact[:4]}-{compact[4:]}"
    if len(compact) != 10 or not compact.startswith("0") or compact.startswith("00"):
        raise FieldError(PHONE_NOT_DUTCH)
    if compact.startswith("06"):
        return f"06-{compact[2:]}"
    area = 3 if compact[1] in "1234579" and compact[:3] in _THREE_DIGIT_AREAS else 4
    return f"{compact[:area]}-{compact[area:]}"


def _international(digits: str) -> str:
    """A foreign number (the digits after +) as "+<country code> <rest>"."""
    if not digits.isdigit():
        raise FieldError(PHONE_NOT_DIGITS)
    if not 8 <= len(digits) <= 15 or digits.startswith("0"):
        raise FieldError(PHONE_NOT_INTERNATIONAL)
    length = next((n for n in (1, 2) if digits[:n] in _SHORT_COUNTRY_CODES), 3)
    return f"+{digits[:length]} {digits[length:]}"


_THREE_DIGIT_AREAS = frozenset("010 013 015 020 023 024 026 030 033 035 036 038 040 043 045 046 050 053 055 058 070 071 072 073 074 075 076 077 078 079".split())


# Markup of any kind: an HTML tag ("<a href=//…>", "</b>"), a character reference ("&#58;", "&colon;"), or a
# markdown link or image. Teams shows replies as markdown and renders some HTML.
_MARKUP = re.compile(r"<\s*[a-z!/?]|&#?[a-z0-9]+;|\]\s*\(|!\[", re.IGNORECASE)
# A web address, also one without a scheme ("//aanvaller.example", "www.…").
_LINK = re.compile(r"://|www\.|(?:^|[\s\"'=(<\[])//[^\s/]", re.IGNORECASE)
NO_MARKUP = "Hier hoort geen opmaak in, zoals HTML of een link in markdown. Schrijf gewone tekst."
NO_LINKS = "Hier hoort geen webadres of link in. Zet een website eventueel in de notitie."
CLIENT_DATA_IN_FIELD = (
    "Hier lijkt een burgerservicenummer (BSN) of IBAN in te staan. Zulke cliëntgegevens bewaart ketenbot nooit: "
    "laat ze weg."
)


def clean_field(field: str, value: str) -> str | tuple[str, ...]:
    """Validate and normalise one field; raise FieldError with a Dutch explanation."""
    text = _CONTROL.sub(" ", value).strip()
    label = FIELD_LABELS[field]
    if not text:
        if field in REQUIRED_FIELDS:
            raise FieldError(REQUIRED_MESSAGES[field])
        return () if field == "topics" else ""
    if len(text) > MAX_LENGTH[field]:
        raise FieldError(f"{'Het' if field in ('email', 'phone') else 'De'} {label} is te lang (hoogstens {MAX_LENGTH[field]} tekens).")
    if contains_client_data(text):
        raise FieldError(CLIENT_DATA_IN_FIELD)
    if field != "email" and _MARKUP.search(text):
        raise FieldError(NO_MARKUP)
    if field not in ("email", "note") and _LINK.search(text):
        # A name like "Bel mij: www.…" would become a link on every platform.
        raise FieldError(NO_LINKS)
    if field == "email":
        if not _EMAIL.match(text):
            raise FieldError("Dat is geen geldig e-mailadres. Een e-mailadres ziet eruit als naam@organisatie.nl.")
        return text.lower()
    if field == "phone":
        return normalise_phone(text)
    if field == "topics":
        topics = split_topics(text)
        if not topics:
            raise FieldError(REQUIRED_MESSAGES["topics"])
        return topics
    if field == "name" and not re.search(r"[^\W\d_]{2,}", text):
        raise FieldError("Vul een naam in met letters, bijvoorbeeld Anouk de Vries.")
    return text
