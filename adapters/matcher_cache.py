"""The built matcher kept on disk between processes, so `ketenbot ask` does not stem the knowledge base again.

Building the matcher (folding and stemming every word of the knowledge base, weighing its terms) is most of a
cold start. The built one is pickled into a per-user cache folder, keyed by a hash of the knowledge files (the
folder's YAML files and the language files it uses, names and bytes), of the code that builds and reads it
(every module of bot/language, bot/knowledge and bot/understanding) and of the Python version: change any of
them and the next start builds anew. A file is written to a temporary name and renamed into place, so a reader
never sees half of one.

A pickle runs code when it is loaded, so only a folder that the current user owns and that nobody else may
write to is used: KETENBOT_CACHE_DIR, else $XDG_CACHE_HOME/ketenbot, else ~/.cache/ketenbot; failing that a
private folder in the system's temporary folder; failing that nothing is cached. The cache holds the knowledge
base only, never personal data.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bot.config import bundled_knowledge_dir
from bot.language.lexicon import LANGUAGE_DIR
from bot.understanding.matcher import Matcher

logger = logging.getLogger(__name__)

# Raise when the pickled objects change shape in a way the source hash would not show.
FORMAT = "1"
PREFIX = "matcher-"
CODE_PACKAGES = ("language", "knowledge", "understanding")
KEEP = 8


def cached_matcher(folders: tuple[Path, ...], cache_dir: Path | None, build: Callable[[], Matcher]) -> Matcher:
    """The matcher for these knowledge folders (the base, then its local knowledge): from the cache when it holds
    this very one, else built and stored."""
    folder = usable_folder(cache_dir)
    if folder is None:
        return build()
    path = folder / f"{PREFIX}{cache_key(folders)}.pickle"
    matcher = _load(path)
    if matcher is None:
        matcher = build()
        _store(matcher, path)
    # The entries' vectors in meaning are kept beside it (bot/understanding/meaning.py).
    matcher.meaning.folder = folder
    return matcher


def cache_key(folders: tuple[Path, ...]) -> str:
    digest = hashlib.sha256(f"{FORMAT}\0{sys.version}\0".encode())
    base = folders[0]
    language = [] if (base / LANGUAGE_DIR).is_dir() else [bundled_knowledge_dir() / LANGUAGE_DIR]
    for number, folder in enumerate((*folders, *language)):
        for path in sorted(folder.rglob("*.y*ml")) if folder.is_dir() else []:
            digest.update(f"{number}\0{path.relative_to(folder)}\0".encode())
            digest.update(path.read_bytes())
    code = Path(__file__).resolve().parent.parent / "bot"
    for package in CODE_PACKAGES:
        for path in sorted((code / package).glob("*.py")):
            digest.update(f"{package}/{path.name}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def usable_folder(configured: Path | None) -> Path | None:
    """The first candidate folder that exists or can be made, and is private to this user."""
    for folder in _candidates(configured):
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:
            continue
        if _private(folder):
            return folder
        logger.warning("matcher cache: %s is not private to this user; not used", folder)
    return None


def _candidates(configured: Path | None) -> list[Path]:
    if configured is not None:
        return [configured]
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    home = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    user = os.getuid() if hasattr(os, "getuid") else "user"
    return [home / "ketenbot", Path(tempfile.gettempdir()) / f"ketenbot-{user}"]


def _private(folder: Path) -> bool:
    info = folder.stat()
    if not stat.S_ISDIR(info.st_mode) or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return False
    return not hasattr(os, "getuid") or info.st_uid == os.getuid()


def _load(path: Path) -> Matcher | None:
    try:
        with path.open("rb") as file:
            loaded = pickle.load(file)  # noqa: S301 - a private folder, written by this user's ketenbot only
    except FileNotFoundError:
        return None
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError) as error:
        logger.warning("matcher cache: %s cannot be read (%s); building anew", path.name, type(error).__name__)
        return None
    return loaded if isinstance(loaded, Matcher) else None


def _store(matcher: Matcher, path: Path) -> None:
    handle, name = None, None
    try:
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(handle, "wb") as file:
            pickle.dump(matcher, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(name, path)
    except OSError as error:
        logger.warning("matcher cache: cannot write %s (%s)", path.name, type(error).__name__)
        if name is not None:
            Path(name).unlink(missing_ok=True)
        return
    # Several knowledge folders may take turns (an overlay, the tests' small ones): keep the newest few.
    kept = sorted(path.parent.glob(f"{PREFIX}*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in kept[KEEP:]:
        old.unlink(missing_ok=True)
