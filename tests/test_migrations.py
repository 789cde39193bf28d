"""The schema comes only from migrations, and the migrations match the models exactly."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Table, insert, inspect, select

import migrations
from adapters.slack_adapter.oauth_stores import installation_store, state_store
from bot.db.base import Base
from bot.db.engine import create_engine
from bot.db.models import Cohort, Delivery, Tenant
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


async def _plan_a_post_the_old_way(url: str) -> int:
    """A weekly post stored as revision 0005 stored it: its whole text, names included."""
    now = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            tenant = await connection.scalar(
                insert(Tenant)
                .values(platform="console", external_id="acme", created_at=now)
                .returning(Tenant.id)
            )
            cohort = await connection.scalar(
                insert(Cohort)
                .values(
                    tenant_id=tenant,
                    name="spring",
                    start_date=now.date(),
                    timezone="UTC",
                    channel_id="pivot-spring",
                    leaderboard_weekday=4,
                    leaderboard_time=now.time(),
                    roadmap_key="standard",
                    created_at=now,
                )
                .returning(Cohort.id)
            )
            await connection.execute(
                insert(Delivery).values(
                    tenant_id=tenant,
                    kind="leaderboard",
                    period="2026-W49",
                    idempotency_key=f"leaderboard:{cohort}:2026-W49",
                    target_channel_id="pivot-spring",
                    payload={"text": "1. Zebedee Quill — 10 points"},
                    status="retry",
                    attempts=1,
                    created_at=now,
                    next_attempt_at=now,
                )
            )
    finally:
        await engine.dispose()
    assert cohort is not None
    return int(cohort)


async def _stored_posts(url: str) -> list[tuple[object, ...]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                select(Delivery.cohort_id, Delivery.payload, Delivery.status)
            )
            return [tuple(row) for row in rows]
    finally:
        await engine.dispose()


def test_a_post_planned_before_0007_is_rendered_when_sent_and_loses_its_names(
    empty_database: str,
) -> None:
    migrations.upgrade(empty_database, "0005")
    cohort = asyncio.run(_plan_a_post_the_old_way(empty_database))
    migrations.upgrade(empty_database)
    assert asyncio.run(_stored_posts(empty_database)) == [(cohort, {}, "retry")]
    migrations.downgrade(empty_database, "0005")  # an older version could not render it
    migrations.upgrade(empty_database)
    assert asyncio.run(_stored_posts(empty_database)) == [(cohort, {}, "cancelled")]
