"""``done`` and ``undo``: marking milestones, with evidence, and taking a mark back."""

from __future__ import annotations

from bot.commands.context import Context, UsageError
from bot.commands.spec import Arg, ArgKind, CommandSpec
from bot.content.schema import Milestone, Phase
from bot.db.models import Member, MilestoneProgress
from bot.messages import Actions, Invocation, ProgressBar, Reply, Section
from bot.services.snapshot import load_snapshot
from bot.views.formatting import day
from bot.views.status import MILESTONES_BUTTON, STATUS_BUTTON, plan_line


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
    evidence = ctx.args.opt_text("evidence")
    row = await ctx.session.get(MilestoneProgress, (member.id, milestone.key))
    if row is None:
        ctx.session.add(
            MilestoneProgress(
                member_id=member.id,
                milestone_key=milestone.key,
                done_at=ctx.now,
                evidence_url=evidence,
            )
        )
        headline = f"✓ {milestone.title} — done."
    elif evidence and evidence != row.evidence_url:
        row.evidence_url = evidence
        headline = f"✓ {milestone.title} was already done on {day(row.done_at)}; evidence updated."
    else:
        headline = f"✓ {milestone.title} was already done on {day(row.done_at)}."
    await ctx.session.flush()
    snapshot = await load_snapshot(ctx.session, member, cohort, ctx.roadmap, ctx.now)
    states = [m for m in snapshot.milestones if m.phase == phase.number]
    fields = (
        [f"Evidence: {evidence}"] if evidence else [f"Add evidence any time: {milestone.evidence}."]
    )
    if phase.number == member.phase and not snapshot.missing_required:
        fields.append(
            f"Every required milestone of phase {phase.number} is done: "
            "the phase-gate quiz comes next."
        )
    return Reply.of(
        Section(headline, tuple(fields)),
        ProgressBar(
            sum(1 for m in states if m.done), len(states), f"Phase {phase.number} milestones"
        ),
        Section(plan_line(snapshot)),
        Actions((MILESTONES_BUTTON, STATUS_BUTTON)),
    )


async def undo(inv: Invocation, ctx: Context) -> Reply:
    del inv
    member, cohort = ctx.joined()
    _phase, milestone = _find(ctx, member, ctx.args.text("milestone"))
    row = await ctx.session.get(MilestoneProgress, (member.id, milestone.key))
    if row is None:
        raise UsageError(f"`{milestone.key}` isn't marked done, so there's nothing to undo.")
    await ctx.session.delete(row)
    await ctx.session.flush()
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
    max_length=40,
)

SPECS = (
    CommandSpec(
        name="done",
        summary="Mark a milestone done, with a link that proves it",
        example="/pivot done write-tests https://github.com/you/service/pull/12",
        handler=done,
        args=(
            _KEY_ARG,
            Arg(
                "evidence",
                ArgKind.URL,
                "a link to the evidence: repo, PR, write-up",
                max_length=500,
                shown="<evidence-url>",
            ),
        ),
    ),
    CommandSpec(
        name="undo",
        summary="Take back a milestone you marked done",
        example="/pivot undo write-tests",
        handler=undo,
        args=(_KEY_ARG,),
    ),
)
