"""What the earlier writers' statements add as voices, measured honestly: each writer left out in turn.

The statements of the held-out sets that judged earlier sessions (heldout2 to heldout5, each written blind by its
own writer) are voices of the knelpunten now (knowledge/knelpunten/*.yaml). Scoring those sets as they stand would
only show that the bot knows its own lines. Here each writer's statements are scored by a knowledge base without
that writer's voices (and, for comparison, without any of the four writers' voices): the figure a new writer
can expect.

Run by hand:
  .venv/bin/python bench/writers_left_out.py
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from understanding_sets import DATA, figures, score_set  # noqa: E402

from adapters.wiring import build_matcher  # noqa: E402
from bot.config import Settings, bundled_knowledge_dir  # noqa: E402

WRITERS = {
    "heldout2": [DATA / "heldout2", DATA / "heldout2" / "locked", DATA / "heldout2" / "locked2"],
    "heldout3": [DATA / "heldout3" / "dev", DATA / "heldout3" / "locked"],
    "heldout4": [DATA / "heldout4"],
    "heldout5": [DATA / "heldout5"],
}
VOICE = "    - "


def statements(writer: str) -> set[str]:
    return {" ".join(row["q"].split()) for folder in WRITERS[writer] for row in yaml.safe_load((folder / "statements.yaml").read_text())}


def knowledge_without(lines: set[str], folder: Path) -> Path:
    """A copy of the bundled knowledge without the voices in `lines`."""
    copy = folder / "knowledge"
    shutil.copytree(bundled_knowledge_dir(), copy)
    for path in (copy / "knelpunten").glob("*.yaml"):
        kept = [
            line for line in path.read_text(encoding="utf-8").split("\n")
            if not (line.startswith(VOICE + '"') and json.loads(line[len(VOICE):]) in lines)
        ]
        path.write_text("\n".join(kept), encoding="utf-8")
    return copy


def score(writer: str, left_out: set[str]) -> tuple[int, int, int]:
    with tempfile.TemporaryDirectory() as folder:
        knowledge = knowledge_without(left_out, Path(folder))
        settings = Settings.from_env({**os.environ, "KETENBOT_KNOWLEDGE": str(knowledge), "KETENBOT_CACHE_DIR": str(Path(folder) / "cache")})
        build_matcher(settings)
        right = total = declined = 0
        for path in WRITERS[writer]:
            shown = figures(score_set(path / "statements.yaml", DATA / "contact_partners.csv", settings))
            hits, count = map(int, shown["top1"].split("/"))
            right, total, declined = right + hits, total + count, declined + int(shown["false_fb"].split("/")[0])
        return right, total, declined


def main() -> None:
    every = set().union(*(statements(writer) for writer in WRITERS))
    print(f"{'writer':10} {'no earlier voices':>20} {'the others as voices':>22}   (top-1 · declined)")
    sums = [0, 0, 0]
    for writer in WRITERS:
        without_all = score(writer, every)
        without_own = score(writer, statements(writer))
        sums = [sums[0] + without_all[0], sums[1] + without_own[0], sums[2] + without_all[1]]
        print(f"{writer:10} {f'{without_all[0]}/{without_all[1]} · {without_all[2]}':>20} {f'{without_own[0]}/{without_own[1]} · {without_own[2]}':>22}")
    print(f"{'together':10} {f'{sums[0]}/{sums[2]}':>20} {f'{sums[1]}/{sums[2]}':>22}")


if __name__ == "__main__":
    main()
