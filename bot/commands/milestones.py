"""``done`` and ``undo``: marking milestones, with evidence, and taking a mark back."""

from __future__ import annotations

from sqlalchemy import update

from bot.commands.errors import UsageError
from bot.commands.spec import Arg, ArgKind, CommandSpec, Context
from bot.content.schema import Milestone, Phase
from bot.db.base import column_length
from bot.db.models import Cohort, Member, MilestoneProgress
from bot.domain.evidence import evidence_key
from bot.messages import Actions, Block, Button, Invocation, ProgressBar, Reply, Section
from bot.services.advancement import advance_if_ready
from bot.services.member_rows import MemberRows, load_member_rows, sync_points
from bot.services.points import sync_member_points
from bot.services.snapshot import Mark, compute_snapshot, load_snapshot
from bot.views.formatting import day
from bot.views.leaderboards import earned_line, milestone_points_line
from bot.views.status import MILESTONES_BUTTON, STATUS_BUTTON, plan_line

QUIZ_BUTTON = Button("Take the gate quiz", "quiz start", style="primary")


def _find(ctx: Context, member: Member, key: str) -> tuple[Phase, Milestone]:
    found = ctx.roadmap.find_milestone(key.lower())
    current = ctx.roadmap.phase(member.phase)
    keys = ", ".join(m.key for m in current.milestones)
    if found is None:
        raise UsageError(
            f"Unknown milestone `{key[:40]}`. Phase {current.number} has: {keys}. "
            f"Example: `/pivot done {current.milestones[0].key} https://github.com/you/repo`."
        )
    phase, milestone = found
    if phase.number > member.phase:
        raise UsageError(
            f"`{milestone.key}` belongs to phase {phase.number}; you're in phase {member.phase}. "
            f"Phase {current.number} has: {keys}."
        )
    return phase, milestone


async def done(inv: Invocation, ctx: Context) -> Reply:
    del inv
    member, cohort = ctx.joined()
    phase, milestone = _find(ctx, member, ctx.args.text("milestone"))
    rows = await load_member_rows(ctx.session, member.id)
    evidence = ctx.args.opt_text("evidence")
    return await mark_done(ctx, member, cohort, phase, milestone, evidence, rows)


async def mark_done(
    ctx: Context,
    member: Member,
    cohort: Cohort,
    phase: Phase,
    milestone: Milestone,
    evidence: str | None,
    rows: MemberRows,
) -> Reply:
    """Mark one milestone done, award its points and move on when a passed gate waited for it;
    the reply ``done`` gives, for every command that ticks milestones off.

    ``rows`` are the member's, read once by the command and kept current here."""
    if evidence:
        _refuse_reused_link(rows, milestone, evidence)
    row = rows.progress.get(milestone.key)
    new = row is None
    if row is None:
        ctx.session.add(
            MilestoneProgress(
                member_id=member.id,
                milestone_key=milestone.key,
                done_at=ctx.now,
                evidence_url=evidence,
            )
        )
        rows.progress[milestone.key] = Mark(ctx.now, evidence)
        headline = f"✓ {milestone.title} — done."
    elif evidence and evidence != row.evidence_url:
        await ctx.session.execute(
            update(MilestoneProgress)
            .where(
                MilestoneProgress.member_id == member.id,
                MilestoneProgress.milestone_key == milestone.key,
            )
            .values(evidence_url=evidence)
        )
        rows.progress[milestone.key] = Mark(row.done_at, evidence)
        headline = f"✓ {milestone.title} was already done on {day(row.done_at)}; evidence updated."
    else:
        headline = f"✓ {milestone.title} was already done on {day(row.done_at)}."
    added = await sync_points(ctx.session, member, cohort, ctx.content, ctx.now, rows)
    earned = (
        milestone_points_line(
            milestone.key, bool(evidence), added, ctx.content.point_rules, ctx.now, member.timezone
        )
        if new
        else earned_line(added)
    )
    fields = (
        [f"Evidence: {evidence}"] if evidence else [f"Add evidence any time: {milestone.evidence}."]
    )
    if earned:
        fields.append(earned)
    # A gate already passed was waiting for this milestone: moving on happens now.
    advancement = None
    if rows.waiting_pass(member.phase) is None:
        snapshot = compute_snapshot(member, ctx.roadmap, ctx.now, rows.history())
    else:
        advancement = await advance_if_ready(ctx.session, member, cohort, ctx.content, ctx.now)
        snapshot = await load_snapshot(ctx.session, member, cohort, ctx.roadmap, ctx.now)
    states = [m for m in snapshot.milestones if m.phase == phase.number]
    buttons = (MILESTONES_BUTTON, STATUS_BUTTON)
    after: list[Block] = []
    if advancement is not None:
        after.append(Section(_moved_on_text(ctx, advancement.new_phase, advancement.graduated)))
    elif (
        phase.number == member.phase
        and not snapshot.missing_required
        and member.graduated_at is None  # a graduate's gates are all behind them
    ):
        fields.append(
            f"Every required milestone of phase {phase.number} is done: "
            "the phase-gate quiz is open."
        )
        buttons = (QUIZ_BUTTON, STATUS_BUTTON)
    return Reply.of(
        Section(headline, tuple(fields)),
        ProgressBar(
            sum(1 for m in states if m.done), len(states), f"Phase {phase.number} milestones"
        ),
        *after,
        Section(plan_line(snapshot)),
        Actions(buttons),
    )


