"""A test helper that talks to the core as a user types."""

from __future__ import annotations

from bot.core import handle
from bot.messages import Incoming, Reply
from bot.services import Services


class Conversation:
    def __init__(self, services: Services, *, platform: str = "console", user: str = "tester") -> None:
        self.services = services
        self.platform = platform
        self.user = user

    async def say(self, text: str) -> Reply:
        replies = await handle(Incoming(platform=self.platform, user_id=self.user, text=text), self.services)
        return replies[-1]

    async def click(self, value: str) -> Reply:
        replies = await handle(Incoming(platform=self.platform, user_id=self.user, action=value), self.services)
        return replies[-1]
