"""The databases a benchmark runs on, side by side: the SQLite file, and (with --postgres URL, a server where the
user may create databases) a fresh PostgreSQL database that is dropped afterwards."""

from __future__ import annotations

import argparse
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def add_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--postgres", metavar="URL", help="also run on a new database on this PostgreSQL server")


def kinds(args: argparse.Namespace) -> list[str]:
    return ["sqlite", "postgres"] if args.postgres else ["sqlite"]


@contextmanager
def database(kind: str, folder: Path, server: str | None) -> Iterator[Path | str]:
    """The SQLite file in `folder`, or the URL of a new PostgreSQL database on `server` (dropped at the end)."""
    if kind == "sqlite":
        yield folder / f"bench-{uuid.uuid4().hex[:8]}.db"
        return
    import psycopg

    assert server
    name = f"ketenbot_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def settings_for(target: Path | str, **more):
    from bot.config import Settings

    return Settings(db_path=target, **more) if isinstance(target, Path) else Settings(database_url=target, **more)
