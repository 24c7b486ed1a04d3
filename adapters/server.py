"""`ketenbot serve`: one aiohttp application with Slack, Teams, the web chat and a health check.

Nothing is built at import time: `create_app(settings)` builds it all, and its cleanup closes the database.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import sys
import threading

from aiohttp import web

from adapters import log_privacy
from adapters.delivery import Scheduler, Sender
from adapters.rate_limits import RateLimits
from adapters.slack.app import SOCKET, setup_slack
from adapters.teams.app import EMULATOR, LOOPBACK, setup_teams, teams_mode
from adapters.web.chat import setup_web
from adapters.web.dashboard.app import setup_dashboard
from adapters.web.errors import dutch_route_errors
from adapters.wiring import Runtime, build_runtime
from bot.clock import Clock
from bot.config import Settings
from bot.understanding.matcher import Matcher
from social_map.database import shown_url

logger = logging.getLogger(__name__)

RUNTIME = web.AppKey("runtime", Runtime)
SETTINGS = web.AppKey("settings", Settings)
SCHEDULER = web.AppKey("scheduler", Scheduler)
SWITCH_INTERVAL = 0.0005


async def healthz(request: web.Request) -> web.Response:
    """200 with a small status: database reachable, knowledge loaded, platforms configured, this instance's name
    and whether it holds the scheduler (of several instances on one PostgreSQL, one does)."""
    runtime = request.app[RUNTIME]
    settings = request.app[SETTINGS]
    try:
        runtime.db.execute("SELECT 1").fetchone()
        database = "ok"
    except Exception:
        logger.exception("health check: database unreachable")
        database = "unreachable"
    status = {
        "status": "ok" if database == "ok" else "degraded",
        "database": database,
        "knowledge_entries": len(runtime.services.knowledge),
        "instance": request.app[SCHEDULER].instance,
        "scheduler": request.app[SCHEDULER].holds,
        "platforms": {
            "slack": "socket" if settings.slack_app_token else ("http" if settings.slack_bot_token else "off"),
            "teams": teams_mode(settings),
            "web": "on",
        },
    }
    if SOCKET in request.app:
        status["slack_socket"] = "connected" if await request.app[SOCKET].connected() else "connecting"
    return web.json_response(status, status=200 if database == "ok" else 503)


def create_app(settings: Settings, *, clock: Clock | None = None, matcher: Matcher | None = None) -> web.Application:
    """Build the whole server for these settings; `matcher` is one already built for the same knowledge base
    (tests share one, since building it is most of the start-up time)."""
    app = web.Application(client_max_size=1024 * 1024, middlewares=[dutch_route_errors])
    runtime = build_runtime(settings, clock=clock, matcher=matcher)
    app[RUNTIME] = runtime
    app[SETTINGS] = settings
    app.router.add_get("/healthz", healthz)
    limits = RateLimits.build(runtime.services.clock)
    setup_web(app, runtime, limits=limits, trusted_proxies=settings.trusted_proxies)
    setup_dashboard(
        app, runtime.dashboard, runtime.dashboard_view, directors=runtime.directors, public_url=settings.public_url or None
    )
    slack = setup_slack(app, runtime, settings, per_person=limits.person)
    senders: list[Sender] = [s for s in (slack, setup_teams(app, runtime, settings, per_person=limits.person)) if s]
    scheduler = Scheduler(
        runtime.services, runtime.outbox, senders, clock=runtime.services.clock, seconds=settings.tick_seconds, instance=instance_name()
    )
    app[SCHEDULER] = scheduler

    switch_interval = sys.getswitchinterval()

    async def start(_app: web.Application) -> None:
        # Reading a message runs on a worker thread (bot/core.py `in_worker`). Python lets a thread that
        # computes keep the interpreter for the switch interval (5 ms) before the event loop gets a turn, and
        # the loop gives it up at every socket call: with 200 long messages queued, a health check waited
        # seconds. Switching every half millisecond keeps the loop answering within milliseconds (a few percent
        # slower reading; measured in bench/heavy_load_bench.py).
        sys.setswitchinterval(SWITCH_INTERVAL)
        scheduler.start()

    async def close(_app: web.Application) -> None:
        await scheduler.stop()
        runtime.close()
        sys.setswitchinterval(switch_interval)

    app.on_startup.append(start)
    app.on_cleanup.append(close)
    return app


def instance_name() -> str:
    """This server among several: the platform's name for it (Heroku's DYNO) or host and process id."""
    return os.environ.get("DYNO") or f"{socket.gethostname()}:{os.getpid()}"


def listen_host(settings: Settings) -> str | None:
    """Where `ketenbot serve` listens: every interface, or only this machine while Teams is unauthenticated."""
    return LOOPBACK if teams_mode(settings) == EMULATOR else None


async def _reload_on_hangup(app: web.Application) -> None:
    """SIGHUP reloads the knowledge off the event loop; a broken file keeps the knowledge in use (logged)."""
    loop = asyncio.get_running_loop()
    library = app[RUNTIME].services.library
    loop.add_signal_handler(signal.SIGHUP, lambda: loop.run_in_executor(None, library.reload))


LOOPBACK_NAMES = (LOOPBACK, "localhost", "::1")
LISTENING = "ketenbot luistert op http://{address}:{port}/ ({where}); database: {database}"


def host_problem(settings: Settings, host: str | None) -> str | None:
    """Why `ketenbot serve --host` may not listen there (Dutch), or None: unauthenticated Teams stays on loopback."""
    if host and listen_host(settings) and host not in LOOPBACK_NAMES:
        return (
            f"Met KETENBOT_TEAMS_EMULATOR=1 luistert ketenbot alleen op deze machine ({LOOPBACK}), niet op {host}:"
            " Teams-berichten worden dan niet gecontroleerd."
        )
    return None


def listening_line(settings: Settings, host: str | None, port: int) -> str:
    """The line `ketenbot serve` prints once it listens: where, and which database file it uses."""
    where = "alleen deze machine" if host in LOOPBACK_NAMES else ("alle adressen van deze machine" if not host else host)
    database = shown_url(settings.database_url) if settings.database_url else settings.db_path.resolve()
    return LISTENING.format(address=host or "0.0.0.0", port=port, where=where, database=database)


def serve(settings: Settings, port: int | None = None, *, host: str | None = None) -> None:
    """Run until SIGINT/SIGTERM; aiohttp finishes running requests before cleanup (graceful shutdown)."""
    log_privacy.install()
    host = host or listen_host(settings)
    if listen_host(settings):
        logger.warning(
            "KETENBOT_TEAMS_EMULATOR=1: listening on %s only (Slack, Teams and the web chat alike); nobody on another"
            " machine can reach this server", host,
        )
    port = port or settings.port
    app = create_app(settings)
    app.on_startup.append(_reload_on_hangup)
    # The sentence encoder and the entries' vectors (bot/understanding/meaning.py) load while the server starts.
    threading.Thread(target=app[RUNTIME].services.matcher.meaning.warm_up, name="meaning-warm-up", daemon=True).start()
    # aiohttp calls `print` once every site listens, so the line is only printed when it is true.
    web.run_app(
        app, host=host, port=port, shutdown_timeout=10,
        print=lambda _started: print(listening_line(settings, host, port), flush=True),
    )
