"""The layers stay apart: the core knows no platform, and nothing shadows a real package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("slack_bolt", "slack_sdk", "discord", "adapters", "scheduler")


def _imported_by(package: str) -> set[str]:
    """Import every module of a package in a fresh interpreter and list what got loaded."""
    code = (
        "import importlib, pkgutil, sys\n"
        f"import {package}\n"
        f"for m in pkgutil.walk_packages({package}.__path__, '{package}.'):\n"
        "    importlib.import_module(m.name)\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_importing_bot_loads_no_platform_sdk_adapter_or_scheduler() -> None:
    loaded = _imported_by("bot")
    leaks = sorted(m for m in loaded if m.split(".")[0] in FORBIDDEN)
    assert leaks == []


def test_no_module_shadows_an_installed_package() -> None:
    shadowing = {"discord.py", "slack.py", "slack_bolt.py", "apscheduler.py", "sqlalchemy.py"}
    ours = {p.name for p in ROOT.rglob("*.py") if ".venv" not in p.parts}
    assert ours & shadowing == set()
