"""GET /dashboard and its access flow, against any store that keeps the `DashboardAccess` Protocol.

- GET /dashboard: the dashboard, for an open session of a director. Without one: 401 with a Dutch page, whose
  script opens a link (`/dashboard#toegang=TOKEN`) by posting its token. A session whose director is no
  director any more: 403, and the session ends.
- POST /dashboard/session: redeem a link's token once: a session cookie (HttpOnly, SameSite=Strict) and a
  redirect to /dashboard, without the token. A used, expired or unknown token: 401; no director: 403.
- POST /dashboard/sign-out: end the session.

Every POST is refused (403) unless it comes from this server's own pages: its Origin must be this server's,
and its Sec-Fetch-Site, when the browser sends one, "same-origin". The token is posted from the page, not
redeemed on the GET of the link, so the Strict cookie comes back on the redirect (a navigation from a chat
app is cross-site) and a link preview cannot use the link up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web

from adapters.web.dashboard.access import SESSION_LENGTH, DashboardAccess, DashboardSession, plausible_token
from adapters.web.dashboard.render import (
    DASHBOARD_ROUTE,
    SCRIPT_ROUTE,
    SESSION_ROUTE,
    SIGN_OUT_ROUTE,
    STYLESHEET_ROUTE,
    TOKEN_FIELD,
    render_dashboard,
    render_notice,
)
from adapters.web.dashboard.view import DashboardView
from adapters.web.page import SECURITY_HEADERS, Asset, content_security_policy
from adapters.web.session import host_cookies, is_secure, set_host_cookie
from bot.services import Directors

logger = logging.getLogger(__name__)

ViewSource = Callable[[], DashboardView]
STATIC = Path(__file__).parent / "static"
COOKIE_NAME = "ketenbot_dashboard"
HEADERS = {
    **SECURITY_HEADERS,
    "Content-Security-Policy": content_security_policy(form_action="'self'"),
    # Not no-referrer: under it a browser sends "Origin: null" with the page's own form posts, and the origin
    # check below could not tell them from another site's. same-origin never tells another site anything.
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
STATUS = {"no_session": 401, "link_refused": 401, "not_director": 403, "other_site": 403, "signed_out": 200}


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def from_own_page(request: web.Request, public_url: str | None) -> bool:
    """The request was sent by a page of this server: the browser says so in Origin and Sec-Fetch-Site.

    This server's origin is its public address (KETENBOT_PUBLIC_URL) or the one the browser addressed (scheme and
    Host): a page elsewhere cannot make a browser send either with its own Origin.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site != "same-origin":
        return False
    origin = request.headers.get("Origin", "").lower()
    own = {f"{'https' if is_secure(request) else 'http'}://{request.host}".lower()}
    if public_url:
        own.add(origin_of(public_url))
    return origin in own


def load_assets() -> dict[str, Asset]:
    return {
        STYLESHEET_ROUTE: Asset((STATIC / "dashboard.css").read_bytes(), "text/css"),
        SCRIPT_ROUTE: Asset((STATIC / "dashboard.js").read_bytes(), "text/javascript"),
    }


class Dashboard:
    """The handlers of the dashboard, bound to a store of links and sessions and a source of the view."""

    def __init__(
        self, store: DashboardAccess, view_source: ViewSource, *, directors: Directors, public_url: str | None
    ) -> None:
        self.store = store
        self.view_source = view_source
        self.directors = directors
        self.public_url = public_url
        self.assets = load_assets()

    def _session(self, request: web.Request) -> DashboardSession | None:
        for token in host_cookies(request, COOKIE_NAME):
            session = self.store.session(token) if plausible_token(token) else None
            if session is not None:
                return session
        return None

    @staticmethod
    def _notice(
        request: web.Request, kind: str, *, opener: bool = False, forget: bool = False
    ) -> web.Response:
        """A Dutch page of the access flow with its status; `forget` also clears the session cookie."""
        response = web.Response(
            text=render_notice(kind, opener=opener),
            status=STATUS[kind],
            content_type="text/html",
            charset="utf-8",
            headers=HEADERS,
        )
        if forget:
            set_host_cookie(response, request, COOKIE_NAME, "", max_age=0, samesite="Strict")
        return response

    def _ended(self, request: web.Request, session: DashboardSession) -> web.Response:
        """The session's director is no director (any more): the session ends here."""
        self.store.revoke(session.token)
        logger.info("dashboard refused: not a director")
        return self._notice(request, "not_director", forget=True)

    async def page(self, request: web.Request) -> web.Response:
        session = self._session(request)
        if session is None:
            return self._notice(request, "no_session", opener=True)
        if not self.directors.is_director(session.director):
            return self._ended(request, session)
        html = render_dashboard(self.view_source())
        return web.Response(text=html, content_type="text/html", charset="utf-8", headers=HEADERS)

    async def open(self, request: web.Request) -> web.Response:
        """Redeem a link's token, posted by the page that read it from the link's fragment."""
        if not from_own_page(request, self.public_url):
            logger.info("dashboard link refused: request from another site")
            return self._notice(request, "other_site")
        token = (await request.post()).get(TOKEN_FIELD)
        session = self.store.redeem(token) if isinstance(token, str) and plausible_token(token) else None
        if session is None:
            logger.info("dashboard link refused: unknown, used or expired")
            return self._notice(request, "link_refused")
        if not self.directors.is_director(session.director):
            return self._ended(request, session)
        logger.info("dashboard session opened")
        response = web.Response(status=303, headers={**HEADERS, "Location": DASHBOARD_ROUTE})
        set_host_cookie(
            response,
            request,
            COOKIE_NAME,
            session.token,
            max_age=int(SESSION_LENGTH.total_seconds()),
            samesite="Strict",
        )
        return response

    async def sign_out(self, request: web.Request) -> web.Response:
        if not from_own_page(request, self.public_url):
            logger.info("dashboard sign-out refused: request from another site")
            return self._notice(request, "other_site")
        session = self._session(request)
        if session is not None:
            self.store.revoke(session.token)
        return self._notice(request, "signed_out", forget=True)

    async def asset(self, request: web.Request) -> web.Response:
        return self.assets[request.path].response()


def setup_dashboard(
    app: web.Application,
    store: DashboardAccess,
    view_source: ViewSource,
    *,
    directors: Directors,
    public_url: str | None = None,
) -> None:
    """Mount the dashboard: GET /dashboard, POST /dashboard/session and /dashboard/sign-out, its style sheet and script."""
    dashboard = Dashboard(store, view_source, directors=directors, public_url=public_url)
    app.router.add_get(DASHBOARD_ROUTE, dashboard.page)
    app.router.add_post(SESSION_ROUTE, dashboard.open)
    app.router.add_post(SIGN_OUT_ROUTE, dashboard.sign_out)
    app.router.add_get(STYLESHEET_ROUTE, dashboard.asset)
    app.router.add_get(SCRIPT_ROUTE, dashboard.asset)
