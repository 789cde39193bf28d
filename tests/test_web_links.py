"""Signed links to the web pages, over plain HTTP: who gets a link, what it opens, and every way
it stops working (tampered 403; expired, forgotten, role lost, archived 410)."""

from __future__ import annotations

import asyncio
import hmac
import html
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.engine import make_url

from bot.clock import ManualClock
from bot.config import Settings
from bot.core import PivotCore
from bot.db.engine import create_engine, session_factory
from bot.db.models import WebLink, WebLinkSecret
from bot.messages import Link, Reply, Section
from bot.page_access import PageRefused, PageShown
from bot.pages import DashboardPage, RoadmapPage
from bot.reply_codec import reply_from_dict, reply_to_dict
from bot.services.web_links import signing_key
from testkit.driver import BotDriver
from tests.support.page_links import link_of, page_client, path_of

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}


async def _joined(bot: BotDriver, name: str = "grace") -> None:
    reply = await bot.say("/pivot join spring", as_=name)
    assert not reply.is_error, reply.text


async def _dashboard_token(bot: BotDriver, as_: str = "olga") -> str:
    reply = await bot.say("/pivot cohort dashboard", as_=as_)
    assert not reply.is_error, reply.text
    token = link_of(reply).page_token
    assert token is not None
    return token


async def _roadmap_token(bot: BotDriver, as_: str = "grace") -> str:
    token = link_of(await bot.say("/pivot roadmap", as_=as_)).page_token
    assert token is not None
    return token


def _tampered(token: str, part: int) -> str:
    pieces = token.split(".")
    piece = pieces[part]
    swap = ("1", "2") if part == 1 else ("A", "B")  # the expiry is base-36 digits
    pieces[part] = piece[:-1] + (swap[0] if piece[-1] != swap[0] else swap[1])
    return ".".join(pieces)


async def test_an_admin_opens_the_cohort_dashboard_from_the_link_the_command_gives(
    bot: BotDriver,
) -> None:
    await _joined(bot)
    reply = await bot.say("/pivot cohort dashboard", as_="olga")
    assert reply.ephemeral
    link = link_of(reply)
    assert link.url.startswith("http://localhost:3000/p/")
    async with page_client(bot.core) as client:
        response = await client.get(path_of(link.url))
        assert response.status == 200
        body = await response.text()
    assert "spring" in body
    assert "grace" in body  # the dashboard names its members


async def test_a_member_opens_their_roadmap_from_the_roadmap_reply(bot: BotDriver) -> None:
    await _joined(bot)
    reply = await bot.say("/pivot roadmap", as_="grace")
    link = link_of(reply)
    assert link.label == "Open my roadmap"
    assert f"Open my roadmap: {link.url}" in reply.text
    async with page_client(bot.core) as client:
        response = await client.get(path_of(link.url))
        assert response.status == 200
        assert "grace" in await response.text()


async def test_the_pages_come_from_the_core_as_values(bot: BotDriver) -> None:
    await _joined(bot)
    dashboard = await bot.core.open_page(await _dashboard_token(bot))
    roadmap = await bot.core.open_page(await _roadmap_token(bot))
    assert isinstance(dashboard, PageShown)
    assert isinstance(dashboard.page, DashboardPage)
    assert dashboard.page.cohort_name == "spring"
    assert [m.name for m in dashboard.page.members] == ["grace"]
    assert isinstance(roadmap, PageShown)
    assert isinstance(roadmap.page, RoadmapPage)
    assert (roadmap.page.member_name, roadmap.page.cohort_name) == ("grace", "spring")


async def test_a_link_says_nothing_readable_about_whom_or_what_it_shows(bot: BotDriver) -> None:
    await _joined(bot)
    for token in (await _dashboard_token(bot), await _roadmap_token(bot)):
        link_id, _expiry, signature = token.split(".")
        assert len(link_id) >= 16
        assert len(signature) == 43
        for word in ("spring", "grace", "olga", "acme", "dashboard", "roadmap"):
            assert word not in token.lower()


