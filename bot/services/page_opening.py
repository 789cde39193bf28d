"""Opening a web page's link: check the signature, the expiry and what the link stands for, then
build the page from the same data as ``status`` and ``cohort report``.

Everything a link needs is checked again at every view, because a link lives for days: the
member it shows may have run ``forget``, the admin it was made for may have lost the role, and
the cohort may have been archived since.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.content.loader import ContentLibrary
from bot.db.models import Cohort, Member, Tenant, WebLink
from bot.page_access import PageRefused, PageResult, PageShown
from bot.services.page_data import dashboard_page, roadmap_page
from bot.services.web_links import PageKind, still_admin, verify, verifying_key

NOT_OURS_TITLE = "This link doesn't work"
NOT_OURS = (
    "This link wasn't made by pivotbot, or part of it is missing. Copy the whole link again, "
    "or ask for a new one with `/pivot roadmap` (or `/pivot cohort dashboard`)."
)
GONE_TITLE = "This link no longer works"
EXPIRED = (
    "This link has expired. Ask for a new one with `/pivot roadmap` (or `/pivot cohort dashboard`)."
)
GONE = (
    "The page this link opened has closed since it was made. Ask for a new one with "
    "`/pivot roadmap` (or `/pivot cohort dashboard`)."
)

# Whether the platform still makes someone an admin: True, False, or None when it cannot say.
AdminCheck = Callable[[str, str, str], Awaitable[bool | None]]


def not_ours() -> PageRefused:
    return PageRefused(403, NOT_OURS_TITLE, NOT_OURS)


def gone() -> PageRefused:
    return PageRefused(410, GONE_TITLE, GONE)


async def open_page(
    session: AsyncSession,
    settings: Settings,
    content: ContentLibrary,
    token: str,
    now: datetime,
    platform_admin: AdminCheck,
) -> PageResult:
    key = await verifying_key(session, settings)
    signed = None if key is None else verify(key, token)
    if signed is None:
        return not_ours()
    if signed.expires_at <= now:
        return PageRefused(410, GONE_TITLE, EXPIRED)
    link = await session.get(WebLink, signed.link_id)
    if link is None or link.expires_at != signed.expires_at:
        return gone()
    cohort = await session.get(Cohort, link.cohort_id)
    if cohort is None or cohort.archived_at is not None:
        return gone()
    roadmap = content.roadmap(cohort.roadmap_key)
    if link.kind == PageKind.ROADMAP:
        member = await session.get(Member, link.member_id) if link.member_id else None
        if member is None or member.left_at is not None or member.cohort_id != cohort.id:
            return gone()
        return PageShown(await roadmap_page(session, member, cohort, roadmap, now))
    if not await _admin_still(session, link, platform_admin):
        return gone()
    return PageShown(await dashboard_page(session, cohort, roadmap, now))


async def _admin_still(session: AsyncSession, link: WebLink, platform_admin: AdminCheck) -> bool:
    """By the rule commands use: a cohort admin row, or the platform's own admin role. A link
    made on the platform's role is refused only when the platform says no; one made on a row
    needs the row (or the platform's definite yes)."""
    if await still_admin(session, link):
        return True
    tenant = await session.get(Tenant, link.tenant_id)
    if tenant is None or link.asked_by is None:
        return False
    answer = await platform_admin(tenant.platform, tenant.external_id, link.asked_by)
    if link.asked_as_platform_admin:
        return answer is not False
    return answer is True
