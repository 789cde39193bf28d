"""The web pages read the same figures as the chat replies: the dashboard as ``cohort report``
and ``cohort chart``, each member's row and the roadmap as ``status``."""

from __future__ import annotations

from sqlalchemy import update

from adapters.web_pages.render import render_page
from bot.content.loader import ContentLibrary
from bot.db.models import Member
from bot.messages import ProgressBar
from bot.services.cohort_stats import pace_distribution
from bot.views.formatting import percent, plural
from testkit.driver import BotDriver
from tests.support.web_pages import (
    ADMIN,
    COHORT,
    cohort_named,
    dashboard_of,
    roadmap_of,
    seed_cohort,
)

SEEDED = ("ada", "grace", "bob", "lin", "kim", "raj", "zoe")


async def test_the_dashboard_agrees_with_the_cohort_report(bot: BotDriver, content: ContentLibrary):
    await seed_cohort(bot, content, weeks=8, create=False)
    report = (await bot.say("/pivot cohort report", as_=ADMIN)).text
    page = await dashboard_of(bot)
    for phase, count in enumerate(page.per_phase, start=1):
        assert f"Phase {phase}: {plural(count, 'member')}" in report
    assert page.recent_rate is not None
    assert f"last 4 complete weeks: {percent(page.recent_rate, 1)}" in report
    risky = {entry.name: entry.reasons for entry in page.at_risk}
    assert "• zoe — silent 8 weeks" in report
    assert "quiet for 8 weeks" in risky["zoe"]
    assert "• bob — silent 5 weeks" in report
    assert "quiet for 5 weeks" in risky["bob"]
    assert "• kim — 2, 2, 2 in their last 3 check-ins" in report
    assert any("confidence 2 or lower (2, 2, 2)" in why for why in risky["kim"])
    assert set(risky) == {"zoe", "bob", "kim"}
    assert "• docker networking — kim, raj" in report
    assert [(b.topic, b.members) for b in page.blockers] == [("docker networking", ("kim", "raj"))]
    assert "Phase 1 gate: 2 of 3 attempts passed (67%), 2 members through" in report
    [phase_1, *_] = page.gates
    assert (phase_1.attempts, phase_1.passed, phase_1.members_passed) == (3, 2, 2)


async def test_every_member_row_says_what_their_status_says(
    bot: BotDriver, content: ContentLibrary
):
    await seed_cohort(bot, content, weeks=6, create=False)
    page = await dashboard_of(bot)
    assert [m.name for m in page.members] == sorted(SEEDED)
    for row in page.members:
        status = (await bot.say("/pivot status", as_=row.name)).text
        assert f"Phase {row.phase} of 4" in status
        assert f"Month {row.plan_month} of {row.plan_months}" in status
        assert row.pace_text in status
        assert f"Streak: {plural(row.streak, 'week')}" in status


async def test_the_pace_bands_count_what_the_cohort_chart_counts(
    bot: BotDriver, content: ContentLibrary
):
    await seed_cohort(bot, content, weeks=6, create=False)
    page = await dashboard_of(bot)
    async with bot.core.sessions() as session:
        cohort = await cohort_named(bot, session, COHORT)
        chart = dict(await pace_distribution(session, cohort, bot.clock.now()))
    by_state = dict.fromkeys(chart, 0)
    for band in page.pace_bands:
        by_state[band.state] += band.count
    assert by_state == chart
    assert sum(band.count for band in page.pace_bands) == len(SEEDED)


async def test_the_roadmap_agrees_with_status(bot: BotDriver, content: ContentLibrary):
    await seed_cohort(bot, content, weeks=8, create=False)
    for name in ("ada", "bob", "lin"):
        page = await roadmap_of(bot, name)
        reply = await bot.say("/pivot status", as_=name)
        assert f"Phase {page.phase} of 4 · {page.phase_title}" in reply.text
        assert f"{page.month_text} · standard track · {page.pace_text}" in reply.text
        assert f"Streak: {plural(page.streak, 'week')}" in reply.text
        [bar] = [b for b in reply.blocks if isinstance(b, ProgressBar)]
        assert (bar.done, bar.total) == (page.milestones_done, page.milestones_total)


