"""Web pages saved by the console: a link in a reply is also written out as one self-contained
HTML file, so it opens in a browser with no server running."""

from __future__ import annotations

import re
from pathlib import Path

from adapters.web_pages.render import render_page
from bot.core import PivotCore
from bot.messages import Link, Reply
from bot.page_access import PageShown
from bot.pages import DashboardPage, WebPage

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


async def save_linked_pages(core: PivotCore, reply: Reply, out_dir: Path) -> list[str]:
    """One line per page saved, naming the file; a link that does not open saves nothing."""
    lines = []
    for block in reply.blocks:
        if not isinstance(block, Link) or block.page_token is None:
            continue
        opened = await core.open_page(block.page_token)
        if not isinstance(opened, PageShown):
            lines.append(f"The page could not be saved: {opened.message}")
            continue
        path = out_dir / page_filename(opened.page)
        _write(path, render_page(opened.page).html)
        lines.append(f"Saved the page to {path}")
    return lines


def _write(path: Path, html: str) -> None:
    """A small local file, written like the console's charts: the console awaits one person."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")


def page_filename(page: WebPage) -> str:
    if isinstance(page, DashboardPage):
        return f"dashboard-{_slug(page.cohort_name)}.html"
    return f"roadmap-{_slug(page.member_name)}.html"


def _slug(name: str) -> str:
    return _NOT_SLUG.sub("-", name.lower()).strip("-") or "page"
