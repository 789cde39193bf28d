"""``milestones <key>``, ``roadmap`` and ``history``: the plan and its record, on the member's
own dates, the fast track included."""

from __future__ import annotations

from testkit.driver import BotDriver


async def test_a_milestone_in_full_has_its_description_evidence_date_state_and_resources(
    bot: BotDriver,
) -> None:
    await bot.say("/pivot join")
    reply = await bot.say("/pivot milestones cs-curriculum")
    lines = reply.text.splitlines()
    assert lines[0] == "Work through a CS curriculum (cs-curriculum)"
    assert "Harvard's CS50" in lines[1]
    assert "  Evidence it wants: a link to your course progress or notes" in lines
    assert "  Due on your plan: 24 Apr 2027" in lines
    assert "  State: open" in lines
    resources = [line for line in lines if line.startswith("  • ")]
    assert len(resources) == 3
    assert any("https://cs50.harvard.edu/x/" in line for line in resources)
    assert "Mark it done with `/pivot done cs-curriculum <link>`." in lines


async def test_a_done_milestone_shows_when_and_its_evidence(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    await bot.say("/pivot done write-tests https://github.com/ada/svc/pull/5")
    reply = await bot.say("/pivot milestones WRITE-TESTS")
    assert "State: done on 30 Nov 2026, evidence https://github.com/ada/svc/pull/5" in reply.text
    assert "Mark it done" not in reply.text


async def test_a_later_phases_milestone_is_shown_with_its_date_on_the_plan(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    reply = await bot.say("/pivot milestones docker")
    assert "State: ahead of you: phase 2 begins on your plan on 30 May 2027" in reply.text
    assert "Mark it done" not in reply.text


async def test_an_unknown_milestone_gets_one_line_naming_the_phases_keys(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    reply = await bot.say("/pivot milestones write-test")
    assert reply.is_error
    assert reply.text.startswith("There's no milestone `write-test`. Phase 1 has: git-workflow,")
    assert reply.text.endswith("Example: `/pivot milestones git-workflow`.")


async def test_the_roadmap_shows_four_phases_progress_and_checkpoints(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    await bot.say("/pivot done git-workflow")
    lines = (await bot.say("/pivot roadmap")).text.splitlines()
    assert lines[:2] == [
        "Your roadmap: Data scientist to ML engineer",
        # Marked in week one with no check-ins behind it, the milestone keeps her on track
        # but does not put her ahead.
        "Month 1 of 24 · standard track · on track",
    ]
    assert lines[2:6] == [
        "▶ Phase 1: Software-engineering fundamentals",
        "  Months 1–6 · you are here",
        "  Checkpoint: Could you take a medium-sized Python service your company runs, read it, "
        "and walk a junior engineer through how it works?",
        "Milestones █░░░░░░░░░ 1/7",
    ]
    assert "  Months 19–24 · from 30 May 2028" in lines
    assert sum(line.startswith("  Checkpoint: ") for line in lines) == 4


async def test_the_fast_track_roadmap_and_manager_milestone_follow_its_own_plan(
    bot: BotDriver,
) -> None:
    await bot.say("/pivot join track fast")
    roadmap = (await bot.say("/pivot roadmap")).text
    assert "  Months 1–2 · you are here" in roadmap
    assert "  Months 3–8 · from 30 Jan 2027" in roadmap
    manager = await bot.say("/pivot milestones manager-conversation")
    assert "Due on your plan: 30 Jan 2027" in manager.text  # phase 1 ends then, not in March
    listed = (await bot.say("/pivot milestones")).text
    assert "manager-conversation: Talk to your manager (optional) — due 30 Jan 2027" in listed
    bot.advance(days=35)  # month 2 of the fast plan
    assert "Talk to your manager: month 2 is the time." in (await bot.say("/pivot status")).text


async def test_history_lists_past_check_ins_newest_first(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    assert "No check-ins yet." in (await bot.say("/pivot history")).text
    for week in range(1, 11):
        await bot.say(f"/pivot checkin {week}h week {week}")
        bot.advance(weeks=1)
    lines = (await bot.say("/pivot history 3")).text.splitlines()
    assert lines[:4] == [
        "Your check-ins, newest first: 3 of 10 check-ins",
        "  2027-W05 · 10h — week 10",  # 2026 has a week 53
        "  2027-W04 · 9h — week 9",
        "  2027-W03 · 8h — week 8",
    ]
    assert "Older ones too: `/pivot history 10`." in lines
    every = (await bot.say("/pivot history")).text
    assert every.startswith("Your check-ins, newest first: 8 of 10 check-ins")
    assert (await bot.say("/pivot history 0")).is_error


async def test_help_for_a_group_lists_its_commands(bot: BotDriver) -> None:
    cohort = await bot.say("/pivot help cohort")
    assert not cohort.is_error
    assert "`/pivot cohort chart [<cohort>]`" in cohort.text
    assert "`/pivot cohort list` — Every cohort here, with members, channel and admins" in (
        cohort.text
    )
    quiz = (await bot.say("/pivot help quiz")).text
    assert "`/pivot quiz` — Take your phase-gate quiz" in quiz
    assert "/pivot quiz start" not in quiz
    checkin = (await bot.say("/pivot help checkin")).text
    assert "`/pivot checkin [this|last] <hours>h <what you did> [| <blockers>] [| <1-5>]`" in (
        checkin
    )
