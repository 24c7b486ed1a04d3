"""The one format of a chat identity, `platform:id` (as in KETENBOT_DIRECTORS and on the social map), and of the
conversation key built from it. Built and read here only: every other module asks these functions.
"""

from __future__ import annotations

SEPARATOR = ":"
CONVERSATION_SEPARATOR = "|"
DIRECT = "direct"


def identity(platform: str, user_id: str) -> str:
    """The identity of a user on a platform: `slack:U123`, `teams:29:abc`, `web:<session id>`."""
    return f"{platform}{SEPARATOR}{user_id}"


def platform_of(qualified: str) -> str:
    """`slack` for `slack:U123`."""
    return qualified.partition(SEPARATOR)[0]


def user_of(qualified: str) -> str:
    """`29:abc` for `teams:29:abc`: everything after the platform."""
    return qualified.partition(SEPARATOR)[2]


def conversation_key(qualified: str, conversation_id: str | None) -> str:
    """The key of one user's state in one conversation."""
    return f"{qualified}{CONVERSATION_SEPARATOR}{conversation_id or DIRECT}"


def conversation_prefix(qualified: str) -> str:
    """What every conversation key of this identity starts with (to forget them all)."""
    return f"{qualified}{CONVERSATION_SEPARATOR}"
