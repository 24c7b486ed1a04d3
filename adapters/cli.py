"""The `ketenbot` command line (commands fixed in CONTRACT.md)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from adapters import console
from adapters.wiring import build_matcher, build_runtime
from bot.config import Settings, SettingsError
from bot.core import find_contacts, understand
from bot.evaluation import QuestionFileError, evaluate, load_questions, report_lines, summarise
from bot.knowledge_loader import KnowledgeError, read_knowledge
from bot.lexicon import lexicon_problems
from social_map.transfer import ImportProblems, export_rows, import_partners, write_export

logger = logging.getLogger(__name__)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ketenbot", description="ketenbot: de assistent voor ketenpartners")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    chat = commands.add_parser("chat", help="chat in de terminal")
    chat.add_argument("--user", help="gebruikers-id (standaard je loginnaam)")
    chat.add_argument("--name", help="je naam")

    ask = commands.add_parser("ask", help="één vraag stellen ('-' leest vragen van stdin, één per regel)")
    ask.add_argument("text")
    ask.add_argument("--user", help="gebruikers-id (één gesprek per gebruiker)")
    ask.add_argument("--json", action="store_true", help="antwoord als JSON, één regel per bericht")

    kb = commands.add_parser("kb", help="de kennisbank").add_subparsers(dest="kb_command", required=True)
    check = kb.add_parser("check", help="de kennisbank controleren")
    check.add_argument("dir", nargs="?", type=Path)
    listing = kb.add_parser("list", help="alle entries")
    listing.add_argument("--json", action="store_true")

    social = commands.add_parser("map", help="de sociale kaart").add_subparsers(dest="map_command", required=True)
    imp = social.add_parser("import", help="partners importeren uit CSV of JSON (alles of niets)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="alleen controleren, niets opslaan")
    social.add_parser("hidden", help="verborgen vermeldingen (niet bevestigd na herinneringen), voor de ketenregisseur")
    exp = social.add_parser("export", help="de hele sociale kaart naar stdout")
    exp.add_argument("--format", choices=("csv", "json"), default="csv")

    ev = commands.add_parser("eval", help="de herkenning meten op een gelabeld vragenbestand")
    ev.add_argument("file", type=Path)
    ev.add_argument("--json", action="store_true")
    return parser


def _user(value: str | None) -> str:
    if value:
        return value
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "lokaal"


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    runtime = build_runtime(settings)
    try:
        console.chat(runtime.services, user=_user(args.user), name=args.name, stdin=sys.stdin, out=sys.stdout)
    finally:
        runtime.close()
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    runtime = build_runtime(settings)
    lines = sys.stdin if args.text == "-" else [args.text]
    try:
        asyncio.run(console.ask_lines(lines, runtime.services, sys.stdout, user=_user(args.user), as_json=args.json))
    finally:
        runtime.close()
    return 0


def cmd_kb_check(args: argparse.Namespace, settings: Settings) -> int:
    directory = args.dir or settings.knowledge_dir
    entries, problems = read_knowledge(directory)
    problems += lexicon_problems(directory)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} fout(en) gevonden in {directory}.")
        return 1
    print(f"De kennisbank in {directory} is in orde: {len(entries)} entries.")
    return 0


def cmd_kb_list(args: argparse.Namespace, settings: Settings) -> int:
    knowledge = build_matcher(settings).knowledge
    rows = [{"id": e.id, "kind": e.kind, "title": e.title} for e in knowledge]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        for row in rows:
            print(f"{row['id']}\t{row['kind']}\t{row['title']}")
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    questions = load_questions(args.file)
    runtime = build_runtime(settings)
    services = runtime.services
    try:
        outcomes = evaluate(questions, lambda q: understand(q, services), lambda q: find_contacts(q, services))
    finally:
        runtime.close()
    summary = summarise(outcomes)
    if args.json:
        for outcome in outcomes:
            print(json.dumps(outcome.as_json(), ensure_ascii=False))
        print(json.dumps({"summary": summary}, ensure_ascii=False))
    else:
        print("\n".join(report_lines(outcomes, summary)))
    return 0


def cmd_map_import(args: argparse.Namespace, settings: Settings) -> int:
    runtime = build_runtime(settings)
    try:
        result = import_partners(runtime.services.partners, args.file, dry_run=args.dry_run)
    except ImportProblems as problems:
        for line in problems.problems:
            print(line)
        print(f"Niets geïmporteerd: {len(problems.problems)} fout(en) in {args.file}.")
        return 1
    finally:
        runtime.close()
    verb = "Zou importeren" if result.dry_run else "Geïmporteerd"
    print(f"{verb}: {result.created} nieuw, {result.updated} bijgewerkt.")
    return 0


def cmd_map_export(args: argparse.Namespace, settings: Settings) -> int:
    runtime = build_runtime(settings)
    try:
        write_export(export_rows(runtime.services.partners), sys.stdout, args.format)
    finally:
        runtime.close()
    return 0


COMMANDS = {"chat": cmd_chat, "ask": cmd_ask, "eval": cmd_eval}
KB_COMMANDS = {"check": cmd_kb_check, "list": cmd_kb_list}
def cmd_map_hidden(args: argparse.Namespace, settings: Settings) -> int:
    runtime = build_runtime(settings)
    try:
        hidden = runtime.services.partners.hidden()
    finally:
        runtime.close()
    if not hidden:
        print("Er zijn geen verborgen vermeldingen.")
    for partner in hidden:
        confirmed = partner.confirmed_at.date().isoformat() if partner.confirmed_at else "-"
        print(f"{partner.name}\t{partner.organisation}\t{partner.email or partner.phone}\tlaatst bevestigd {confirmed}")
    return 0


MAP_COMMANDS = {"import": cmd_map_import, "export": cmd_map_export, "hidden": cmd_map_hidden}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=os.environ.get("KETENBOT_LOG_LEVEL", "WARNING").upper(), format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings.from_env(os.environ)
        if args.command == "kb":
            command = KB_COMMANDS[args.kb_command]
        elif args.command == "map":
            command = MAP_COMMANDS[args.map_command]
        else:
            command = COMMANDS[args.command]
        return command(args, settings)
    except SettingsError as exc:
        print(f"Configuratiefout: {exc}", file=sys.stderr)
    except KnowledgeError as exc:
        print("De kennisbank bevat fouten; draai 'ketenbot kb check' voor het overzicht:", file=sys.stderr)
        for problem in exc.problems[:10]:
            print(f"  {problem}", file=sys.stderr)
    except QuestionFileError as exc:
        print(str(exc), file=sys.stderr)
    except BrokenPipeError:
        # The reader went away (`ketenbot map export | head`): nothing more to say.
        sys.stderr.close()
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
