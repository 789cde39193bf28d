"""Leaderboards: fair, deterministic, and never a way to name or shame anyone."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.content.loader import ContentLibrary
from bot.db.engine import session_factory
from bot.db.models import Cohort, Delivery
from bot.domain.ranking import Placed, Tally, TieLine, board_lines, in_top_half, rank
from bot.domain.weeks import IsoWeek
from bot.messages import Image, Reply
from bot.services.leaderboards import Standings
from bot.views.leaderboards import board_blocks
from bot.views.weekly_post import weekly_leaderboard_post
from testkit.driver import BotDriver
from tests.support.quiz import answer_all, finish_phase_milestones

BOARDS = ("week", "phase", "all", "pace")
TIES = "Members level with each other share a place (1, 2, 2, 4) and are listed by name."


async def weekly_post(bot: BotDriver, engine: AsyncEngine, content: ContentLibrary) -> Reply:
    async with session_factory(engine)() as session:
        cohort = await session.scalar(select(Cohort).where(Cohort.name == "spring"))
        assert cohort is not None
        return await weekly_leaderboard_post(session, cohort, bot.clock.now(), content)


def board(reply: Reply) -> list[str]:
    """The numbered lines of a board reply, as shown."""
    return [line.strip() for line in reply.text.splitlines() if line.strip()[:1].isdigit()]


async def three_weeks_of_checkins(bot: BotDriver) -> None:
    """ada checks in three weeks running, bob and cy two, dee one; all time that is 30, 20,
    20 and 10 points: places 1, 2, 2 and 4."""
    for name in ("ada", "bob", "cy", "dee"):
        await bot.say("/pivot join", as_=name)
    for week, who in enumerate((("ada", "cy", "dee"), ("ada", "bob", "cy"), ("ada", "bob"))):
        for name in who:
            await bot.say(f"/pivot checkin 3h week {week}", as_=name)
        bot.advance(days=7)
    bot.advance(days=-7)  # back into the third week, the one being looked at


# --- places, as pure rules ---


def _row(position: int, tied: int, name: str, score: int) -> Placed:
    return Placed(position, tied, hash(name), name, score)


def test_places_are_competition_ranks_with_level_members_listed_by_name():
    first = [(4, "dee", 10), (3, "Cy", 20), (1, "ada", 30), (2, "bob", 20)]
    ranking = rank(first, Tally(ranked=6, level_with_last=3, above_you=3, level_with_you=3))
    assert [(p.position, p.display_name, p.tied) for p in ranking.top] == [
        (1, "ada", 1),
        (2, "bob", 2),
        (2, "Cy", 2),
        (4, "dee", 3),  # two more level with dee were not among the first rows
    ]
    assert ranking.ranked == 6
    viewer = rank(first, Tally(6, 3, above_you=3, level_with_you=3), you=(9, "eve", 10)).you
    assert viewer == Placed(4, 3, 9, "eve", 10)


def test_a_tie_that_would_run_past_the_top_lines_is_one_line_with_its_size():
    rows = [_row(1, 1, "ada", 50), _row(2, 2, "bob", 40), _row(2, 2, "cy", 40)]
    rows += [_row(4, 30, f"m{i:02d}", 10) for i in range(2)]  # the first two of 30 level
    assert board_lines(rows, 5) == (*rows[:3], TieLine(4, 30, 10))
    assert board_lines(rows[:3], 2) == (rows[0], TieLine(2, 2, 40))


def test_the_top_half_of_a_board_includes_its_middle_place():
    assert in_top_half(1, 1)
    assert in_top_half(2, 3)
    assert not in_top_half(3, 3)
    assert in_top_half(2, 4)
    assert not in_top_half(3, 4)


def test_a_board_with_a_big_tie_counts_it_instead_of_naming_part_of_it(content: ContentLibrary):
    rows = (_row(1, 1, "ada", 30), *(_row(2, 14, f"m{i:02d}", 10) for i in range(9)))
    standings = Standings("all", Cohort(name="spring"), IsoWeek(2026, 49), None, rows, 15, 0, None)
    text = Reply.of(*board_blocks(standings, content.point_rules)).text
    assert text.splitlines()[1:] == [
        "  1. ada — 30 points",
        "  2. 14 members level — 10 points",
        TIES,
    ]


# --- ties ---


async def test_tied_members_share_a_place_in_competition_style_and_the_board_says_so(
    bot: BotDriver,
):
    await three_weeks_of_checkins(bot)
    reply = await bot.say("/pivot leaderboard all", as_="ada")
    assert board(reply) == [
        "1. ada (you) — 30 points",
        "2. bob — 20 points",
        "2. cy — 20 points",
        "4. dee — 10 points",
    ]
    assert TIES in reply.text
    again = await bot.say("/pivot leaderboard all", as_="ada")
    assert again.text == reply.text


async def test_eight_members_level_on_points_all_share_second_place(bot: BotDriver):
    names = ["ada", "bo", "cy", "di", "ed", "flo", "gus", "hal", "ivy"]
    for name in names:
        await bot.say("/pivot join", as_=name)
    await bot.say("/pivot checkin 5h the first of two weeks", as_="ada")
    bot.advance(days=7)
    for name in names:
        await bot.say(f"/pivot checkin 2h {name}'s week", as_=name)
        bot.advance(minutes=5)  # joined and checked in one after another: no tie-break by it
    alltime = await bot.say("/pivot leaderboard all", as_="ivy")
    assert board(alltime) == [
        "1. ada — 20 points",
        *(f"2. {n} — 10 points" for n in names[1:-1]),
        "2. ivy (you) — 10 points",
    ]
    assert TIES in alltime.text
    assert alltime.text.splitlines()[0].endswith("place 2 of 9, shared.")


# --- hidden members ---


async def _cohort_with_two_hidden(bot: BotDriver) -> None:
    """ada and bob check in; grace and linus keep their standing private and check in too."""
    for name in ("ada", "bob", "grace", "linus"):
        await bot.say("/pivot join", as_=name)
        await bot.say(f"/pivot checkin 4h {name} at work", as_=name)
    await bot.say("/pivot settings leaderboard hide", as_="grace")


async def test_a_hidden_member_holds_no_place_and_is_only_counted(
    bot: BotDriver, engine: AsyncEngine, content: ContentLibrary
):
    await _cohort_with_two_hidden(bot)
    reply = await bot.say("/pivot leaderboard week", as_="ada")
    assert board(reply) == [
        "1. ada (you) — 10 points",
        "1. bob — 10 points",
        "1. linus — 10 points",
    ]
    assert "…and 1 more who keeps their standing private." in reply.text
    await bot.say("/pivot settings leaderboard hide", as_="linus")
    for name in BOARDS:
        shown = await bot.say(f"/pivot leaderboard {name}", as_="ada")
        assert "grace" not in shown.text, name
        assert "linus" not in shown.text, name
        assert "hidden" not in shown.text.lower(), name
    reply = await bot.say("/pivot leaderboard week", as_="ada")
    assert board(reply) == ["1. ada (you) — 10 points", "1. bob — 10 points"]
    assert "…and 2 more who keep their standing private." in reply.text
    post = await weekly_post(bot, engine, content)
    assert "grace" not in post.text
    assert "linus" not in post.text
    assert "…and 2 more who keep their standing private." in post.text
    image = next(b for b in post.blocks if isinstance(b, Image))
    assert "grace" not in image.alt.lower()


async def test_a_hidden_member_privately_sees_their_own_week_but_no_place(bot: BotDriver):
    await _cohort_with_two_hidden(bot)
    reply = await bot.say("/pivot leaderboard week", as_="grace")
    assert reply.ephemeral
    assert reply.text.splitlines()[0] == (
        "You: 10 points this week (0 last week) · your plan: on track · "
        "you keep your standing private, so no board ranks you."
    )
    assert "grace" not in "\n".join(board(reply))


# --- the private line ---


async def test_the_private_line_leads_with_the_week_and_the_plan_not_a_low_place(bot: BotDriver):
    await three_weeks_of_checkins(bot)
    dee = await bot.say("/pivot leaderboard all", as_="dee")
    assert dee.text.splitlines()[0] == (
        "You: 0 points this week (0 last week) · your plan: on track · 10 points in all."
    )
    assert "4 of 4" not in dee.text
    assert "My place" in [b.label for b in dee.buttons]
    asked = await bot.press(dee, "My place", as_="dee")
    assert asked.text.splitlines()[0].endswith("· 10 points in all · place 4 of 4.")
    typed = await bot.say("/pivot leaderboard all place", as_="dee")
    assert typed.text == asked.text


async def test_the_top_half_sees_their_place_without_asking(bot: BotDriver):
    await three_weeks_of_checkins(bot)
    bob = await bot.say("/pivot leaderboard all", as_="bob")
    assert bob.text.splitlines()[0] == (
        "You: 10 points this week (10 last week) · your plan: on track · 20 points in all · "
        "place 2 of 4, shared."
    )
    assert "My place" not in [b.label for b in bob.buttons]


async def test_members_who_did_nothing_are_never_listed(
    bot: BotDriver, engine: AsyncEngine, content: ContentLibrary
):
    await _cohort_with_two_hidden(bot)
    await bot.say("/pivot join", as_="zed")
    for name in ("week", "phase", "all"):
        reply = await bot.say(f"/pivot leaderboard {name}", as_="ada")
        assert "zed" not in reply.text, name
    assert "zed" not in (await weekly_post(bot, engine, content)).text.split("Pace against")[0]
    own = await bot.say("/pivot leaderboard week", as_="zed")
    assert "your next check-in or milestone puts you on this board" in own.text
    assert own.ephemeral


async def test_last_weeks_points_do_not_count_this_week(bot: BotDriver):
    await _cohort_with_two_hidden(bot)
    bot.advance(weeks=1)
    await bot.say("/pivot checkin 2h reading", as_="bob")
    week = await bot.say("/pivot leaderboard week", as_="ada")
    assert "(2026-W50)" in week.text
    assert board(week) == ["1. bob — 10 points"]
    assert week.text.splitlines()[0].startswith("You: 0 points this week (10 last week)")


# --- boards ---


async def test_the_phase_board_ranks_only_members_in_the_same_phase(
    bot: BotDriver, content: ContentLibrary
):
    await bot.say("/pivot join")
    await bot.say("/pivot join", as_="grace")
    await finish_phase_milestones(bot, content, 1)
    await answer_all(bot, await bot.say("/pivot quiz"), content, right=8)
    await bot.say("/pivot checkin 5h docker", as_="ada")
    await bot.say("/pivot checkin 9h lots", as_="grace")
    ada = await bot.say("/pivot leaderboard phase", as_="ada")
    assert "Points earned in phase 2" in ada.text
    assert board(ada) == ["1. ada (you) — 10 points"]
    grace = await bot.say("/pivot leaderboard phase", as_="grace")
    assert "Points earned in phase 1" in grace.text
    assert board(grace) == ["1. grace (you) — 10 points"]


async def test_the_pace_board_is_fair_to_a_late_joiner(bot: BotDriver):
    await bot.say("/pivot join")
    await bot.say("/pivot done git-workflow https://example.org/pr/1")
    bot.advance(weeks=20)
    await bot.say("/pivot join", as_="grace")
    await bot.say("/pivot done git-workflow https://example.org/pr/2", as_="grace")
    pace = await bot.say("/pivot leaderboard pace", as_="grace")
    assert board(pace) == ["1. grace (you) — on track"]  # ada, 20 weeks on with one done
    ada = await bot.say("/pivot leaderboard pace", as_="ada")
    assert ada.text.splitlines()[0] == (
        "You: 0 points this week (0 last week) · your plan: behind by 5 weeks · "
        "this board lists members with a milestone done, on or ahead of their plan."
    )
    assert (
        "Month 5 of 24 · standard track · behind by 5 weeks"
        in (await bot.say("/pivot status", as_="ada")).text
    )


async def test_status_and_the_pace_board_never_disagree_around_the_clock(bot: BotDriver):
    """Members far east and far west of the cohort's UTC, ahead, on track, behind and with
    nothing done yet; at every step of nine hours over five days, across the days when their
    dates and the cohort's differ, each member's status, their own line on the pace board
    and their row on it agree."""
    people = {
        "kiri": "Pacific/Kiritimati",
        "pago": "Pacific/Pago_Pago",
        "ada": "Europe/Berlin",
        "utc": "UTC",
    }
    for name, zone in people.items():
        await bot.say(f"/pivot join tz {zone}", as_=name)
    for _ in range(3):
        for name in ("kiri", "pago"):
            await bot.say("/pivot checkin 4h steady", as_=name)
        bot.advance(days=7)
    await bot.say("/pivot done git-workflow https://example.org/kiri/1", as_="kiri")
    await bot.say("/pivot done write-tests https://example.org/kiri/2", as_="kiri")
    await bot.say("/pivot done git-workflow https://example.org/pago/1", as_="pago")
    bot.clock.set(datetime.fromisoformat("2027-01-05T12:00+00:00"))
    await bot.say("/pivot done git-workflow https://example.org/utc/1", as_="utc")
    bot.clock.set(datetime.fromisoformat("2027-02-03T05:00+00:00"))
    states = set()
    for _ in range(14):
        for name in people:
            status = (await bot.say("/pivot status", as_=name)).text
            pace = status.splitlines()[1].split(" · ")[-1]
            states.add(pace.split(" by ")[0])
            own = await bot.say("/pivot leaderboard pace", as_=name)
            assert f"your plan: {pace} ·" in own.text.splitlines()[0], (name, pace, own.text)
            listed = [line for line in board(own) if f" {name} (you) — " in line]
            if pace.startswith("behind") or name == "ada":  # ada has nothing done
                assert not listed, (name, own.text)
            else:
                assert listed, (name, own.text)
                assert listed[0].endswith(f"— {pace}"), (name, pace, listed)
        bot.advance(hours=9)
    assert states == {"ahead", "on track", "behind"}


async def test_the_weekly_post_is_public_and_carries_the_cohort_chart(
    bot: BotDriver, engine: AsyncEngine, content: ContentLibrary
):
    await _cohort_with_two_hidden(bot)
    post = await weekly_post(bot, engine, content)
    assert not post.ephemeral
    assert "Weekly standings · cohort spring · 2026-W49" in post.text
    assert "You" not in post.text
    image = next(b for b in post.blocks if isinstance(b, Image))
    assert image.png_bytes is not None
    assert image.png_bytes.startswith(b"\x89PNG")
    assert image.filename == "cohort-spring-2026-W49.png"


async def test_hiding_also_keeps_a_phase_change_out_of_the_channel(
    bot: BotDriver, content: ContentLibrary, engine: AsyncEngine
):
    await bot.say("/pivot join")
    await bot.say("/pivot settings leaderboard hide")
    await finish_phase_milestones(bot, content, 1)
    result = await answer_all(bot, await bot.say("/pivot quiz"), content, right=8)
    assert "Welcome to phase 2" in result.text
    async with session_factory(engine)() as session:
        assert await session.scalar(select(Delivery).where(Delivery.kind == "announcement")) is None


async def test_the_rules_explain_points_limits_and_ties(bot: BotDriver):
    reply = await bot.say("/pivot leaderboard rules")
    assert not reply.is_error
    assert "A weekly check-in: 10" in reply.text
    assert "A milestone: 25, plus 5 with an evidence link you have not used" in reply.text
    assert "A phase gate passed: 100" in reply.text
    assert "4 weeks: +20, 8 weeks: +40, 12 weeks: +60" in reply.text
    assert "Milestone and evidence points stop at 60 in any one week." in reply.text
    assert "more than 4 weeks before its date on your plan needs 3 check-ins" in reply.text
    assert f"Ties: {TIES}" in reply.text
    assert "nobody is ever listed for not checking in" in reply.text
