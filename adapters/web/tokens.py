"""What is stored of a secret token (a web chat session, a dashboard link or session): its SHA-256, never the
token itself. Kept apart from the web server's modules so that a command-line start does not import aiohttp."""

from __future__ import annotations

import hashlib


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()
