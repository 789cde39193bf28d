"""The console and the web pages: a link is printed, and the page is saved beside the console
as one self-contained file that opens with no server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from adapters.console_adapter.demo import ensure_demo
from adapters.console_adapter.session import ConsoleSession
from bot.clock import ManualClock
from bot.core import PivotCore
from tests.support.page_links import page_client, path_of

_LINK = re.compile(r"^Open the dashboard: (http://localhost:3000/p/\S+)$", re.MULTILINE)
_OTHER_HOST = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


@pytest.fixture
async def console(core: PivotCore, clock: ManualClock, tmp_path: Path) -> ConsoleSession:
    await ensure_demo(core, "UTC", "ada")
    return ConsoleSession(core, clock, "ada", out_dir=tmp_path / "out")


async def test_the_admin_gets_a_link_that_opens_and_a_saved_page(
    console: ConsoleSession, core: PivotCore, tmp_path: Path
) -> None:
    printed = await console.line("/pivot cohort dashboard")
    match = _LINK.search(printed)
    assert match is not None, printed
    saved = tmp_path / "out" / "dashboard-demo.html"
    assert f"Saved the page to {saved}" in printed
    html = saved.read_text(encoding="utf-8")
    assert "demo" in html
    assert not _OTHER_HOST.search(html)  # nothing fetched from another host
    async with page_client(core) as client:
        response = await client.get(path_of(match[1]))
        assert response.status == 200
        assert "demo" in await response.text()


async def test_a_member_saves_their_own_roadmap_page(
    console: ConsoleSession, tmp_path: Path
) -> None:
    await console.line(":as grace")
    await console.line("/pivot join")
    printed = await console.line("/pivot roadmap")
    assert "Open my roadmap: http://localhost:3000/p/" in printed
    saved = tmp_path / "out" / "roadmap-grace.html"
    assert f"Saved the page to {saved}" in printed
    assert "grace" in saved.read_text(encoding="utf-8")
