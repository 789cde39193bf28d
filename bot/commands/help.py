"""``/pivot help``, written entirely from the specs."""

from __future__ import annotations

from bot.commands.errors import UsageError
from bot.commands.spec import Arg, ArgKind, CommandSpec, Context
from bot.messages import Block, Header, Invocation, Reply, Section


async def show_help(inv: Invocation, ctx: Context) -> Reply:
    del inv
    topic = ctx.args.opt_text("command")
    if topic:
        word = " ".join(topic.lower().split())
        spec = ctx.registry.get(word)
        # A group word ("quiz", "cohort") lists its commands, even where it is also an alias.
        group = [s for s in ctx.registry.specs if s.name.split()[0] == word and s.name != word]
        if group and (spec is None or spec.name != word):
            return Reply.of(Header(f"/pivot {word}"), Section("", _lines(group, mark_admin=True)))
        if spec is not None:
            return Reply.of(*command_help(spec))
        guess = ctx.registry.suggest(topic)
        hint = f" Did you mean `/pivot help {guess}`?" if guess else ""
        raise UsageError(f"There is no command `{topic[:40]}`.{hint} Type `/pivot help`.")
    member = [s for s in ctx.registry.specs if not s.admin_only]
    admin = [s for s in ctx.registry.specs if s.admin_only]
    blocks: list[Block] = [
        Header("pivotbot — your data-science-to-ML-engineering pivot, one week at a time"),
        Section("", _lines(member)),
    ]
    if ctx.is_admin:
        blocks.append(Section("For cohort admins:", _lines(admin)))
    blocks.append(
        Section("More on one command: `/pivot help <command>`, e.g. `/pivot help checkin`.")
    )
    return Reply.of(*blocks)


def _lines(specs: list[CommandSpec], mark_admin: bool = False) -> tuple[str, ...]:
    return tuple(
        f"`{s.usage}` — {s.summary}" + (" (cohort admins)" if mark_admin and s.admin_only else "")
        for s in specs
    )


def command_help(spec: CommandSpec) -> tuple[Header | Section, ...]:
    lines = [f"`{spec.usage}`", spec.summary]
    if spec.details:
        lines.append(spec.details)
    others = [name for name in (spec.name, *spec.aliases) if name != spec.typed_name]
    if others:
        lines.append("Also called: " + ", ".join(f"`{name}`" for name in others))
    if spec.admin_only:
        lines.append("Cohort admins only.")
    fields = tuple(
        f"{arg.usage().strip('[]')}: {arg.help}" + ("" if arg.required else " (optional)")
        for arg in spec.visible_args
    )
    return (
        Header(f"/pivot {spec.typed_name}"),
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
        read_only=True,
        shows_admin_commands=True,
    ),
)
