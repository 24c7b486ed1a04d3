"""Cells for spreadsheets: a text that Excel or LibreOffice would run as a formula is neutralised.

As OWASP advises against CSV injection: a cell that starts with = + - @, a tab or a carriage return gets a
single quote in front, so "=HYPERLINK(…)" or "=cmd|…" from a name someone registered is shown as text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet shows it literally; numbers and other non-text values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return QUOTE + value
    return value


def safe_row(row: Mapping[str, Any]) -> dict[str, Any]:
    return {column: safe_cell(value) for column, value in row.items()}


def read_cell(text: str) -> str:
    """The value written by `safe_cell`, as it was: an export can be imported again unchanged."""
    if text.startswith(QUOTE) and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
