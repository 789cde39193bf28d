"""``INSERT ... ON CONFLICT DO NOTHING`` for SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Insert, Table
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
    PostgreSQL reports no count for many rows at once: ask :func:`insert_new` for those.
    """
    if not rows:
        return 0
    result = await session.execute(_ignoring_conflicts(session, model, conflict), list(rows))
    return int(getattr(result, "rowcount", 0) or 0)


async def insert_new(
    session: AsyncSession,
    model: type[DeclarativeBase],
    rows: Sequence[dict[str, Any]],
    conflict: Sequence[str],
    returning: str,
) -> list[Any]:
    """Like :func:`insert_ignore`, but return the ``returning`` column of each row inserted,
    so a caller knows exactly which rows were new, however many it passed."""
    if not rows:
        return []
    statement = _ignoring_conflicts(session, model, conflict)
    result = await session.execute(statement.returning(statement.table.c[returning]), list(rows))
    return list(result.scalars())


def _ignoring_conflicts(
    session: AsyncSession, model: type[DeclarativeBase], conflict: Sequence[str]
) -> Insert:
    table = model.__table__
    assert isinstance(table, Table)
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=list(conflict))
    return sqlite.insert(table).on_conflict_do_nothing(index_elements=list(conflict))


async def upsert(
    session: AsyncSession,
    model: type[DeclarativeBase],
    row: dict[str, Any],
    conflict: Sequence[str],
) -> None:
    """Insert ``row``, or update the row its ``conflict`` columns already name, in one
    statement: a writer that knows the values it wants need not read the row first."""
    table = model.__table__
    assert isinstance(table, Table)
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table)
    changes = {name: statement.excluded[name] for name in row if name not in conflict}
    # Through the session's connection, the row bound as parameters: the statement's shape
    # is the same every time, so it compiles once.
    connection = await session.connection()
    await connection.execute(
        statement.on_conflict_do_update(index_elements=list(conflict), set_=changes), row
    )
