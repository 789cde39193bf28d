"""The two web pages as platform-neutral values: what a cohort dashboard and a member's roadmap
show, computed by the core and rendered to HTML by ``adapters.web_pages``.

They are values, like a ``Reply``, so the page a browser sees and the file the console saves
come from one computation, and a test can compare a page with ``cohort report`` and ``status``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class DashboardMember:
    name: str


@dataclass(frozen=True)
class DashboardPage:
    """One cohort, for its admins: every member, hidden ones included; forgotten ones never."""

    cohort_name: str
    generated_at: datetime
    members: tuple[DashboardMember, ...]


@dataclass(frozen=True)
class RoadmapPage:
    """One member's whole road, for that member alone."""

    member_name: str
    cohort_name: str
    generated_at: datetime


WebPage = DashboardPage | RoadmapPage
