"""The monthly recap DM: a month of the plan in numbers, in place of that week's nudge."""

from __future__ import annotations

from datetime import timedelta

from bot.messages import Actions, Header, Reply, Section
from bot.services.recaps import MonthlyRecap
from bot.services.snapshot import Snapshot
from bot.views.formatting import day, hours, plural
from bot.views.status import CHECKIN_BUTTON, STATUS_BUTTON, plan_end_offer


def _title(recap: MonthlyRecap, plan_months: int) -> str:
    if recap.within_plan(plan_months):
        return f"Your month {recap.month} of {plan_months} in numbers"
    return f"Your month to {day(recap.ends_on - timedelta(days=1))} in numbers"


def _milestones(recap: MonthlyRecap) -> str:
    overall = (
        f"{recap.required_done} of the roadmap's {recap.required_total} required milestones "
        "are behind you"
    )
    if not recap.milestones:
        return f"No milestone done this month; {overall}."
    return f"Done this month: {', '.join(recap.milestones)}. {overall}."


def recap_reply(name: str, recap: MonthlyRecap, snapshot: Snapshot) -> Reply:
    last_day = recap.ends_on - timedelta(days=1)
    weeks = plural(recap.weeks_checked_in, "check-in")
    lines = [
        f"Hours: {hours(recap.hours)} this month ({weeks}), {hours(recap.total_hours)} in all.",
        _milestones(recap),
        f"Pace: {recap.pace.describe()} (a month ago: {recap.pace_before.describe()}).",
        f"Streak: {plural(recap.streak, 'week')}.",
    ]
    offer = plan_end_offer(snapshot)
    if offer is not None:
        lines.append(offer)
    if not snapshot.checked_in_this_week:
        lines.append(
            "This recap stands in for this week's nudge: "
            "`/pivot checkin 5h what you did | blockers` when you're ready."
        )
    return Reply.of(
        Header(_title(recap, snapshot.plan_months)),
        Section(f"Hi {name}, here is {day(recap.starts_on)} to {day(last_day)}.", tuple(lines)),
        Actions((CHECKIN_BUTTON, STATUS_BUTTON)),
    )
