"""The core stays platform-neutral: bot/ imports no platform SDK, web framework or storage module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN_IN_CORE = ("slack_bolt", "slack_sdk", "botbuilder", "botframework", "aiohttp", "sqlite_utils", "sqlite3", "adapters", "social_map")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "bot").rglob("*.py")), ids=lambda p: p.name)
def test_core_imports_no_platform_code(path):
    bad = {name for name in imported_modules(path) if name.split(".")[0] in FORBIDDEN_IN_CORE}
    assert bad == set()


def test_knowledge_folder_is_yaml_only():
    files = [p for p in (ROOT / "knowledge").rglob("*") if p.is_file()]
    assert files and all(p.suffix == ".yaml" for p in files)
