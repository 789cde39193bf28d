"""Real databases for tests: a migrated SQLite file per test, and a throwaway PostgreSQL
database per run when ``PIVOTBOT_TEST_POSTGRES_URL`` names a server that answers."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shutil
import sqlite3
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

import migrations

POSTGRES_ENV = "PIVOTBOT_TEST_POSTGRES_URL"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def migrated_sqlite_template(directory: Path) -> Path:
    """Migrate once; each test copies the file, which is much faster than migrating again."""
    path = directory / "template.db"
    migrations.upgrade(sqlite_url(path))
    return path


def copy_sqlite(template: Path, target: Path) -> str:
    shutil.copyfile(template, target)
    return sqlite_url(target)


def postgres_server_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _postgres_answers(url: str) -> bool:
    try:
        connection = await asyncpg.connect(_asyncpg_dsn(url), timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    await connection.close()
    return True


def create_postgres_database(server_url: str) -> str | None:
    """A fresh database on the server, or None when the server does not answer."""
    if not asyncio.run(_postgres_answers(server_url)):
        return None
    name = f"pivotbot_test_{secrets.token_hex(4)}"

    async def create() -> None:
        connection = await asyncpg.connect(_asyncpg_dsn(server_url))
        try:
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()

    asyncio.run(create())
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(server_url: str, database_url: str) -> None:
    name = make_url(database_url).database

    async def drop() -> None:
        connection = await asyncpg.connect(_asyncpg_dsn(server_url))
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()

    asyncio.run(drop())


async def truncate_all(engine: AsyncEngine) -> None:
    owned = migrations.target_metadata()
    tables = ", ".join(f'"{t.name}"' for m in owned for t in m.sorted_tables)
    async with engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


async def delete_all(engine: AsyncEngine) -> None:
    """Empty every table; for a database that holds a few rows, much quicker than TRUNCATE."""
    tables = [t for m in migrations.target_metadata() for t in m.sorted_tables]
    async with engine.begin() as connection:
        for table in reversed(tables):
            await connection.execute(table.delete())


@contextlib.contextmanager
def held_sqlite(url: str) -> Iterator[None]:
    """Another process's open write transaction on a SQLite file, until exit: a stuck
    writer, or a backup tool holding the lock."""
    connection = sqlite3.connect(str(make_url(url).database), isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        connection.execute("ROLLBACK")
        connection.close()


@contextlib.asynccontextmanager
async def held_database(url: str) -> AsyncIterator[None]:
    """Another connection holds the lock every command's transaction needs, until exit.

    SQLite: the write lock (``BEGIN IMMEDIATE``). PostgreSQL: an exclusive lock on ``tenants``,
    which every command reads and writes first.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        with held_sqlite(url):
            yield
        return
    holder = await asyncpg.connect(_asyncpg_dsn(url))
    transaction = holder.transaction()
    await transaction.start()
    await holder.execute("LOCK TABLE tenants IN ACCESS EXCLUSIVE MODE")
    try:
        yield
    finally:
        await transaction.rollback()
        await holder.close()
