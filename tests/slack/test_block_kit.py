"""Any reply renders within every Block Kit limit, with ``text`` always set; what cannot fit
falls back to text instead of failing."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.slack_adapter.block_kit import message, surface_blocks
from adapters.slack_adapter.buttons import decode
from adapters.slack_adapter.home import home_view
from bot.messages import (
    Actions,
    Attachment,
    Button,
    Divider,
    Header,
    Image,
    Link,
    Mention,
    ProgressBar,
    Reply,
    Section,
)

# Slack's limits (DESIGN.md §7 and the Block Kit reference), written out independently of the
# renderer's own constants so a wrong constant there cannot hide here.
MESSAGE_BLOCKS, SURFACE_BLOCKS = 50, 100
SECTION_TEXT, FIELDS, FIELD_TEXT = 3000, 10, 2000
HEADER_TEXT, BUTTON_TEXT, BUTTON_VALUE, ACTION_ID, BLOCK_ID = 150, 75, 2000, 255, 255
ACTIONS_ELEMENTS, CONTEXT_ELEMENTS, IMAGE_ALT, IMAGE_URL = 25, 10, 2000, 3000
MESSAGE_TEXT = 40_000
BUTTON_URL = 3000
MENTION = re.compile(r"<@[UW][A-Z0-9]+>")


def units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


pieces = st.text(max_size=40)
texts = st.one_of(
    pieces,
    st.builds(lambda piece, times: piece * times, pieces, st.integers(0, 300)),
    st.builds(lambda line, times: "\n".join([line] * times), pieces, st.integers(0, 400)),
)
arg_values = st.one_of(
    st.text(max_size=30),
    st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=10), st.integers(1, 400)),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.none(),
)
buttons = st.builds(
    Button,
    label=texts,
    command=st.one_of(st.sampled_from(["status", "quiz answer", "pause"]), st.text(max_size=300)),
    args=st.lists(st.tuples(st.text(max_size=12), arg_values), max_size=4).map(tuple),
    style=st.sampled_from(["default", "primary", "danger"]),
)
blocks = st.one_of(
    st.builds(Header, texts),
    st.builds(Section, texts, st.lists(texts, max_size=14).map(tuple)),
    st.builds(ProgressBar, st.integers(-3, 500), st.integers(-3, 500), texts),
    st.builds(Actions, st.lists(buttons, max_size=30).map(tuple)),
    st.builds(
        Image,
        texts,
        st.one_of(st.none(), st.binary(max_size=20)),
        st.one_of(st.none(), st.just("https://example.org/chart.png"), texts),
    ),
    st.builds(Attachment, st.text(min_size=1, max_size=40), st.binary(max_size=20)),
    st.just(Divider()),
    st.builds(Mention, st.one_of(st.just("U024BE7LH"), st.text(max_size=20)), texts),
    st.builds(
        Link,
        texts,
        st.one_of(
            st.just("http://localhost:3000/p/abc"), st.builds("https://x.org/{}".format, texts)
        ),
    ),
)
replies = st.builds(
    Reply,
    text=texts,
    blocks=st.lists(blocks, max_size=70).map(tuple),
    ephemeral=st.booleans(),
    is_error=st.booleans(),
)


def check_text_object(text: dict[str, Any], limit: int) -> None:
    assert text["type"] in ("mrkdwn", "plain_text")
    assert text["text"].strip(), text
    assert units(text["text"]) <= limit
    if text["type"] == "mrkdwn":  # a member's text can never become markup
        bare = MENTION.sub("", text["text"])
        assert "<" not in bare
        assert ">" not in bare


def check_blocks(rendered: list[dict[str, Any]], limit: int, source: Reply) -> None:
    assert len(rendered) <= limit
    block_ids = [b["block_id"] for b in rendered if "block_id" in b]
    assert len(block_ids) == len(set(block_ids))
    assert all(units(b) <= BLOCK_ID for b in block_ids)
    action_ids: list[str] = []
    pressable = {(b.command, tuple(b.args)) for b in source.buttons}
    for block in rendered:
        match block["type"]:
            case "header":
                check_text_object(block["text"], HEADER_TEXT)
            case "section":
                assert "text" in block or "fields" in block
                if "text" in block:
                    check_text_object(block["text"], SECTION_TEXT)
                fields = block.get("fields", [])
                assert len(fields) <= FIELDS
                for field in fields:
                    check_text_object(field, FIELD_TEXT)
            case "actions":
                assert 1 <= len(block["elements"]) <= ACTIONS_ELEMENTS
                for button in block["elements"]:
                    check_text_object(button["text"], BUTTON_TEXT)
                    assert units(button["action_id"]) <= ACTION_ID
                    assert units(button.get("value", "")) <= BUTTON_VALUE
                    assert button.get("style", "primary") in ("primary", "danger")
                    action_ids.append(button["action_id"])
                    if "url" in button:  # a link: opened by Slack, pressing runs nothing
                        assert button["url"].startswith(("https://", "http://"))
                        assert units(button["url"]) <= BUTTON_URL
                        continue
                    decoded = decode(button)
                    assert decoded is not None
                    command, args = decoded
                    assert any(c == command and dict(a) == args for c, a in pressable)
            case "context":
                assert 1 <= len(block["elements"]) <= CONTEXT_ELEMENTS
                for element in block["elements"]:
                    check_text_object(element, SECTION_TEXT)
            case "image":
                assert units(block["image_url"]) <= IMAGE_URL
                assert 1 <= units(block["alt_text"]) <= IMAGE_ALT
            case "divider":
                pass
            case other:
                raise AssertionError(f"unexpected block type {other}")
    assert len(action_ids) == len(set(action_ids))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(replies)
def test_any_reply_renders_as_a_message_within_every_limit_with_text_set(reply: Reply) -> None:
    rendered = message(reply)
    assert rendered.text.strip()
    assert units(rendered.text) <= MESSAGE_TEXT
    check_blocks(list(rendered.blocks), MESSAGE_BLOCKS, reply)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(replies)
def test_any_reply_renders_in_the_home_tab_within_every_limit(reply: Reply) -> None:
    view = home_view(reply)
    assert view["blocks"]
    source = reply if not reply.is_error else Reply.of(*_home_blocks(view))
    check_blocks(view["blocks"], SURFACE_BLOCKS, source)


def _home_blocks(view: dict[str, Any]) -> tuple[Actions, ...]:
    """The Join and Help buttons the Home tab offers someone who has not joined."""
    return (Actions((Button("Join", "join", style="primary"), Button("Help", "help"))),)


def test_reply_with_more_blocks_than_a_message_holds_is_sent_as_its_full_text() -> None:
    reply = Reply.of(*(Section(f"line {n}") for n in range(60)))
    rendered = message(reply)
    assert rendered.blocks == ()
    assert rendered.text.splitlines() == [f"line {n}" for n in range(60)]


def test_long_section_is_split_into_sections_that_each_fit() -> None:
    reply = Reply.of(Section("\n".join(f"{n:04d} " + "x" * 95 for n in range(100))))
    rendered = message(reply)
    assert len(rendered.blocks) == 4
    joined = "\n".join(b["text"]["text"] for b in rendered.blocks)
    assert joined == reply.blocks[0].text  # nothing lost, nothing reordered


def test_button_whose_arguments_cannot_fit_is_shown_as_text() -> None:
    huge = Button("Submit essay", "essay", (("text", "x" * 3000),))
    rendered = message(Reply.of(Actions((Button("Status", "status"), huge))))
    actions, fallback = rendered.blocks
    assert [b["text"]["text"] for b in actions["elements"]] == ["Status"]
    assert fallback["text"]["text"] == "• Submit essay"


def test_short_fields_sit_side_by_side_and_long_ones_become_lines() -> None:
    short = message(Reply.of(Section("Checked in", ("Blockers: none", "Confidence: 4/5"))))
    long = message(Reply.of(Section("Next:", ("• " + "a long next step " * 5,))))
    assert [f["text"] for f in short.blocks[0]["fields"]] == ["Blockers: none", "Confidence: 4/5"]
    assert "fields" not in long.blocks[0]
    assert long.blocks[0]["text"]["text"].startswith("Next:\n• a long next step")


def test_home_tab_too_long_for_blocks_shows_the_text() -> None:
    reply = Reply.of(*(Header(f"h{n}") for n in range(150)))
    blocks = surface_blocks(reply)
    assert len(blocks) == 1
    assert blocks[0]["text"]["text"].startswith("h0\nh1\nh2")


def test_a_link_is_a_url_button_and_one_slack_would_refuse_is_text() -> None:
    url = "https://pivot.example.org/p/abc"
    [block] = message(Reply.of(Link("Open my roadmap", url))).blocks
    [button] = block["elements"]
    assert (button["text"]["text"], button["url"]) == ("Open my roadmap", url)
    long = "https://pivot.example.org/" + "a" * 3000
    shown = message(Reply.of(Link("Open", long))).blocks
    assert {b["type"] for b in shown} == {"section"}
