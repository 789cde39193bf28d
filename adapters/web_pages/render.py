"""Pages to self-contained HTML: no asset from another host, inline styles and scripts allowed
by their hashes in the Content-Security-Policy, never by ``unsafe-inline``.

The page has exactly one ``<style>`` and at most one ``<script>``, both read once from
``assets/``; their hashes go out with the HTML, so the route's policy allows those two texts
and nothing else. Templates autoescape everything a member wrote.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from adapters.web_pages.dashboard_view import dashboard_context
from adapters.web_pages.roadmap_view import roadmap_context
from bot.pages import DashboardPage, RoadmapPage, WebPage
from bot.views.formatting import day

HERE = Path(__file__).parent


@dataclass(frozen=True)
class RenderedPage:
    html: str
    script_hashes: tuple[str, ...] = ()  # "sha256-..." for each inline <script>
    style_hashes: tuple[str, ...] = ()  # "sha256-..." for each inline <style>


def csp_hash(inline: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()


STYLE = (HERE / "assets" / "pages.css").read_text(encoding="utf-8")
SORT_SCRIPT = (HERE / "assets" / "sort.js").read_text(encoding="utf-8")


def _num(value: float) -> str:
    """SVG coordinates, short: 12, 12.5, never 12.500000001."""
    return f"{value:.1f}".removesuffix(".0")


def _linkable(url: str) -> bool:
    """Only web links become links; anything else a member wrote stays text."""
    return url.lower().startswith(("https://", "http://"))


@cache
def _code_spans(text: str) -> Markup:
    """Chat's `backticks` as <code>, so a command to type reads as one on the page too."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick stays as typed
        return escape(text)
    code = Markup("<code>{}</code>")
    return Markup("").join(code.format(p) if i % 2 else escape(p) for i, p in enumerate(parts))


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _num
    env.filters["day"] = day
    env.filters["linkable"] = _linkable
    env.filters["code_spans"] = _code_spans
    return env


def _moment(value: datetime) -> str:
    return f"{day(value)}, {value:%H:%M} {value.tzname() or 'UTC'}"


def _render(template: str, *, title: str, script: bool, **context: Any) -> RenderedPage:
    html = (
        _environment()
        .get_template(template)
        .render(
            title=title,
            style=STYLE,
            script=SORT_SCRIPT if script else "",
            **context,
        )
    )
    return RenderedPage(
        html=html,
        script_hashes=(csp_hash(SORT_SCRIPT),) if script else (),
        style_hashes=(csp_hash(STYLE),),
    )


def render_page(page: WebPage) -> RenderedPage:
    if isinstance(page, DashboardPage):
        return _render(
            "dashboard.html.j2",
            title=f"{page.cohort_name} · cohort dashboard",
            script=True,
            body_class="dashboard",
            page=page,
            generated=_moment(page.generated_at),
            **dashboard_context(page),
        )
    assert isinstance(page, RoadmapPage)
    return _render(
        "roadmap.html.j2",
        title=f"{page.member_name}'s roadmap",
        script=False,
        body_class="roadmap",
        page=page,
        generated=_moment(page.generated_at),
        **roadmap_context(page),
    )


def render_refusal(title: str, message: str) -> RenderedPage:
    """The page a link that no longer works gets: what happened and what to do, in one line."""
    return _render(
        "refusal.html.j2",
        title=title,
        script=False,
        body_class="refusal",
        heading=title,
        message=message,
    )
