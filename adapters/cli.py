"""The `ketenbot` command line (commands fixed in CONTRACT.md)."""

from __future__ import annotations

import argparse
import asyncio
import errno
import getpass
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from adapters import cli_db, cli_gaps, console
from adapters.cli_dutch import DutchArgumentParser
from adapters.wiring import build_matcher, build_runtime
from bot.config import Settings, SettingsError, port_problem
from bot.core import find_contacts, understand
from bot.identity import platform_of, user_of
from bot.knowledge.loader import KnowledgeError
from bot.social.invitation import INVITATION_DAYS, MAX_DAYS, MIN_DAYS
from bot.understanding.evaluation import QuestionFileError, evaluate, load_questions, report_lines, summarise
from social_map.database import DatabaseOpenError
from social_map.directors import PLATFORMS

logger = logging.getLogger(__name__)

def _port(value: str) -> int:
    problem = port_problem(value)
    if problem:
        raise argparse.ArgumentTypeError(f"de poort {problem}")
    return int(value)


def _console_user(value: str) -> str:
    """The terminal user's id, also given with its platform (`console:kees` is `kees`, not `console:console:kees`)."""
    platform, user = platform_of(value), user_of(value)
    if platform == console.PLATFORM and user:
        return user
    if platform in PLATFORMS and user:
        raise argparse.ArgumentTypeError(
            f"de terminal spreekt altijd als console-gebruiker; geef bijvoorbeeld kees of console:kees, niet {value!r}"
        )
    return value


def _days(value: str) -> int:
    if not value.strip().isdigit() or not MIN_DAYS <= int(value) <= MAX_DAYS:
        raise argparse.ArgumentTypeError(f"het aantal dagen moet een geheel getal van {MIN_DAYS} tot en met {MAX_DAYS} zijn, niet {value!r}")
    return int(value)


