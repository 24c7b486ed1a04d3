"""The chat page and its two assets, read once when the server is built, with strict security headers.

No inline script or style: the Content-Security-Policy allows only this origin's /chat.js and /chat.css,
and the script may talk only to this origin.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from string import Template

from aiohttp import web

from adapters.web.texts import PAGE

STATIC = Path(__file__).parent / "static"


def content_security_policy(*, form_action: str = "'none'") -> str:
    """Only this origin's files; forms go nowhere unless a page needs them to (the dashboard's go to itself)."""
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
        f"base-uri 'none'; form-action {form_action}; frame-ancestors 'none'"
    )


CONTENT_SECURITY_POLICY = content_security_policy()

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


@dataclass(frozen=True)
class Asset:
    body: bytes
    content_type: str

    def response(self) -> web.Response:
        headers = {**SECURITY_HEADERS, "Cache-Control": "no-cache"}
        return web.Response(body=self.body, content_type=self.content_type, charset="utf-8", headers=headers)


def render_page(template: str, texts: dict[str, str] = PAGE) -> str:
    """The page with every Dutch text filled in, escaped for HTML text and attributes."""
    return Template(template).substitute(
        {key: html.escape(value, quote=True) for key, value in texts.items()}
    )


def load_assets() -> dict[str, Asset]:
    """The page and its script and style sheet, by route."""
    page = render_page((STATIC / "index.html").read_text(encoding="utf-8"))
    return {
        "/": Asset(page.encode("utf-8"), "text/html"),
        "/chat.js": Asset((STATIC / "chat.js").read_bytes(), "text/javascript"),
        "/chat.css": Asset((STATIC / "chat.css").read_bytes(), "text/css"),
    }
