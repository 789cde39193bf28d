"""Places on a board: ties share a place, and a tie too big to list is one line.

Places follow standard competition ranking (1, 2, 2, 4): members level on the board's measure
share a place, and the next place counts everyone above it. A board names members up to its
top ``N`` lines; a tie that would run past them becomes one line with its size, so a tie is
never cut in two, with some of its members named and the rest left off.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

Entry = tuple[int, str, int]  # a member with something to show: id, display name, score


@dataclass(frozen=True)
class Placed:
    """One member's place on a board."""

    position: int  # competition rank among the members the board ranks
    tied: int  # how many members share this position, this one included
    member_id: int
    display_name: str
    score: int


@dataclass(frozen=True)
class TieLine:
    """Members level at one place, too many to name within the board's top lines."""

    position: int
    members: int
    score: int


BoardLine = Placed | TieLine


@dataclass(frozen=True)
class Tally:
    """What one pass over everyone a board ranks counts, beyond its first rows."""

    ranked: int  # members the board ranks
    level_with_last: int  # ranked members level with the last of the first rows
    above_you: int = 0  # ranked members ahead of the viewer
    level_with_you: int = 0  # ranked members level with the viewer, the viewer included


@dataclass(frozen=True)
class Ranking:
    top: tuple[Placed, ...]  # the first members in board order
    ranked: int  # how many members the board ranks
    you: Placed | None  # the viewer's place, when they are ranked


def rank(first: Sequence[Entry], tally: Tally, you: Entry | None = None) -> Ranking:
    """Places for a board's first rows and its viewer.

    ``first`` holds the best-scoring members, everyone scoring more than the last of them
    included (a tie may be cut off at the end: ``tally`` gives its full size). Level members
    are listed by name, case aside, then by id, so two runs always agree.
    """
    ordered = sorted(first, key=lambda e: (-e[2], e[1].casefold(), e[0]))
    level = Counter(score for _id, _name, score in ordered)
    if ordered:
        level[ordered[-1][2]] = tally.level_with_last
    placed: list[Placed] = []
    for line, (member_id, name, score) in enumerate(ordered, start=1):
        position = placed[-1].position if placed and placed[-1].score == score else line
        placed.append(Placed(position, level[score], member_id, name, score))
    mine = None
    if you is not None:
        mine = next((p for p in placed if p.member_id == you[0]), None) or Placed(
            tally.above_you + 1, tally.level_with_you, *you
        )
    return Ranking(tuple(placed), tally.ranked, mine)


def board_lines(rows: Sequence[Placed], top: int) -> tuple[BoardLine, ...]:
    """The lines a board shows, from its first ``top`` rows in board order (``rank``)."""
    lines: list[BoardLine] = []
    for row in rows:
        if row.position > top:
            break
        if row.position + row.tied - 1 > top:
            lines.append(TieLine(row.position, row.tied, row.score))
            break
        lines.append(row)
    return tuple(lines)


def members_on(lines: Sequence[BoardLine]) -> int:
    """How many members the lines account for, named or counted."""
    return sum(line.members if isinstance(line, TieLine) else 1 for line in lines)


def in_top_half(position: int, ranked: int) -> bool:
    """Whether a place is in the top half of a board of ``ranked`` members (1 of 1 is)."""
    return position <= (ranked + 1) // 2
