"""Dutch answers, with the security headers, for routes and methods the server does not have.

aiohttp's own "404: Not Found" and "405: Method Not Allowed" are English and bare. This middleware covers
every route of the server; what a handler answers itself (Slack's 401, Teams' 415, …) passes unchanged.
"""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler

from adapters.web.page import SECURITY_HEADERS
from adapters.web.texts import HTTP_ERRORS

API_PREFIX = "/api/"


def error_response(request: web.Request, status: int, allow: str | None = None) -> web.Response:
    """The Dutch answer for this status: JSON `{"error": …}` under /api/, plain text elsewhere."""
    text = HTTP_ERRORS[status].replace("{method}", request.method)
    headers = {**SECURITY_HEADERS, "Cache-Control": "no-store"}
    if allow is not None:
        headers["Allow"] = allow
    if request.path.startswith(API_PREFIX):
        return web.json_response({"error": text}, status=status, headers=headers)
    return web.Response(text=text, status=status, charset="utf-8", headers=headers)


@web.middleware
async def dutch_route_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer an unknown route (404) or method (405) in Dutch; everything else as the handler does."""
    try:
        return await handler(request)
    except web.HTTPException as error:
        # Only the router's own refusals: match_info carries them when no route or method matched.
        if request.match_info.http_exception is not error or error.status not in HTTP_ERRORS:
            raise
        return error_response(request, error.status, error.headers.get("Allow"))
