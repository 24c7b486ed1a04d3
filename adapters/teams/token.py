"""A cheap first look at the Authorization header, before the Bot Framework SDK validates the token.

Only the shape is checked here (`Bearer` + a JWT of three base64url parts whose header names an
algorithm); the signature, issuer, audience and expiry are the SDK's job. Anything else is refused
early, so malformed tokens never reach the SDK's code paths that raise unexpected exceptions.
"""

from __future__ import annotations

import base64
import binascii
import json
import re

MAX_TOKEN_LENGTH = 8192
_BASE64URL = re.compile(r"^[A-Za-z0-9_-]+$")


def _decode_json_part(part: str) -> object:
    padded = part + "=" * (-len(part) % 4)
    return json.loads(base64.urlsafe_b64decode(padded))


def looks_like_bearer_jwt(authorization: str) -> bool:
    """True when the header is `Bearer <header>.<payload>.<signature>` with JSON header and payload."""
    scheme, _, token = authorization.partition(" ")
    if scheme != "Bearer" or not token or len(token) > MAX_TOKEN_LENGTH:
        return False
    parts = token.split(".")
    if len(parts) != 3 or not all(_BASE64URL.match(part) for part in parts):
        return False
    try:
        header = _decode_json_part(parts[0])
        payload = _decode_json_part(parts[1])
    except (ValueError, binascii.Error):
        return False
    return isinstance(header, dict) and isinstance(header.get("alg"), str) and isinstance(payload, dict)
