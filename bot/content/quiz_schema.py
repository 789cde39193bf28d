"""The shape of a quiz bank: one YAML file per phase, ``quizzes/<bank>/phase-<n>.yaml``.

A bank is edited by organisers, so every rule a member would trip over later is checked at
load: exactly one right answer, options short enough to be chat buttons, no question asked
twice, and enough questions that an attempt can be drawn without repeats.
"""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import Field, StringConstraints, model_validator

from bot.content.schema import Key, Line, Paragraph, Strict

MIN_QUESTIONS_PER_PHASE = 15
MAX_OPTION_CHARS = 75  # a chat button's label: Slack's and Discord's limit is 75 / 80

OptionText = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_OPTION_CHARS, strip_whitespace=True)
]


def normalised(text: str) -> str:
    """How two texts are compared for duplicates: case and spacing do not make them differ."""
    return " ".join(text.casefold().split())


class QuizOption(Strict):
    text: OptionText
    correct: bool = False


class Question(Strict):
    id: Key = Field(description="stable: attempts store it, so never reuse an id")
    topic: Key
    question: Paragraph
    options: tuple[QuizOption, ...] = Field(min_length=3, max_length=5)
    explanation: Paragraph = Field(description="why the right answer is right, shown on a miss")

    @model_validator(mode="after")
    def _one_right_answer(self) -> Self:
        right = sum(1 for o in self.options if o.correct)
        if right != 1:
            raise ValueError(f"exactly one option must be `correct: true`, found {right}")
        texts = [normalised(o.text) for o in self.options]
        if len(set(texts)) != len(texts):
            raise ValueError("two options have the same text")
        return self

    @property
    def correct_index(self) -> int:
        return next(i for i, o in enumerate(self.options) if o.correct)


class PhaseQuiz(Strict):
    """The questions for one phase's gate in one bank."""

    bank: Key
    phase: int = Field(ge=1, le=4)
    title: Line
    questions: tuple[Question, ...] = Field(min_length=MIN_QUESTIONS_PER_PHASE)

    @model_validator(mode="after")
    def _no_repeats(self) -> Self:
        ids = [q.id for q in self.questions]
        repeated_ids = sorted({i for i in ids if ids.count(i) > 1})
        if repeated_ids:
            raise ValueError(f"question ids must be unique: {repeated_ids}")
        seen: dict[str, str] = {}
        for question in self.questions:
            text = normalised(question.question)
            if text in seen:
                raise ValueError(
                    f"questions {seen[text]!r} and {question.id!r} ask the same thing word for word"
                )
            seen[text] = question.id
        return self

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


class QuizBank(Strict):
    """All four phases of one bank; a cohort points at a bank by its key."""

    key: Key
    phases: tuple[PhaseQuiz, PhaseQuiz, PhaseQuiz, PhaseQuiz]

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if [p.phase for p in self.phases] != [1, 2, 3, 4]:
            raise ValueError("a bank needs phase-1.yaml to phase-4.yaml")
        ids = [q.id for p in self.phases for q in p.questions]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"question ids must be unique across the bank: {repeated}")
        return self

    def phase(self, number: int) -> PhaseQuiz:
        return self.phases[min(max(number, 1), 4) - 1]

    @property
    def smallest_phase(self) -> int:
        """The most questions an attempt may ask in this bank without repeating one."""
        return min(len(p.questions) for p in self.phases)
