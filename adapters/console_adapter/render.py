"""Replies as terminal text; files and images are saved beside the console and named."""

from __future__ import annotations

from pathlib import Path

from bot.messages import Attachment, Image, Reply


def render_reply(reply: Reply, out_dir: Path) -> str:
    lines = [reply.text]
    for block in reply.blocks:
        if isinstance(block, Attachment):
            lines.append(f"Saved {_save(out_dir, block.filename, block.content)}")
        elif isinstance(block, Image) and block.png_bytes is not None:
            lines.append(f"Saved {_save(out_dir, block.filename, block.png_bytes)}")
    return "\n".join(lines)


def _save(out_dir: Path, filename: str, content: bytes) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / Path(filename).name
    path.write_bytes(content)
    return path
