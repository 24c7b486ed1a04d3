""" "dashboard": a director gets a one-time link to the dashboard on `ketenbot serve`."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot.commitment.director import reply
from bot.messages import Reply

if TYPE_CHECKING:
    from bot.state import Turn

# How long a one-time link works, and the session it opens (the web side enforces them:
# adapters/web/dashboard/access.py); every text that names them is formatted from these.
LINK_MINUTES = 10
SESSION_HOURS = 8
LINK_VALIDITY = timedelta(minutes=LINK_MINUTES)
SESSION_LENGTH = timedelta(hours=SESSION_HOURS)
LINK = (
    "Hier is je link naar het dashboard:\n{url}\n\nDe link werkt één keer en is "
    f"{LINK_MINUTES} minuten geldig; daarna blijf je {SESSION_HOURS} uur aangemeld in die browser. Deel de link met"
    " niemand: wie hem opent, ziet het dashboard."
)
NO_DASHBOARD = "Het dashboard is hier niet beschikbaar. Vraag de beheerder van ketenbot om een link."


def dashboard_command(turn: Turn) -> Reply:
    issue = turn.services.dashboard_link
    if issue is None:
        return reply(NO_DASHBOARD, "dashboard")
    return reply(LINK.format(url=issue(turn.identity)), "dashboard")
