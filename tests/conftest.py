"""Fixtures shared by every test: real databases, a manual clock and the core driver."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import ManualClock
from bot.config import Settings
from bot.content.loader import ContentLibrary, load_library
from bot.core import PivotCore
from bot.db.engine import create_engine, session_factory
from testkit.driver import BotDriver
from tests.support import reply_log
from tests.support.databases import (
    copy_sqlite,
    create_postgres_database,
    drop_postgres_database,
    migrated_sqlite_template,
    postgres_server_url,
    truncate_all,
)

# A Monday morning, so "this week" starts today in most timezones.
START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
RUN_LAST = "test_every_backticked_command_in_the_suites_replies_runs_as_written"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The check of every reply the suite saw runs after the tests that produce them."""
    items.sort(key=lambda item: item.name.startswith(RUN_LAST))


@pytest.fixture(scope="session", autouse=True)
def _replies_recorded() -> Iterator[None]:
    with reply_log.recording():
        yield


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrated_sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str | None]:
    server = postgres_server_url()
    if server is None:
        yield None
        return
    import migrations

    url = create_postgres_database(server)
    if url is None:
        yield None
        return
    migrations.upgrade(url)
    yield url
    drop_postgres_database(server, url)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """Every test that touches the database runs on SQLite, and on PostgreSQL when one answers."""
    if request.param == "sqlite":
        return copy_sqlite(sqlite_template, tmp_path / "test.db")
    url: str | None = request.getfixturevalue("postgres_database")
    if url is None:
        pytest.skip("no PostgreSQL: set PIVOTBOT_TEST_POSTGRES_URL to a server that answers")
    return url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    if engine.dialect.name == "postgresql":
        await truncate_all(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
async def lookups(database_url: str) -> AsyncIterator[AsyncEngine]:
    """The engine with deferred transactions that the root hands the platforms for lookups."""
    engine = create_engine(database_url, immediate=False)
    yield engine
    await engine.dispose()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture(scope="session")
def content() -> ContentLibrary:
    return load_library()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(_env_file=None, database_url=database_url)  # type: ignore[call-arg]


@pytest.fixture
def core(
    engine: AsyncEngine,
    lookups: AsyncEngine,
    clock: ManualClock,
    content: ContentLibrary,
    settings: Settings,
) -> PivotCore:
    """The core as ``pivotbot serve`` builds it: read-only commands run beside the writers."""
    return PivotCore(
        sessions=session_factory(engine),
        clock=clock,
        content=content,
        settings=settings,
        readers=session_factory(lookups),
    )


@pytest.fixture
async def bot(core: PivotCore, clock: ManualClock) -> BotDriver:
    """A tenant with one cohort, ``spring``, run by admin ``olga``."""
    driver = BotDriver(core, clock, admins={"olga"})
    reply = await driver.say("/pivot cohort create spring #pivot-spring", as_="olga")
    assert not reply.is_error, reply.text
    return driver
