"""The web pages over HTTP: ``GET /p/<token>`` opens a signed link.

- a link that opens: 200, the page;
- a link pivotbot did not sign (tampered, cut short): 403, "This link doesn't work";
- a link that worked and has stopped (expired, revoked, its member forgotten, its admin no
  longer one, its cohort archived): 410, "This link no longer works";
- ``/p/`` followed by anything not shaped like a link: 404, "No such page";
- any method but GET and HEAD: 405 with ``Allow: GET, HEAD``;
- the database out of reach: 503, "Try again in a minute".

A link that once worked and has stopped is 410 Gone whatever the reason, so the page never says
which reason (whether a member ran ``forget`` is itself private); only a link that was never
ours is 403. Every response carries the same locked-down headers: the page may run and style
only its own inline script and style, by their hashes, and nothing may frame it.
"""

from __future__ import annotations

import logging

from aiohttp import web

from adapters.web_pages.render import RenderedPage, render_page, render_refusal
from bot.core import PivotCore
from bot.database_faults import database_fault
from bot.page_access import PageShown

log = logging.getLogger(__name__)

PAGE_PATH = "/p/{token}"
_LINK_SHAPE = r"[A-Za-z0-9_-]{16,32}\.[0-9a-z]{1,12}\.[A-Za-z0-9_-]{43}"
NOT_FOUND = ("No such page", "There's no page here. Open the link pivotbot sent you in full.")
NOT_ALLOWED = ("Not allowed", "These pages are only read, so only GET and HEAD are accepted.")
UNAVAILABLE = (
    "Try again in a minute",
    "pivotbot can't reach its database right now, so it can't show this page.",
)


def content_security_policy(page: RenderedPage) -> str:
    """Only the page's own inline style and script, each allowed by its hash."""
    styles = " ".join(f"'{h}'" for h in page.style_hashes) or "'none'"
    scripts = " ".join(f"'{h}'" for h in page.script_hashes) or "'none'"
    return (
        "default-src 'none'; img-src 'self' data:; "
        f"style-src {styles}; script-src {scripts}; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


def page_response(page: RenderedPage, status: int = 200) -> web.Response:
    response = web.Response(
        text=page.html, status=status, content_type="text/html", charset="utf-8"
    )
    response.headers.update(
        {
            "Content-Security-Policy": content_security_policy(page),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-store",
            "X-Frame-Options": "DENY",
        }
    )
    return response


def web_page_routes(core: PivotCore) -> list[web.RouteDef]:
    async def open_link(request: web.Request) -> web.Response:
        try:
            opened = await core.open_page(request.match_info["token"])
        except Exception as exc:
            fault = database_fault(exc)
            if fault is None:
                raise
            log.warning("database fault opening a web page: %s", fault.name)
            return page_response(render_refusal(*UNAVAILABLE), 503)
        if isinstance(opened, PageShown):
            return page_response(render_page(opened.page))
        return page_response(render_refusal(opened.title, opened.message), opened.status)

    async def not_found(_request: web.Request) -> web.Response:
        return page_response(render_refusal(*NOT_FOUND), 404)

    async def not_allowed(_request: web.Request) -> web.Response:
        response = page_response(render_refusal(*NOT_ALLOWED), 405)
        response.headers["Allow"] = "GET, HEAD"
        return response

    link = "/p/{token:" + _LINK_SHAPE + "}"
    return [
        web.get(link, open_link),
        web.route("*", link, not_allowed),
        web.get("/p/{rest:.*}", not_found),
        web.route("*", "/p/{rest:.*}", not_allowed),
    ]
