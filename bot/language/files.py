"""Files people hand in or edit: reading a text file (a question set, an import) with a Dutch reason when that
fails, and the problem record (file, line, entry id) that every check of an edited file reports."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import yaml

# Far more than any real partner list or question set (100 000 partners are about 20 MB), and little enough
# to hold in memory: "/dev/zero" or a mistaken disk image ends with a Dutch message, not a MemoryError.
MAX_TEXT_FILE_BYTES = 64 * 1024 * 1024


def safe_loader() -> type[yaml.SafeLoader]:
    """libyaml's safe loader where PyYAML was built with it (parsing the knowledge base is ten times faster),
    else the pure-Python one. YAML is imported here, not at start-up: a start with the matcher cache reads none."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> object:
    """Plain YAML data (no tags beyond the safe ones), with libyaml when it is there."""
    import yaml

    return yaml.load(text, Loader=safe_loader())  # noqa: S506 - a safe loader


class UnreadableFileError(ValueError):
    """A text file cannot be read; the message is Dutch and names the file."""


def _read_bytes(path: Path, limit: int) -> bytes:
    with path.open("rb") as file:
        data = file.read(limit + 1)
    if len(data) > limit:
        raise UnreadableFileError(
            f"{path}: het bestand is groter dan {limit // (1024 * 1024)} MB; splits het in kleinere bestanden"
        )
    return data


def read_text_file(path: Path, *, encoding: str = "utf-8", limit: int = MAX_TEXT_FILE_BYTES) -> str:
    """The file's text; raises UnreadableFileError saying in Dutch why it cannot be read."""
    try:
        return _read_bytes(path, limit).decode(encoding)
    except FileNotFoundError as exc:
        raise UnreadableFileError(f"{path}: bestand niet gevonden") from exc
    except IsADirectoryError as exc:
        raise UnreadableFileError(f"{path}: dat is een map, geen bestand") from exc
    except PermissionError as exc:
        raise UnreadableFileError(f"{path}: geen toestemming om het bestand te lezen") from exc
    except OSError as exc:
        raise UnreadableFileError(f"{path}: het bestand kan niet worden gelezen") from exc
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise UnreadableFileError(f"{path}: het bestand is geen UTF-8-tekst (regel {line}); sla het op als UTF-8") from exc


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    entry_id: str | None
    message: str
    # A warning (plain-language advice) is reported but does not make the knowledge base invalid.
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        who = f" [{self.entry_id}]" if self.entry_id else ""
        return f"{where}:{who} {'waarschuwing: ' if self.warning else ''}{self.message}"


def yaml_problem(rel: str, exc: yaml.YAMLError) -> Problem:
    """A YAML syntax error with the line where it was found and, if known, where the construct began."""
    mark = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context_mark", None)
    reason = getattr(exc, "problem", None) or str(exc)
    where = getattr(exc, "context", None)
    if context is not None and where:
        reason += f" ({where}, begonnen op regel {context.line + 1})"
    return Problem(rel, mark.line + 1 if mark else None, None, f"YAML-fout: {reason}")
