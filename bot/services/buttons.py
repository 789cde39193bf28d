"""Button arguments kept server-side, for platforms whose button ids are too short for them.

The token is derived from the tenant's command and arguments, so rendering the same button
twice stores one row, and two replicas rendering it at once agree without a conflict.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import ButtonArgs
from bot.db.upsert import insert_ignore
from bot.messages import ArgValue

TOKEN_CHARS = 16


def button_token(command: str, args: Mapping[str, ArgValue]) -> str:
    canonical = json.dumps([command, sorted(args.items())], separators=(",", ":"), default=str)
    digest = hashlib.sha256(canonical.encode("utf-8")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")[:TOKEN_CHARS]


async def store_button_args(
    session: AsyncSession,
    tenant_id: int,
    command: str,
    args: Mapping[str, ArgValue],
    now: datetime,
) -> str:
    """Keep ``args`` for ``command`` in this tenant and return the token that names them."""
    token = button_token(command, args)
    await insert_ignore(
        session,
        ButtonArgs,
        [
            {
                "tenant_id": tenant_id,
                "token": token,
                "command": command,
                "args": dict(args),
                "created_at": now,
            }
        ],
        ("tenant_id", "token"),
    )
    return token


async def load_button_args(
    session: AsyncSession, tenant_id: int, token: str
) -> tuple[str, dict[str, ArgValue]] | None:
    row = await session.scalar(
        select(ButtonArgs).where(ButtonArgs.tenant_id == tenant_id, ButtonArgs.token == token)
    )
    return None if row is None else (row.command, dict(row.args))
