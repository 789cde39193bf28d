"""Taking a phase gate: when it opens, passing, failing, resuming, and pressing buttons."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.content.loader import ContentLibrary
from bot.db.engine import session_factory
from bot.db.models import Delivery, Member, QuizAnswer, QuizAttempt
from bot.domain.quiz import Asked, draw, retakes_without_repeats
from bot.messages import Reply
from testkit.driver import BotDriver
from tests.support.quiz import (
    answer_all,
    answer_buttons,
    finish_phase_milestones,
    is_question,
    press,
    right_button,
    shown_question,
    wrong_button,
)

QUESTIONS = [(f"q{n:02d}", 4) for n in range(20)]


def _ids(drawn) -> list[str]:
    return [d.question_id for d in drawn]


def test_a_draw_is_the_same_for_the_same_seed_and_history():
    history = [Asked("q01", right=False, in_last_attempt=True)]
    assert draw(QUESTIONS, 8, 42, history) == draw(QUESTIONS, 8, 42, history)
    assert _ids(draw(QUESTIONS, 8, 42)) != _ids(draw(QUESTIONS, 8, 43))


def test_unseen_questions_come_first_then_ones_not_in_the_last_attempt_and_misses_last():
    first = _ids(draw(QUESTIONS, 8, 1))
    right, wrong = first[:5], first[5:]
    earlier = [Asked(q, q in right, in_last_attempt=True) for q in first]
    second = _ids(draw(QUESTIONS, 8, 2, earlier))
    assert not set(second) & set(first)
    history = [Asked(q, q in right, in_last_attempt=False) for q in first]
    history += [Asked(q, False, in_last_attempt=True) for q in second]
    third = _ids(draw(QUESTIONS, 8, 3, history))
    unseen = {q for q, _ in QUESTIONS} - set(first) - set(second)
    assert set(third[:4]) == unseen
    assert set(third[4:]) <= set(right)  # seen and answered right, not last time
    assert not set(third) & set(wrong)  # a miss comes back only after the rest run out
    fourth = _ids(draw(QUESTIONS, 19, 4, history))
    assert set(fourth[:4]) == unseen
    assert set(fourth[4:9]) == set(right)
    assert set(fourth[9:12]) == set(wrong)
    assert set(fourth[12:]) < set(second)


def test_a_bank_covers_as_many_retakes_as_it_has_fresh_draws_left():
    assert retakes_without_repeats(20, 8) == 1
    assert retakes_without_repeats(15, 8) == 0
    assert retakes_without_repeats(24, 8) == 2
    assert retakes_without_repeats(20, 5) == 3


async def _scalar(engine: AsyncEngine, query):
    async with session_factory(engine)() as session:
        return await session.scalar(query)


async def test_quiz_before_the_gate_opens_says_when_it_will(bot: BotDriver):
    await bot.say("/pivot join")
    reply = await bot.say("/pivot quiz")
    assert not reply.is_error
    assert "isn't open yet" in reply.text
    assert "opens on 16 May 2027" in reply.text
    assert "`/pivot done write-tests <link>`" in reply.text
    assert reply.buttons == ()


async def test_gate_opens_by_the_calendar_in_the_last_two_weeks(bot: BotDriver):
    await bot.say("/pivot join")
    bot.clock.set(datetime.fromisoformat("2027-05-16T09:00+00:00"))
    assert "The phase-1 gate quiz is open: `/pivot quiz`" in (await bot.say("/pivot status")).text
    reply = await bot.say("/pivot quiz")
    assert is_question(reply), reply.text
    assert "Phase 1 gate · question 1 of 8" in reply.text


async def test_finishing_every_required_milestone_opens_the_gate(
    bot: BotDriver, content: ContentLibrary
):
    await bot.say("/pivot join")
    reply = await finish_phase_milestones(bot, content, 1)
    assert "the phase-gate quiz is open" in reply.text
    assert reply.buttons[0].label == "Take the gate quiz"
    status = await bot.say("/pivot status")
    assert (
        "Every required milestone of phase 1 is done: the phase-gate quiz comes next" in status.text
    )


async def test_passing_with_milestones_done_moves_to_the_next_phase_and_tells_the_channel(
    bot: BotDriver, content: ContentLibrary, engine: AsyncEngine
):
    await bot.say("/pivot join")
    await finish_phase_milestones(bot, content, 1)
    result = await answer_all(bot, await bot.say("/pivot quiz"), content, right=8)
    assert "Phase 1 gate: passed with 8 of 8 (100%)" in result.text
    assert "Welcome to phase 2: Production systems" in result.text
    assert "+100 points for the gate" in result.text
    assert "Phase 2 of 4" in (await bot.say("/pivot status")).text
    post = await _scalar(engine, select(Delivery).where(Delivery.kind == "announcement"))
    assert post.target_channel_id == "pivot-spring"
    assert post.idempotency_key.startswith("advance:")
    assert "ada passed the phase-1 gate and moves on to phase 2" in post.payload["text"]


async def test_a_pass_with_milestones_missing_is_recorded_and_lists_them(
    bot: BotDriver, content: ContentLibrary
):
    await bot.say("/pivot join")
    await bot.say("/pivot done git-workflow https://example.org/pr/1")
    bot.clock.set(datetime.fromisoformat("2027-05-17T09:00+00:00"))
    result = await answer_all(bot, await bot.say("/pivot quiz"), content, right=7)
    assert "passed with 7 of 8 (87%)" in result.text
    assert "Your pass is recorded" in result.text
    assert "Write tests — `/pivot done write-tests <link>`" in result.text
    assert "Use Git beyond commits" not in result.text
    assert "Phase 1 of 4" in (await bot.say("/pivot status")).text
    again = await bot.say("/pivot quiz")
    assert "You passed the phase-1 gate on 17 May 2027" in again.text
    assert not is_question(again)


async def test_the_last_missing_milestone_after_a_pass_moves_the_member_on(
    bot: BotDriver, content: ContentLibrary
):
    await bot.say("/pivot join")
    bot.clock.set(datetime.fromisoformat("2027-05-17T09:00+00:00"))
    await answer_all(bot, await bot.say("/pivot quiz"), content, right=8)
    reply = await finish_phase_milestones(bot, content, 1)
    assert "Your gate quiz was already passed, so that finishes phase 1" in reply.text
    assert "welcome to phase 2" in reply.text
    assert "Phase 2 of 4" in (await bot.say("/pivot status")).text


async def test_a_fail_names_the_topics_to_review_and_explains_without_an_answer_key(
    bot: BotDriver, content: ContentLibrary
):
    await bot.say("/pivot join")
    await finish_phase_milestones(bot, content, 1)
    reply = await bot.say("/pivot quiz")
    missed = []
    for index in range(8):
        if index < 5:
            reply = await press(bot, right_button(reply, content))
        else:
            missed.append(shown_question(reply, content))
            reply = await press(bot, wrong_button(reply, content))
    assert "Phase 1 gate: not yet — 5 of 8 (62%)" in reply.text
    assert "You need 80% (7 of 8)" in reply.text
    topics = Counter(q.topic.replace("-", " ") for q in missed)
    assert "Topics to review: " in reply.text
    for topic, count in topics.items():
        assert f"{topic} ({count})" in reply.text
    for question in missed:
        assert question.question in reply.text
        assert question.explanation in reply.text
    assert "Answer:" not in reply.text
    assert "You chose:" not in reply.text
    assert "Questions you missed come back only once the ones you haven't seen run out." in (
        reply.text
    )
    assert "You can retake it from Monday 7 Dec 2026 at 09:00 (UTC)" in reply.text


async def _asked(
    bot: BotDriver, reply: Reply, content: ContentLibrary, *, right: int
) -> tuple[list[str], list[str]]:
    """Answer a whole attempt, the first ``right`` questions correctly: the ids answered
    right, and those answered wrong."""
    asked: tuple[list[str], list[str]] = ([], [])
    while is_question(reply):
        good = len(asked[0]) < right
        asked[0 if good else 1].append(shown_question(reply, content).id)
        reply = await press(bot, (right_button if good else wrong_button)(reply, content))
    return asked


async def test_a_retake_asks_nothing_from_the_last_attempt_while_the_bank_allows(
    bot: BotDriver, content: ContentLibrary
):
    await bot.say("/pivot join")
    await finish_phase_milestones(bot, content, 1)
    first_right, first_wrong = await _asked(bot, await bot.say("/pivot quiz"), content, right=2)
    first = {*first_right, *first_wrong}
    bot.advance(days=7)
    _none, missed = await _asked(bot, await bot.say("/pivot quiz"), content, right=0)
    second = set(missed)
    assert len(first) == len(second) == 8
    assert not first & second
    bot.advance(days=7)
    passed, _none = await _asked(bot, await bot.say("/pivot quiz"), content, right=8)
    third = set(passed)
    bank = {q.id for q in content.quiz_bank("standard").phase(1).questions}
    assert bank - first - second <= third  # the four never asked first,
    assert set(first_right) <= third  # then those answered right, not last time,
    assert len(third & set(first_wrong)) == 2  # and only then misses of the first attempt
    assert not third & second


async def test_an_abandoned_attempt_resumes_where_it_stopped(
    bot: BotDriver, content: ContentLibrary
):
    await bot.say("/pivot join")
    await finish_phase_milestones(bot, content, 1)
    reply = await bot.say("/pivot quiz")
    reply = await press(bot, right_button(reply, content))
    reply = await press(bot, wrong_button(reply, content))
    third = shown_question(reply, content)
    bot.advance(days=3)
    await bot.say("/pivot checkin 3h other things")
    resumed = await bot.say("/pivot quiz")
    assert "Picking up your phase-1 gate where you left off: 2 of 8 answered" in resumed.text
    assert shown_question(resumed, content) == third
    result = await answer_all(bot, resumed, content, right=6)
    assert "7 of 8" in result.text


async def test_pressing_the_same_answer_twice_counts_once(
    bot: BotDriver, content: ContentLibrary, engine: AsyncEngine
):
    await bot.say("/pivot join")
    await finish_phase_milestones(bot, content, 1)
    first = await bot.say("/pivot quiz")
    button = right_button(first, content)
    counted = await press(bot, button)
    again = await press(bot, button)
    assert "✓ Right." in counted.text
    assert "You already answered question 1 that way; it counted once." in again.text
    assert "question 2 of 8" in again.text
    assert await _scalar(engine, select(func.count()).select_from(QuizAnswer)) == 1
    attempt = await _scalar(engine, select(QuizAttempt))
    assert (attempt.position, attempt.correct) == (1, 1)


async def test_a_button_from_an_earlier_question_has_moved_on_and_changes_nothing(
    bot: BotDriver, content: ContentLibrary, engine: AsyncEngine
):
    await bot.say("/pivot join")
    await finish_phase_milestones(bot, content, 1)
    first = await bot.say("/pivot quiz")
    await press(bot, right_button(first, content))
    stale = await press(bot, wrong_button(first, content))
    assert "This quiz has moved on" in stale.text
    assert not stale.is_error
    assert stale.buttons[0].label == "Resume the quiz"
    attempt = await _scalar(engine, select(QuizAttempt))
    assert (attempt.position, attempt.correct) == (1, 1)


async def test_a_button_from_a_finished_attempt_has_moved_on(
    bot: BotDriver, content: ContentLibrary, engine: AsyncEngine
):
    await bot.say("/pivot join")
    await finish_phase_milestones(bot, content, 1)
    first = await bot.say("/pivot quiz")
    await answer_all(bot, first, content, right=0)
    stale = await press(bot, right_button(first, content))
    assert (
        stale.text
        == "This quiz has moved on: that button belongs to an earlier question, so nothing changed."
    )
    assert await _scalar(engine, select(QuizAttempt.correct)) == 0


async def test_someone_elses_quiz_button_changes_nothing(
    bot: BotDriver, content: ContentLibrary, engine: AsyncEngine
):
    await bot.say("/pivot join")
    await bot.say("/pivot join", as_="grace")
    await finish_phase_milestones(bot, content, 1)
    first = await bot.say("/pivot quiz")
    stale = await press(bot, right_button(first, content), as_="grace")
    assert "This quiz has moved on" in stale.text
    assert await _scalar(engine, select(QuizAttempt.position)) == 0


async def test_typed_answers_work_like_buttons(bot: BotDriver, content: ContentLibrary):
    await bot.say("/pivot join")
    await finish_phase_milestones(bot, content, 1)
    reply = await bot.say("/pivot quiz")
    number = answer_buttons(reply).index(right_button(reply, content)) + 1
    answered = await bot.say(f"/pivot quiz answer {number}")
    assert "✓ Right." in answered.text
    assert "question 2 of 8" in answered.text
    wrong = await bot.say("/pivot quiz answer 5")
    assert wrong.is_error
    assert "Question 2 has 4 answers" in wrong.text


async def test_answering_without_a_quiz_says_how_to_start_one(bot: BotDriver):
    await bot.say("/pivot join")
    reply = await bot.say("/pivot quiz answer 2")
    assert reply.is_error
    assert reply.text == "You have no quiz in progress. Start one with `/pivot quiz`."


@pytest.mark.parametrize("same_answer", [True, False])
async def test_two_presses_at_once_never_both_count(
    bot: BotDriver, content: ContentLibrary, engine: AsyncEngine, same_answer: bool
):
    import asyncio

    await bot.say("/pivot join")
    await finish_phase_milestones(bot, content, 1)
    first = await bot.say("/pivot quiz")
    one = right_button(first, content)
    other = one if same_answer else wrong_button(first, content)
    replies = await asyncio.gather(
        bot.core.answer(bot.invocation(command=one.command, args=one.arg_dict)),
        bot.core.answer(bot.invocation(command=other.command, args=other.arg_dict)),
    )
    assert not any(r.is_error for r in replies), [r.text for r in replies]
    assert await _scalar(engine, select(func.count()).select_from(QuizAnswer)) == 1
    attempt = await _scalar(engine, select(QuizAttempt))
    assert attempt.position == 1
    counted = [r for r in replies if "✓ Right." in r.text or "✗ Not quite." in r.text]
    assert len(counted) == 1


async def test_passing_the_final_gate_graduates_the_member(
    bot: BotDriver, content: ContentLibrary, engine: AsyncEngine
):
    await bot.say("/pivot join")
    for phase in (1, 2, 3, 4):
        await finish_phase_milestones(bot, content, phase)
        result = await answer_all(bot, await bot.say("/pivot quiz"), content, right=8)
        assert f"Phase {phase} gate: passed" in result.text
    assert "you have completed the roadmap" in result.text
    assert "the roadmap is complete" in (await bot.say("/pivot quiz")).text
    assert "completed the roadmap. 🎓" in (await bot.say("/pivot status")).text
    member = await _scalar(engine, select(Member))
    assert member.phase == 4
    keys = set(
        await _all(engine, select(Delivery.idempotency_key).where(Delivery.kind == "announcement"))
    )
    assert keys == {f"advance:{member.id}:{p}" for p in (1, 2, 3, 4)}


async def _all(engine: AsyncEngine, query):
    async with session_factory(engine)() as session:
        return list(await session.scalars(query))
