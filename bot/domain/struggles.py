"""Spotting a member who is stuck, from what they write in their check-ins. Pure.

Two signs count: the same blocker in the last three check-ins, or a confidence of 2 or
lower. Either is answered with the resources of the milestone the blocker is about (or, with
nothing to match, the member's current focus), and told to the cohort's admins in private.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.content.schema import Milestone
from bot.domain.weeks import IsoWeek

REPEATS = 3
LOW_CONFIDENCE = 2
_WORD = re.compile(r"[a-z0-9+#]+")
_NOTHING = {"", "none", "no", "nothing", "n/a", "na", "-", "nope"}
# Words too common in blockers and titles to say which milestone one is about.
_COMMON = {
    "about",
    "after",
    "basics",
    "beyond",
    "build",
    "with",
    "what",
    "when",
    "from",
    "into",
    "learn",
    "that",
    "this",
    "your",
    "work",
    "have",
    "still",
    "some",
    "time",
    "need",
    "more",
    "much",
    "make",
    "real",
    "someone",
    "else",
    "start",
    "finish",
    "idea",
    "where",
    "hard",
    "stuck",
    "know",
    "understand",
}


@dataclass(frozen=True)
class CheckinNote:
    """What a check-in says about how the week went."""

    week: IsoWeek
    blockers: str | None
    confidence: int | None


@dataclass(frozen=True)
class Struggle:
    week: IsoWeek  # of the check-in that showed it
    blocker: str | None  # that check-in's blocker, which says what the struggle is about
    repeated: bool  # the same blocker in the last three check-ins
    low_confidence: int | None  # when 2 or lower


def _normalised(text: str | None) -> str:
    words = " ".join((text or "").casefold().split()).strip(" .!?;,")
    return "" if words in _NOTHING else words


def struggle_in(notes: Sequence[CheckinNote]) -> Struggle | None:
    """``notes`` are a member's check-ins, oldest first; the newest one decides."""
    if not notes:
        return None
    latest = notes[-1]
    recent = notes[-REPEATS:]
    blocker = _normalised(latest.blockers)
    repeated = bool(blocker) and len(recent) == REPEATS
    repeated = repeated and all(_normalised(n.blockers) == blocker for n in recent)
    confidence = latest.confidence
    low = confidence if confidence is not None and confidence <= LOW_CONFIDENCE else None
    if not repeated and low is None:
        return None
    return Struggle(latest.week, (latest.blockers or "").strip() or None, repeated, low)


def _stem(word: str) -> str:
    """Crude, and enough here: "tests", "testing" and "tested" all become "test"."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _words(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(text.casefold()) if len(w) >= 3 and w not in _COMMON}


def _score(said: set[str], milestone: Milestone) -> int:
    """Words of the key and title count double; words of the description once."""
    named = _words(" ".join(milestone.key.split("-")) + " " + milestone.title)
    return 2 * len(said & named) + len(said & _words(milestone.description))


def matching_milestone(
    text: str, candidates: Sequence[Milestone], fallback: Milestone | None
) -> Milestone | None:
    """The milestone that shares the most words with ``text``; ``candidates`` come in order
    of preference (the member's phase first), which breaks ties."""
    said = _words(text)
    best, best_score = fallback, 1  # one word of a description alone is chance
    for milestone in candidates:
        score = _score(said, milestone)
        if score > best_score:
            best, best_score = milestone, score
    return best
