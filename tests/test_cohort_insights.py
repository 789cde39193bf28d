"""The cohort chart, the admin report and the per-cohort quiz settings."""

from __future__ import annotations

import zlib

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.content.loader import ContentLibrary
from bot.db.engine import session_factory
from bot.db.models import AuditEntry
from bot.domain.weeks import IsoWeek
from bot.messages import Image, Reply
from bot.services.cohort_stats import CohortStats, WeekRate
from bot.views.cohort_chart import render_cohort_chart
from testkit.driver import BotDriver
from tests.support.quiz import answer_all, finish_phase_milestones, is_question

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _stats(per_phase=(120, 40, 12, 3), behind=30) -> CohortStats:
    week = IsoWeek(2026, 53)
    weekly = []
    for offset in range(12):
        weekly.append(WeekRate(week, 100 + offset, 160, complete=offset != 0))
        week = week.previous()
    return CohortStats(
        cohort_name="spring",
        this_week=IsoWeek(2026, 53),
        per_phase=per_phase,
        pace=(("ahead", 50), ("on track", 95), ("behind", behind)),
        weekly=tuple(reversed(weekly)),
    )


def _png_chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    assert png.startswith(PNG_SIGNATURE)
    chunks, at = [], len(PNG_SIGNATURE)
    while at < len(png):
        length = int.from_bytes(png[at : at + 4], "big")
        kind = png[at + 4 : at + 8]
        chunks.append((kind, png[at + 8 : at + 8 + length]))
        at += 12 + length
    return chunks


def test_the_chart_is_byte_identical_for_the_same_numbers_and_small():
    first = render_cohort_chart(_stats())
    assert first == render_cohort_chart(_stats())
    assert len(first) < 200 * 1024
    assert render_cohort_chart(_stats(behind=31)) != first


def test_the_chart_carries_no_version_or_date_metadata():
    kinds = {kind for kind, _ in _png_chunks(render_cohort_chart(_stats()))}
    assert not kinds & {b"tEXt", b"iTXt", b"zTXt", b"tIME"}
    width_height = next(
        data for kind, data in _png_chunks(render_cohort_chart(_stats())) if kind == b"IHDR"
    )[:8]
    assert (int.from_bytes(width_height[:4], "big"), int.from_bytes(width_height[4:], "big")) == (
        1000,
        340,
    )
    assert zlib  # the chunks above are read without decoding the pixels


def test_an_empty_cohort_still_draws():
    empty = CohortStats("spring", IsoWeek(2026, 49), (0, 0, 0, 0), (("ahead", 0),), ())
    assert render_cohort_chart(empty).startswith(PNG_SIGNATURE)


def _image(reply: Reply) -> Image:
    return next(b for b in reply.blocks if isinstance(b, Image))


async def test_a_member_gets_the_cohort_chart_and_the_same_data_gives_the_same_png(
    bot: BotDriver,
):
    await bot.say("/pivot join")
    await bot.say("/pivot checkin 5h first week")
    first = await bot.say("/pivot cohort chart")
    assert not first.is_error, first.text
    image = _image(first)
    assert image.filename == "cohort-spring-2026-W49.png"
    assert "Cohort spring, 1 member (phase 1: 1" in image.alt
    assert "49: 100% so far" in image.alt
    assert _image(await bot.say("/pivot cohort chart")).png_bytes == image.png_bytes


async def test_the_chart_is_for_members_and_admins_only(bot: BotDriver):
    await bot.say("/pivot join")
    assert not (await bot.say("/pivot cohort chart spring", as_="olga")).is_error
    await bot.say("/pivot cohort create autumn", as_="olga")
    await bot.say("/pivot join autumn", as_="zed")
    refused = await bot.say("/pivot cohort chart spring", as_="zed")
    assert refused.is_error
    assert "is for its members and admins" in refused.text


async def test_the_report_is_private_to_admins_and_names_who_is_at_risk(
    bot: BotDriver, content: ContentLibrary
):
    for name in ("ada", "grace", "bob", "lin"):
        await bot.say("/pivot join", as_=name)
    await bot.say("/pivot checkin 5h w49", as_="ada")
    await bot.say("/pivot checkin 5h w49", as_="grace")
    await bot.say("/pivot pause 6", as_="lin")
    await finish_phase_milestones(bot, content, 1, as_="ada")
    await answer_all(bot, await bot.say("/pivot quiz"), content, right=2)
    for _ in range(4):
        bot.advance(weeks=1)
        await bot.say("/pivot checkin 5h steady", as_="ada")
    refused = await bot.say("/pivot cohort report", as_="ada")
    assert refused.is_error
    report = await bot.say("/pivot cohort report", as_="olga")
    assert report.ephemeral
    assert "Cohort report · spring · 2026-W53 (only you see this)" in report.text
    assert "2026-W52: 1 of 3 (33%)" in report.text  # lin, paused, is not expected
    assert "• grace — silent 3 weeks" in report.text
    assert "• bob — silent 4 weeks" in report.text
    assert "lin" not in report.text
    assert "ada —" not in report.text
    assert "Phase 1 gate: 0 of 1 attempt passed (0%), 0 members through" in report.text


