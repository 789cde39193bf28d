"""The steps of one member's journey on each platform, each through that platform's real way in.

The console gets the lines a person types; Slack gets signed slash commands, ``block_actions``
button presses and a form submission over HTTP at ``/slack/events``; Discord gets slash-command,
button and form interactions dispatched through our command tree. Olga, a platform admin, sets
up the cohort; Ada does everything else. Every step returns what the person saw, and keeps it
in the platform's ``transcript``.

Each platform also names its ids (``names``), so the database state can be compared with
user and channel ids replaced by who and what they are.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol

from adapters.console_adapter.demo import ensure_demo
from adapters.console_adapter.session import ConsoleSession
from adapters.platform_service import PlatformInputs
from bot.clock import ManualClock
from testkit.discord_payloads import ChannelRef, Person
from testkit.slack_requests import (
    button_press,
    linked,
    next_id,
    picked,
    typed,
    view_submission,
)
from tests.support.discord_driver import (
    A_SPRING,
    ADA,
    OLGA,
    Answer,
    DiscordDriver,
    running_fake_discord,
    started,
)
from tests.support.seen_replies import Seen, seen_on_console, seen_on_discord, seen_on_slack
from tests.support.slack_harness import (
    SlackHarness,
    SlackReply,
    slack_settings,
    start_fake_slack,
    start_slack,
)

CHANNEL = "pivot-spring"  # the cohort's channel on every platform


class Platform(Protocol):
    """One journey step per method; Olga creates the cohort, Ada takes every other step."""

    names: dict[str, str]  # platform user and channel ids -> the person or channel
    transcript: list[Seen]

    async def create_cohort(self, name: str) -> Seen: ...
    async def join(self, cohort: str) -> Seen: ...
    async def check_in(self, hours: str, summary: str, blockers: str, confidence: int) -> Seen: ...
    async def check_in_by_form(
        self, hours: str, summary: str, blockers: str, confidence: int
    ) -> Seen: ...
    async def done(self, milestone: str, evidence: str | None = None) -> Seen: ...
    async def quiz(self) -> Seen: ...
    async def press(self, label: str) -> Seen: ...
    async def leaderboard(self) -> Seen: ...
    async def next_week(self) -> None: ...
    async def check_in_last(self, hours: str, summary: str) -> Seen: ...
    async def milestone(self, key: str) -> Seen: ...
    async def roadmap(self) -> Seen: ...
    async def history(self, weeks: int) -> Seen: ...


def _check_in_line(hours: str, summary: str, blockers: str, confidence: int) -> str:
    return f"/pivot checkin {hours} {summary} | {blockers} | {confidence}"


@dataclass
class OnConsole:
    """Typed lines: ``/pivot ...``, ``:as <name>``, ``:press <N>`` and ``:advance 1w``."""

    session: ConsoleSession
    names: dict[str, str] = field(
        default_factory=lambda: {"olga": "Olga", "ada": "Ada", CHANNEL: f"#{CHANNEL}"}
    )
    transcript: list[Seen] = field(default_factory=list)

    async def _type(self, line: str, *, as_: str = "Ada") -> Seen:
        if self.session.user_name != as_:
            await self.session.line(f":as {as_}")
        self.transcript.append(seen_on_console(await self.session.line(line)))
        return self.transcript[-1]

    async def create_cohort(self, name: str) -> Seen:
        return await self._type(f"/pivot cohort create {name} #{CHANNEL}", as_="Olga")

    async def join(self, cohort: str) -> Seen:
        return await self._type(f"/pivot join {cohort}")

    async def check_in(self, hours: str, summary: str, blockers: str, confidence: int) -> Seen:
        return await self._type(_check_in_line(hours, summary, blockers, confidence))

    async def check_in_by_form(
        self, hours: str, summary: str, blockers: str, confidence: int
    ) -> Seen:
        """A terminal has no forms: the typed line is the console's one way to check in."""
        return await self.check_in(hours, summary, blockers, confidence)

    async def done(self, milestone: str, evidence: str | None = None) -> Seen:
        return await self._type(f"/pivot done {milestone} {evidence or ''}".strip())

    async def quiz(self) -> Seen:
        return await self._type("/pivot quiz")

    async def press(self, label: str) -> Seen:
        return await self._type(f":press {self.transcript[-1].buttons.index(label) + 1}")

    async def leaderboard(self) -> Seen:
        return await self._type("/pivot leaderboard")

    async def next_week(self) -> None:
        await self.session.line(":advance 1w")

    async def check_in_last(self, hours: str, summary: str) -> Seen:
        return await self._type(f"/pivot checkin last {hours} {summary}")

    async def milestone(self, key: str) -> Seen:
        return await self._type(f"/pivot milestones {key}")

    async def roadmap(self) -> Seen:
        return await self._type("/pivot roadmap")

    async def history(self, weeks: int) -> Seen:
        return await self._type(f"/pivot history {weeks}")


