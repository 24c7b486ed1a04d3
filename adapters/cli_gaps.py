"""`ketenbot gaps`: the knowledge-gap loop for the reviewer. The themes of what people asked that ketenbot could not
answer well; `link` makes a theme's phrasings example questions of an entry in the local knowledge, `dismiss`
removes a theme."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import timedelta
from pathlib import Path

from adapters.wiring import build_runtime
from bot.config import Settings
from bot.knowledge.layers import LINKED_FILE, add_questions, load_layers
from bot.knowledge.loader import KnowledgeError
from bot.services import Services
from bot.understanding.feedback import render_themes
from bot.understanding.gaps import RETENTION, as_example, themes

MAX_DAYS = RETENTION.days
RELOAD_HINT = "Typ 'kennis herladen' in de chat (als ketenregisseur) of stuur SIGHUP naar ketenbot serve om ze te gebruiken."


def _days(value: str) -> int:
    if not value.strip().isdigit() or not 1 <= int(value) <= MAX_DAYS:
        raise argparse.ArgumentTypeError(f"het aantal dagen moet een geheel getal van 1 tot en met {MAX_DAYS} zijn, niet {value!r}")
    return int(value)


def _theme(value: str) -> int:
    if not value.strip().isdigit():
        raise argparse.ArgumentTypeError(f"een thema is een nummer uit 'ketenbot gaps', niet {value!r}")
    return int(value)


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    gaps = commands.add_parser("gaps", help="vragen die ketenbot niet goed kon beantwoorden, in thema's")
    gaps.add_argument("--json", action="store_true", help="één JSON-object per thema")
    gaps.add_argument("--days", type=_days, default=MAX_DAYS, help=f"alleen thema's van de laatste N dagen (standaard {MAX_DAYS})")
    actions = gaps.add_subparsers(dest="gaps_command", metavar="OPDRACHT")
    link = actions.add_parser("link", help="de vragen van een thema als voorbeeldvragen aan een entry koppelen")
    link.add_argument("theme", type=_theme, metavar="THEMA")
    link.add_argument("entry", metavar="ENTRY-ID")
    dismiss = actions.add_parser("dismiss", help="een thema weghalen")
    dismiss.add_argument("theme", type=_theme, metavar="THEMA")


def cmd_gaps(args: argparse.Namespace, settings: Settings) -> int:
    with build_runtime(settings) as runtime:
        services = runtime.services
        if args.gaps_command == "dismiss":
            if not services.gaps.remove_theme(args.theme):
                print(f"Thema {args.theme} bestaat niet (meer); 'ketenbot gaps' toont de thema's.", file=sys.stderr)
                return 1
            print(f"Thema {args.theme} is weggehaald.")
            return 0
        if args.gaps_command == "link":
            return _link(args.theme, args.entry, settings, services)
        found = themes(services.gaps.kept(since=services.clock.now() - timedelta(days=args.days)))
        if args.json:
            for theme in found:
                print(json.dumps(theme.as_json(), ensure_ascii=False))
        else:
            print(render_themes(found, services.knowledge) if found else f"Geen kennisvragen in de laatste {args.days} dagen.")
    return 0


def _link(theme_id: int, entry_id: str, settings: Settings, services: Services) -> int:
    if services.knowledge.get(entry_id) is None:
        print(f"Er is geen entry '{entry_id}'; 'ketenbot kb list' toont ze.", file=sys.stderr)
        return 1
    phrasings = [as_example(q.question) for q in services.gaps.kept() if q.theme_id == theme_id]
    phrasings = [p for p in dict.fromkeys(phrasings) if p]
    if not phrasings:
        print(f"Thema {theme_id} bestaat niet (meer); 'ketenbot gaps' toont de thema's.", file=sys.stderr)
        return 1
    folder = settings.local_knowledge_dir
    path = folder / LINKED_FILE
    before = path.read_text(encoding="utf-8") if path.is_file() else None
    add_questions(folder, entry_id, phrasings)
    try:
        load_layers(settings.knowledge_folders())
    except KnowledgeError as error:
        _restore(path, before)
        print("Niet gekoppeld: de lokale kennis zou dan fouten bevatten:", file=sys.stderr)
        for problem in error.problems[:10]:
            print(f"  {problem}", file=sys.stderr)
        return 1
    services.gaps.remove_theme(theme_id)
    print(f"Thema {theme_id} gekoppeld aan {entry_id}: {len(phrasings)} voorbeeldvraag/-vragen toegevoegd aan {path}.")
    print(RELOAD_HINT)
    return 0


def _restore(path: Path, before: str | None) -> None:
    if before is None:
        path.unlink(missing_ok=True)
    else:
        path.write_text(before, encoding="utf-8")