async def test_an_admin_sets_the_quiz_and_new_attempts_follow_it(
    bot: BotDriver, content: ContentLibrary, engine: AsyncEngine
):
    await bot.say("/pivot join")
    shown = await bot.say("/pivot cohort quiz", as_="olga")
    assert "8 questions, pass mark 80% (7 of 8), retake after 7 days" in shown.text
    assert "(20 questions in its smallest phase: 1 retake without repeating a question)" in (
        shown.text
    )
    reply = await bot.say("/pivot cohort quiz spring questions 5 pass 60 cooldown 2", as_="olga")
    assert "5 questions, pass mark 60% (3 of 5), retake after 2 days" in reply.text
    assert "3 retakes without repeating a question" in reply.text
    async with session_factory(engine)() as session:
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "cohort quiz"))
    assert entry is not None
    assert entry.detail == "spring: questions=5, pass_percent=60, cooldown_days=2"
    await finish_phase_milestones(bot, content, 1)
    first = await bot.say("/pivot quiz")
    assert "question 1 of 5" in first.text
    result = await answer_all(bot, first, content, right=2)
    assert "not yet — 2 of 5 (40%)" in result.text
    assert "retake it from Wednesday 2 Dec 2026" in result.text
    bot.advance(days=2)
    assert is_question(await bot.say("/pivot quiz"))


async def test_quiz_settings_are_checked_against_the_bank(bot: BotDriver):
    unknown = await bot.say("/pivot cohort quiz bank acme", as_="olga")
    assert unknown.is_error
    assert "There's no question bank `acme`. Banks: standard." in unknown.text
    too_many = await bot.say("/pivot cohort quiz questions 16", as_="olga")
    assert too_many.is_error
    assert "questions must be at most 15" in too_many.text
    await bot.say("/pivot join")
    member = await bot.say("/pivot cohort quiz questions 5")
    assert member.is_error
    assert "Only cohort admins" in member.text


async def test_the_report_shows_shared_blockers_low_confidence_hours_and_gates_by_attempt(
    bot: BotDriver, content: ContentLibrary
):
    for name in ("ada", "grace", "bob"):
        await bot.say("/pivot join", as_=name)
    await bot.say("/pivot checkin 5h compose file | docker networking | 2", as_="ada")
    await bot.say("/pivot checkin 3h images | blocked on Docker networking | 1", as_="grace")
    await bot.say("/pivot checkin 8h tests | none | 4", as_="bob")
    for name in ("ada", "grace"):
        await finish_phase_milestones(bot, content, 1, as_=name)
    await answer_all(bot, await bot.say("/pivot quiz"), content, right=2)
    await answer_all(bot, await bot.say("/pivot quiz", as_="grace"), content, right=8, as_="grace")
    bot.advance(weeks=1)
    await bot.say("/pivot checkin 6h manifests | kubernetes yaml | 2", as_="ada")
    await bot.say("/pivot checkin 4h pods | kubernetes | 3", as_="grace")
    await answer_all(bot, await bot.say("/pivot quiz"), content, right=8)
    report = (await bot.say("/pivot cohort report", as_="olga")).text
    assert (
        "Blockers several members share (the last 4 weeks and this one): one session on a "
        "topic may help them all.\n"
        "• docker networking — ada, grace\n"
        "• kubernetes — ada, grace"
    ) in report
    assert "• ada — 2, 2 in their last 2 check-ins" in report
    assert "grace —" not in report  # a 3 ended her low run
    assert "Dec 2026 so far: median 8h, range 7h–11h across 3 members" in report
    assert "Nov 2026: no members yet" in report
    assert (
        "Phase 1 gate: 2 of 3 attempts passed (67%), 2 members through · "
        "1st attempts 1 of 2 (50%), 2nd attempts 1 of 1 (100%)"
    ) in report


async def test_a_quiet_cohort_report_says_so_in_plain_words(bot: BotDriver):
    await bot.say("/pivot join")
    report = (await bot.say("/pivot cohort report", as_="olga")).text
    assert "No blocker was named by 2 or more members in the last 4 weeks and this one." in report
    assert "Nobody has reported confidence of 2 or lower in 2 check-ins running." in report
    assert "Nov 2026 so far: no members yet" in report  # ada's plan began after the 1st
    bot.advance(days=2)
    report = (await bot.say("/pivot cohort report", as_="olga")).text
    assert "Dec 2026 so far: median 0h, range 0h–0h across 1 member" in report
