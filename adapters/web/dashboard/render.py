"""The dashboard page and the pages of its access flow, as HTML: pure functions of the view and the texts.

No inline script or style (the Content-Security-Policy forbids both): the page links its style sheet, and
the access page its one same-origin script, which opens a link's token from the address's fragment.
"""

from __future__ import annotations

from adapters.web.dashboard import notation
from adapters.web.dashboard.markup import esc, paragraph
from adapters.web.dashboard.sections import SECTIONS
from adapters.web.dashboard.texts import HEADINGS, NOTICE_PAGE, NOTICES, PAGE
from adapters.web.dashboard.view import DashboardView

DASHBOARD_ROUTE = "/dashboard"
SESSION_ROUTE = "/dashboard/session"
SIGN_OUT_ROUTE = "/dashboard/sign-out"
STYLESHEET_ROUTE = "/dashboard.css"
SCRIPT_ROUTE = "/dashboard.js"
# The form field, and the fragment of a link (/dashboard#toegang=…), that carry a one-time link's token.
TOKEN_FIELD = "token"


def _document(title: str, body: str, *, script: bool = False) -> str:
    script_tag = f'<script src="{SCRIPT_ROUTE}" defer></script>' if script else ""
    return (
        '<!doctype html>\n<html lang="nl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="same-origin">'
        f'<title>{esc(title)}</title><link rel="stylesheet" href="{STYLESHEET_ROUTE}">{script_tag}</head>'
        f'<body><a class="skip" href="#inhoud">{esc(PAGE["skip"])}</a>{body}</body></html>\n'
    )


def _navigation() -> str:
    links = "".join(f'<li><a href="#{key}">{esc(heading)}</a></li>' for key, heading in HEADINGS.items())
    return (
        f'<nav class="sections" aria-label="{esc(PAGE["nav"])}"><ul>{links}</ul></nav>'
        f'<form class="sign-out" method="post" action="{SIGN_OUT_ROUTE}"><button type="submit">{esc(PAGE["sign_out"])}</button></form>'
    )


def render_dashboard(view: DashboardView) -> str:
    """The whole dashboard: a header with the sections' links, every section, and a footer."""
    updated = PAGE["updated"].format(moment=notation.moment(view.generated_at))
    header = f'<header class="top"><h1>{esc(PAGE["heading"])}</h1>{paragraph(updated, "updated")}{_navigation()}</header>'
    main = '<main id="inhoud" tabindex="-1">' + "".join(render(view) for render in SECTIONS) + "</main>"
    footer = f'<footer class="foot">{paragraph(PAGE["footer"])}</footer>'
    return _document(PAGE["title"], header + main + footer)


def render_notice(kind: str, *, opener: bool = False) -> str:
    """A page of the access flow (no session, a refused link, no director, signed out): what happened and what
    to do. With `opener`, it also carries the form its script submits when the address holds a link's token."""
    title, text = NOTICES[kind]
    body = f"<h1>{esc(title)}</h1>" + paragraph(text, "notice")
    if opener:
        body += (
            f'<p class="opening" hidden>{esc(NOTICE_PAGE["opening"])}</p>'
            f'<form id="dashboard-open" method="post" action="{SESSION_ROUTE}">'
            f'<input type="hidden" name="{TOKEN_FIELD}" value=""></form>'
            f'<p><a href="{DASHBOARD_ROUTE}">{esc(NOTICE_PAGE["retry"])}</a></p>'
            f"<noscript>{paragraph(NOTICE_PAGE['noscript'])}</noscript>"
        )
    header = f'<header class="top">{paragraph(PAGE["heading"], "brand")}</header>'
    return _document(
        f"{title} – {PAGE['title']}",
        f'{header}<main id="inhoud" class="notice-page">{body}</main>',
        script=opener,
    )
