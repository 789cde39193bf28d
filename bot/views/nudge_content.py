"""What a weekly nudge says: this week's focus, and one line about what the member did.

A member reads about a hundred nudges over two years. The line that changes is chosen from
what happened: a milestone just done, a streak that reached a mark, a date this week or one
that just passed; failing all of those, one of the focus milestone's resources, a different
one each week. A date is quoted only while it lies ahead: a milestone whose date has passed
is called overdue once, in the week it happened, and after that is simply the focus.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta

from bot.domain.weeks import weekday_name
from bot.services.snapshot import MilestoneState, Snapshot
from bot.views.formatting import day, plural
from bot.views.status import month_text, plan_end_offer

RECENT = timedelta(days=7)


def focus_line(snapshot: Snapshot) -> str:
    upcoming = snapshot.next_milestone
    if upcoming is None:
        return (
            f"Every required milestone of phase {snapshot.phase.number} is done: "
            "the phase-gate quiz is your focus."
        )
    if upcoming.due_on >= snapshot.today:
        return f"This week's focus: {upcoming.milestone.title} (due {day(upcoming.due_on)})."
    return f"This week's focus: {upcoming.milestone.title}."


def news_line(snapshot: Snapshot, streak_marks: Collection[int]) -> str:
    """The one line that follows what the member did, most notable first."""
    since = snapshot.now - RECENT  # last week's nudge, give or take a change of its time
    recent = [m for m in snapshot.milestones if m.done_at is not None and m.done_at >= since]
    if len(recent) == 1:
        return f"Well done on finishing {recent[0].milestone.title} this past week."
    if recent:
        return f"Well done: {plural(len(recent), 'milestone')} finished this past week."
    if snapshot.streak in streak_marks:
        return f"Your streak has reached {snapshot.streak} weeks: a mark worth a moment's pride."
    upcoming = snapshot.next_milestone
    if upcoming is not None and snapshot.today <= upcoming.due_on <= snapshot.this_week.sunday():
        return f"It's due this week, on {weekday_name(upcoming.due_on.weekday())}."
    return idea_line(snapshot, upcoming)


def overdue_line(snapshot: Snapshot) -> str | None:
    """Said in the first nudge after the focus milestone's date passed, and never again."""
    upcoming = snapshot.next_milestone
    if upcoming is None or not snapshot.today - RECENT <= upcoming.due_on < snapshot.today:
        return None
    return (
        f"{upcoming.milestone.title} passed its planned date on {day(upcoming.due_on)}. "
        "No need to rush: it stays your focus until it's done."
    )


def idea_line(snapshot: Snapshot, upcoming: MilestoneState | None) -> str:
    """Something to try, turning week by week through the focus milestone's resources."""
    if upcoming is None:
        return f"The phase's own test: {snapshot.phase.checkpoint}"
    resources = upcoming.milestone.resources
    pick = resources[snapshot.this_week.index % len(resources)]
    return f"Something to try this week: {pick.title} ({pick.url}). {pick.note}"


def nudge_fields(snapshot: Snapshot, streak_marks: Collection[int]) -> tuple[str, ...]:
    """The nudge's lines after its focus: the news, a date just passed, the plan's end if it
    came, and the month."""
    notes = (overdue_line(snapshot), plan_end_offer(snapshot))
    return (
        news_line(snapshot, streak_marks),
        *(note for note in notes if note),
        f"{month_text(snapshot)} · {snapshot.pace.describe()}",
    )
