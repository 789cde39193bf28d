"""A member who seems stuck is offered help for what they wrote, and their admins hear of it."""

from __future__ import annotations

from bot.content.loader import ContentLibrary
from bot.domain.struggles import CheckinNote, matching_milestone, struggle_in
from bot.domain.weeks import IsoWeek
from testkit.driver import BotDriver

W = IsoWeek(2027, 10)


def _notes(*entries: tuple[str | None, int | None]) -> list[CheckinNote]:
    week = W
    notes = []
    for blockers, confidence in entries:
        notes.append(CheckinNote(week, blockers, confidence))
        week = week.next()
    return notes


def test_the_same_blocker_three_check_ins_running_is_a_struggle_however_it_is_typed() -> None:
    found = struggle_in(
        _notes(
            ("kubernetes networking confuses me", 3),
            ("Kubernetes  networking confuses me.", 4),
            ("kubernetes networking confuses me", None),
        )
    )
    assert found is not None
    assert found.repeated
    assert found.low_confidence is None
    assert found.blocker == "kubernetes networking confuses me"


def test_two_repeats_none_blockers_or_a_changed_one_are_not() -> None:
    assert struggle_in(_notes(("docker", 3), ("docker", 3))) is None
    assert struggle_in(_notes(("none", 3), ("None", 3), ("none", 3))) is None
    assert struggle_in(_notes(("docker", 3), ("docker", 3), ("airflow", 3))) is None


def test_a_confidence_of_two_or_lower_is_a_struggle_on_its_own() -> None:
    found = struggle_in(_notes(("airflow retries", 2)))
    assert found is not None
    assert found.low_confidence == 2
    assert not found.repeated
    assert struggle_in(_notes((None, 3))) is None


def test_the_blocker_is_matched_to_the_milestone_it_talks_about(content: ContentLibrary) -> None:
    roadmap = content.roadmap(None)
    everything = [m for phase in roadmap.phases for m in phase.milestones]
    first = everything[0]

    def key(text: str) -> str | None:
        found = matching_milestone(text, everything, first)
        return found.key if found else None

    assert key("kubernetes networking confuses me") == "kubernetes-basics"
    assert key("rebase conflicts scare me") == "git-workflow"
    assert key("testing async code is hard") == "write-tests"
    assert key("no idea where to start") == first.key  # nothing matches: the member's focus


async def test_a_third_check_in_with_the_same_blocker_offers_that_milestones_resources(
    bot: BotDriver,
) -> None:
    await bot.say("/pivot join spring")
    for week in range(3):
        reply = await bot.say(f"/pivot checkin 4h week {week} | kubernetes networking confuses me")
        if week < 2:
            assert "blocker 3 check-ins running" not in reply.text
        bot.advance(weeks=1)
    assert "“kubernetes networking confuses me” has been your blocker 3 check-ins running" in (
        reply.text
    )
    assert "Places that help with Learn Kubernetes basics:" in reply.text
    assert "https://kubernetes.io/docs/tutorials/kubernetes-basics/" in reply.text
    assert "admins see this in their private digest" in reply.text


async def test_a_low_confidence_is_answered_with_help_for_the_blocker_or_the_focus(
    bot: BotDriver,
) -> None:
    await bot.say("/pivot join spring")
    reply = await bot.say("/pivot checkin 2h not much | docker volumes | 1")
    assert "You put your confidence at 1 of 5 this week." in reply.text
    assert "Places that help with Containerise a service with Docker:" in reply.text
    bot.advance(weeks=1)
    calm = await bot.say("/pivot checkin 5h better | none | 4")
    assert "Places that help" not in calm.text
