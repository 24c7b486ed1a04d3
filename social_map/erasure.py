"""Forgetting a person (AVG, right to erasure): everything ketenbot keeps under their ids goes.

The partner row and its identities are the registry's; this removes what the other aggregates hold for the same
person, each with its own `forget`: check-in answers (including the free-text need) and absences, outbox
messages, platform addresses, the invitation they redeemed, the wrong codes they typed, their web session, and
conversation state (a half-finished registration holds name and e-mail). The full-text index is merged so that
the deleted terms do not linger in its segments either. Only the audit line stays.
"""

from __future__ import annotations

from social_map import (
    addresses,
    approvals,
    checkins,
    code_attempts,
    conversations,
    invitations,
    knelpunt_reports,
    outbox,
    preferences,
    web_sessions,
)
from social_map.database import Database


def erase_traces(db: Database, partner_id: int, identities: tuple[str, ...]) -> None:
    """Inside the caller's transaction: remove the person's rows from every table that names them."""
    checkins.forget(db, partner_id, identities)
    outbox.forget(db, identities)
    addresses.forget(db, identities)
    invitations.forget(db, identities)
    code_attempts.forget(db, identities)
    web_sessions.forget(db, identities)
    conversations.forget(db, identities)
    preferences.forget(db, partner_id)
    approvals.forget(db, partner_id)
    knelpunt_reports.forget(db, identities)
