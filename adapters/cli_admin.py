"""The operator's commands of `ketenbot`: the social map in bulk, directors, check-ins, reports, Teams package."""

from __future__ import annotations

import argparse
import sys

from adapters.wiring import build_runtime
from bot.commitment import report
from bot.commitment.dashboard_link import LINK_MINUTES, SESSION_HOURS
from bot.config import Settings
from bot.language.dates import RhythmError, local_date, next_occurrence, parse_rhythm
from bot.social import invitation
from social_map.directors import identity_problem
from social_map.transfer import ImportProblems, export_rows, import_partners, write_export


def cmd_map_import(args: argparse.Namespace, settings: Settings) -> int:
    with build_runtime(settings) as runtime:
        try:
            result = import_partners(runtime.services.partners, args.file, dry_run=args.dry_run)
        except ImportProblems as problems:
            for line in problems.problems:
                print(line)
            print(f"Niets geïmporteerd: {len(problems.problems)} fout(en) in {args.file}.")
            return 1
    verb = "Zou importeren" if result.dry_run else "Geïmporteerd"
    print(f"{verb}: {result.created} nieuw, {result.updated} bijgewerkt.")
    return 0


def cmd_map_export(args: argparse.Namespace, settings: Settings) -> int:
    with build_runtime(settings) as runtime:
        write_export(export_rows(runtime.services.partners), sys.stdout, args.format)
    return 0


def cmd_director(args: argparse.Namespace, settings: Settings) -> int:
    with build_runtime(settings) as runtime:
        roster = runtime.directors
        if args.director_command == "list":
            listed = roster.listed()
            print("\n".join(f"{identity}\t({source})" for identity, source in listed) or "Er zijn nog geen ketenregisseurs.")
            return 0
        if args.director_command == "add":
            # Only new ids are checked: an odd id stored earlier can still be removed.
            problem = identity_problem(args.identity)
            if problem:
                print(problem, file=sys.stderr)
                return 1
            print(f"{args.identity} is ketenregisseur." if roster.add(args.identity) else f"{args.identity} was al ketenregisseur.")
            return 0
        if roster.remove(args.identity):
            print(f"{args.identity} is geen ketenregisseur meer.")
            return 0
        note = " (staat in KETENBOT_DIRECTORS; haal het daar weg)" if args.identity in settings.directors else ""
        print(f"{args.identity} stond niet als ketenregisseur in de database{note}.")
        return 1


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    with build_runtime(settings) as runtime:
        built = report.build_report(runtime.services.checkins.cycles())
        knowledge = runtime.services.knowledge
        render = {"text": lambda r: report.render_text(r, knowledge), "csv": lambda r: report.render_csv(r, knowledge), "json": report.render_json}
        print(render[args.format](built).rstrip("\n"))
    return 0


def cmd_checkin(args: argparse.Namespace, settings: Settings) -> int:
    with build_runtime(settings) as runtime:
        services = runtime.services
        if args.checkin_command == "schedule":
            try:
                rhythm = parse_rhythm(args.rhythm)
            except RhythmError as error:
                print(str(error), file=sys.stderr)
                return 1
            first = next_occurrence(rhythm, services.clock.now())
            services.checkins.set_schedule(rhythm, first, reminder_days=settings.reminder_days, by="cli")
            print(f"Check-in {rhythm.describe()}; de eerste op {local_date(first)}.")
            return 0
        schedule = services.checkins.schedule()
        if schedule is None:
            print("Er is nog geen ritme ingesteld.")
        else:
            print(f"Check-in {schedule.rhythm.describe()}; de volgende op {local_date(schedule.next_at)}.")
        return 0


def cmd_teams_package(args: argparse.Namespace, settings: Settings) -> int:
    from adapters.teams.package import build_package

    app_id = args.app_id or settings.microsoft_app_id
    if not app_id:
        print("Geef de app id van je Azure Bot met --app-id of MICROSOFT_APP_ID; zonder kan Teams het pakket niet laden.", file=sys.stderr)
        return 1
    try:
        path = build_package(args.out, app_id=app_id)
    except ValueError:
        print("De app id moet een GUID zijn, zoals 12345678-90ab-cdef-1234-567890abcdef.", file=sys.stderr)
        return 1
    print(f"Teams-pakket geschreven: {path}")
    return 0


def cmd_map_hidden(args: argparse.Namespace, settings: Settings) -> int:
    with build_runtime(settings) as runtime:
        hidden = runtime.services.freshness.hidden()
    if not hidden:
        print("Er zijn geen verborgen vermeldingen.")
    for partner in hidden:
        confirmed = partner.confirmed_at.date().isoformat() if partner.confirmed_at else "-"
        print(f"{partner.name}\t{partner.organisation}\t{partner.email or partner.phone}\tlaatst bevestigd {confirmed}")
    return 0


def cmd_map_link(args: argparse.Namespace, settings: Settings) -> int:
    """For an administrator who has checked who someone is: link a chat account to the entry with this e-mail."""
    problem = identity_problem(args.identity)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    with build_runtime(settings) as runtime:
        partner = runtime.services.links.link_by_email(args.email, args.identity)
    if partner is None:
        print(f"Niet gekoppeld: {args.email} staat niet op de sociale kaart, of {args.identity} hoort al bij een vermelding.",
              file=sys.stderr)
        return 1
    print(f"Gekoppeld: {args.identity} hoort nu bij {partner.name} ({partner.organisation}).")
    return 0


def cmd_dashboard_link(args: argparse.Namespace, settings: Settings) -> int:
    """A one-time link to the dashboard for a director, for an operator to hand over."""
    problem = identity_problem(args.identity)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    with build_runtime(settings) as runtime:
        if not runtime.directors.is_director(args.identity):
            print(f"{args.identity} is geen ketenregisseur; voeg die eerst toe met 'ketenbot admin director add'.", file=sys.stderr)
            return 1
        url = runtime.services.dashboard_link(args.identity)  # type: ignore[misc]
    print(url)
    print(f"Eenmalige link naar het dashboard van {args.identity}: {LINK_MINUTES} minuten geldig, opent een sessie van {SESSION_HOURS} uur.")
    return 0


def cmd_invite(args: argparse.Namespace, settings: Settings) -> int:
    """A one-time invitation for the web chat: a link (KETENBOT_PUBLIC_URL) and a code."""
    with build_runtime(settings) as runtime:
        print(invitation.issue("cli", runtime.services, days=args.days))
    return 0
