"""Two years with pivotbot: a small cohort lives 26 months, the scheduler runs every day, and
every DM, post and reply on the way keeps the promises a long plan depends on.

From Monday 30 November 2026 to the end of January 2029, in cohort spring (its channel
#pivot-spring, run by Olga):

- Ada does a milestone every three weeks, passes each gate, graduates, and joins the alumni.
- Bo checks in for four months, goes quiet in month 5, and comes back in month 9 with a
  fresh plan from that day.
- Cy takes two pauses, in month 3 and in month 11.
- Di starts on the fast track, places out of phase 1, goes slowly, and takes the extension
  her messages offer once the 18 months are over.
- Ed finishes phase 1's milestones but never passes its gate, and lives past his plan's end.

Members act at noon (UTC), the scheduler plans and delivers at 17:00 every day, in process,
into a recording outbox. The assertions are about behaviour, never about time taken.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from bot.clock import ManualClock
from bot.content.loader import ContentLibrary
from bot.db.models import Delivery, Member, MilestoneProgress, Pause
from bot.domain.deliveries import PLAN_REMINDERS, WEEKLY, DeliveryStatus
from bot.domain.plan import add_months, plan_month
from bot.domain.weeks import local_date, week_of
from bot.views import weekly_post
from scheduler.jobs import DueJobs
from testkit.driver import BotDriver
from testkit.outboxes import RecordingOutbox
from tests.support.backticked import backticked_commands, parse_problem
from tests.support.quiz import answer_all, is_question

START_DAY = date(2026, 11, 30)
END_DAY = add_months(START_DAY, 26)
ACT_AT, RUN_AT = time(12, 0), time(17, 0)
TIMEZONES = {
    "ada": "UTC",
    "bo": "Europe/London",
    "cy": "Europe/Berlin",
    "di": "America/New_York",
    "ed": "UTC",
}
MONTH_COUNT = re.compile(r"\b[Mm]onth (\d+) of (\d+)\b")
DUE = re.compile(r"\(due (\d{1,2} [A-Z][a-z]{2} \d{4})\)")
EXTEND = re.compile(r"`/pivot extend (\d+)`")
RANKED = re.compile(r"^\s*\d+\. (\w+)", re.MULTILINE)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Seen:
    at: datetime
    where: str  # "@name" for a DM, "#channel" for a post, "reply to name" for an answer
    text: str


@dataclass
class Cohort:
    bot: BotDriver
    jobs: DueJobs
    outbox: RecordingOutbox
    content: ContentLibrary
    seen: list[Seen] = field(default_factory=list)
    done: set[str] = field(default_factory=set)  # what each member has done once: "ada alumni"
    paused_until: dict[str, datetime] = field(default_factory=dict)

    @property
    def now(self) -> datetime:
        return self.bot.clock.now()

    async def say(self, line: str, name: str) -> str:
        reply = await self.bot.say(line, as_=name)
        assert not reply.is_error, f"{name}: {line} -> {reply.text}"
        self.seen.append(Seen(self.now, f"reply to {name}", reply.text))
        return reply.text

    async def quiz(self, name: str, right: int) -> str:
        reply = await self.bot.say("/pivot quiz", as_=name)
        if is_question(reply):
            reply = await answer_all(self.bot, reply, self.content, right=right, as_=name)
        self.seen.append(Seen(self.now, f"reply to {name}", reply.text))
        if "That was the final gate" in reply.text:
            self.done.add(f"{name} graduated")
        return reply.text

    async def next_milestone(self, name: str) -> str | None:
        """The first required milestone of the member's phase not yet done."""
        async with self.bot.core.sessions() as session:
            member = await session.scalar(select(Member).where(Member.user_id == name))
            assert member is not None
            done = set(
                await session.scalars(
                    select(MilestoneProgress.milestone_key).where(
                        MilestoneProgress.member_id == member.id
                    )
                )
            )
            phase = self.content.roadmap(None).phase(member.phase)
        return next((m.key for m in phase.milestones if m.required and m.key not in done), None)

    async def step_forward(self, name: str, right: int) -> None:
        """Mark the next milestone; take the gate quiz once the last one opens it."""
        key = await self.next_milestone(name)
        if key is not None:
            answer = await self.say(f"/pivot done {key} https://example.org/{name}/{key}", name)
            if "the phase-gate quiz is open" in answer:
                await self.quiz(name, right)

    async def run_scheduler(self) -> list[Seen]:
        before = len(self.outbox.sent)
        await self.jobs.run_due()
        new = [Seen(self.now, to, text) for to, text in self.outbox.sent[before:]]
        self.seen += new
        return new

    def once(self, what: str) -> bool:
        """True the first time ``what`` is asked about, so each member does it once."""
        first = what not in self.done
        self.done.add(what)
        return first


