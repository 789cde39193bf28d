"""The layers stay apart: imports point down only, and nothing shadows a real package.

    app/         the composition root: imports everything, and nothing imports it
    adapters/    platform payloads in and out: bot/ only, never bot.db or bot.services
    scheduler/   time in, deliveries out: bot/ only
    bot/         the core: none of the above, and no platform SDK
    migrations/  the schema: bot/ only

Imports are read from the source, so one inside a function or under ``TYPE_CHECKING`` counts.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SDKS = ("slack_bolt", "slack_sdk", "discord")
BELOW_TESTS = ("tests", "testkit", "bench")
FORBIDDEN = {  # each package, and what its modules may never import
    "bot": ("app", "adapters", "scheduler", "migrations", *BELOW_TESTS, *SDKS),
    "scheduler": ("app", "adapters", "migrations", *BELOW_TESTS, *SDKS),
    "adapters": ("app", "scheduler", "migrations", "bot.db", "bot.services", *BELOW_TESTS),
    "migrations": ("app", "adapters", "scheduler", *BELOW_TESTS, *SDKS),
    "app": BELOW_TESTS,
    "testkit": ("app", "tests", "bench"),  # what tests and benchmarks share
    "bench": ("app", "tests"),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def source_files(package: str) -> Iterator[Path]:
    yield from sorted((ROOT / package).rglob("*.py"))


def imported_names(path: Path) -> set[str]:
    """Every module a file names in an import, and each ``from`` import's ``module.name`` too
    (it may be a module); relative imports resolved."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def forbidden_imports(package: str) -> list[str]:
    found = []
    for path in source_files(package):
        for name in sorted(imported_names(path)):
            if any(under(name, prefix) for prefix in FORBIDDEN[package]):
                found.append(f"{module_name(path)} imports {name}")
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_each_package_imports_only_what_lies_below_it(package: str) -> None:
    assert forbidden_imports(package) == []


def test_nothing_but_the_entry_point_and_tests_imports_the_composition_root() -> None:
    importers = [
        f"{module_name(path)} imports {name}"
        for package in FORBIDDEN
        if package != "app"
        for path in source_files(package)
        for name in sorted(imported_names(path))
        if under(name, "app")
    ]
    assert importers == []
    entry = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'pivotbot = "app.cli:main"' in entry


def file_loops() -> list[set[str]]:
    """The groups of files that import one another in a circle (Tarjan's strongly connected
    components over the file import graph)."""
    modules = {module_name(p): p for package in FORBIDDEN for p in source_files(package)}
    graph = {
        name: {
            target
            for imported in imported_names(path)
            if (target := _known(imported, modules)) is not None and target != name
        }
        for name, path in modules.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    loops: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                loops.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return loops


def _known(imported: str, modules: dict[str, Path]) -> str | None:
    parts = imported.split(".")
    while parts and ".".join(parts) not in modules:
        parts.pop()
    return ".".join(parts) if parts else None


def test_no_files_import_one_another_in_a_loop() -> None:
    assert file_loops() == []


def _loaded_by(package: str) -> set[str]:
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
    loaded = _loaded_by("bot")
    leaks = sorted(m for m in loaded if m.split(".")[0] in FORBIDDEN["bot"])
    assert leaks == []


def test_no_module_shadows_an_installed_package() -> None:
    shadowing = {"discord.py", "slack.py", "slack_bolt.py", "apscheduler.py", "sqlalchemy.py"}
    ours = {p.name for p in ROOT.rglob("*.py") if ".venv" not in p.parts}
    assert ours & shadowing == set()
