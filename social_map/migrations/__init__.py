"""Schema migrations: `NNN_name.sql` (SQL) or `NNN_name.py` (a data step with `apply(db)`), applied once each, in
order of NNN, each in one transaction with its version number, on SQLite and on PostgreSQL alike. Several
processes may start at once: the version is read inside the write transaction, after `serialize` (PostgreSQL:
an advisory lock), so each migration runs once.

The portability rule, for every new migration:

- Write `NNN_name.sql` in the portable subset that both databases run unchanged: plain `TEXT` and `INTEGER`
  columns (times as ISO text, flags as 0/1), `id INTEGER PRIMARY KEY` for a row id (PostgreSQL gets the one
  translation there is: an identity column, see social_map/postgres.py), `REFERENCES … ON DELETE CASCADE`,
  `UNIQUE`, `CHECK`, `DEFAULT` constants, `CREATE [UNIQUE] INDEX` (also with `WHERE`), `ALTER TABLE … ADD
  COLUMN` and `UPDATE`/`INSERT`/`DELETE` with constants. Never `AUTOINCREMENT`, `WITHOUT ROWID`, `rowid`,
  `INSERT OR …`, `PRAGMA`, virtual tables, triggers, SQLite's date functions, or PostgreSQL-only types
  (`SERIAL`, `BOOLEAN`, `TIMESTAMPTZ`, `JSONB`). tests/social_map/test_migrations.py checks the files for these.
- Only what a database needs of its own (002: SQLite's FTS5 index, PostgreSQL's tsvector index) goes in a dialect
  file beside the portable one: `NNN_name.sqlite.sql`, `NNN_name.postgres.sql`. It runs after the portable file,
  in the same transaction, on that database only, and both must leave what the stores need. A version without a
  portable file has one file for each dialect.
- A data step (`NNN_name.py`) uses only `db.execute` with `?` placeholders, so it runs on both.
- Numbers are a single sequence for both databases: a database's version means the same schema everywhere.
"""

from __future__ import annotations

import importlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from social_map.database import Database

logger = logging.getLogger(__name__)

FOLDER = Path(__file__).resolve().parent
_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)(?:\.(sqlite|postgres))?\.(sql|py)$")
DIALECTS = ("sqlite", "postgres")
LOCK = "ketenbot-migrations"


@dataclass(frozen=True, order=True)
class Migration:
    version: int
    name: str
    # The portable file, or None when the version only has one file per dialect.
    path: Path | None
    # Per dialect, the file that runs after the portable one on that database only (see the module's rule).
    variants: tuple[tuple[str, Path], ...] = ()

    def files_for(self, dialect: str) -> list[Path]:
        return [path for path in (self.path, dict(self.variants).get(dialect)) if path is not None]

    def apply(self, db: Database) -> None:
        for path in self.files_for(db.dialect):
            if path.suffix == ".sql":
                db.run_script(path.read_text(encoding="utf-8"))
            else:
                importlib.import_module(f"{__name__}.{path.stem}").apply(db)


def discover(folder: Path = FOLDER) -> tuple[Migration, ...]:
    """Every migration in the folder: a portable file, or one file per dialect under one number."""
    by_version: dict[int, list[tuple[re.Match[str], Path]]] = {}
    for path in folder.iterdir():
        if match := _NAME.match(path.name):
            by_version.setdefault(int(match.group(1)), []).append((match, path))
    migrations = []
    for version, files in sorted(by_version.items()):
        portable = [path for match, path in files if match.group(3) is None]
        variants = tuple(sorted((match.group(3), path) for match, path in files if match.group(3)))
        dialects = [dialect for dialect, _ in variants]
        if len({match.group(2) for match, _ in files}) != 1 or len(portable) > 1 or len(set(dialects)) != len(dialects) or (
            not portable and set(dialects) != set(DIALECTS)
        ):
            raise RuntimeError(f"migration {version:03d} in {folder}: a portable file and/or one file for each of {DIALECTS}")
        migrations.append(Migration(version, files[0][0].group(2), portable[0] if portable else None, variants))
    return tuple(migrations)


MIGRATIONS = discover()


def schema_version(db: Database) -> int:
    with db.transaction():
        db.serialize(LOCK)
        db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    return db.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()[0]


def migrate(db: Database, migrations: tuple[Migration, ...] | None = None) -> int:
    """Apply the migrations the database does not have yet; returns the version it is at."""
    schema_version(db)
    for migration in MIGRATIONS if migrations is None else migrations:
        with db.transaction():
            db.serialize(LOCK)
            # Applied or not by its own number, not by the highest one: the issues of one release number their
            # migrations in ranges of their own (010-019, 020-029, ...), merged in any order.
            if db.execute("SELECT 1 FROM schema_version WHERE version = ?", (migration.version,)).fetchone():
                continue
            migration.apply(db)
            db.execute("INSERT INTO schema_version (version) VALUES (?)", (migration.version,))
        logger.info("database migrated to version %s (%s)", migration.version, migration.name)
    return schema_version(db)
