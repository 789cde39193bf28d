"""Marking milestones done with evidence, and taking them back."""

from __future__ import annotations

from testkit.driver import BotDriver


async def test_done_with_evidence_shows_progress(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    reply = await bot.say("/pivot done write-tests https://github.com/ada/svc/pull/12")
    assert "✓ Write tests — done." in reply.text
    assert "Evidence: https://github.com/ada/svc/pull/12" in reply.text
    assert "Phase 1 milestones █░░░░░░░░░ 1/7" in reply.text
    listing = await bot.say("/pivot milestones")
    assert (
        "✓ write-tests: Write tests — done 30 Nov 2026 · https://github.com/ada/svc" in listing.text
    )


async def test_marking_again_with_new_evidence_updates_it(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    await bot.say("/pivot done write-tests")
    reply = await bot.say("/pivot done write-tests https://example.org/ci/42")
    assert "was already done on 30 Nov 2026; evidence updated" in reply.text


async def test_a_bad_link_is_refused_in_one_line(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    reply = await bot.say("/pivot done write-tests github.com/ada")
    assert reply.is_error
    assert "evidence must be a link starting with https://" in reply.text
    assert "Phase 1 milestones" not in (await bot.say("/pivot milestones")).text.split("\n")[2]
    assert "✓" not in (await bot.say("/pivot milestones")).text


async def test_an_unknown_key_lists_the_valid_keys(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    reply = await bot.say("/pivot done tests")
    assert reply.is_error
    assert "Unknown milestone `tests`" in reply.text
    assert "git-workflow, write-tests, manager-conversation" in reply.text


async def test_a_later_phases_milestone_is_refused(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    reply = await bot.say("/pivot done docker")
    assert "`docker` belongs to phase 2; you're in phase 1" in reply.text


async def test_undo_takes_a_milestone_back(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    await bot.say("/pivot done git-workflow")
    reply = await bot.say("/pivot undo git-workflow")
    assert "Took back Use Git beyond commits" in reply.text
    assert "0/7" in (await bot.say("/pivot milestones")).text
    again = await bot.say("/pivot undo git-workflow")
    assert again.is_error
    assert "isn't marked done" in again.text


async def test_finishing_every_required_milestone_points_to_the_gate(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    keys = ["git-workflow", "write-tests", "cs-curriculum", "contribute-codebase", "web-service"]
    for key in keys:
        await bot.say(f"/pivot done {key}")
    reply = await bot.say("/pivot done explain-service")
    assert "Every required milestone of phase 1 is done" in reply.text
    assert "phase-gate quiz comes next" in (await bot.say("/pivot status")).text
