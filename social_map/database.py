"""The Database seam: what every store in social_map/ needs from the database, and opening one.

A store keeps its own SQL (one module per aggregate) and talks to a `Database`: `execute`, `executemany`, and
`transaction()`, which nests (an inner block is a savepoint), so an operation that must be part of a larger
one is simply called inside it and never needs a second copy that takes a connection.

The SQL is portable where SQLite 3.35+ allows: `?` placeholders, `ON CONFLICT … DO NOTHING/UPDATE`,
`RETURNING id` instead of a last-row id, no `INSERT OR IGNORE`. What is SQLite's own is named and kept few:
the pragmas and opening (social_map/sqlite.py), `data_version` and `checkpoint` (its methods), and the FTS5
full-text index (social_map/search.py only). PostgreSQL (social_map/postgres.py, chosen by DATABASE_URL:
psycopg 3 with a pool, `?` turned into `%s`) implements the same protocol, with its full-text index in
social_map/postgres_search.py; the stores do not change. The few things that differ are named on the protocol:
`SKIP_LOCKED` (claiming rows that other instances skip), `serialize` (one transaction at a time under a name),
`new_ids` and `insert_many` (a bulk insert), `analyze` (after one), `hold` (the scheduler's lock between
instances) and `forget_deleted`.
"""

from __future__ import annotations

import re
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
    # Appended to a SELECT whose rows the transaction claims: other transactions skip them instead of waiting
    # (PostgreSQL's FOR UPDATE SKIP LOCKED; empty on SQLite, whose write transactions never overlap).
    SKIP_LOCKED: str

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor: ...

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Cursor: ...

    def transaction(self) -> AbstractContextManager[None]:
        """All of the block or none of it; nested blocks are savepoints."""
        ...

    def serialize(self, name: str) -> None:
        """Inside a transaction: wait until no other transaction holds `name`, then hold it until this one ends
        (SQLite: nothing to do, its write transactions already take turns)."""
        ...

    def insert_many(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Inside a transaction: new rows, many at once (SQLite: one prepared INSERT; PostgreSQL: COPY)."""
        ...

    def new_ids(self, table: str, count: int) -> list[int]:
        """Inside a transaction: `count` fresh ids for rows of `table` that a bulk insert names itself."""
        ...

    def run_script(self, script: str) -> None:
        """Every statement of a migration script, inside the caller's transaction."""
        ...

    def hold(self, name: str) -> bool:
        """Take the lock `name` for as long as this process lives, or confirm that it still has it; False while
        another process holds it. A process that dies lets go at once (PostgreSQL: a session advisory lock on a
        connection of its own). SQLite: always True, it serves one instance (several need PostgreSQL)."""
        ...

    def analyze(self, tables: Sequence[str]) -> None:
        """After a bulk write, outside a transaction: let the query planner learn what the tables now hold
        (PostgreSQL: ANALYZE, else its plans stay those of the empty map until autovacuum looks; SQLite: nothing,
        social_map/search.py names the index it needs)."""
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


def is_url(target: object) -> bool:
    """A PostgreSQL URL (DATABASE_URL), not an SQLite path; told apart without loading psycopg."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def shown_url(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)


def connect(target: Path | str) -> Database:
    """Open the database without migrating it: PostgreSQL for a postgresql:// URL, else the SQLite file."""
    if is_url(target):
        from social_map.postgres import PostgresDatabase

        return PostgresDatabase.open(str(target))
    from social_map.sqlite import SQLiteDatabase

    return SQLiteDatabase.open(target)


def open_database(target: Path | str) -> Database:
    """Open (or create) the database and migrate it: PostgreSQL for a postgresql:// URL, else the SQLite file.
    Raises DatabaseOpenError when it cannot be reached or opened, or the file is not an SQLite database."""
    import sqlite3

    from social_map.migrations import migrate
    from social_map.sqlite import open_problem

    db = connect(target)
    try:
        migrate(db)
    except sqlite3.DatabaseError as exc:
        db.close()
        problem = open_problem(target, exc)
        if problem is None:
            raise
        raise problem from exc
    return db
