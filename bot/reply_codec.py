"""Replies as JSON, so the outbox and the request log can store them and send them later."""

from __future__ import annotations

import base64
from typing import Any

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
)


def reply_to_dict(reply: Reply) -> dict[str, Any]:
    return {
        "text": reply.text,
        "ephemeral": reply.ephemeral,
        "is_error": reply.is_error,
        "blocks": [_block_to_dict(b) for b in reply.blocks],
    }


def reply_from_dict(data: dict[str, Any]) -> Reply:
    return Reply(
        text=str(data["text"]),
        blocks=tuple(_block_from_dict(b) for b in data.get("blocks", ())),
        ephemeral=bool(data.get("ephemeral", True)),
        is_error=bool(data.get("is_error", False)),
    )


def _b64(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(data).decode("ascii")


def _unb64(data: str | None) -> bytes | None:
    return None if data is None else base64.b64decode(data)


def _block_to_dict(block: Block) -> dict[str, Any]:
    match block:
        case Header(text=text):
            return {"type": "header", "text": text}
        case Section(text=text, fields=fields):
            return {"type": "section", "text": text, "fields": list(fields)}
        case ProgressBar(done=done, total=total, label=label):
            return {"type": "progress", "done": done, "total": total, "label": label}
        case Actions(buttons=buttons):
            return {"type": "actions", "buttons": [_button_to_dict(b) for b in buttons]}
        case Image(alt=alt, png_bytes=png, url=url, filename=filename):
            return {"type": "image", "alt": alt, "png": _b64(png), "url": url, "filename": filename}
        case Attachment(filename=filename, content=content, mime_type=mime):
            return {
                "type": "attachment",
                "filename": filename,
                "content": _b64(content),
                "mime": mime,
            }
        case Link(label=label, url=url, page_token=token):
            return {"type": "link", "label": label, "url": url, "page_token": token}
        case Divider():
            return {"type": "divider"}
        case Mention(user_id=user_id, display_name=name):
            return {"type": "mention", "user_id": user_id, "display_name": name}
    raise AssertionError(f"unknown block {block!r}")


def _button_to_dict(button: Button) -> dict[str, Any]:
    return {
        "label": button.label,
        "command": button.command,
        "args": [[k, v] for k, v in button.args],
        "style": button.style,
    }


def _block_from_dict(data: dict[str, Any]) -> Block:
    kind = data["type"]
    if kind == "header":
        return Header(data["text"])
    if kind == "section":
        return Section(data["text"], tuple(data.get("fields", ())))
    if kind == "progress":
        return ProgressBar(int(data["done"]), int(data["total"]), data["label"])
    if kind == "actions":
        return Actions(
            tuple(
                Button(b["label"], b["command"], tuple((k, v) for k, v in b["args"]), b["style"])
                for b in data["buttons"]
            )
        )
    if kind == "image":
        return Image(
            data["alt"], _unb64(data.get("png")), data.get("url"), data.get("filename", "chart.png")
        )
    if kind == "attachment":
        return Attachment(data["filename"], _unb64(data["content"]) or b"", data.get("mime", ""))
    if kind == "link":
        return Link(str(data["label"]), str(data["url"]), data.get("page_token"))
    if kind == "divider":
        return Divider()
    if kind == "mention":
        return Mention(data["user_id"], data["display_name"])
    raise ValueError(f"unknown block type {kind!r}")
