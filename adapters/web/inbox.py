"""The web chat's inbox: outbox messages for one session, handed to the page until the page acknowledges them.

Delivery to a browser is acknowledged, not assumed: GET /api/inbox lists what waits (each message with its
id) and changes nothing; the page shows it and then POSTs the ids to /api/inbox/ack, and only then are they
marked sent. A closed tab or a dropped connection before the acknowledgement loses nothing, and the
director's "voortgang" counts only what a person could have seen.
"""

from __future__ import annotations

from aiohttp import web

from adapters.web.payload import PayloadError, json_body, read_body
from social_map.outbox import Outbox

MAX_ACK_IDS = 100


def acknowledge(outbox: Outbox, identity: str, ids: list[int]) -> int:
    """Mark sent the acknowledged messages that wait for this person; ids of anyone else's are ignored."""
    own = {delivery.id for delivery in outbox.waiting_for(identity)}
    acknowledged = [delivery_id for delivery_id in dict.fromkeys(ids) if delivery_id in own]
    for delivery_id in acknowledged:
        outbox.sent(delivery_id)
    return len(acknowledged)


def parse_ack(body: bytes) -> list[int]:
    """The ids in a body `{"ids": [1, 2]}`."""
    data = json_body(body)
    ids = data.get("ids") if isinstance(data, dict) else None
    if not isinstance(ids, list) or len(ids) > MAX_ACK_IDS:
        raise PayloadError("bad_ack", limit=MAX_ACK_IDS)
    if not all(isinstance(value, int) and not isinstance(value, bool) and value > 0 for value in ids):
        raise PayloadError("bad_ack", limit=MAX_ACK_IDS)
    return ids


async def read_ack(request: web.Request) -> list[int]:
    # JSON only: a cross-site form cannot send it, so no other site can acknowledge (and so hide) messages.
    if request.content_type != "application/json":
        raise PayloadError("not_json")
    return parse_ack(await read_body(request))
