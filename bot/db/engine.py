"""Engines and sessions: plain URLs mapped to async drivers; SQLite made safe for concurrency."""

from __future__ import annotations

import logging
import os
import weakref
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.util import await_

from bot.database_faults import DatabaseFileChanged
from bot.db.writer_lane import WriterLane

SQLITE_BUSY_TIMEOUT_MS = 10_000
# A writer queues in the lane at most this long: as long as SQLite itself would have polled.
LANE_TIMEOUT_SECONDS = SQLITE_BUSY_TIMEOUT_MS / 1000
_HOLDS_LANE = "holds_writer_lane"  # on a pooled connection's info while it holds the lane
_LANES: weakref.WeakKeyDictionary[Engine, WriterLane] = weakref.WeakKeyDictionary()
_AIOSQLITE_LOG = logging.getLogger("aiosqlite")


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

    Its errors never quote a statement's parameters, which hold what members wrote.

    Deferred is for an engine that only looks things up and must never queue behind a writer
    (WAL lets readers through), such as the one a request's authorization reads from.
    """
    # A failed statement's log line and traceback show the SQL, never its values, which can
    # hold what a member wrote; aiosqlite would log them too, with every statement, at DEBUG.
    kwargs.setdefault("hide_parameters", True)
    engine = create_async_engine(async_url(url), **kwargs)
    _AIOSQLITE_LOG.setLevel(max(_AIOSQLITE_LOG.level, logging.INFO))
    if is_sqlite(engine):
        _make_sqlite_safe(engine, immediate)
    return engine


def writer_lane(engine: AsyncEngine) -> WriterLane | None:
    """The lane this engine's transactions queue in; None where there is none (PostgreSQL,
    or a SQLite engine with deferred transactions, whose readers never queue)."""
    return _LANES.get(engine.sync_engine)


def _make_sqlite_safe(engine: AsyncEngine, immediate: bool) -> None:
    """WAL, foreign keys and a busy timeout on every connection, and BEGIN IMMEDIATE in the
    writer lane.

    A deferred SQLite transaction that reads and then writes can fail at once with "database
    is locked" when another writer got in between; taking the write lock at BEGIN avoids that.
    The writers of this process take turns in the lane (``bot.db.writer_lane``) before BEGIN,
    so they never poll the lock against each other; the busy timeout is left for writers of
    other processes (a ``jobs run-due`` from cron, a migration).

    Every connection and transaction also checks that the file at the database's path is
    still the one first opened: a connection keeps writing to a deleted file, and a new one
    would quietly create an empty database in its place.
    """
    identity = _FileIdentity(_database_file(engine.url))
    lane = WriterLane(LANE_TIMEOUT_SECONDS) if immediate else None

    if not immediate:

        @event.listens_for(engine.sync_engine, "do_connect")
        def _before_connect(*_args: Any) -> None:
            # A reader never makes the database: opening a missing file would create an
            # empty one whose identity it would then take as the first opened.
            identity.must_exist()

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        identity.check()
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        if lane is not None and not connection.info.get(_HOLDS_LANE):
            await_(lane.enter())
            connection.info[_HOLDS_LANE] = True
        identity.check()
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    @event.listens_for(engine.sync_engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        if lane is not None and record.info.pop(_HOLDS_LANE, False):
            lane.leave()

    if lane is not None:
        _LANES[engine.sync_engine] = lane


def _database_file(url: URL) -> Path | None:
    """The file behind a SQLite URL, in its plain or its ``file:`` URI form; None in memory."""
    database = url.database or ""
    if url.query.get("uri") in ("true", "True", "1"):
        if url.query.get("mode") == "memory":
            return None
        database = database.removeprefix("file:")
    return None if database in ("", ":memory:") else Path(database)


class _FileIdentity:
    """The device and inode of the database file, as first opened."""

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._known: tuple[int, int] | None = None

    def must_exist(self) -> None:
        if self._path is not None and not self._path.exists():
            raise DatabaseFileChanged(f"{self._path} is gone")

    def check(self) -> None:
        if self._path is None:
            return
        try:
            found = os.stat(self._path)
        except FileNotFoundError:
            raise DatabaseFileChanged(f"{self._path} is gone") from None
        identity = (found.st_dev, found.st_ino)
        if self._known is None:
            self._known = identity
        elif identity != self._known:
            raise DatabaseFileChanged(f"{self._path} is no longer the file first opened")


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
