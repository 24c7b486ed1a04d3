"""What the core needs from the outside world, passed in by the adapters (never imported)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from bot.clock import Clock
from bot.commitment.model import CheckinRequest, Milestone, Schedule
from bot.knowledge.model import KnowledgeBase
from bot.language.dates import Rhythm
from bot.quota import Quota
from bot.social.partner import Hit, Partner
from bot.understanding.gaps import KeptQuestion
from bot.understanding.library import Library
from bot.understanding.matcher import Matcher

if TYPE_CHECKING:
    from bot.social.access import Redeemed


class ConversationStore(Protocol):
    def load(self, key: str) -> dict[str, Any]: ...

    def save(self, key: str, state: dict[str, Any]) -> None: ...

    def clear(self, key: str) -> None: ...

    def purge_expired(self) -> int: ...


# (dedupe key, identity, payload): one message for the outbox (keys: bot/commitment/outbox_keys.py).
OutboxItem = tuple[str, str, dict[str, Any]]


class PartnerStore(Protocol):
    """The social map's registry as the core uses it (implemented in social_map/)."""

    def by_identity(self, identity: str) -> Partner | None: ...

    def by_email(self, email: str) -> Partner | None: ...

    def all(self, *, include_hidden: bool = True) -> list[Partner]: ...

    def save(
        self,
        partner: Partner,
        *,
        consent_text: str | None,
        conversation: tuple[str, dict[str, Any]] | None = None,
        waiting: bool = False,
    ) -> Partner: ...

    def get(self, partner_id: int) -> Partner | None: ...

    def update_field(self, identity: str, field: str, value: str | tuple[str, ...]) -> Partner | None: ...

    def confirm(self, identity: str) -> Partner | None: ...

    def delete(self, identity: str) -> bool: ...


class LinkStore(Protocol):
    """One-time codes that link a second chat identity to one's own entry (implemented in social_map/)."""

    def issue(self, identity: str) -> str | None: ...

    def redeem(self, identity: str, code: str) -> Redeemed: ...


class FreshnessStore(Protocol):
    """Asking partners whether their entry is still correct, and hiding the silent ones (social_map/)."""

    def due_for_reminder(self, *, max_age: timedelta, interval: timedelta, max_reminders: int) -> list[Partner]: ...

    def queue_prompts(self, prompts: list[tuple[Partner, OutboxItem]]) -> int:
        """Count the reminder of each partner and queue its question, in one transaction."""
        ...

    def hide_unanswered(self, *, max_reminders: int, grace: timedelta) -> list[int]: ...


class InvitationStore(Protocol):
    """A director's one-time invitations (implemented in social_map/)."""

    def issue(self, created_by: str, *, valid_for: timedelta) -> tuple[str, datetime]: ...

    def redeem(self, identity: str, typed: str) -> Redeemed: ...

    def accepted(self, identity: str) -> bool: ...


class PartnerDirectory(Protocol):
    """Searching the social map (implemented in social_map/)."""

    def view(self) -> PartnerDirectory:
        """The map as it stands for one message: looked at once, then read from memory."""
        ...

    def place_in(self, folded: str) -> str | None: ...

    def is_place(self, word: str) -> bool: ...

    def search(self, topic_words: list[str], place: str | Sequence[str] | None = None, *, limit: int = 5) -> list[Hit]: ...

    def nearest_topics(self, topic_words: list[str], *, limit: int = 5) -> list[str]: ...

    def people_words(self) -> frozenset[str]:
        """The folded words of every name on the map (bot/language/scrub.py `name_words`)."""
        ...


class Directors(Protocol):
    def is_director(self, identity: str) -> bool: ...

    def listed(self) -> list[tuple[str, str]]: ...


class ApprovalStore(Protocol):
    def status(self, partner_id: int) -> str | None: ...

    def waiting(self) -> list[int]: ...

    def notify(self, items: list[OutboxItem]) -> int: ...

    def decide(self, partner_id: int, approved: bool, *, by: str, notice: OutboxItem) -> bool: ...


