"""`ketenbot db`: schema migrations, a backup while serving, restoring one (social_map/backup.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.config import Settings
from social_map.backup import BackupError, backup, restore
from social_map.database import open_database
from social_map.migrations import MIGRATIONS, schema_version


def add_parser(commands: argparse._SubParsersAction) -> None:
    db = commands.add_parser("db", help="de database: migreren, backup, terugzetten").add_subparsers(
        dest="db_command", required=True, metavar="OPDRACHT"
    )
    db.add_parser("migrate", help="de database bijwerken naar het nieuwste schema (ook bij 'serve' en in de Procfile)")
    copy = db.add_parser("backup", help="een consistente kopie maken, ook terwijl de server draait")
    copy.add_argument("file", type=Path)
    back = db.add_parser("restore", help="een backup terugzetten (alleen in een lege database, tenzij --force)")
    back.add_argument("file", type=Path)
    back.add_argument("--force", action="store_true", help="ook een database die niet leeg is overschrijven")


def where(settings: Settings) -> str:
    return "PostgreSQL (DATABASE_URL)" if settings.database_url else str(settings.db_path)


def cmd_db(args: argparse.Namespace, settings: Settings) -> int:
    try:
        if args.db_command == "migrate":
            db = open_database(settings.database)
            try:
                version = schema_version(db)
            finally:
                db.close()
            print(f"De database ({where(settings)}) is bijgewerkt: schemaversie {version} (de nieuwste is {MIGRATIONS[-1].version}).")
        elif args.db_command == "backup":
            backup(settings.database, args.file)
            print(f"Backup van {where(settings)} gemaakt: {args.file}")
        else:
            version = restore(settings.database, args.file, force=args.force)
            print(f"Backup {args.file} teruggezet in {where(settings)} (schemaversie {version}).")
    except BackupError as error:
        print(str(error), file=sys.stderr)
        return 1
    return 0
