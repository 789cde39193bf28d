"""Quiz attempts as plain values: a reproducible draw, and the pass rule.

The draw depends only on the attempt's seed and the member's earlier answers in the phase,
and the seed only on what the database already says (bank, member, phase, attempt number),
so the same history always asks the same questions in the same order: a console transcript
replays exactly, and a support question ("why did I get this?") can be answered.

A failed attempt shows the explanations of the questions missed, which give their answers
away. So a retake asks questions the member has not seen first, then ones not in their last
attempt, and a question they got wrong only once the unseen ones have run out.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class DrawnQuestion:
    """One question of an attempt, with its options in the order they are shown.

    ``order[k]`` is the index in the bank of the option shown as number ``k + 1``; shuffling
    them keeps a retake from being answered by position.
    """

    question_id: str
    order: tuple[int, ...]

    def bank_option(self, shown_number: int) -> int:
        return self.order[shown_number - 1]


def attempt_seed(bank: str, member_id: int, phase: int, number: int) -> int:
    """A 63-bit seed from the attempt's identity; it fits a signed BIGINT everywhere."""
    digest = hashlib.sha256(f"{bank}|{member_id}|{phase}|{number}".encode()).digest()
    return int.from_bytes(digest[:8], "big") & (2**63 - 1)


@dataclass(frozen=True)
class Asked:
    """A question answered in an earlier attempt of the same phase."""

    question_id: str
    right: bool
    in_last_attempt: bool


def _staleness(asked: Sequence[Asked]) -> dict[str, int]:
    """How stale each asked question is, 1 (seen, not last time, never missed) to 4 (missed
    last time); a question never asked is 0, the freshest."""
    last = {a.question_id for a in asked if a.in_last_attempt}
    missed = {a.question_id for a in asked if not a.right}
    return {
        a.question_id: 1 + (a.question_id in missed) + 2 * (a.question_id in last) for a in asked
    }


def draw(
    questions: Sequence[tuple[str, int]], size: int, seed: int, asked: Sequence[Asked] = ()
) -> tuple[DrawnQuestion, ...]:
    """``size`` distinct questions from ``(id, option count)`` pairs, options shuffled.

    Fresh questions come first, then each staler kind in turn (see ``_staleness``), each
    kind drawn at random. A bank smaller than ``size`` gives all of its questions.
    """
    rng = random.Random(seed)
    staleness = _staleness(asked)
    kinds: dict[int, list[int]] = {}
    for index, (question_id, _options) in enumerate(questions):
        kinds.setdefault(staleness.get(question_id, 0), []).append(index)
    chosen: list[int] = []
    for kind in sorted(kinds):
        chosen.extend(rng.sample(kinds[kind], min(size - len(chosen), len(kinds[kind]))))
    drawn = []
    for index in chosen:
        question_id, options = questions[index]
        order = list(range(options))
        rng.shuffle(order)
        drawn.append(DrawnQuestion(question_id, tuple(order)))
    return tuple(drawn)


def retakes_without_repeats(questions: int, size: int) -> int:
    """How many retakes of ``size`` questions a phase of ``questions`` covers before a
    question comes back: the first attempt and each retake all draw fresh ones."""
    return max(0, questions // size - 1) if size > 0 else 0


def needed_to_pass(size: int, pass_percent: int) -> int:
    """The fewest right answers that reach the pass mark: 7 of 8 at 80%."""
    return -(-size * pass_percent // 100)


def passes(correct: int, size: int, pass_percent: int) -> bool:
    return correct >= needed_to_pass(size, pass_percent)


def score_percent(correct: int, size: int) -> int:
    """Rounded down, so a score reads at or above the pass mark exactly when it passes."""
    return 100 * correct // size if size else 0