@dataclass
class OnSlack:
    """Signed requests as Slack sends them: links and channels in a command's text arrive as
    markup, because the manifest asks for escaping (``should_escape``)."""

    slack: SlackHarness
    clock: ManualClock
    names: dict[str, str] = field(
        default_factory=lambda: {"UOLGA": "Olga", "UADA": "Ada", "CSPRING": f"#{CHANNEL}"}
    )
    transcript: list[Seen] = field(default_factory=list)
    last: SlackReply | None = None

    async def _saw(self, body: dict[str, Any]) -> Seen:
        await self.slack.settled()
        self.last = SlackReply(body)
        self.transcript.append(seen_on_slack(self.last))
        return self.transcript[-1]

    async def _command(self, text: str, *, user: str = "UADA") -> Seen:
        return await self._saw((await self.slack.command(linked(text), user=user)).body)

    async def _response(self, key: str) -> dict[str, Any]:
        return (await self.slack.fake.wait_for_responses(key))[0].body

    async def create_cohort(self, name: str) -> Seen:
        return await self._command(
            f"/pivot cohort create {name} <#CSPRING|{CHANNEL}>", user="UOLGA"
        )

    async def join(self, cohort: str) -> Seen:
        return await self._command(f"/pivot join {cohort}")

    async def check_in(self, hours: str, summary: str, blockers: str, confidence: int) -> Seen:
        return await self._command(_check_in_line(hours, summary, blockers, confidence))

    async def check_in_by_form(
        self, hours: str, summary: str, blockers: str, confidence: int
    ) -> Seen:
        """``/pivot checkin`` alone opens the form; it is filled in and submitted."""
        earlier = len(self.slack.fake.calls_to("views.update"))
        opened, key = await self.slack.send_command("/pivot checkin")
        assert opened.status == 200, opened.status
        await self.slack.settled()
        shown = self.slack.fake.calls_to("views.update")[earlier]
        form = {**shown.args["view"], "id": shown.args["view_id"]}
        values = {
            **typed(hours=hours, summary=summary, blockers=blockers),
            **picked("confidence", str(confidence)),
        }
        submitted = await self.slack.interact(view_submission(form, values))
        assert submitted.status == 200, submitted.status
        assert await submitted.text() == "", await submitted.text()  # the form closed
        return await self._saw(await self._response(key))

    async def done(self, milestone: str, evidence: str | None = None) -> Seen:
        return await self._command(f"/pivot done {milestone} {evidence or ''}".strip())

    async def quiz(self) -> Seen:
        return await self._command("/pivot quiz")

    async def press(self, label: str) -> Seen:
        assert self.last is not None
        button, block_id = self.last.button(label)
        key = next_id("press-")
        url = self.slack.fake.response_url(key)
        pressed = await self.slack.interact(button_press(button, block_id, response_url=url))
        assert pressed.status == 200, pressed.status
        return await self._saw(await self._response(key))

    async def leaderboard(self) -> Seen:
        return await self._command("/pivot leaderboard")

    async def next_week(self) -> None:
        self.clock.advance(timedelta(weeks=1))

    async def check_in_last(self, hours: str, summary: str) -> Seen:
        return await self._command(f"/pivot checkin last {hours} {summary}")

    async def milestone(self, key: str) -> Seen:
        return await self._command(f"/pivot milestones {key}")

    async def roadmap(self) -> Seen:
        return await self._command("/pivot roadmap")

    async def history(self, weeks: int) -> Seen:
        return await self._command(f"/pivot history {weeks}")