async def test_a_non_admin_gets_one_line_and_no_link(bot: BotDriver) -> None:
    await _joined(bot)
    reply = await bot.say("/pivot cohort dashboard", as_="grace")
    assert reply.is_error
    assert reply.text == "Only cohort admins can run `cohort dashboard`."
    assert "\n" not in reply.text


async def test_an_admin_of_several_cohorts_is_asked_which_with_an_example(
    bot: BotDriver,
) -> None:
    assert not (await bot.say("/pivot cohort create autumn", as_="olga")).is_error
    reply = await bot.say("/pivot cohort dashboard", as_="olga")
    assert reply.is_error
    assert reply.text == (
        "Which cohort? You run autumn, spring. Example: `/pivot cohort dashboard autumn`."
    )
    named = await bot.say("/pivot cohort dashboard autumn", as_="olga")
    assert "cohort autumn" in named.text


async def test_an_archived_cohort_gets_no_dashboard_link(bot: BotDriver) -> None:
    assert not (await bot.say("/pivot cohort archive spring", as_="olga")).is_error
    reply = await bot.say("/pivot cohort dashboard spring", as_="olga")
    assert reply.is_error
    assert "archived" in reply.text


async def test_a_tampered_link_is_refused_with_403(bot: BotDriver) -> None:
    await _joined(bot)
    token = await _roadmap_token(bot)
    async with page_client(bot.core) as client:
        for part in (0, 1, 2):
            response = await client.get(f"/p/{_tampered(token, part)}")
            assert response.status == 403, part
            body = await response.text()
            assert "This link doesn't work" in html.unescape(body)
            assert "grace" not in body


