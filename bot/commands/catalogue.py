"""Every command the bot knows. A command added to a family's ``SPECS`` appears everywhere:
text parsing, help, Discord options and validation."""

from __future__ import annotations

from bot.commands import (
    checkins,
    cohort_insights,
    cohort_quiz,
    cohorts,
    compensation,
    help,
    joining,
    leaderboards,
    manager,
    milestones,
    pausing,
    planning,
    preferences,
    privacy,
    quizzes,
    status,
)
from bot.commands.spec import Registry

FAMILIES = (
    help,
    joining,
    status,
    checkins,
    milestones,
    manager,
    quizzes,
    leaderboards,
    pausing,
    planning,
    preferences,
    compensation,
    privacy,
    cohorts,
    cohort_quiz,
    cohort_insights,
)


def default_registry() -> Registry:
    return Registry([spec for family in FAMILIES for spec in family.SPECS])
