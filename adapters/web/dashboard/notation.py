"""Numbers and dates as a Dutch reader writes them: 3,5 and 10.000 and 83% and "3 december 2026"."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from adapters.web.dashboard.texts import MOMENT, WEEK
from bot.language.dates import LOCAL, MONTHS


def decimal(value: float, digits: int = 1) -> str:
    """A decimal comma and `digits` decimals, rounded half up as people do (3,25 → 3,3, not Python's 3,2)."""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    sign = "-" if rounded < 0 else ""
    return sign + whole_number(int(whole)) + ("," + fraction if fraction else "")


def whole_number(value: int) -> str:
    """Thousands separated by a dot: 10.000."""
    return f"{value:,}".replace(",", ".")


def percent(fraction: float) -> str:
    """A fraction as a whole percentage: 0.8333 → 83%."""
    return decimal(100 * fraction, 0) + "%"


def day(value: date) -> str:
    """3 december 2026."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def short_day(value: date) -> str:
    """3-12-2026, for column heads where the month's name takes too much room."""
    return f"{value.day}-{value.month}-{value.year}"


def moment(value: datetime) -> str:
    """The Dutch local date and time: 23 november 2026 om 10:00."""
    local = value.astimezone(LOCAL)
    return MOMENT.format(day=day(local.date()), hour=local.hour, minute=local.minute)


def week(value: date) -> str:
    """The ISO week of a day: week 48 van 2026."""
    year, number, _ = value.isocalendar()
    return WEEK.format(number=number, year=year)
