"""Figures: every labelled question set at once, the way `ketenbot eval` scores them, with what was lost and
gained against a saved run.

Run by hand:
  .venv/bin/python bench/understanding_sets.py [--save FILE.json] [--compare FILE.json] [--show SET]

Sets: the issue 14 held-out sets, all development sets now: heldout2 (tests/data/heldout2/*.yaml, and its two
locked halves prefixed h2l_ and h2l2_), heldout3 (dev half h3_, locked half h3l_), heldout4 (h4_) and heldout5
(h5_), each of which judged an earlier session, and heldout6 to heldout11 (h6_ to h11_), which judged the later ones (heldout2-5's statements are voices of the knelpunten now, so their
statement figures here only show that the bot knows its own lines: bench/writers_left_out.py scores them each
writer left out); every older set (tests/data/*questions*.yaml),
../shared/eval/dev_questions.yaml and ../shared/eval/dev_contact.yaml. The locked set (tests/data/heldout12/)
judges issue 14 (bench/locked_sets.py) and is never read here. Each set is scored in a fresh SQLite file:
contact_questions and the held-out sets with tests/data/contact_partners.csv imported, dev_contact with
../shared/eval/dev_partners.csv.

Columns: ok (the eval's own per-question verdict), top1 (knowledge questions answered with an accepted entry;
for the statements an accepted entry is the knelpunt or one of its solutions), declined (questions labelled
only fallback that got the fallback), false_fb (questions not labelled fallback that got it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from adapters.wiring import build_matcher, build_runtime  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.core import find_contacts, understand  # noqa: E402
from bot.understanding.evaluation import evaluate, load_questions  # noqa: E402
from social_map.transfer import import_partners  # noqa: E402

DATA = REPO / "tests" / "data"
SHARED = REPO.parent / "shared" / "eval"
DEV_HALF = ("statements", "offtopic", "outside_knowledge", "cases")


def question_sets() -> dict[str, tuple[Path, Path | None]]:
    """Every set by name: its file and the partners imported before it is scored."""
    sets: dict[str, tuple[Path, Path | None]] = {}
    for prefix, folder in (("", DATA / "heldout2"), ("h3_", DATA / "heldout3" / "dev"), ("h2l_", DATA / "heldout2" / "locked"), ("h2l2_", DATA / "heldout2" / "locked2"),
                           ("h3l_", DATA / "heldout3" / "locked"), ("h4_", DATA / "heldout4"), ("h5_", DATA / "heldout5"),
                           ("h6_", DATA / "heldout6"), ("h7_", DATA / "heldout7"), ("h8_", DATA / "heldout8"),
                           ("h9_", DATA / "heldout9"), ("h10_", DATA / "heldout10"), ("h11_", DATA / "heldout11")):
        for name in DEV_HALF:
            if (folder / f"{name}.yaml").exists():
                sets[prefix + name] = (folder / f"{name}.yaml", DATA / "contact_partners.csv")
    for path in sorted(DATA.glob("*questions*.yaml")):
        sets[path.stem] = (path, DATA / "contact_partners.csv")
    sets["dev_questions"] = (SHARED / "dev_questions.yaml", SHARED / "dev_partners.csv")
    sets["dev_contact"] = (SHARED / "dev_contact.yaml", SHARED / "dev_partners.csv")
    for path, _ in sets.values():
        assert "heldout12" not in path.parts, "the locked set is never read here"
    return sets


def score_set(path: Path, partners: Path | None, settings: Settings) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        own = Settings.from_env({**os.environ, "KETENBOT_DB": str(Path(folder) / "figures.db")})
        with build_runtime(own, matcher=build_matcher(settings)) as runtime:
            services = runtime.services
            if partners is not None and partners.exists():
                import_partners(services.partners, partners)
            outcomes = evaluate(load_questions(path), lambda q: understand(q, services), lambda q: find_contacts(q, services))
    rows = []
    for outcome in outcomes:
        row = outcome.as_json()
        row["top"] = list(outcome.top[:3])
        row["accept"] = list(outcome.question.accept)
        rows.append(row)
    return rows


def figures(rows: list[dict[str, Any]]) -> dict[str, str]:
    knowledge = [r for r in rows if r["accept"]]
    only_fallback = [r for r in rows if r["expected_intent"] == ["fallback"]]
    not_fallback = [r for r in rows if "fallback" not in r["expected_intent"]]

    def share(hits: int, total: int) -> str:
        return f"{hits}/{total}" if total else "-"

    return {
        "ok": share(sum(r["ok"] for r in rows), len(rows)),
        "top1": share(sum(r["intent"] == "knowledge" and r["entry"] in r["accept"] for r in knowledge), len(knowledge)),
        "declined": share(sum(r["intent"] == "fallback" for r in only_fallback), len(only_fallback)),
        "false_fb": share(sum(r["intent"] == "fallback" for r in not_fallback), len(not_fallback)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", type=Path, help="write this run's rows to a JSON file")
    parser.add_argument("--compare", type=Path, help="count what was lost and gained against a saved run")
    parser.add_argument("--show", action="append", default=[], help="list a set's questions (repeatable)")
    args = parser.parse_args()
    settings = Settings.from_env(os.environ)
    started = time.perf_counter()
    build_matcher(settings)
    built = time.perf_counter()
    result = {name: score_set(path, partners, settings) for name, (path, partners) in question_sets().items()}
    before = json.loads(args.compare.read_text()) if args.compare and args.compare.exists() else {}
    print(f"{'set':20} {'ok':>9} {'top1':>9} {'declined':>9} {'false_fb':>9}  lost gained")
    for name, rows in result.items():
        shown = figures(rows)
        old = {r["q"]: r["ok"] for r in before.get(name, [])}
        lost = sum(old.get(r["q"], False) and not r["ok"] for r in rows)
        gained = sum(not old.get(r["q"], True) and r["ok"] for r in rows)
        print(f"{name:20} {shown['ok']:>9} {shown['top1']:>9} {shown['declined']:>9} {shown['false_fb']:>9}  {lost:4} {gained:6}")
    print(f"matcher built in {built - started:.2f} s, sets scored in {time.perf_counter() - built:.2f} s")
    for name in args.show:
        old_rows = {r["q"]: r for r in before.get(name, [])}
        for row in result[name]:
            previous = old_rows.get(row["q"])
            change = "  " if previous is None or previous["ok"] == row["ok"] else ("+ " if row["ok"] else "- ")
            print(f"{change}{'OK' if row['ok'] else 'xx'} {row['intent'][:5]:5} {row['entry']!s:28} {row['score']:.2f} {row['top'][1:3]} | {row['q'][:120]}")
    if args.save:
        args.save.write_text(json.dumps(result, ensure_ascii=False, indent=0))


if __name__ == "__main__":
    main()
