"""What the weekly post says about people is decided when Slack takes it, not when it was
planned: a 429, then a member hides or deletes their data, and the retry never names them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import ManualClock
from bot.content.loader import ContentLibrary
from bot.core import PivotCore
from scheduler.jobs import DueJobs
from tests.support.slack_harness import SlackHarness

FRIDAY_EVENING = datetime(2026, 12, 4, 17, 0, tzinfo=UTC)  # after spring's 16:00 UTC slot


def _posts_to_spring(slack: SlackHarness, since: int = 0) -> list[str]:
    return [
        str(c.args.get("text", ""))
        for c in slack.fake.calls_to("chat.postMessage")[since:]
        if c.args.get("channel") == "CSPRING"
    ]


@pytest.mark.parametrize(
    ("change", "then"),
    [
        ("/pivot settings leaderboard hide", "hidden"),
        ("/pivot forget confirm", "deleted"),
    ],
)
async def test_a_weekly_post_retried_after_a_429_never_names_who_left_the_boards_meanwhile(
    spring: SlackHarness,
    core: PivotCore,
    clock: ManualClock,
    content: ContentLibrary,
    change: str,
    then: str,
) -> None:
    jobs = DueJobs(core.sessions, clock, content, {"slack": spring.service.outbox})
    checked_in = await spring.command("/pivot checkin 6h shipped the notes API")
    assert "Checked in" in checked_in.text
    await spring.command("/pivot join spring", user="UGRACE", user_name="grace")
    await spring.command("/pivot checkin 4h read about queues", user="UGRACE", user_name="grace")
    clock.set(FRIDAY_EVENING)
    spring.fake.rate_limit("chat.postMessage", retry_after=30)
    _, first = await jobs.run_due()
    assert first.retried >= 1
    refused = _posts_to_spring(spring)
    assert len(refused) == 1
    assert "1. Ada — 10 points" in refused[0]  # what the planned post said, answered 429
    tried = len(spring.fake.calls_to("chat.postMessage"))

    answer = await spring.command(change)
    assert not answer.body.get("text", "").startswith("Something went wrong"), answer.text
    clock.advance(timedelta(minutes=10))
    _, second = await jobs.run_due()
    assert second.sent >= 1
    posted = _posts_to_spring(spring, since=tried)
    assert len(posted) == 1, f"{then}: {posted}"
    assert "Grace" in posted[0]  # the board itself still went out
    assert "Ada" not in posted[0], f"{then} member named: {posted[0]}"
