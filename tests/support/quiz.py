"""Answer gate quizzes in tests the way a member would: read the question, press a button.

The right answer is looked up in the question bank by the question's text, so the tests
depend on what a member sees, never on how an attempt is stored.
"""

from __future__ import annotations

from bot.content.loader import ContentLibrary
from bot.content.quiz_schema import Question
from bot.messages import Button, Header, Reply, Section
from testkit.driver import BotDriver


def is_question(reply: Reply) -> bool:
    return any(isinstance(b, Header) and " · question " in b.text for b in reply.blocks)


def shown_question(reply: Reply, content: ContentLibrary) -> Question:
    blocks = list(reply.blocks)
    header = next(
        i for i, b in enumerate(blocks) if isinstance(b, Header) and " · question " in b.text
    )
    text = blocks[header + 1]
    assert isinstance(text, Section)
    for bank in content.quiz_banks.values():
        for phase in bank.phases:
            for question in phase.questions:
                if question.question == text.text:
                    return question
    raise AssertionError(f"no bank question reads {text.text!r}")


def asked_in(seen_text: str, content: ContentLibrary) -> Question:
    """The one bank question asked in ``seen_text``, a reply as a platform showed it; for
    tests that press buttons by the label a member reads."""
    seen = " ".join(seen_text.split())
    asked = [
        question
        for bank in content.quiz_banks.values()
        for phase in bank.phases
        for question in phase.questions
        if " ".join(question.question.split()) in seen
    ]
    assert len(asked) == 1, f"expected one bank question in {seen_text!r}, found {len(asked)}"
    return asked[0]


def right_option_in(seen_text: str, content: ContentLibrary) -> str:
    question = asked_in(seen_text, content)
    return question.options[question.correct_index].text


def wrong_option_in(seen_text: str, content: ContentLibrary) -> str:
    question = asked_in(seen_text, content)
    return next(o.text for o in question.options if not o.correct)


def answer_buttons(reply: Reply) -> list[Button]:
    return [b for b in reply.buttons if b.command == "quiz answer"]


def right_button(reply: Reply, content: ContentLibrary) -> Button:
    question = shown_question(reply, content)
    right = question.options[question.correct_index].text
    return next(b for b in answer_buttons(reply) if b.label == right)


def wrong_button(reply: Reply, content: ContentLibrary) -> Button:
    question = shown_question(reply, content)
    right = question.options[question.correct_index].text
    return next(b for b in answer_buttons(reply) if b.label != right)


async def press(bot: BotDriver, button: Button, as_: str = "ada") -> Reply:
    inv = bot.invocation(as_=as_, command=button.command, args=button.arg_dict)
    return await bot.core.answer(inv)


async def answer_all(
    bot: BotDriver, reply: Reply, content: ContentLibrary, *, right: int, as_: str = "ada"
) -> Reply:
    """Answer every remaining question, the first ``right`` of them correctly."""
    answered = 0
    while is_question(reply):
        pick = right_button if answered < right else wrong_button
        reply = await press(bot, pick(reply, content), as_)
        assert not reply.is_error, reply.text
        answered += 1
    return reply


async def finish_phase_milestones(
    bot: BotDriver, content: ContentLibrary, phase: int, as_: str = "ada"
) -> Reply:
    """Mark every required milestone of ``phase`` done, each with an evidence link."""
    reply = Reply("")
    for milestone in content.roadmap(None).phase(phase).milestones:
        if milestone.required:
            reply = await bot.say(
                f"/pivot done {milestone.key} https://example.org/{milestone.key}", as_=as_
            )
            assert not reply.is_error, reply.text
    return reply
