"""What the core needs from the outside world, passed in by the adapters (never imported)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from bot.clock import Clock
from bot.knowledge import KnowledgeBase
from bot.matcher import Matcher


class ConversationStore(Protocol):
    def load(self, key: str) -> dict[str, Any]: ...

    def save(self, key: str, state: dict[str, Any]) -> None: ...

    def clear(self, key: str) -> None: ...


@dataclass(frozen=True, kw_only=True)
class Services:
    knowledge: KnowledgeBase
    matcher: Matcher
    conversations: ConversationStore
    clock: Clock
    directors: frozenset[str] = frozenset()