def _parser() -> argparse.ArgumentParser:
    parser = DutchArgumentParser(prog="ketenbot", description="ketenbot: de assistent voor ketenpartners")
    commands = parser.add_subparsers(dest="command", required=True, metavar="OPDRACHT")

    chat = commands.add_parser("chat", help="chat in de terminal")
    chat.add_argument("--user", type=_console_user, help="gebruikers-id, zoals kees of console:kees (standaard je loginnaam)")
    chat.add_argument("--name", help="je naam")

    ask = commands.add_parser("ask", help="één vraag stellen ('-' leest vragen van stdin, één per regel)")
    ask.add_argument("text")
    ask.add_argument("--user", type=_console_user, help="gebruikers-id, zoals kees of console:kees (één gesprek per gebruiker)")
    ask.add_argument("--json", action="store_true", help="antwoord als JSON, één regel per bericht")

    kb = commands.add_parser("kb", help="de kennisbank").add_subparsers(dest="kb_command", required=True, metavar="OPDRACHT")
    check = kb.add_parser("check", help="de kennisbank controleren")
    check.add_argument("dirs", nargs="*", type=Path, metavar="MAP",
                       help="de basis en daarna mappen met lokale kennis (standaard: KETENBOT_KNOWLEDGE)")
    check.add_argument("--bronnen", type=Path, metavar="MAP", help="map met de brontekst (.txt): controleer op overgenomen zinnen")
    listing = kb.add_parser("list", help="alle entries")
    listing.add_argument("--json", action="store_true")

    social = commands.add_parser("map", help="de sociale kaart").add_subparsers(dest="map_command", required=True, metavar="OPDRACHT")
    imp = social.add_parser("import", help="partners importeren uit CSV of JSON (alles of niets)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="alleen controleren, niets opslaan")
    social.add_parser("hidden", help="verborgen vermeldingen (niet bevestigd na herinneringen), voor de ketenregisseur")
    link = social.add_parser("link", help="een chataccount koppelen aan de vermelding met dit e-mailadres (na controle)")
    link.add_argument("email")
    link.add_argument("identity", help="bijvoorbeeld slack:U123 of teams:29:abc")
    exp = social.add_parser("export", help="de hele sociale kaart naar stdout")
    exp.add_argument("--format", choices=("csv", "json"), default="csv")

    invite = commands.add_parser("invite", help="een eenmalige uitnodiging die een webchatgebruiker ketenpartner maakt")
    invite.add_argument("--days", type=_days, default=INVITATION_DAYS,
                        help=f"dagen geldig, {MIN_DAYS} tot en met {MAX_DAYS} (standaard {INVITATION_DAYS})")

    serve = commands.add_parser("serve", help="de webserver: Slack, Teams, webchat en /healthz")
    serve.add_argument("--port", type=_port, help="poort (standaard $PORT, anders 3978)")
    serve.add_argument("--host", help="het adres waarop de server luistert (standaard alle adressen van deze machine)")

    dashboard = commands.add_parser("dashboard", help="het dashboard van de ketenregisseur").add_subparsers(
        dest="dashboard_command", required=True, metavar="OPDRACHT")
    dashboard.add_parser("link", help="een eenmalige link naar het dashboard voor de ketenregisseur met dit id").add_argument("identity")
    admin = commands.add_parser("admin", help="beheer").add_subparsers(dest="admin_command", required=True, metavar="OPDRACHT")
    directors = admin.add_parser("director", help="ketenregisseurs").add_subparsers(dest="director_command", required=True, metavar="OPDRACHT")
    for name, text in (("add", "ketenregisseur toevoegen"), ("remove", "ketenregisseur verwijderen")):
        command = directors.add_parser(name, help=text)
        command.add_argument("identity", help="bijvoorbeeld slack:U123, teams:29:abc, web:…, console:…")
    directors.add_parser("list", help="alle ketenregisseurs")

    rep = commands.add_parser("report", help="rapport van de check-ins voor de ketenregisseur")
    rep.add_argument("--format", choices=("text", "csv", "json"), default="text")

    checkins = commands.add_parser("checkin", help="check-in ritme").add_subparsers(dest="checkin_command", required=True, metavar="OPDRACHT")
    rhythm = checkins.add_parser("schedule", help="ritme instellen, bijvoorbeeld 'elke 4 weken op maandag om 9:00'")
    rhythm.add_argument("rhythm")
    checkins.add_parser("status", help="het huidige ritme en de volgende check-in")

    package = commands.add_parser("teams-package", help="het Teams-app-pakket (manifest.json en twee iconen) als zip")
    package.add_argument("--out", type=Path, default=Path("ketenbot-teams.zip"))
    package.add_argument("--app-id", help="de Microsoft app id (standaard $MICROSOFT_APP_ID)")

    cli_db.add_parser(commands)
    cli_gaps.add_parser(commands)

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
    with build_runtime(settings) as runtime:
        console.chat(runtime.services, runtime.outbox, user=_user(args.user), name=args.name, stdin=sys.stdin, out=sys.stdout)
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    lines = sys.stdin if args.text == "-" else [args.text]
    with build_runtime(settings) as runtime:
        asyncio.run(console.ask_lines(lines, runtime.services, sys.stdout, user=_user(args.user), as_json=args.json,
                                      skip_blank=args.text == "-", outbox=runtime.outbox))
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    # Imported here so that `ketenbot ask` does not pay for loading the platform SDKs.
    from adapters.server import host_problem, serve

    logging.getLogger().setLevel(os.environ.get("KETENBOT_LOG_LEVEL", "INFO").upper())
    port = args.port or settings.port
    problem = host_problem(settings, args.host)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    try:
        serve(settings, port, host=args.host)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(f"Poort {port} is al in gebruik door een ander programma; kies een andere met --port of PORT.", file=sys.stderr)
        elif exc.errno == errno.EACCES:
            print(f"Geen toestemming om poort {port} te gebruiken; poorten onder 1024 vragen meestal beheerdersrechten.", file=sys.stderr)
        else:
            raise
        return 1
    return 0


def cmd_kb_check(args: argparse.Namespace, settings: Settings) -> int:
    from bot.knowledge.check import check_knowledge

    folders = tuple(args.dirs) or settings.knowledge_folders()
    report = check_knowledge(folders, source_texts=args.bronnen)
    directory = " + ".join(str(folder) for folder in folders)
    for problem in (*report.errors, *report.warnings):
        print(problem)
    if report.sentences:
        average = f"{report.average_words:.1f}".replace(".", ",")
        print(
            f"Samenvattingen: {report.sentences} zinnen, gemiddeld {average} woorden per zin, "
            f"{report.long_sentences} langer dan 25 woorden."
        )
    warnings = f", {len(report.warnings)} waarschuwing(en)" if report.warnings else ""
    if report.errors:
        print(f"{len(report.errors)} fout(en) gevonden in {directory}{warnings}.")
        return 1
    print(f"De kennisbank in {directory} is in orde: {len(report.entries)} entries{warnings}.")
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
    with build_runtime(settings) as runtime:
        services = runtime.services
        outcomes = evaluate(questions, lambda q: understand(q, services), lambda q: find_contacts(q, services))
    summary = summarise(outcomes)
    if args.json:
        for outcome in outcomes:
            print(json.dumps(outcome.as_json(), ensure_ascii=False))
        print(json.dumps({"summary": summary}, ensure_ascii=False))
    else:
        print("\n".join(report_lines(outcomes, summary)))
    return 0


def _admin(name: str) -> Callable[[argparse.Namespace, Settings], int]:
    """A command of adapters/cli_admin.py, imported when it runs: `ketenbot ask` does not pay for them."""

    def run(args: argparse.Namespace, settings: Settings) -> int:
        from adapters import cli_admin

        return getattr(cli_admin, name)(args, settings)

    return run


COMMANDS = {"chat": cmd_chat, "ask": cmd_ask, "eval": cmd_eval, "serve": cmd_serve, "report": _admin("cmd_report"),
            "teams-package": _admin("cmd_teams_package"), "invite": _admin("cmd_invite"),
            "dashboard": _admin("cmd_dashboard_link"), "gaps": cli_gaps.cmd_gaps}
KB_COMMANDS = {"check": cmd_kb_check, "list": cmd_kb_list}
MAP_COMMANDS = {"import": _admin("cmd_map_import"), "export": _admin("cmd_map_export"), "hidden": _admin("cmd_map_hidden"),
                "link": _admin("cmd_map_link")}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=os.environ.get("KETENBOT_LOG_LEVEL", "WARNING").upper(), format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings.from_env(os.environ)
        if args.command == "kb":
            command = KB_COMMANDS[args.kb_command]
        elif args.command == "map":
            command = MAP_COMMANDS[args.map_command]
        elif args.command == "admin":
            command = _admin("cmd_director")
        elif args.command == "checkin":
            command = _admin("cmd_checkin")
        elif args.command == "db":
            command = cli_db.cmd_db
        else:
            command = COMMANDS[args.command]
        return command(args, settings)
    except SettingsError as exc:
        print(f"Configuratiefout: {exc}", file=sys.stderr)
        return 1
    except DatabaseOpenError as exc:
        hint = ("Controleer DATABASE_URL (server, poort, naam, gebruiker en wachtwoord)." if settings.database_url else
                "Zet KETENBOT_DB op het pad van een SQLite-database, of van een nieuw bestand.")
        print(f"{exc} {hint}", file=sys.stderr)
        return 1
    except KnowledgeError as exc:
        print("De kennisbank bevat fouten; draai 'ketenbot kb check' voor het overzicht:", file=sys.stderr)
        for problem in exc.problems[:10]:
            print(f"  {problem}", file=sys.stderr)
    except QuestionFileError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (`ketenbot map export | head`): nothing more to say.
        sys.stderr.close()
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
