"""Every command the bot knows. A command added to a family's ``SPECS`` appears everywhere:
text parsing, help, Discord options and validation."""

from __future__ import annotations

from bot.commands import (
    checkin_history,
    checkins,
    cohort_followup,
    cohort_insights,
    cohort_lifecycle,
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
    roadmap,
    status,
    web_pages,
)
from bot.commands.spec import Registry

FAMILIES = (
    help,
    joining,
    status,
    roadmap,
    checkins,
    checkin_history,
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
    cohort_lifecycle,
    cohort_quiz,
    cohort_insights,
    cohort_followup,
    web_pages,
)


def default_registry() -> Registry:
    return Registry([spec for family in FAMILIES for spec in family.SPECS])
