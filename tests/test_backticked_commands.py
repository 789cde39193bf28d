"""Every command a reply writes in backticks runs as written.

The replies are those the whole suite produced (kept by ``tests.support.reply_log``; this test
runs last), a tour of its own through every command and a few months of scheduled messages
(so the check means something when run alone), and the README's console transcripts. Each
``/pivot …`` found gets valid values in place of its placeholders and is parsed by the real
registry, exactly as a typed command is.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from bot.clock import ManualClock
from bot.commands.catalogue import default_registry
from bot.commands.errors import UsageError
from bot.commands.parsing import parse_text
from bot.content.loader import ContentLibrary
from bot.messages import Reply
from scheduler.jobs import DueJobs
from testkit.driver import BotDriver
from testkit.outboxes import RecordingOutbox
from tests.support.quiz import finish_phase_milestones
from tests.support.reply_log import SEEN, backticked_commands
from tests.support.transcripts import find_transcripts

README = Path(__file__).resolve().parent.parent / "README.md"
REGISTRY = default_registry()

# A valid value for every placeholder a reply may show; a new placeholder fails the test
# until it is given one here.
VALUES = {
    "<key>": "write-tests",
    "<milestone>": "write-tests",
    "<link>": "https://github.com/you/service/pull/12",
    "<evidence link>": "https://github.com/you/service/pull/12",
    "<evidence-url>": "https://github.com/you/service/pull/12",
    "<hours>": "5",
    "<what you did>": "wrote the tests",
    "<blockers>": "none",
    "<1-5>": "4",
    "<1-4>": "2",
    "<n>": "2",
    "<N>": "10",
    "<weekday>": "monday",
    "<HH:MM>": "09:00",
    "<command>": "checkin",
    "<cohort>": "spring",
    "<name>": "spring",
    "<weeks>": "2",
    "<months>": "24",
    "<Area/City>": "Europe/Berlin",
    "<YYYY-MM-DD>": "2027-03-01",
    "<#channel>": "#pivot-spring",
    "<@user>": "@sam",
    "<@member>": "@sam",
    "<old>": "spring",
    "<new>": "spring-2027",
    "<percent>": "75",
    "<days>": "5",
}
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_ALTERNATIVES = re.compile(r"(?<![\w<])([\w-]+)(?:\|[\w-]+)+(?![\w>])")
_PLACEHOLDER = re.compile(r"<[^<>]+>")


def filled(command: str) -> str:
    """The command with every optional part written out, the first of each set of
    alternatives chosen, and each placeholder replaced by a valid value."""
    while _OPTIONAL.search(command):
        command = _OPTIONAL.sub(r"\1", command)
    command = _ALTERNATIVES.sub(r"\1", command)
    return _PLACEHOLDER.sub(lambda m: VALUES.get(m[0], m[0]), command)


def problem(command: str) -> str | None:
    text = filled(command)
    if _PLACEHOLDER.search(text):
        return f"{command!r}: no value for {_PLACEHOLDER.findall(text)}"
    try:
        spec, tokens = REGISTRY.resolve_text(text.removeprefix("/pivot").strip() or "help")
        parse_text(spec, tokens)
    except UsageError as exc:
        return f"{command!r} (as {text!r}): {exc}"
    return None


def test_placeholders_are_filled_with_valid_values() -> None:
    assert filled("/pivot checkin [this|last] <hours>h <what you did> [| <blockers>]") == (
        "/pivot checkin this 5h wrote the tests | none"
    )
    assert filled("/pivot settings leaderboard show|hide") == "/pivot settings leaderboard show"
    assert problem("/pivot quiz start") is None
    assert problem("/pivot cohort") is not None
    assert problem("/pivot checkin <mood>") is not None


async def tour(bot: BotDriver, content: ContentLibrary, clock: ManualClock) -> list[str]:
    """Help for everything, every example, every command with nothing after it, and four
    months of the scheduler's messages for a member who checks in now and then."""
    outbox = RecordingOutbox()
    jobs = DueJobs(bot.core.sessions, clock, content, {"console": outbox})
    said: list[Reply] = [await bot.say("/pivot help", as_="olga")]
    for spec in REGISTRY.specs:
        said.append(await bot.say(f"/pivot help {spec.typed_name}", as_="olga"))
        said.append(await bot.say(f"/pivot {spec.name}"))
    said.append(await bot.say("/pivot help cohort"))
    said.append(await bot.say("/pivot cohort"))
    said.append(await bot.say("/pivot join"))
    for spec in REGISTRY.specs:
        if spec.name not in ("forget", "leave", "cohort create", "cohort archive", "cohort delete"):
            said.append(await bot.say(spec.example, as_="olga" if spec.admin_only else "ada"))
    for week in range(18):
        if week % 3 == 0:
            said.append(await bot.say("/pivot checkin 3h kept going"))
        said.append(await bot.say("/pivot status"))
        await jobs.run_due()
        clock.advance(timedelta(weeks=1))
        await jobs.run_due()
    said.append(await bot.say("/pivot checkin last 3h caught up"))
    await finish_phase_milestones(bot, content, 1)
    said.append(await bot.say("/pivot quiz"))
    said.append(await bot.say("/pivot forget"))
    return [r.text for r in said] + [text for _, text in outbox.sent]


async def test_every_backticked_command_in_the_suites_replies_runs_as_written(
    bot: BotDriver, content: ContentLibrary, clock: ManualClock
) -> None:
    toured = await tour(bot, content, clock)
    transcripts = [t.expected for t in find_transcripts(README.read_text(encoding="utf-8"))]
    commands = backticked_commands([*SEEN, *toured, *transcripts])
    assert len(commands) > 40  # the replies were really read
    problems = sorted(p for c in commands if (p := problem(c)) is not None)
    assert problems == [], "\n".join(problems)
