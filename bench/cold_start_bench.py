"""Benchmark: a cold `ketenbot ask "wat is ketenregie"` (a fresh process) against a bare `python -c "import aiohttp"`.

Run by hand:  .venv/bin/python bench/cold_start_bench.py [--rounds 10]
Both run in turns in the same run, each as a new process, with a fresh database in a temporary folder. The ask
is measured twice: with an empty matcher cache (the first start after a change of the knowledge or the code)
and with the cache it then wrote (every start after that). Reports the medians and the ratio to the baseline.

ketenbot's own modules are compiled to bytecode first, as `pip install .` (the README's first command) does at
install time and as aiohttp's were when it was installed: in an editable install with PYTHONDONTWRITEBYTECODE set
(this workplace sets it), every start would otherwise compile them from source again (0.1 s).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = sys.executable
KETENBOT = str(Path(PYTHON).with_name("ketenbot"))
QUESTION = "wat is ketenregie"
# A vented line that words alone do not settle: the sentence encoder is loaded (bot/understanding/meaning.py).
STATEMENT = "zodra er een crisis is, ligt ons project weer op de plank"


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    root = Path(__file__).resolve().parent.parent
    subprocess.run([PYTHON, "-m", "compileall", "-q", *(str(root / package) for package in ("bot", "adapters", "social_map"))], check=True)
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "KETENBOT_DB": str(Path(folder) / "bench.db"), "KETENBOT_CACHE_DIR": str(Path(folder) / "cache")}
        baseline, empty_cache, warm_cache, statement = [], [], [], []
        for _ in range(args.rounds):
            baseline.append(timed([PYTHON, "-c", "import aiohttp"], env))
            for old in Path(env["KETENBOT_CACHE_DIR"]).glob("matcher-*.pickle"):
                old.unlink()
            empty_cache.append(timed([KETENBOT, "ask", QUESTION], env))
            warm_cache.append(timed([KETENBOT, "ask", QUESTION], env))
            statement.append(timed([KETENBOT, "ask", STATEMENT], env))
    base = statistics.median(baseline)
    print(f"{args.rounds} rounds, each a new process")
    print(f"{'':38} {'median':>8} {'min':>8} {'ratio':>6}")
    for name, times in (
        ('python -c "import aiohttp" (baseline)', baseline),
        (f'ketenbot ask "{QUESTION}", warm cache', warm_cache),
        (f'ketenbot ask "{QUESTION}", empty cache', empty_cache),
        ("ketenbot ask <a vented line>, warm cache", statement),
    ):
        median = statistics.median(times)
        print(f"{name:38} {median:7.3f}s {min(times):7.3f}s {median / base:6.2f}")


if __name__ == "__main__":
    main()
