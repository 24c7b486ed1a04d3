"""A test helper that talks to the core as a user types."""

from __future__ import annotations

from bot.core import handle
from bot.messages import Incoming, Reply
from bot.services import Services


class Conversation:
    """By default the user is a ketenpartner as their platform would vouch: the console always, Slack and
    Teams for a connected workspace or tenant; the web chat never (`vouched=False`)."""

    def __init__(self, services: Services, *, platform: str = "console", user: str = "tester", vouched: bool | None = None) -> None:
        self.services = services
        self.platform = platform
        self.user = user
        self.vouched = platform != "web" if vouched is None else vouched

    async def say(self, text: str) -> Reply:
        return (await self.replies(text))[-1]

    async def replies(self, text: str) -> list[Reply]:
        """Every reply to one message (a question answered inside a dialog gets two)."""
        return await handle(Incoming(platform=self.platform, user_id=self.user, text=text, vouched=self.vouched), self.services)

    async def click(self, value: str) -> Reply:
        replies = await handle(Incoming(platform=self.platform, user_id=self.user, action=value, vouched=self.vouched), self.services)
        return replies[-1]
