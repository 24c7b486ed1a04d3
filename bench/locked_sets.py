"""The final judgement of issue 14: the locked held-out set, scored before the first and after the last change
to the matcher and the knowledge, with the same figures as bench/understanding_sets.py (which never reads it).

Run by hand, and only to judge:
  .venv/bin/python bench/locked_sets.py

tests/data/heldout6/ was written blind (sources, knowledge-ids.md and the personas only) by four writers at the
start of the session after heldout5, and read by nothing else until it judged that session's last change to the
matcher and the knowledge (3322e94). Untouched, on 2f5c71e: statements 76/100, off-topic 59/60 declined, outside
the knowledge 34/40, cases 32/40; on 3322e94: 89/100, 58/60, 35/40, 34/40.

tests/data/heldout7/ (statements, off-topic lines, questions outside the knowledge; two more blind writers) was
written after that judgement, measured untouched on 3322e94 (85/100, 55/60, 36/40), and judged the outside-the-
knowledge rules after it (790d6cb: 85/100, 55/60, 36/40). tests/data/heldout8/ (two more blind writers, the same
three kinds) was written after that, measured untouched on 790d6cb (92/100, 55/60, 39/40), and judged the intent fixes
after it (17935ce: 92/100, 56/60, 39/40). tests/data/heldout9/ (two more blind writers, the same three kinds),
measured untouched on 17935ce (84/100, 56/60, 37/40), was written to judge everyday work-chat lines as a
confidence signal; that change was dropped on the development sets, so heldout9 measures the final code and
is still unread: the next change to the matcher or the knowledge can be judged by it. tests/data/heldout10/ (two
more blind writers, the same three kinds) was written at the start of the next session and measured untouched on
the same code (b4553b0: 92/100, 59/60, 37/40); with heldout9 it judged that session's everyday lines and
threshold questions (083e1ef: heldout9 84/100, 56/60, 37/40; heldout10 92/100, 60/60, 38/40). Both are development
sets since. tests/data/heldout11/ (two more blind writers, the same three kinds) was written after that judgement
and measured untouched on 083e1ef (80/100, 60/60, 40/40); it judged the contact-intent exceptions for complaints
(d03be20: 80/100, 60/60, 40/40) and is a development set since. tests/data/heldout12/ (two more blind writers)
was written after that and measured untouched on d03be20 (85/100, 58/60, 39/40), and judged the last change of
that session (61ba8e4: 85/100, 58/60, 39/40). The next change to the matcher or the knowledge needs a new blind set;
heldout12 joins the development sets then. The sets that judged earlier sessions (heldout2's locked halves,
heldout3's locked half, heldout4, heldout5) are development sets now (bench/understanding_sets.py).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from understanding_sets import DATA, DEV_HALF, figures, score_set  # noqa: E402

from adapters.wiring import build_matcher  # noqa: E402
from bot.config import Settings  # noqa: E402

# Which figure judges each set (issue 14's "done when").
VERDICT = {"statements": "top1", "offtopic": "declined", "outside_knowledge": "ok", "cases": "top1"}


def main() -> None:
    settings = Settings.from_env(os.environ)
    build_matcher(settings)
    print(f"{'half':16} {'set':18} {'judged by':10} {'figure':>8}   ok / top1 / declined / false_fb")
    for half in ("heldout6", "heldout7", "heldout8", "heldout9", "heldout10", "heldout11", "heldout12"):
        for name in DEV_HALF:
            if not (DATA / half / f"{name}.yaml").exists():
                continue
            rows = score_set(DATA / half / f"{name}.yaml", DATA / "contact_partners.csv", settings)
            shown = figures(rows)
            print(f"{half:16} {name:18} {VERDICT[name]:10} {shown[VERDICT[name]]:>8}   "
                  f"{shown['ok']} / {shown['top1']} / {shown['declined']} / {shown['false_fb']}")


if __name__ == "__main__":
    main()