@dataclass
class OnDiscord:
    """``/pivot`` subcommands with typed options, the check-in modal, and presses of the
    buttons we sent, as interactions run through our command tree."""

    discord: DiscordDriver
    clock: ManualClock
    names: dict[str, str] = field(
        default_factory=lambda: {
            str(OLGA.id): "Olga",
            str(ADA.id): "Ada",
            str(A_SPRING): f"#{CHANNEL}",
        }
    )
    transcript: list[Seen] = field(default_factory=list)
    last: Answer | None = None

    def _saw(self, answer: Answer) -> Seen:
        self.last = answer
        self.transcript.append(seen_on_discord(answer))
        return self.transcript[-1]

    async def _slash(self, command: str, *, by: Person = ADA, **options: Any) -> Seen:
        return self._saw(await self.discord.slash(command, by=by, **options))

    async def create_cohort(self, name: str) -> Seen:
        channel = ChannelRef(A_SPRING, CHANNEL)
        return await self._slash("cohort create", by=OLGA, name=name, channel=channel)

    async def join(self, cohort: str) -> Seen:
        return await self._slash("join", cohort=cohort)

    async def check_in(self, hours: str, summary: str, blockers: str, confidence: int) -> Seen:
        return await self._slash(
            "checkin", hours=hours, summary=summary, blockers=blockers, confidence=confidence
        )

    async def check_in_by_form(
        self, hours: str, summary: str, blockers: str, confidence: int
    ) -> Seen:
        """``/pivot checkin`` with no options opens the modal; it is filled in and submitted."""
        opened = await self.discord.slash("checkin", by=ADA)
        assert opened.kind == 9, opened.calls  # a modal
        values: dict[str, str | list[str]] = {"hours": hours, "summary": summary}
        values["blockers"] = blockers
        values["confidence"] = str(confidence)
        form = opened.callback["data"]["custom_id"]
        return self._saw(await self.discord.submit(form, values, by=ADA))

    async def done(self, milestone: str, evidence: str | None = None) -> Seen:
        proof = {"evidence": evidence} if evidence else {}
        return await self._slash("done", milestone=milestone, **proof)

    async def quiz(self) -> Seen:
        return await self._slash("quiz start")

    async def press(self, label: str) -> Seen:
        assert self.last is not None
        return self._saw(await self.discord.press(self.last.as_message(), label, by=ADA))

    async def leaderboard(self) -> Seen:
        return await self._slash("leaderboard show")

    async def next_week(self) -> None:
        self.clock.advance(timedelta(weeks=1))

    async def check_in_last(self, hours: str, summary: str) -> Seen:
        return await self._slash("checkin", week="last", hours=hours, summary=summary)

    async def milestone(self, key: str) -> Seen:
        return await self._slash("milestones", key=key)

    async def roadmap(self) -> Seen:
        return await self._slash("roadmap")

    async def history(self, weeks: int) -> Seen:
        return await self._slash("history", n=weeks)


@contextlib.asynccontextmanager
async def console(
    inputs: PlatformInputs, clock: ManualClock, workdir: Path
) -> AsyncIterator[OnConsole]:
    """What ``pivotbot console --as Olga`` starts: the demo cohort, with Olga as its admin."""
    core = inputs.core
    await ensure_demo(core, inputs.settings.default_timezone, "olga")
    yield OnConsole(ConsoleSession(core, clock, "Olga", out_dir=workdir / "console-out"))


@contextlib.asynccontextmanager
async def slack(
    inputs: PlatformInputs, clock: ManualClock, workdir: Path
) -> AsyncIterator[OnSlack]:
    """Workspace T1 served on a loopback port, where Olga is a workspace admin."""
    del workdir
    fake = await start_fake_slack()
    try:
        settings = slack_settings(inputs.settings, fake)
        harness = await start_slack(PlatformInputs(inputs.core, settings, inputs.lookups), fake)
        try:
            yield OnSlack(harness, clock)
        finally:
            await harness.stop()
    finally:
        await fake.stop()


@contextlib.asynccontextmanager
async def discord(
    inputs: PlatformInputs, clock: ManualClock, workdir: Path
) -> AsyncIterator[OnDiscord]:
    """Guild A, where Olga has Manage Server."""
    del workdir
    async with running_fake_discord() as fake:
        settings = inputs.settings.model_copy(
            update={"discord_token": "test-token", "discord_api_url": fake.api_url}
        )
        service = await started(PlatformInputs(inputs.core, settings, inputs.lookups))
        try:
            yield OnDiscord(DiscordDriver(service, fake), clock)
        finally:
            await service.stop()
