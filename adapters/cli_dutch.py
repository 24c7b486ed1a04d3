"""argparse in Dutch: usage, help headings and error messages; option names stay as they are."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from typing import Any, NoReturn

# argparse's own (English) error messages and what a user reads instead; option names stay as they are.
ARGPARSE_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: (.+)", r"verplicht maar niet opgegeven: \1"),
    (r"unrecognized arguments: (.+)", r"onbekende argumenten: \1"),
    (r"argument (.+?): invalid choice: (.+) \(choose from (.+)\)", r"argument \1: ongeldige keuze \2 (kies uit \3)"),
    (r"argument (.+?): invalid int value: (.+)", r"argument \1: \2 is geen geheel getal"),
    (r"argument (.+?): invalid \S+ value: (.+)", r"argument \1: ongeldige waarde \2"),
    (r"argument (.+?): expected one argument", r"argument \1: hier hoort één waarde achter"),
    (r"argument (.+?): expected at most one argument", r"argument \1: hier hoort hoogstens één waarde achter"),
    (r"argument (.+?): expected at least one argument", r"argument \1: hier hoort minstens één waarde achter"),
    (r"argument (.+?): expected (\d+) arguments?", r"argument \1: hier horen \2 waarden achter"),
    (r"argument (.+?): ignored explicit argument (.+)", r"argument \1: verwacht geen waarde, kreeg \2"),
    (r"argument (.+?): not allowed with argument (.+)", r"argument \1 kan niet samen met \2"),
    (r"one of the arguments (.+) is required", r"een van deze argumenten is verplicht: \1"),
    (r"ambiguous option: (.+) could match (.+)", r"optie \1 is niet eenduidig: bedoel je \2?"),
)


def dutch_usage_error(message: str) -> str:
    """argparse's error message in Dutch (a message it does not know is passed on as it is)."""
    for pattern, dutch in ARGPARSE_MESSAGES:
        if re.fullmatch(pattern, message, flags=re.DOTALL):
            return re.sub(pattern, dutch, message, count=1, flags=re.DOTALL)
    return message


class DutchHelpFormatter(argparse.HelpFormatter):
    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "gebruik: " if prefix is None else prefix)


class DutchArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Dutch: usage, help headings and error messages."""

    def __init__(self, *args: Any, add_help: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", DutchHelpFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "argumenten"
        self._optionals.title = "opties"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="deze hulp tonen en stoppen")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fout: {dutch_usage_error(message)}\n")
