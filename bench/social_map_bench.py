"""Benchmark: the social map with many partners, against a plain LIKE query in the same run.

Run by hand:  .venv/bin/python bench/social_map_bench.py [--partners 100000] [--queries 300] [--postgres URL]
Reports import time, and search median and p95 for ketenbot's search and for the LIKE baseline, on SQLite and
(with --postgres, a server where the user may create a database) on PostgreSQL.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import tempfile
import time
from pathlib import Path

from adapters.wiring import build_runtime
from bench import databases
from bot.social.contact import topic_and_place
from bot.understanding.reading import read
from social_map.transfer import import_partners

TOPICS = (
    "schuldhulpverlening schulden budgetcoaching saneringskrediet bewindvoering jeugdzorg opvoedondersteuning "
    "jongeren dakloosheid nachtopvang beschermd wonen taalcursussen laaggeletterdheid inburgering wijkteam "
    "eenzaamheid ouderen mantelzorg armoede minimabeleid ggz verslaving huiselijk geweld werk re-integratie "
    "participatie huisvesting woningcorporatie energiearmoede vroegsignalering statushouders onderwijs "
    "leerplicht gezondheid diabetes bewegen sport vrijwilligerswerk buurtwerk jongerenwerk toeslagen "
    "zorgverzekering thuiszorg wmo dagbesteding"
).split()
PLACES = (
    "Utrecht Zeist Amersfoort Nieuwegein Houten IJsselstein Woerden Veenendaal Soest Baarn Bunnik De Bilt "
    "Vianen Culemborg Leusden Maarssen Breukelen Montfoort Oudewater Lopik Wijk bij Duurstede Rhenen"
).split(" ")
FIRST = "Anouk Bram Carla Dirk Esra Farid Gijs Hanna Ivo Jasmijn Kees Lotte Mohamed Nina Omar Petra Ruben Sanne Tim Yara".split()
LAST = "de Vries Jansen Smit Bakker Yilmaz Benali Mulder Kok Dekker Bos Visser Meijer de Boer Peters Hendriks".split(" ")


def write_partners(path: Path, count: int, rng: random.Random) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "organisation", "role", "topics", "region", "email", "phone"])
        for n in range(count):
            topics = ";".join(rng.sample(TOPICS, 3))
            place = rng.choice(PLACES)
            writer.writerow(
                [f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"Organisatie {n % 5000} {place}", "consulent", topics,
                 place, f"p{n}@voorbeeld.nl", f"030-{1000000 + n:07d}"]
            )


def questions(rng: random.Random, count: int) -> list[str]:
    forms = ["wie kan ik bellen over {t} in {p}", "contactpersoon {t}", "ken jij iemand voor {t} in {p}?", "wie weet meer over {t}"]
    return [rng.choice(forms).format(t=rng.choice(TOPICS), p=rng.choice(PLACES)) for _ in range(count)]


def timed(function, items) -> list[float]:
    timings = []
    for item in items:
        start = time.perf_counter_ns()
        function(item)
        timings.append((time.perf_counter_ns() - start) / 1e6)
    return sorted(timings)


def report(name: str, timings: list[float]) -> float:
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"{name:34} median {statistics.median(timings):7.2f} ms   p95 {p95:7.2f} ms")
    return p95


def measure(kind: str, target: Path | str, source: Path, asked: list[str]) -> None:
    runtime = build_runtime(databases.settings_for(target))
    services = runtime.services
    start = time.perf_counter()
    result = import_partners(services.partners, source)
    seconds = time.perf_counter() - start
    print(f"[{kind}] import of {result.created} partners: {seconds:.1f} s ({result.created / seconds:.0f} partners/s)")
    lexicon, directory, db = services.matcher.lexicon, services.directory, runtime.db
    directory.place_in("warm-up")

    def ours(question: str) -> None:
        # As the bot answers a message: the map looked at once (view), the question read, the partners found.
        view = directory.view()
        words, places = topic_and_place(read(question), lexicon, view)
        view.search(words, places)

    def baseline(question: str) -> None:
        words, places = topic_and_place(read(question), lexicon, directory.view())
        db.execute(
            "SELECT * FROM partners WHERE hidden_at IS NULL AND topics LIKE ? ORDER BY region LIKE ? DESC LIMIT 5",
            (f"%{' '.join(words)}%", f"%{places[0] if places else ''}%"),
        ).fetchall()

    mine = report(f"[{kind}] ketenbot search", timed(ours, asked))
    plain = report(f"[{kind}] baseline LIKE query", timed(baseline, asked))
    print(f"[{kind}] p95 ratio ketenbot/LIKE: {mine / plain:.2f}")
    runtime.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--partners", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    databases.add_argument(parser)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "partners.csv"
        write_partners(source, args.partners, rng)
        asked = questions(rng, args.queries)
        for kind in databases.kinds(args):
            with databases.database(kind, Path(tmp), args.postgres) as target:
                measure(kind, target, source, asked)


if __name__ == "__main__":
    main()