async def test_the_roadmap_shows_each_milestone_done_due_or_overdue_with_its_date(
    bot: BotDriver, content: ContentLibrary
):
    await seed_cohort(bot, content, weeks=8, create=False)
    ada = await roadmap_of(bot, "ada")
    phase_1, phase_2, *_ = ada.phases
    assert (phase_1.position, phase_2.position) == ("passed", "current")
    roadmap = content.roadmap(None)
    assert [p.checkpoint for p in ada.phases] == [p.checkpoint for p in roadmap.phases]
    first = roadmap.phase(1).milestones[0].key
    done = next(m for m in phase_1.milestones if m.key == first)
    assert done.mark == "done"
    assert done.evidence_url == f"https://example.org/{first}"
    assert done.done_on is not None
    assert {m.mark for m in phase_2.milestones} == {"due"}
    bot.advance(weeks=12)
    zoe = await roadmap_of(bot, "zoe")
    assert zoe.today is not None
    overdue = [m for m in zoe.phases[0].milestones if m.mark == "overdue"]
    assert overdue  # twenty weeks in, nothing marked
    assert all(m.due_on < zoe.today for m in overdue)
    assert all(m.due_on >= zoe.today for m in zoe.phases[0].milestones if m.mark == "due")


async def test_a_year_of_weeks_shows_check_ins_pauses_and_misses(
    bot: BotDriver, content: ContentLibrary
):
    await seed_cohort(bot, content, weeks=8, create=False)
    lin = await roadmap_of(bot, "lin")
    assert len(lin.weeks) == 52
    assert lin.weeks[-1].week == "2027-W04"
    marks = [w.mark for w in lin.weeks]
    assert marks.count("paused") == 3
    assert marks.count("checked in") == 5
    assert marks[-1] == "to come"
    assert set(marks[:-9]) == {"before the plan"}
    bob = await roadmap_of(bot, "bob")
    assert [w.hours for w in bob.weeks if w.mark == "checked in"] == [4.0, 4.0, 4.0]
    assert [w.mark for w in bob.weeks].count("missed") == 5


async def test_the_cohort_life_is_charted_week_by_week(bot: BotDriver, content: ContentLibrary):
    await seed_cohort(bot, content, weeks=8, create=False)
    page = await dashboard_of(bot)
    assert (page.weekly[0].week, page.weekly[-1].week) == ("2026-W49", "2027-W04")
    assert not page.weekly[-1].complete
    assert page.weekly[0].expected == len(SEEDED)


async def test_hidden_members_are_listed_and_forgotten_ones_are_nowhere(
    bot: BotDriver, content: ContentLibrary
):
    await bot.say("/pivot join", as_="quentin")
    await bot.say("/pivot checkin 4h quentin's week | docker networking", as_="quentin")
    await bot.say("/pivot done git https://example.org/quentin-git", as_="quentin")
    await bot.say("/pivot join", as_="hester")
    await bot.say("/pivot settings leaderboard hide", as_="hester")
    await bot.say("/pivot checkin 4h docker networking | docker networking", as_="hester")
    page = await dashboard_of(bot)
    assert {m.name: m.hidden for m in page.members} == {"quentin": False, "hester": True}
    assert "hidden from boards" in render_page(page).html
    await bot.say("/pivot forget confirm", as_="quentin")
    after = await dashboard_of(bot)
    assert [m.name for m in after.members] == ["hester"]
    assert "quentin" not in render_page(after).html


async def test_a_member_dms_cannot_reach_is_named_with_the_reason(
    bot: BotDriver, content: ContentLibrary
):
    del content
    await bot.say("/pivot join", as_="ada")
    async with bot.core.sessions() as session, session.begin():
        await session.execute(
            update(Member).where(Member.user_id == "ada").values(dm_problem="DMs closed")
        )
    page = await dashboard_of(bot)
    [entry] = page.at_risk
    assert entry.name == "ada"
    assert entry.reasons == ("unreachable by DM (DMs closed)",)
