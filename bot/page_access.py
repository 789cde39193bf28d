"""What opening a web page's link gives: the page, or why not, as values an HTTP route and the
console both turn into something to show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.pages import WebPage


@dataclass(frozen=True)
class PageShown:
    page: WebPage


@dataclass(frozen=True)
class PageRefused:
    """403 for a link pivotbot did not sign (tampered, malformed), 410 for one that no longer
    works (expired, revoked, its member forgotten, its admin no longer one, its cohort archived).
    """

    status: Literal[403, 404, 410]
    title: str
    message: str


PageResult = PageShown | PageRefused
