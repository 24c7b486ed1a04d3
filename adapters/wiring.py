"""Builds the core's services from settings: the composition root shared by every entry point."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from adapters.matcher_cache import cached_matcher
from adapters.web.dashboard.access import link_url
from adapters.web.dashboard.store import StoredDashboardAccess
from bot.clock import Clock, SystemClock
from bot.config import Settings, bundled_knowledge_dir
from bot.knowledge.layers import load_layers
from bot.knowledge.loader import KnowledgeError
from bot.language.lexicon import LANGUAGE_DIR, lexicon_problems, load_lexicon
from bot.quota import Quota
from bot.services import Services
from bot.social.contact import SEARCHES_PER_HOUR
from bot.understanding.library import Library
from bot.understanding.matcher import Matcher
from social_map.addresses import AddressBook
from social_map.approvals import Approvals
from social_map.checkins import CheckinStore
from social_map.conversations import ConversationStore
from social_map.dashboard_access import DashboardLinks
from social_map.dashboard_figures import DashboardFigures
from social_map.database import Database, open_database
from social_map.directors import DirectorRoster
from social_map.freshness import Freshness
from social_map.gaps import GapStore
from social_map.invitations import Invitations
from social_map.knelpunt_reports import KnelpuntReports
from social_map.linking import Linking
from social_map.milestones import MilestoneStore
from social_map.outbox import Outbox
from social_map.partners import PartnerRegistry
from social_map.preferences import Preferences
from social_map.question_counts import QuestionCounts
from social_map.search import PartnerSearch, partner_index

if TYPE_CHECKING:
    from adapters.web.dashboard.source import DashboardSource


@dataclass(frozen=True)
class Runtime:
    services: Services
    db: Database
    addresses: AddressBook
    outbox: Outbox
    directors: DirectorRoster
    invitations: Invitations
    dashboard: StoredDashboardAccess

    @cached_property
    def dashboard_view(self) -> DashboardSource:
        """The dashboard's figures, built when the dashboard is first shown: `ketenbot ask` never loads it."""
        from adapters.web.dashboard.source import DashboardSource

        assert self.services.questions is not None
        return DashboardSource(DashboardFigures(self.db), self.services.questions, self.services)

    def close(self) -> None:
        if self.services.worker is not None:
            self.services.worker.shutdown(wait=True, cancel_futures=True)
        self.db.close()

    def __enter__(self) -> Runtime:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def build_matcher(settings: Settings) -> Matcher:
    """The matcher for the settings' knowledge base and its local knowledge. Building it is most of the start-up
    time, so a process that builds several runtimes on the same files (the test suite, a benchmark, commands run
    in one process) builds it once; a changed, added or removed file makes a new one."""
    folders = settings.knowledge_folders()
    signatures = tuple(_signature(folder) for folder in folders)
    return _matcher(folders, signatures, _signature(bundled_knowledge_dir() / LANGUAGE_DIR), settings.cache_dir)


def _signature(directory: Path) -> tuple[tuple[str, int, int], ...]:
    """Every YAML file below the folder with its size and modification time."""
    files = sorted(directory.rglob("*.y*ml")) if directory.is_dir() else []
    return tuple((str(path), (stat := path.stat()).st_size, stat.st_mtime_ns) for path in files)


@lru_cache(maxsize=4)
def _matcher(folders: tuple[Path, ...], _files: object, _language_files: object, cache_dir: Path | None) -> Matcher:
    # The language files come from the base, falling back to the bundled ones (bot/language/lexicon.py).
    # Across processes the built matcher is kept on disk (adapters/matcher_cache.py).
    return cached_matcher(folders, cache_dir, lambda: _build(folders))


def _build(folders: tuple[Path, ...]) -> Matcher:
    """The matcher from the knowledge and the language files; a broken language file is a KnowledgeError with
    its Dutch problems (file, line), like a broken entry, never a crash halfway through reading it."""
    problems = lexicon_problems(folders[0])
    if problems:
        raise KnowledgeError(problems)
    return Matcher(load_layers(folders), load_lexicon(folders[0]))


def build_runtime(settings: Settings, *, clock: Clock | None = None, matcher: Matcher | None = None) -> Runtime:
    """Load the knowledge base, open the database and tie them into Services."""
    clock = clock or SystemClock()
    matcher = matcher or build_matcher(settings)
    db = open_database(settings.database)
    lexicon = matcher.lexicon
    conversations = ConversationStore(db, clock=clock, ttl=timedelta(minutes=settings.state_ttl_minutes))
    index = partner_index(db, lexicon=lexicon)
    registry = PartnerRegistry(db, clock=clock, index=index, conversations=conversations)
    outbox = Outbox(db, clock=clock)
    directors = DirectorRoster(db, clock=clock, configured=settings.directors)
    invitations = Invitations(db, clock=clock)
    dashboard = StoredDashboardAccess(DashboardLinks(db, clock=clock), clock=clock)
    questions = QuestionCounts(db)
    services = Services(
        partners=registry,
        links=Linking(db, clock=clock, partners=registry),
        freshness=Freshness(db, clock=clock, partners=registry, outbox=outbox),
        directory=PartnerSearch(registry, index, clock=clock, lexicon=lexicon, stale_after=timedelta(days=settings.confirm_days)),
        library=Library(matcher, rebuild=lambda: build_matcher(settings)),
        conversations=conversations,
        clock=clock,
        directors=directors,
        checkins=CheckinStore(db, clock=clock, outbox=outbox),
        milestones=MilestoneStore(db, clock=clock, outbox=outbox),
        outbox=outbox,
        invitations=invitations,
        preferences=Preferences(db, clock=clock),
        knelpunt_reports=KnelpuntReports(db, clock=clock, outbox=outbox),
        approvals=Approvals(db, clock=clock, outbox=outbox),
        map_approval=settings.map_approval,
        gaps=GapStore(db, clock=clock),
        contact_searches=Quota(SEARCHES_PER_HOUR, timedelta(hours=1), clock=clock),
        public_url=settings.base_url,
        # One thread: reading is pure Python, so more threads would only take turns at the interpreter lock
        # with the event loop; one leaves the loop a turn every switch interval (set in adapters/server.py).
        worker=ThreadPoolExecutor(max_workers=1, thread_name_prefix="ketenbot-reading"),
        broadcast_channels=settings.broadcast_channels,
        reminder_days=settings.reminder_days,
        confirm_after=timedelta(days=settings.confirm_days),
        checkin_retention_days=settings.checkin_retention_days,
        dashboard_link=lambda director: link_url(settings.base_url, dashboard.issue_link(director)),
        questions=questions,
    )
    return Runtime(services, db, AddressBook(db, clock=clock), outbox, directors, invitations, dashboard)
