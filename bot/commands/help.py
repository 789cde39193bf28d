"""``/pivot help``, written entirely from the specs."""

from __future__ import annotations

from bot.commands.errors import UsageError
from bot.commands.spec import Arg, ArgKind, CommandSpec, Context
from bot.messages import Block, Header, Invocation, Reply, Section


async def show_help(inv: Invocation, ctx: Context) -> Reply:
    del inv
    topic = ctx.args.opt_text("command")
    if topic:
        spec = ctx.registry.get(topic)
        if spec is None:
            guess = ctx.registry.suggest(topic)
            hint = f" Did you mean `{guess}`?" if guess else ""
            raise UsageError(f"There is no command `{topic[:40]}`.{hint} Type `/pivot help`.")
        return Reply.of(*command_help(spec))
    member = [s for s in ctx.registry.specs if not s.admin_only]
    admin = [s for s in ctx.registry.specs if s.admin_only]
    blocks: list[Block] = [
        Header("pivotbot — your data-science-to-ML-engineering pivot, one week at a time"),
        Section("", tuple(f"`{s.usage}` — {s.summary}" for s in member)),
    ]
    if ctx.is_admin:
        blocks.append(
            Section("For cohort admins:", tuple(f"`{s.usage}` — {s.summary}" for s in admin))
        )
    blocks.append(
        Section("More on one command: `/pivot help <command>`, e.g. `/pivot help checkin`.")
    )
    return Reply.of(*blocks)


def command_help(spec: CommandSpec) -> tuple[Header | Section, ...]:
    lines = [f"`{spec.usage}`", spec.summary]
    if spec.details:
        lines.append(spec.details)
    if spec.aliases:
        lines.append("Also: " + ", ".join(f"`/pivot {a}`" for a in spec.aliases))
    if spec.admin_only:
        lines.append("Cohort admins only.")
    fields = tuple(
        f"{arg.usage().strip('[]')}: {arg.help}" + ("" if arg.required else " (optional)")
        for arg in spec.visible_args
    )
    return (
        Header(f"/pivot {spec.name}"),
        Section("\n".join(lines), fields),
        Section(f"Example: `{spec.example}`"),
    )


SPECS = (
    CommandSpec(
        name="help",
        summary="List every command, or explain one",
        example="/pivot help checkin",
        handler=show_help,
        args=(Arg("command", ArgKind.TEXT, "the command to explain", max_length=40),),
        needs_member=False,
        dedupe=False,
        shows_admin_commands=True,
    ),
)
