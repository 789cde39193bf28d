"""Signed links to the web pages: made for one cohort's dashboard or one member's roadmap,
and checked again at every view.

A link's path is ``<id>.<expiry>.<signature>``: a random id that names a ``web_links`` row, the
expiry as base-36 Unix seconds, and HMAC-SHA256 over both, URL-safe base64. Nothing in it can be
read as a name or a database id. The signature is checked first (a link pivotbot did not make
gets 403 and no database lookup), then the expiry (410), then the row and what it stands for:
deleting the row revokes the link, and forgetting a member deletes theirs.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.db.models import CohortAdmin, WebLink, WebLinkSecret
from bot.db.upsert import insert_ignore

PAGE_PATH = "/p/"
SECRET_ROW = 1
# A link asked for again within a day is the same link, so repeated commands add no rows.
REUSE_WITHIN = timedelta(days=1)
_TOKEN = re.compile(r"^([A-Za-z0-9_-]{16,32})\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{43})$")


class PageKind(StrEnum):
    DASHBOARD = "dashboard"
    ROADMAP = "roadmap"


@dataclass(frozen=True)
class SignedToken:
    link_id: str
    expires_at: datetime


def page_url(settings: Settings, token: str) -> str:
    return f"{settings.public_url}{PAGE_PATH}{token}"


async def signing_key(session: AsyncSession, settings: Settings, now: datetime) -> bytes:
    """``WEB_LINK_SECRET``, else the key kept in the database, made by whoever asks first.

    Replicas racing to make it both insert-if-absent and read back the one that won.
    """
    if settings.web_link_secret:
        return settings.web_link_secret.encode()
    stored = await _stored_key(session)
    if stored is None:
        await insert_ignore(
            session,
            WebLinkSecret,
            [{"id": SECRET_ROW, "secret": secrets.token_hex(32), "created_at": now}],
            ("id",),
        )
        stored = await _stored_key(session)
    assert stored is not None
    return stored


async def _stored_key(session: AsyncSession) -> bytes | None:
    text = await session.scalar(select(WebLinkSecret.secret).where(WebLinkSecret.id == SECRET_ROW))
    return None if text is None else bytes.fromhex(text)


async def verifying_key(session: AsyncSession, settings: Settings) -> bytes | None:
    """The key to check a link with, never made here: with none, no link was ever signed."""
    if settings.web_link_secret:
        return settings.web_link_secret.encode()
    return await _stored_key(session)


def _signature(key: bytes, signed: str) -> str:
    digest = hmac.new(key, signed.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if number == 0:
            return text


def sign(key: bytes, link_id: str, expires_at: datetime) -> str:
    signed = f"{link_id}.{_base36(int(expires_at.timestamp()))}"
    return f"{signed}.{_signature(key, signed)}"


def verify(key: bytes, token: str) -> SignedToken | None:
    """The link's id and expiry if pivotbot signed this token, else None.

    The signatures are compared in constant time, so timing tells an attacker nothing about
    how much of a forged signature was right.
    """
    match = _TOKEN.match(token)
    if match is None:
        return None
    link_id, expiry, signature = match.groups()
    expected = _signature(key, f"{link_id}.{expiry}")
    if not hmac.compare_digest(expected.encode("ascii"), signature.encode("ascii")):
        return None
    return SignedToken(link_id, datetime.fromtimestamp(int(expiry, 36), UTC))


async def issue_link(
    session: AsyncSession,
    settings: Settings,
    now: datetime,
    *,
    tenant_id: int,
    kind: PageKind,
    cohort_id: int,
    member_id: int | None = None,
    asked_by: str | None = None,
    asked_as_platform_admin: bool = False,
) -> str:
    """A token for this page and person; one made for the same scope within the last day is
    given again, and this scope's expired links are cleared away."""
    key = await signing_key(session, settings, now)
    scope = (
        WebLink.tenant_id == tenant_id,
        WebLink.kind == kind.value,
        WebLink.cohort_id == cohort_id,
        WebLink.member_id.is_(None) if member_id is None else WebLink.member_id == member_id,
        WebLink.asked_by.is_(None) if asked_by is None else WebLink.asked_by == asked_by,
    )
    await session.execute(delete(WebLink).where(*scope, WebLink.expires_at <= now))
    recent = await session.scalar(
        select(WebLink)
        .where(
            *scope,
            WebLink.created_at > now - REUSE_WITHIN,
            WebLink.asked_as_platform_admin == asked_as_platform_admin,
        )
        .order_by(WebLink.created_at.desc())
        .limit(1)
    )
    if recent is not None:
        return sign(key, recent.id, recent.expires_at)
    whole_seconds = now.replace(microsecond=0)
    link = WebLink(
        id=secrets.token_urlsafe(16),
        tenant_id=tenant_id,
        kind=kind.value,
        cohort_id=cohort_id,
        member_id=member_id,
        asked_by=asked_by,
        asked_as_platform_admin=asked_as_platform_admin,
        expires_at=whole_seconds + timedelta(days=settings.web_link_days),
        created_at=now,
    )
    session.add(link)
    await session.flush()
    return sign(key, link.id, link.expires_at)


async def still_admin(session: AsyncSession, link: WebLink) -> bool:
    """Whether the admin a dashboard link was made for still has a cohort admin row for it."""
    if link.asked_by is None:
        return False
    found = await session.scalar(
        select(CohortAdmin.user_id).where(
            CohortAdmin.cohort_id == link.cohort_id, CohortAdmin.user_id == link.asked_by
        )
    )
    return found is not None


async def forget_links(session: AsyncSession, tenant_id: int, user_id: str) -> None:
    """Every link made for this person, as the admin who asked or as the member shown."""
    await session.execute(
        delete(WebLink).where(WebLink.tenant_id == tenant_id, WebLink.asked_by == user_id)
    )
