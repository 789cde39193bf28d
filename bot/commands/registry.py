"""Every command the bot knows. A command added to a family's ``SPECS`` appears everywhere:
text parsing, help, Discord options and validation."""

from __future__ import annotations

from bot.commands import (
    checkins,
    cohorts,
    compensation,
    help,
    joining,
    manager,
    milestones,
    pausing,
    preferences,
    privacy,
    status,
)
from bot.commands.parsing import Registry

FAMILIES = (
    help,
    joining,
    status,
    checkins,
    milestones,
    manager,
    pausing,
    preferences,
    compensation,
    privacy,
    cohorts,
)


def default_registry() -> Registry:
    return Registry([spec for family in FAMILIES for spec in family.SPECS])
