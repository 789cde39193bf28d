"""Any reply renders to a message Discord accepts: every limit holds, nothing is refused."""

from __future__ import annotations

import discord
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.discord_adapter.buttons import ButtonIds
from adapters.discord_adapter.embeds import FULL_TEXT_FILE
from adapters.discord_adapter.rendering import OutgoingMessage, Renderer
from bot.commands.catalogue import default_registry
from bot.core import PivotCore
from bot.messages import (
    Actions,
    Attachment,
    Block,
    Button,
    Divider,
    Header,
    Image,
    Link,
    Mention,
    ProgressBar,
    Reply,
    Section,
    render_text,
)
from tests.support.discord_driver import GUILD_A

COMMANDS = sorted(s.name for s in default_registry().specs)
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
long_text = st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=30), st.integers(1, 300))
any_text = st.one_of(text, text, long_text)
arg_names = st.from_regex(r"[a-z][a-z0-9]{0,11}", fullmatch=True)
arg_values = st.one_of(st.none(), st.integers(-(10**6), 10**6), st.booleans(), any_text)
buttons = st.builds(
    Button,
    label=any_text,
    command=st.sampled_from(COMMANDS),
    args=st.lists(st.tuples(arg_names, arg_values), max_size=4).map(tuple),
    style=st.sampled_from(["default", "primary", "danger"]),
)
blocks: st.SearchStrategy[Block] = st.one_of(
    st.builds(Header, any_text),
    st.builds(Section, any_text, st.lists(any_text, max_size=30).map(tuple)),
    st.builds(ProgressBar, st.integers(-5, 50), st.integers(-5, 50), text),
    st.builds(Actions, st.lists(buttons, max_size=12).map(tuple)),
    st.builds(Image, text, st.one_of(st.none(), st.binary(min_size=1, max_size=20))),
    st.builds(Image, text, st.none(), st.just("https://example.com/chart.png")),
    st.builds(Attachment, st.from_regex(r"[a-z]{1,10}\.json", fullmatch=True), st.binary()),
    st.just(Divider()),
    st.builds(Mention, st.from_regex(r"[0-9]{17,19}", fullmatch=True), text),
    st.builds(
        Link,
        any_text,
        st.one_of(
            st.just("http://localhost:3000/p/abc"), st.builds("https://x.org/{}".format, text)
        ),
    ),
)


@st.composite
def replies(draw: st.DrawFn) -> Reply:
    chosen = tuple(draw(st.lists(blocks, max_size=40)))
    return Reply(
        text=render_text(chosen) if chosen else draw(any_text),
        blocks=chosen,
        ephemeral=draw(st.booleans()),
        is_error=draw(st.booleans()) and not chosen,
    )


def assert_discord_accepts(message: OutgoingMessage) -> None:
    assert message.content or message.embed or message.files, "an empty message"
    if message.content is not None:
        assert 1 <= len(message.content) <= 2000
    if message.embed is not None:
        embed = message.embed
        assert len(embed.title or "") <= 256
        assert len(embed.description or "") <= 4096
        assert len(embed.fields) <= 25
        for field in embed.fields:
            assert 1 <= len(field.name or "") <= 256
            assert 1 <= len(field.value or "") <= 1024
        assert len(embed) <= 6000
        embed.to_dict()
    assert len(message.files) <= 10
    if message.view is not None:
        rows = message.view.to_components()  # what goes to Discord
        assert 1 <= len(rows) <= 5
        items = [c for row in rows for c in row["components"]]
        assert all(1 <= len(row["components"]) <= 5 for row in rows)
        assert len(items) <= 25
        links = [c for c in items if c["style"] == discord.ButtonStyle.link.value]
        assert all(c["url"].startswith(("https://", "http://")) for c in links)
        assert all(len(c["url"]) <= 512 for c in links)
        ids = [c["custom_id"] for c in items if c not in links]
        assert all(len(i) <= 100 for i in ids)
        assert len(set(ids)) == len(ids)
        assert all(1 <= len(c["label"]) <= 80 for c in items)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(reply=replies(), in_dm=st.booleans())
async def test_any_reply_renders_within_every_discord_limit(
    core: PivotCore, reply: Reply, in_dm: bool
) -> None:
    renderer = Renderer(ButtonIds(core.records))
    message = await renderer.render(reply, str(GUILD_A), in_dm)
    assert_discord_accepts(message)
    if message.embed is None and FULL_TEXT_FILE in {f.filename for f in message.files}:
        full = next(f for f in message.files if f.filename == FULL_TEXT_FILE)
        assert full.fp.read().decode("utf-8").strip()


async def test_a_reply_too_long_for_an_embed_goes_as_text_with_the_full_text_attached(
    core: PivotCore,
) -> None:
    lines = tuple(f"line {n}: " + "word " * 30 for n in range(60))
    reply = Reply.of(Header("Everything"), Section("", lines))
    message = await Renderer(ButtonIds(core.records)).render(reply, "1", False)
    assert message.embed is None
    assert message.content is not None
    assert message.content.startswith("Everything\n  line 0:")
    assert message.content.endswith(f"… the full reply is attached as {FULL_TEXT_FILE}.")
    (full,) = message.files
    assert full.fp.read().decode("utf-8") == reply.text


async def test_plain_sentences_go_as_a_message_and_structure_as_an_embed(
    core: PivotCore,
) -> None:
    renderer = Renderer(ButtonIds(core.records))
    plain = await renderer.render(Reply.of(Section("Welcome back!")), "1", False)
    assert (plain.content, plain.embed) == ("Welcome back!", None)
    status = await renderer.render(
        Reply.of(Header("Phase 1"), Section("Next:", ("• check in",))), "1", False
    )
    assert isinstance(status.embed, discord.Embed)
    assert status.embed.title == "Phase 1"
    assert [(f.name, f.value) for f in status.embed.fields] == [("Next:", "• check in")]
