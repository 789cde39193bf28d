"""README console transcripts: find them, replay them, and (for maintainers) refresh them.

A transcript is a fenced block right after a ``<!-- transcript -->`` marker. Its first line is
the ``$ pivotbot console ...`` command; lines starting with ``> `` are what was typed, and the
rest is what the console printed. Run ``python -m tests.support.transcripts README.md`` to
rewrite the printed parts after a deliberate change in wording.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

MARKER = "<!-- transcript -->"
# A web page's link is random and signed, so the README shows it as ``/p/<link>``.
_PAGE_LINK = re.compile(r"(/p/)[A-Za-z0-9_-]{16,32}\.[0-9a-z]{1,12}\.[A-Za-z0-9_-]{43}")
_BLOCK = re.compile(re.escape(MARKER) + r"\n```console\n(.*?)```", re.DOTALL)


@dataclass(frozen=True)
class Transcript:
    command: list[str]  # the arguments after "pivotbot"
    inputs: list[str]
    expected: str
    span: tuple[int, int]  # where the block body sits in the README


def find_transcripts(readme: str) -> list[Transcript]:
    found = []
    for match in _BLOCK.finditer(readme):
        body = match.group(1)
        first, _, rest = body.partition("\n")
        words = shlex.split(first.removeprefix("$ "))
        command = words[words.index(next(w for w in words if w.endswith("pivotbot"))) + 1 :]
        inputs = [line[2:] for line in rest.splitlines() if line.startswith("> ")]
        found.append(Transcript(command, inputs, rest, match.span(1)))
    return found


def replay(transcript: Transcript, workdir: Path) -> str:
    """Run the console as the README says, in ``workdir``, feeding the typed lines."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", *transcript.command],
        input="".join(f"{line}\n" for line in transcript.inputs),
        cwd=workdir,
        env={**env, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(f"console exited {result.returncode}: {result.stderr[-2000:]}")
    return normalise_links(result.stdout)


def normalise_links(output: str) -> str:
    return _PAGE_LINK.sub(r"\1<link>", output)


def refresh(readme_path: Path) -> None:
    readme = readme_path.read_text(encoding="utf-8")
    for transcript in reversed(find_transcripts(readme)):
        with tempfile.TemporaryDirectory() as workdir:
            output = replay(transcript, Path(workdir))
        start, end = transcript.span
        first_line = readme[start:end].partition("\n")[0]
        readme = readme[:start] + first_line + "\n" + output + readme[end:]
    readme_path.write_text(readme, encoding="utf-8")


if __name__ == "__main__":
    refresh(Path(sys.argv[1] if len(sys.argv) > 1 else "README.md"))
