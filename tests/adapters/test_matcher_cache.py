"""The built matcher kept on disk between processes (adapters/matcher_cache.py): used when it is this very one,
built anew when the knowledge changed or the file is damaged, never read from a folder others may write to."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from adapters.matcher_cache import ENCODER_PREFIX, cache_key, cached_encoder, cached_matcher, usable_folder
from bot.knowledge.loader import load_knowledge
from bot.language.lexicon import load_lexicon
from bot.understanding.matcher import Matcher
from tests.conftest import FIXTURES


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "kennis"
    shutil.copytree(FIXTURES / "kb_valid", folder)
    return folder


class Builder:
    """Builds the matcher for a folder as ketenbot does, and counts how often it had to."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.builds = folder, 0

    def __call__(self) -> Matcher:
        self.builds += 1
        return Matcher(load_knowledge(self.folder), load_lexicon(self.folder))


def test_a_second_start_reads_the_built_matcher_from_the_cache(knowledge_dir, tmp_path):
    cache, build = tmp_path / "cache", Builder(knowledge_dir)
    first = cached_matcher((knowledge_dir,), cache, build)
    second = cached_matcher((knowledge_dir,), cache, build)
    assert build.builds == 1
    assert second is not first
    for text in ("we hebben geen gezamenlijk doel", "neem de tijd", "gezamelijk doel"):
        # The same understanding; the typo cache is rebuilt after loading, so a typo is still corrected.
        assert second.understand(text) == first.understand(text)
    # The built matcher, and the entries' vectors in meaning (encoded once, for the statement above); the loaded
    # encoder too, unless this process had loaded it before (test_the_loaded_encoder_is_kept_and_read_back).
    names = sorted(p.name for p in cache.iterdir() if not p.name.startswith(ENCODER_PREFIX))
    assert names[0] == f"matcher-{cache_key((knowledge_dir,))}.pickle"
    assert names[1].startswith("meaning-") and names[1].endswith(".npy") and len(names) == 2


def test_a_changed_knowledge_file_is_built_anew(knowledge_dir, tmp_path):
    cache, build = tmp_path / "cache", Builder(knowledge_dir)
    cached_matcher((knowledge_dir,), cache, build)
    path = knowledge_dir / "knelpunten.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Neem de tijd voor een gezamenlijk doel", "Neem ruim de tijd"), encoding="utf-8")
    matcher = cached_matcher((knowledge_dir,), cache, build)
    assert build.builds == 2
    assert matcher.knowledge.get("knelpunt-1.oplossing-1").title == "Neem ruim de tijd"


def test_local_knowledge_is_part_of_the_key(knowledge_dir, tmp_path):
    local = tmp_path / "lokaal"
    local.mkdir()
    assert cache_key((knowledge_dir,)) != cache_key((knowledge_dir, local)) or not any(local.iterdir())
    (local / "convenant.yaml").write_text("- id: x\n", encoding="utf-8")
    with_local = cache_key((knowledge_dir, local))
    assert with_local != cache_key((knowledge_dir,))
    (local / "convenant.yaml").write_text("- id: y\n", encoding="utf-8")
    assert cache_key((knowledge_dir, local)) != with_local


def test_a_damaged_cache_file_is_built_anew_and_replaced(knowledge_dir, tmp_path):
    cache, build = tmp_path / "cache", Builder(knowledge_dir)
    cache.mkdir(mode=0o700)
    path = cache / f"matcher-{cache_key((knowledge_dir,))}.pickle"
    path.write_bytes(b"half a file")
    matcher = cached_matcher((knowledge_dir,), cache, build)
    assert build.builds == 1
    assert matcher.understand("we hebben geen gezamenlijk doel").candidates[0].entry_id == "knelpunt-1"
    assert isinstance(pickle.loads(path.read_bytes()), Matcher)
    assert not [p for p in cache.iterdir() if p.name.startswith(".tmp-")]


def test_a_cache_folder_others_may_write_to_is_never_read(knowledge_dir, tmp_path):
    shared = tmp_path / "gedeeld"
    shared.mkdir()
    shared.chmod(0o777)
    planted = shared / f"matcher-{cache_key((knowledge_dir,))}.pickle"
    planted.write_bytes(pickle.dumps("not a matcher"))
    build = Builder(knowledge_dir)
    assert usable_folder(shared) is None
    matcher = cached_matcher((knowledge_dir,), shared, build)
    assert build.builds == 1
    assert isinstance(matcher, Matcher)
    assert pickle.loads(planted.read_bytes()) == "not a matcher"


def test_without_a_configured_folder_the_users_cache_folder_is_made_private(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    folder = usable_folder(None)
    assert folder == tmp_path / "xdg" / "ketenbot"
    assert folder.stat().st_mode & 0o077 == 0


def test_the_loaded_encoder_is_kept_and_read_back(tmp_path):
    first = cached_encoder(tmp_path)
    [kept] = tmp_path.glob(f"{ENCODER_PREFIX}*.pickle")
    second = cached_encoder(tmp_path)
    assert second is not first
    assert second.encode("we vertrouwen elkaar niet") == pytest.approx(first.encode("we vertrouwen elkaar niet"), abs=1e-6)
    # A broken file is loaded anew from the package and written again.
    kept.write_bytes(b"broken")
    third = cached_encoder(tmp_path)
    assert third.encode("de achterban gaat niet mee") == pytest.approx(first.encode("de achterban gaat niet mee"), abs=1e-6)
    assert kept.stat().st_size > 1_000_000
