"""Schema migrations: `NNN_name.sql` (SQL) or `NNN_name.py` (a data step with `apply(db)`), applied once each, in
order of NNN, each in one transaction with its version number. Several processes may start at once: the
version is read inside the write transaction, so each migration runs once."""

from __future__ import annotations

import importlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from social_map.database import Database

logger = logging.getLogger(__name__)

FOLDER = Path(__file__).resolve().parent
_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.(sql|py)$")


@dataclass(frozen=True, order=True)
class Migration:
    version: int
    name: str
    path: Path

    def apply(self, db: Database) -> None:
        if self.path.suffix == ".sql":
            db.run_script(self.path.read_text(encoding="utf-8"))
        else:
            importlib.import_module(f"{__name__}.{self.path.stem}").apply(db)


def discover(folder: Path = FOLDER) -> tuple[Migration, ...]:
    found = [(_NAME.match(path.name), path) for path in folder.iterdir()]
    migrations = sorted(Migration(int(m.group(1)), m.group(2), path) for m, path in found if m)
    versions = [migration.version for migration in migrations]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migrations with one number in {folder}")
    return tuple(migrations)


MIGRATIONS = discover()


def schema_version(db: Database) -> int:
    db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    return db.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()[0]


def migrate(db: Database, migrations: tuple[Migration, ...] | None = None) -> int:
    """Apply the migrations the database does not have yet; returns the version it is at."""
    schema_version(db)
    for migration in MIGRATIONS if migrations is None else migrations:
        with db.transaction():
            # Each number is looked up itself, not compared with the highest: parallel issues number from their
            # own ranges, so a database may have 020 before 010 arrives with a later merge.
            if db.execute("SELECT COUNT(*) FROM schema_version WHERE version = ?", (migration.version,)).fetchone()[0]:
                continue
            migration.apply(db)
            db.execute("INSERT INTO schema_version (version) VALUES (?)", (migration.version,))
        logger.info("database migrated to version %s (%s)", migration.version, migration.name)
    return schema_version(db)
