"""A reply's blocks as message content, one embed and files, within every Discord limit.

Headers become the title, sections the description, a trailing run of sections with fields
becomes embed fields, progress bars stay text. When the embed would break a limit, the reply
goes out as plain text instead, and text too long for one message is attached in full: a
reply is never refused for its size.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field

import discord

from adapters.discord_adapter import limits
from bot.messages import (
    Actions,
    Attachment,
    Block,
    Divider,
    Header,
    Image,
    Link,
    Mention,
    ProgressBar,
    Reply,
    Section,
    progress_bar_text,
    render_text,
)

MAX_FILES = 10
FULL_TEXT_FILE = "pivotbot-reply.txt"
DIVIDER = "─" * 20
_PLAIN_BLOCKS = (Actions, Attachment, Link, Mention)


@dataclass
class Layout:
    content: str | None = None
    embed: discord.Embed | None = None
    files: list[discord.File] = field(default_factory=list)


def layout(reply: Reply) -> Layout:
    visible = tuple(b for b in reply.blocks if not isinstance(b, Actions))
    text = render_text(visible) if reply.blocks else reply.text
    files = _files(reply.blocks)
    if reply.is_error or _is_plain(reply.blocks):
        return _as_text(text, files)
    embed = _embed(reply.blocks)
    if embed is None:
        return _as_text(text, files)
    return Layout(None, embed, files[:MAX_FILES])


def _is_plain(blocks: Sequence[Block]) -> bool:
    """Sentences with no structure read better as a message than as an embed."""
    return all(
        isinstance(b, _PLAIN_BLOCKS) or (isinstance(b, Section) and not b.fields) for b in blocks
    )


def _as_text(text: str, files: list[discord.File]) -> Layout:
    shown = text.strip() or "✓"
    if len(shown) <= limits.CONTENT:
        return Layout(shown, None, files[:MAX_FILES])
    note = f"\n… the full reply is attached as {FULL_TEXT_FILE}."
    head = shown[: limits.CONTENT - len(note)]
    if head.rfind("\n") > len(head) // 2:
        head = head[: head.rfind("\n")]
    full = discord.File(io.BytesIO(text.encode("utf-8")), filename=FULL_TEXT_FILE)
    return Layout(head + note, None, [full, *files][:MAX_FILES])


def _files(blocks: Sequence[Block]) -> list[discord.File]:
    files = []
    for block in blocks:
        if isinstance(block, Attachment):
            files.append(discord.File(io.BytesIO(block.content), filename=block.filename))
        elif isinstance(block, Image) and block.png_bytes is not None:
            files.append(discord.File(io.BytesIO(block.png_bytes), filename=block.filename))
    return files


def _field_run_start(blocks: Sequence[Block]) -> int:
    """Where the trailing sections that can be embed fields begin; fields always come last
    in an embed, so only a trailing run keeps the reply's order."""
    content = [i for i, b in enumerate(blocks) if not isinstance(b, Actions | Attachment | Image)]
    start = len(blocks)
    for count, index in enumerate(reversed(content), start=1):
        block = blocks[index]
        fits = isinstance(block, Section) and block.fields and _fits_field(block)
        if not fits or count > limits.EMBED_FIELDS:
            break
        start = index
    return start


def _fits_field(section: Section) -> bool:
    """A field needs a name: a section with a short heading and short lines."""
    name = section.text.strip()
    value = "\n".join(section.fields).strip()
    return 0 < len(name) <= limits.FIELD_NAME and 0 < len(value) <= limits.FIELD_VALUE


def _embed(blocks: Sequence[Block]) -> discord.Embed | None:
    embed = discord.Embed()
    lines: list[str] = []
    start = _field_run_start(blocks)
    image_set = False
    for index, block in enumerate(blocks):
        match block:
            case Header(text=text) if index == 0 and len(text.strip()) <= limits.EMBED_TITLE:
                embed.title = text.strip() or None
            case Header(text=text):
                lines.append(f"**{text.strip()}**")
            case Section(text=text, fields=fields) if index >= start:
                embed.add_field(name=text.strip(), value="\n".join(fields).strip(), inline=False)
            case Section(text=text, fields=fields):
                lines.extend(line for line in (text, *fields) if line)
            case ProgressBar(done=done, total=total, label=label):
                lines.append(f"{label} {progress_bar_text(done, total)}")
            case Divider():
                lines.append(DIVIDER)
            case Mention(user_id=user_id):
                lines.append(f"<@{user_id}>")
            case Link(label=label, url=url):
                lines.append(f"[{label}]({url})")
            case Image(alt=alt, url=url, filename=filename, png_bytes=png):
                if not image_set and (png is not None or url):
                    embed.set_image(url=f"attachment://{filename}" if png is not None else url)
                    image_set = True
                elif url:
                    lines.append(f"[{alt or 'image'}]({url})")
    description = "\n".join(lines).strip()
    if description:
        embed.description = description
    if not (embed.title or description or embed.fields or image_set):
        return None
    return embed if _within_limits(embed) else None


def _within_limits(embed: discord.Embed) -> bool:
    return (
        len(embed.title or "") <= limits.EMBED_TITLE
        and len(embed.description or "") <= limits.EMBED_DESCRIPTION
        and len(embed.fields) <= limits.EMBED_FIELDS
        and all(len(f.name or "") <= limits.FIELD_NAME for f in embed.fields)
        and all(len(f.value or "") <= limits.FIELD_VALUE for f in embed.fields)
        and len(embed) <= limits.EMBED_TOTAL
    )
