"""Quiz attempts as plain values: a reproducible draw, and the pass rule.

The draw depends only on the attempt's seed, and the seed only on what the database already
says (bank, member, phase, attempt number), so the same history always asks the same
questions in the same order: a console transcript replays exactly, and a support question
("why did I get this?") can be answered.
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


def draw(questions: Sequence[tuple[str, int]], size: int, seed: int) -> tuple[DrawnQuestion, ...]:
    """``size`` distinct questions from ``(id, option count)`` pairs, options shuffled.

    A bank smaller than ``size`` gives all of its questions.
    """
    rng = random.Random(seed)
    chosen = rng.sample(range(len(questions)), min(size, len(questions)))
    drawn = []
    for index in chosen:
        question_id, options = questions[index]
        order = list(range(options))
        rng.shuffle(order)
        drawn.append(DrawnQuestion(question_id, tuple(order)))
    return tuple(drawn)


def needed_to_pass(size: int, pass_percent: int) -> int:
    """The fewest right answers that reach the pass mark: 7 of 8 at 80%."""
    return -(-size * pass_percent // 100)


def passes(correct: int, size: int, pass_percent: int) -> bool:
    return correct >= needed_to_pass(size, pass_percent)


def score_percent(correct: int, size: int) -> int:
    """Rounded down, so a score reads at or above the pass mark exactly when it passes."""
    return 100 * correct // size if size else 0
