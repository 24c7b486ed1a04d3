"""What the core needs from the outside world, passed in by the adapters (never imported)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from bot.clock import Clock
from bot.knowledge import KnowledgeBase
from bot.matcher import Matcher
from bot.partner import Hit, Partner


class ConversationStore(Protocol):
    def load(self, key: str) -> dict[str, Any]: ...

    def save(self, key: str, state: dict[str, Any]) -> None: ...

    def clear(self, key: str) -> None: ...


class PartnerStore(Protocol):
    """The social map's registry as the core uses it (implemented in social_map/)."""

    def by_identity(self, identity: str) -> Partner | None: ...

    def by_email(self, email: str) -> Partner | None: ...

    def save(self, partner: Partner, *, consent_text: str | None) -> Partner: ...

    def update_field(self, identity: str, field: str, value: str | tuple[str, ...]) -> Partner | None: ...

    def confirm(self, identity: str) -> Partner | None: ...

    def delete(self, identity: str) -> bool: ...


class PartnerDirectory(Protocol):
    """Searching the social map (implemented in social_map/)."""

    def place_in(self, text: str) -> str | None: ...

    def search(self, topic_words: list[str], place: str | None = None, *, limit: int = 5) -> list[Hit]: ...

    def nearest_topics(self, topic_words: list[str], *, limit: int = 5) -> list[str]: ...


@dataclass(frozen=True, kw_only=True)
class Services:
    knowledge: KnowledgeBase
    matcher: Matcher
    conversations: ConversationStore
    partners: PartnerStore
    directory: PartnerDirectory
    clock: Clock
    directors: frozenset[str] = frozenset()
