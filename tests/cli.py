"""`ketenbot` run in this process, as the console script runs it: the same `main`, arguments, environment, working
folder, stdin, stdout, stderr and exit code. A fresh process would prove only that Python starts; the tests that
prove the console script itself, signals or a port in use start a real one."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from adapters.cli import main


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str


class _Stdin(io.StringIO):
    def isatty(self) -> bool:
        return False


@contextlib.contextmanager
def _environment(cwd: Path | None, env: dict[str, str]) -> Iterator[None]:
    before_env = dict(os.environ)
    before_cwd = os.getcwd()
    os.environ.update(env)
    if cwd is not None:
        os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(before_cwd)
        os.environ.clear()
        os.environ.update(before_env)


def ketenbot(*argv: str, stdin: str = "", cwd: Path | None = None, **env: str) -> Result:
    """The exit code and what `ketenbot ARGV` writes, with `env` added to the environment."""
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = _Stdin(stdin)
    try:
        with _environment(cwd, env), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(argv))
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        sys.stdin = old_stdin
    return Result(code, out.getvalue(), err.getvalue())
