"""The Database seam: what every store in social_map/ needs from the database, and opening one.

A store keeps its own SQL (one module per aggregate) and talks to a `Database`: `execute`, `executemany`, and
`transaction()`, which nests (an inner block is a savepoint), so an operation that must be part of a larger
one is simply called inside it and never needs a second copy that takes a connection.

The SQL is portable where SQLite 3.35+ allows: `?` placeholders, `ON CONFLICT … DO NOTHING/UPDATE`,
`RETURNING id` instead of a last-row id, no `INSERT OR IGNORE`. What is SQLite's own is named and kept few:
the pragmas and opening (social_map/sqlite.py), `data_version` and `checkpoint` (its methods), and the FTS5
full-text index (social_map/search.py only). A PostgreSQL implementation (a later issue: psycopg 3 with a
pool, `?` turned into `%s`, advisory locks, `FOR UPDATE SKIP LOCKED` for the outbox) implements the same
protocol; the stores do not change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol


class Cursor(Protocol):
    rowcount: int

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Any: ...


class Database(Protocol):
    dialect: str

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor: ...

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Cursor: ...

    def transaction(self) -> AbstractContextManager[None]:
        """All of the block or none of it; nested blocks are savepoints."""
        ...

    def run_script(self, script: str) -> None:
        """Every statement of a migration script, inside the caller's transaction."""
        ...

    def forget_deleted(self) -> None:
        """Make what was just deleted unrecoverable from the files (erasure); SQLite: the write-ahead log into the
        securely overwritten database file."""
        ...

    def close(self) -> None: ...


class DatabaseOpenError(Exception):
    """The database cannot be opened or is not a database; the message is Dutch and names the path."""

    @classmethod
    def because(cls, path: Path | str, reason: str) -> DatabaseOpenError:
        return cls(f"Kan de database {path} niet gebruiken: {reason}.")


def open_database(path: Path | str) -> Database:
    """Open (or create) the database and migrate it. Raises DatabaseOpenError when the file cannot be opened
    or is not an SQLite database."""
    import sqlite3

    from social_map.migrations import migrate
    from social_map.sqlite import SQLiteDatabase, open_problem

    db = SQLiteDatabase.open(path)
    try:
        migrate(db)
    except sqlite3.DatabaseError as exc:
        db.close()
        problem = open_problem(path, exc)
        if problem is None:
            raise
        raise problem from exc
    return db
