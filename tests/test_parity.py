"""Parity: one member's journey, run through the console, Slack and Discord, ends in the same
database state, and every reply on the way reads the same.

Each platform gets its own fresh database and its own clock, starting at the same moment and
moved the same way, so weeks, dates and quiz draws line up. Olga sets up cohort spring with
its channel; Ada joins, checks in three times in three ISO weeks (once through the check-in
form where the platform has one), marks two milestones done with links, finishes the rest of
phase 1's required milestones, fails the gate quiz by one answer (pressing each answer's
button), retakes it a week later pressing the right ones, and asks for the leaderboard.

The finished milestones open the gate, rather than a clock moved five months on into the
gate's calendar window: that is what a member does, and a pass moves Ada to phase 2 only
with every required milestone done, so the calendar's way would need them all the same.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from adapters.platform_service import PlatformInputs
from bot.clock import ManualClock
from bot.config import Settings
from bot.content.loader import ContentLibrary
from bot.core import PivotCore
from bot.db.engine import create_engine, session_factory
from tests.conftest import START
from tests.support.databases import copy_sqlite, truncate_all
from tests.support.normalised_state import State, normalised_state
from tests.support.parity_platforms import Platform, console, discord, slack
from tests.support.quiz import right_option_in, wrong_option_in
from tests.support.seen_replies import Seen

PLATFORMS = {"console": console, "slack": slack, "discord": discord}
FIRST_TWO = {
    "git-workflow": "https://github.com/ada/service/pull/1",
    "write-tests": "https://github.com/ada/service/actions/runs/7",
}

SHIPPED = "shipped https://github.com/ada/service and walked sam through it"

FreshInputs = Callable[
    [str], contextlib.AbstractAsyncContextManager[tuple[PlatformInputs, ManualClock]]
]


@dataclass(frozen=True)
class Run:
    replies: list[Seen]
    state: State


@pytest.fixture
def fresh_inputs(
    database_url: str,
    sqlite_template: Path,
    tmp_path: Path,
    settings: Settings,
    content: ContentLibrary,
) -> FreshInputs:
    """What a platform is built from, on an empty database of the kind under test, with a
    clock at START."""

    @contextlib.asynccontextmanager
    async def fresh(name: str) -> AsyncIterator[tuple[PlatformInputs, ManualClock]]:
        url = database_url
        if url.startswith("sqlite"):
            url = copy_sqlite(sqlite_template, tmp_path / f"{name}.db")
        engine = create_engine(url)
        if engine.dialect.name == "postgresql":
            await truncate_all(engine)
        clock = ManualClock(START)
        own = settings.model_copy(update={"database_url": url})
        core = PivotCore(session_factory(engine), clock, content, own)
        lookups = create_engine(url, immediate=False)
        try:
            yield PlatformInputs(core, own, lookups), clock
        finally:
            await lookups.dispose()
            await engine.dispose()

    return fresh


def is_question(reply: Seen) -> bool:
    return any(" · question " in line for line in reply.lines)


async def journey(on: Platform, content: ContentLibrary) -> None:
    await on.create_cohort("spring")
    await on.join("spring")
    await on.check_in("6h", "read the team's flask service", "none", 3)
    await on.done("git-workflow", FIRST_TWO["git-workflow"])
    await on.next_week()
    await on.check_in_by_form("4.5h", "wrote tests for the service", "flaky fixtures", 4)
    await on.done("write-tests", FIRST_TWO["write-tests"])
    await on.next_week()
    await on.check_in("7h", SHIPPED, "none", 5)
    for milestone in content.roadmap(None).phase(1).milestones:
        if milestone.required and milestone.key not in FIRST_TWO:
            await on.done(milestone.key)
    question, answered = await on.quiz(), 0
    while is_question(question):  # six of eight right: one short of the pass mark
        pick = right_option_in if answered < 6 else wrong_option_in
        question, answered = await on.press(pick(question.text, content)), answered + 1
    await on.next_week()
    question = await on.quiz()
    while is_question(question):
        question = await on.press(right_option_in(question.text, content))
    await on.leaderboard()


async def test_the_same_journey_ends_in_the_same_state_on_console_slack_and_discord(
    fresh_inputs: FreshInputs, content: ContentLibrary, tmp_path: Path
) -> None:
    runs: dict[str, Run] = {}
    for name, platform in PLATFORMS.items():
        async with fresh_inputs(name) as (inputs, clock):
            async with platform(inputs, clock, tmp_path) as on:
                await journey(on, content)
            runs[name] = Run(on.transcript, await normalised_state(inputs.lookups, on.names))

    typed = runs["console"]
    assert_the_journey_happened(typed.state, typed.replies)
    for name in ("slack", "discord"):
        assert runs[name].state.keys() == typed.state.keys()
        for part, rows in typed.state.items():
            assert runs[name].state[part] == rows, f"{name} differs from the console in {part}"
        assert runs[name].replies == typed.replies, f"{name} replied differently"


def assert_the_journey_happened(state: State, replies: list[Seen]) -> None:
    """Absolute facts, so three runs that are equal but empty, or equally broken, fail."""
    (cohort,) = state["cohorts"]
    assert (cohort["name"], cohort["channel"], cohort["admins"]) == (
        "spring",
        "#pivot-spring",
        ["Olga"],
    )
    (ada,) = state["members"]
    assert (ada["who"], ada["display_name"], ada["track"], ada["phase"]) == (
        "Ada",
        "Ada",
        "standard",
        2,
    )
    assert [(c["iso_week"], c["hours"], c["summary"]) for c in state["checkins"]] == [
        ("2026-W49", 6.0, "read the team's flask service"),
        ("2026-W50", 4.5, "wrote tests for the service"),
        ("2026-W51", 7.0, SHIPPED),
    ]
    evidence = {m["milestone_key"]: m["evidence_url"] for m in state["milestones"]}
    assert len(evidence) == 6
    assert {key: link for key, link in evidence.items() if link} == FIRST_TWO
    failed, passed = state["quiz attempts"]
    for attempt, status, right in ((failed, "failed", 6), (passed, "passed", 8)):
        assert (attempt["phase"], attempt["status"], attempt["correct"]) == (1, status, right)
        assert len(attempt["answers"]) == 8
    review = next(r.lines for r in replies if "Phase 1 gate: not yet — 6 of 8 (75%)" in r.lines)
    assert review[4].startswith("Topics to review: ")
    assert not [line for line in review if line.startswith(("Answer:", "You chose:"))]
    # Two early milestones wait for their plan dates (60 points, evidence included); the
    # four of week 51 stop at the weekly cap of 60.
    assert state["points by reason"] == {
        "checkin": 30,
        "milestone": 110,
        "evidence": 10,
        "gate": 100,
    }
    (standing,) = state["standings"]
    assert (standing["points_total"], standing["last_checkin_week"]) == (250, "2026-W51")
    (announcement,) = state["deliveries"]
    assert announcement["to"] == "#pivot-spring"
    assert announcement["text"].startswith("🎉 Ada passed the phase-1 gate")
    assert "Phase 1 gate: passed with 8 of 8 (100%)" in replies[-2].lines
    assert replies[-1].lines == (
        "You: 100 points this week (70 last week) · your plan: ahead by 19 weeks · place 1 of 1.",
        "Points this week (2026-W52) · cohort spring",
        "1. Ada (you) — 100 points",
    )


async def roadmap_journey(on: Platform) -> None:
    """Week one checked in on time, week two only on the Monday after, then the plan in full."""
    await on.create_cohort("spring")
    await on.join("spring")
    await on.check_in("6h", "read the team's flask service", "none", 3)
    await on.done("git-workflow", FIRST_TWO["git-workflow"])
    await on.next_week()
    await on.next_week()
    await on.check_in_last("4h", "wrote tests for the service")
    await on.milestone("write-tests")
    await on.roadmap()
    await on.history(5)


async def test_last_weeks_check_in_milestones_roadmap_and_history_read_the_same_everywhere(
    fresh_inputs: FreshInputs, tmp_path: Path
) -> None:
    runs: dict[str, Run] = {}
    for name, platform in PLATFORMS.items():
        async with fresh_inputs(name) as (inputs, clock):
            async with platform(inputs, clock, tmp_path) as on:
                await roadmap_journey(on)
            runs[name] = Run(on.transcript, await normalised_state(inputs.lookups, on.names))
    typed = runs["console"]
    late, milestone, roadmap, history = typed.replies[-4:]
    assert late.lines[0] == "Checked in for 2026-W50 (last week): 4h — wrote tests for the service"
    assert "Streak: 2 weeks · not checked in this week" in late.lines
    assert [c["iso_week"] for c in typed.state["checkins"]] == ["2026-W49", "2026-W50"]
    assert milestone.lines[:2] == (
        "Write tests (write-tests)",
        "Put a real test suite around code you own: unit tests, a few integration tests, "
        "fixtures, and tests that fail for the right reason.",
    )
    assert "Due on your plan: 10 Mar 2027" in milestone.lines
    pytest_docs = (
        "• pytest documentation — The usual Python test runner: fixtures, parametrised "
        "cases and plugins, each with small examples. https://docs.pytest.org/"
    )
    assert pytest_docs in milestone.lines
    assert [line for line in roadmap.lines if "Phase " in line and ":" in line][:4] == [
        "▶ Phase 1: Software-engineering fundamentals",
        "· Phase 2: Production systems, pipelines and infrastructure",
        "· Phase 3: A real model in production",
        "· Phase 4: Portfolio and job search",
    ]
    assert sum(line.startswith("Checkpoint: ") for line in roadmap.lines) == 4
    assert roadmap.links == ("Open my roadmap",)
    assert history.lines[1:] == (
        "2026-W50 · 4h — wrote tests for the service",
        "2026-W49 · 6h — read the team's flask service",
    )
    for name in ("slack", "discord"):
        assert runs[name].state == typed.state, f"{name} differs from the console"
        assert runs[name].replies == typed.replies, f"{name} replied differently"
