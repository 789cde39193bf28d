"""The schema comes only from migrations, and the migrations match the models exactly."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import Table, inspect

import migrations
from adapters.slack_adapter.oauth_stores import installation_store, state_store
from bot.db.base import Base
from bot.db.engine import create_engine
from migrations.slack_oauth import BOTS, INSTALLATIONS, OAUTH_STATES
from tests.support.databases import (
    create_postgres_database,
    drop_postgres_database,
    postgres_server_url,
    sqlite_url,
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "fresh.db")
        return
    server = postgres_server_url()
    url = create_postgres_database(server) if server else None
    if url is None:
        pytest.skip("no PostgreSQL: set PIVOTBOT_TEST_POSTGRES_URL to a server that answers")
    yield url
    drop_postgres_database(server, url)


async def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            names = await connection.run_sync(lambda c: inspect(c).get_table_names())
    finally:
        await engine.dispose()
    return set(names) - {"alembic_version"}


def test_upgrade_creates_every_model_table_and_matches_the_models(empty_database: str) -> None:
    migrations.upgrade(empty_database)
    assert asyncio.run(_tables(empty_database)) >= set(Base.metadata.tables)
    migrations.check(empty_database)  # raises when autogenerate would find a difference


def test_downgrade_to_base_and_upgrade_again(empty_database: str) -> None:
    migrations.upgrade(empty_database)
    migrations.downgrade(empty_database, "base")
    assert asyncio.run(_tables(empty_database)) == set()
    migrations.upgrade(empty_database)
    migrations.check(empty_database)


def _shape(table: Table) -> tuple[object, ...]:
    columns = [
        (c.name, type(c.type).__name__, getattr(c.type, "length", None), c.nullable, c.primary_key)
        for c in table.columns
    ]
    indexes = sorted((i.name, tuple(c.name for c in i.columns), i.unique) for i in table.indexes)
    return table.name, columns, indexes


async def test_the_slack_oauth_tables_are_the_ones_slack_sdks_stores_read_and_write() -> None:
    engine = create_engine("sqlite:///:memory:")  # the stores only hold it; nothing connects
    try:
        installations, states = installation_store("111.222", engine), state_store(engine)
        assert _shape(installations.bots) == _shape(BOTS)
        assert _shape(installations.installations) == _shape(INSTALLATIONS)
        assert _shape(states.oauth_states) == _shape(OAUTH_STATES)
    finally:
        await engine.dispose()
