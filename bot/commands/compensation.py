"""``comp``: what the pivot pays, from the roadmap's source, your level first."""

from __future__ import annotations

from bot.commands.spec import CommandSpec, Context
from bot.content.schema import CompensationBand
from bot.messages import Header, Invocation, Reply, Section


def _band_line(band: CompensationBand) -> str:
    return (
        f"{band.label} ({band.experience}): ${band.base_increase_low:,} to "
        f"${band.base_increase_high:,} more base, {band.note}"
    )


async def comp(inv: Invocation, ctx: Context) -> Reply:
    del inv
    figures = ctx.content.compensation
    level = ctx.member.level if ctx.member is not None else None
    bands = sorted(figures.bands, key=lambda b: b.key != level)
    intro = (
        "Your level first."
        if level
        else "Join with `level mid` or `level senior` to see yours first."
    )
    return Reply.of(
        Header(f"The pay jump for a well-run pivot ({figures.year})"),
        Section(intro, tuple(_band_line(b) for b in bands)),
        Section(figures.senior_premium_text, (figures.timing_note,)),
    )


SPECS = (
    CommandSpec(
        name="comp",
        summary="The compensation jump to expect, for your level first",
        example="/pivot comp",
        handler=comp,
        aliases=("compensation",),
        needs_member=False,
        dedupe=False,
    ),
)
