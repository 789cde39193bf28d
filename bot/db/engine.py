"""Engines and sessions: plain URLs mapped to async drivers; SQLite made safe for concurrency."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

SQLITE_BUSY_TIMEOUT_MS = 10_000


def async_url(url: str) -> str:
    """Accept the URLs people write (``sqlite:///``, ``postgresql://``) and pick async drivers."""
    parsed = make_url(url)
    driver = parsed.drivername
    if driver in ("sqlite", "sqlite+pysqlite"):
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    elif driver in ("postgresql", "postgres", "postgresql+psycopg2", "postgresql+psycopg"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "sqlite"


def create_engine(url: str, *, immediate: bool = True, **kwargs: Any) -> AsyncEngine:
    """An engine for ``url``; on SQLite, ``immediate=False`` keeps transactions deferred.

    Deferred is for an engine that only looks things up and must never queue behind a writer
    (WAL lets readers through), such as the one a request's authorization reads from.
    """
    engine = create_async_engine(async_url(url), **kwargs)
    if is_sqlite(engine):
        _make_sqlite_safe(engine, immediate)
    return engine


def _make_sqlite_safe(engine: AsyncEngine, immediate: bool) -> None:
    """WAL, foreign keys and a busy timeout on every connection, and BEGIN IMMEDIATE.

    A deferred SQLite transaction that reads and then writes can fail at once with "database
    is locked" when another writer got in between; taking the write lock at BEGIN makes
    concurrent writers wait for each other (up to the busy timeout) instead.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
