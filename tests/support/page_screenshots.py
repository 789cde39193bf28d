"""Make the README's screenshots of the two web pages: ``python -m tests.support.page_screenshots``.

A demo cohort lives half a year through the bot's own commands on a throwaway SQLite file;
its dashboard and one member's roadmap are rendered as the links serve them and photographed
in the system's Chromium, into ``docs/dashboard.png`` and ``docs/roadmap.png``.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from adapters.web_pages.render import render_page
from bot.clock import ManualClock
from bot.config import Settings
from bot.content.loader import load_library
from bot.core import PivotCore
from bot.db.engine import create_engine, session_factory
from testkit.driver import BotDriver
from tests.conftest import START
from tests.support.databases import copy_sqlite, migrated_sqlite_template
from tests.support.web_pages import ADMIN, dashboard_of, roadmap_of, seed_cohort

DOCS = Path(__file__).resolve().parents[2] / "docs"
CHROMIUM = "/usr/bin/chromium"
DEMO_NAMES = ("Amara", "Bilal", "Chen", "Dana", "Elif", "Farid", "Grete")
STEADY = ("Hugo", "Ines", "Jonas", "Keiko", "Lars")
WIDTH, HEIGHT = 1100, 1500


async def _pages(url: str) -> dict[str, str]:
    engine = create_engine(url)
    clock = ManualClock(START)
    content = load_library()
    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    core = PivotCore(
        sessions=session_factory(engine), clock=clock, content=content, settings=settings
    )
    bot = BotDriver(core, clock, admins={ADMIN})
    try:
        await seed_cohort(bot, content, weeks=26, names=DEMO_NAMES, steady=STEADY)
        return {
            "dashboard": render_page(await dashboard_of(bot)).html,
            "roadmap": render_page(await roadmap_of(bot, DEMO_NAMES[0])).html,
        }
    finally:
        await engine.dispose()


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        url = copy_sqlite(migrated_sqlite_template(Path(folder)), Path(folder) / "demo.db")
        pages = asyncio.run(_pages(url))
    DOCS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for name, html in pages.items():
            page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
            page.set_content(html)
            target = DOCS / f"{name}.png"
            page.screenshot(path=str(target))
            sys.stdout.write(f"{target.relative_to(DOCS.parent)}\n")
        browser.close()


if __name__ == "__main__":
    main()
