"""The shape of the code, enforced: bot/ imports no platform, web or storage code, and its capability
packages import only downwards.

The layers of bot/, bottom first (a module may import its own layer and the layers below it):
0. the seam: `messages`, `clock`, `config`, `quota`, `identity`, `state` (what crosses every boundary);
1. `language`: Dutch words, dates, privacy, files (no knowledge of ketenbot's content);
2. `knowledge`: the entries, how they are loaded, checked and shown;
3. `understanding`: reading a message against the knowledge and the language (matcher, reading, intents);
4. `social`: partners, the social map's dialogs, who may see what;
5. `commitment`: check-ins, milestones, celebrations, the scheduler (they reach partners, so above social);
6. the top: `core`, `services`, `guidance`, `dialogs` (they tie the capabilities together).
An import under `if TYPE_CHECKING:` names a type only and may point anywhere (a capability is handed the
`Services` it works with, it never imports them).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN_IN_CORE = ("slack_bolt", "slack_sdk", "botbuilder", "botframework", "aiohttp", "sqlite_utils", "sqlite3", "adapters", "social_map")
FORBIDDEN_IN_STORAGE = ("slack_bolt", "slack_sdk", "botbuilder", "botframework", "aiohttp", "adapters")
SEAM = ("bot.messages", "bot.clock", "bot.config", "bot.quota", "bot.identity", "bot.state")
LAYERS = ("seam", "bot.language", "bot.knowledge", "bot.understanding", "bot.social", "bot.commitment", "top")


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def imported_modules(path: Path, *, runtime_only: bool = False) -> set[str]:
    """Every module a file imports (`runtime_only`: leaving out imports under `if TYPE_CHECKING:`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {
        id(child)
        for node in ast.walk(tree)
        if runtime_only and isinstance(node, ast.If) and _is_type_checking(node)
        for child in ast.walk(node)
    }
    names: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            # "from bot.social import access" imports bot.social.access
            names.update(f"{node.module}.{alias.name}" for alias in node.names if node.module.startswith("bot"))
    return names


def layer(module: str) -> int:
    """The layer of a module of bot/ (see the module docstring)."""
    if module in SEAM or any(module.startswith(seam + ".") for seam in SEAM):
        return 0
    for number, package in enumerate(LAYERS[1:-1], start=1):
        if module == package or module.startswith(package + "."):
            return number
    return len(LAYERS) - 1


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


BOT_FILES = sorted((ROOT / "bot").rglob("*.py"))


@pytest.mark.parametrize("path", BOT_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_core_imports_no_platform_code(path):
    bad = {name for name in imported_modules(path) if name.split(".")[0] in FORBIDDEN_IN_CORE}
    assert bad == set()


@pytest.mark.parametrize("path", BOT_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_bot_imports_only_downwards(path):
    own = layer(module_name(path))
    upwards = {
        name
        for name in imported_modules(path, runtime_only=True)
        if name.startswith("bot.") and name != "bot" and layer(name) > own and not name.startswith(module_name(path))
    }
    assert upwards == set(), f"{module_name(path)} (layer {LAYERS[own]}) imports from above: {sorted(upwards)}"


def test_every_package_of_bot_has_a_layer():
    packages = {p.parent.relative_to(ROOT).as_posix().replace("/", ".") for p in (ROOT / "bot").glob("*/__init__.py")}
    assert packages == set(LAYERS[1:-1])


@pytest.mark.parametrize("path", sorted((ROOT / "social_map").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_storage_imports_no_platform_or_adapter_code(path):
    bad = {name for name in imported_modules(path) if name.split(".")[0] in FORBIDDEN_IN_STORAGE}
    assert bad == set()


def test_the_layer_rule_catches_an_upward_import(tmp_path):
    upward = tmp_path / "upward.py"
    upward.write_text("from typing import TYPE_CHECKING\nfrom bot.social.partner import Partner\n"
                      "if TYPE_CHECKING:\n    from bot.services import Services\n")
    assert imported_modules(upward, runtime_only=True) == {"typing", "bot.social.partner", "bot.social.partner.Partner"}
    assert layer("bot.social.partner") > layer("bot.language.dutch")
    assert layer("bot.services") == layer("bot.core") > layer("bot.commitment.checkin")


def test_knowledge_folder_is_yaml_only():
    files = [p for p in (ROOT / "knowledge").rglob("*") if p.is_file()]
    assert files and all(p.suffix == ".yaml" for p in files)


def test_ketenbot_ask_imported_the_web_server_through_the_dashboard_store():
    """A command-line start (`ketenbot ask`) must stay cheap: the dashboard's token store once pulled in aiohttp
    (0.2 s of a 0.4 s budget, bench/cold_start_bench.py) for a one-line hash; the dashboard's figures (0.18 s) and
    PyYAML (0.06 s, needed only to write local knowledge) were loaded at every start too."""
    started = subprocess.run(
        [sys.executable, "-c", "import sys, adapters.cli, adapters.wiring; print(sorted(m for m in ('aiohttp', 'wordfreq', 'yaml', 'adapters.web.dashboard.source') if m in sys.modules))"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    assert started.stdout.strip() == "[]"
