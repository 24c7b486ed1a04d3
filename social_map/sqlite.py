"""The SQLite implementation of the Database seam (social_map/database.py): the one file, its pragmas, nested
transactions through savepoints, scripts split with sqlite3.complete_statement, and `forget_deleted` (the
write-ahead log into the securely overwritten file). FTS5 and `data_version` are used only by
social_map/search.py.

One connection, used from the event loop's thread only (bot/core.py keeps every database call there): a
transaction never spans an `await`, so it needs no lock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from social_map.database import DatabaseOpenError

BUSY_TIMEOUT_MS = 10_000
# Why SQLite refused to open a file, by its error name, in words an operator understands.
OPEN_PROBLEMS = {
    "SQLITE_NOTADB": "het bestand is geen SQLite-database",
    "SQLITE_CORRUPT": "het databasebestand is beschadigd",
    "SQLITE_CANTOPEN": "SQLite kan het bestand niet openen of aanmaken",
    "SQLITE_READONLY": "er mag niet in de database worden geschreven",
    "SQLITE_PERM": "geen toestemming om de database te gebruiken",
    "SQLITE_IOERR": "lezen of schrijven van het bestand mislukte",
    "SQLITE_FULL": "de schijf is vol",
    "SQLITE_BUSY": "de database is bezet door een ander proces",
    "SQLITE_LOCKED": "de database is bezet door een ander proces",
}


def open_problem(path: Path | str, exc: sqlite3.DatabaseError) -> DatabaseOpenError | None:
    """The Dutch reason an SQLite error gives for not opening a file, or None for another error."""
    reason = OPEN_PROBLEMS.get(getattr(exc, "sqlite_errorname", ""))
    if reason is None and str(exc) == "unable to open database file":
        reason = OPEN_PROBLEMS["SQLITE_CANTOPEN"]
    return DatabaseOpenError.because(path, reason) if reason else None


class SQLiteDatabase:
    dialect = "sqlite"
    SKIP_LOCKED = ""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._depth = 0

    @classmethod
    def open(cls, path: Path | str) -> SQLiteDatabase:
        """Open (or create) the file with WAL, foreign keys and secure deletion switched on."""
        if str(path) != ":memory:":
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseOpenError.because(path, f"de map {Path(path).parent} kan niet worden aangemaakt") from exc
        conn: sqlite3.Connection | None = None
        try:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            # Deleted personal data is overwritten in the file, not just unlinked (right to erasure).
            conn.execute("PRAGMA secure_delete = ON")
        except sqlite3.DatabaseError as exc:
            if conn is not None:
                conn.close()
            problem = open_problem(path, exc)
            if problem is None:
                raise
            raise problem from exc
        return cls(conn)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> sqlite3.Cursor:
        return self.conn.executemany(sql, rows)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All of the block or none of it. Outermost: a write transaction (BEGIN IMMEDIATE, so two processes
        never both read and then both write); inside another: a savepoint, undone alone when its block fails."""
        depth = self._depth
        name = f"nested_{depth}"
        self.conn.execute("BEGIN IMMEDIATE" if depth == 0 else f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth = depth
            if depth == 0:
                self.conn.execute("ROLLBACK")
            else:
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
            raise
        self._depth = depth
        self.conn.execute("COMMIT" if depth == 0 else f"RELEASE {name}")

    def serialize(self, name: str) -> None:
        """Nothing to do: a write transaction (BEGIN IMMEDIATE) already excludes every other."""

    def insert_many(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        marks = ", ".join("?" for _ in columns)
        self.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    def new_ids(self, table: str, count: int) -> list[int]:
        """The ids after the highest in `table`; inside the write transaction nobody else can take them."""
        (highest,) = self.conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()
        return list(range(highest + 1, highest + 1 + count))

    def analyze(self, tables: Sequence[str]) -> None:
        """Nothing: without statistics SQLite's planner keeps to the plans social_map/search.py asks for."""

    def hold(self, name: str) -> bool:
        """Always: the embedded database serves one instance (several instances share PostgreSQL)."""
        return True

    def run_script(self, script: str) -> None:
        """Every statement of a script, in the caller's transaction. Statements end where SQLite says a statement
        is complete, so a ';' inside a trigger's body or a string does not cut one in two."""
        for statement in statements(script):
            self.conn.execute(statement)

    def forget_deleted(self) -> None:
        """Move the write-ahead log into the database file, where deleted pages are overwritten (secure_delete)."""
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        self.conn.close()


def statements(script: str) -> list[str]:
    """The statements of an SQL script: each ';' where sqlite3.complete_statement says a statement is complete
    ends one (a ';' in a string, a comment or a trigger's body does not)."""
    found: list[str] = []
    start = 0
    for end, char in enumerate(script, start=1):
        if char == ";" and sqlite3.complete_statement(script[start:end]):
            found.append(script[start:end].strip())
            start = end
    rest = "\n".join(line for line in script[start:].splitlines() if not line.strip().startswith("--")).strip()
    if rest:
        found.append(rest)
    return found
