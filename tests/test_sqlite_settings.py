"""Every SQLite connection gets WAL, foreign keys and a busy timeout."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


async def test_every_sqlite_connection_is_configured(engine: AsyncEngine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite connection settings")

    async def pragmas() -> tuple[str, int, int]:
        async with engine.connect() as connection:
            mode = (await connection.execute(text("PRAGMA journal_mode"))).scalar_one()
            keys = (await connection.execute(text("PRAGMA foreign_keys"))).scalar_one()
            busy = (await connection.execute(text("PRAGMA busy_timeout"))).scalar_one()
            return mode, keys, busy

    results = await asyncio.gather(*(pragmas() for _ in range(3)))  # several pooled connections
    assert set(results) == {("wal", 1, 10_000)}