def weeks_in(day: date) -> int:
    return (day - START_DAY).days // 7


async def ada(life: Cohort, day: date, month: int) -> None:
    """Steady: a check-in every Tuesday, a milestone every third Wednesday, each gate passed."""
    if "ada graduated" in life.done:
        if life.once("ada alumni"):
            await life.say("/pivot settings alumni show", "ada")
        return
    if day.weekday() == 1:
        await life.say("/pivot checkin 6h steady work on the plan | none | 4", "ada")
    if day.weekday() == 2 and weeks_in(day) % 3 == 0:
        await life.step_forward("ada", right=8)


async def bo(life: Cohort, day: date, month: int) -> None:
    """Quiet from month 5 to month 8; back in month 9 with a fresh plan."""
    if 5 <= month <= 8:
        return
    if month >= 9 and life.once("bo replanned"):
        await life.say("/pivot replan", "bo")
    if day.weekday() == 1:
        await life.say("/pivot checkin 3h reading and small exercises", "bo")
    if day.weekday() == 2 and weeks_in(day) % 4 == 0:
        await life.step_forward("bo", right=8)


async def cy(life: Cohort, day: date, month: int) -> None:
    """Two pauses: four weeks from the first Monday of month 3, six from that of month 11."""
    first_monday = day.weekday() == 0 and add_months(START_DAY, month - 1) > day - timedelta(7)
    if first_monday and month in (3, 11):
        weeks = 4 if month == 3 else 6
        await life.say(f"/pivot pause {weeks}", "cy")
        life.paused_until["cy"] = life.now + timedelta(weeks=weeks)
    if life.now < life.paused_until.get("cy", life.now):
        return
    if day.weekday() == 1:
        await life.say("/pivot checkin 5h worked through the week's plan", "cy")
    if day.weekday() == 2 and weeks_in(day) % 4 == 1:
        await life.step_forward("cy", right=8)


async def di(life: Cohort, day: date, month: int, news: list[Seen]) -> None:
    """Fast track, slowly: she takes the extension her messages offer past month 18."""
    offers = [m for s in news if s.where == "@di" and (m := EXTEND.search(s.text))]
    if offers and life.once("di extended"):
        await life.say(f"/pivot extend {offers[-1][1]}", "di")
    if day.weekday() == 1:
        await life.say("/pivot checkin 4h slow and steady", "di")
    if day.weekday() == 2 and weeks_in(day) % 6 == 2:
        await life.step_forward("di", right=8)


async def ed(life: Cohort, day: date, month: int) -> None:
    """Stuck on Kubernetes at first; finishes phase 1's milestones, never passes its gate."""
    if day.weekday() == 1:
        note = "kubernetes networking confuses me | 2" if month <= 2 else "none | 3"
        await life.say(f"/pivot checkin 4h tutorials | {note}", "ed")
    if day.weekday() == 2 and weeks_in(day) % 3 == 0:
        if await life.next_milestone("ed") is not None:
            await life.step_forward("ed", right=0)
        elif weeks_in(day) % 12 == 0:
            await life.quiz("ed", right=0)


async def live_two_years(life: Cohort, clock: ManualClock) -> None:
    clock.set(datetime.combine(START_DAY, time(9), UTC))
    for name, tz in TIMEZONES.items():
        track = " track fast" if name == "di" else ""
        await life.say(f"/pivot join spring tz {tz}{track}", name)
    await life.quiz("di", right=8)  # the fast track's placement quiz
    day, news = START_DAY, []
    while day < END_DAY:
        month = plan_month(START_DAY, day)
        clock.set(datetime.combine(day, ACT_AT, UTC))
        for member in (ada, bo, cy, ed):
            await member(life, day, month)
        await di(life, day, month, news)
        clock.set(datetime.combine(day, RUN_AT, UTC))
        news = await life.run_scheduler()
        day += timedelta(days=1)


