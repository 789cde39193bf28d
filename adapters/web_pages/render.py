"""Pages to self-contained HTML: no asset from another host, inline styles and scripts allowed
by their hashes in the Content-Security-Policy, never by ``unsafe-inline``."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from html import escape

from bot.pages import DashboardPage, RoadmapPage, WebPage


@dataclass(frozen=True)
class RenderedPage:
    html: str
    script_hashes: tuple[str, ...] = ()  # "sha256-..." for each inline <script>
    style_hashes: tuple[str, ...] = ()  # "sha256-..." for each inline <style>


def csp_hash(inline: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()


_STYLE = "body{font-family:system-ui,sans-serif;margin:2rem;color:#1a1a1a;background:#fff}"


def _document(title: str, body: str) -> RenderedPage:
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )
    return RenderedPage(html=html, style_hashes=(csp_hash(_STYLE),))


def render_page(page: WebPage) -> RenderedPage:
    if isinstance(page, DashboardPage):
        rows = "".join(f"<tr><td>{escape(m.name)}</td></tr>" for m in page.members)
        return _document(
            f"{page.cohort_name} · cohort dashboard",
            f'<h1>{escape(page.cohort_name)}</h1><table><thead><tr><th scope="col">Member'
            f"</th></tr></thead><tbody>{rows}</tbody></table>",
        )
    assert isinstance(page, RoadmapPage)
    return _document(
        f"{page.member_name} · roadmap",
        f"<h1>{escape(page.member_name)}'s roadmap</h1><p>{escape(page.cohort_name)}</p>",
    )


def render_refusal(title: str, message: str) -> RenderedPage:
    """The page a link that no longer works gets: what happened and what to do, in one line."""
    return _document(title, f"<h1>{escape(title)}</h1><p>{escape(message)}</p>")
