"""The dashboard and the roadmap in a real browser: the system's Chromium, driven by Playwright.

A cohort is made through the bot's commands; its pages are served with the headers the signed
links get, and opened in Chromium. The tests read what a person would: the headings, the
member table, the number of marks in each chart (against the database), a column sorted with
the keyboard alone, axe-core's accessibility check, and screenshots at phone and desktop widths
(kept under ``test-artifacts/``).

Without Chromium or Playwright the tests skip, saying why; with ``CI=true`` they fail instead,
since CI installs the browser and must never skip them.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy import func, select

from adapters.web_pages.render import RenderedPage, render_page
from adapters.web_pages.routes import page_response, web_page_routes
from bot.clock import ManualClock
from bot.config import Settings
from bot.content.loader import ContentLibrary
from bot.core import PivotCore
from bot.db.engine import create_engine, session_factory
from bot.db.models import Checkin, Member, QuizAttempt
from bot.domain.weeks import IsoWeek
from bot.page_access import PageShown
from bot.services.quizzes import FAILED, PASSED
from testkit.driver import BotDriver
from tests.conftest import START
from tests.support.databases import copy_sqlite
from tests.support.page_links import link_of, path_of
from tests.support.web_pages import ADMIN, COHORT, seed_cohort

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; Playwright never fetches its own
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WEEKS = 12
PHONE, DESKTOP = 390, 1280


def _browser_missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright's Python package is missing: pip install -e '.[dev]'"
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM}: apt-get install chromium chromium-driver"
    return None


@dataclass(frozen=True)
class Facts:
    """What the database says, read apart from the pages, to check them against."""

    members: list[tuple[str, int]]  # name and phase, in name order
    cohort_weeks: int
    gate_groups: int  # phase and attempt pairs with a finished attempt
    ada_checkins: int
    ada_attempts: int


@dataclass(frozen=True)
class Site:
    base: str
    paths: dict[str, str]  # page name to the path of its link
    facts: Facts
    content: ContentLibrary


async def _links(bot: BotDriver) -> dict[str, str]:
    """The paths the browser opens, each from a link a real command gave.

    Two links are spoiled on the way, as a member's might be: one for zoe, who then runs
    ``forget``, and one for ada that is left to expire while the cohort lives another week.
    """
    old = link_of(await bot.say("/pivot roadmap", as_="ada"))
    bot.advance(days=8)
    zoe = link_of(await bot.say("/pivot roadmap", as_="zoe"))
    await bot.say("/pivot forget confirm", as_="zoe")
    dashboard = link_of(await bot.say(f"/pivot cohort dashboard {COHORT}", as_=ADMIN))
    roadmap = link_of(await bot.say("/pivot roadmap", as_="ada"))
    signed = path_of(dashboard.url)
    # One character inside the signature changed: a link pivotbot never signed.
    tampered = signed[:-10] + ("A" if signed[-10] != "A" else "B") + signed[-9:]
    return {
        "dashboard": signed,
        "roadmap": path_of(roadmap.url),
        "tampered": tampered,
        "expired": path_of(old.url),
        "forgotten": path_of(zoe.url),
    }


async def _facts(core: PivotCore, clock: ManualClock) -> Facts:
    async with core.sessions() as session:
        members = [
            (name, phase)
            for name, phase in await session.execute(
                select(Member.display_name, Member.phase)
                .where(Member.left_at.is_(None))
                .order_by(func.lower(Member.display_name))
            )
        ]
        groups = await session.execute(
            select(QuizAttempt.phase, func.min(QuizAttempt.number, 3))
            .where(QuizAttempt.status.in_((PASSED, FAILED)))
            .distinct()
        )
        ada = select(Member.id).where(Member.user_id == "ada").scalar_subquery()
        checkins = await session.scalar(
            select(func.count()).select_from(Checkin).where(Checkin.member_id == ada)
        )
        attempts = await session.scalar(
            select(func.count()).select_from(QuizAttempt).where(QuizAttempt.member_id == ada)
        )
    weeks = IsoWeek.of(START.date()).weeks_until(IsoWeek.of(clock.now().date())) + 1
    return Facts(members, weeks, len(groups.all()), int(checkins or 0), int(attempts or 0))


class _Server:
    """pivotbot's own page routes on a loopback port, in a thread with its own event loop.

    Playwright's sync API runs a loop in the test's thread once the browser is up, so the bot,
    its database and the HTTP server live in another, for as long as the module's tests run.
    """

    def __init__(self, url: str, content: ContentLibrary) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.engine = create_engine(url)
        self.clock = ManualClock(START)
        settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
        self.core = PivotCore(
            sessions=session_factory(self.engine),
            clock=self.clock,
            content=content,
            settings=settings,
        )
        self.runner: web.AppRunner | None = None

    def run(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    async def start(self, content: ContentLibrary) -> tuple[str, dict[str, str], Facts]:
        bot = BotDriver(self.core, self.clock, admins={ADMIN})
        await seed_cohort(bot, content, weeks=WEEKS)
        paths = await _links(bot)
        facts = await _facts(self.core, self.clock)
        app = web.Application()

        async def unhashed(_request: web.Request) -> web.Response:
            # The dashboard with its sort script left out of the policy.
            opened = await self.core.open_page(paths["dashboard"].removeprefix("/p/"))
            assert isinstance(opened, PageShown)
            page = render_page(opened.page)
            return page_response(RenderedPage(page.html, (), page.style_hashes))

        app.add_routes([*web_page_routes(self.core), web.get("/unhashed", unhashed)])
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = self.runner.addresses[0][1]
        return f"http://127.0.0.1:{port}", {**paths, "unhashed": "/unhashed"}, facts

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
        await self.engine.dispose()

    def close(self) -> None:
        self.run(self.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path, content: ContentLibrary
) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("pages")
    server = _Server(copy_sqlite(sqlite_template, folder / "pages.db"), content)
    try:
        base, paths, facts = server.run(server.start(content))
        yield Site(base, paths, facts, content)
    finally:
        server.close()


def open_page_url(site: Site, page: str) -> str:
    """Where the browser opens ``page``: a link a command gave, on pivotbot's own routes."""
    return site.base + site.paths[page]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    missing = _browser_missing()
    if missing is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the browser tests, and cannot: {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


WATCH_POLICY = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def tab(browser: Any) -> Iterator[Any]:
    """A fresh page that records errors and Content-Security-Policy violations."""
    context = browser.new_context(viewport={"width": DESKTOP, "height": 900})
    context.add_init_script(WATCH_POLICY)
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def _visit(tab: Any, site: Site, name: str) -> Any:
    response = tab.goto(open_page_url(site, name))
    assert response is not None
    return response


def _clean(tab: Any, status: int = 200) -> None:
    """No policy violation and no error; a refusal's own status is the one error allowed."""
    assert tab.evaluate("window.__violations") == []
    refused = f"the server responded with a status of {status} "
    assert [e for e in tab.errors if refused not in e] == []


def test_the_dashboard_names_every_member_with_their_phase(tab: Any, site: Site):
    response = _visit(tab, site, "dashboard")
    assert response.status == 200
    assert tab.locator("h1").all_inner_texts() == [f"{COHORT} · cohort dashboard"]
    assert tab.locator("h2").all_inner_texts() == [
        "Where members are",
        "Check-ins week by week",
        "Gate pass rates",
        "Who may need a word",
        "Blockers that repeat",
        "Members",
    ]
    rows = tab.locator("#members-table tbody tr")
    names = rows.locator("th").evaluate_all("cells => cells.map(c => c.firstChild.textContent)")
    phases = rows.locator(":nth-child(2)").all_inner_texts()
    assert list(zip(names, map(int, phases), strict=True)) == site.facts.members
    _clean(tab)


def test_each_chart_has_a_mark_for_each_figure_in_the_database(tab: Any, site: Site):
    _visit(tab, site, "dashboard")
    assert tab.locator("#phases-chart [data-mark]").count() == 4
    assert tab.locator("#pace-chart [data-mark]").count() == 5
    assert tab.locator("#weekly-chart [data-mark]").count() == site.facts.cohort_weeks
    assert tab.locator("#gates-chart [data-mark]").count() == site.facts.gate_groups
    _visit(tab, site, "roadmap")
    assert tab.locator("#timeline-chart [data-mark=phase]").count() == 4
    assert tab.locator("#timeline-chart [data-mark=position]").count() == 1
    assert tab.locator("#calendar-chart [data-mark=week]").count() == 52
    checked = tab.locator('#calendar-chart [data-state="checked in"]').count()
    assert checked == site.facts.ada_checkins
    assert tab.locator("#hours-chart [data-mark]").count() == site.facts.ada_checkins
    assert tab.locator("#attempts-chart [data-mark]").count() == site.facts.ada_attempts
    _clean(tab)


def test_the_roadmap_shows_four_phases_with_their_checkpoints(tab: Any, site: Site):
    _visit(tab, site, "roadmap")
    assert tab.locator("h1").all_inner_texts() == ["ada's roadmap"]
    roadmap = site.content.roadmap(None)
    assert tab.locator(".phase h3").all_inner_texts() == [
        f"Phase {p.number}: {p.title}" for p in roadmap.phases
    ]
    checkpoints = tab.locator(".checkpoint").all_inner_texts()
    assert checkpoints == [f"Checkpoint: {' '.join(p.checkpoint.split())}" for p in roadmap.phases]
    assert "you are here" in tab.locator(".phase-current .where").inner_text()
    _clean(tab)


def test_a_column_sorts_with_the_keyboard_alone(tab: Any, site: Site):
    _visit(tab, site, "dashboard")
    for _ in range(40):
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.textContent") == "Streak (weeks)":
            break
    else:
        pytest.fail("Tab never reached the Streak column's header")
    header = tab.locator("#members-table thead th").nth(4)
    streaks = tab.locator("#members-table tbody tr > :nth-child(5)")
    tab.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "ascending"
    rising = [int(s) for s in streaks.all_inner_texts()]
    assert rising == sorted(rising)
    assert rising != sorted(rising, reverse=True)  # the cohort's streaks differ
    tab.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "descending"
    assert [int(s) for s in streaks.all_inner_texts()] == sorted(rising, reverse=True)
    assert tab.locator("#members-table thead th[aria-sort]").count() == 1
    assert tab.locator("#members-sort-status").inner_text() == (
        "Sorted by Streak (weeks), descending."
    )
    _clean(tab)


def test_the_pages_read_in_full_without_script(browser: Any, site: Site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(open_page_url(site, "dashboard"))
    assert page.locator("#members-table tbody tr").count() == len(site.facts.members)
    assert page.locator("#members-table thead button").count() == 0  # no dead buttons
    page.goto(open_page_url(site, "roadmap"))
    assert page.locator(".phase").count() == 4
    context.close()


def test_a_script_the_policy_does_not_name_is_blocked(tab: Any, site: Site):
    """The check above is real: leave the sort script's hash out and Chromium refuses it."""
    _visit(tab, site, "unhashed")
    assert any("script-src" in v for v in tab.evaluate("window.__violations"))
    assert tab.locator("#members-table thead button").count() == 0


@pytest.mark.parametrize("name", ["dashboard", "roadmap", "tampered", "forgotten"])
@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_no_serious_or_critical_accessibility_violations(
    tab: Any, site: Site, name: str, width: int
):
    from axe_playwright_python.sync_playwright import Axe

    tab.set_viewport_size({"width": width, "height": 900})
    status = _visit(tab, site, name).status
    tab.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    results = Axe().run(tab)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], serious
    _clean(tab, status)


@pytest.mark.parametrize(
    ("name", "status", "why"),
    [
        ("tampered", 403, "This link doesn't work"),
        ("expired", 410, "This link has expired."),
        ("forgotten", 410, "has closed since it was made"),
    ],
)
def test_a_refused_link_gets_a_page_that_says_what_to_do(
    tab: Any, site: Site, name: str, status: int, why: str
):
    response = _visit(tab, site, name)
    assert response.status == status
    assert tab.locator("h1").count() == 1
    said = tab.locator("main").inner_text()
    assert why in said
    assert "ask for a new one with /pivot roadmap" in said.lower()
    assert tab.locator("main code").all_inner_texts()[0] == "/pivot roadmap"
    assert "zoe" not in said
    _clean(tab, status)


def test_the_dashboard_prints_its_figures_without_the_screen_furniture(tab: Any, site: Site):
    _visit(tab, site, "dashboard")
    tab.emulate_media(media="print")
    assert not tab.locator(".masthead").is_visible()
    assert tab.locator("#members-table").is_visible()
    # A printout can't open <details>: the numbers behind each chart print as they are.
    assert tab.locator("#weekly-chart table").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "dashboard.pdf"
    tab.pdf(path=str(pdf), format="A4")
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("name", ["dashboard", "roadmap"])
@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_screenshots_at_phone_and_desktop_widths(browser: Any, site: Site, name: str, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(open_page_url(site, name))
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"{name}-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    context.close()
