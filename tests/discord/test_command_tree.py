"""``/pivot`` on Discord is generated from the specs, and Discord would accept it."""

from __future__ import annotations

import re
from typing import Any

import discord

from adapters.discord_adapter.service import DiscordService
from adapters.platform_service import PlatformInputs
from bot.commands.catalogue import default_registry
from bot.commands.spec import Arg, ArgKind, CommandSpec, Context, Registry
from bot.messages import Invocation, Reply, Section
from testkit.discord_payloads import APP_ID, Person
from testkit.fake_discord import FakeDiscord
from tests.discord.conftest import started
from tests.support.discord_driver import ADA, GUILD_A, GUILD_B, OLGA, DiscordDriver

NAME = re.compile(r"^[-_a-z0-9]{1,32}$")
OPTION_TYPES = {
    ArgKind.INT: 4,
    ArgKind.USER: 6,
    ArgKind.CHANNEL: 7,
}


def discord_objections(command: dict[str, Any]) -> list[str]:
    """What Discord's API would reject in one command, as its docs state the limits."""
    problems = []

    def check(node: dict[str, Any], where: str) -> None:
        if not NAME.match(node["name"]):
            problems.append(f"{where}: bad name {node['name']!r}")
        if not 1 <= len(node["description"]) <= 100:
            problems.append(f"{where}: description of {len(node['description'])} characters")
        options = node.get("options") or []
        if len(options) > 25:
            problems.append(f"{where}: {len(options)} options")
        required = [o.get("required", False) for o in options if o["type"] > 2]
        if required != sorted(required, reverse=True):
            problems.append(f"{where}: a required option after an optional one")
        for choice in node.get("choices") or []:
            if not 1 <= len(choice["name"]) <= 100 or len(str(choice["value"])) > 100:
                problems.append(f"{where}: choice {choice}")
        if len(node.get("choices") or []) > 25:
            problems.append(f"{where}: more than 25 choices")
        if "max_length" in node and not 1 <= node["max_length"] <= 6000:
            problems.append(f"{where}: max_length {node['max_length']}")
        for option in options:
            if node.get("type") == 2 and option["type"] != 1:
                problems.append(f"{where}: a group may hold only subcommands")
            check(option, f"{where} {option['name']}")

    check(command, command["name"])
    return problems


def size(node: dict[str, Any]) -> int:
    total = len(node["name"]) + len(node.get("description", ""))
    total += sum(len(c["name"]) + len(str(c["value"])) for c in node.get("choices") or [])
    return total + sum(size(o) for o in node.get("options") or [])


