"""Backups of the whole database, taken while ketenbot serves, and restoring one.

SQLite: the online backup API copies the file page by page into a new SQLite file, consistent at one moment,
while other connections go on reading and writing. PostgreSQL: `pg_dump` (custom format, one consistent
snapshot) where it is installed, and `pg_restore`. A restore refuses to overwrite a database that holds anything
of the chain (partners, check-ins, milestones, messages…) unless forced; afterwards the migrations run, so an
older backup is brought up to date.
"""

from __future__ import annotations

import glob
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from social_map.database import Database, connect, is_url, shown_url
from social_map.migrations import migrate

# Tables whose rows are the chain's own data: a database with a row in any of them is not empty.
CONTENT_TABLES = (
    "partners", "checkin_schedule", "checkin_cycles", "milestones", "broadcasts", "outbox", "directors", "invitations",
    "invited", "addresses", "conversation_state", "knelpunt_reports", "partner_preferences", "partner_approvals",
    "gap_questions", "gap_themes", "question_counts",
)
SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"
TOOL_SECONDS = 3600


class BackupError(Exception):
    """A backup or restore cannot be made; the message is Dutch and says what to do."""


def is_empty(db: Database) -> bool:
    """Nothing of the chain is stored (a fresh or only migrated database)."""
    return not any(db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() for table in CONTENT_TABLES)


def newest(programs: list[str]) -> str | None:
    """The program of the newest PostgreSQL (…/postgresql/VERSION/bin/NAME), by version number: 16 is newer than
    9.6, though not as text."""
    return max(programs, key=lambda path: [int(n) for n in re.findall(r"\d+", Path(path).parent.parent.name)], default=None)


def _tool(name: str) -> str:
    """The PostgreSQL client program `name`: on the PATH, else the newest under /usr/lib/postgresql."""
    found = shutil.which(name) or newest(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found is None:
        raise BackupError(f"{name} is niet geïnstalleerd; installeer de PostgreSQL-clientprogramma's (Debian: apt-get install postgresql-client).")
    return found


def _run(command: list[str], url: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=TOOL_SECONDS)
    if done.returncode != 0:
        # The tools' own (English) message, without the password a URL may carry.
        detail = done.stderr.strip().replace(url, shown_url(url))
        raise BackupError(f"{Path(command[0]).name} mislukte (exit {done.returncode}): {detail}")


def backup(target: Path | str, file: Path) -> None:
    """A consistent copy of the database in `file`, while others go on using it."""
    if file.exists() and file.stat().st_size:
        raise BackupError(f"{file} bestaat al; kies een nieuwe bestandsnaam (een backup overschrijft niets).")
    file.parent.mkdir(parents=True, exist_ok=True)
    if is_url(target):
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(file), "--dbname", str(target)], str(target))
        return
    connect(target).close()  # a clear Dutch message when the file is no database
    source = sqlite3.connect(str(target))
    copy = sqlite3.connect(str(file))
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()


def restore(target: Path | str, file: Path, *, force: bool = False) -> int:
    """Replace the database's content with the backup in `file`; returns the schema version afterwards.
    Refuses (BackupError) when the database is not empty and `force` is not given."""
    header = _header(file)
    wanted = PG_DUMP_HEADER if is_url(target) else SQLITE_HEADER
    if not header.startswith(wanted):
        kind = "een PostgreSQL-backup (pg_dump)" if is_url(target) else "een SQLite-backup"
        raise BackupError(f"{file} is geen {kind}; een backup past alleen bij het soort database waar hij van gemaakt is.")
    db = connect(target)
    try:
        if not force and not is_empty(db):
            raise BackupError("De database is niet leeg; 'ketenbot db restore BESTAND --force' overschrijft hem (maak eerst een backup).")
        if is_url(target):
            db.close()
            _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname", str(target), str(file)],
                 str(target))
            db = connect(target)
        else:
            _restore_sqlite(db, file)
        return migrate(db)
    finally:
        db.close()


def _restore_sqlite(db: Database, file: Path) -> None:
    source = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
    try:
        source.backup(db.conn)  # type: ignore[attr-defined]
    finally:
        source.close()


def _header(file: Path) -> bytes:
    try:
        with file.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER))
    except FileNotFoundError as exc:
        raise BackupError(f"Kan {file} niet lezen: dat bestand bestaat niet.") from exc
    except PermissionError as exc:
        raise BackupError(f"Kan {file} niet lezen: geen toegang tot dat bestand.") from exc
    except OSError as exc:
        # The system's own words (in its language) for the rarer failures: a folder, a device error.
        raise BackupError(f"Kan {file} niet lezen: {exc.strerror or exc}.") from exc