class CheckinStore(Protocol):
    def schedule(self) -> Schedule | None: ...

    def set_schedule(self, rhythm: Rhythm, next_at: datetime, *, reminder_days: int, by: str) -> None: ...

    def start_cycle(
        self, due_at: datetime, partners: list[tuple[int, str, str]], *, next_at: datetime | None
    ) -> tuple[int, list[CheckinRequest]]: ...

    def open_for(self, identity: str) -> CheckinRequest | None: ...

    def record(self, request_id: int, *, reminder: dict[str, Any] | None = None, **fields: Any) -> None: ...

    def due_reminders(self, reminder_days: int) -> list[CheckinRequest]: ...

    def queue_reminders(self, reminders: list[tuple[int, OutboxItem]]) -> int:
        """Mark each request (by id) reminded and queue its reminder, in one transaction."""
        ...

    def set_away(self, identity: str, until: datetime) -> None: ...

    def announce_away(
        self, identities: Iterable[str], until: datetime, *, request_id: int | None = None, **fields: Any
    ) -> None: ...

    def away(self) -> dict[str, datetime]: ...

    def cycles(self, limit: int = 6) -> list[tuple[int, datetime, list[CheckinRequest]]]: ...

    def newcomers(self, cycle_id: int) -> set[int]: ...

    def purge(self, before: datetime) -> int: ...


class MilestoneStore(Protocol):
    def add(self, title: str, *, due_on: str = "", description: str = "") -> Milestone: ...

    def all(self) -> list[Milestone]: ...

    def find(self, words: str) -> Milestone | None: ...

    def mark_reached(self, milestone_id: int) -> None: ...

    def find_exact(self, words: str) -> Milestone | None: ...

    def celebrate(self, milestone_id: int, *, created_by: str, messages: list[tuple[str, dict[str, Any]]]) -> int | None:
        """Mark it celebrated, make its broadcast and queue the messages, in one transaction (None: it was already)."""
        ...


class Outbox(Protocol):
    def enqueue(self, items: list[OutboxItem], *, broadcast_id: int | None = None, not_before: datetime | None = None) -> int: ...

    def progress(self, broadcast_id: int) -> dict[str, int]: ...

    def maybe_twice(self, broadcast_id: int) -> int: ...

    def latest_broadcast(self) -> tuple[int, str] | None: ...

    def waiting_personal(self) -> int: ...


class PreferenceStore(Protocol):
    def set_celebrations(self, partner_id: int, wanted: bool) -> None: ...

    def wants_celebrations(self, partner_id: int) -> bool: ...

    def without_celebrations(self) -> set[int]: ...


class KnelpuntReportStore(Protocol):
    def add(self, reporter: str, organisation: str, *, stuck: str, between: str, since: str) -> Any: ...

    def get(self, report_id: int) -> Any: ...

    def recent(self, limit: int = 20) -> list[Any]: ...

    def answer(self, report_id: int, text: str, *, by: str, key: str, payload: dict[str, Any]) -> bool: ...


class QuestionCounter(Protocol):
    def count(self, platform: str, day: date) -> None: ...


class GapStore(Protocol):
    """Kept questions of the knowledge-gap loop, already scrubbed (implemented in social_map/)."""

    def kept(self, *, since: datetime | None = None) -> list[KeptQuestion]: ...

    def keep(self, identity: str, question: str, terms: tuple[str, ...], *, reason: str, guess: str | None,
             score: float, theme_id: int | None) -> int: ...

    def remove_theme(self, theme_id: int) -> list[str]: ...

    def forget(self, identity: str) -> int: ...


@dataclass(frozen=True, kw_only=True)
class Services:
    # The knowledge in use with its matcher; "kennis herladen" or SIGHUP replaces it whole.
    library: Library
    conversations: ConversationStore
    partners: PartnerStore
    links: LinkStore
    freshness: FreshnessStore
    directory: PartnerDirectory
    clock: Clock
    directors: Directors
    checkins: CheckinStore
    milestones: MilestoneStore
    outbox: Outbox
    invitations: InvitationStore
    preferences: PreferenceStore
    knelpunt_reports: KnelpuntReportStore
    approvals: ApprovalStore
    gaps: GapStore
    # Contact searches per person (bot/social/contact.py): the map is looked up, not harvested.
    contact_searches: Quota
    public_url: str = "http://localhost:3978"
    # Where CPU-heavy reading runs (bot/core.py `in_worker`); None: asyncio's default thread pool.
    worker: Executor | None = None
    broadcast_channels: tuple[str, ...] = ()
    reminder_days: int = 3
    confirm_after: timedelta = timedelta(days=180)
    checkin_retention_days: int = 730
    # A director's one-time link to the dashboard (its full address); None where no dashboard is served.
    dashboard_link: Callable[[str], str] | None = None
    # Questions counted per week and platform for the dashboard (never their text); None: not counted.
    questions: QuestionCounter | None = None
    # KETENBOT_MAP_APPROVAL=1: new self-registrations wait for a director's approval.
    map_approval: bool = False

    @property
    def knowledge(self) -> KnowledgeBase:
        return self.library.knowledge

    @property
    def matcher(self) -> Matcher:
        return self.library.matcher
