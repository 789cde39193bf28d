"""``INSERT ... ON CONFLICT DO NOTHING`` for SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase


async def insert_ignore(
    session: AsyncSession,
    model: type[DeclarativeBase],
    rows: Sequence[dict[str, Any]],
    conflict: Sequence[str],
) -> int:
    """Insert rows whose ``conflict`` columns are new; return how many were inserted.

    Racing writers (two replicas, a retried request) then agree without an exception.
    """
    if not rows:
        return 0
    table = model.__table__
    assert isinstance(table, Table)
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        pg = postgresql.insert(table).on_conflict_do_nothing(index_elements=list(conflict))
        result = await session.execute(pg, list(rows))
    else:
        lite = sqlite.insert(table).on_conflict_do_nothing(index_elements=list(conflict))
        result = await session.execute(lite, list(rows))
    return int(getattr(result, "rowcount", 0) or 0)
