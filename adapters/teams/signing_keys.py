"""Fetching the Bot Framework's token signing keys without stalling the server.

botframework-connector refreshes its cached OpenID metadata (once a day, and when a token names an
unknown key) with `requests.get` and no timeout, inside the event loop: every Slack, Teams and web chat
request waits for that round trip, and forever if Microsoft's endpoint hangs. `install()` replaces that
refresh with an aiohttp one with a time limit; the cache and its rules stay the SDK's.
"""

from __future__ import annotations

from datetime import datetime

import aiohttp
from botframework.connector.auth import jwt_token_extractor

TIMEOUT_SECONDS = 10


async def _refresh(metadata: jwt_token_extractor._OpenIdMetadata) -> None:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)) as session:
        async with session.get(metadata.url) as response:
            response.raise_for_status()
            keys_url = (await response.json(content_type=None))["jwks_uri"]
        async with session.get(keys_url) as response:
            response.raise_for_status()
            keys = (await response.json(content_type=None))["keys"]
    metadata.keys = keys
    metadata.last_updated = datetime.now()


def install() -> None:
    jwt_token_extractor._OpenIdMetadata._refresh = _refresh  # type: ignore[method-assign]
