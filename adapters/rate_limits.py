"""Rate limits: one heavy client must not stall everyone. Per network address, per web session, per person.

The web chat answers a request over a limit with 429, Retry-After and a Dutch message; Slack and Teams get the
Dutch message as the reply. The address is the TCP peer's; behind a reverse proxy (KETENBOT_TRUSTED_PROXIES) it
is the last address in X-Forwarded-For that is not one of those proxies. The header is never trusted from
anyone else, since a client can write whatever it likes in it.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.clock import Clock
from bot.quota import Quota

if TYPE_CHECKING:
    from aiohttp import web

# Requests to the web chat's API per address per minute: an office behind one address still chats freely.
PER_ADDRESS = 300
# Requests per web session per minute: typing, the inbox poll (every 20 s) and its acknowledgements.
PER_SESSION = 60
# Messages per person per minute, on any platform: quicker than anyone types.
PER_PERSON = 30
MINUTE = timedelta(minutes=1)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class RateLimits:
    address: Quota
    session: Quota
    person: Quota

    @classmethod
    def build(cls, clock: Clock) -> RateLimits:
        return cls(
            address=Quota(PER_ADDRESS, MINUTE, clock=clock),
            session=Quota(PER_SESSION, MINUTE, clock=clock),
            person=Quota(PER_PERSON, MINUTE, clock=clock),
        )


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(request: web.Request, trusted_proxies: tuple[Network, ...]) -> str:
    """The address the request comes from, as far as it can be known."""
    peer = request.remote or ""
    hops = [peer]
    if trusted_proxies:
        forwarded = ",".join(request.headers.getall("X-Forwarded-For", []))
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()] + [peer]
    # From the nearest hop outward: the first that is not a trusted proxy is the client.
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return hop
        if not any(address in network for network in trusted_proxies):
            return str(address)
    return peer