def subcommands(command: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = {}
    for option in command["options"]:
        if option["type"] == 1:
            found[option["name"]] = option
        elif option["type"] == 2:
            for leaf in option["options"]:
                found[f"{option['name']} {leaf['name']}"] = leaf
    return found


async def test_pivot_is_synced_to_each_configured_guild_at_start(
    connected: DiscordService, fake_discord: FakeDiscord
) -> None:
    synced = {
        call.path: call.body
        for call in fake_discord.find("PUT", rf"/applications/{APP_ID}/guilds/\d+/commands")
    }
    assert set(synced) == {
        f"/applications/{APP_ID}/guilds/{GUILD_A}/commands",
        f"/applications/{APP_ID}/guilds/{GUILD_B}/commands",
    }
    assert not fake_discord.find("PUT", rf"/applications/{APP_ID}/commands")
    for body in synced.values():
        assert [c["name"] for c in body] == ["pivot"]


async def test_the_gateway_comes_from_the_api_and_asks_for_no_privileged_intent(
    connected: DiscordService, fake_discord: FakeDiscord
) -> None:
    assert fake_discord.find("GET", "/gateway/bot")
    identify = fake_discord.gateway.identify
    assert identify is not None
    assert identify["intents"] == discord.Intents.default().value
    privileged = discord.Intents(members=True, presences=True, message_content=True).value
    assert identify["intents"] & privileged == 0
    assert {g.id for g in connected.client.guilds} == {GUILD_A, GUILD_B}


async def test_without_guild_ids_pivot_is_synced_globally(
    discord_inputs: PlatformInputs, fake_discord: FakeDiscord
) -> None:
    service = DiscordService(discord_inputs, guild_ready_timeout=0.05)
    await service.start()
    await service.stop()
    (call,) = fake_discord.find("PUT", rf"/applications/{APP_ID}/commands")
    (pivot,) = call.body
    assert pivot["contexts"] == [0, 1]  # guilds and DMs with the bot
    assert pivot["integration_types"] == [0]


async def test_every_typed_spec_is_a_subcommand_with_its_typed_options(
    connected: DiscordService, fake_discord: FakeDiscord
) -> None:
    (pivot,) = fake_discord.find("PUT", rf"/applications/{APP_ID}/guilds/{GUILD_A}/commands")[
        0
    ].body
    assert discord_objections(pivot) == []
    assert size(pivot) <= 8000
    leaves = subcommands(pivot)
    specs = {s.name: s for s in default_registry().specs}
    assert set(leaves) == set(specs)
    for name, spec in specs.items():
        options = {o["name"]: o for o in leaves[name].get("options", [])}
        assert set(options) == {a.name for a in spec.visible_args}, name
        assert leaves[name]["description"] == spec.summary[:100]
        for arg in spec.visible_args:
            option = options[arg.name]
            assert option["type"] == OPTION_TYPES.get(arg.kind, 3), (name, arg.name)
            assert option["description"] == arg.help
            assert option["required"] == (arg.required and not spec.form)
            if arg.kind is ArgKind.CHOICE:
                assert [c["value"] for c in option["choices"]] == list(arg.choices)
    assert [c["value"] for c in leaves["settings nudge"]["options"][0]["choices"]][:2] == [
        "monday",
        "tuesday",
    ]
    assert leaves["cohort channel"]["options"][1]["channel_types"] == [0, 5]
    confidence = next(o for o in leaves["checkin"]["options"] if o["name"] == "confidence")
    assert (confidence["min_value"], confidence["max_value"]) == (1, 5)


async def test_the_roadmap_commands_and_last_weeks_check_in_have_their_discord_options(
    connected: DiscordService, fake_discord: FakeDiscord
) -> None:
    (pivot,) = fake_discord.find("PUT", rf"/applications/{APP_ID}/guilds/{GUILD_A}/commands")[
        0
    ].body
    leaves = subcommands(pivot)
    week = leaves["checkin"]["options"][0]
    assert (week["name"], week["required"]) == ("week", False)
    assert [c["value"] for c in week["choices"]] == ["this", "last"]
    (key,) = leaves["milestones"]["options"]
    assert (key["name"], key["type"], key["required"]) == ("key", 3, False)
    assert leaves["roadmap"].get("options", []) == []
    (n,) = leaves["history"]["options"]
    assert (n["name"], n["type"], n["min_value"], n["max_value"]) == ("n", 4, 1, 52)


async def _streak(inv: Invocation, ctx: Context) -> Reply:
    del ctx
    return Reply.of(Section(f"{inv.args['weeks']} weeks for {inv.args['buddy']}"))


STREAK = CommandSpec(
    name="buddy streak",
    summary="Compare your streak with a buddy's " + "and say so at great length " * 10,
    example="/pivot buddy streak @sam 4",
    handler=_streak,
    needs_member=False,
    args=(
        Arg("buddy", ArgKind.USER, "the buddy " + "who keeps you honest " * 10, required=True),
        Arg("weeks", ArgKind.INT, "how many weeks", required=True, minimum=1, maximum=52),
        Arg("secret", ArgKind.WORD, "set by buttons only", hidden=True),
    ),
)
BUTTON_ONLY = CommandSpec(
    name="buddy cheer",
    summary="Cheer a buddy on (from a button)",
    example="(a button)",
    handler=_streak,
    args=(Arg("question", ArgKind.INT, "the question", required=True, hidden=True),),
)


async def test_a_spec_added_in_bot_appears_on_discord_and_runs_with_typed_options(
    discord_inputs: PlatformInputs, fake_discord: FakeDiscord
) -> None:
    discord_inputs.core.registry = Registry([*default_registry().specs, STREAK, BUTTON_ONLY])
    service = await started(discord_inputs)
    try:
        tree = service.client.tree
        names = {c.qualified_name for c in tree.walk_commands()}
        assert "pivot buddy streak" in names
        assert "pivot buddy cheer" not in names  # its required argument comes from a button
        command = tree.get_command("pivot").get_command("buddy").get_command("streak")  # type: ignore[union-attr]
        assert len(command.description) == 100
        assert [p.name for p in command.parameters] == ["buddy", "weeks"]
        assert all(1 <= len(p.description) <= 100 for p in command.parameters)
        sam = Person(800000000000000003, "Sam")
        answer = await DiscordDriver(service, fake_discord).slash(
            "buddy streak", by=ADA, buddy=sam, weeks=4
        )
        assert answer.text == "4 weeks for 800000000000000003|Sam"
    finally:
        await service.stop()


def test_descriptions_shrink_when_the_specs_outgrow_discords_budget_for_one_command() -> None:
    from adapters.discord_adapter.command_tree import build_root, command_size

    wordy = [
        CommandSpec(
            name=f"extra{i // 8} run{i % 8}",
            summary="x" * 100,
            example="",
            handler=_streak,
            args=tuple(Arg(f"a{j}", ArgKind.TEXT, "y" * 100) for j in range(4)),
        )
        for i in range(24)  # three new groups: room stays under the 25 top-level commands
    ]

    async def ignore(*_: object) -> None:
        return None

    root = build_root([*default_registry().specs, *wordy], ignore)
    assert command_size(root) <= 8000
    assert {c.qualified_name for c in root.walk_commands()} >= {"pivot extra2 run7"}


async def test_admin_flag_comes_from_manage_server(discord_bot: DiscordDriver) -> None:
    created = await discord_bot.slash("cohort create", by=OLGA, name="spring")
    assert "Created cohort spring" in created.text
