"""Settings read once from the environment (names fixed in CONTRACT.md)."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_PORT = 3978
DEFAULT_STATE_TTL_MINUTES = 60
DEFAULT_CONFIRM_DAYS = 180
DEFAULT_REMINDER_DAYS = 3
DEFAULT_TICK_SECONDS = 30
# Check-in answers are kept two years, then purged.
DEFAULT_CHECKIN_RETENTION_DAYS = 730
# The local knowledge folder beside the database, when KETENBOT_KNOWLEDGE names no overlay: `ketenbot gaps link`
# writes there, and it is read after the base once it exists.
LOCAL_KNOWLEDGE_DIR = "kennis-lokaal"


class SettingsError(ValueError):
    """A configuration value is missing or malformed; the (Dutch) message names the variable."""


def bundled_knowledge_dir() -> Path:
    """The knowledge/ folder installed beside the bot package (source checkout or site-packages)."""
    return Path(__file__).resolve().parent.parent / "knowledge"


def _split_ids(value: str) -> frozenset[str]:
    return frozenset(part.strip() for part in value.split(",") if part.strip())


def _flag(environ: Mapping[str, str], name: str) -> bool:
    """An opt-in switch: "1" is on, unset or "0" is off; anything else stops start-up rather than guess."""
    raw = environ.get(name, "").strip()
    if raw not in ("", "0", "1"):
        raise SettingsError(f"{name} moet 1 (aan) of 0 (uit) zijn, niet {raw!r}")
    return raw == "1"


def _positive_int(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} moet een geheel getal zijn, niet {raw!r}") from exc
    if value <= 0:
        raise SettingsError(f"{name} moet groter dan 0 zijn, niet {value}")
    return value


MIN_PORT, MAX_PORT = 1, 65535


def port_problem(value: str) -> str | None:
    """Why `value` is not a TCP port number (Dutch), or None when it is one."""
    try:
        port = int(value.strip())
    except ValueError:
        return f"moet een geheel getal van {MIN_PORT} tot en met {MAX_PORT} zijn, niet {value!r}"
    if not MIN_PORT <= port <= MAX_PORT:
        return f"moet een getal van {MIN_PORT} tot en met {MAX_PORT} zijn, niet {port}"
    return None


def _port(environ: Mapping[str, str]) -> int:
    raw = environ.get("PORT", "").strip()
    if not raw:
        return DEFAULT_PORT
    problem = port_problem(raw)
    if problem:
        raise SettingsError(f"PORT {problem}")
    return int(raw)


def _networks(value: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    networks = []
    for part in sorted(_split_ids(value)):
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError as exc:
            raise SettingsError(
                f"KETENBOT_TRUSTED_PROXIES moet IP-adressen of netwerken bevatten (zoals 10.0.0.5 of 10.0.0.0/24), niet {part!r}"
            ) from exc
    return tuple(networks)


def _public_url(value: str | None) -> str:
    if value is None:
        return ""
    if not value.startswith(("http://", "https://")) or len(value.split("://", 1)[1].strip("/")) == 0:
        raise SettingsError(f"KETENBOT_PUBLIC_URL moet een webadres zijn dat begint met https://, niet {value!r}")
    return value.rstrip("/")


def _database_url(value: str | None) -> str | None:
    if value is not None and not value.startswith(("postgresql://", "postgres://")):
        raise SettingsError(f"DATABASE_URL moet beginnen met postgresql:// (of postgres://), niet {value.split(':', 1)[0]!r}")
    return value


@dataclass(frozen=True, kw_only=True)
class Settings:
    db_path: Path = Path("ketenbot.db")
    # PostgreSQL instead of the SQLite file (production, several instances); None: the embedded SQLite.
    database_url: str | None = None
    # The knowledge base, and the folders of local knowledge read after it in order (KETENBOT_KNOWLEDGE lists
    # them all, separated by os.pathsep): they add entries, override them or add example questions to them.
    knowledge_dir: Path = field(default_factory=bundled_knowledge_dir)
    knowledge_overlays: tuple[Path, ...] = ()
    directors: frozenset[str] = frozenset()
    port: int = DEFAULT_PORT
    state_ttl_minutes: int = DEFAULT_STATE_TTL_MINUTES
    confirm_days: int = DEFAULT_CONFIRM_DAYS
    reminder_days: int = DEFAULT_REMINDER_DAYS
    tick_seconds: int = DEFAULT_TICK_SECONDS
    checkin_retention_days: int = DEFAULT_CHECKIN_RETENTION_DAYS
    broadcast_channels: tuple[str, ...] = ()
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str | None = None
    microsoft_app_id: str | None = None
    microsoft_app_password: str | None = None
    microsoft_app_type: str | None = None
    microsoft_app_tenant_id: str | None = None
    # Without an app id: answer unauthenticated Teams activities from this machine only (Bot Framework Emulator).
    teams_emulator: bool = False
    # New self-registrations wait for a director's approval before contact answers show them.
    map_approval: bool = False
    # Teams tenants whose users are ketenpartners (besides the app's own tenant for a single-tenant app).
    teams_tenants: frozenset[str] = frozenset()
    # Slack workspaces (team ids) whose members are ketenpartners; empty: the workspace of SLACK_BOT_TOKEN.
    slack_workspaces: frozenset[str] = frozenset()
    public_url: str = ""
    # Reverse proxies whose X-Forwarded-For is believed (for rate limits per address); none by default.
    trusted_proxies: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    # Where the built matcher is kept between processes (adapters/matcher_cache.py); None: the user's cache folder.
    cache_dir: Path | None = None

    @property
    def database(self) -> Path | str:
        """The database to open: the PostgreSQL URL when set, else the SQLite file."""
        return self.database_url or self.db_path

    @property
    def base_url(self) -> str:
        """Where ketenbot is reached from outside, without a trailing slash (for links it sends)."""
        return self.public_url or f"http://localhost:{self.port}"

    @property
    def local_knowledge_dir(self) -> Path:
        """Where local additions are written (`ketenbot gaps link`): the first overlay, else the folder beside the
        database."""
        return self.knowledge_overlays[0] if self.knowledge_overlays else self.db_path.parent / LOCAL_KNOWLEDGE_DIR

    def knowledge_folders(self) -> tuple[Path, ...]:
        """The base and its overlays in the order they are read; the folder beside the database counts when no
        overlay is configured and it exists."""
        if self.knowledge_overlays or not self.local_knowledge_dir.is_dir():
            return (self.knowledge_dir, *self.knowledge_overlays)
        return (self.knowledge_dir, self.local_knowledge_dir)

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Build settings from an environment mapping; unset values take the embedded defaults."""

        def opt(name: str) -> str | None:
            value = environ.get(name, "").strip()
            return value or None

        knowledge = [Path(part) for part in environ.get("KETENBOT_KNOWLEDGE", "").split(os.pathsep) if part.strip()]
        settings = cls(
            db_path=Path(opt("KETENBOT_DB") or "ketenbot.db"),
            database_url=_database_url(opt("DATABASE_URL")),
            knowledge_dir=knowledge[0] if knowledge else bundled_knowledge_dir(),
            knowledge_overlays=tuple(knowledge[1:]),
            directors=_split_ids(environ.get("KETENBOT_DIRECTORS", "")),
            port=_port(environ),
            state_ttl_minutes=_positive_int(
                environ, "KETENBOT_STATE_TTL_MINUTES", DEFAULT_STATE_TTL_MINUTES
            ),
            confirm_days=_positive_int(environ, "KETENBOT_CONFIRM_DAYS", DEFAULT_CONFIRM_DAYS),
            reminder_days=_positive_int(environ, "KETENBOT_REMINDER_DAYS", DEFAULT_REMINDER_DAYS),
            tick_seconds=_positive_int(environ, "KETENBOT_TICK_SECONDS", DEFAULT_TICK_SECONDS),
            checkin_retention_days=_positive_int(
                environ, "KETENBOT_CHECKIN_RETENTION_DAYS", DEFAULT_CHECKIN_RETENTION_DAYS
            ),
            broadcast_channels=tuple(sorted(_split_ids(environ.get("KETENBOT_BROADCAST_CHANNELS", "")))),
            slack_bot_token=opt("SLACK_BOT_TOKEN"),
            slack_signing_secret=opt("SLACK_SIGNING_SECRET"),
            slack_app_token=opt("SLACK_APP_TOKEN"),
            slack_api_url=opt("SLACK_API_URL"),
            microsoft_app_id=opt("MICROSOFT_APP_ID"),
            microsoft_app_password=opt("MICROSOFT_APP_PASSWORD"),
            microsoft_app_type=opt("MICROSOFT_APP_TYPE"),
            microsoft_app_tenant_id=opt("MICROSOFT_APP_TENANT_ID"),
            teams_emulator=_flag(environ, "KETENBOT_TEAMS_EMULATOR"),
            map_approval=_flag(environ, "KETENBOT_MAP_APPROVAL"),
            teams_tenants=_split_ids(environ.get("KETENBOT_TEAMS_TENANTS", "")),
            slack_workspaces=_split_ids(environ.get("KETENBOT_SLACK_WORKSPACES", "")),
            public_url=_public_url(opt("KETENBOT_PUBLIC_URL")),
            trusted_proxies=_networks(environ.get("KETENBOT_TRUSTED_PROXIES", "")),
            cache_dir=Path(cache) if (cache := opt("KETENBOT_CACHE_DIR")) else None,
        )
        if settings.slack_bot_token and not settings.slack_signing_secret and not settings.slack_app_token:
            raise SettingsError("SLACK_SIGNING_SECRET is verplicht als SLACK_BOT_TOKEN is ingesteld")
        return settings
