"""Leaderboards, the point rules and the points a member just earned, as replies.

A hidden member's row reads "(name hidden)" to everyone but themselves; nobody who did not
earn a place is listed, and the viewer's own line is only ever in their private reply.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.content.point_rules import PointRules
from bot.domain.points import Award
from bot.messages import Actions, Block, Button, Header, Section
from bot.services.leaderboards import BOARDS, TIE_BREAKS, TOP, Board, BoardRow, Standings
from bot.views.formatting import plural, with_article

HIDDEN_NAME = "(name hidden)"
RULES_BUTTON = Button("How points work", "leaderboard rules")
BOARD_LABELS: dict[Board, str] = {
    "week": "This week",
    "phase": "My phase",
    "all": "All time",
    "pace": "Pace",
}
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


def _value(standings: Standings, row: BoardRow) -> str:
    if standings.board != "pace":
        return plural(row.score, "point")
    return (
        f"{row.done_per_mille // 10}% of plan done, {row.elapsed_per_mille // 10}% of its time gone"
    )


def _name(row: BoardRow, viewer_id: int | None) -> str:
    if row.member_id == viewer_id:
        return f"{row.display_name} (you)" if row.visible else "You (hidden from others)"
    return row.display_name if row.visible else HIDDEN_NAME


def row_line(standings: Standings, row: BoardRow, viewer_id: int | None = None) -> str:
    return f"{row.position}. {_name(row, viewer_id)} — {_value(standings, row)}"


def _empty(board: Board, rules: PointRules) -> str:
    if board == "pace":
        return "Nobody is ahead of their own plan yet: the first milestone done changes that."
    if board == "week":
        return f"No points yet this week. A check-in is worth {rules.checkin}."
    return f"No points yet. A check-in is worth {rules.checkin}, a milestone {rules.milestone}."


def _you_line(standings: Standings, viewer_id: int) -> str:
    you = standings.you
    if you is not None:
        return f"You: {you.position} of {standings.listed} · {_value(standings, you)}."
    if standings.board == "pace":
        return (
            "You're not on this board right now: it lists members on or ahead of their own "
            "plan. `/pivot status` shows your next milestone."
        )
    return "You're not on this board yet: your next check-in or milestone puts you on it."


def board_blocks(
    standings: Standings, rules: PointRules, viewer_id: int | None = None
) -> tuple[Block, ...]:
    """One board; the viewer's own line only when ``viewer_id`` is given (private replies)."""
    blocks: list[Block] = [Header(board_title(standings))]
    if standings.top:
        more = standings.listed - len(standings.top)
        footer = f"…and {plural(more, 'more member')} on this board." if more > 0 else ""
        lines = tuple(row_line(standings, r, viewer_id) for r in standings.top)
        blocks.append(Section(footer, lines) if footer else Section("", lines))
    else:
        blocks.append(Section(_empty(standings.board, rules)))
    if viewer_id is not None:
        blocks.append(Section(_you_line(standings, viewer_id)))
    return tuple(blocks)


def board_buttons(current: Board) -> Actions:
    return Actions(
        (
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
    earning = (
        f"A weekly check-in: {rules.checkin}",
        f"A milestone: {rules.milestone}, plus {rules.milestone_evidence} with an evidence link",
        f"A phase gate passed: {rules.gate_passed} (once per phase; a placement pass counts)",
        f"A streak bonus, once per streak, in the week it reaches {streaks or 'no bonuses set'}",
    )
    boards = (
        "week: points earned this ISO week, so everyone starts level every Monday.",
        "phase: points earned in your current phase, ranked only against members in it.",
        "all: points since you joined.",
        "pace: the share of your own plan done against the share of its time gone; fair to "
        "late joiners and the fast track alike.",
    )
    ties = tuple(f"{board}: " + ", then ".join(TIE_BREAKS[board]) for board in BOARDS)
    return (
        Header("How points and leaderboards work"),
        Section("Points:", earning),
        Section(
            "Streaks count consecutive ISO weeks with a check-in; a paused week neither breaks "
            "nor extends one. Taking a milestone back takes its points back too."
        ),
        Section("Boards:", boards),
        Section("Ties break by:", ties),
        Section(
            f"Each board shows its top {TOP} and only members who earned a place: nobody is ever "
            "listed for not checking in. `/pivot settings leaderboard hide` keeps your name off "
            "every board and every announcement."
        ),
    )
