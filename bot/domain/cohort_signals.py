"""Patterns an organiser looks for across a cohort's check-ins, as plain functions: blockers
several members share, confidence that stays low, and how many hours members put in a month.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

LOW_CONFIDENCE = 2  # 1-5; this or lower is low
LOW_RUN = 2  # check-ins in a row at low confidence before an organiser hears of it
SHARED_BY = 2  # members who must name a blocker before it counts as shared

_WORD = re.compile(r"[a-z0-9][a-z0-9+#]*(?:[.-][a-z0-9+#]+)*")
# Words that say nothing about what blocks someone, so "blocked on docker" and "docker
# issues" both come down to "docker".
_FILLER_WORDS = """
    about again all also am an and any are as at be been being bit blocked blocker blockers
    but by can cannot could did do does doing done for from get getting got had has have how
    in into is issue issues it its just lot me more my na no none not nothing of on or our
    out problem problems some still stuck that the their them then there this to too trying
    up us was we week weeks were what when which while with without work working yet
"""
_FILLER = frozenset(_FILLER_WORDS.split())


@dataclass(frozen=True)
class SharedBlocker:
    topic: str  # one word or two, as members wrote them
    members: tuple[str, ...]  # who named it, in name order


def _terms(text: str) -> set[str]:
    """The words of a blocker that carry meaning, and each pair of them written together."""
    words = [
        w
        for w in _WORD.findall(text.lower())
        if len(w) > 1 and w not in _FILLER and not w.isdigit()
    ]
    return set(words) | {f"{a} {b}" for a, b in itertools.pairwise(words)}


def shared_blockers(
    blockers: Mapping[str, Iterable[str]], limit: int = 5
) -> tuple[SharedBlocker, ...]:
    """Topics named in the blockers of at least ``SHARED_BY`` members, most shared first.

    ``blockers`` holds each member's blocker texts by name. A word is dropped when a pair
    holding it was named by exactly the same people, so "docker networking" is not also
    listed as "docker" and "networking".
    """
    named: defaultdict[str, set[str]] = defaultdict(set)
    for member, texts in blockers.items():
        for text in texts:
            for term in _terms(text):
                named[term].add(member)
    shared = {term: who for term, who in named.items() if len(who) >= SHARED_BY}
    pairs = [term for term in shared if " " in term]
    kept = [
        term
        for term, who in shared.items()
        if " " in term or not any(term in p.split() and shared[p] == who for p in pairs)
    ]
    kept.sort(key=lambda t: (-len(shared[t]), -t.count(" "), t))
    return tuple(SharedBlocker(t, tuple(sorted(shared[t], key=str.casefold))) for t in kept[:limit])


def low_confidence_run(confidences: Sequence[int | None]) -> tuple[int, ...]:
    """The latest unbroken run of low confidence in one member's check-ins (oldest first,
    ``None`` where they gave none, which neither breaks nor extends a run); empty unless it
    is at least ``LOW_RUN`` long."""
    run: list[int] = []
    for value in reversed([c for c in confidences if c is not None]):
        if value > LOW_CONFIDENCE:
            break
        run.append(value)
    return tuple(reversed(run)) if len(run) >= LOW_RUN else ()


@dataclass(frozen=True)
class HoursSpread:
    median: float
    least: float
    most: float
    members: int


def hours_spread(per_member: Iterable[float]) -> HoursSpread | None:
    """The median and range of hours across members; ``None`` for nobody."""
    values = sorted(per_member)
    if not values:
        return None
    return HoursSpread(statistics.median(values), values[0], values[-1], len(values))