# On SQLite alone: each piece also runs on PostgreSQL in its own, shorter test, and two years
# of daily scheduling twice over would double the suite's longest test for little news.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_two_years_of_a_cohort_keep_every_promise(
    bot: BotDriver,
    jobs: DueJobs,
    clock: ManualClock,
    outbox: RecordingOutbox,
    content: ContentLibrary,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The weekly post's words, its chart's alt text included, are built for real; only the
    # PNG is not drawn: drawing 113 charts would take most of the run, and their pixels are
    # tests/test_cohort_insights.py's business.
    monkeypatch.setattr(weekly_post, "render_cohort_chart", lambda _stats: PNG_SIGNATURE)
    life = Cohort(bot, jobs, outbox, content)
    await live_two_years(life, clock)
    async with bot.core.sessions() as session:
        members = {m.user_id: m for m in await session.scalars(select(Member))}
        sent = list(
            await session.scalars(select(Delivery).where(Delivery.status == DeliveryStatus.SENT))
        )
        pauses = list(await session.scalars(select(Pause)))
    by_id = {m.id: m for m in members.values()}
    dms = [d for d in sent if d.member_id in by_id and d.target_user_id is not None]

    # At most one weekly message (nudge, quiet note or recap) per member and week.
    weekly = Counter(
        (by_id[d.member_id].user_id, str(week_of(d.sent_at, by_id[d.member_id].timezone)))
        for d in dms
        if d.kind in WEEKLY and d.sent_at is not None
    )
    assert max(weekly.values()) == 1, [key for key, count in weekly.items() if count > 1]

    # Nothing from the plan while paused, and nothing after graduation.
    for d in dms:
        if d.kind in PLAN_REMINDERS and d.sent_at is not None and d.member_id is not None:
            during = [p for p in pauses if p.member_id == d.member_id]
            assert not any(p.starts_at <= d.sent_at < p.ends_at for p in during), d.payload
            graduated = by_id[d.member_id].graduated_at
            assert graduated is None or d.sent_at < graduated, d.payload

    # No month past the plan's length, no date gone by quoted as due, every command runs.
    registry = bot.core.registry
    for item in life.seen:
        for month, months in MONTH_COUNT.findall(item.text):
            assert int(month) <= int(months), item
        today = local_date(item.at, TIMEZONES.get(item.where.split()[-1].lstrip("@"), "UTC"))
        for quoted in DUE.findall(item.text):
            assert datetime.strptime(f"{quoted} +0000", "%d %b %Y %z").date() >= today, item
        for command in backticked_commands(item.text):
            assert parse_problem(registry, command) is None, (command, item)

    # The graduate: off every board from the day she graduated, then one line as an alumna.
    ada_member = members["ada"]
    assert ada_member.graduated_at is not None
    assert plan_month(START_DAY, ada_member.graduated_at.date()) <= 24
    posts_after = [
        s.text
        for s in life.seen
        if s.where == "#pivot-spring" and s.at > ada_member.graduated_at and "standings" in s.text
    ]
    assert posts_after
    assert all("ada" not in RANKED.findall(post) for post in posts_after)
    assert "Alumni of cohort spring: ada (graduated" in posts_after[-1]

    # The quiet one: a gentle note, then one every four weeks, then back on a fresh plan.
    to_bo = [s for s in life.seen if s.where == "@bo"]
    quiet = [s for s in to_bo if "quiet weeks" in s.text or "a short hello" in s.text]
    assert "quiet weeks" in quiet[0].text
    assert len(quiet) >= 3
    assert all("a short hello" in s.text for s in quiet[1:])
    assert all(5 <= plan_month(START_DAY, s.at.date()) <= 9 for s in quiet)
    assert members["bo"].phase_plan is not None

    # The pauser paused twice; the fast one extended once; the stuck one is still in phase 1.
    assert len([p for p in pauses if p.member_id == members["cy"].id]) == 2
    assert "di extended" in life.done
    assert members["di"].phase_plan is not None
    assert members["ed"].phase == 1
    assert any("Month 24 of 24 (past the plan's end)" in s.text for s in life.seen)

    # Everyone on a plan heard a monthly recap most months, and the admins heard Ed was stuck.
    recaps = Counter(d.member_id for d in dms if d.kind == "recap")
    assert recaps[members["ed"].id] >= 20
    assert any(
        s.where == "@olga" and "Stuck" in s.text and "ed: the same blocker" in s.text
        for s in life.seen
    )
