"""Leaderboards, the point rules and the points a member just earned, as replies.

A board names only the members it ranks: whoever keeps their standing private is only counted
under it. The viewer's own line is only ever in their private reply, and it leads with their
own week and plan; their place is in it only in the top half of the board, or when asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.content.point_rules import PointRules
from bot.domain.pace import Pace
from bot.domain.points import Award
from bot.domain.ranking import BoardLine, Placed, TieLine, board_lines, in_top_half, members_on
from bot.domain.weeks import local_now
from bot.messages import Actions, Block, Button, Header, Section
from bot.services.leaderboards import BOARDS, TOP, Board, Progress, Standings
from bot.views.formatting import day, plural, with_article

RULES_BUTTON = Button("How points work", "leaderboard rules")
PLACE = "place"
BOARD_LABELS: dict[Board, str] = {
    "week": "This week",
    "phase": "My phase",
    "all": "All time",
    "pace": "Pace",
}
TIES = "Members level with each other share a place (1, 2, 2, 4) and are listed by name."
_EARNED_FOR = {
    "checkin": "checking in",
    "milestone": "the milestone",
    "evidence": "its evidence",
    "gate": "the gate",
}
_EARNED_ORDER = ("checkin", "milestone", "evidence", "gate", "streak")


def earned_line(awards: Sequence[Award]) -> str | None:
    """``+25 points for the milestone, +5 for its evidence``; None when nothing is new."""
    if not awards:
        return None
    parts = []
    for award in sorted(awards, key=lambda a: (_EARNED_ORDER.index(a.kind), a.source)):
        if award.streak_length is not None:
            length = award.streak_length
            parts.append(f"+{award.points} for {with_article(f'{length}-week streak')}")
        else:
            parts.append(f"+{award.points} for {_EARNED_FOR[award.kind]}")
    first, *rest = parts
    return ", ".join([first.replace(" for ", " points for ", 1), *rest])


def milestone_points_line(
    key: str,
    with_evidence: bool,
    added: Sequence[Award],
    rules: PointRules,
    now: datetime,
    timezone: str,
) -> str:
    """What a milestone just marked earns, and why it earns less than usual or later."""
    mine = [a for a in added if a.source in (f"milestone:{key}", f"evidence:{key}")]
    cap = f"milestone points stop at {rules.milestone_week_cap} a week"
    if not mine:
        return f"No points for this one: {cap}, and this week's are earned."
    later = [a for a in mine if a.earned_at > now]
    if later:
        early = rules.early_milestone
        when = day(local_now(later[0].earned_at, timezone))
        return (
            f"+{sum(a.points for a in later)} points on {when}, when your plan reaches it: "
            f"marked more than {plural(early.weeks_ahead, 'week')} "
            f"early, a milestone needs {plural(early.checkins, 'check-in')} in its phase "
            "to earn its points at once."
        )
    line = earned_line(mine) or ""
    full = rules.milestone + (rules.milestone_evidence if with_evidence else 0)
    return f"{line} ({cap})" if sum(a.points for a in mine) < full else line


def board_title(standings: Standings) -> str:
    cohort = standings.cohort.name
    match standings.board:
        case "week":
            return f"Points this week ({standings.week}) · cohort {cohort}"
        case "phase":
            return (
                f"Points earned in phase {standings.phase}, among members in it · cohort {cohort}"
            )
        case "all":
            return f"Points, all time · cohort {cohort}"
    return f"Pace against each member's own plan · cohort {cohort}"


def _value(board: Board, score: int) -> str:
    if board != "pace":
        return plural(score, "point")
    return Pace("ahead", score).describe() if score > 0 else Pace("on track").describe()


def _line(board: Board, line: BoardLine, viewer_id: int | None) -> str:
    if isinstance(line, TieLine):
        return f"{line.position}. {line.members} members level — {_value(board, line.score)}"
    name = f"{line.display_name} (you)" if line.member_id == viewer_id else line.display_name
    return f"{line.position}. {name} — {_value(board, line.score)}"


def private_note(count: int) -> str:
    """``…and 2 more who keep their standing private.``"""
    verb = "keeps" if count == 1 else "keep"
    return f"…and {count} more who {verb} their standing private."


def _empty(board: Board, rules: PointRules) -> str:
    if board == "pace":
        return "Nobody with a milestone done is on or ahead of their own plan right now."
    if board == "week":
        return f"No points yet this week. A check-in is worth {rules.checkin}."
    return f"No points yet. A check-in is worth {rules.checkin}, a milestone {rules.milestone}."


def board_blocks(
    standings: Standings, rules: PointRules, viewer_id: int | None = None
) -> tuple[Block, ...]:
    """One board as everyone may see it; ``viewer_id`` marks the viewer's own row "(you)"."""
    lines = board_lines(standings.rows, standings.top)
    shown = (
        Section("", tuple(_line(standings.board, line, viewer_id) for line in lines))
        if lines
        else Section(_empty(standings.board, rules))
    )
    notes = []
    more = standings.ranked - members_on(lines)
    if more > 0:
        notes.append(f"…and {plural(more, 'more member')} on this board.")
    if standings.private:
        notes.append(private_note(standings.private))
    if any(isinstance(line, TieLine) or line.tied > 1 for line in lines):
        notes.append(TIES)
    return (Header(board_title(standings)), shown, *(Section(note) for note in notes))


