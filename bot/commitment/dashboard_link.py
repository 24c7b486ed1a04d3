""" "dashboard": a director gets a one-time link to the dashboard on `ketenbot serve`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commitment.director import reply
from bot.messages import Reply

if TYPE_CHECKING:
    from bot.state import Turn

LINK = (
    "Hier is je link naar het dashboard:\n{url}\n\nDe link werkt één keer en is 10 minuten geldig; daarna blijf je"
    " 8 uur aangemeld in die browser. Deel de link met niemand: wie hem opent, ziet het dashboard."
)
NO_DASHBOARD = "Het dashboard is hier niet beschikbaar. Vraag de beheerder van ketenbot om een link."


def dashboard_command(turn: Turn) -> Reply:
    issue = turn.services.dashboard_link
    if issue is None:
        return reply(NO_DASHBOARD, "dashboard")
    return reply(LINK.format(url=issue(turn.identity)), "dashboard")
