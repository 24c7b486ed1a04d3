"""Numbers and dates as a Dutch reader writes them: 3,5 and 10.000 and 83% and "3 december 2026"."""

from __future__ import annotations

from datetime import date, datetime

from adapters.web.dashboard.texts import MOMENT, WEEK
from bot.language.dates import LOCAL, MONTHS
from bot.language.numbers import decimal, percent, whole_number

__all__ = ["day", "decimal", "moment", "percent", "short_day", "week", "whole_number"]


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