def _refuse_reused_link(rows: MemberRows, milestone: Milestone, evidence: str) -> None:
    """One link proves one milestone: the same link again (however written) is refused."""
    wanted = evidence_key(evidence)
    for key, mark in sorted(rows.progress.items()):
        url = mark.evidence_url
        if key != milestone.key and url and evidence_key(url) == wanted:
            raise UsageError(
                f"That link is already the evidence for `{key}`; each milestone needs a link "
                f"of its own, e.g. `/pivot done {milestone.key} https://github.com/you/repo/pull/12`."
            )


def _moved_on_text(ctx: Context, new_phase: int, graduated: bool) -> str:
    if graduated:
        return (
            "🎓 With your final gate already passed, that completes the roadmap: "
            "data scientist to ML engineer. Congratulations!"
        )
    phase = ctx.roadmap.phase(new_phase)
    return (
        f"🎉 Your gate quiz was already passed, so that finishes phase {new_phase - 1}: "
        f"welcome to phase {phase.number}, {phase.title}."
    )


async def undo(inv: Invocation, ctx: Context) -> Reply:
    del inv
    member, cohort = ctx.joined()
    _phase, milestone = _find(ctx, member, ctx.args.text("milestone"))
    row = await ctx.session.get(MilestoneProgress, (member.id, milestone.key))
    if row is None:
        raise UsageError(f"`{milestone.key}` isn't marked done, so there's nothing to undo.")
    await ctx.session.delete(row)
    await sync_member_points(ctx.session, member, cohort, ctx.content, ctx.now)
    snapshot = await load_snapshot(ctx.session, member, cohort, ctx.roadmap, ctx.now)
    return Reply.of(
        Section(f"Took back {milestone.title}: it's open again.", (plan_line(snapshot),)),
        Actions((MILESTONES_BUTTON,)),
    )


_KEY_ARG = Arg(
    "milestone",
    ArgKind.WORD,
    "the milestone's key, from /pivot milestones",
    required=True,
    max_length=column_length(MilestoneProgress.milestone_key),
)

SPECS = (
    CommandSpec(
        name="done",
        asks_who=False,
        summary="Mark a milestone done, with a link that proves it",
        example="/pivot done write-tests https://github.com/you/service/pull/12",
        handler=done,
        args=(
            _KEY_ARG,
            Arg(
                "evidence",
                ArgKind.URL,
                "a link to the evidence: repo, PR, write-up",
                max_length=column_length(MilestoneProgress.evidence_url),
                shown="<evidence-url>",
            ),
        ),
    ),
    CommandSpec(
        name="undo",
        asks_who=False,
        summary="Take back a milestone you marked done",
        example="/pivot undo write-tests",
        handler=undo,
        args=(_KEY_ARG,),
    ),
)
