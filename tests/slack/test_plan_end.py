"""Past the plan's end in Slack: the same month count, the same offer, the same commands."""

from __future__ import annotations

from bot.clock import ManualClock
from tests.scheduler.conftest import utc
from tests.support.slack_harness import SlackHarness


async def test_a_member_past_the_plans_end_is_offered_and_given_more_months(
    spring: SlackHarness, clock: ManualClock
) -> None:
    clock.set(utc(2028, 12, 4, 9))  # month 25 of 24
    status = await spring.command("/pivot status")
    assert "Month 24 of 24 (past the plan's end)" in status.text
    too_few = await spring.command("/pivot extend 3")
    assert too_few.text == (
        "3 months is less than the work still ahead needs: at least 24. "
        "Example: `/pivot extend 24`."
    )
    extended = await spring.command("/pivot extend 24")
    assert "Month 25 of 48" in extended.text
    assert [b["text"]["text"] for b in extended.blocks[-1]["elements"]] == ["Status"]


async def test_a_re_plan_from_today_in_slack(spring: SlackHarness, clock: ManualClock) -> None:
    clock.set(utc(2027, 8, 2, 9))  # month 9, nothing done
    replanned = await spring.command("/pivot replan")
    assert "A fresh plan from today: phase 1 gets its full 6 months again." in replanned.text
    assert "Month 9 of 32" in replanned.text