def _board_score(standings: Standings, you: Placed) -> str | None:
    match standings.board:
        case "phase":
            return f"{plural(you.score, 'point')} in phase {standings.phase}"
        case "all":
            return f"{plural(you.score, 'point')} in all"
    return None


def you_line(standings: Standings, progress: Progress, place_asked: bool) -> str:
    """The viewer's private line: their week against the last and their plan first; their
    place only in the top half of the board, or when they asked for it."""
    parts = [
        f"You: {plural(progress.this_week, 'point')} this week ({progress.last_week} last week)",
        f"your plan: {progress.pace.describe()}",
    ]
    you = standings.you
    if not progress.visible:
        parts.append("you keep your standing private, so no board ranks you")
    elif you is None and standings.board == "pace":
        parts.append("this board lists members with a milestone done, on or ahead of their plan")
    elif you is None:
        parts.append("your next check-in or milestone puts you on this board")
    else:
        score = _board_score(standings, you)
        if score:
            parts.append(score)
        if _shows_place(standings, place_asked):
            shared = ", shared" if you.tied > 1 else ""
            parts.append(f"place {you.position} of {standings.ranked}{shared}")
    return " · ".join(parts) + "."


def _shows_place(standings: Standings, place_asked: bool) -> bool:
    you = standings.you
    return you is not None and (place_asked or in_top_half(you.position, standings.ranked))


def board_buttons(current: Board, standings: Standings, place_asked: bool) -> Actions:
    """Switch boards; ask for one's place when the line does not already show it."""
    place = (
        (Button("My place", "leaderboard show", (("board", current), (PLACE, PLACE))),)
        if standings.you is not None and not _shows_place(standings, place_asked)
        else ()
    )
    return Actions(
        (
            *place,
            *(
                Button(BOARD_LABELS[b], "leaderboard show", (("board", b),))
                for b in BOARDS
                if b != current
            ),
            RULES_BUTTON,
        )
    )


def rules_blocks(rules: PointRules) -> tuple[Block, ...]:
    streaks = ", ".join(f"{plural(b.weeks, 'week')}: +{b.points}" for b in rules.streak_bonuses)
    early = rules.early_milestone
    earning = (
        f"A weekly check-in: {rules.checkin}",
        f"A milestone: {rules.milestone}, plus {rules.milestone_evidence} with an evidence link "
        "you have not used for another milestone",
        f"A phase gate passed: {rules.gate_passed} (once per phase; a placement pass counts)",
        f"A streak bonus, once per streak, in the week it reaches {streaks or 'no bonuses set'}",
    )
    limits = (
        f"Milestone and evidence points stop at {rules.milestone_week_cap} in any one week.",
        f"A milestone marked more than {plural(early.weeks_ahead, 'week')} before its date on "
        f"your plan needs {plural(early.checkins, 'check-in')} in its phase behind it. Without "
        "them it still counts as done, but its points come when your plan reaches that date, "
        "and it keeps you on track without ever putting you ahead of your plan; mark it again "
        "once your check-ins back it.",
    )
    boards = (
        "week: points earned this ISO week, so everyone starts level every Monday.",
        "phase: points earned in your current phase, ranked only against members in it.",
        "all: points since you joined.",
        "pace: how far ahead of your own plan you are, in weeks, the same as `/pivot status` "
        "says; it lists everyone with a milestone done who is on or ahead of their plan, fair "
        "to late joiners and the fast track alike.",
    )
    return (
        Header("How points and leaderboards work"),
        Section("Points:", earning),
        Section("Limits:", limits),
        Section(
            "Streaks count consecutive ISO weeks with a check-in; a paused week neither breaks "
            "nor extends one. Taking a milestone back takes its points back too."
        ),
        Section("Boards:", boards),
        Section(f"Ties: {TIES}"),
        Section(
            f"Each board names its top {TOP} and only members who earned a place: nobody is "
            "ever listed for not checking in. Your own line shows your place when you are in "
            "the top half of a board, or when you ask (`/pivot leaderboard all place`). "
            "`/pivot settings leaderboard hide` keeps your standing private: no board or "
            "announcement ranks or names you, and boards only count how many keep theirs private."
        ),
    )
