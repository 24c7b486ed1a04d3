"""Numbers as a Dutch reader writes them: 3,5 and 10.000 and 83%. JSON and CSV keep plain numbers."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


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