async def test_signatures_are_compared_in_constant_time(
    bot: BotDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _joined(bot)
    token = await _roadmap_token(bot)
    compared: list[bytes] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append(b)
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    assert isinstance(await bot.core.open_page(_tampered(token, 2)), PageRefused)
    assert isinstance(await bot.core.open_page(token), PageShown)
    assert len(compared) == 2


async def test_a_link_works_for_web_link_days_then_is_refused_with_410(bot: BotDriver) -> None:
    await _joined(bot)
    token = await _roadmap_token(bot)
    async with page_client(bot.core) as client:
        bot.advance(days=6, hours=23)
        assert (await client.get(f"/p/{token}")).status == 200
        bot.advance(hours=1)
        response = await client.get(f"/p/{token}")
        assert response.status == 410
        assert "expired" in await response.text()


async def test_web_link_days_sets_how_long_links_work(bot: BotDriver) -> None:
    short = replace(bot, core=replace(bot.core, settings=_with(bot.core.settings, web_link_days=1)))
    await _joined(short)
    reply = await short.say("/pivot cohort dashboard", as_="olga")
    assert "works for 1 day." in reply.text
    token = link_of(reply).page_token
    assert token is not None
    short.advance(days=1)
    refused = await short.core.open_page(token)
    assert isinstance(refused, PageRefused)
    assert refused.status == 410


async def test_a_member_who_forgot_leaves_a_link_that_no_longer_works(bot: BotDriver) -> None:
    await _joined(bot)
    token = await _roadmap_token(bot)
    dashboard = await _dashboard_token(bot)
    await bot.say("/pivot forget confirm", as_="grace")
    async with page_client(bot.core) as client:
        response = await client.get(f"/p/{token}")
        assert response.status == 410
        assert "no longer works" in await response.text()
        board = await client.get(f"/p/{dashboard}")
        assert board.status == 200
        assert "grace" not in await board.text()  # forgotten: on no page at all


async def test_an_admin_who_lost_the_role_is_refused_the_dashboard(bot: BotDriver) -> None:
    added = await bot.say("/pivot cohort admin add <@sam> spring", as_="olga")
    assert not added.is_error, added.text
    token = await _dashboard_token(bot, as_="sam")
    async with page_client(bot.core) as client:
        assert (await client.get(f"/p/{token}")).status == 200
        removed = await bot.say("/pivot cohort admin remove <@sam> spring", as_="olga")
        assert not removed.is_error, removed.text
        response = await client.get(f"/p/{token}")
        assert response.status == 410
        assert "no longer works" in await response.text()


async def test_a_member_who_left_the_cohort_has_no_roadmap_page(bot: BotDriver) -> None:
    await _joined(bot)
    token = await _roadmap_token(bot)
    assert not (await bot.say("/pivot leave", as_="grace")).is_error
    refused = await bot.core.open_page(token)
    assert isinstance(refused, PageRefused)
    assert refused.status == 410


async def test_deleting_a_links_row_revokes_it(bot: BotDriver) -> None:
    await _joined(bot)
    token = await _roadmap_token(bot)
    async with bot.core.sessions() as session, session.begin():
        await session.execute(delete(WebLink))
    async with page_client(bot.core) as client:
        response = await client.get(f"/p/{token}")
        assert response.status == 410
        assert "grace" not in await response.text()


async def test_a_database_gone_from_under_the_server_is_a_503_page(
    bot: BotDriver, database_url: str
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("a deleted database file is SQLite's")
    await _joined(bot)
    token = await _roadmap_token(bot)
    database = make_url(database_url).database
    assert database
    path = Path(database)
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    async with page_client(bot.core) as client:
        response = await client.get(f"/p/{token}")
        assert response.status == 503
        assert response.headers["Cache-Control"] == "no-store"
        assert "Try again in a minute" in await response.text()


class _PlatformAdmins:
    """The platform's answer about its own admins, as a Directory gives it."""

    def __init__(self, answer: bool | None) -> None:
        self.answer = answer

    async def is_admin(self, tenant_id: str, user_id: str) -> bool | None:
        del tenant_id, user_id
        return self.answer

    async def channel_problem(self, tenant_id: str, channel_id: str) -> str | None:
        return None

    async def find_channel(self, tenant_id: str, written: str) -> None:
        return None

    async def user_name(self, tenant_id: str, user_id: str) -> str | None:
        return None


async def test_a_platform_admin_is_refused_once_the_platform_says_they_are_not_one(
    bot: BotDriver,
) -> None:
    bot.admins.add("pat")  # a workspace admin with no cohort admin row
    token = await _dashboard_token(bot, as_="pat")
    platform = _PlatformAdmins(None)
    bot.core.directories["console"] = platform  # type: ignore[assignment]
    assert isinstance(await bot.core.open_page(token), PageShown)  # cannot say: kept
    platform.answer = True
    assert isinstance(await bot.core.open_page(token), PageShown)
    platform.answer = False
    refused = await bot.core.open_page(token)
    assert isinstance(refused, PageRefused)
    assert refused.status == 410


async def test_an_archived_cohort_closes_its_pages(bot: BotDriver) -> None:
    await _joined(bot)
    tokens = [await _dashboard_token(bot), await _roadmap_token(bot)]
    assert not (await bot.say("/pivot cohort archive spring", as_="olga")).is_error
    async with page_client(bot.core) as client:
        for token in tokens:
            assert (await client.get(f"/p/{token}")).status == 410


async def test_every_response_carries_the_locked_down_headers(bot: BotDriver) -> None:
    await _joined(bot)
    token = await _roadmap_token(bot)
    async with page_client(bot.core) as client:
        responses = {
            200: await client.get(f"/p/{token}"),
            403: await client.get(f"/p/{_tampered(token, 2)}"),
            404: await client.get("/p/not-a-link"),
            405: await client.post(f"/p/{token}"),
        }
        bot.advance(days=8)
        responses[410] = await client.get(f"/p/{token}")
        for status, response in responses.items():
            assert response.status == status
            for name, value in SECURITY_HEADERS.items():
                assert response.headers[name] == value, (status, name)
            policy = response.headers["Content-Security-Policy"]
            assert policy.startswith("default-src 'none';"), status
            assert "frame-ancestors 'none'" in policy
            assert "base-uri 'none'" in policy
            assert "form-action 'none'" in policy
            assert "unsafe-inline" not in policy
            assert "'sha256-" in policy  # the page's own style, by its hash
        assert responses[405].headers["Allow"] == "GET, HEAD"


async def test_head_answers_like_get_without_a_body(bot: BotDriver) -> None:
    await _joined(bot)
    token = await _roadmap_token(bot)
    async with page_client(bot.core) as client:
        response = await client.head(f"/p/{token}")
        assert response.status == 200
        assert response.headers["Cache-Control"] == "no-store"
        assert await response.read() == b""


async def test_asking_again_within_a_day_gives_the_same_link(bot: BotDriver) -> None:
    await _joined(bot)
    first = await _roadmap_token(bot)
    assert await _roadmap_token(bot) == first
    bot.advance(days=2)
    later = await _roadmap_token(bot)
    assert later != first
    async with bot.core.sessions() as session:
        links = await session.scalar(select(func.count()).select_from(WebLink))
    assert links == 2  # the first still works for five more days


async def test_two_replicas_on_one_database_sign_alike(
    database_url: str, bot: BotDriver, clock: ManualClock
) -> None:
    """Each replica has its own engine; the key they both need is made once, whoever asks."""
    engines = [create_engine(database_url) for _ in range(2)]
    try:
        replicas = [replace(bot.core, sessions=session_factory(e)) for e in engines]

        async def key_of(core: PivotCore) -> bytes:
            async with core.sessions() as session, session.begin():
                return await signing_key(session, core.settings, clock.now())

        first, second = await asyncio.gather(*(key_of(r) for r in replicas))
        assert first == second
        await _joined(bot)
        token = await _roadmap_token(bot)
        for replica in replicas:
            assert isinstance(await replica.open_page(token), PageShown)
        async with bot.core.sessions() as session:
            assert await session.scalar(select(func.count()).select_from(WebLinkSecret)) == 1
    finally:
        for e in engines:
            await e.dispose()


async def test_web_link_secret_signs_when_set_and_nothing_is_stored(bot: BotDriver) -> None:
    keyed = _with(bot.core.settings, web_link_secret="a-long-shared-secret-for-links")
    signer = replace(bot, core=replace(bot.core, settings=keyed))
    await _joined(signer)
    token = await _roadmap_token(signer)
    assert isinstance(await signer.core.open_page(token), PageShown)
    refused = await bot.core.open_page(token)  # a replica with another key
    assert isinstance(refused, PageRefused)
    assert refused.status == 403
    async with bot.core.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(WebLinkSecret)) == 0


def _with(settings: Settings, **changes: object) -> Settings:
    return settings.model_copy(update=changes)


def test_public_url_defaults_to_localhost_on_port_and_drops_a_trailing_slash() -> None:
    assert Settings(_env_file=None, port=8080).public_url == "http://localhost:8080"  # type: ignore[call-arg]
    given = Settings(_env_file=None, public_url="https://pivot.example.org/")  # type: ignore[call-arg]
    assert given.public_url == "https://pivot.example.org"


@pytest.mark.parametrize(
    ("name", "value"),
    [("public_url", "ftp://pivot.example.org"), ("public_url", "pivot"), ("web_link_days", 0)],
)
def test_bad_web_page_settings_stop_the_start_with_a_reason(name: str, value: object) -> None:
    with pytest.raises(ValueError, match=name):
        Settings(_env_file=None, **{name: value})  # type: ignore[call-arg]


def test_a_link_survives_the_outbox_and_the_request_log() -> None:
    reply = Reply.of(Section("Your page."), Link("Open my roadmap", "https://x.org/p/a", "a"))
    assert reply_from_dict(reply_to_dict(reply)) == reply
    assert reply.text == "Your page.\nOpen my roadmap: https://x.org/p/a"
