"""Places on a board: ties share a place, and a tie too big to list is one line.

Places follow standard competition ranking (1, 2, 2, 4): members level on the board's measure
share a place, and the next place counts everyone above it. A board names members up to its
top ``N`` lines; a tie that would run past them becomes one line with its size, so a tie is
never cut in two, with some of its members named and the rest left off.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


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


def board_lines(rows: Sequence[Placed], top: int) -> tuple[BoardLine, ...]:
    """The lines a board shows, from its rows in board order.

    ``rows`` must hold at least every row whose line number is within ``top``; rows of a tie
    share a position, and the tie's full size is in each row's ``tied``.
    """
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
