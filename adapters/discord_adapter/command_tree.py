"""``/pivot`` as a Discord app-command group, generated from the command specs.

Each spec becomes a subcommand (a two-word name becomes a subcommand of a group); each visible
argument becomes a typed option (see ``options.py``). Nothing here names a command, so a spec
added to a family appears on Discord as it is. A spec whose required argument is hidden can
only come from a button and gets no slash command.
"""

from __future__ import annotations

import inspect
import keyword
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import discord
from discord import app_commands

from adapters.discord_adapter import limits
from adapters.discord_adapter.forms import form_args
from adapters.discord_adapter.options import SpecOption
from bot.bug_reply import bug_line
from bot.commands.spec import Arg, CommandSpec
from bot.messages import ArgValue

log = logging.getLogger(__name__)

ROOT = "pivot"
ROOT_DESCRIPTION = "pivotbot: your data-science-to-ML-engineering pivot, one week at a time"
STALE_LINE = (
    "Discord offered an older version of this command. Try again in a minute, or run `/pivot help`."
)

DESCRIPTION_LIMITS = (limits.COMMAND_DESCRIPTION, 80, 60, 40, 24)
CommandHandler = Callable[[discord.Interaction, CommandSpec, dict[str, ArgValue]], Awaitable[None]]


def slash_specs(specs: Sequence[CommandSpec]) -> list[CommandSpec]:
    return [s for s in specs if not any(a.hidden and a.required for a in s.args)]


def build_root(specs: Sequence[CommandSpec], handler: CommandHandler) -> app_commands.Group:
    """The ``/pivot`` group; raises ``ValueError`` when a spec cannot exist on Discord, so a
    command that would break the sync fails the tests instead of the deployment.

    ``/pivot`` is one command to Discord, and all its names, descriptions and choices share
    one budget; when the specs outgrow it, descriptions are cut shorter until they fit.
    """
    for limit in DESCRIPTION_LIMITS:
        root = _build(specs, handler, limit)
        if command_size(root) <= limits.COMMAND_CHARACTERS:
            return root
    raise ValueError(f"/pivot needs more than {limits.COMMAND_CHARACTERS} characters")


def command_size(root: app_commands.Group) -> int:
    """What Discord counts against its per-command character budget."""
    total = len(root.name) + len(root.description)
    for child in root.walk_commands():
        total += len(child.name) + len(child.description)
        if isinstance(child, app_commands.Command):
            for param in child.parameters:
                total += len(param.display_name) + len(param.description)
                total += sum(len(c.name) + len(str(c.value)) for c in param.choices)
    return total


def _build(specs: Sequence[CommandSpec], handler: CommandHandler, limit: int) -> app_commands.Group:
    root = app_commands.Group(
        name=ROOT,
        description=ROOT_DESCRIPTION,
        allowed_contexts=app_commands.AppCommandContext(guild=True, dm_channel=True),
        allowed_installs=app_commands.AppInstallationType(guild=True, user=False),
    )
    by_group: dict[str, list[tuple[str, CommandSpec]]] = {}
    for spec in slash_specs(specs):
        words = spec.name.split()
        if len(words) > 2:
            raise ValueError(f"/pivot {spec.name}: Discord nests subcommands one level only")
        if len(words) == 2:
            by_group.setdefault(words[0], []).append((words[1], spec))
        else:
            root.add_command(_command(spec, words[0], handler, limit))
    for group_name, members in by_group.items():
        if root.get_command(group_name) is not None:
            raise ValueError(f"/pivot {group_name} is both a command and a group of commands")
        names = ", ".join(name for name, _ in members)
        group = app_commands.Group(
            name=group_name,
            description=limits.fit(f"{group_name.capitalize()}: {names}", 100),
        )
        for name, spec in members:
            group.add_command(_command(spec, name, handler, limit))
        root.add_command(group)
    return root


def _python_name(arg: Arg) -> str:
    name = arg.name.replace("-", "_")
    if not name.isidentifier() or keyword.iskeyword(name) or name == "interaction":
        name = f"{name}_"
    return name


def _command(
    spec: CommandSpec, name: str, handler: CommandHandler, limit: int
) -> app_commands.Command[Any, ..., None]:
    """A command whose callback takes the spec's options as keywords.

    discord.py reads options from the callback's signature, so the signature is built from the
    spec; a form spec's options are all optional, because its form asks for what is missing.
    """
    args = spec.visible_args
    if len(args) > limits.OPTIONS:
        raise ValueError(f"/pivot {spec.name} has {len(args)} options; Discord allows 25")
    optional_all = bool(form_args(spec))
    names = {_python_name(a): a.name for a in args}

    async def run(interaction: discord.Interaction, **options: ArgValue) -> None:
        given: dict[str, ArgValue] = {names[k]: v for k, v in options.items() if v is not None}
        await handler(interaction, spec, given)

    parameters = [
        inspect.Parameter(
            "interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction
        )
    ]
    for arg in args:
        required = arg.required and not optional_all
        parameters.append(
            inspect.Parameter(
                _python_name(arg),
                inspect.Parameter.KEYWORD_ONLY,
                annotation=SpecOption(arg),
                default=inspect.Parameter.empty if required else None,
            )
        )
    run.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    descriptions = {_python_name(a): limits.fit(a.help, limit, fallback=a.name) for a in args}
    callback: Any = app_commands.describe(**descriptions)(run) if descriptions else run
    renames = {py: real for py, real in names.items() if py != real}
    if renames:
        callback = app_commands.rename(**renames)(callback)
    return app_commands.Command(
        name=name,
        description=limits.fit(spec.summary, limit, fallback=spec.name),
        callback=callback,
        extras={"spec": spec.name},
    )


class PivotTree(app_commands.CommandTree[Any]):
    """Answers, in one line, the interactions discord.py cannot route to a spec."""

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError, /
    ) -> None:
        stale = (
            app_commands.CommandNotFound,
            app_commands.CommandSignatureMismatch,
            app_commands.TransformerError,
        )
        if isinstance(error, stale):
            log.warning("stale or mismatched command from Discord: %s", error)
            line = STALE_LINE
        else:
            line = bug_line(log, "Discord command failed", exc_info=error)
        await answer_line(interaction, line)


async def answer_line(interaction: discord.Interaction, line: str) -> None:
    """One ephemeral line, as the first response or a follow-up, whichever is still open."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(line, ephemeral=True)
        else:
            await interaction.response.send_message(line, ephemeral=True)
    except discord.HTTPException as exc:
        log.warning("could not answer interaction %s: %s", interaction.id, exc)
