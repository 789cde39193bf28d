"""Alembic environment: async engines, batch mode for SQLite, every owned table as the target."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from bot.config import Settings
from bot.db.engine import async_url
from migrations import target_metadata as owned_metadata

config = context.config
target_metadata = owned_metadata()


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or Settings().database_url


def _configure(**kwargs: object) -> None:
    context.configure(
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        **kwargs,
    )


def run_offline() -> None:
    _configure(url=async_url(_url()), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def _run_on(connection: Connection) -> None:
    _configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    # A plain engine: SQLite keeps foreign keys off here so batch table copies cannot cascade.
    engine = create_async_engine(async_url(_url()), poolclass=NullPool, hide_parameters=True)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run_on)
    finally:
        await engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    asyncio.run(_run_async())
